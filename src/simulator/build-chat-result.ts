import type { AssistantContentPart, ChatResult, StreamEvent } from '../core/model/index.ts';
import { hashString } from './deterministic-random.ts';
import type { PlannedAnswer } from './plan-answer.ts';

/** Who answered and when: what wraps the planned content in a result or a stream. */
export interface AnswerEnvelope {
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
}

/** An opaque reasoning signature in the spirit of Anthropic's: stable for the same reasoning. */
export const reasoningSignature = (reasoning: string): string =>
  Buffer.from(`sim-signature:${hashString(reasoning).toString(16)}:${reasoning.length}`).toString('base64');

export const buildChatResult = (answer: PlannedAnswer, envelope: AnswerEnvelope): ChatResult => {
  const content: AssistantContentPart[] = [];
  if (answer.reasoning !== undefined) content.push({ type: 'reasoning', text: answer.reasoning, signature: reasoningSignature(answer.reasoning) });
  if (answer.text !== undefined) content.push({ type: 'text', text: answer.text });
  for (const call of answer.toolCalls) content.push({ type: 'tool-call', id: call.id, name: call.name, arguments: call.arguments });
  const result: ChatResult = { ...envelope, content, finishReason: answer.finishReason, usage: answer.usage };
  if (answer.stopSequence !== undefined) result.stopSequence = answer.stopSequence;
  return result;
};

/** Splits text into word-sized pieces (` word`), close to how models stream tokens. */
export const splitIntoPieces = (text: string): string[] => text.match(/\s*\S+|\s+$/g) ?? (text === '' ? [] : [text]);

const splitArguments = (json: string, size = 24): string[] => {
  const pieces: string[] = [];
  for (let start = 0; start < json.length; start += size) pieces.push(json.slice(start, start + size));
  return pieces.length === 0 ? [''] : pieces;
};

/**
 * The answer as canonical stream events, in the order the contract prescribes: `stream-start`, the
 * content pieces (reasoning, text, then tool calls), `finish`, then `usage`. The pacing of the
 * content pieces is the writer's business.
 */
export const buildStreamEvents = (answer: PlannedAnswer, envelope: AnswerEnvelope): StreamEvent[] => {
  const events: StreamEvent[] = [{ type: 'stream-start', ...envelope }];
  if (answer.reasoning !== undefined) {
    for (const piece of splitIntoPieces(answer.reasoning)) events.push({ type: 'reasoning-delta', text: piece });
    events.push({ type: 'reasoning-delta', text: '', signature: reasoningSignature(answer.reasoning) });
  }
  for (const piece of splitIntoPieces(answer.text ?? '')) events.push({ type: 'text-delta', text: piece });
  answer.toolCalls.forEach((call, index) => {
    events.push({ type: 'tool-call-start', index, id: call.id, name: call.name });
    for (const piece of splitArguments(call.arguments)) events.push({ type: 'tool-call-delta', index, argumentsDelta: piece });
  });
  const finish: StreamEvent = { type: 'finish', finishReason: answer.finishReason };
  if (answer.stopSequence !== undefined) finish.stopSequence = answer.stopSequence;
  events.push(finish, { type: 'usage', usage: answer.usage });
  return events;
};
