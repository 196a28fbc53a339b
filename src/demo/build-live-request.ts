import { createRandom, hashString, type Random } from '../simulator/deterministic-random.ts';
import { generateSentence } from '../simulator/generate-prose.ts';
import type { DemoKeyProfile } from './demo-keys.ts';
import { extractionSchema } from './demo-routes.ts';
import type { RequestPlan } from './plan-request.ts';

/** One HTTP request of the live run, ready to send. */
export interface LiveRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** English-like prose averages about 5.3 characters per o200k token, the simulator's tokenizer. */
const charactersPerToken = 5.3;

/** Answers are capped so that a live call finishes well within the demo's timeouts. */
const maxLiveOutputTokens = 700;

/** Prose of about `tokens` tokens. */
const proseOf = (random: Random, tokens: number): string => {
  const sentences: string[] = [];
  let characters = 0;
  while (characters < tokens * charactersPerToken) {
    const sentence = generateSentence(random);
    sentences.push(sentence);
    characters += sentence.length + 1;
  }
  return sentences.join(' ');
};

const systemPrompts = new Map<string, string>();

/** Each application's fixed system prompt: the same text on every call, so a prompt cache can serve it. */
const systemPromptOf = (key: DemoKeyProfile): string => {
  let prompt = systemPrompts.get(key.name);
  if (prompt === undefined) {
    prompt = `You are the ${key.team} team's assistant. ${proseOf(createRandom(hashString(key.name)), key.systemPromptTokens)}`;
    systemPrompts.set(key.name, prompt);
  }
  return prompt;
};

const questions = [
  'Summarise the context above in three sentences.',
  'What should the operator check first?',
  'Draft a short, friendly reply to the customer.',
  'List the open risks and who owns each.',
  'Explain the trade-off in plain words.',
];

/** The user's message: context to make up the planned prompt size, a question, and the simulator's length directive. */
const userMessageOf = (random: Random, plan: RequestPlan): string => {
  const contextTokens = Math.max(0, plan.inputTokens - plan.key.systemPromptTokens - 30);
  const question = plan.route.structuredOutput ? 'Extract the invoice number, vendor, total and currency as JSON.' : random.pick(questions);
  const length = plan.route.structuredOutput ? '' : ` [[sim:length ${Math.min(plan.outputTokens, maxLiveOutputTokens)}]]`;
  return `${proseOf(random, contextTokens)}\n\n${question}${length}`;
};

const jsonHeaders = { 'content-type': 'application/json' };

const openaiChat = (random: Random, plan: RequestPlan, secret: string): LiveRequest => {
  const body: Record<string, unknown> = {
    model: plan.route.alias,
    messages: [
      { role: 'system', content: systemPromptOf(plan.key) },
      { role: 'user', content: userMessageOf(random, plan) },
    ],
  };
  if (plan.stream) Object.assign(body, { stream: true, stream_options: { include_usage: true } });
  if (plan.endUser !== undefined) body['user'] = plan.endUser;
  if (plan.route.structuredOutput) body['response_format'] = { type: 'json_schema', json_schema: { name: 'invoice', strict: true, schema: extractionSchema } };
  return { path: plan.endpoint, headers: { ...jsonHeaders, authorization: `Bearer ${secret}` }, body: JSON.stringify(body) };
};

const anthropicMessages = (random: Random, plan: RequestPlan, secret: string): LiveRequest => {
  const system = systemPromptOf(plan.key);
  const body: Record<string, unknown> = {
    model: plan.route.alias,
    max_tokens: 1_024,
    system: plan.key.cachesPrompt ? [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }] : system,
    messages: [{ role: 'user', content: userMessageOf(random, plan) }],
  };
  if (plan.stream) body['stream'] = true;
  if (plan.endUser !== undefined) body['metadata'] = { user_id: plan.endUser };
  return { path: plan.endpoint, headers: { ...jsonHeaders, 'x-api-key': secret, 'anthropic-version': '2023-06-01' }, body: JSON.stringify(body) };
};

const openaiEmbeddings = (random: Random, plan: RequestPlan, secret: string): LiveRequest => {
  const body: Record<string, unknown> = { model: plan.route.alias, input: proseOf(random, plan.inputTokens) };
  if (plan.endUser !== undefined) body['user'] = plan.endUser;
  return { path: plan.endpoint, headers: { ...jsonHeaders, authorization: `Bearer ${secret}` }, body: JSON.stringify(body) };
};

/**
 * The HTTP request a client of that wire format would send for the plan: OpenAI Chat Completions
 * (streamed with usage), Anthropic Messages (with a cached system prompt where the application marks
 * one), or OpenAI embeddings; `extract` asks for a JSON schema.
 */
export const buildLiveRequest = (random: Random, plan: RequestPlan, secret: string): LiveRequest => {
  switch (plan.clientFormat) {
    case 'openai-chat':
      return openaiChat(random, plan, secret);
    case 'anthropic-messages':
      return anthropicMessages(random, plan, secret);
    case 'openai-embeddings':
      return openaiEmbeddings(random, plan, secret);
  }
};
