import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { checkRecordedMetrics, requestsSentTo, sumSamples } from './metrics-check.ts';
import type { PhaseResult, TargetPhaseResult } from './phase.ts';
import type { TargetName } from './targets.ts';

/** What prom-client renders, with a label value holding a quote, a brace and a space. */
const exposition = [
  '# HELP bulwark_requests_total Requests finished.',
  '# TYPE bulwark_requests_total counter',
  'bulwark_requests_total{endpoint="/v1/chat/completions",model="gpt-4o-mini",status="200"} 1875',
  'bulwark_requests_total{endpoint="/v1/chat/completions",model="a\\"}b c",status="502"} 4',
  'bulwark_requests_total_created{status="200"} 1700000000',
  'bulwark_requests_totally 99',
  'bulwark_request_duration_seconds_count{model="gpt-4o-mini"} 1879',
  '',
].join('\n');

test('sumSamples adds every series of the counter and nothing else', () => {
  assert.equal(sumSamples(exposition, 'bulwark_requests_total'), 1879);
  assert.equal(sumSamples('bulwark_requests_total 7 1700000000000\n', 'bulwark_requests_total'), 7, 'a timestamp after the value is ignored');
  assert.equal(sumSamples('# HELP bulwark_requests_total x\n# TYPE bulwark_requests_total counter\n', 'bulwark_requests_total'), undefined);
  assert.equal(sumSamples('', 'bulwark_requests_total'), undefined);
});

test('sumSamples refuses a sample of the counter it cannot read', () => {
  assert.throws(() => sumSamples('bulwark_requests_total{status="200"} many', 'bulwark_requests_total'), /no numeric value/);
  assert.throws(() => sumSamples('bulwark_requests_total{status="200"}', 'bulwark_requests_total'), /no numeric value/);
  assert.throws(() => sumSamples('bulwark_requests_total{status="200"} NaN', 'bulwark_requests_total'), /no numeric value/);
  assert.throws(() => sumSamples('bulwark_requests_total{status="2}00 5', 'bulwark_requests_total'), /unterminated label set/);
});

const targetResult = (name: TargetName, attempted: number): TargetPhaseResult => ({
  target: name, rounds: [], p50: 0, p99: 0, firstByteP50: 0, firstByteP99: 0, throughput: 0, attempted, succeeded: attempted, errors: {}, cpuMsPerRequest: undefined, rssBytes: undefined,
});
const phaseOf = (...targets: TargetPhaseResult[]): PhaseResult => ({ mode: 'json', concurrency: 1, targets, simulatorCpuMsPerRequest: 0, loadGeneratorCpuMsPerRequest: 0 });

test('requests sent to a target are its priming plus every phase, warm-up included', () => {
  const phases = [phaseOf(targetResult('direct', 500), targetResult('bulwark', 420)), phaseOf(targetResult('bulwark', 430), targetResult('bulwark-no-metrics', 999))];
  assert.equal(requestsSentTo('bulwark', { errors: {}, sent: { bulwark: 1000, direct: 1000 } }, phases), 1850);
  assert.equal(requestsSentTo('portkey', { errors: {}, sent: {} }, phases), 0);
});

/** A stand-in for a Bulwark's /metrics on 127.0.0.1 answering `status` with `body`. */
const serve = async (status: number, body: string): Promise<{ url: string; server: Server; scrapes: () => number }> => {
  let scrapes = 0;
  const server = createServer((request, response) => {
    if (request.url === '/metrics') scrapes += 1;
    response.writeHead(request.url === '/metrics' ? status : 404, { 'content-type': 'text/plain' }).end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, scrapes: () => scrapes };
};

const withServers = async (on: [number, string], off: [number, string], check: (urls: { on: string; off: string; scrapes: () => number }) => Promise<void>): Promise<void> => {
  const metricsOn = await serve(...on);
  const metricsOff = await serve(...off);
  try {
    await check({ on: metricsOn.url, off: metricsOff.url, scrapes: () => metricsOn.scrapes() + metricsOff.scrapes() });
  } finally {
    metricsOn.server.close();
    metricsOff.server.close();
  }
};

test('the check passes when the counter equals the requests sent and the metrics-off Bulwark has no /metrics', async () => {
  await withServers([200, exposition], [404, 'Not Found'], async (urls) => {
    const check = await checkRecordedMetrics({ metricsOnUrl: urls.on, metricsOffUrl: urls.off, sent: 1879, workers: 1 });
    assert.deepEqual(check, { outcome: 'passed', sent: 1879, counted: 1879, metricsOffStatus: 404 });
    assert.equal(urls.scrapes(), 2, 'one scrape each');
  });
});

test('the check fails on a count that differs, a metrics-off Bulwark that serves metrics, or an unreadable scrape', async () => {
  await withServers([200, exposition], [404, ''], async (urls) => {
    const check = await checkRecordedMetrics({ metricsOnUrl: urls.on, metricsOffUrl: urls.off, sent: 1880, workers: 1 });
    assert.deepEqual(check, { outcome: 'failed', sent: 1880, counted: 1879, metricsOffStatus: 404 });
  });
  await withServers([200, exposition], [200, exposition], async (urls) => {
    const check = await checkRecordedMetrics({ metricsOnUrl: urls.on, metricsOffUrl: urls.off, sent: 1879, workers: 1 });
    assert.deepEqual(check, { outcome: 'failed', sent: 1879, counted: 1879, metricsOffStatus: 200 });
  });
  await withServers([200, '# no requests yet\n'], [404, ''], async (urls) => {
    const check = await checkRecordedMetrics({ metricsOnUrl: urls.on, metricsOffUrl: urls.off, sent: 10, workers: 1 });
    assert.deepEqual(check, { outcome: 'failed', sent: 10, counted: undefined, metricsOffStatus: 404 });
  });
  await withServers([403, 'Metrics are served only to loopback callers'], [404, ''], async (urls) => {
    const check = await checkRecordedMetrics({ metricsOnUrl: urls.on, metricsOffUrl: urls.off, sent: 10, workers: 1 });
    assert.deepEqual(check, { outcome: 'failed', sent: 10, counted: undefined, metricsOffStatus: undefined, error: 'the metrics-on Bulwark answered /metrics with 403' });
  });
  await withServers([200, 'bulwark_requests_total{status="200"} lots\n'], [404, ''], async (urls) => {
    const check = await checkRecordedMetrics({ metricsOnUrl: urls.on, metricsOffUrl: urls.off, sent: 10, workers: 1 });
    assert.equal(check.outcome, 'failed');
    assert.ok(check.outcome === 'failed' && check.error?.includes('no numeric value'));
  });
});

test('with several workers the count cannot be checked: skipped, without scraping', async () => {
  await withServers([200, exposition], [404, ''], async (urls) => {
    const check = await checkRecordedMetrics({ metricsOnUrl: urls.on, metricsOffUrl: urls.off, sent: 1879, workers: 2 });
    assert.equal(check.outcome, 'skipped');
    assert.equal(urls.scrapes(), 0);
  });
});
