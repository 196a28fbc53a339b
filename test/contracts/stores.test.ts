import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { MemoryApiKeyStore } from '../../src/stores/memory/memory-api-key-store.ts';
import { MemoryRequestLogStore } from '../../src/stores/memory/memory-request-log-store.ts';
import { openDatabase } from '../../src/stores/sqlite/open-database.ts';
import { SqliteApiKeyStore } from '../../src/stores/sqlite/sqlite-api-key-store.ts';
import { SqliteRequestLogStore } from '../../src/stores/sqlite/sqlite-request-log-store.ts';
import { WorkerRequestLogStore } from '../../src/stores/sqlite/worker-request-log-store.ts';
import { apiKeyStoreContract } from './api-key-store.contract.ts';
import { requestLogStoreContract } from './request-log-store.contract.ts';

const folder = mkdtempSync(join(tmpdir(), 'bulwark-stores-'));
after(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
const freshPath = (): string => join(folder, `store-${++files}`, 'bulwark.db');

apiKeyStoreContract('memory', async (now) => ({ store: new MemoryApiKeyStore({ now }), close: async () => {} }));

apiKeyStoreContract('sqlite', async (now) => {
  const database = openDatabase(freshPath());
  return { store: new SqliteApiKeyStore(database, { now }), close: async () => database.close() };
});

requestLogStoreContract('memory', async () => {
  const store = new MemoryRequestLogStore();
  return { store, close: () => store.close() };
});

requestLogStoreContract('sqlite', async () => {
  const store = new SqliteRequestLogStore(openDatabase(freshPath()), { ownsDatabase: true });
  return { store, close: () => store.close() };
});

requestLogStoreContract('sqlite on a worker thread', async () => {
  const store = await WorkerRequestLogStore.open({ path: freshPath() });
  return { store, close: () => store.close() };
});
