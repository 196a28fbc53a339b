import type { AnalyticsRequestRow } from '../../stores/request-analytics/request-analytics.ts';

export interface LiveTailOptions {
  /** The log's tail (`AnalyticsReader.tail`): newest first without a position, else oldest first after it. */
  read(position: number | undefined, limit: number): Promise<{ position: number; rows: AnalyticsRequestRow[] }>;
  intervalMs?: number;
  /** How many recent records a new subscriber gets first. */
  backlog?: number;
  /** Called when a poll fails; polling goes on. */
  onError?: (error: unknown) => void;
}

export type LiveTailListener = (rows: AnalyticsRequestRow[]) => void;

const maxPerPoll = 500;

/**
 * Follows the request log for the dashboard's live view. It polls the log (every process's records
 * land there, so one dashboard sees the whole fleet), once per interval however many browsers watch,
 * and only while someone does. A new subscriber's backlog comes from the same stream of rows, so no
 * record is shown twice or skipped between its backlog and the first update.
 */
export class LiveTail {
  readonly #options: Required<Omit<LiveTailOptions, 'onError'>> & Pick<LiveTailOptions, 'onError'>;
  readonly #listeners = new Set<LiveTailListener>();
  /** Newest last. */
  #recent: AnalyticsRequestRow[] = [];
  #position: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #starting: Promise<void> | undefined;
  #polling = false;

  constructor(options: LiveTailOptions) {
    this.#options = { intervalMs: 1_000, backlog: 50, ...options };
  }

  /** Starts following if needed; resolves with the recent records (newest first) and a way to stop listening. */
  async subscribe(listener: LiveTailListener): Promise<{ backlog: AnalyticsRequestRow[]; unsubscribe(): void }> {
    this.#listeners.add(listener);
    try {
      this.#starting ??= this.#start();
      await this.#starting;
    } catch (error) {
      this.#listeners.delete(listener);
      this.#starting = undefined;
      throw error;
    }
    return {
      backlog: this.#recent.toReversed(),
      unsubscribe: () => {
        this.#listeners.delete(listener);
        if (this.#listeners.size === 0) this.#stop();
      },
    };
  }

  get subscribers(): number {
    return this.#listeners.size;
  }

  /** Reads what was logged since the last poll and hands it to every listener. Exposed for tests. */
  async poll(): Promise<void> {
    if (this.#polling || this.#position === undefined) return;
    this.#polling = true;
    try {
      const { position, rows } = await this.#options.read(this.#position, maxPerPoll);
      this.#position = position;
      if (rows.length === 0) return;
      this.#recent = [...this.#recent, ...rows].slice(-this.#options.backlog);
      for (const listener of this.#listeners) listener(rows);
    } catch (error) {
      this.#options.onError?.(error);
    } finally {
      this.#polling = false;
    }
  }

  async #start(): Promise<void> {
    const { position, rows } = await this.#options.read(undefined, this.#options.backlog);
    this.#position = position;
    this.#recent = rows.toReversed();
    if (this.#listeners.size === 0) return;
    this.#timer = setInterval(() => void this.poll(), this.#options.intervalMs);
    this.#timer.unref();
  }

  #stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#starting = undefined;
    this.#position = undefined;
    this.#recent = [];
  }

  close(): void {
    this.#listeners.clear();
    this.#stop();
  }
}
