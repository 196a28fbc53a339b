import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { startBulwark, type RunningBulwark } from '../app/start-bulwark.ts';
import { loadConfig } from '../config/load-config.ts';
import { createPriceCatalog } from '../cost/price-catalog.ts';
import { createLogger } from '../observability/create-logger.ts';
import type { LatencySettings } from '../simulator/latency-model.ts';
import type { RunningSimulator } from '../simulator/simulator-options.ts';
import { startSimulator } from '../simulator/start-simulator.ts';
import { openDatabase } from '../stores/sqlite/open-database.ts';
import { SqliteApiKeyStore } from '../stores/sqlite/sqlite-api-key-store.ts';
import { SqliteRequestLogStore } from '../stores/sqlite/sqlite-request-log-store.ts';
import { backfillHistory, type BackfillResult } from './backfill-history.ts';
import { buildDemoConfig, demoConfigYaml } from './build-demo-config.ts';
import { dayMs } from './daily-request-volume.ts';
import { demoKeyLimits, demoKeys } from './demo-keys.ts';
import { defaultIncidentSchedule, type IncidentSchedule } from './live-incidents.ts';
import { playLiveIncidents, type IncidentPlayer } from './play-live-incidents.ts';
import { prepareDemoDirectory } from './prepare-demo-directory.ts';
import { startLiveTraffic, type LiveKey, type LiveTraffic, type LiveTrafficStats } from './start-live-traffic.ts';

export interface DemoOptions {
  /** Bulwark's port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Wiped at start (see `prepareDemoDirectory`). */
  dataDirectory: string;
  historyDays: number;
  /** Average live requests per second. */
  rate: number;
  /** Undefined runs until stopped. */
  durationSeconds: number | undefined;
  seed: number;
  print: (line: string) => void;
  /** The simulator's answer speed; defaults to a realistic one. Tests pass an instant one. */
  simulatorLatency?: Partial<LatencySettings>;
  /** Defaults to `defaultIncidentSchedule`; false plays none. */
  incidents?: IncidentSchedule | false;
  /** How often a line of live figures is printed; false for never. Default 30 s. */
  statusEveryMs?: number | false;
}

export interface RunningDemo {
  url: string;
  dashboardUrl: string;
  adminToken: string;
  /** A key allowed every model that the live traffic does not use: the reader's own. */
  demoKey: string;
  simulatorUrl: string;
  dataDirectory: string;
  configPath: string;
  logPath: string;
  history: BackfillResult;
  /** Real time one compressed day of live traffic takes. */
  dayLengthMs: number;
  live: LiveTraffic;
  /** Stops the traffic, then Bulwark (flushing the request log) and the simulator. Safe to call twice. */
  stop(): Promise<LiveTrafficStats>;
}

/** One hour of the day per minute when the run has no end. */
export const endlessDayLengthMs = 24 * 60_000;

const realisticLatency: Partial<LatencySettings> = { ttftMs: 350, tokensPerSecond: 150, jitterMs: 250 };

const statusLine = (stats: LiveTrafficStats): string => {
  const statuses = Object.entries(stats.byStatus).map(([status, count]) => `${status}×${count}`).join(' ');
  return `[live] ${new Date().toISOString().slice(11, 19)} sent ${stats.sent} · ${statuses || 'no answers yet'} · in flight ${stats.inFlight}`;
};

/** Creates the demo's keys and writes the synthesized history, before Bulwark opens the database. */
const seedDatabase = async (sqlitePath: string, options: DemoOptions): Promise<{ live: LiveKey[]; demoKey: string; copilotKeyId: string | undefined; history: BackfillResult }> => {
  const database = openDatabase(sqlitePath);
  try {
    const keys = new SqliteApiKeyStore(database);
    const live: LiveKey[] = [];
    const keyIds = new Map<string, string>();
    for (const profile of demoKeys) {
      const { key, secret } = await keys.create({
        name: profile.name, team: profile.team, models: Object.keys(profile.routes), limits: demoKeyLimits(profile, options.rate), priority: profile.priority,
      });
      live.push({ profile, secret });
      keyIds.set(profile.name, key.id);
    }
    const { secret: demoKey } = await keys.create({ name: 'demo-you', team: 'platform', models: ['*'] });
    // The catalog the gateway prices its calls with, so that history and live costs agree.
    const catalog = createPriceCatalog(JSON.parse(readFileSync(new URL('../cost/prices.json', import.meta.url), 'utf8')));
    const history = await backfillHistory(new SqliteRequestLogStore(database), {
      days: options.historyDays,
      today: Math.floor(Date.now() / dayMs),
      seed: options.seed,
      keyIds,
      lookupPrice: (providerType, model) => catalog.lookup(providerType, model),
    });
    return { live, demoKey, copilotKeyId: keyIds.get('internal-copilot'), history };
  } finally {
    database.close();
  }
};

/** Writes the demo config into the data folder and starts Bulwark on it, logging to a file there. */
const startGateway = async (
  paths: { sqlitePath: string; configPath: string },
  simulatorUrl: string,
  copilotKeyId: string | undefined,
  options: DemoOptions,
  logStream: WriteStream,
): Promise<{ bulwark: RunningBulwark; adminToken: string }> => {
  const adminToken = randomBytes(24).toString('base64url');
  const document = buildDemoConfig({ simulatorUrl, port: options.port, sqlitePath: paths.sqlitePath, adminToken, budgetKeyId: copilotKeyId });
  writeFileSync(paths.configPath, demoConfigYaml(document), { mode: 0o600 });
  const config = await loadConfig(paths.configPath);
  const bulwark = await startBulwark({ config, logger: createLogger(config.logging.level, logStream), port: options.port });
  return { bulwark, adminToken };
};

/**
 * Runs the demo: the provider simulator on a free port; a fresh data folder with the demo config, its
 * keys and `historyDays` of synthesized history; Bulwark on `port`; then live traffic through it, with
 * the simulator's incidents. Resolves once traffic is flowing.
 */
export const startDemo = async (options: DemoOptions): Promise<RunningDemo> => {
  const dataDirectory = prepareDemoDirectory(options.dataDirectory);
  const paths = { sqlitePath: join(dataDirectory, 'bulwark.db'), configPath: join(dataDirectory, 'bulwark.yaml'), logPath: join(dataDirectory, 'bulwark.log') };
  const simulator: RunningSimulator = await startSimulator({ latency: options.simulatorLatency ?? realisticLatency, seed: options.seed });
  const logStream = createWriteStream(paths.logPath, { flags: 'a' });
  let bulwark: RunningBulwark | undefined;
  let incidents: IncidentPlayer | undefined;
  try {
    const seeded = await seedDatabase(paths.sqlitePath, options);
    const gateway = await startGateway(paths, simulator.url, seeded.copilotKeyId, options, logStream);
    bulwark = gateway.bulwark;
    incidents = playLiveIncidents({ simulatorUrl: simulator.url, schedule: options.incidents ?? defaultIncidentSchedule, print: options.print });
    await incidents.ready;
    const now = new Date();
    const durationMs = options.durationSeconds === undefined ? undefined : options.durationSeconds * 1000;
    const dayLengthMs = durationMs ?? endlessDayLengthMs;
    const live = startLiveTraffic({
      baseUrl: bulwark.url,
      keys: seeded.live,
      rate: options.rate,
      durationMs,
      dayLengthMs,
      startHour: now.getUTCHours() + now.getUTCMinutes() / 60,
      seed: options.seed,
    });
    const statusEveryMs = options.statusEveryMs ?? 30_000;
    const status = statusEveryMs === false ? undefined : setInterval(() => options.print(statusLine(live.stats())), statusEveryMs);
    const [running, player] = [bulwark, incidents];
    const stop = async (): Promise<LiveTrafficStats> => {
      clearInterval(status);
      await live.stop();
      await player.stop();
      await running.close();
      await simulator.close();
      await new Promise<void>((resolve) => logStream.end(resolve));
      return live.stats();
    };
    let stopped: Promise<LiveTrafficStats> | undefined;
    return {
      url: bulwark.url,
      dashboardUrl: `${bulwark.url}/dashboard`,
      adminToken: gateway.adminToken,
      demoKey: seeded.demoKey,
      simulatorUrl: simulator.url,
      dataDirectory,
      configPath: paths.configPath,
      logPath: paths.logPath,
      history: seeded.history,
      dayLengthMs,
      live,
      stop: () => (stopped ??= stop()),
    };
  } catch (error) {
    await incidents?.stop().catch(() => undefined);
    await bulwark?.close().catch(() => undefined);
    await simulator.close();
    logStream.end();
    throw error;
  }
};
