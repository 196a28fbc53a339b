import type { z } from 'zod';
import { GatewayError } from '../../core/errors/index.ts';
import { formatIssuePath } from '../shared/parse-with-schema.ts';

type Issue = z.core.$ZodIssue;

const depthOf = (branch: Issue[]): number => Math.max(-1, ...branch.map((issue) => issue.path.length));

/**
 * The issue the caller most likely needs to fix. zod reports a failed union (`content` is a string
 * or an array of parts) as one vague "Invalid input" at the union; when one branch got further than
 * the others (the caller clearly sent an array, and its third part is wrong), that branch's issue is
 * the useful one, with its path joined onto the union's.
 */
const closestIssue = (issue: Issue): Issue => {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue;
  const depths = issue.errors.map(depthOf);
  const deepest = Math.max(...depths);
  if (deepest <= 0 || depths.filter((depth) => depth === deepest).length > 1) return issue;
  const branch = issue.errors[depths.indexOf(deepest)] ?? [];
  const inner = branch.find((candidate) => candidate.path.length === deepest);
  if (inner === undefined) return issue;
  const resolved = closestIssue(inner);
  return { ...resolved, path: [...issue.path, ...resolved.path] };
};

/**
 * Validates a caller's request body like `parseRequestBody`, but names the innermost field at fault
 * inside unions, so `messages[1].content[0].text` is reported instead of `messages[1].content`.
 */
export const parseWithClosestIssue = <Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> => {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  if (first === undefined) throw new GatewayError('invalid_request', 'Invalid request body');
  const issue = closestIssue(first);
  const param = formatIssuePath(issue.path);
  const message = param === '' ? issue.message : `${param}: ${issue.message}`;
  throw new GatewayError('invalid_request', message, param === '' ? {} : { param });
};
