import { stringify } from 'yaml';
import { configSchema } from '../config/config-schema.ts';
import { extractionRequiredFields, demoProviders, demoRoutes } from './demo-routes.ts';

export interface DemoConfigInput {
  simulatorUrl: string;
  port: number;
  sqlitePath: string;
  adminToken: string;
  /** The id of one key to give a budget of its own. */
  budgetKeyId?: string;
}

type ConfigDocument = Record<string, unknown>;

const providers = (simulatorUrl: string): ConfigDocument =>
  Object.fromEntries(
    Object.entries(demoProviders).map(([name, provider]) => [name, { type: provider.type, baseUrl: `${simulatorUrl}${provider.path}`, apiKey: 'simulator' }]),
  );

const models = (): ConfigDocument =>
  Object.fromEntries(
    Object.values(demoRoutes).map((route) => {
      const model: ConfigDocument = { targets: route.targets.map((target) => ({ ...target })) };
      if (route.kind === 'embeddings') model['kind'] = 'embeddings';
      if (route.structuredOutput) model['outputValidation'] = { requiredFields: [...extractionRequiredFields], maxReasks: 1 };
      return [route.alias, model];
    }),
  );

/**
 * Monthly budgets set against the traffic model's spend: the gateway and most teams on track,
 * support forecast to overspend (its Claude traffic grows), one model and one key watched.
 */
export const demoBudgets = (budgetKeyId: string | undefined): ConfigDocument[] => [
  { name: 'gateway', monthlyUsd: 600 },
  { name: 'support team', monthlyUsd: 200, team: 'support' },
  { name: 'search team', monthlyUsd: 60, team: 'search' },
  { name: 'growth team', monthlyUsd: 50, team: 'growth' },
  { name: 'smart route', monthlyUsd: 150, model: 'smart' },
  ...(budgetKeyId === undefined ? [] : [{ name: 'internal copilot key', monthlyUsd: 100, key: budgetKeyId }]),
];

/**
 * The demo's config: three simulated providers, six routes, short timeouts so that a hung provider
 * shows within seconds, metrics on (labelled by key), and budgets when this version of the config
 * accepts a `budgets:` section (checked against the schema, not assumed).
 */
export const buildDemoConfig = (input: DemoConfigInput): ConfigDocument => {
  const config: ConfigDocument = {
    server: { host: '127.0.0.1', port: input.port, adminToken: input.adminToken },
    storage: { sqlitePath: input.sqlitePath },
    logging: { level: 'info' },
    providers: providers(input.simulatorUrl),
    models: models(),
    reliability: { timeouts: { firstTokenMs: 4_000, totalMs: 10_000 } },
    keys: { defaultLimits: { requestsPerMinute: 600 } },
    metrics: { enabled: true, perKeyLabels: true },
  };
  const withBudgets = { ...config, budgets: demoBudgets(input.budgetKeyId) };
  return configSchema.safeParse(withBudgets).success ? withBudgets : config;
};

export const demoConfigYaml = (config: ConfigDocument): string =>
  `# Written by \`bulwark demo\`; replaced on every run.\n${stringify(config)}`;
