import type { Config } from '../config/config-schema.ts';
import type { Price } from '../core/model/index.ts';
import { createEventSink, type EventSink } from '../core/telemetry/event-sink.ts';
import type { EmbeddingWireFormat, WireFormat } from '../formats/wire-format.ts';
import { createProviderRegistry } from '../providers/create-provider-registry.ts';
import { createModelRouter, type Route } from '../routing/model-router.ts';
import { createAuthenticator, type Authenticator } from '../stages/auth/authenticator.ts';
import { createAuthStage } from '../stages/auth/create-auth-stage.ts';
import type { ApiKeyStore } from '../stores/contracts.ts';
import type { SharedStateStores } from '../stores/shared-state/shared-state.ts';
import { createReliability, type Reliability, type ReliabilityDependencies } from './create-reliability.ts';
import type { GatewayRuntime, IncomingCall, IncomingHeaders } from './gateway-runtime.ts';
import { handleChat, type ChatResponse } from './handle-chat.ts';
import { handleEmbeddings, type EmbeddingsResponse } from './handle-embeddings.ts';

export interface GatewayDependencies {
  keys: ApiKeyStore;
  lookupPrice: (providerType: string, model: string) => Price | undefined;
  /** Called when a telemetry listener throws; the request goes on. */
  onListenerError?: (error: unknown) => void;
  /** Limits, queues and breakers keep their state here (memory, SQLite or Redis). */
  state: SharedStateStores;
  log: ReliabilityDependencies['log'];
}

export interface Gateway {
  readonly events: EventSink;
  readonly authenticator: Authenticator;
  config(): Config;
  handleChat(format: WireFormat, call: IncomingCall): Promise<ChatResponse>;
  handleEmbeddings(format: EmbeddingWireFormat, call: IncomingCall): Promise<EmbeddingsResponse>;
  /** The reliability layer of the current config, for the admin API (breakers, learned limits). */
  reliability(): Reliability;
  /** The routes the caller's key may use (authenticates; throws 401 errors). */
  listModels(headers: IncomingHeaders): Promise<Route[]>;
  /** Swaps in a new config. Requests in flight finish on the config they started with. */
  reload(config: Config): void;
  /** Waits for requests in flight (at most `graceMs`), then closes upstream connections. */
  close(graceMs?: number): Promise<void>;
}

/** One config generation: its runtime, its provider connections and how many requests still use it. */
interface Generation {
  runtime: GatewayRuntime;
  registry: ReturnType<typeof createProviderRegistry>;
  /** Set once the generation's connections are closing, so they are closed once. */
  closing?: Promise<void>;
  inFlight: number;
  retired: boolean;
  drained: PromiseWithResolvers<void>;
}

export const createGateway = (initialConfig: Config, dependencies: GatewayDependencies): Gateway => {
  const events = createEventSink(dependencies.onListenerError);
  const authenticator = createAuthenticator({ keys: dependencies.keys });
  const authStage = createAuthStage(authenticator);

  const build = (config: Config): Generation => {
    const registry = createProviderRegistry(config.providers);
    const router = createModelRouter({ models: config.models, providers: registry, lookupPrice: dependencies.lookupPrice });
    const reliability = createReliability({ config, state: dependencies.state, events, log: dependencies.log });
    const stages = [authStage, ...reliability.stages];
    return { runtime: { config, router, authenticator, events, stages, reliability }, registry, inFlight: 0, retired: false, drained: Promise.withResolvers() };
  };

  let current = build(initialConfig);
  const retiredGenerations = new Set<Generation>();

  const release = (generation: Generation): void => {
    generation.inFlight -= 1;
    if (generation.retired && generation.inFlight === 0) generation.drained.resolve();
  };

  const retire = (generation: Generation): void => {
    generation.retired = true;
    retiredGenerations.add(generation);
    if (generation.inFlight === 0) generation.drained.resolve();
    void generation.drained.promise.then(() => closeConnections(generation));
  };

  const closeConnections = (generation: Generation): Promise<void> => {
    retiredGenerations.delete(generation);
    generation.closing ??= generation.registry.close();
    return generation.closing;
  };

  /**
   * Pins the current generation for one call. `settle` runs when the call is recorded — once, after a
   * stream's last event — so a reload closes old connections only when nothing uses them.
   */
  const admit = (): { runtime: GatewayRuntime; settle: () => void } => {
    const generation = current;
    generation.inFlight += 1;
    let settled = false;
    return {
      runtime: generation.runtime,
      settle: () => {
        if (settled) return;
        settled = true;
        release(generation);
      },
    };
  };

  return {
    events,
    authenticator,
    config: () => current.runtime.config,
    reliability: () => current.runtime.reliability,
    handleChat(format, call) {
      const { runtime, settle } = admit();
      return handleChat(runtime, format, call, settle);
    },
    handleEmbeddings(format, call) {
      const { runtime, settle } = admit();
      return handleEmbeddings(runtime, format, call, settle);
    },
    async listModels(headers) {
      const principal = await authenticator.authenticate(headers);
      const allowed = (route: Route): boolean => principal.models.includes('*') || principal.models.includes(route.alias);
      return current.runtime.router.aliases().filter(allowed);
    },
    reload(config) {
      const previous = current;
      current = build(config);
      retire(previous);
    },
    async close(graceMs = initialConfig.server.shutdownGraceMs) {
      retire(current);
      const all = [current, ...retiredGenerations].map((generation) => generation.drained.promise);
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([Promise.all(all), timeout]);
      await Promise.all([current, ...retiredGenerations].map(closeConnections));
    },
  };
};
