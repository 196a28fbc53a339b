/**
 * A child process for shared-state-processes.test.ts: opens the shared state, says `ready`, waits for
 * `go` on stdin (so every child starts at once), then takes one token at a time from one bucket and
 * prints how many it got as `{"allowed":N}`. Every call uses the same `now`, so nothing refills.
 */
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { createSharedState } from '../../src/stores/shared-state/create-shared-state.ts';
import { openDatabase } from '../../src/stores/sqlite/open-database.ts';

const argumentsSchema = z.object({
  backing: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('sqlite'), path: z.string() }),
    z.object({ kind: z.literal('redis'), url: z.string(), namespace: z.string() }),
  ]),
  attempts: z.number().int().positive(),
  capacity: z.number().int().positive(),
  /** Calls in flight at once in this process. */
  inFlight: z.number().int().positive(),
});

const options = argumentsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const backing = options.backing;
const database = backing.kind === 'sqlite' ? openDatabase(backing.path) : undefined;
const state =
  backing.kind === 'sqlite' && database !== undefined
    ? createSharedState({ kind: 'sqlite', database })
    : createSharedState({ kind: 'redis', url: backing.kind === 'redis' ? backing.url : '', namespace: backing.kind === 'redis' ? backing.namespace : '', fallback: 'none' });

const now = 1_700_000_000_000;
const charge = { key: 'hammered', capacity: options.capacity, refillPerSecond: 1, amount: 1 };

// Connected (and scripts cached) before the start signal, so the children really overlap.
await state.rateLimits.consume([{ ...charge, key: `warm-up-${process.pid}` }], now);
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line === 'go') break;
lines.close();

let allowed = 0;
let next = 0;
const worker = async (): Promise<void> => {
  while (next < options.attempts) {
    next += 1;
    if ((await state.rateLimits.consume([charge], now)).allowed) allowed += 1;
  }
};
await Promise.all(Array.from({ length: options.inFlight }, worker));
await state.close();
database?.close();
process.stdout.write(`${JSON.stringify({ allowed })}\n`);
