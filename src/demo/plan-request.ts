import type { Random } from '../simulator/deterministic-random.ts';
import type { DemoKeyProfile } from './demo-keys.ts';
import { demoRoutes, type DemoRoute, type DemoRouteAlias } from './demo-routes.ts';
import { pickWeighted } from './pick-weighted.ts';
import { sampleLogNormal } from './sample-log-normal.ts';
import { meanTrafficWeight, trafficWeight } from './traffic-weight.ts';

export type DemoClientFormat = 'openai-chat' | 'anthropic-messages' | 'openai-embeddings';

const endpointOf = {
  'openai-chat': '/v1/chat/completions',
  'anthropic-messages': '/v1/messages',
  'openai-embeddings': '/v1/embeddings',
} as const satisfies Record<DemoClientFormat, string>;

/**
 * One request of the traffic model, before anything happens to it: who sends what, in which wire
 * format, and how large. History turns a plan into a record; the live run sends it over HTTP.
 */
export interface RequestPlan {
  key: DemoKeyProfile;
  route: DemoRoute;
  clientFormat: DemoClientFormat;
  endpoint: (typeof endpointOf)[DemoClientFormat];
  stream: boolean;
  endUser?: string;
  /** Prompt tokens, system prompt included. */
  inputTokens: number;
  /** Tokens the answer runs to; 0 for embeddings. */
  outputTokens: number;
}

/** Share of a user-facing application's requests that name their end user. */
const namedEndUserShare = 0.9;

/** The key that sends a request at `hour` (UTC): interactive keys weigh more by day, batch ones at night. */
export const pickKeyAt = (random: Random, keys: readonly DemoKeyProfile[], hour: number): DemoKeyProfile =>
  pickWeighted(random, keys.map((key) => [key, (key.share * trafficWeight(hour, key.pattern)) / meanTrafficWeight[key.pattern]] as const));

/** A few heavy users and a long tail of light ones: index 1 is the heaviest. */
const pickEndUser = (random: Random, key: DemoKeyProfile): string | undefined => {
  if (key.endUsers === undefined || !random.chance(namedEndUserShare)) return undefined;
  const index = 1 + Math.floor(key.endUsers.count * random.next() ** 2.2);
  return `${key.endUsers.prefix}_${String(index).padStart(4, '0')}`;
};

/** Draws the rest of a request from the key's habits and the route's sizes. */
export const planRequest = (random: Random, key: DemoKeyProfile): RequestPlan => {
  const alias = pickWeighted(random, Object.entries(key.routes) as [DemoRouteAlias, number][]);
  const route = demoRoutes[alias];
  const clientFormat: DemoClientFormat =
    route.kind === 'embeddings' ? 'openai-embeddings' : random.chance(key.anthropicFormatShare) ? 'anthropic-messages' : 'openai-chat';
  const embeddings = route.kind === 'embeddings';
  const sampledInput = Math.round(sampleLogNormal(random, route.inputTokens.median, route.inputTokens.sigma));
  const plan: RequestPlan = {
    key,
    route,
    clientFormat,
    endpoint: endpointOf[clientFormat],
    stream: !embeddings && random.chance(route.streamShare),
    inputTokens: embeddings ? Math.min(8_000, Math.max(4, sampledInput)) : Math.min(30_000, Math.max(key.systemPromptTokens + 20, sampledInput)),
    outputTokens: embeddings ? 0 : Math.min(4_000, Math.max(8, Math.round(sampleLogNormal(random, route.outputTokens.median, route.outputTokens.sigma)))),
  };
  const endUser = pickEndUser(random, key);
  if (endUser !== undefined) plan.endUser = endUser;
  return plan;
};
