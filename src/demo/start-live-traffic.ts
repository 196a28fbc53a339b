import { Agent, request } from 'undici';
import { createRandom } from '../simulator/deterministic-random.ts';
import { buildLiveRequest } from './build-live-request.ts';
import type { DemoKeyProfile } from './demo-keys.ts';
import { pickKeyAt, planRequest } from './plan-request.ts';
import { meanTrafficWeight, trafficWeight } from './traffic-weight.ts';

export interface LiveKey {
  profile: DemoKeyProfile;
  secret: string;
}

export interface LiveTrafficOptions {
  /** Bulwark's base URL, without a trailing slash. */
  baseUrl: string;
  keys: readonly LiveKey[];
  /** Average requests per second over the compressed day. */
  rate: number;
  /** Stop after this long; undefined runs until `stop()`. */
  durationMs: number | undefined;
  /** Real time one simulated day takes; the traffic curve repeats with this period. */
  dayLengthMs: number;
  /** The UTC hour the compressed day starts at. */
  startHour: number;
  seed: number;
  /** Requests in flight at most; an arrival beyond it is skipped (and counted). Default 64. */
  maxInFlight?: number;
  /** A call not finished by then is abandoned (the gateway's own timeouts and queue limits come first). Default 60 s. */
  requestTimeoutMs?: number;
  /** Share of answered chat calls the caller rates with `POST /v1/feedback`. Default 0.04. */
  feedbackShare?: number;
}

export interface LiveTrafficStats {
  sent: number;
  /** By HTTP status; `abandoned` for calls cut short by `stop()`, `no-answer` for the others that got none (timeout, refused connection). */
  byStatus: Record<string, number>;
  /** Arrivals dropped because `maxInFlight` calls were still running. */
  skipped: number;
  feedback: number;
  inFlight: number;
}

export interface LiveTraffic {
  stats(): LiveTrafficStats;
  /** Resolves when no more calls will start: the duration is over, or `stop()` was called. */
  finished: Promise<void>;
  /** Stops sending; calls in flight get `graceMs` to finish, then are abandoned. */
  stop(graceMs?: number): Promise<void>;
}

/** Relative request rate at `hour` of all keys together: 1 on average over the day. */
const combinedWeight = (keys: readonly LiveKey[], hour: number): number => {
  const totalShare = keys.reduce((sum, key) => sum + key.profile.share, 0);
  return keys.reduce((sum, { profile }) => sum + (profile.share * trafficWeight(hour, profile.pattern)) / meanTrafficWeight[profile.pattern], 0) / totalShare;
};

/**
 * Sends the traffic model's requests as real HTTP calls to a running Bulwark: arrivals are a Poisson
 * process whose rate follows the day's curve, compressed into `dayLengthMs`. Each call reads its
 * whole answer, streams included, as a client would.
 */
export const startLiveTraffic = (options: LiveTrafficOptions): LiveTraffic => {
  const random = createRandom(options.seed);
  const maxInFlight = options.maxInFlight ?? 64;
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  const feedbackShare = options.feedbackShare ?? 0.04;
  const agent = new Agent({ connections: maxInFlight + 4, keepAliveTimeout: 30_000 });
  const stopping = new AbortController();
  const startedAt = performance.now();
  const byStatus: Record<string, number> = {};
  const counters = { sent: 0, skipped: 0, feedback: 0, inFlight: 0 };
  let timer: NodeJS.Timeout | undefined;
  let scheduling = true;
  const idleWaiters: (() => void)[] = [];
  const scheduleEnded = Promise.withResolvers<void>();
  const endSchedule = (): void => {
    scheduling = false;
    clearTimeout(timer);
    scheduleEnded.resolve();
  };

  const count = (status: string): void => {
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  };
  const hourAt = (elapsedMs: number): number => (options.startHour + (elapsedMs / options.dayLengthMs) * 24) % 24;
  const idle = (): Promise<void> => (counters.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve)));

  const sendFeedback = async (requestId: string, secret: string, score: number): Promise<void> => {
    const response = await request(`${options.baseUrl}/v1/feedback`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({ request_id: requestId, score }),
      signal: stopping.signal,
    });
    await response.body.dump();
    if (response.statusCode === 201) counters.feedback += 1;
  };
  const rate = (requestId: string, secret: string, score: number): Promise<void> =>
    sendFeedback(requestId, secret, score).catch(() => {
      // A rating that did not arrive (the run is stopping) changes nothing worth reporting.
    });

  const fire = async (hour: number): Promise<void> => {
    const key = pickKeyAt(random, options.keys.map((live) => live.profile), hour);
    const secret = options.keys.find((live) => live.profile === key)?.secret ?? '';
    const plan = planRequest(random, key);
    const call = buildLiveRequest(random, plan, secret);
    // Drawn before the call: a draw after an await would interleave with other calls' in the order they finish.
    const ratesAnswer = plan.route.kind === 'chat' && random.chance(feedbackShare);
    const score = random.chance(0.8) ? 1 : 0;
    counters.sent += 1;
    counters.inFlight += 1;
    try {
      const response = await request(`${options.baseUrl}${call.path}`, {
        method: 'POST',
        dispatcher: agent,
        headers: call.headers,
        body: call.body,
        signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(requestTimeoutMs)]),
      });
      await response.body.text();
      count(String(response.statusCode));
      const requestId = response.headers['x-request-id'];
      if (ratesAnswer && response.statusCode === 200 && typeof requestId === 'string') await rate(requestId, secret, score);
    } catch {
      count(stopping.signal.aborted ? 'abandoned' : 'no-answer');
    } finally {
      counters.inFlight -= 1;
      if (counters.inFlight === 0) for (const resolve of idleWaiters.splice(0)) resolve();
    }
  };

  const scheduleNext = (): void => {
    if (!scheduling) return;
    const elapsed = performance.now() - startedAt;
    const perSecond = options.rate * combinedWeight(options.keys, hourAt(elapsed));
    const gapMs = (-Math.log(1 - random.next()) / perSecond) * 1000;
    if (options.durationMs !== undefined && elapsed + gapMs >= options.durationMs) {
      timer = setTimeout(endSchedule, Math.max(0, options.durationMs - elapsed));
      return;
    }
    timer = setTimeout(() => {
      if (counters.inFlight >= maxInFlight) counters.skipped += 1;
      else void fire(hourAt(performance.now() - startedAt));
      scheduleNext();
    }, gapMs);
  };
  scheduleNext();

  return {
    stats: () => ({ ...counters, byStatus: { ...byStatus } }),
    finished: scheduleEnded.promise,
    async stop(graceMs = 10_000) {
      endSchedule();
      if (counters.inFlight > 0) {
        const grace = setTimeout(() => stopping.abort(new Error('the demo is stopping')), graceMs);
        await idle();
        clearTimeout(grace);
      }
      await agent.close();
    },
  };
};
