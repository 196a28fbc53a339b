import type { SharedStateStatus } from './shared-state.ts';

export interface FallbackSwitchOptions {
  /** Resolves when Redis answers (a PING). */
  probe(): Promise<unknown>;
  /** At most one probe per this many milliseconds while local. */
  probeIntervalMs: number;
  /** Monotonic milliseconds, for spacing probes. */
  clock: () => number;
  /** Called on each change; `cause` is the error that made Redis count as down. */
  onStatusChange?: (status: SharedStateStatus, cause?: unknown) => void;
  /** Called once Redis is back, after the status has switched. */
  onRecovered?: () => void;
  /** Settles when the first connection attempt has: calls wait for it rather than fail while connecting. */
  connected?: Promise<void>;
}

/**
 * Decides, call by call, whether Redis or the local state answers. While Redis answers, every call goes
 * to it; a call that fails (an error or a command timeout) is answered locally and starts a confirming
 * probe: only when that probe fails too does the switch go local for every call. One timed-out command
 * is not an outage: a stall of this process's own event loop (first-run compilation, a long GC) times
 * out every command in flight at once while Redis is fine, and switching then would hand every process
 * its own full buckets for a second. While local, a call (or the client reconnecting) starts a
 * probe in the background, at most once per `probeIntervalMs`, so no request waits on a dead server;
 * the first probe that succeeds switches back. A RangeError is the caller's bad input, not an outage: it
 * is thrown, and the status stays.
 */
export class FallbackSwitch {
  readonly #options: FallbackSwitchOptions;
  #status: SharedStateStatus = 'redis';
  #lastProbeAt = Number.NEGATIVE_INFINITY;
  #probing = false;
  #confirming = false;
  #stopped = false;
  #connecting: Promise<void> | undefined;

  constructor(options: FallbackSwitchOptions) {
    this.#options = options;
    this.#connecting = options.connected?.then(() => {
      this.#connecting = undefined;
    });
  }

  status(): SharedStateStatus {
    return this.#status;
  }

  async run<T>(remote: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (this.#connecting !== undefined) await this.#connecting;
    if (this.#status === 'redis') {
      try {
        return await remote();
      } catch (error) {
        if (error instanceof RangeError) throw error;
        this.markDown(error);
      }
    } else {
      this.probeSoon();
    }
    return local();
  }

  /** Confirms a failure with a probe; switches to local (once) only if the probe fails as well. */
  markDown(cause: unknown): void {
    if (this.#status === 'local' || this.#stopped || this.#confirming) return;
    this.#confirming = true;
    this.#options.probe().then(
      () => {
        this.#confirming = false;
      },
      () => {
        this.#confirming = false;
        if (this.#status === 'local' || this.#stopped) return;
        this.#status = 'local';
        this.#lastProbeAt = this.#options.clock();
        this.#options.onStatusChange?.('local', cause);
      },
    );
  }

  /** Starts a probe unless Redis is in use, one is running, or the last began less than an interval ago. */
  probeSoon(): void {
    if (this.#status === 'redis' || this.#probing || this.#stopped) return;
    const now = this.#options.clock();
    if (now - this.#lastProbeAt < this.#options.probeIntervalMs) return;
    this.#lastProbeAt = now;
    this.#probing = true;
    this.#options.probe().then(
      () => {
        this.#probing = false;
        if (this.#status === 'redis' || this.#stopped) return;
        this.#status = 'redis';
        this.#options.onStatusChange?.('redis');
        this.#options.onRecovered?.();
      },
      () => {
        this.#probing = false;
      },
    );
  }

  /** No more probes or status changes (the state is closing). */
  stop(): void {
    this.#stopped = true;
  }
}
