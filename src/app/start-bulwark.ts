import { readFileSync } from 'node:fs';
import type { Config } from '../config/config-schema.ts';
import { createPriceCatalog } from '../cost/price-catalog.ts';
import { createGateway, type Gateway } from '../gateway/create-gateway.ts';
import { createLogger, type Logger } from '../observability/create-logger.ts';
import { createMetrics } from '../observability/metrics/create-metrics.ts';
import { subscribeRequestRecorder } from '../observability/request-recorder.ts';
import { createQualityRegressionDetector } from '../observability/quality/create-quality-regression-detector.ts';
import { createOtlpExporter } from '../observability/tracing/create-otlp-exporter.ts';
import { createTracing } from '../observability/tracing/create-tracing.ts';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createServer } from '../server/create-server.ts';
import { openSharedState } from './open-shared-state.ts';
import type { ApiKeyStore, RequestLogStore } from '../stores/contracts.ts';
import { createRequestLogWriter } from '../stores/request-log-writer.ts';
import { createInlineAnalyticsReader } from '../stores/request-analytics/analytics-queries.ts';
import { openAnalyticsLanes } from '../stores/request-analytics/analytics-worker.ts';
import { DashboardData } from '../dashboard/data/dashboard-data.ts';
import { LiveTail } from '../dashboard/data/live-tail.ts';
import { loadDashboardAssets } from '../dashboard/load-dashboard-assets.ts';
import { openDatabase } from '../stores/sqlite/open-database.ts';
import { SqliteApiKeyStore } from '../stores/sqlite/sqlite-api-key-store.ts';
import { createSqliteRequestOwnershipCheck, SqliteFeedbackStore } from '../stores/sqlite/sqlite-feedback-store.ts';
import { WorkerRequestLogStore } from '../stores/sqlite/worker-request-log-store.ts';

export interface StartOptions {
  config: Config;
  logger?: Logger;
  /** Listen on this port instead of the config's (0 picks a free one: tests). */
  port?: number;
  /** Export spans here instead of to the config's OTLP endpoint, when tracing is enabled (tests). */
  spanExporter?: SpanExporter;
}

export interface RunningBulwark {
  url: string;
  gateway: Gateway;
  keys: ApiKeyStore;
  requestLog: RequestLogStore;
  /** Writes buffered request records now. */
  flushRequestLog(): Promise<void>;
  /** Exports the spans ended so far (nothing when tracing is off). */
  flushTraces(): Promise<void>;
  reload(config: Config): void;
  /** Stops accepting, lets requests in flight finish, flushes the request log, closes storage. */
  close(): Promise<void>;
}

const priceData: unknown = JSON.parse(readFileSync(new URL('../cost/prices.json', import.meta.url), 'utf8'));

/** Wires config, storage, gateway and HTTP server together and starts listening. */
export const startBulwark = async ({ config, logger = createLogger(config.logging.level), port, spanExporter }: StartOptions): Promise<RunningBulwark> => {
  const database = openDatabase(config.storage.sqlitePath);
  const keys = new SqliteApiKeyStore(database);
  const requestLog = new WorkerRequestLogStore(config.storage.sqlitePath);
  const writer = createRequestLogWriter({
    store: requestLog,
    batchSize: config.requestLog.batchSize,
    flushIntervalMs: config.requestLog.flushIntervalMs,
    onError: (error) => logger.error({ err: error }, 'request log write failed'),
  });
  const catalog = createPriceCatalog(priceData);
  const state = openSharedState(config.sharedState, database, logger);
  const gateway = createGateway(config, {
    keys,
    state,
    log: (level, fields, message) => logger[level](fields, message),
    lookupPrice: (providerType, model) => catalog.lookup(providerType, model),
    onListenerError: (error) => logger.error({ err: error }, 'telemetry listener failed'),
  });
  subscribeRequestRecorder(gateway.events, writer);
  gateway.events.subscribe('attempt-failed', (event) => logger.warn({ requestId: event.requestId, ...event.failure }, 'attempt failed'));
  const metrics = config.metrics.enabled
    ? createMetrics(gateway.events, {
        perKeyLabels: config.metrics.perKeyLabels,
        maxKeyLabels: config.metrics.maxKeyLabels,
        isConfiguredModel: (alias) => Object.hasOwn(gateway.config().models, alias),
        deployments: () => Object.values(gateway.config().models).flatMap((model) => model.targets.map((target) => `${target.provider}/${target.model}`)),
      })
    : undefined;

  // Created only when enabled: with tracing off nothing listens, so the gateway builds no trace events.
  const tracing = config.tracing.enabled
    ? createTracing(gateway.events, {
        serviceName: config.tracing.serviceName,
        sampleRatio: config.tracing.sampleRatio,
        exporter: spanExporter ?? createOtlpExporter(config.tracing.otlp),
      })
    : undefined;

  // Analytics reads on worker threads (a slow lane and a fast one), each with a connection of its own;
  // an in-memory database has no file to share, so it reads the main connection inline (and sees only
  // what that connection holds).
  const inMemory = config.storage.sqlitePath === ':memory:' || config.storage.sqlitePath === '';
  const analytics = inMemory ? createInlineAnalyticsReader(database) : await openAnalyticsLanes(config.storage.sqlitePath);

  // Quality regressions (docs/quality.md): checked on the main connection (a few roll-up rows), its
  // timer unref'd, from when the server listens. Every process checks; the alert table lets one of them
  // raise each alert.
  const qualityRegressions = config.quality.regression.enabled
    ? createQualityRegressionDetector({ database, settings: config.quality.regression, logger })
    : undefined;

  // Records reach the log in batches: on a miss, write the pending batch and look once more, so that
  // feedback sent right after its request is not refused. Only misses pay for it.
  const requestOwnership = createSqliteRequestOwnershipCheck(database);
  const ownsRequest = async (requestId: string, keyId: string): Promise<boolean> =>
    (await requestOwnership(requestId, keyId)) || (await writer.flush(), await requestOwnership(requestId, keyId));

  const dashboardData = new DashboardData({
    analytics,
    keys,
    circuits: () => gateway.reliability().circuits(),
    budgets: () => gateway.config().budgets,
    qualityWindowDays: () => gateway.config().quality.regression.windowDays,
  });
  const liveTail = new LiveTail({ read: analytics.tail, onError: (error) => logger.warn({ err: error }, 'dashboard live tail: reading the request log failed') });

  let shuttingDown = false;
  const app = createServer({
    gateway,
    keys,
    bodyLimitBytes: config.server.bodyLimitBytes,
    isShuttingDown: () => shuttingDown,
    readinessChecks: [{ name: 'storage', check: async () => void database.prepare('select 1').get() }],
    ...(metrics === undefined ? {} : { metrics }),
    analytics,
    ...(config.dashboard.enabled ? { dashboard: { data: dashboardData, liveTail, assets: loadDashboardAssets } } : {}),
    feedback: { store: new SqliteFeedbackStore(database), ownsRequest },
  });
  const address = await app.listen({ host: config.server.host, port: port ?? config.server.port });
  const url = address.replace('[::1]', 'localhost');
  qualityRegressions?.start();
  logger.info({ url, providers: Object.keys(config.providers), models: Object.keys(config.models) }, 'bulwark listening');

  return {
    url,
    gateway,
    keys,
    requestLog,
    flushRequestLog: () => writer.flush(),
    flushTraces: () => tracing?.flush() ?? Promise.resolve(),
    reload: (next) => {
      gateway.reload(next);
      logger.info({ models: Object.keys(next.models) }, 'config reloaded');
    },
    async close() {
      shuttingDown = true;
      qualityRegressions?.stop();
      liveTail.close();
      await app.close();
      await gateway.close();
      metrics?.close();
      await tracing?.close().catch((error: unknown) => logger.warn({ err: error }, 'trace export failed at shutdown'));
      await writer.close();
      await requestLog.close();
      await state.close();
      await analytics.close();
      database.close();
    },
  };
};
