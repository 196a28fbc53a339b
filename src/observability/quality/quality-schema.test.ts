import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, test } from 'node:test';
import { parseConfig } from '../../config/load-config.ts';
import { Secret } from '../../core/secret.ts';
import { qualitySchema } from './quality-schema.ts';

describe('qualitySchema', () => {
  test('defaults: detection on, a 10% drop over 7 days, 30 samples, every 15 minutes, no webhook', () => {
    assert.deepEqual(qualitySchema.parse(undefined), {
      regression: { enabled: true, dropThreshold: 0.1, windowDays: 7, minSamples: 30, intervalMinutes: 15, webhookTimeoutMs: 5_000 },
    });
    assert.deepEqual(qualitySchema.parse({ regression: {} }), qualitySchema.parse({}));
  });

  test('the webhook URL is a secret: it prints redacted', () => {
    const { regression } = qualitySchema.parse({ regression: { webhookUrl: 'https://hooks.example.com/services/T000/B000/s3cr3t' } });
    assert.ok(regression.webhookUrl instanceof Secret);
    assert.equal(regression.webhookUrl.reveal(), 'https://hooks.example.com/services/T000/B000/s3cr3t');
    assert.doesNotMatch(JSON.stringify(regression) + inspect(regression) + String(regression.webhookUrl), /s3cr3t/);
  });

  test('malformed values are refused, naming the field', () => {
    const malformed: Record<string, unknown>[] = [
      { dropThreshold: 0 }, { dropThreshold: 1.5 }, { dropThreshold: '0.1' },
      { windowDays: 0 }, { windowDays: 2.5 }, { windowDays: 400 },
      { minSamples: 0 }, { minSamples: 1.5 },
      { intervalMinutes: 0 }, { intervalMinutes: 2_000 },
      { webhookUrl: 'not a url' }, { webhookUrl: 'ftp://example.com/hook' }, { webhookUrl: 42 },
      { webhookTimeoutMs: 0 }, { webhookTimeoutMs: 120_000 },
      { enabled: 'yes' },
      { dropTreshold: 0.2 },
    ];
    for (const regression of malformed) {
      const result = qualitySchema.safeParse({ regression });
      assert.equal(result.success, false, JSON.stringify(regression));
      const field = Object.keys(regression)[0];
      assert.ok(result.error?.issues.some((issue) => issue.path.includes('regression') && (issue.path.includes(field ?? '') || issue.code === 'unrecognized_keys')), JSON.stringify(result.error?.issues));
    }
    assert.equal(qualitySchema.safeParse({ regresion: {} }).success, false);
  });

  test('is the config\'s top-level quality section, with ${ENV} in the webhook URL', () => {
    const config = parseConfig('quality:\n  regression: { dropThreshold: 0.2, webhookUrl: "${HOOK}" }\n', 'quality.yaml', { HOOK: 'https://hooks.example.com/x' });
    assert.equal(config.quality.regression.dropThreshold, 0.2);
    assert.equal(config.quality.regression.webhookUrl?.reveal(), 'https://hooks.example.com/x');
    assert.equal(parseConfig('{}', 'empty.yaml', {}).quality.regression.enabled, true);
  });
});
