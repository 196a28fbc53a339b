import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultEmbeddingDimensions } from './embed-text.ts';
import { FaultController } from './fault-controller.ts';
import { handleRequest } from './handle-request.ts';
import { defaultModels } from './handle-models.ts';
import { instantLatency } from './latency-model.ts';
import { PromptCache } from './prompt-cache.ts';
import { defaultRateLimits, RateLimitWindows } from './rate-limit-window.ts';
import type { SimulatorContext } from './simulator-context.ts';
import type { RunningSimulator, SimulatorOptions } from './simulator-options.ts';
import { StatsRecorder } from './simulator-stats.ts';

const createContext = (options: SimulatorOptions, faults: FaultController): SimulatorContext => {
  const now = options.now ?? Date.now;
  let sequence = 0;
  const stats = new StatsRecorder();
  return {
    latency: { ...instantLatency, ...options.latency },
    faults,
    promptCache: new PromptCache(options.promptCacheSize),
    rateLimits: new RateLimitWindows({ ...defaultRateLimits, ...options.rateLimits }, now),
    stats,
    retryAfterSeconds: options.retryAfterSeconds ?? 1,
    embeddingDimensions: options.embeddingDimensions ?? defaultEmbeddingDimensions,
    proseTokens: options.proseTokens ?? { min: 16, max: 120 },
    models: options.models ?? defaultModels,
    maxBodyBytes: options.maxBodyBytes ?? 32 * 1024 * 1024,
    now,
    recordFault: (fault, route) => {
      stats.fault(fault);
      options.onFault?.(fault, route);
    },
    nextSequence: () => ++sequence,
  };
};

/**
 * Starts the provider simulator: one node:http server speaking OpenAI, Azure OpenAI, Anthropic,
 * Gemini and Bedrock Converse, with a latency model and faults on demand. Connections are kept
 * alive, as real providers' are, so benchmarks measure the gateway rather than TCP handshakes.
 */
export const startSimulator = async (options: SimulatorOptions = {}): Promise<RunningSimulator> => {
  const faults = new FaultController(options.seed);
  if (options.faults !== undefined) faults.set(options.faults);
  const context = createContext(options, faults);
  const server = createServer({ keepAlive: true, noDelay: true, keepAliveTimeout: 65_000, headersTimeout: 66_000, requestTimeout: 0 }, (request, response) =>
    handleRequest(context, request, response));
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    faults,
    stats: () => context.stats.snapshot(),
    close: async () => {
      const closed = once(server, 'close');
      server.close();
      // Hung requests and idle keep-alive sockets would otherwise hold close() open.
      server.closeAllConnections();
      await closed;
    },
  };
};
