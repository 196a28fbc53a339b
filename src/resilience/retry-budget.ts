import { z } from 'zod';

export const retryBudgetOptionsSchema = z.strictObject({
  /** Retries allowed per first attempt over the window: 0.2 lets retries add at most 20% to the traffic. */
  ratio: z.number().min(0).max(1).default(0.2),
  /** Retries always allowed per window, so that a quiet gateway can still retry its few failures. */
  minimumRetries: z.number().int().nonnegative().default(10),
  /** The sliding window over which requests and retries are counted. */
  windowMs: z.number().int().positive().default(10_000),
});

export type RetryBudgetOptions = z.infer<typeof retryBudgetOptionsSchema>;

/**
 * How many retries the process may still make. Without it, an outage multiplies the traffic sent to
 * the failing upstream by the number of attempts: the retry storm that keeps it down. Modelled on
 * Finagle's RetryBudget: each request deposits `ratio` of a retry, each retry withdraws one, and a
 * floor of `minimumRetries` per window is always there.
 */
export interface RetryBudget {
  /** Counts one request (a first attempt, not a retry). */
  recordRequest(now: number): void;
  /** Takes one retry when the budget allows it; false means "do not retry". */
  tryWithdraw(now: number): boolean;
}

/** The window is kept as this many slots, so it slides in steps of a tenth. */
const slotCount = 10;

interface Slot {
  /** Which slot period (now / slotMs, rounded down) the counts belong to. */
  period: number;
  requests: number;
  retries: number;
}

/** An in-process budget; share one instance across every route of the process. */
export const createRetryBudget = (options: RetryBudgetOptions): RetryBudget => {
  const slotMs = Math.max(1, Math.ceil(options.windowMs / slotCount));
  const slots: Slot[] = Array.from({ length: slotCount }, () => ({ period: -1, requests: 0, retries: 0 }));

  const currentSlot = (now: number): Slot => {
    const period = Math.floor(now / slotMs);
    const slot = slots[period % slotCount] as Slot;
    if (slot.period !== period) Object.assign(slot, { period, requests: 0, retries: 0 });
    return slot;
  };

  const totals = (now: number): { requests: number; retries: number } => {
    const oldest = Math.floor(now / slotMs) - slotCount + 1;
    let requests = 0;
    let retries = 0;
    for (const slot of slots) {
      if (slot.period < oldest) continue;
      requests += slot.requests;
      retries += slot.retries;
    }
    return { requests, retries };
  };

  return {
    recordRequest(now) {
      currentSlot(now).requests += 1;
    },
    tryWithdraw(now) {
      const slot = currentSlot(now);
      const { requests, retries } = totals(now);
      if (retries + 1 > options.minimumRetries + options.ratio * requests) return false;
      slot.retries += 1;
      return true;
    },
  };
};
