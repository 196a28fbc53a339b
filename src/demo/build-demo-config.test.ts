import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configSchema } from '../config/config-schema.ts';
import { parseConfig } from '../config/load-config.ts';
import { buildDemoConfig, demoBudgets, demoConfigYaml } from './build-demo-config.ts';
import { demoKeys } from './demo-keys.ts';
import { demoRoutes } from './demo-routes.ts';

const input = { simulatorUrl: 'http://127.0.0.1:9999', port: 0, sqlitePath: ':memory:', adminToken: 'a-demo-token', budgetKeyId: 'vk_demoKey1' };

describe('demo config', () => {
  test('is a valid Bulwark config with every route on the simulator', () => {
    const config = parseConfig(demoConfigYaml(buildDemoConfig(input)), 'demo.yaml', {});
    assert.deepEqual(Object.keys(config.models).toSorted(), Object.keys(demoRoutes).toSorted());
    for (const provider of Object.values(config.providers)) assert.match(JSON.stringify(provider), /127\.0\.0\.1:9999/);
    assert.equal(config.models['embed']?.kind, 'embeddings');
    assert.deepEqual(config.models['extract']?.outputValidation?.requiredFields, ['invoice_number', 'total']);
    assert.equal(config.models['smart']?.targets.length, 2);
    assert.equal(config.metrics.enabled, true);
  });

  test('routes every key calls exist, and key shares add up to the whole', () => {
    for (const key of demoKeys) for (const alias of Object.keys(key.routes)) assert.ok(Object.hasOwn(demoRoutes, alias), `${key.name}: ${alias}`);
    assert.ok(Math.abs(demoKeys.reduce((sum, key) => sum + key.share, 0) - 1) < 1e-9);
  });

  test('carries budgets exactly when the config schema accepts them', () => {
    const document = buildDemoConfig(input);
    const accepted = configSchema.safeParse({ ...document, budgets: demoBudgets(input.budgetKeyId) }).success;
    assert.equal('budgets' in document, accepted);
  });
});
