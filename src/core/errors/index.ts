export { errorCatalog, isErrorCode, type ErrorCode, type ErrorSpec } from './error-catalog.ts';
export { GatewayError, isGatewayError, toGatewayError, type AttemptFailure, type GatewayErrorOptions } from './gateway-error.ts';
