import { GatewayError } from '../../core/errors/index.ts';

/** An `invalid_request` naming the offending field of the caller's Gemini body. */
export const invalidRequest = (param: string, message: string): GatewayError =>
  new GatewayError('invalid_request', `${param}: ${message}`, { param });
