import { GatewayError } from '../../core/errors/index.ts';
import { parseJsonLoosely, parseRetryAfter } from '../shared/classify-upstream-status.ts';
import { mapBedrockErrorType, normalizeBedrockErrorType } from './map-bedrock-error-type.ts';
import { errorBodySchema } from './schemas.ts';

/**
 * Classifies a Bedrock error answer: JSON `{"message": "..."}` (some services spell it `Message`) with
 * the error type in the `x-amzn-errortype` header, e.g. `ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/`.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/CommonErrors.html
 */
export const decodeBedrockError = (status: number, body: string, headers: Headers): GatewayError => {
  const parsed = errorBodySchema.safeParse(parseJsonLoosely(body));
  const fields = parsed.success ? parsed.data : {};
  // Some AWS JSON services put the type in the body as `__type` instead of the header.
  const errorType = headers.get('x-amzn-errortype') ?? fields['__type'];
  const providerMessage = fields.message ?? fields.Message ?? `HTTP ${status}`;
  const code = mapBedrockErrorType(errorType, providerMessage, status);
  const typeName = errorType === undefined ? 'Error' : displayName(errorType);
  // AccessDenied messages name the AWS account and IAM principal: Bulwark's, not the caller's business.
  const message =
    code === 'upstream_authentication_failed'
      ? `Bedrock refused the gateway's AWS credentials (${typeName})`
      : `Bedrock ${typeName}: ${providerMessage}`;
  const retryAfterSeconds = parseRetryAfter(headers);
  return new GatewayError(code, message, retryAfterSeconds === undefined ? { upstreamStatus: status } : { upstreamStatus: status, retryAfterSeconds });
};

/** `com.amazonaws.bedrockruntime#ThrottlingException:http://...` → `ThrottlingException`. */
const displayName = (errorType: string): string => {
  const normalized = normalizeBedrockErrorType(errorType);
  const start = errorType.toLowerCase().indexOf(normalized);
  return start === -1 ? normalized : errorType.slice(start, start + normalized.length);
};
