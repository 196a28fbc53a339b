import type { FaultName } from './fault-rule.ts';
import type { ProviderErrorKind } from './provider-error.ts';
import type { ProviderFamily } from './provider-family.ts';

/** The faults that are answered with an HTTP error, and the error each is. */
const errorKinds: Partial<Record<FaultName, ProviderErrorKind>> = {
  'rate-limit': 'rate-limit',
  'server-error': 'server-error',
  unavailable: 'unavailable',
  overloaded: 'overloaded',
};

export const errorKindOfFault = (fault: FaultName | undefined): ProviderErrorKind | undefined =>
  fault === undefined ? undefined : errorKinds[fault];

/** The message each provider sends with such an error (paraphrased from real answers). */
export const faultMessage = (family: ProviderFamily, kind: ProviderErrorKind, model: string, requestsLimit: number, retryAfterSeconds: number): string => {
  if (kind === 'rate-limit') {
    switch (family) {
      case 'openai': return `Rate limit reached for ${model} in organization org-simulator on requests per min (RPM): Limit ${requestsLimit}, Used ${requestsLimit}, Requested 1. Please try again in ${retryAfterSeconds}s.`;
      case 'azure': return `Requests to the ChatCompletions_Create Operation have exceeded call rate limit of your current pricing tier. Please retry after ${retryAfterSeconds} second.`;
      case 'anthropic': return `This request would exceed the rate limit for your organization of ${requestsLimit} requests per minute.`;
      case 'gemini': return 'Resource has been exhausted (e.g. check quota).';
      case 'bedrock': return 'Too many requests, please wait before trying again.';
    }
  }
  if (kind === 'overloaded') return family === 'anthropic' ? 'Overloaded' : 'The model is overloaded. Please try again later.';
  if (kind === 'unavailable') return 'The service is temporarily unavailable. Please try again later.';
  return 'The server had an error while processing your request. Sorry about that!';
};
