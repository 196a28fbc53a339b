import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FeedbackEntry, FeedbackStore } from '../../src/stores/feedback-contracts.ts';

export interface FeedbackStoreFixture {
  store: FeedbackStore;
  close(): Promise<void>;
}

/** Creates a fresh, empty store. */
export type FeedbackStoreFactory = () => Promise<FeedbackStoreFixture>;

const entry = (overrides: Partial<FeedbackEntry> = {}): FeedbackEntry => ({
  requestId: 'req_1',
  keyId: 'vk_a',
  score: 0.75,
  comment: 'helpful',
  createdAt: 1_700_000_000_000,
  ...overrides,
});

/** The behaviour every FeedbackStore must have. */
export function feedbackStoreContract(name: string, create: FeedbackStoreFactory): void {
  const withStore = (run: (store: FeedbackStore) => Promise<void>) => async () => {
    const fixture = await create();
    try {
      await run(fixture.store);
    } finally {
      await fixture.close();
    }
  };

  describe(`FeedbackStore contract: ${name}`, () => {
    test('records an entry and finds it by request id', withStore(async (store) => {
      await store.record(entry());
      assert.deepEqual(await store.forRequest('req_1'), [entry()]);
      assert.deepEqual(await store.forRequest('req_2'), []);
    }));

    test('an entry without a comment comes back without one', withStore(async (store) => {
      const { comment: _comment, ...bare } = entry();
      await store.record(bare);
      const [found] = await store.forRequest('req_1');
      assert.ok(found);
      assert.equal('comment' in found, false);
    }));

    test('a second entry for the same request and key replaces the first, comment included', withStore(async (store) => {
      await store.record(entry());
      const { comment: _comment, ...second } = entry({ score: 0.1, createdAt: 1_700_000_000_500 });
      await store.record(second);
      assert.deepEqual(await store.forRequest('req_1'), [second]);
      assert.equal((await store.list()).length, 1);
    }));

    test('the same request id under two keys keeps both, oldest first', withStore(async (store) => {
      await store.record(entry({ keyId: 'vk_b', createdAt: 2 }));
      await store.record(entry({ keyId: 'vk_a', createdAt: 1 }));
      assert.deepEqual((await store.forRequest('req_1')).map((found) => found.keyId), ['vk_a', 'vk_b']);
    }));

    test('lists newest first, within [since, until), by key, up to the limit', withStore(async (store) => {
      for (let index = 0; index < 6; index += 1) {
        await store.record(entry({ requestId: `req_${index}`, keyId: index % 2 === 0 ? 'vk_a' : 'vk_b', createdAt: 1_000 + index }));
      }
      assert.deepEqual((await store.list()).map((found) => found.requestId), ['req_5', 'req_4', 'req_3', 'req_2', 'req_1', 'req_0']);
      assert.deepEqual((await store.list({ since: 1_001, until: 1_004 })).map((found) => found.requestId), ['req_3', 'req_2', 'req_1']);
      assert.deepEqual((await store.list({ keyId: 'vk_b' })).map((found) => found.requestId), ['req_5', 'req_3', 'req_1']);
      assert.deepEqual((await store.list({ limit: 2 })).map((found) => found.requestId), ['req_5', 'req_4']);
      assert.deepEqual(await store.list({ limit: 0 }), []);
    }));

    test('refuses entries outside the limits, and stores nothing of them', withStore(async (store) => {
      const refused: Partial<FeedbackEntry>[] = [
        { score: -0.01 },
        { score: 1.01 },
        { score: Number.NaN },
        { score: '1' as unknown as number },
        { requestId: '' },
        { requestId: 'r'.repeat(129) },
        { keyId: '' },
        { comment: 'x'.repeat(2_001) },
        { createdAt: Number.POSITIVE_INFINITY },
      ];
      for (const overrides of refused) {
        await assert.rejects(store.record(entry(overrides)), (error: Error) => {
          assert.ok(error instanceof RangeError || error instanceof TypeError, `${JSON.stringify(overrides)}: ${error.name}`);
          assert.ok(!error.message.includes('xxxx'), 'the message never holds the comment');
          return true;
        });
      }
      assert.deepEqual(await store.list({ limit: 100 }), []);
    }));

    test('accepts the edges of the scale and a comment of exactly the cap', withStore(async (store) => {
      await store.record(entry({ requestId: 'low', score: 0 }));
      await store.record(entry({ requestId: 'high', score: 1, comment: 'x'.repeat(2_000) }));
      assert.equal((await store.forRequest('low'))[0]?.score, 0);
      assert.equal((await store.forRequest('high'))[0]?.comment?.length, 2_000);
    }));

    test('refuses a malformed query', withStore(async (store) => {
      await assert.rejects(store.list({ limit: -1 }), RangeError);
      await assert.rejects(store.list({ limit: 10_001 }), RangeError);
      await assert.rejects(store.list({ limit: 1.5 }), RangeError);
      await assert.rejects(store.list({ since: Number.NaN }), RangeError);
    }));
  });
}
