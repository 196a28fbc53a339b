import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { ConfigError, parseConfig } from './load-config.ts';

const example = readFileSync(new URL('../../bulwark.example.yaml', import.meta.url), 'utf8');

test('the shipped example config is valid with no environment at all', () => {
  const config = parseConfig(example, 'bulwark.example.yaml', {});
  assert.equal(config.server.port, 8787);
  assert.equal(config.server.adminToken, undefined);
  assert.equal(config.providers['openai']?.type, 'openai');
  assert.equal(config.models['sim-gpt']?.targets[0]?.provider, 'sim-openai');
  assert.equal(config.models['sim-embedding']?.kind, 'embeddings');
});

test('interpolates ${VAR} and ${VAR:-default} and wraps credentials so they print redacted', () => {
  const config = parseConfig(
    'server: { adminToken: "${TOKEN}" }\nproviders:\n  p: { type: openai, apiKey: "${KEY:-fallback}" }\n',
    'test.yaml',
    { TOKEN: 'admin-secret' },
  );
  assert.equal(config.server.adminToken?.reveal(), 'admin-secret');
  const provider = config.providers['p'];
  assert.equal(provider?.type === 'openai' && provider.apiKey?.reveal(), 'fallback');
  const printed = JSON.stringify(config) + inspect(config, { depth: 10 }) + String(config.server.adminToken);
  assert.doesNotMatch(printed, /admin-secret|fallback/);
});

test('an unset variable without a default is an error naming the path and the variable', () => {
  assert.throws(() => parseConfig('providers:\n  p: { type: openai, apiKey: "${MISSING_KEY}" }\n', 'f.yaml', {}), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /f\.yaml: providers\.p\.apiKey: environment variable MISSING_KEY is not set/);
    return true;
  });
});

test('validation errors name every offending path', () => {
  const text = 'server: { port: "eighty" }\nproviders:\n  p: { type: nonsense }\nmodels:\n  m: { targets: [{ provider: nowhere, model: x }] }\n';
  assert.throws(() => parseConfig(text, 'f.yaml', {}), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /server\.port/);
    assert.match(error.message, /providers\.p\.type/);
    return true;
  });
  assert.throws(
    () => parseConfig('models:\n  m: { targets: [{ provider: nowhere, model: x }] }\n', 'f.yaml', {}),
    /models\.m\.targets\[0\]\.provider: unknown provider "nowhere"/,
  );
});

test('invalid YAML and unknown keys are refused', () => {
  assert.throws(() => parseConfig('server: [unclosed', 'f.yaml', {}), /f\.yaml: invalid YAML/);
  assert.throws(() => parseConfig('servre: {}\n', 'f.yaml', {}), /Unrecognized key/i);
});
