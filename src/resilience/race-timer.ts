import type { Clock } from './clock.ts';

export type TimerRace<T> = { timedOut: false; value: T } | { timedOut: true };

/**
 * Settles with the promise's outcome, or with `timedOut` when `ms` passes first. The timer is cleared
 * as soon as the promise settles; a promise that loses keeps a handler, so its late rejection is not
 * reported as unhandled.
 */
export const raceTimer = <T>(promise: Promise<T>, ms: number, clock: Clock): Promise<TimerRace<T>> =>
  new Promise((resolve, reject) => {
    const cancel = clock.setTimer(() => resolve({ timedOut: true }), Math.max(0, ms));
    promise.then(
      (value) => {
        cancel();
        resolve({ timedOut: false, value });
      },
      (error: unknown) => {
        cancel();
        reject(error);
      },
    );
  });
