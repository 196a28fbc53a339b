import type { AttemptFailure } from '../core/errors/index.ts';
import type { QualitySignals } from '../core/pipeline/request-context.ts';

/**
 * A virtual key: what a caller presents instead of a provider credential. Only a hash of its secret is
 * stored; the secret itself is shown once, at creation.
 */
export interface VirtualKey {
  /** Public identifier, safe to log (`vk_...`). */
  id: string;
  name: string;
  /** The first characters of the secret, to recognise it in a list (`bk_3fa9...`). */
  prefix: string;
  /** Model aliases the key may call; `*` allows every model. */
  models: string[];
  /** Team or owner, for cost attribution. */
  team?: string;
  /** The key's own limits; fields left out fall back to the config's `keys.defaultLimits`. */
  limits?: KeyLimitValues;
  /** Queue priority of the key's requests when they name none. */
  priority?: KeyPriority;
  createdAt: number;
  /** Epoch ms after which the key stops working. */
  expiresAt?: number;
  revokedAt?: number;
}

export interface KeyLimitValues {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  maxConcurrent?: number;
}

export type KeyPriority = 'high' | 'normal' | 'low';

export interface CreateKeyInput {
  name: string;
  models: string[];
  team?: string;
  expiresAt?: number;
  limits?: KeyLimitValues;
  priority?: KeyPriority;
}

export interface ApiKeyStore {
  /** Creates a key and returns its secret, which is not stored and cannot be recovered. */
  create(input: CreateKeyInput): Promise<{ key: VirtualKey; secret: string }>;
  /** The key whose secret this is, revoked and expired ones included (the caller decides). */
  findBySecret(secret: string): Promise<VirtualKey | undefined>;
  get(id: string): Promise<VirtualKey | undefined>;
  list(): Promise<VirtualKey[]>;
  /** Marks the key revoked; false when no such key exists. Revoking twice keeps the first time. */
  revoke(id: string): Promise<boolean>;
}

/** One call through the gateway, as the request log keeps it. */
export interface RequestRecord {
  requestId: string;
  /** Epoch ms when the request arrived. */
  startedAt: number;
  /** `/v1/chat/completions`, `/v1/messages`, `/v1/embeddings`. */
  endpoint: string;
  clientFormat: string;
  keyId?: string;
  endUser?: string;
  /** The model (alias) the caller asked for. */
  modelRequested: string;
  /** Provider and upstream model of the attempt that answered (or the last one tried). */
  provider?: string;
  upstreamModel?: string;
  stream: boolean;
  /** HTTP status sent to the caller; for a stream that failed after its first byte, the error's status. */
  status: number;
  errorCode?: string;
  finishReason?: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  reasoningTokens: number;
  costUsd: number;
  latencyMs: number;
  /** Time to first token, streamed calls only. */
  timeToFirstTokenMs?: number;
  attempts: number;
  /** Every failed attempt, in order. */
  attemptFailures?: AttemptFailure[];
  /**
   * The automatic quality score, 0 (worst) to 1 (best), from `scoreRequestQuality`
   * (src/observability/quality/, docs/quality.md); absent when the request says nothing about the
   * quality of an answer (refused, rate limited, failed upstream).
   */
  qualityScore?: number;
  /** What the stages observed about the answer (validation verdict, flags) that the score was computed from. */
  qualitySignals?: QualitySignals;
  /** Only when `requestLog.storeBodies` is on. */
  requestBody?: string;
  responseBody?: string;
}

export interface RequestLogQuery {
  since?: number;
  until?: number;
  keyId?: string;
  model?: string;
  limit?: number;
}

/**
 * Durable storage for request records. `append` is atomic per batch: every record of the batch is
 * stored, or none is and it throws.
 */
export interface RequestLogStore {
  append(records: RequestRecord[]): Promise<void>;
  /** Newest first. */
  query(query: RequestLogQuery): Promise<RequestRecord[]>;
  close(): Promise<void>;
}
