import type { GatewayResponse } from './gateway-response.ts';
import type { RequestContext } from './request-context.ts';

export type Next = () => Promise<GatewayResponse>;

/**
 * One layer of the request onion. A stage may act before calling `next` (reject, rewrite the
 * request), after it (inspect or wrap the response), or not call it at all (answer from a cache).
 */
export interface Stage {
  readonly name: string;
  run(context: RequestContext, next: Next): Promise<GatewayResponse>;
}
