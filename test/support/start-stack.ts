import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBulwark, type RunningBulwark } from '../../src/app/start-bulwark.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { createLogger, type Logger } from '../../src/observability/create-logger.ts';
import type { SimulatorOptions } from '../../src/simulator/index.ts';
import { startSimulator } from '../../src/simulator/start-simulator.ts';

export interface Stack {
  simulator: Awaited<ReturnType<typeof startSimulator>>;
  bulwark: RunningBulwark;
  /** The YAML the stack was started with, for tests that reload a variant of it. */
  configYaml: string;
  /** A virtual key allowed every model. */
  key: string;
  adminToken: string;
  /** Emits 'fault' (name, route) each time the simulator injects a fault: lets tests wait without sleeping. */
  faultEvents: EventEmitter;
  close(): Promise<void>;
}

export const adminToken = 'test-admin-token';

/** The config the end-to-end tests run against: one simulated provider per wire format. */
export const stackConfigYaml = (simulatorUrl: string, sqlitePath: string, extra = '', topLevel = ''): string => `
server: { port: 0, adminToken: ${adminToken}, bodyLimitBytes: 65536 }
storage: { sqlitePath: ${sqlitePath} }
requestLog: { batchSize: 50, flushIntervalMs: 50 }
logging: { level: silent }
providers:
  sim-openai: { type: openai-compatible, baseUrl: ${simulatorUrl}/v1, apiKey: sim-key-openai }
  sim-azure: { type: azure-openai, baseUrl: ${simulatorUrl}, apiKey: sim-key-azure }
  sim-anthropic: { type: anthropic, baseUrl: ${simulatorUrl}, apiKey: sim-key-anthropic }
  sim-gemini: { type: gemini, baseUrl: ${simulatorUrl}, apiKey: sim-key-gemini }
  dead: { type: openai-compatible, baseUrl: http://127.0.0.1:9/v1, apiKey: nobody-listens }
  sim-bedrock: { type: bedrock, region: us-east-1, baseUrl: ${simulatorUrl}, accessKeyId: AKIDSIMULATOR, secretAccessKey: sim-secret-bedrock }
models:
  gpt: { targets: [{ provider: sim-openai, model: gpt-4o-mini }] }
  azure-gpt: { targets: [{ provider: sim-azure, model: my-gpt4o-deployment }] }
  claude: { targets: [{ provider: sim-anthropic, model: claude-sonnet-4-5 }] }
  gemini: { targets: [{ provider: sim-gemini, model: gemini-2.5-flash }] }
  bedrock: { targets: [{ provider: sim-bedrock, model: anthropic.claude-3-5-haiku-20241022-v1:0 }] }
  embedding: { kind: embeddings, targets: [{ provider: sim-openai, model: text-embedding-3-small }] }
  gemini-embedding: { kind: embeddings, targets: [{ provider: sim-gemini, model: gemini-embedding-001 }] }
  fallback-gpt: { targets: [{ provider: sim-openai, model: broken-model }, { provider: sim-anthropic, model: claude-haiku-4-5 }] }
${extra}
${topLevel}`;

/** Starts the simulator and Bulwark on free ports with a fresh database and one all-models key. */
export interface StackOptions {
  /** YAML appended to the `models:` map. */
  extraYaml?: string;
  /** Top-level YAML appended after `models:` (e.g. a `reliability:` section). */
  topLevelYaml?: string;
  simulator?: SimulatorOptions;
  /** Defaults to a silent logger. */
  logger?: Logger;
}

export const startStack = async ({ extraYaml = '', topLevelYaml = '', simulator: simulatorOptions = {}, logger = createLogger('silent') }: StackOptions = {}): Promise<Stack> => {
  const directory = mkdtempSync(join(tmpdir(), 'bulwark-e2e-'));
  const faultEvents = new EventEmitter();
  const simulator = await startSimulator({ ...simulatorOptions, onFault: (fault, route) => faultEvents.emit('fault', fault, route) });
  const configYaml = stackConfigYaml(simulator.url, join(directory, 'bulwark.db'), extraYaml, topLevelYaml);
  const config = parseConfig(configYaml, 'e2e.yaml', {});
  const bulwark = await startBulwark({ config, logger });
  const { secret } = await bulwark.keys.create({ name: 'e2e', models: ['*'] });
  return {
    simulator,
    bulwark,
    configYaml,
    key: secret,
    adminToken,
    faultEvents,
    async close() {
      await bulwark.close();
      await simulator.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
};
