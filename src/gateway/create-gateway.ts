import type { Config } from '../config/config-schema.ts';
import type { Price, StreamEvent } from '../core/model/index.ts';
import { createEventSink, type EventSink } from '../core/telemetry/event-sink.ts';
import type { EmbeddingWireFormat, WireFormat } from '../formats/wire-format.ts';
import { createProviderRegistry } from '../providers/create-provider-registry.ts';
import { createModelRouter, type Route } from '../routing/model-router.ts';
import { createAuthenticator, type Authenticator } from '../stages/auth/authenticator.ts';
import { createAuthStage } from '../stages/auth/create-auth-stage.ts';
import type { ApiKeyStore } from '../stores/contracts.ts';
import type { GatewayRuntime, IncomingCall, IncomingHeaders } from './gateway-runtime.ts';
import { handleChat, type ChatResponse } from './handle-chat.ts';
import { handleEmbeddings, type EmbeddingsResponse } from './handle-embeddings.ts';

export interface GatewayDependencies {
  keys: ApiKeyStore;
  lookupPrice: (providerType: string, model: string) => Price | undefined;
  /** Called when a telemetry listener throws; the request goes on. */
  onListenerError?: (error: unknown) => void;
}

export interface Gateway {
  readonly events: EventSink;
  readonly authenticator: Authenticator;
  config(): Config;
  handleChat(format: WireFormat, call: IncomingCall): Promise<ChatResponse>;
  handleEmbeddings(format: EmbeddingWireFormat, call: IncomingCall): Promise<EmbeddingsResponse>;
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
  const stages = [createAuthStage(authenticator)];

  const build = (config: Config): Generation => {
    const registry = createProviderRegistry(config.providers);
    const router = createModelRouter({ config, providers: registry, lookupPrice: dependencies.lookupPrice });
    return { runtime: { config, router, authenticator, events, stages }, registry, inFlight: 0, retired: false, drained: Promise.withResolvers() };
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

  /** Holds the generation until the call's work ends, including a stream's last event. */
  const track = async <Response>(work: (runtime: GatewayRuntime) => Promise<Response>, streamOf?: (response: Response) => AsyncIterable<StreamEvent> | undefined, rewrap?: (response: Response, events: AsyncIterable<StreamEvent>) => Response): Promise<Response> => {
    const generation = current;
    generation.inFlight += 1;
    let response: Response;
    try {
      response = await work(generation.runtime);
    } catch (error) {
      release(generation);
      throw error;
    }
    const stream = streamOf?.(response);
    if (stream === undefined || rewrap === undefined) {
      release(generation);
      return response;
    }
    return rewrap(response, releaseAfter(stream, () => release(generation)));
  };

  return {
    events,
    authenticator,
    config: () => current.runtime.config,
    handleChat: (format, call) =>
      track(
        (runtime) => handleChat(runtime, format, call),
        (response) => (response.type === 'stream' ? response.events : undefined),
        (response, wrapped) => (response.type === 'stream' ? { ...response, events: wrapped } : response),
      ),
    handleEmbeddings: (format, call) => track((runtime) => handleEmbeddings(runtime, format, call)),
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

/**
 * Calls `onEnd` once when the stream ends, fails or is stopped. A plain iterator, not a generator:
 * it sits on every event of every stream.
 */
const releaseAfter = (source: AsyncIterable<StreamEvent>, onEnd: () => void): AsyncIterable<StreamEvent> => {
  let iterator: AsyncIterator<StreamEvent> | undefined;
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  const wrapped: AsyncIterableIterator<StreamEvent> = {
    [Symbol.asyncIterator]: () => wrapped,
    async next() {
      iterator ??= source[Symbol.asyncIterator]();
      try {
        const result = await iterator.next();
        if (result.done === true) end();
        return result;
      } catch (error) {
        end();
        throw error;
      }
    },
    async return(value?: unknown) {
      try {
        iterator ??= source[Symbol.asyncIterator]();
        return (await iterator.return?.(value)) ?? { done: true, value: undefined };
      } finally {
        end();
      }
    },
  };
  return wrapped;
};
