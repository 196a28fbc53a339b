import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { feedbackStoreContract } from '../../../test/contracts/feedback-store.contract.ts';
import { openDatabase } from './open-database.ts';
import { createSqliteRequestOwnershipCheck, SqliteFeedbackStore } from './sqlite-feedback-store.ts';
import { SqliteRequestLogStore } from './sqlite-request-log-store.ts';

const folder = mkdtempSync(join(tmpdir(), 'bulwark-feedback-'));
after(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
const freshDatabase = () => openDatabase(join(folder, `store-${++files}`, 'bulwark.db'));

feedbackStoreContract('sqlite', async () => {
  const database = freshDatabase();
  return { store: new SqliteFeedbackStore(database), close: async () => database.close() };
});

test('the table itself refuses out-of-range rows, whoever writes them', () => {
  const database = freshDatabase();
  try {
    const insert = database.prepare('INSERT INTO feedback (request_id, key_id, score, comment, created_at) VALUES (?, ?, ?, ?, ?)');
    assert.throws(() => insert.run('req', 'vk', 1.5, null, 1), /CHECK/);
    assert.throws(() => insert.run('req', 'vk', 0.5, 'x'.repeat(2_001), 1), /CHECK/);
    assert.throws(() => insert.run('', 'vk', 0.5, null, 1), /CHECK/);
  } finally {
    database.close();
  }
});

test('the ownership check finds a logged request only under the key that made it', async () => {
  const database = freshDatabase();
  try {
    await new SqliteRequestLogStore(database).append([
      {
        requestId: 'req_owned', startedAt: 1, endpoint: '/v1/chat/completions', clientFormat: 'openai-chat', keyId: 'vk_a',
        modelRequested: 'gpt', stream: false, status: 200, inputTokens: 1, outputTokens: 1, cachedInputTokens: 0,
        cacheWriteInputTokens: 0, reasoningTokens: 0, costUsd: 0, latencyMs: 1, attempts: 1,
      },
    ]);
    const ownsRequest = createSqliteRequestOwnershipCheck(database);
    assert.equal(await ownsRequest('req_owned', 'vk_a'), true);
    assert.equal(await ownsRequest('req_owned', 'vk_b'), false);
    assert.equal(await ownsRequest('req_unknown', 'vk_a'), false);
  } finally {
    database.close();
  }
});
