import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { errorCatalog } from './error-catalog.ts';

const documented = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

test('docs/errors.md lists every catalog code with its status and flags, and nothing else', () => {
  const rows = [...documented.matchAll(/^\| `([a-z_]+)` \| (\d+) \| (\w+) \| (\w+) \| (yes|no) \| (yes|no) \|/gm)];
  const fromDocs = Object.fromEntries(rows.map(([, code, status, openaiType, anthropicType, retryable, fallback]) => [code, { status: Number(status), openaiType, anthropicType, retryable: retryable === 'yes', fallback: fallback === 'yes' }]));
  const fromCatalog = Object.fromEntries(
    Object.entries(errorCatalog).map(([code, spec]) => [code, { status: spec.status, openaiType: spec.openaiType, anthropicType: spec.anthropicType, retryable: spec.retryable, fallback: spec.fallback }]),
  );
  assert.deepEqual(fromDocs, fromCatalog);
});

test('retryable errors are all upstream failures, and client errors never fall back blindly', () => {
  for (const [code, spec] of Object.entries(errorCatalog)) {
    if (spec.retryable) assert.match(code, /^upstream_/, `${code} is retryable`);
    if (spec.status >= 400 && spec.status < 500 && spec.status !== 429 && !code.startsWith('upstream_') && code !== 'unsupported_capability') {
      assert.equal(spec.fallback, false, `${code} is the caller's fault: another target will not fix it`);
    }
  }
});
