import type { Clock } from '../clock.ts';

/** A clock that only moves when told to, for tests: no real waiting, no timing assertions. */
export interface ManualClock extends Clock {
  /** Moves time forward, firing due timers in order and letting the promises they settle run. */
  advance(ms: number): Promise<void>;
  /** Timers scheduled and not yet fired or cancelled. */
  pendingTimers(): number;
}

interface ScheduledTimer {
  at: number;
  sequence: number;
  callback: () => void;
}

/** Lets every queued promise reaction run (setImmediate comes after the microtask queue drains). */
export const flushPromises = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export const createManualClock = (start = 1_700_000_000_000): ManualClock => {
  let current = start;
  let sequence = 0;
  const timers = new Set<ScheduledTimer>();

  const nextDue = (until: number): ScheduledTimer | undefined => {
    let due: ScheduledTimer | undefined;
    for (const timer of timers) {
      if (timer.at > until) continue;
      if (due === undefined || timer.at < due.at || (timer.at === due.at && timer.sequence < due.sequence)) due = timer;
    }
    return due;
  };

  return {
    now: () => current,
    setTimer(callback, ms) {
      const timer = { at: current + Math.max(0, ms), sequence: sequence++, callback };
      timers.add(timer);
      return () => {
        timers.delete(timer);
      };
    },
    async advance(ms) {
      const until = current + ms;
      await flushPromises();
      for (let due = nextDue(until); due !== undefined; due = nextDue(until)) {
        timers.delete(due);
        current = due.at;
        due.callback();
        await flushPromises();
      }
      current = until;
      await flushPromises();
    },
    pendingTimers: () => timers.size,
  };
};
