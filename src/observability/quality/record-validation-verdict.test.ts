import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QualitySignals } from '../../core/pipeline/request-context.ts';
import { recordValidationVerdict, type ValidationVerdict } from './record-validation-verdict.ts';

const after = (...verdicts: ValidationVerdict[]): QualitySignals['validation'] => {
  const context: { quality?: QualitySignals } = {};
  for (const verdict of verdicts) recordValidationVerdict(context, verdict);
  return context.quality?.validation;
};

test('a valid first answer passed', () => {
  assert.equal(after('passed'), 'passed');
});

test('an invalid answer followed by a valid one (re-ask or fallback target) was re-asked', () => {
  assert.equal(after('invalid', 'passed'), 'reasked');
  assert.equal(after('invalid', 'invalid', 'passed'), 'reasked');
});

test('invalid answers with no valid one after them failed', () => {
  assert.equal(after('invalid'), 'failed');
  assert.equal(after('invalid', 'invalid'), 'failed');
});

test('a streamed answer that fails at its end failed, whatever came before', () => {
  assert.equal(after('stream-invalid'), 'failed');
  assert.equal(after('invalid', 'stream-invalid'), 'failed');
});

test('no verdict leaves the signal absent, and flags set by others are kept', () => {
  assert.equal(after(), undefined);
  const context: { quality?: QualitySignals } = { quality: { flags: ['injection-suspected'] } };
  recordValidationVerdict(context, 'passed');
  assert.deepEqual(context.quality, { flags: ['injection-suspected'], validation: 'passed' });
});
