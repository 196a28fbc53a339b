import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { providerError, type ProviderErrorKind } from './provider-error.ts';
import type { ProviderFamily } from './provider-family.ts';

export const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Sends a whole body with its length, so keep-alive connections can be reused. */
export const sendBody = (response: ServerResponse, status: number, body: string, headers: Record<string, string>): void => {
  if (response.destroyed || response.headersSent) return;
  response.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  response.end(body);
};

export const sendJson = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void =>
  sendBody(response, status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });

/** Sends an error the way `family` does (status, body, headers), plus `extraHeaders`. */
export const sendProviderError = (
  response: ServerResponse,
  family: ProviderFamily,
  kind: ProviderErrorKind,
  message: string,
  extraHeaders: Record<string, string> = {},
  retryAfterSeconds?: number,
): void => {
  const error = providerError(family, kind, message, retryAfterSeconds);
  sendBody(response, error.status, error.body, { ...extraHeaders, ...error.headers });
};
