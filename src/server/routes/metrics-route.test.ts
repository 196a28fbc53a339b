import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { Secret } from '../../core/secret.ts';
import type { Gateway } from '../../gateway/create-gateway.ts';
import { isLoopback, registerMetricsRoute } from './metrics-route.ts';

const appWith = (token: string | undefined) => {
  const app = Fastify();
  // The route reads only `config().metrics.token` of the gateway.
  const gateway = { config: () => ({ metrics: { token: token === undefined ? undefined : new Secret(token) } }) } as unknown as Gateway;
  registerMetricsRoute(app, gateway, { contentType: 'text/plain; version=0.0.4; charset=utf-8', render: async () => 'bulwark_up 1\n' });
  return app;
};

test('without a token, loopback callers are served and every other caller gets 403', async () => {
  const app = appWith(undefined);
  for (const remoteAddress of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
    const response = await app.inject({ method: 'GET', url: '/metrics', remoteAddress });
    assert.equal(response.statusCode, 200, remoteAddress);
    assert.equal(response.body, 'bulwark_up 1\n');
  }
  for (const remoteAddress of ['10.0.0.5', '192.168.1.2', '::ffff:10.0.0.1', '2001:db8::1']) {
    const response = await app.inject({ method: 'GET', url: '/metrics', remoteAddress });
    assert.equal(response.statusCode, 403, remoteAddress);
    assert.doesNotMatch(response.body, /bulwark_up/);
  }
});

test('with a token, the network address does not matter, the token does', async () => {
  const app = appWith('s3cret');
  const remote = { method: 'GET', url: '/metrics', remoteAddress: '10.0.0.5' } as const;
  assert.equal((await app.inject({ ...remote, headers: { authorization: 'Bearer s3cret' } })).statusCode, 200);
  assert.equal((await app.inject({ ...remote, remoteAddress: '127.0.0.1' })).statusCode, 401);
  assert.equal((await app.inject({ ...remote, headers: { authorization: 'Bearer s3cret2' } })).statusCode, 401);
  assert.equal((await app.inject({ ...remote, headers: { authorization: 'Bearer' } })).statusCode, 401);
  const refused = await app.inject({ ...remote, headers: { authorization: 'Bearer nope' } });
  assert.doesNotMatch(refused.body, /s3cret/);
});

test('isLoopback rejects what is not an address', () => {
  for (const value of [undefined, '', 'localhost', '127.0.0.1.evil', '::ffff:', '1.2.3.4']) assert.equal(isLoopback(value), false, String(value));
});
