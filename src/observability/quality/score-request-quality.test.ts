import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scoreRequestQuality, type RequestQualityFacts } from './score-request-quality.ts';

const answered: RequestQualityFacts = { status: 200, finishReason: 'stop' };

describe('scoreRequestQuality', () => {
  test('an answered request scores 1, with or without validation having passed, tool calls included', () => {
    assert.equal(scoreRequestQuality(answered), 1);
    assert.equal(scoreRequestQuality({ ...answered, quality: { validation: 'passed' } }), 1);
    assert.equal(scoreRequestQuality({ status: 200, finishReason: 'tool-calls' }), 1);
    assert.equal(scoreRequestQuality({ status: 200, finishReason: 'other' }), 1);
  });

  test('a bad answer scores 0: invalid output, failed validation, degraded, content filter, malformed by the provider', () => {
    const bad: RequestQualityFacts[] = [
      { status: 502, errorCode: 'upstream_invalid_output' },
      { status: 200, finishReason: 'stop', errorCode: 'upstream_invalid_output' },
      { ...answered, quality: { validation: 'failed' } },
      { ...answered, quality: { flags: ['degraded'] } },
      { ...answered, finishReason: 'content-filter' },
      { ...answered, finishReason: 'error' },
    ];
    for (const facts of bad) assert.equal(scoreRequestQuality(facts), 0, JSON.stringify(facts));
  });

  test('an invalid answer counts even when the request then failed for another reason', () => {
    assert.equal(scoreRequestQuality({ status: 504, errorCode: 'upstream_timeout', quality: { validation: 'failed' } }), 0);
  });

  test('no score when there was no answer for a reason that is not about its quality', () => {
    const unscored: RequestQualityFacts[] = [
      { status: 401, errorCode: 'invalid_api_key' },
      { status: 400, errorCode: 'invalid_request' },
      { status: 400, errorCode: 'upstream_content_filtered' },
      { status: 429, errorCode: 'key_rate_limited' },
      { status: 502, errorCode: 'all_targets_failed' },
      { status: 504, errorCode: 'upstream_timeout' },
      { status: 499, errorCode: 'client_closed_request', quality: { validation: 'passed' } },
      // A stream that failed after its first byte keeps its finish reason, if any, but is an error.
      { status: 502, errorCode: 'upstream_stream_interrupted', finishReason: 'stop' },
      // Embeddings: answered, but nothing generated to judge.
      { status: 200 },
    ];
    for (const facts of unscored) assert.equal(scoreRequestQuality(facts), undefined, JSON.stringify(facts));
  });

  test('a re-asked answer, or one cut off at the token limit, scores 0.5 (not less when both)', () => {
    assert.equal(scoreRequestQuality({ ...answered, quality: { validation: 'reasked' } }), 0.5);
    assert.equal(scoreRequestQuality({ status: 200, finishReason: 'length' }), 0.5);
    assert.equal(scoreRequestQuality({ status: 200, finishReason: 'length', quality: { validation: 'reasked' } }), 0.5);
  });

  test('each distinct guard flag takes 0.25 off, down to 0', () => {
    assert.equal(scoreRequestQuality({ ...answered, quality: { flags: ['injection-suspected'] } }), 0.75);
    assert.equal(scoreRequestQuality({ ...answered, quality: { flags: ['injection-suspected', 'injection-suspected'] } }), 0.75);
    assert.equal(scoreRequestQuality({ ...answered, quality: { validation: 'reasked', flags: ['injection-suspected'] } }), 0.25);
    assert.equal(scoreRequestQuality({ ...answered, quality: { flags: ['a', 'b', 'c', 'd', 'e'] } }), 0);
    assert.equal(scoreRequestQuality({ ...answered, quality: { flags: [] } }), 1);
  });

  test('every score is within 0..1', () => {
    const validations = [undefined, 'passed', 'reasked', 'failed'] as const;
    const finishReasons = [undefined, 'stop', 'length', 'tool-calls', 'content-filter', 'error', 'other'];
    for (const validation of validations) {
      for (const finishReason of finishReasons) {
        for (const status of [200, 400, 502]) {
          for (const flags of [[], ['x'], ['x', 'y', 'z', 'w', 'v']]) {
            const score = scoreRequestQuality({ status, finishReason, quality: { validation, flags } });
            assert.ok(score === undefined || (score >= 0 && score <= 1), JSON.stringify({ validation, finishReason, status, flags, score }));
          }
        }
      }
    }
  });
});
