import { isPriority, type Priority } from './request-priority.ts';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

export const priorityHeader = 'x-bulwark-priority';
export const queueTimeoutHeader = 'x-bulwark-queue-timeout-ms';

export interface QueueHints {
  priority: Priority;
  /** How long the call may wait for capacity, in ms. */
  queueTimeoutMs: number;
}

export interface QueueHintDefaults {
  /** The key's default priority, or the config's. */
  priority: Priority;
  timeoutMs: number;
  /** A caller may ask to wait less than the default, or more, but never longer than this. */
  maxTimeoutMs: number;
}

const single = (value: string | string[] | undefined): string | undefined => (typeof value === 'string' ? value.trim() : undefined);

/**
 * The caller's queueing hints from `x-bulwark-priority` (`high`, `normal`, `low`, any case) and
 * `x-bulwark-queue-timeout-ms` (a whole number of ms; 0 means "do not wait"). A malformed or repeated
 * header is ignored in favour of the default rather than refused: the hint is an optimisation, and a
 * typo should not cost the caller its request.
 */
export const readQueueHeaders = (headers: Headers, defaults: QueueHintDefaults): QueueHints => {
  const priorityValue = single(headers[priorityHeader])?.toLowerCase();
  const priority = priorityValue !== undefined && isPriority(priorityValue) ? priorityValue : defaults.priority;
  const timeoutValue = single(headers[queueTimeoutHeader]);
  const requested = timeoutValue !== undefined && /^\d{1,9}$/.test(timeoutValue) ? Number(timeoutValue) : defaults.timeoutMs;
  return { priority, queueTimeoutMs: Math.min(requested, defaults.maxTimeoutMs) };
};
