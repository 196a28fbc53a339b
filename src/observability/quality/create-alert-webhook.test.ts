import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { QualityAlert } from '../../stores/request-analytics/quality-alert.ts';
import { createAlertWebhook } from './create-alert-webhook.ts';

const alert: QualityAlert = {
  id: '7', route: 'gpt', raisedAt: 1_773_500_000_000, previousScore: 0.9, currentScore: 0.765, drop: 0.15,
  previousSamples: 120, currentSamples: 95, resolvedAt: null,
};

interface Received {
  method: string | undefined;
  path: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

/** A local webhook receiver answering each POST with the next status of `statuses` (the last one repeats); 0 hangs. */
let server: Server;
let base: string;
let statuses: number[] = [];
let received: Received[] = [];
const hanging = new Set<ServerResponse>();

before(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method, path: request.url, contentType: request.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const status = statuses[received.length - 1] ?? statuses.at(-1) ?? 204;
      if (status === 0) {
        hanging.add(response);
        return;
      }
      response.writeHead(status).end(status >= 400 ? 'nope' : '');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  for (const response of hanging) response.destroy();
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  statuses = [];
  received = [];
});

const recordingLogger = () => {
  const lines: Array<{ fields: Record<string, unknown>; message: string }> = [];
  return { lines, logger: { warn: (fields: Record<string, unknown>, message: string) => void lines.push({ fields, message }) } };
};

// The path stands for a chat webhook's token: it must never reach a log line.
const secretPath = '/services/T000/B000/s3cr3t-token';

describe('createAlertWebhook', () => {
  test('POSTs the alert as JSON and resolves true on a 2xx', async () => {
    statuses = [204];
    const { lines, logger } = recordingLogger();
    const send = createAlertWebhook({ url: `${base}${secretPath}`, timeoutMs: 5_000, logger });
    assert.equal(await send(alert), true);
    assert.deepEqual(received, [{ method: 'POST', path: secretPath, contentType: 'application/json', body: alert }]);
    assert.deepEqual(lines, []);
  });

  test('a failing receiver is tried again after a backoff, and a later success counts', async () => {
    statuses = [500, 503, 200];
    const waits: number[] = [];
    const { lines, logger } = recordingLogger();
    const send = createAlertWebhook({ url: `${base}${secretPath}`, timeoutMs: 5_000, logger, backoffMs: (failedTry) => (waits.push(failedTry), 0) });
    assert.equal(await send(alert), true);
    assert.equal(received.length, 3);
    assert.deepEqual(waits, [1, 2]);
    assert.deepEqual(lines.map((line) => [line.message, line.fields.attempt, line.fields.failure]), [
      ['quality alert webhook failed; will try again', 1, 'status 500'],
      ['quality alert webhook failed; will try again', 2, 'status 503'],
    ]);
  });

  test('after three failed tries it gives up: resolves false, never throws, logs without the URL', async () => {
    statuses = [500];
    const { lines, logger } = recordingLogger();
    const send = createAlertWebhook({ url: `${base}${secretPath}`, timeoutMs: 5_000, logger, backoffMs: () => 0 });
    assert.equal(await send(alert), false);
    assert.equal(received.length, 3);
    assert.equal(lines.at(-1)?.message, 'quality alert webhook given up');
    assert.deepEqual(lines.at(-1)?.fields, { alertId: '7', route: 'gpt', attempt: 3, tries: 3, failure: 'status 500' });
    assert.doesNotMatch(JSON.stringify(lines), /s3cr3t|127\.0\.0\.1/);
  });

  test('an unreachable receiver is a failure like any other', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const { lines, logger } = recordingLogger();
    const send = createAlertWebhook({ url: `http://127.0.0.1:${port}${secretPath}`, timeoutMs: 5_000, logger, backoffMs: () => 0 });
    assert.equal(await send(alert), false);
    assert.equal(lines.length, 3);
    assert.equal(lines.at(-1)?.fields.failure, 'ECONNREFUSED');
    assert.doesNotMatch(JSON.stringify(lines), /s3cr3t/);
  });

  test('a receiver that never answers is given up after the try timeout', async () => {
    statuses = [0];
    const { lines, logger } = recordingLogger();
    const send = createAlertWebhook({ url: `${base}/hang`, timeoutMs: 50, logger, tries: 1 });
    assert.equal(await send(alert), false);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.message, 'quality alert webhook given up');
    assert.match(String(lines[0]?.fields.failure), /Timeout|Abort/);
  });

  test('once the signal aborts (the detector stopped), no further try is made', async () => {
    statuses = [500];
    const controller = new AbortController();
    const { lines, logger } = recordingLogger();
    const send = createAlertWebhook({
      url: `${base}/stopping`, timeoutMs: 5_000, logger, signal: controller.signal,
      backoffMs: () => {
        controller.abort();
        return 60_000;
      },
    });
    assert.equal(await send(alert), false);
    assert.equal(received.length, 1);
    assert.equal(lines.at(-1)?.message, 'quality alert webhook given up');
  });
});
