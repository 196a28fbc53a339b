import type { AttemptFailure } from '../core/errors/index.ts';
import type { DemoProviderName, DemoTarget } from './demo-routes.ts';

/** What went wrong with one try at a target, in the synthesized history. */
export type DemoFailureKind = 'server-error' | 'rate-limit' | 'circuit-open' | 'invalid-output' | 'context-length';

interface ProviderFailure {
  code: AttemptFailure['code'];
  upstreamStatus: number;
  message: string;
}

/** Each provider's own way of failing, as its codec reports it. */
const serverErrors: Record<DemoProviderName, ProviderFailure> = {
  'sim-openai': { code: 'upstream_server_error', upstreamStatus: 500, message: 'The server had an error while processing your request. Sorry about that!' },
  'sim-anthropic': { code: 'upstream_overloaded', upstreamStatus: 529, message: 'Anthropic overloaded_error: Overloaded' },
  'sim-gemini': { code: 'upstream_overloaded', upstreamStatus: 503, message: 'Gemini UNAVAILABLE: The model is overloaded. Please try again later.' },
};

const rateLimits: Record<DemoProviderName, Omit<ProviderFailure, 'code' | 'upstreamStatus'>> = {
  'sim-openai': { message: 'Rate limit reached for requests per min (RPM): Limit 10000, Used 10000, Requested 1.' },
  'sim-anthropic': { message: 'Anthropic rate_limit_error: This request would exceed the rate limit for your organization of 10000 requests per minute.' },
  'sim-gemini': { message: 'Gemini RESOURCE_EXHAUSTED: Resource has been exhausted (e.g. check quota).' },
};

/** The failure entry a real request log would hold for one failed try at `target`. */
export const demoAttemptFailure = (target: DemoTarget, kind: DemoFailureKind): AttemptFailure => {
  const base = { provider: target.provider, model: target.model };
  switch (kind) {
    case 'server-error':
      return { ...base, ...serverErrors[target.provider] };
    case 'rate-limit':
      return { ...base, code: 'upstream_rate_limited', upstreamStatus: 429, ...rateLimits[target.provider] };
    case 'circuit-open':
      return { ...base, code: 'circuit_open', message: `The circuit for ${target.provider}/${target.model} is open after repeated failures: not calling it` };
    case 'invalid-output':
      return {
        ...base,
        code: 'upstream_invalid_output',
        message: "The model's answer failed validation (json-schema; asked 2 times): the answer does not match the requested JSON schema",
      };
    case 'context-length':
      return {
        ...base,
        code: 'upstream_context_length_exceeded',
        upstreamStatus: 400,
        message: "This model's maximum context length was exceeded by the prompt. Please reduce the length of the messages.",
      };
  }
};
