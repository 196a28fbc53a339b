/** The simulated account's limits per minute. */
export interface RateLimitSettings {
  requestsPerMinute: number;
  tokensPerMinute: number;
  /** When true, requests over the limit are refused with the provider's 429; otherwise only reported. */
  enforce: boolean;
}

export const defaultRateLimits: RateLimitSettings = { requestsPerMinute: 10_000, tokensPerMinute: 10_000_000, enforce: false };

/** Where an account stands in the current minute. */
export interface RateLimitSnapshot {
  requestsLimit: number;
  requestsRemaining: number;
  tokensLimit: number;
  tokensRemaining: number;
  /** Unix milliseconds at which the window resets. */
  resetAt: number;
  /** Milliseconds until then. */
  resetInMs: number;
}

interface Window {
  start: number;
  requests: number;
  tokens: number;
}

const windowLength = 60_000;

/**
 * Fixed one-minute windows per key (a provider family and model, as providers limit per model), so
 * the remaining counts in rate-limit headers go down request by request and reset each minute.
 */
export class RateLimitWindows {
  readonly #windows = new Map<string, Window>();
  readonly #settings: RateLimitSettings;
  readonly #now: () => number;

  constructor(settings: RateLimitSettings, now: () => number = Date.now) {
    this.#settings = settings;
    this.#now = now;
  }

  get enforced(): boolean {
    return this.#settings.enforce;
  }

  /** True when `key` has no request left in this window (the request is not counted). */
  isExhausted(key: string): boolean {
    const snapshot = this.peek(key);
    return snapshot.requestsRemaining <= 0 || snapshot.tokensRemaining <= 0;
  }

  /** Counts one request and its tokens against `key`, and returns the state after it. */
  record(key: string, tokens: number): RateLimitSnapshot {
    const window = this.#current(key);
    window.requests += 1;
    window.tokens += tokens;
    return this.#snapshot(window);
  }

  peek(key: string): RateLimitSnapshot {
    return this.#snapshot(this.#current(key));
  }

  #current(key: string): Window {
    const start = Math.floor(this.#now() / windowLength) * windowLength;
    let window = this.#windows.get(key);
    if (window === undefined || window.start !== start) {
      window = { start, requests: 0, tokens: 0 };
      this.#windows.set(key, window);
    }
    return window;
  }

  #snapshot(window: Window): RateLimitSnapshot {
    const resetAt = window.start + windowLength;
    return {
      requestsLimit: this.#settings.requestsPerMinute,
      requestsRemaining: Math.max(0, this.#settings.requestsPerMinute - window.requests),
      tokensLimit: this.#settings.tokensPerMinute,
      tokensRemaining: Math.max(0, this.#settings.tokensPerMinute - window.tokens),
      resetAt,
      resetInMs: Math.max(0, resetAt - this.#now()),
    };
  }
}
