import type { SharedState } from '../../src/stores/shared-state/shared-state.ts';
import { circuitStoreContract } from './shared-state-circuits.contract.ts';
import { concurrencyStoreContract } from './shared-state-concurrency.contract.ts';
import { rateLimitStoreContract } from './shared-state-rate-limits.contract.ts';

export interface SharedStateFixture {
  state: SharedState;
  /**
   * Opens another handle on the same state (another connection, as another process or host would
   * have); undefined for a backing that lives in one process only. Closed by the fixture's `close`.
   */
  peer?: () => Promise<SharedState>;
  close(): Promise<void>;
}

/** Creates a fresh, empty state. */
export type SharedStateFactory = () => Promise<SharedStateFixture>;

/** A fixed instant, a whole number of seconds, so window slices start on it. Tests move it by hand. */
export const startTime = 1_700_000_000_000;

export async function withState(factory: SharedStateFactory, run: (fixture: SharedStateFixture) => Promise<void>): Promise<void> {
  const fixture = await factory();
  try {
    await run(fixture);
  } finally {
    await fixture.close();
  }
}

/** The behaviour every shared-state backing must have: RateLimitStore, ConcurrencyStore, CircuitStore. */
export function sharedStateContract(name: string, factory: SharedStateFactory): void {
  rateLimitStoreContract(name, factory);
  concurrencyStoreContract(name, factory);
  circuitStoreContract(name, factory);
}
