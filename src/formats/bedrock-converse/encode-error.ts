import type { ErrorCode, GatewayError } from '../../core/errors/index.ts';
import type { EncodedError } from '../wire-format.ts';

/**
 * Bedrock's error type for each canonical code, as a Bedrock SDK expects to find it in the
 * `x-amzn-errortype` header (the AWS SDKs pick the exception class from it, not from the status).
 * Faults on Bulwark's side of the gateway (its upstream credentials, an unknown upstream model) are
 * server errors to the caller: their own credentials and request were fine.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors
 */
export const bedrockErrorTypeFor = (code: ErrorCode): string => {
  switch (code) {
    case 'upstream_rate_limited':
      return 'ThrottlingException';
    case 'upstream_overloaded':
      return 'ServiceUnavailableException';
    case 'upstream_timeout':
      return 'ModelTimeoutException';
    case 'missing_api_key':
    case 'invalid_api_key':
    case 'admin_unauthorized':
    case 'model_not_allowed':
      return 'AccessDeniedException';
    case 'model_not_found':
    case 'route_not_found':
    case 'not_found':
      return 'ResourceNotFoundException';
    case 'upstream_invalid_response':
    case 'upstream_stream_interrupted':
      return 'ModelErrorException';
    case 'upstream_authentication_failed':
    case 'upstream_not_found':
    case 'upstream_server_error':
    case 'upstream_connection_failed':
    case 'all_targets_failed':
    case 'internal_error':
      return 'InternalServerException';
    default:
      return 'ValidationException';
  }
};

/** A GatewayError as Bedrock would answer it: `{"message"}` and the `x-amzn-errortype` header. */
export const encodeBedrockError = (error: GatewayError): EncodedError => ({
  status: error.status,
  body: { message: error.message },
  headers: { 'x-amzn-errortype': `${bedrockErrorTypeFor(error.code)}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
});
