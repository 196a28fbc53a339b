import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { isGatewayError, type GatewayError } from '../../core/errors/index.ts';

/**
 * Awaits a rejection, checks it is a GatewayError, and checks that none of `secrets` appears in its
 * message, its JSON or its inspected form (which shows `cause`): credentials must never leak.
 */
export const expectGatewayError = async (promise: Promise<unknown>, secrets: ReadonlyArray<string> = []): Promise<GatewayError> => {
  try {
    await promise;
  } catch (error) {
    assert.ok(isGatewayError(error), `expected a GatewayError, got ${inspect(error)}`);
    const renderings = [error.message, JSON.stringify(error), inspect(error, { depth: 8 })];
    for (const secret of secrets) {
      for (const rendering of renderings) assert.ok(!rendering.includes(secret), `a credential leaked into ${rendering}`);
    }
    return error;
  }
  assert.fail('expected a rejection');
};
