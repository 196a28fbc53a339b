import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Secret } from '../core/secret.ts';
import { parseBaseUrl } from './base-url.ts';
import { includeStreamUsage } from './include-stream-usage.ts';
import { createSecretRedactor } from './redact-secrets.ts';
import { toFetchHeaders } from './to-fetch-headers.ts';

describe('parseBaseUrl', () => {
  it('splits origin and path prefix, without a trailing slash', () => {
    assert.deepEqual(parseBaseUrl('https://api.openai.com/v1'), { origin: 'https://api.openai.com', basePath: '/v1' });
    assert.deepEqual(parseBaseUrl('https://api.openai.com/v1/'), { origin: 'https://api.openai.com', basePath: '/v1' });
    assert.deepEqual(parseBaseUrl('http://127.0.0.1:8080'), { origin: 'http://127.0.0.1:8080', basePath: '' });
  });

  it('rejects what is not a URL', () => {
    assert.throws(() => parseBaseUrl('api.openai.com'), TypeError);
  });
});

describe('createSecretRedactor', () => {
  it('replaces every occurrence of every credential', () => {
    const redact = createSecretRedactor([new Secret('sk-abcdef123456'), undefined, new Secret('another-secret-value')]);
    assert.equal(redact('key sk-abcdef123456 and sk-abcdef123456, another-secret-value'), 'key [redacted] and [redacted], [redacted]');
  });

  it('leaves text alone when there is nothing to redact, and ignores values too short to be credentials', () => {
    assert.equal(createSecretRedactor([])('Bad request'), 'Bad request');
    assert.equal(createSecretRedactor([new Secret('a')])('a bad request'), 'a bad request');
  });
});

describe('includeStreamUsage', () => {
  it('adds include_usage and keeps other stream options', () => {
    assert.deepEqual(includeStreamUsage({ model: 'm' }), { model: 'm', stream_options: { include_usage: true } });
    assert.deepEqual(includeStreamUsage({ stream_options: { include_obfuscation: false } }), {
      stream_options: { include_obfuscation: false, include_usage: true },
    });
    assert.deepEqual(includeStreamUsage({ stream_options: null }), { stream_options: { include_usage: true } });
  });
});

describe('toFetchHeaders', () => {
  it('keeps repeated headers and skips undefined ones', () => {
    const headers = toFetchHeaders({ 'retry-after': '3', 'set-cookie': ['a=1', 'b=2'], missing: undefined });
    assert.equal(headers.get('retry-after'), '3');
    assert.deepEqual(headers.getSetCookie(), ['a=1', 'b=2']);
    assert.equal(headers.has('missing'), false);
  });
});
