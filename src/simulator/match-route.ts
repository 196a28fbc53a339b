import type { ProviderFamily } from './provider-family.ts';

export type ChatFamily = ProviderFamily;
export type EmbeddingsFamily = 'openai' | 'azure' | 'gemini';

/** What a request asks of the simulator. `name` labels it in stats. */
export type SimulatorRoute =
  | { kind: 'chat'; name: string; family: ChatFamily; model?: string; stream?: boolean }
  | { kind: 'embeddings'; name: string; family: EmbeddingsFamily; model?: string }
  | { kind: 'models'; name: string }
  | { kind: 'control'; name: string; action: 'set-faults' | 'clear-faults' | 'list-faults' | 'stats' }
  | { kind: 'not-found'; name: string; family: ProviderFamily; message: string };

const azurePattern = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/;
const geminiPattern = /^\/(v1beta|v1)\/models\/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents)$/;
const bedrockPattern = /^\/model\/([^/]+)\/(converse|converse-stream)$/;

/** The family whose error format a request that matched no route should get, judged by its path. */
const familyOfPath = (path: string): ProviderFamily => {
  if (path.startsWith('/v1/messages')) return 'anthropic';
  if (path.startsWith('/v1beta/') || path.startsWith('/v1/models/')) return 'gemini';
  if (path.startsWith('/model/')) return 'bedrock';
  if (path.startsWith('/openai/')) return 'azure';
  return 'openai';
};

const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

const matchPost = (path: string, query: URLSearchParams): SimulatorRoute | undefined => {
  if (path === '/v1/chat/completions') return { kind: 'chat', name: 'openai.chat', family: 'openai' };
  if (path === '/v1/embeddings') return { kind: 'embeddings', name: 'openai.embeddings', family: 'openai' };
  if (path === '/v1/messages') return { kind: 'chat', name: 'anthropic.messages', family: 'anthropic' };
  if (path === '/_sim/faults') return { kind: 'control', name: 'control.faults', action: 'set-faults' };
  const azure = azurePattern.exec(path);
  if (azure !== null) {
    const model = decodeSegment(azure[1] ?? '');
    if (model === undefined) return undefined;
    if (!query.has('api-version')) return { kind: 'not-found', name: 'not-found', family: 'azure', message: 'Resource not found: the api-version query parameter is missing' };
    return azure[2] === 'embeddings'
      ? { kind: 'embeddings', name: 'azure.embeddings', family: 'azure', model }
      : { kind: 'chat', name: 'azure.chat', family: 'azure', model };
  }
  const gemini = geminiPattern.exec(path);
  if (gemini !== null) {
    const model = decodeSegment(gemini[2] ?? '');
    if (model === undefined) return undefined;
    if (gemini[3] === 'batchEmbedContents') return { kind: 'embeddings', name: 'gemini.embed', family: 'gemini', model };
    const stream = gemini[3] === 'streamGenerateContent';
    if (stream && query.get('alt') !== 'sse') return { kind: 'not-found', name: 'not-found', family: 'gemini', message: 'The simulator streams Gemini answers only as server-sent events: add ?alt=sse' };
    return { kind: 'chat', name: stream ? 'gemini.stream' : 'gemini.generate', family: 'gemini', model, stream };
  }
  const bedrock = bedrockPattern.exec(path);
  if (bedrock !== null) {
    const model = decodeSegment(bedrock[1] ?? '');
    if (model === undefined) return undefined;
    const stream = bedrock[2] === 'converse-stream';
    return { kind: 'chat', name: stream ? 'bedrock.converse-stream' : 'bedrock.converse', family: 'bedrock', model, stream };
  }
  return undefined;
};

/** Finds the route for a method and URL (path and query). */
export const matchRoute = (method: string, url: URL): SimulatorRoute => {
  const path = url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  let route: SimulatorRoute | undefined;
  if (method === 'POST') route = matchPost(path, url.searchParams);
  else if (method === 'GET' && path === '/v1/models') route = { kind: 'models', name: 'models' };
  else if (method === 'GET' && path === '/_sim/faults') route = { kind: 'control', name: 'control.faults', action: 'list-faults' };
  else if (method === 'GET' && path === '/_sim/stats') route = { kind: 'control', name: 'control.stats', action: 'stats' };
  else if (method === 'DELETE' && path === '/_sim/faults') route = { kind: 'control', name: 'control.faults', action: 'clear-faults' };
  return route ?? { kind: 'not-found', name: 'not-found', family: familyOfPath(path), message: `No route for ${method} ${path}` };
};
