import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestContext } from './request-context.ts';
import type { GatewayResponse } from './gateway-response.ts';
import { composeStages } from './compose-stages.ts';
import type { Stage } from './stage.ts';

const result: GatewayResponse = {
  type: 'result',
  result: { id: 'r', model: 'm', created: 0, content: [], finishReason: 'stop', usage: { inputTokens: 0, outputTokens: 0 } },
};
const context = {} as RequestContext;

test('runs stages outermost first, then the terminal, and unwinds in reverse', async () => {
  const order: string[] = [];
  const stage = (name: string): Stage => ({
    name,
    async run(_context, next) {
      order.push(`${name}:in`);
      const response = await next();
      order.push(`${name}:out`);
      return response;
    },
  });
  const handle = composeStages([stage('a'), stage('b')], async () => {
    order.push('terminal');
    return result;
  });
  assert.equal(await handle(context), result);
  assert.deepEqual(order, ['a:in', 'b:in', 'terminal', 'b:out', 'a:out']);
});

test('a stage can answer without calling next', async () => {
  let terminalRan = false;
  const shortCircuit: Stage = { name: 'cache', run: async () => result };
  const handle = composeStages([shortCircuit], async () => {
    terminalRan = true;
    return result;
  });
  await handle(context);
  assert.equal(terminalRan, false);
});

test('calling next twice rejects', async () => {
  const twice: Stage = {
    name: 'twice',
    async run(_context, next) {
      await next();
      return next();
    },
  };
  await assert.rejects(composeStages([twice], async () => result)(context), /called next\(\) twice/);
});
