import type { IncomingHttpHeaders } from 'node:http';
import type { ProviderFamily } from './provider-family.ts';

const bearer = /^Bearer\s+\S+/i;
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-auth-methods.html
const sigV4 = /^AWS4-HMAC-SHA256\s+Credential=[^/\s,]+\/\d{8}\/[^/\s,]+\/[^/\s,]+\/aws4_request,\s*SignedHeaders=[a-z0-9;-]+,\s*Signature=[0-9a-f]{64}$/;

const header = (headers: IncomingHttpHeaders, name: string): string => {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
};

/**
 * Whether a request carries the credentials its provider family expects. The simulator accepts any
 * key: it checks that a key is sent the provider's way, not which key. OpenAI: `Authorization: Bearer`;
 * Azure: `api-key` (or an Entra ID bearer token); Anthropic: `x-api-key` (or a bearer token);
 * Gemini: `x-goog-api-key` or `?key=`; Bedrock: a SigV4 `Authorization` header, or a Bedrock API key
 * as a bearer token.
 */
export const hasCredentials = (family: ProviderFamily, headers: IncomingHttpHeaders, query: URLSearchParams): boolean => {
  const authorization = header(headers, 'authorization');
  switch (family) {
    case 'openai': return bearer.test(authorization);
    case 'azure': return header(headers, 'api-key') !== '' || bearer.test(authorization);
    case 'anthropic': return header(headers, 'x-api-key') !== '' || bearer.test(authorization);
    case 'gemini': return header(headers, 'x-goog-api-key') !== '' || (query.get('key') ?? '') !== '';
    case 'bedrock': return sigV4.test(authorization) || bearer.test(authorization);
  }
};
