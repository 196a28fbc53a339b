import type { ProviderFamily } from './provider-family.ts';

/** The error answers the simulator gives, named by what went wrong rather than by status. */
export type ProviderErrorKind = 'authentication' | 'invalid-request' | 'not-found' | 'rate-limit' | 'server-error' | 'unavailable' | 'overloaded';

export interface ProviderErrorResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON text. */
  body: string;
}

const statuses: Record<ProviderErrorKind, number> = {
  authentication: 401, 'invalid-request': 400, 'not-found': 404, 'rate-limit': 429, 'server-error': 500, unavailable: 503, overloaded: 503,
};

const statusFor = (family: ProviderFamily, kind: ProviderErrorKind): number =>
  kind === 'overloaded' && family === 'anthropic' ? 529 : statuses[kind];

// https://platform.openai.com/docs/guides/error-codes
const openaiTypes: Record<ProviderErrorKind, [type: string, code: string | null]> = {
  authentication: ['invalid_request_error', 'invalid_api_key'],
  'invalid-request': ['invalid_request_error', null],
  'not-found': ['invalid_request_error', 'model_not_found'],
  'rate-limit': ['requests', 'rate_limit_exceeded'],
  'server-error': ['server_error', null],
  unavailable: ['server_error', null],
  overloaded: ['server_error', null],
};

// https://docs.anthropic.com/en/api/errors
const anthropicTypes: Record<ProviderErrorKind, string> = {
  authentication: 'authentication_error', 'invalid-request': 'invalid_request_error', 'not-found': 'not_found_error',
  'rate-limit': 'rate_limit_error', 'server-error': 'api_error', unavailable: 'api_error', overloaded: 'overloaded_error',
};

// https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes
const geminiStatuses: Record<ProviderErrorKind, string> = {
  authentication: 'UNAUTHENTICATED', 'invalid-request': 'INVALID_ARGUMENT', 'not-found': 'NOT_FOUND',
  'rate-limit': 'RESOURCE_EXHAUSTED', 'server-error': 'INTERNAL', unavailable: 'UNAVAILABLE', overloaded: 'UNAVAILABLE',
};

// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors
const bedrockTypes: Record<ProviderErrorKind, string> = {
  authentication: 'UnrecognizedClientException', 'invalid-request': 'ValidationException', 'not-found': 'ResourceNotFoundException',
  'rate-limit': 'ThrottlingException', 'server-error': 'InternalServerException', unavailable: 'ServiceUnavailableException',
  overloaded: 'ServiceUnavailableException',
};

const errorBody = (family: ProviderFamily, kind: ProviderErrorKind, status: number, message: string, retryAfterSeconds: number): object => {
  switch (family) {
    case 'openai': {
      const [type, code] = openaiTypes[kind];
      return { error: { message, type, param: null, code } };
    }
    case 'azure': {
      // Azure answers auth and throttling from its API gateway, with the status as a string code.
      if (kind === 'authentication' || kind === 'rate-limit') return { error: { code: String(status), message } };
      const [type, code] = openaiTypes[kind];
      return { error: { message, type, param: null, code } };
    }
    case 'anthropic':
      return { type: 'error', error: { type: anthropicTypes[kind], message } };
    case 'gemini': {
      const details = kind === 'rate-limit'
        ? [
          { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel' }] },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterSeconds}s` },
        ]
        : undefined;
      return { error: { code: status, message, status: geminiStatuses[kind], ...(details === undefined ? {} : { details }) } };
    }
    case 'bedrock':
      return { message };
  }
};

/** An error answer exactly as the provider family sends it: status, body shape and headers. */
export const providerError = (family: ProviderFamily, kind: ProviderErrorKind, message: string, retryAfterSeconds = 1): ProviderErrorResponse => {
  const status = statusFor(family, kind);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (family === 'bedrock') headers['x-amzn-errortype'] = `${bedrockTypes[kind]}:http://internal.amazon.com/coral/com.amazon.bedrock/`;
  if (kind === 'rate-limit' && family !== 'gemini' && family !== 'bedrock') headers['retry-after'] = String(retryAfterSeconds);
  if (kind === 'rate-limit' && family === 'azure') headers['retry-after-ms'] = String(retryAfterSeconds * 1000);
  return { status, headers, body: JSON.stringify(errorBody(family, kind, status, message, retryAfterSeconds)) };
};
