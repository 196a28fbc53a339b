import type { ProviderConfig } from './provider-config-schema.ts';
import { createProvider } from './create-provider.ts';
import type { Provider } from './provider.ts';

export interface ProviderRegistry {
  /** The provider configured under `name`, or undefined. */
  get(name: string): Provider | undefined;
  /** Closes every provider's connections; waits for all of them even when one fails. */
  close(): Promise<void>;
}

/** Builds every configured provider once, at start-up. */
export const createProviderRegistry = (providers: Record<string, ProviderConfig>): ProviderRegistry => {
  const byName = new Map<string, Provider>(
    Object.entries(providers).map(([name, config]) => [name, createProvider(name, config)]),
  );
  return {
    get: (name) => byName.get(name),
    async close() {
      const results = await Promise.allSettled([...byName.values()].map((provider) => provider.close()));
      const failure = results.find((result) => result.status === 'rejected');
      if (failure !== undefined) throw failure.reason;
    },
  };
};
