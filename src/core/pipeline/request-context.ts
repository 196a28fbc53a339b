import type { AttemptFailure } from '../errors/index.ts';
import type { ChatRequest, Price } from '../model/index.ts';

/** Who is calling: the virtual key that authenticated the request. */
export interface Principal {
  keyId: string;
  keyName: string;
  /** Model aliases the key may use; `*` for all. */
  models: readonly string[];
  team?: string;
  /** The key's own limits, over the config's defaults (see stages/admission). */
  limits?: { requestsPerMinute?: number; tokensPerMinute?: number; maxConcurrent?: number };
  /** The key's default priority class when the request names none. */
  priority?: 'high' | 'normal' | 'low';
}

/** The deployment that served (or last tried to serve) the request. */
export interface ServedBy {
  provider: string;
  model: string;
  /** Undefined when neither the config nor the price catalog knows the model. */
  price: Price | undefined;
}

/**
 * Per-request state shared by the stages. Stages read what earlier stages set and may replace
 * `request` (a guard that redacts, a router that rewrites the model); the fields below say who sets them.
 */
export interface RequestContext {
  readonly requestId: string;
  /** Epoch ms at arrival (for the log) and a monotonic start (for latency). */
  readonly startedAt: number;
  readonly startedAtMonotonic: number;
  /** `/v1/chat/completions` or `/v1/messages`. */
  readonly endpoint: string;
  /** The wire format the caller speaks, for errors and encoding. */
  readonly clientFormat: string;
  /** Aborted when the caller disconnects. */
  readonly signal: AbortSignal;
  /** The caller's headers, lower-cased. Never logged whole: they carry credentials. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  request: ChatRequest;
  /** Set by the auth stage. */
  principal?: Principal;
  /** From the body's `user` or the end-user header; set at the edge. */
  endUser?: string;
  /** Set by dispatch, one entry per failed attempt. */
  readonly attemptFailures: AttemptFailure[];
  /** Attempts made so far, failed or not; set by dispatch. */
  attempts: number;
  /** Set by dispatch when a target answers. */
  servedBy?: ServedBy;
  /** Set by the degradation stage when it answered with its fallback message instead of an error. */
  degraded?: { reason: string };
  /**
   * What stages observed about the answer's quality, for the request log's quality score
   * (docs/quality.md). Output validation sets `validation`; guards add flags (create the object and
   * the list when absent: `((context.quality ??= {}).flags ??= []).push('injection-suspected')`).
   */
  quality?: QualitySignals;
}

/**
 * Per-request quality signals. Every field is optional: absent means "not observed" (validation off
 * for the route, no guard ran), not "fine".
 */
export interface QualitySignals {
  /**
   * Output validation's verdict on the request, when the route validates outputs: `passed` (the first
   * answer was valid), `reasked` (an answer was invalid and a later one, re-asked or from a fallback
   * target, was valid), `failed` (no valid answer: the re-asks were spent, or a streamed answer failed
   * at its end, after it reached the caller).
   */
  validation?: 'passed' | 'reasked' | 'failed';
  /**
   * Named concerns about the answer, each lowering its score: `degraded` (the fallback message answered
   * instead of a model), and whatever guards raise (`injection-suspected`, ...). Lower-case, dash-separated.
   */
  flags?: string[];
}
