import type { z } from 'zod';
import { GatewayError } from '../../core/errors/index.ts';

/** Renders a zod issue path as the caller would write it: `messages[2].content`. */
export const formatIssuePath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`), '');

/**
 * Validates a caller's request body against a zod schema. The first issue becomes an
 * `invalid_request` error naming the offending field, so the caller learns exactly what to fix.
 */
export const parseRequestBody = <Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> => {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue === undefined ? '' : formatIssuePath(issue.path);
  const message = issue === undefined ? 'Invalid request body' : param === '' ? issue.message : `${param}: ${issue.message}`;
  throw new GatewayError('invalid_request', message, param === '' ? {} : { param });
};

/**
 * Validates a provider's answer. A mismatch means the provider broke its own contract (or we are not
 * talking to the provider we think), so it is `upstream_invalid_response`, which may fall back.
 */
export const parseUpstreamBody = <Schema extends z.ZodType>(schema: Schema, body: unknown, what: string): z.output<Schema> => {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue === undefined ? '' : ` at ${formatIssuePath(issue.path) || 'the top level'}: ${issue.message}`;
  throw new GatewayError('upstream_invalid_response', `The provider sent a malformed ${what}${where}`);
};
