/** A signal of one's own that also follows a parent: the parent's abort propagates, ours stays local. */
export interface LinkedAbort {
  signal: AbortSignal;
  abort(reason: unknown): void;
  /** Stops following the parent; call it when the work is over, so long-lived parents do not collect listeners. */
  release(): void;
}

export const linkAbortSignal = (parent: AbortSignal): LinkedAbort => {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    release: () => parent.removeEventListener('abort', onAbort),
  };
};
