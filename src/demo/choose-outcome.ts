import type { AttemptFailure, ErrorCode } from '../core/errors/index.ts';
import type { Random } from '../simulator/deterministic-random.ts';
import { demoAttemptFailure } from './demo-attempt-failure.ts';
import type { DemoTarget } from './demo-routes.ts';
import { incidentAt } from './history-incidents.ts';
import type { RequestPlan } from './plan-request.ts';
import { trafficWeight } from './traffic-weight.ts';

/** When a synthesized request happens: its day (1 is yesterday) and UTC hour. */
export interface OutcomeMoment {
  daysAgo: number;
  hour: number;
}

/** What happened to a planned request, as the gateway would have seen it. */
export type DemoOutcome =
  | { type: 'answered'; servedBy: DemoTarget; attempts: number; failures: AttemptFailure[]; validation?: 'passed' | 'reasked'; finishReason?: string }
  /** Refused by the key's own limit before any provider was called. */
  | { type: 'refused' }
  | { type: 'failed'; errorCode: ErrorCode; servedBy: DemoTarget; attempts: number; failures: AttemptFailure[]; validation?: 'failed' }
  /** Ended after it started: the stream broke, or the caller went away. */
  | { type: 'cut-off'; errorCode: 'upstream_stream_interrupted' | 'client_closed_request'; servedBy: DemoTarget; attempts: number };

/** Probabilities of the baseline error mix: about 1.5% of requests end in an error. */
const rates = {
  keyLimitedAtPeak: 0.06,
  /** One failed try that the retry gets past. */
  transientFailure: 0.015,
  /** A target failing every try (three), so the request falls back or fails. */
  persistentFailure: 0.0035,
  /** A 429 with a Retry-After too long to wait: not retried. */
  unretriedRateLimit: 0.002,
  /** The first target's breaker is open: straight to the fallback. */
  circuitOpen: 0.008,
  contextLength: 0.001,
  clientClosed: 0.0015,
  streamInterrupted: 0.001,
  lengthFinish: 0.012,
  toolCalls: 0.06,
};

/**
 * The route whose answers get worse in the last week (as after a prompt or model change), so that
 * the week-over-week quality comparison raises an alert: more re-asks and more invalid answers.
 */
export const qualityRegression = { route: 'extract', lastDays: 7, reaskShare: 0.3, invalidShare: 0.08, baselineInvalidShare: 0.01 } as const;

const peakWeight = Math.max(...Array.from({ length: 96 }, (_, slot) => trafficWeight(slot / 4, 'interactive')));

interface TargetWalk {
  servedBy: DemoTarget;
  attempts: number;
  failures: AttemptFailure[];
  answered: boolean;
}

/** Embeddings are dispatched without retries or breakers (`handleEmbeddings`): one failure ends a target's turn. */
const walkEmbeddingTargets = (random: Random, plan: RequestPlan, moment: OutcomeMoment): TargetWalk => {
  const { targets } = plan.route;
  const failures: AttemptFailure[] = [];
  for (const target of targets) {
    const incident = incidentAt(moment.daysAgo, moment.hour, target.provider, 'errors');
    if (!random.chance((incident?.share ?? 0) + rates.persistentFailure)) return { servedBy: target, attempts: failures.length + 1, failures, answered: true };
    failures.push(demoAttemptFailure(target, 'server-error'));
  }
  return { servedBy: targets[targets.length - 1] ?? targets[0], attempts: failures.length, failures, answered: false };
};

/** Tries a chat route's targets in order, with retries, as dispatch and the retry interceptor do. */
const walkChatTargets = (random: Random, plan: RequestPlan, moment: OutcomeMoment): TargetWalk => {
  const { targets } = plan.route;
  const failures: AttemptFailure[] = [];
  let attempts = 0;
  for (const [index, target] of targets.entries()) {
    attempts += 1;
    if (index < targets.length - 1 && random.chance(rates.circuitOpen)) {
      failures.push(demoAttemptFailure(target, 'circuit-open'));
      continue;
    }
    if (random.chance(rates.unretriedRateLimit)) {
      failures.push(demoAttemptFailure(target, 'rate-limit'));
      continue;
    }
    const incident = incidentAt(moment.daysAgo, moment.hour, target.provider, 'errors');
    if (random.chance((incident?.share ?? 0) + rates.persistentFailure)) {
      failures.push(demoAttemptFailure(target, 'server-error'));
      // During an incident a retry often gets through; a persistent fault fails all three tries.
      const retrySucceeds = incident === undefined ? 0.1 : 0.45;
      let recovered = false;
      for (let retry = 0; retry < 2 && !recovered; retry++) {
        attempts += 1;
        if (random.chance(retrySucceeds)) recovered = true;
        else failures.push(demoAttemptFailure(target, 'server-error'));
      }
      if (!recovered) continue;
      return { servedBy: target, attempts, failures, answered: true };
    }
    if (random.chance(rates.transientFailure)) {
      failures.push(demoAttemptFailure(target, random.chance(0.5) ? 'server-error' : 'rate-limit'));
      attempts += 1;
    }
    return { servedBy: target, attempts, failures, answered: true };
  }
  return { servedBy: targets[targets.length - 1] ?? targets[0], attempts, failures, answered: false };
};

const finishReasonFor = (random: Random, plan: RequestPlan): string => {
  if (random.chance(rates.lengthFinish)) return 'length';
  if (plan.key.team === 'support' && plan.route.alias === 'claude' && random.chance(rates.toolCalls)) return 'tool-calls';
  return 'stop';
};

/**
 * Output validation's part: a structured answer may fail validation on its target (and fall back),
 * any answer may be re-asked once. Embeddings are not validated.
 */
const validate = (random: Random, plan: RequestPlan, moment: OutcomeMoment, walk: TargetWalk): DemoOutcome => {
  const { route } = plan;
  const regressed = route.alias === qualityRegression.route && moment.daysAgo <= qualityRegression.lastDays;
  const answered = (validation: 'passed' | 'reasked' | undefined, servedBy: DemoTarget, attempts: number): DemoOutcome => {
    const outcome: DemoOutcome = { type: 'answered', servedBy, attempts, failures: walk.failures };
    if (validation !== undefined) outcome.validation = validation;
    if (route.kind === 'chat') outcome.finishReason = finishReasonFor(random, plan);
    return outcome;
  };
  if (route.kind === 'embeddings') return answered(undefined, walk.servedBy, walk.attempts);
  const invalidShare = regressed ? qualityRegression.invalidShare : qualityRegression.baselineInvalidShare;
  const servedIndex = route.targets.indexOf(walk.servedBy);
  const fallback = route.targets[servedIndex + 1];
  if (route.structuredOutput && random.chance(invalidShare)) {
    walk.failures.push(demoAttemptFailure(walk.servedBy, 'invalid-output'));
    if (fallback !== undefined && random.chance(0.7)) return answered('reasked', fallback, walk.attempts + 1);
    if (fallback !== undefined) walk.failures.push(demoAttemptFailure(fallback, 'invalid-output'));
    const attempts = walk.attempts + (fallback === undefined ? 0 : 1);
    const errorCode: ErrorCode = walk.failures.length > 1 ? 'all_targets_failed' : 'upstream_invalid_output';
    return { type: 'failed', errorCode, servedBy: fallback ?? walk.servedBy, attempts, failures: walk.failures, validation: 'failed' };
  }
  // A streamed answer has reached the caller by the time it is validated: it is never asked again.
  const reaskShare = plan.stream ? 0 : regressed ? qualityRegression.reaskShare : route.reaskShare;
  return answered(random.chance(reaskShare) ? 'reasked' : 'passed', walk.servedBy, walk.attempts);
};

/** Decides what happens to one planned request: the baseline error mix, past incidents, validation. */
export const chooseOutcome = (random: Random, plan: RequestPlan, moment: OutcomeMoment): DemoOutcome => {
  const { route, key } = plan;
  const first = route.targets[0];
  // Key limits are a stage of the chat pipeline; embeddings do not pass through it.
  if (route.kind === 'chat' && key.limitedAtPeak && trafficWeight(moment.hour, key.pattern) > 0.75 * peakWeight && random.chance(rates.keyLimitedAtPeak)) return { type: 'refused' };
  if (route.kind === 'chat' && random.chance(rates.clientClosed)) return { type: 'cut-off', errorCode: 'client_closed_request', servedBy: first, attempts: 1 };
  if (plan.stream && random.chance(rates.streamInterrupted)) return { type: 'cut-off', errorCode: 'upstream_stream_interrupted', servedBy: first, attempts: 1 };
  if (route.kind === 'chat' && route.targets.length === 1 && random.chance(rates.contextLength)) {
    return { type: 'failed', errorCode: 'upstream_context_length_exceeded', servedBy: first, attempts: 1, failures: [demoAttemptFailure(first, 'context-length')] };
  }
  const walk = route.kind === 'chat' ? walkChatTargets(random, plan, moment) : walkEmbeddingTargets(random, plan, moment);
  if (!walk.answered) {
    const errorCode: ErrorCode = walk.failures.length > 1 ? 'all_targets_failed' : (walk.failures[0]?.code ?? 'all_targets_failed');
    return { type: 'failed', errorCode, servedBy: walk.servedBy, attempts: walk.attempts, failures: walk.failures };
  }
  return validate(random, plan, moment, walk);
};
