/** Time for the queue: epoch ms and timers, injectable so that tests run on a fake clock. */
export interface QueueClock {
  now(): number;
  /** Calls `callback` after `ms`; the returned function cancels it. */
  setTimer(callback: () => void, ms: number): () => void;
}

export const systemClock: QueueClock = {
  now: Date.now,
  setTimer(callback, ms) {
    // Unreferenced: a waiting request keeps the process alive through its socket, not through its timer.
    const timer = setTimeout(callback, Math.max(0, ms));
    timer.unref();
    return () => clearTimeout(timer);
  },
};
