import type { Price } from '../core/model/index.ts';
import { createRandom, type Random } from '../simulator/deterministic-random.ts';
import type { RequestRecord } from '../stores/contracts.ts';
import { chooseOutcome } from './choose-outcome.ts';
import { dailyRequestVolume, dayMs } from './daily-request-volume.ts';
import { demoKeys, type DemoKeyProfile, type TrafficPattern } from './demo-keys.ts';
import { incidentAt } from './history-incidents.ts';
import { planRequest } from './plan-request.ts';
import { sampleNormal } from './sample-log-normal.ts';
import { synthesizeRecord } from './synthesize-record.ts';
import { cumulativeDayShares } from './traffic-weight.ts';

export interface HistoryOptions {
  /** Whole UTC days before today to synthesize; today itself is left to live traffic. */
  days: number;
  /** Today, as a UTC day number (epoch ms / 86,400,000, floored). */
  today: number;
  seed: number;
  /** The id of each profile's virtual key, by profile name. */
  keyIds: ReadonlyMap<string, string>;
  lookupPrice: (providerType: string, model: string) => Price | undefined;
  keys?: readonly DemoKeyProfile[];
  /** Requests on a weekday at today's volume, all keys together (earlier days are smaller). Default 5,000. */
  weekdayRequestsToday?: number;
}

export const defaultWeekdayRequestsToday = 5_000;

const slots = 288;
const dayShares: Record<TrafficPattern, Float64Array> = {
  interactive: cumulativeDayShares('interactive', slots),
  batch: cumulativeDayShares('batch', slots),
};

/** A millisecond of the day drawn with the pattern's shape: a slice by its share, then a uniform offset in it. */
const sampleTimeOfDay = (random: Random, pattern: TrafficPattern): number => {
  const shares = dayShares[pattern];
  const target = random.next();
  let low = 0;
  let high = slots - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((shares[middle] ?? 1) < target) low = middle + 1;
    else high = middle;
  }
  return Math.floor(((low + random.next()) / slots) * dayMs);
};

const idAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** An id shaped like the server's (`req_` and 16 base64url characters), from the seeded source. */
const requestIdFrom = (random: Random): string => {
  let id = 'req_';
  for (let index = 0; index < 16; index++) id += idAlphabet[Math.floor(random.next() * 64)];
  return id;
};

/**
 * Synthesizes the request log of the `days` whole UTC days before today from the traffic model, one
 * day (sorted by time) per item, oldest first. The same options give the same records.
 */
export function* generateHistory(options: HistoryOptions): Generator<RequestRecord[]> {
  const random = createRandom(options.seed);
  const keys = options.keys ?? demoKeys;
  const weekdayRequests = options.weekdayRequestsToday ?? defaultWeekdayRequestsToday;
  for (let daysAgo = options.days; daysAgo >= 1; daysAgo--) {
    const day = options.today - daysAgo;
    const arrivals: { at: number; key: DemoKeyProfile }[] = [];
    for (const key of keys) {
      const expected = dailyRequestVolume(day, options.today, weekdayRequests * key.share, key.pattern);
      const count = Math.max(0, Math.round(expected * (1 + 0.05 * sampleNormal(random))));
      for (let index = 0; index < count; index++) arrivals.push({ at: day * dayMs + sampleTimeOfDay(random, key.pattern), key });
    }
    arrivals.sort((a, b) => a.at - b.at);
    yield arrivals.map(({ at, key }) => {
      const hour = (at - day * dayMs) / 3_600_000;
      const plan = planRequest(random, key);
      const outcome = chooseOutcome(random, plan, { daysAgo, hour });
      const keyId = options.keyIds.get(key.name);
      if (keyId === undefined) throw new RangeError(`no key id for the demo key "${key.name}"`);
      return synthesizeRecord(random, plan, outcome, {
        requestId: requestIdFrom(random),
        startedAt: at,
        keyId,
        lookupPrice: options.lookupPrice,
        slowdown: (target) => incidentAt(daysAgo, hour, target.provider, 'slow')?.share ?? 1,
      });
    });
  }
}
