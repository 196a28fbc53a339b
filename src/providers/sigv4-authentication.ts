import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Secret } from '../core/secret.ts';
import type { Authenticate, UpstreamRequest } from './http-authentication.ts';

export interface SigV4Options {
  region: string;
  /** The signing name: `bedrock` for Bedrock Runtime. */
  service: string;
  accessKeyId: Secret;
  secretAccessKey: Secret;
  sessionToken?: Secret;
}

/** Turns the request into the shape the signer reads; `host` is signed, so it is set explicitly. */
export const toSignableRequest = (request: UpstreamRequest): HttpRequest => {
  const url = new URL(request.path, request.origin);
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const existing = query[key];
    query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return new HttpRequest({
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    // The path stays percent-encoded as sent: SigV4 encodes it once more for the canonical request,
    // as AWS services other than S3 expect (a Bedrock model id's `:` is signed as `%253A`).
    path: request.path.split('?')[0] ?? '/',
    query,
    headers: { ...request.headers, host: url.host },
    body: request.body,
  });
};

/**
 * Signs each request with AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html):
 * `authorization`, `x-amz-date`, `x-amz-content-sha256` and, with temporary credentials,
 * `x-amz-security-token`. The signer is built once; it caches derived signing keys per day.
 */
export const sigV4Authentication = (options: SigV4Options): Authenticate => {
  const signer = new SignatureV4({
    service: options.service,
    region: options.region,
    sha256: Sha256,
    // A function, so the secret is revealed only when signing, not kept as a plain string in the signer.
    credentials: async () => ({
      accessKeyId: options.accessKeyId.reveal(),
      secretAccessKey: options.secretAccessKey.reveal(),
      ...(options.sessionToken === undefined ? {} : { sessionToken: options.sessionToken.reveal() }),
    }),
  });
  return async (request) => {
    const signed = await signer.sign(toSignableRequest(request));
    // Every signed header goes out exactly as signed, `host` included.
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
    return headers;
  };
};
