import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../core/secret.ts';
import { GatewayError } from '../core/errors/index.ts';
import type { ChatRequest, StreamEvent } from '../core/model/index.ts';
import type { EmbeddingWireFormat } from '../formats/wire-format.ts';
import { defineHttpProvider, type HttpProviderDescription } from './define-http-provider.ts';
import { headerAuthentication, missingCredential } from './http-authentication.ts';
import type { ModelCall, Provider } from './provider.ts';
import { expectGatewayError } from './testing/expect-gateway-error.ts';
import { eventLines, fakeWireFormat } from './testing/fake-wire-format.ts';
import { replyJson, startRecordingServer, type RecordingServer } from './testing/start-recording-server.ts';
import { userAgent } from './user-agent.ts';

const apiKey = 'sk-test-4f9a1c2b7e6d5a3f';

const request: ChatRequest = {
  model: 'alias',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
  sampling: {},
  stream: false,
};

const call = (overrides: Partial<ModelCall> = {}): ModelCall => ({
  request,
  model: 'upstream-model',
  signal: new AbortController().signal,
  requestId: 'request-1',
  ...overrides,
});

const start: StreamEvent = { type: 'stream-start', id: 'stream-1', model: 'upstream-model', created: 1 };
const text = (value: string): StreamEvent => ({ type: 'text-delta', text: value });
const finish: StreamEvent = { type: 'finish', finishReason: 'stop' };
const usage: StreamEvent = { type: 'usage', usage: { inputTokens: 3, outputTokens: 2 } };

const collect = async (events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> => {
  const result: StreamEvent[] = [];
  for await (const event of events) result.push(event);
  return result;
};

const rejection = (promise: Promise<unknown>): Promise<GatewayError> => expectGatewayError(promise, [apiKey]);

/** Starts a streamed response that stays open until the test ends it. */
const openStream = (response: ServerResponse, body: string): void => {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.write(body);
};

describe('defineHttpProvider', { timeout: 20_000 }, () => {
  let server: RecordingServer;
  let provider: Provider;

  const build = (overrides: Partial<HttpProviderDescription> = {}): Provider =>
    defineHttpProvider({
      name: 'fake',
      type: 'openai',
      format: fakeWireFormat,
      origin: server.origin,
      endpoints: { chat: (model) => `/v1/${model}/chat`, stream: (model) => `/v1/${model}/stream?alt=sse` },
      authenticate: headerAuthentication('Authorization', new Secret(apiKey), 'Bearer '),
      headers: { 'X-Static': 'static-value' },
      prepareStreamBody: (body) => ({ ...body, streamed: true }),
      connections: 4,
      secrets: [new Secret(apiKey)],
      ...overrides,
    });

  before(async () => {
    server = await startRecordingServer();
    provider = build();
  });
  after(async () => {
    // The server first: it cuts any request a failing test left open, which provider.close() would await.
    await server.close();
    await provider.close();
  });

  describe('complete', () => {
    it('posts the encoded request with the provider, caller and authentication headers', async () => {
      server.handle((_request, response) => replyJson(response, 200, { text: 'Hi', model: 'upstream-model-2024' }));
      const result = await provider.complete(call({ headers: { traceparent: '00-abc-def-01' } }));
      const recorded = await server.nextRequest();
      assert.equal(recorded.method, 'POST');
      assert.equal(recorded.url, '/v1/upstream-model/chat');
      assert.equal(recorded.headers['authorization'], `Bearer ${apiKey}`);
      assert.equal(recorded.headers['user-agent'], userAgent);
      assert.match(userAgent, /^bulwark\/\d+\.\d+\.\d+/);
      assert.equal(recorded.headers['content-type'], 'application/json');
      assert.equal(recorded.headers['accept'], 'application/json');
      assert.equal(recorded.headers['x-static'], 'static-value');
      assert.equal(recorded.headers['traceparent'], '00-abc-def-01');
      assert.deepEqual(JSON.parse(recorded.body), { model: 'upstream-model', stream: false, messages: 1 });
      assert.equal(result.model, 'upstream-model-2024');
      assert.deepEqual(result.content, [{ type: 'text', text: 'Hi' }]);
    });

    it('forces a non-streamed body even when the caller asked to stream', async () => {
      server.handle((_request, response) => replyJson(response, 200, { text: 'Hi' }));
      await provider.complete(call({ request: { ...request, stream: true } }));
      assert.equal(JSON.parse((await server.nextRequest()).body).stream, false);
    });

    it('names the requested upstream model when the provider names none', async () => {
      server.handle((_request, response) => replyJson(response, 200, { text: 'Hi' }));
      const result = await provider.complete(call());
      await server.nextRequest();
      assert.equal(result.model, 'upstream-model');
    });

    it('does not let a caller header replace the credential', async () => {
      server.handle((_request, response) => replyJson(response, 200, { text: 'Hi' }));
      await provider.complete(call({ headers: { Authorization: 'Bearer caller-key' } }));
      assert.equal((await server.nextRequest()).headers['authorization'], `Bearer ${apiKey}`);
    });

    it('rejects a 200 whose body is not JSON as upstream_invalid_response', async () => {
      server.handle((_request, response) => replyJson(response, 200, '<html>gateway</html>'));
      const error = await rejection(provider.complete(call()));
      await server.nextRequest();
      assert.equal(error.code, 'upstream_invalid_response');
    });

    it('rejects a JSON body the codec does not accept as upstream_invalid_response', async () => {
      server.handle((_request, response) => replyJson(response, 200, { unexpected: true }));
      const error = await rejection(provider.complete(call()));
      await server.nextRequest();
      assert.equal(error.code, 'upstream_invalid_response');
    });
  });

  describe('upstream errors', () => {
    it('classifies a non-2xx answer with the codec, keeping Retry-After and the status', async () => {
      server.handle((_request, response) => replyJson(response, 429, { error: 'slow down' }, { 'retry-after': '7' }));
      const error = await rejection(provider.complete(call()));
      await server.nextRequest();
      assert.equal(error.code, 'upstream_rate_limited');
      assert.equal(error.upstreamStatus, 429);
      assert.equal(error.retryAfterSeconds, 7);
      assert.match(error.message, /slow down/);
    });

    it('classifies a 5xx with a non-JSON body', async () => {
      server.handle((_request, response) => {
        response.writeHead(502, { 'content-type': 'text/html' });
        response.end('<html>Bad Gateway</html>');
      });
      const error = await rejection(provider.complete(call()));
      await server.nextRequest();
      assert.equal(error.code, 'upstream_server_error');
    });

    it('reads at most 64 KiB of an error body', async () => {
      server.handle((_request, response) => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end('x'.repeat(1024 * 1024));
      });
      const error = await rejection(provider.complete(call()));
      await server.nextRequest();
      assert.equal(error.code, 'upstream_server_error');
      assert.ok(error.message.length <= 64 * 1024 + 'upstream said: '.length, `message of ${error.message.length} characters`);
    });

    it('removes the credential from an error body that echoes it', async () => {
      server.handle((recorded, response) =>
        replyJson(response, 401, { error: `Incorrect API key provided: ${String(recorded.headers['authorization'])}` }),
      );
      const error = await rejection(provider.complete(call()));
      await server.nextRequest();
      assert.equal(error.code, 'upstream_authentication_failed');
      assert.match(error.message, /\[redacted\]/);
    });
  });

  describe('transport failures', () => {
    it('maps a refused connection to upstream_connection_failed', async () => {
      const closedServer = await startRecordingServer();
      const origin = closedServer.origin;
      await closedServer.close();
      const refused = build({ origin });
      try {
        const error = await rejection(refused.complete(call()));
        assert.equal(error.code, 'upstream_connection_failed');
        assert.match(error.message, /"fake"/);
      } finally {
        await refused.close();
      }
    });

    it('maps a connection reset mid-body to upstream_connection_failed', async () => {
      server.handle((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        response.write('{"text": "par', () => response.socket?.destroy());
      });
      const error = await rejection(provider.complete(call()));
      await server.nextRequest();
      assert.equal(error.code, 'upstream_connection_failed');
    });

    it('maps a headers timeout to upstream_timeout', async () => {
      const impatient = build({ timeouts: { headersMs: 50 } });
      server.handle(() => {
        // Never answers; the connection closes when the test server does.
      });
      try {
        const error = await rejection(impatient.complete(call()));
        assert.equal(error.code, 'upstream_timeout');
        await (await server.nextRequest()).closed;
      } finally {
        await impatient.close();
      }
    });

    it('rethrows a GatewayError abort reason and cancels the upstream request', async () => {
      server.handle(() => {});
      const controller = new AbortController();
      const pending = provider.complete(call({ signal: controller.signal }));
      const recorded = await server.nextRequest();
      const reason = new GatewayError('upstream_timeout', 'Attempt timed out after 10 ms');
      controller.abort(reason);
      const error = await rejection(pending);
      assert.equal(error, reason);
      await recorded.closed;
    });

    it('maps any other abort to client_closed_request', async () => {
      server.handle(() => {});
      const controller = new AbortController();
      const pending = provider.complete(call({ signal: controller.signal }));
      const recorded = await server.nextRequest();
      controller.abort();
      const error = await rejection(pending);
      assert.equal(error.code, 'client_closed_request');
      await recorded.closed;
    });

    it('does not call upstream with a signal already aborted', async () => {
      const requestsBefore = server.requests.length;
      const error = await rejection(provider.complete(call({ signal: AbortSignal.abort() })));
      assert.equal(error.code, 'client_closed_request');
      assert.equal(server.requests.length, requestsBefore);
    });

    it('refuses a call without a credential before touching the network', async () => {
      const unconfigured = build({ authenticate: missingCredential('fake', 'apiKey') });
      const requestsBefore = server.requests.length;
      try {
        const error = await rejection(unconfigured.complete(call()));
        assert.equal(error.code, 'upstream_authentication_failed');
        assert.match(error.message, /providers\.fake\.apiKey/);
        const streamError = await rejection(unconfigured.stream(call()));
        assert.equal(streamError.code, 'upstream_authentication_failed');
        assert.equal(server.requests.length, requestsBefore);
      } finally {
        await unconfigured.close();
      }
    });
  });

  describe('stream', () => {
    it('posts the streamed body with what the provider adds, and ends after finish and trailing usage', async () => {
      server.handle((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        // After finish only usage counts: the stray delta is dropped.
        response.end(eventLines(start, text('Hel'), text('lo'), finish, text('stray'), usage));
      });
      const events = await collect(await provider.stream(call({ headers: { traceparent: '00-abc-def-01' } })));
      const recorded = await server.nextRequest();
      assert.equal(recorded.url, '/v1/upstream-model/stream?alt=sse');
      assert.equal(recorded.headers['accept'], 'text/event-stream');
      assert.equal(recorded.headers['traceparent'], '00-abc-def-01');
      assert.deepEqual(JSON.parse(recorded.body), { model: 'upstream-model', stream: true, messages: 1, streamed: true });
      assert.deepEqual(events, [start, text('Hel'), text('lo'), finish, usage]);
    });

    it('names the requested upstream model in stream-start when the provider names none', async () => {
      server.handle((_request, response) => {
        response.writeHead(200);
        response.end(eventLines({ ...start, model: '' }, text('Hi'), finish));
      });
      const events = await collect(await provider.stream(call()));
      await server.nextRequest();
      assert.deepEqual(events[0], start);
    });

    it('throws an HTTP error at the start', async () => {
      server.handle((_request, response) => replyJson(response, 503, { error: 'overloaded' }));
      const error = await rejection(provider.stream(call()));
      await server.nextRequest();
      assert.equal(error.code, 'upstream_overloaded');
    });

    it('throws an in-stream error that comes before any content, and closes the request', async () => {
      server.handle((_request, response) =>
        openStream(response, eventLines(start, usage, { type: 'error', code: 'upstream_overloaded', message: 'Overloaded' })),
      );
      const error = await rejection(provider.stream(call()));
      const recorded = await server.nextRequest();
      assert.equal(error.code, 'upstream_overloaded');
      assert.equal(error.message, 'Overloaded');
      await recorded.closed;
    });

    it('throws a stream that ends before any content as a failed connection, which may fall back', async () => {
      server.handle((_request, response) => {
        response.writeHead(200);
        response.end(eventLines(start));
      });
      const error = await rejection(provider.stream(call()));
      await server.nextRequest();
      assert.equal(error.code, 'upstream_connection_failed');
    });

    it('throws a malformed first chunk as upstream_invalid_response', async () => {
      server.handle((_request, response) => {
        response.writeHead(200);
        response.end('not json\n');
      });
      const error = await rejection(provider.stream(call()));
      await server.nextRequest();
      assert.equal(error.code, 'upstream_invalid_response');
    });

    it('resolves once content arrives, before the stream ends', async () => {
      let finishStream: (() => void) | undefined;
      server.handle((_request, response) => {
        openStream(response, eventLines(start, text('Hi')));
        finishStream = () => response.end(eventLines(finish));
      });
      const events = (await provider.stream(call()))[Symbol.asyncIterator]();
      await server.nextRequest();
      assert.deepEqual((await events.next()).value, start);
      assert.deepEqual((await events.next()).value, text('Hi'));
      assert.ok(finishStream !== undefined);
      finishStream();
      assert.deepEqual((await events.next()).value, finish);
      assert.equal((await events.next()).done, true);
    });

    it('delivers an in-stream error after content as the last event', async () => {
      server.handle((_request, response) =>
        openStream(response, eventLines(start, text('Hi'), { type: 'error', code: 'upstream_overloaded', message: 'Overloaded' })),
      );
      const events = await collect(await provider.stream(call()));
      const recorded = await server.nextRequest();
      assert.deepEqual(events, [start, text('Hi'), { type: 'error', code: 'upstream_overloaded', message: 'Overloaded' }]);
      await recorded.closed;
    });

    it("ends a body cut off after content with the decoder's interrupted error", async () => {
      server.handle((_request, response) => {
        response.writeHead(200);
        response.end(eventLines(start, text('Hi')));
      });
      const events = await collect(await provider.stream(call()));
      await server.nextRequest();
      assert.equal(events.length, 3);
      assert.deepEqual(events.at(-1), { type: 'error', code: 'upstream_stream_interrupted', message: 'The stream ended early' });
    });

    it('reports a connection reset after content as upstream_stream_interrupted', async () => {
      let reset: (() => void) | undefined;
      server.handle((_request, response) => {
        openStream(response, eventLines(start, text('Hi')));
        reset = () => response.socket?.destroy();
      });
      const events = (await provider.stream(call()))[Symbol.asyncIterator]();
      await server.nextRequest();
      assert.deepEqual((await events.next()).value, start);
      assert.deepEqual((await events.next()).value, text('Hi'));
      assert.ok(reset !== undefined);
      reset();
      const last = (await events.next()).value;
      assert.equal(last?.type, 'error');
      assert.equal(last.type === 'error' ? last.code : undefined, 'upstream_stream_interrupted');
      assert.equal((await events.next()).done, true);
    });

    it('cancels the upstream request when the consumer breaks out', async () => {
      server.handle((_request, response) => openStream(response, eventLines(start, text('Hi'), text(' there'))));
      const stream = await provider.stream(call());
      const recorded = await server.nextRequest();
      for await (const event of stream) {
        if (event.type === 'text-delta') break;
      }
      await recorded.closed;
    });

    it('cancels the upstream request when the consumer returns without iterating', async () => {
      server.handle((_request, response) => openStream(response, eventLines(start, text('Hi'))));
      const stream = await provider.stream(call());
      const recorded = await server.nextRequest();
      await stream[Symbol.asyncIterator]().return?.();
      await recorded.closed;
    });

    it('ends with the abort reason as an error event and cancels the request when the signal aborts mid-stream', async () => {
      server.handle((_request, response) => openStream(response, eventLines(start, text('Hi'))));
      const controller = new AbortController();
      const events = (await provider.stream(call({ signal: controller.signal })))[Symbol.asyncIterator]();
      const recorded = await server.nextRequest();
      assert.deepEqual((await events.next()).value, start);
      assert.deepEqual((await events.next()).value, text('Hi'));
      controller.abort(new GatewayError('upstream_timeout', 'Attempt timed out'));
      assert.deepEqual((await events.next()).value, { type: 'error', code: 'upstream_timeout', message: 'Attempt timed out' });
      assert.equal((await events.next()).done, true);
      await recorded.closed;
    });

    it('throws the abort reason when the signal aborts before content', async () => {
      server.handle((_request, response) => openStream(response, eventLines(start)));
      const controller = new AbortController();
      const pending = provider.stream(call({ signal: controller.signal }));
      const recorded = await server.nextRequest();
      controller.abort();
      const error = await rejection(pending);
      assert.equal(error.code, 'client_closed_request');
      await recorded.closed;
    });
  });

  describe('embed', () => {
    const fakeEmbeddings: EmbeddingWireFormat = {
      decodeRequest: () => assert.fail('not used'),
      encodeRequest: (embeddingRequest, context) => ({ model: context.model, input: embeddingRequest.input }),
      decodeResult: (body) => ({ model: '', embeddings: (body as { vectors: number[][] }).vectors, usage: { inputTokens: 2 } }),
      encodeResult: () => assert.fail('not used'),
    };
    const embeddingCall = {
      request: { model: 'alias', input: ['a', 'b'], encodingFormat: 'float' as const },
      model: 'embedder',
      signal: new AbortController().signal,
      requestId: 'request-2',
    };

    it('posts the encoded embeddings request and names the upstream model', async () => {
      const embedder = build({ embeddings: { format: fakeEmbeddings, path: (model) => `/v1/${model}/embed` } });
      server.handle((_request, response) => replyJson(response, 200, { vectors: [[1], [2]] }));
      try {
        const result = await embedder.embed(embeddingCall);
        const recorded = await server.nextRequest();
        assert.equal(recorded.url, '/v1/embedder/embed');
        assert.deepEqual(JSON.parse(recorded.body), { model: 'embedder', input: ['a', 'b'] });
        assert.deepEqual(result, { model: 'embedder', embeddings: [[1], [2]], usage: { inputTokens: 2 } });
      } finally {
        await embedder.close();
      }
    });

    it('throws unsupported_capability where the provider has no embeddings API', async () => {
      const error = await rejection(provider.embed(embeddingCall));
      assert.equal(error.code, 'unsupported_capability');
    });
  });
});
