/** The model name every target is asked for; Bulwark's alias maps it to the same upstream model. */
export const benchModel = 'gpt-4o-mini';

/**
 * `bulwark-no-metrics` is a second Bulwark started like `bulwark` but with `metrics.enabled: false`:
 * measured beside it, it shows what the Prometheus metrics cost per request.
 */
export type TargetName = 'direct' | 'bulwark' | 'bulwark-no-metrics' | 'portkey';
export type BulwarkTargetName = Extract<TargetName, 'bulwark' | 'bulwark-no-metrics'>;
export type Mode = 'json' | 'stream';

/** Where one request goes and what it must carry to be accepted there. */
export interface Target {
  name: TargetName;
  /** `http://127.0.0.1:port` */
  origin: string;
  path: string;
  headers: Record<string, string>;
}

const upstreamKey = 'Bearer bench-upstream-key';

/** Straight to the simulator: the baseline every gateway is compared with. */
export const directTarget = (simulatorUrl: string): Target => ({
  name: 'direct',
  origin: simulatorUrl,
  path: '/v1/chat/completions',
  headers: { 'content-type': 'application/json', authorization: upstreamKey },
});

/** Through Bulwark with a virtual key; Bulwark holds the upstream key itself. */
export const bulwarkTarget = (bulwarkUrl: string, virtualKey: string, name: BulwarkTargetName = 'bulwark'): Target => ({
  name,
  origin: bulwarkUrl,
  path: '/v1/chat/completions',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${virtualKey}` },
});

/**
 * Through Portkey to a custom upstream: `x-portkey-provider: openai` picks its OpenAI handling and
 * `x-portkey-custom-host` replaces api.openai.com/v1; the upstream key is passed through.
 */
export const portkeyTarget = (portkeyUrl: string, simulatorUrl: string): Target => ({
  name: 'portkey',
  origin: portkeyUrl,
  path: '/v1/chat/completions',
  headers: {
    'content-type': 'application/json',
    authorization: upstreamKey,
    'x-portkey-provider': 'openai',
    'x-portkey-custom-host': `${simulatorUrl}/v1`,
  },
});

/**
 * A realistic small chat request (a system prompt and a short question, ~60 prompt tokens). The same
 * bytes go to every target, and the simulator answers the same conversation with the same text, so
 * every target moves the same response.
 */
export const requestBody = (mode: Mode): string =>
  JSON.stringify({
    model: benchModel,
    messages: [
      { role: 'system', content: 'You are a concise assistant for an online bookshop. Answer in plain English, in at most three sentences.' },
      { role: 'user', content: 'A customer asks whether a paperback ordered today can arrive before Friday, and what it costs to upgrade to express delivery. What should I tell them?' },
    ],
    temperature: 0.3,
    max_tokens: 256,
    ...(mode === 'stream' ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
