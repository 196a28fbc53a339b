import type { QueueClock } from '../queue-clock.ts';

interface Timer {
  at: number;
  order: number;
  callback: () => void;
  cancelled: boolean;
}

/** Lets every promise chain started so far run to its next real wait: no time passes. */
export const flushMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A clock that moves only when told, firing due timers in order and letting their effects settle. */
export class FakeClock implements QueueClock {
  #now: number;
  #order = 0;
  #timers: Timer[] = [];

  constructor(start = 1_700_000_000_000) {
    this.#now = start;
  }

  now = (): number => this.#now;

  setTimer = (callback: () => void, ms: number): (() => void) => {
    const timer: Timer = { at: this.#now + Math.max(0, ms), order: this.#order++, callback, cancelled: false };
    this.#timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  };

  get pendingTimers(): number {
    return this.#timers.filter((timer) => !timer.cancelled).length;
  }

  /** Moves time forward by `ms`, firing each due timer at its own time and settling what it starts. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await flushMicrotasks();
    for (;;) {
      const due = this.#nextDue(target);
      if (due === undefined) break;
      this.#now = due.at;
      due.cancelled = true;
      due.callback();
      await flushMicrotasks();
    }
    this.#now = target;
    await flushMicrotasks();
  }

  /** Fires timers until none is left (or `limitMs` has passed), settling after each. */
  async runAll(limitMs = 3_600_000): Promise<void> {
    await this.advance(limitMs);
  }

  #nextDue(target: number): Timer | undefined {
    this.#timers = this.#timers.filter((timer) => !timer.cancelled);
    let due: Timer | undefined;
    for (const timer of this.#timers) {
      if (timer.at > target) continue;
      if (due === undefined || timer.at < due.at || (timer.at === due.at && timer.order < due.order)) due = timer;
    }
    return due;
  }
}
