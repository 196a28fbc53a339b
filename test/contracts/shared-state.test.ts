import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openDatabase } from '../../src/stores/sqlite/open-database.ts';
import { createSharedState } from '../../src/stores/shared-state/create-shared-state.ts';
import { createResilientRedisState } from '../../src/stores/shared-state/resilient-redis-state.ts';
import { sharedStateContract } from './shared-state.contract.ts';
import { redisStateFactory, redisTestNamespace, redisUrl, strictRedisState } from './shared-state-redis-fixture.ts';

const folder = mkdtempSync(join(tmpdir(), 'bulwark-shared-state-'));
after(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;

sharedStateContract('memory', async () => {
  const state = createSharedState({ kind: 'memory' });
  return { state, close: () => state.close() };
});

sharedStateContract('sqlite', async () => {
  const path = join(folder, `state-${++files}`, 'bulwark.db');
  const databases = [openDatabase(path)];
  const open = () => {
    const database = databases.at(-1);
    if (database === undefined) throw new Error('no database');
    return createSharedState({ kind: 'sqlite', database });
  };
  return {
    state: open(),
    // A second connection to the same file, as another `--workers` process would open.
    peer: async () => {
      databases.push(openDatabase(path));
      return open();
    },
    close: async () => {
      for (const database of databases) database.close();
    },
  };
});

const namespaces = redisTestNamespace('contract');
after(() => namespaces.cleanUp());

sharedStateContract('redis', redisStateFactory(namespaces, strictRedisState));

// The resilient wrapper must be invisible while Redis answers: same contract, and it never fell back.
sharedStateContract(
  'redis with local fallback',
  redisStateFactory(namespaces, (namespace) => {
    const state = createResilientRedisState({ url: redisUrl, namespace, commandTimeoutMs: 2_000 });
    return {
      ...state,
      close: async () => {
        const status = state.status();
        await state.close();
        assert.equal(status, 'redis');
      },
    };
  }),
);
