import { errorCatalog, type ErrorCode, type ErrorSpec } from './error-catalog.ts';

/** One failed try at one target, kept so that `all_targets_failed` can say what happened. */
export interface AttemptFailure {
  provider: string;
  model: string;
  code: ErrorCode;
  message: string;
  upstreamStatus?: number;
}

export interface GatewayErrorOptions {
  /** The provider's HTTP status, when the error came from upstream. */
  upstreamStatus?: number;
  /** Seconds the caller should wait before retrying (sent as `Retry-After`). */
  retryAfterSeconds?: number;
  /** The request field at fault, for `invalid_request` (e.g. `messages[2].content`). */
  param?: string;
  attempts?: AttemptFailure[];
  cause?: unknown;
}

const gatewayErrorBrand = Symbol.for('bulwark.GatewayError');

/**
 * The only error type that crosses Bulwark's layers. Its `code` comes from the closed catalog; its
 * message is safe to show the caller: it never holds credentials or request bodies.
 */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly upstreamStatus: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly param: string | undefined;
  readonly attempts: AttemptFailure[];
  readonly [gatewayErrorBrand] = true;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.upstreamStatus = options.upstreamStatus;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.param = options.param;
    this.attempts = options.attempts ?? [];
  }

  get spec(): ErrorSpec {
    return errorCatalog[this.code];
  }

  get status(): number {
    return this.spec.status;
  }
}

export const isGatewayError = (value: unknown): value is GatewayError =>
  typeof value === 'object' && value !== null && gatewayErrorBrand in value;

/** Wraps anything thrown into a GatewayError, keeping GatewayErrors as they are. */
export const toGatewayError = (error: unknown): GatewayError => {
  if (isGatewayError(error)) return error;
  return new GatewayError('internal_error', 'Internal error', { cause: error });
};
