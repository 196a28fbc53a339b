export interface LoginThrottleOptions {
  now: () => number;
  /** Failures allowed per address within the window. */
  maxFailures?: number;
  windowMs?: number;
  /** Addresses remembered at most; the oldest is forgotten first, so a flood of addresses cannot grow memory. */
  maxAddresses?: number;
}

/**
 * Slows down guessing of the admin token at the dashboard's login: after `maxFailures` failures from
 * one address within `windowMs`, that address waits until the window has passed. The token is long
 * and random, so this is about noise and log volume as much as about guessing. Per process.
 */
export const createLoginThrottle = ({ now, maxFailures = 10, windowMs = 5 * 60_000, maxAddresses = 10_000 }: LoginThrottleOptions) => {
  const failures = new Map<string, { count: number; since: number }>();
  const current = (address: string) => {
    const entry = failures.get(address);
    if (entry !== undefined && now() - entry.since >= windowMs) {
      failures.delete(address);
      return undefined;
    }
    return entry;
  };
  return {
    /** Seconds to wait, or undefined when this address may try. */
    retryAfterSeconds(address: string): number | undefined {
      const entry = current(address);
      if (entry === undefined || entry.count < maxFailures) return undefined;
      return Math.max(1, Math.ceil((entry.since + windowMs - now()) / 1000));
    },
    recordFailure(address: string): void {
      const entry = current(address);
      if (entry !== undefined) {
        entry.count += 1;
        return;
      }
      if (failures.size >= maxAddresses) failures.delete(failures.keys().next().value ?? '');
      failures.set(address, { count: 1, since: now() });
    },
    recordSuccess(address: string): void {
      failures.delete(address);
    },
  };
};
