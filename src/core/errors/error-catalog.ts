/**
 * Every error Bulwark can return, closed. A code's spec says how it reaches the caller (HTTP status and
 * the error `type` of each client format) and how the resilience layer treats it: `retryable` (the same
 * target may succeed if asked again) and `fallback` (another target may succeed). `docs/errors.md` lists
 * the same codes; a test keeps the two in step.
 */
export interface ErrorSpec {
  status: number;
  /** `error.type` in OpenAI's error JSON. */
  openaiType: string;
  /** `error.type` in Anthropic's error JSON. */
  anthropicType: string;
  retryable: boolean;
  fallback: boolean;
  description: string;
}

export const errorCatalog = {
  invalid_request: {
    status: 400, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error',
    retryable: false, fallback: false, description: 'The request body does not match the API: a wrong type, a missing or unknown field.',
  },
  invalid_json: {
    status: 400, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error',
    retryable: false, fallback: false, description: 'The request body is not valid JSON.',
  },
  invalid_encoding: {
    status: 400, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error',
    retryable: false, fallback: false, description: 'The request body is not valid UTF-8.',
  },
  unsupported_media_type: {
    status: 415, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error',
    retryable: false, fallback: false, description: 'The request has a Content-Type other than application/json.',
  },
  payload_too_large: {
    status: 413, openaiType: 'invalid_request_error', anthropicType: 'request_too_large',
    retryable: false, fallback: false, description: 'The request body is larger than `server.bodyLimitBytes`.',
  },
  missing_api_key: {
    status: 401, openaiType: 'invalid_request_error', anthropicType: 'authentication_error',
    retryable: false, fallback: false, description: 'No virtual key in `Authorization: Bearer` or `x-api-key`.',
  },
  invalid_api_key: {
    status: 401, openaiType: 'invalid_request_error', anthropicType: 'authentication_error',
    retryable: false, fallback: false, description: 'The virtual key is unknown, revoked or expired.',
  },
  model_not_allowed: {
    status: 403, openaiType: 'invalid_request_error', anthropicType: 'permission_error',
    retryable: false, fallback: false, description: 'The virtual key is not scoped to the requested model.',
  },
  key_rate_limited: {
    status: 429, openaiType: 'rate_limit_error', anthropicType: 'rate_limit_error',
    retryable: false, fallback: false, description: "The virtual key is over its requests-per-minute, tokens-per-minute or concurrent-request limit; `Retry-After` says when to try again.",
  },
  admin_unauthorized: {
    status: 401, openaiType: 'invalid_request_error', anthropicType: 'authentication_error',
    retryable: false, fallback: false, description: 'The admin API needs `Authorization: Bearer <admin token>`.',
  },
  too_many_login_attempts: {
    status: 429, openaiType: 'rate_limit_error', anthropicType: 'rate_limit_error',
    retryable: false, fallback: false, description: 'Too many failed dashboard logins from this address; `Retry-After` says when to try again.',
  },
  model_not_found: {
    status: 404, openaiType: 'invalid_request_error', anthropicType: 'not_found_error',
    retryable: false, fallback: false, description: 'No model or alias of that name is configured.',
  },
  route_not_found: {
    status: 404, openaiType: 'invalid_request_error', anthropicType: 'not_found_error',
    retryable: false, fallback: false, description: 'No endpoint at that path and method.',
  },
  not_found: {
    status: 404, openaiType: 'invalid_request_error', anthropicType: 'not_found_error',
    retryable: false, fallback: false, description: 'The named resource (for example a virtual key) does not exist.',
  },
  unsupported_capability: {
    status: 400, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error',
    retryable: false, fallback: true, description: 'The target cannot serve this kind of request (for example embeddings on a chat-only provider).',
  },
  upstream_bad_request: {
    status: 400, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error',
    retryable: false, fallback: false, description: 'The provider rejected the request as invalid; its message is passed on.',
  },
  upstream_context_length_exceeded: {
    status: 400, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error',
    retryable: false, fallback: true, description: 'The prompt is longer than the model accepts; a model with a longer context may serve it.',
  },
  upstream_content_filtered: {
    status: 400, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error',
    retryable: false, fallback: false, description: "The provider's content filter refused the request.",
  },
  upstream_authentication_failed: {
    status: 502, openaiType: 'server_error', anthropicType: 'api_error',
    retryable: false, fallback: true, description: "The provider refused Bulwark's credentials for it: a configuration fault, not the caller's.",
  },
  upstream_not_found: {
    status: 502, openaiType: 'server_error', anthropicType: 'api_error',
    retryable: false, fallback: true, description: 'The provider does not know the configured upstream model or deployment.',
  },
  upstream_rate_limited: {
    status: 429, openaiType: 'rate_limit_error', anthropicType: 'rate_limit_error',
    retryable: true, fallback: true, description: 'The provider is rate limiting Bulwark.',
  },
  upstream_overloaded: {
    status: 529, openaiType: 'server_error', anthropicType: 'overloaded_error',
    retryable: true, fallback: true, description: 'The provider says it is overloaded (Anthropic 529, others 503).',
  },
  upstream_server_error: {
    status: 502, openaiType: 'server_error', anthropicType: 'api_error',
    retryable: true, fallback: true, description: 'The provider answered with a 5xx error.',
  },
  upstream_timeout: {
    status: 504, openaiType: 'server_error', anthropicType: 'timeout_error',
    retryable: true, fallback: true, description: 'The provider did not answer in time.',
  },
  upstream_connection_failed: {
    status: 502, openaiType: 'server_error', anthropicType: 'api_error',
    retryable: true, fallback: true, description: 'The connection to the provider failed or was reset.',
  },
  upstream_invalid_response: {
    status: 502, openaiType: 'server_error', anthropicType: 'api_error',
    retryable: true, fallback: true, description: 'The provider answered with something that is not its documented format.',
  },
  upstream_invalid_output: {
    status: 502, openaiType: 'server_error', anthropicType: 'api_error',
    retryable: true, fallback: true, description: "The provider's answer is well-formed but unusable: not the JSON or schema asked for, bad tool arguments, empty, too long, or prohibited content.",
  },
  upstream_stream_interrupted: {
    status: 502, openaiType: 'server_error', anthropicType: 'api_error',
    retryable: false, fallback: false, description: 'The stream broke after its first byte reached the caller, so it cannot be retried.',
  },
  circuit_open: {
    status: 503, openaiType: 'server_error', anthropicType: 'api_error',
    retryable: false, fallback: true, description: "The target's circuit breaker is open after repeated failures: Bulwark did not call it, and tries the next target.",
  },
  all_targets_failed: {
    status: 502, openaiType: 'server_error', anthropicType: 'api_error',
    retryable: false, fallback: false, description: 'Every target of the route failed; `attempts` lists why.',
  },
  client_closed_request: {
    status: 499, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error',
    retryable: false, fallback: false, description: 'The caller disconnected; the upstream call was cancelled.',
  },
  internal_error: {
    status: 500, openaiType: 'server_error', anthropicType: 'api_error',
    retryable: false, fallback: false, description: 'A fault in Bulwark itself. It is logged with the request id.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCatalog;

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(errorCatalog, code);
