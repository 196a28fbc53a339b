// `npm run bench:analytics`: the admin analytics API of a Bulwark child process on a generated
// million-row request log, and chat latency through the same process with and without analytics load.
// See bench/README.md ("Analytics").
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'undici';
import { createAdminPool, cycleUntil, fromList, runAdminCalls } from './analytics-calls.ts';
import { fillRequestLog, type GeneratedKeyId } from './analytics-log.ts';
import { analyticsBenchUsage, parseAnalyticsBenchOptions, type AnalyticsBenchOptions } from './analytics-options.ts';
import { analyticsCallOrder, analyticsQueryMix, type AnalyticsQueryShape } from './analytics-query-mix.ts';
import { countAnalyticsBenchFailures, writeAnalyticsReport, type AnalyticsPhase, type ChatWindow } from './analytics-report.ts';
import { createBenchKey, startAnalyticsBulwark, writeAnalyticsBenchConfig } from './analytics-services.ts';
import { createTargetPool, runLoad } from './load.ts';
import { machineInfo } from './machine-info.ts';
import { createServiceGroup } from './processes.ts';
import { startSimulatorService } from './services.ts';
import { bulwarkTarget, requestBody } from './targets.ts';

type RunOptions = Extract<AnalyticsBenchOptions, { kind: 'run' }>;

const days = 30;
const chatConcurrency = 4;
const chatWarmupRequests = 200;

const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const loadAverage = (): number[] => loadavg().map((value) => Math.round(value * 100) / 100);

/** The daily roll-up's total: the log holds what was inserted, and the admin API answers. Cheap whatever the log size. */
const countLoggedRequests = async (pool: Pool, adminToken: string): Promise<number> => {
  const response = await pool.request({ method: 'GET', path: '/admin/analytics/daily', headers: { authorization: `Bearer ${adminToken}` } });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`GET /admin/analytics/daily answered ${response.statusCode}: ${text.slice(0, 200)}`);
  const body = JSON.parse(text) as { data: Array<{ requests: number }> };
  return body.data.reduce((sum, row) => sum + row.requests, 0);
};

const measureQueries = async (pool: Pool, adminToken: string, mix: AnalyticsQueryShape[], options: RunOptions): Promise<AnalyticsPhase[]> => {
  const phases: AnalyticsPhase[] = [];
  for (const concurrency of options.concurrencies) {
    progress(`query mix at concurrency ${concurrency}: warm-up round…`);
    const warmup = await runAdminCalls({ pool, adminToken, concurrency, next: fromList(mix) });
    for (const call of warmup.timed) progress(`  warm-up ${call.shape}: ${call.ms.toFixed(0)} ms`);
    progress(`query mix at concurrency ${concurrency}: ${options.rounds} rounds…`);
    const result = await runAdminCalls({ pool, adminToken, concurrency, next: fromList(analyticsCallOrder(mix, options.rounds)) });
    progress(`  ${result.timed.length} calls in ${(result.wallMs / 1000).toFixed(1)} s`);
    phases.push({ concurrency, ...result, failures: { ...warmup.failures, ...result.failures } });
  }
  return phases;
};

/**
 * Chat through Bulwark in alternating windows, without and with the query mix running beside it. The
 * analytics callers stop taking new calls when the chat window ends; the one in flight still finishes.
 */
const measureChat = async (bulwarkUrl: string, chatKey: string, adminPool: Pool, adminToken: string, mix: AnalyticsQueryShape[], options: RunOptions) => {
  const target = bulwarkTarget(bulwarkUrl, chatKey);
  const pool = createTargetPool(target, chatConcurrency);
  const body = Buffer.from(requestBody('json'));
  const analyticsConcurrency = Math.max(...options.concurrencies);
  const windows: ChatWindow[] = [];
  try {
    await runLoad({ pool, target, mode: 'json', body, concurrency: chatConcurrency, budget: { kind: 'count', requests: chatWarmupRequests } });
    for (let index = 0; index < options.chatWindows * 2; index += 1) {
      const loaded = index % 2 === 1;
      let chatDone = false;
      const analytics = loaded
        ? runAdminCalls({ pool: adminPool, adminToken, concurrency: analyticsConcurrency, next: cycleUntil(mix, () => chatDone) })
        : undefined;
      const chat = await runLoad({ pool, target, mode: 'json', body, concurrency: chatConcurrency, budget: { kind: 'time', milliseconds: options.chatSeconds * 1000, maxRequests: 10_000_000 } });
      chatDone = true;
      const beside = await analytics;
      const failures = beside === undefined ? 0 : Object.values(beside.failures).reduce((sum, value) => sum + value, 0);
      windows.push({ loaded, latenciesMs: chat.latenciesMs, succeeded: chat.succeeded, wallMs: chat.wallMs, errors: chat.errors, analyticsCalls: beside?.timed ?? [], analyticsFailures: failures });
      progress(`chat window ${index + 1} (${loaded ? 'with' : 'without'} analytics): ${chat.succeeded} requests, ${(chat.succeeded / (chat.wallMs / 1000)).toFixed(0)} req/s${beside === undefined ? '' : `, ${beside.timed.length} admin calls`}`);
    }
  } finally {
    await pool.close();
  }
  return { concurrency: chatConcurrency, windowSeconds: options.chatSeconds, analyticsConcurrency, windows };
};

const run = async (options: RunOptions): Promise<number> => {
  const machine = machineInfo('not used');
  const loadAverages = [{ moment: 'at start', values: machine.loadAverage }];
  const directory = mkdtempSync(join(tmpdir(), 'bulwark-bench-analytics-'));
  const { services, cleanUp } = createServiceGroup(directory, progress);
  let adminPool: Pool | undefined;
  try {
    progress('starting the simulator…');
    const simulator = await startSimulatorService();
    services.push(simulator);
    const adminToken = randomBytes(24).toString('base64url');
    const config = writeAnalyticsBenchConfig({ directory, simulatorUrl: simulator.url, adminToken });

    progress('creating virtual keys with the CLI…');
    const chat = await createBenchKey(config, 'bench');
    const logKeys: Record<GeneratedKeyId, { id: string; key: string }> = {
      vk_a: await createBenchKey(config, 'search-app', 'search'),
      vk_b: await createBenchKey(config, 'support-bot', 'support'),
      vk_c: await createBenchKey(config, 'batch-jobs'),
    };

    const end = Date.now();
    progress(`appending ${options.rows.toLocaleString('en')} records through the store…`);
    let reported = 0;
    const log = fillRequestLog(config.sqlitePath, {
      rows: options.rows,
      days,
      end,
      keyIds: { vk_a: logKeys.vk_a.id, vk_b: logKeys.vk_b.id, vk_c: logKeys.vk_c.id },
      onProgress: (done) => {
        if (done - reported >= 100_000 || done === options.rows) {
          reported = done;
          progress(`  ${done.toLocaleString('en')} rows`);
        }
      },
    });
    progress(`inserted ${log.rows.toLocaleString('en')} rows in ${log.seconds.toFixed(1)} s (${Math.round(log.rows / log.seconds).toLocaleString('en')} rows/s)`);
    loadAverages.push({ moment: 'after the insert', values: loadAverage() });

    progress('starting Bulwark on the log…');
    const bulwark = await startAnalyticsBulwark(config);
    services.push(bulwark);
    adminPool = createAdminPool(bulwark.url, Math.max(...options.concurrencies));
    const logged = await countLoggedRequests(adminPool, adminToken);
    if (logged !== options.rows) throw new Error(`the daily roll-up counts ${logged} requests, not the ${options.rows} inserted`);

    const mix = analyticsQueryMix({ keyId: logKeys.vk_a.id, team: 'search', endUser: 'bob', model: 'gpt' });
    const phases = await measureQueries(adminPool, adminToken, mix, options);
    loadAverages.push({ moment: 'after the query phases', values: loadAverage() });
    const chatResult = await measureChat(bulwark.url, chat.key, adminPool, adminToken, mix, options);
    loadAverages.push({ moment: 'at the end', values: loadAverage() });

    const report = {
      machine,
      loadAverages,
      log: { rows: log.rows, days, end, insertSeconds: log.seconds, bytes: log.bytes },
      rounds: options.rounds,
      shapes: mix.map((shape) => shape.name),
      phases,
      chat: chatResult,
    };
    console.log(writeAnalyticsReport(report));
    const failures = countAnalyticsBenchFailures(report);
    if (failures > 0) progress(`⚠ ${failures} calls failed: these figures are not valid.`);
    return failures === 0 ? 0 : 1;
  } finally {
    await adminPool?.close();
    await cleanUp();
  }
};

const main = async (argv: string[]): Promise<number> => {
  let options: AnalyticsBenchOptions;
  try {
    options = parseAnalyticsBenchOptions(argv);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${analyticsBenchUsage}`);
    return 2;
  }
  if (options.kind === 'help') {
    console.log(analyticsBenchUsage);
    return 0;
  }
  return run(options);
};

process.exitCode = await main(process.argv.slice(2));
