/**
 * Helpers for the simulator's own tests: start a simulator, call it with each family's credentials,
 * and read a streamed answer back through the family's codec. Not used by the simulator itself.
 */
import type { StreamEvent } from '../core/model/index.ts';
import type { WireFormat } from '../formats/wire-format.ts';
import type { ProviderFamily } from './provider-family.ts';
import type { RunningSimulator, SimulatorOptions } from './simulator-options.ts';
import { startSimulator } from './start-simulator.ts';

export const withSimulator = async (options: SimulatorOptions, run: (simulator: RunningSimulator) => Promise<void>): Promise<void> => {
  const simulator = await startSimulator(options);
  try {
    await run(simulator);
  } finally {
    await simulator.close();
  }
};

const fakeSignature = 'f'.repeat(64);

/** Credentials each family accepts, sent its own way. */
export const credentials: Record<ProviderFamily, Record<string, string>> = {
  openai: { authorization: 'Bearer sk-simulator' },
  azure: { 'api-key': 'azure-simulator' },
  anthropic: { 'x-api-key': 'sk-ant-simulator', 'anthropic-version': '2023-06-01' },
  gemini: { 'x-goog-api-key': 'gemini-simulator' },
  bedrock: {
    authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${fakeSignature}`,
    'x-amz-date': '20260101T000000Z',
  },
};

export const postJson = (url: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body), ...(signal === undefined ? {} : { signal }) });

export interface DecodedStream {
  events: StreamEvent[];
  /** Set when reading the body failed (a cut connection), as a client would see it. */
  transportError?: unknown;
}

/** Reads a streamed answer through `format`'s decoder, keeping what arrived before any failure. */
export const readStream = async (response: Response, format: WireFormat): Promise<DecodedStream> => {
  const decoder = format.createStreamDecoder();
  const events: StreamEvent[] = [];
  const result: DecodedStream = { events };
  try {
    for await (const chunk of response.body ?? []) events.push(...decoder.push(chunk));
  } catch (error) {
    result.transportError = error;
  }
  events.push(...decoder.end());
  return result;
};

/** The text of a decoded stream. */
export const streamedText = (events: readonly StreamEvent[]): string =>
  events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');

/** The event types in order, with runs of the same type collapsed: `stream-start, text-delta, finish, usage`. */
export const eventOutline = (events: readonly StreamEvent[]): string[] =>
  events.map((event) => event.type).filter((type, index, types) => index === 0 || types[index - 1] !== type);
