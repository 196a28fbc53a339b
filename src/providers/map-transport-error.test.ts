import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errors } from 'undici';
import { GatewayError } from '../core/errors/index.ts';
import { mapTransportError } from './map-transport-error.ts';

const live = new AbortController().signal;

describe('mapTransportError', () => {
  it('maps header and body timeouts to upstream_timeout', () => {
    assert.equal(mapTransportError(new errors.HeadersTimeoutError(), live, 'p').code, 'upstream_timeout');
    assert.equal(mapTransportError(new errors.BodyTimeoutError(), live, 'p').code, 'upstream_timeout');
  });

  it('maps refused, reset and socket errors to upstream_connection_failed, naming the provider and the code', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const error = mapTransportError(refused, live, 'openai');
    assert.equal(error.code, 'upstream_connection_failed');
    assert.equal(error.message, 'The connection to provider "openai" failed (ECONNREFUSED)');
    assert.equal(error.cause, refused);
    assert.equal(mapTransportError(new errors.SocketError('other side closed'), live, 'p').code, 'upstream_connection_failed');
    assert.equal(mapTransportError(new errors.ConnectTimeoutError(), live, 'p').code, 'upstream_connection_failed');
  });

  it('maps something that is not an error at all to upstream_connection_failed', () => {
    assert.equal(mapTransportError('boom', live, 'p').code, 'upstream_connection_failed');
    assert.equal(mapTransportError(undefined, live, 'p').code, 'upstream_connection_failed');
  });

  it('keeps a GatewayError as it is', () => {
    const error = new GatewayError('upstream_authentication_failed', 'no key');
    assert.equal(mapTransportError(error, live, 'p'), error);
  });

  it('prefers the abort reason of an aborted signal over what the transport saw', () => {
    const reason = new GatewayError('upstream_timeout', 'Attempt timed out');
    assert.equal(mapTransportError(new errors.RequestAbortedError(), AbortSignal.abort(reason), 'p'), reason);
    assert.equal(mapTransportError(new errors.SocketError('closed'), AbortSignal.abort(), 'p').code, 'client_closed_request');
  });
});
