import { GatewayError, isGatewayError } from '../../core/errors/index.ts';
import type { AttemptCall } from '../../core/pipeline/call-interceptor.ts';
import { createPriorityQueue, type PriorityQueue } from './priority-queue.ts';
import type { QueueClock } from './queue-clock.ts';
import type { Priority } from './request-priority.ts';

export interface QueuedEvent {
  /** `provider/model`. */
  deployment: string;
  priority: Priority;
  keyId: string | undefined;
  /** Waiters of the deployment, this one included (for `queued`) or not (for `dequeued`). */
  depth: number;
}

export interface DequeuedEvent extends QueuedEvent {
  waitMs: number;
  /** `admitted`: it got a slot; `expired`: its deadline passed; `aborted`: its caller went away. */
  outcome: 'admitted' | 'expired' | 'aborted';
}

export interface GateHooks {
  onQueued?: (event: QueuedEvent) => void;
  onDequeued?: (event: DequeuedEvent) => void;
}

export interface GateSettings extends GateHooks {
  deployment: string;
  /** Configured requests in flight at once; undefined: bounded only by what 429s teach. */
  maxConcurrent: number | undefined;
  maxQueueDepth: number;
  agingMs: number;
  clock: QueueClock;
}

/** Handed to a waiter's promise by the pump when a slot is its. */
type Admit = (waitMs: number) => void;

const abortError = (signal: AbortSignal): GatewayError =>
  isGatewayError(signal.reason) ? signal.reason : new GatewayError('client_closed_request', 'The client closed the request while it waited for capacity.');

/**
 * One deployment's admission: at most `capacity` calls in flight, the rest waiting in a priority queue
 * and admitted in its order as slots free. Capacity is the configured one, lowered by 429s
 * (multiplicative decrease: halved once per rate-limit episode) and raised again by successes
 * (additive increase: one more slot after as many successes as there are slots) until it is back at
 * the configured value. A 429 also holds the whole deployment until its `Retry-After` has passed.
 */
export class DeploymentGate {
  readonly #settings: GateSettings;
  readonly #queue: PriorityQueue<Admit>;
  #inFlight = 0;
  #learnedCapacity: number | undefined;
  #successesSinceIncrease = 0;
  #pausedUntil = 0;
  #resumeScheduled = false;

  constructor(settings: GateSettings) {
    this.#settings = settings;
    this.#queue = createPriorityQueue({ agingMs: settings.agingMs });
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get depth(): number {
    return this.#queue.size;
  }

  /** Requests in flight allowed now; Infinity when neither configured nor learned. */
  get capacity(): number {
    return Math.min(this.#settings.maxConcurrent ?? Number.POSITIVE_INFINITY, this.#learnedCapacity ?? Number.POSITIVE_INFINITY);
  }

  /** Epoch ms until which a 429 holds the deployment. */
  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  /** Takes a slot at once when one is free and nobody waits ahead; false otherwise. */
  tryEnter(): boolean {
    if (this.#queue.size > 0 || this.#settings.clock.now() < this.#pausedUntil || this.#inFlight >= this.capacity) return false;
    this.#inFlight += 1;
    return true;
  }

  /**
   * Waits for a slot until `deadline` (epoch ms). Rejects with `expired()` once the deadline passes, or
   * at once when it cannot be met (the deployment is held past it, or the queue is full); with the
   * abort reason when the call's signal aborts.
   */
  wait(call: AttemptCall, deadline: number, expired: () => GatewayError): Promise<void> {
    const { clock, deployment, onQueued, onDequeued } = this.#settings;
    const now = clock.now();
    if (call.signal.aborted) return Promise.reject(abortError(call.signal));
    if (deadline <= now || this.#pausedUntil > deadline || this.#queue.size >= this.#settings.maxQueueDepth) return Promise.reject(expired());
    return new Promise<void>((resolve, reject) => {
      const event = (): QueuedEvent => ({ deployment, priority: call.priority, keyId: call.keyId, depth: this.#queue.size });
      const finish = (outcome: DequeuedEvent['outcome'], waitMs: number): void => {
        cancelTimer();
        call.signal.removeEventListener('abort', onAbort);
        onDequeued?.({ ...event(), waitMs, outcome });
      };
      const ticket = this.#queue.push(
        (waitMs) => {
          finish('admitted', waitMs);
          resolve();
        },
        call.priority,
        call.keyId ?? '',
        now,
      );
      const giveUp = (outcome: 'expired' | 'aborted', error: () => GatewayError) => () => {
        if (!ticket.remove()) return;
        finish(outcome, clock.now() - now);
        reject(error());
      };
      const onAbort = giveUp('aborted', () => abortError(call.signal));
      const cancelTimer = clock.setTimer(giveUp('expired', expired), deadline - now);
      call.signal.addEventListener('abort', onAbort, { once: true });
      onQueued?.(event());
      this.#pump();
    });
  }

  /** Frees the slot of a call that ended; a success counts towards raising a learned capacity. */
  leave(outcome: 'success' | 'failure'): void {
    this.#inFlight -= 1;
    // Calls answered while the deployment is held were sent before the 429: they say nothing of the new capacity.
    if (outcome === 'success' && this.#learnedCapacity !== undefined && this.#settings.clock.now() >= this.#pausedUntil) {
      this.#successesSinceIncrease += 1;
      if (this.#successesSinceIncrease >= this.#learnedCapacity) {
        this.#successesSinceIncrease = 0;
        this.#learnedCapacity += 1;
        const configured = this.#settings.maxConcurrent;
        if (configured !== undefined && this.#learnedCapacity >= configured) this.#learnedCapacity = undefined;
      }
    }
    this.#pump();
  }

  /**
   * Frees the slot of a call refused with a 429, and holds the deployment `retryAfterMs`. Only a refusal
   * by the provider itself (`fromUpstream`) lowers the capacity: a local limiter's refusal is about
   * requests or tokens per minute, which that limiter already meters.
   */
  leaveRateLimited(retryAfterMs: number, fromUpstream: boolean): void {
    const now = this.#settings.clock.now();
    const inFlightAtRefusal = this.#inFlight;
    this.#inFlight -= 1;
    // Once per episode: the calls refused together by one 429 wave halve the capacity once, not n times.
    if (fromUpstream && now >= this.#pausedUntil) {
      this.#learnedCapacity = Math.max(1, Math.floor(Math.min(this.capacity, inFlightAtRefusal) / 2));
      this.#successesSinceIncrease = 0;
    }
    this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterMs);
    this.#pump();
  }

  /** Admits waiters in queue order while slots are free and the deployment is not held. */
  #pump(): void {
    if (this.#queue.size === 0) return;
    const now = this.#settings.clock.now();
    if (now < this.#pausedUntil) {
      if (!this.#resumeScheduled) {
        this.#resumeScheduled = true;
        // If a later 429 extends the hold meanwhile, this wakes early, finds it held, and sleeps again.
        this.#settings.clock.setTimer(() => {
          this.#resumeScheduled = false;
          this.#pump();
        }, this.#pausedUntil - now);
      }
      return;
    }
    while (this.#queue.size > 0 && this.#inFlight < this.capacity) {
      const entry = this.#queue.shift(now);
      if (entry === undefined) return;
      this.#inFlight += 1;
      entry.value(now - entry.enqueuedAt);
    }
  }
}
