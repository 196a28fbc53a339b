import type { RequestLogStore, RequestRecord } from './contracts.ts';
import { RecordQueue } from './record-queue.ts';

export interface RequestLogWriterOptions {
  store: RequestLogStore;
  /** Records per `append`; reaching it starts a write without waiting for the timer. */
  batchSize: number;
  /** Buffered records are written at least this often. */
  flushIntervalMs: number;
  /** Failed writes, dropped records, records left at close. Never given record contents. */
  onError(error: unknown): void;
  /**
   * High-water mark: while the store keeps failing, records beyond this many are dropped, oldest first,
   * so an outage cannot exhaust memory. Defaults to 16 batches, and at least 4,096 records.
   */
  maxBufferedRecords?: number;
}

export interface RequestLogWriterStats {
  /** Waiting to be written, the batch being written included. */
  buffered: number;
  written: number;
  dropped: number;
}

export interface RequestLogWriter {
  /** Buffers a record and returns at once: the request path never waits for the disk. */
  record(record: RequestRecord): void;
  /** Writes what is buffered now; a failed batch stays buffered for the next flush. Never rejects. */
  flush(): Promise<void>;
  /** Stops the timer and writes everything buffered. Does not close the store, which its owner closes. */
  close(): Promise<void>;
  stats(): RequestLogWriterStats;
}

/** Attempts at close before the records still buffered are given up (and reported). */
const closeAttempts = 3;

/**
 * Batches request records in memory and writes them to the store off the request path: when a batch is
 * full, and on a timer (unref'd, so it never keeps the process alive). Writes are serialized. A failed
 * batch goes back to the front of the buffer; after a failure only the timer or an explicit flush
 * retries, so a dead store is not hammered on every new record.
 */
export function createRequestLogWriter(options: RequestLogWriterOptions): RequestLogWriter {
  const { store, batchSize, flushIntervalMs } = options;
  const maxBuffered = checkLimits(options);

  const queue = new RecordQueue<RequestRecord>();
  let inFlight = 0;
  let written = 0;
  let dropped = 0;
  let droppedThisOutage = 0;
  let retryWaitsForTimer = false;
  let closed = false;
  let pendingFlushes = 0;
  let chain: Promise<void> = Promise.resolve();

  const report = (error: unknown): void => {
    try {
      options.onError(error);
    } catch {
      // A failing error handler must not break the writer.
    }
  };

  const enforceHighWaterMark = (): void => {
    const excess = queue.length + inFlight - maxBuffered;
    if (excess <= 0) return;
    const count = queue.dropFront(excess);
    if (droppedThisOutage === 0) {
      report(new Error(`request log buffer is full (${maxBuffered} records): dropping the oldest until writes succeed`));
    }
    dropped += count;
    droppedThisOutage += count;
  };

  const writeOneBatch = async (): Promise<number> => {
    const batch = queue.takeFront(batchSize);
    if (batch.length === 0) return 0;
    inFlight = batch.length;
    try {
      await store.append(batch);
      written += batch.length;
      retryWaitsForTimer = false;
      if (droppedThisOutage > 0) {
        report(new Error(`request log dropped ${droppedThisOutage} records while the store was failing`));
        droppedThisOutage = 0;
      }
      return batch.length;
    } catch (error) {
      queue.putFront(batch);
      retryWaitsForTimer = true;
      report(new Error(`request log: writing ${batch.length} records failed; they are kept and retried`, { cause: error }));
      return 0;
    } finally {
      inFlight = 0;
      enforceHighWaterMark();
    }
  };

  // Writes the records buffered when it starts, not those arriving meanwhile, so it always ends.
  const drain = async (): Promise<void> => {
    let remaining = queue.length;
    while (remaining > 0) {
      const count = await writeOneBatch();
      if (count === 0) return;
      remaining -= count;
    }
  };

  const flushIfFull = (): void => {
    if (!closed && pendingFlushes === 0 && !retryWaitsForTimer && queue.length >= batchSize) void flush();
  };

  function flush(): Promise<void> {
    pendingFlushes += 1;
    const run = chain.then(drain).finally(() => {
      pendingFlushes -= 1;
      flushIfFull();
    });
    chain = run;
    return run;
  }

  const timer = setInterval(() => {
    retryWaitsForTimer = false;
    if (pendingFlushes === 0 && queue.length > 0) void flush();
  }, flushIntervalMs);
  timer.unref();

  return {
    record(record: RequestRecord): void {
      if (closed) {
        dropped += 1;
        report(new Error('request log writer is closed: a record was dropped'));
        return;
      }
      queue.push(record);
      enforceHighWaterMark();
      flushIfFull();
    },
    flush,
    async close(): Promise<void> {
      if (closed) return chain;
      closed = true;
      clearInterval(timer);
      for (let attempt = 0; attempt < closeAttempts && queue.length > 0; attempt += 1) await flush();
      await chain;
      if (queue.length > 0) {
        report(new Error(`request log writer closed with ${queue.length} records unwritten: the store kept failing`));
        dropped += queue.dropFront(queue.length);
      }
    },
    stats: () => ({ buffered: queue.length + inFlight, written, dropped }),
  };
}

/** Validates the sizes and returns the high-water mark. */
function checkLimits({ batchSize, flushIntervalMs, maxBufferedRecords }: RequestLogWriterOptions): number {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('request log writer: batchSize must be a positive integer');
  if (!(flushIntervalMs > 0)) throw new RangeError('request log writer: flushIntervalMs must be positive');
  const maxBuffered = maxBufferedRecords ?? Math.max(batchSize * 16, 4_096);
  if (!Number.isInteger(maxBuffered) || maxBuffered < batchSize) {
    throw new RangeError('request log writer: maxBufferedRecords must be an integer of at least batchSize');
  }
  return maxBuffered;
}
