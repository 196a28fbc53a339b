import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ApiKeyStore } from '../../src/stores/contracts.ts';

export interface ApiKeyStoreFixture {
  store: ApiKeyStore;
  close(): Promise<void>;
}

/** Creates a fresh, empty store whose clock is `now`. */
export type ApiKeyStoreFactory = (now: () => number) => Promise<ApiKeyStoreFixture>;

const secretShape = /^bk_[A-Za-z0-9_-]{43}$/;

/** The behaviour every ApiKeyStore must have, whatever keeps the keys. */
export function apiKeyStoreContract(name: string, factory: ApiKeyStoreFactory): void {
  describe(`ApiKeyStore contract: ${name}`, () => {
    let time = 1_700_000_000_000;
    const now = (): number => time;
    const withStore = async (run: (store: ApiKeyStore) => Promise<void>): Promise<void> => {
      const fixture = await factory(now);
      try {
        await run(fixture.store);
      } finally {
        await fixture.close();
      }
    };

    test('create returns the key and its secret once; the key never holds the secret', () =>
      withStore(async (store) => {
        const { key, secret } = await store.create({ name: 'ci', models: ['gpt-4o', 'claude'], team: 'platform', expiresAt: time + 60_000 });
        assert.match(secret, secretShape);
        assert.match(key.id, /^vk_[A-Za-z0-9_-]+$/);
        assert.deepEqual(key, {
          id: key.id,
          name: 'ci',
          prefix: secret.slice(3, 11),
          models: ['gpt-4o', 'claude'],
          team: 'platform',
          createdAt: time,
          expiresAt: time + 60_000,
        });
        assert.equal(JSON.stringify(key).includes(secret.slice(3)), false);
        assert.deepEqual(await store.get(key.id), key);
      }));

    test('each key gets its own id and secret', () =>
      withStore(async (store) => {
        const first = await store.create({ name: 'a', models: ['*'] });
        const second = await store.create({ name: 'b', models: ['*'] });
        assert.notEqual(first.key.id, second.key.id);
        assert.notEqual(first.secret, second.secret);
      }));

    test('findBySecret finds the key of a secret and nothing for any other string', () =>
      withStore(async (store) => {
        const { key, secret } = await store.create({ name: 'a', models: ['*'] });
        const other = await store.create({ name: 'b', models: ['*'] });
        assert.deepEqual(await store.findBySecret(secret), key);
        assert.equal((await store.findBySecret(other.secret))?.id, other.key.id);
        const lastCharacter = secret.at(-1) === 'A' ? 'B' : 'A';
        for (const wrong of [secret.slice(0, -1) + lastCharacter, secret + 'x', secret.slice(3), secret.toUpperCase(), '', 'bk_', ' ' + secret]) {
          assert.equal(await store.findBySecret(wrong), undefined, `matched ${JSON.stringify(wrong.slice(0, 6))}...`);
        }
        for (const malformed of [undefined, null, 42, {}]) {
          assert.equal(await store.findBySecret(malformed as unknown as string), undefined);
        }
      }));

    test('list returns every key in creation order; get of an unknown id is undefined', () =>
      withStore(async (store) => {
        assert.deepEqual(await store.list(), []);
        const first = await store.create({ name: 'first', models: ['a'] });
        time += 1;
        const second = await store.create({ name: 'second', models: ['b'], expiresAt: time + 5 });
        assert.deepEqual(await store.list(), [first.key, second.key]);
        assert.equal(await store.get('vk_unknown'), undefined);
      }));

    test('revoke marks the key, keeps the first time, and still lets findBySecret return it', () =>
      withStore(async (store) => {
        const { key, secret } = await store.create({ name: 'a', models: ['*'] });
        time += 1_000;
        const revokedAt = time;
        assert.equal(await store.revoke(key.id), true);
        time += 1_000;
        assert.equal(await store.revoke(key.id), true);
        assert.equal((await store.get(key.id))?.revokedAt, revokedAt);
        assert.equal((await store.findBySecret(secret))?.revokedAt, revokedAt);
        assert.equal(await store.revoke('vk_unknown'), false);
      }));

    test('expiry is kept as given; the store does not hide expired keys', () =>
      withStore(async (store) => {
        const { key, secret } = await store.create({ name: 'short', models: ['*'], expiresAt: time - 1 });
        assert.equal((await store.findBySecret(secret))?.expiresAt, key.expiresAt);
        assert.equal((await store.get(key.id))?.expiresAt, time - 1);
      }));

    test('limits and priority are kept as given; keys without them have none', () =>
      withStore(async (store) => {
        const { secret } = await store.create({ name: 'limited', models: ['*'], limits: { requestsPerMinute: 60, maxConcurrent: 2 }, priority: 'high' });
        const found = await store.findBySecret(secret);
        assert.deepEqual(found?.limits, { requestsPerMinute: 60, maxConcurrent: 2 });
        assert.equal(found?.priority, 'high');
        const plain = await store.create({ name: 'plain', models: ['*'] });
        assert.equal((await store.get(plain.key.id))?.limits, undefined);
        assert.equal((await store.get(plain.key.id))?.priority, undefined);
        await assert.rejects(store.create({ name: 'bad', models: ['*'], limits: { requestsPerMinute: 0 } }));
      }));

    test('a returned key is a copy: changing it does not change the store', () =>
      withStore(async (store) => {
        const { key } = await store.create({ name: 'a', models: ['gpt-4o'] });
        const fetched = await store.get(key.id);
        fetched?.models.push('everything');
        key.models.push('everything');
        assert.deepEqual((await store.get(key.id))?.models, ['gpt-4o']);
      }));

    test('malformed input is refused and stores nothing', () =>
      withStore(async (store) => {
        const bad = [
          { name: '', models: ['*'] },
          { name: 'no models', models: [] },
          { name: 'bad expiry', models: ['*'], expiresAt: -1 },
          { name: 'bad expiry', models: ['*'], expiresAt: Number.NaN },
          { name: 'not a list', models: 'gpt-4o' },
          { name: 'extra', models: ['*'], admin: true },
        ];
        for (const input of bad) await assert.rejects(store.create(input as never));
        assert.deepEqual(await store.list(), []);
      }));
  });
}
