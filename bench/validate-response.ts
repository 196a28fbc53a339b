import { z } from 'zod';

/** An OpenAI chat completion, as much of it as proves the gateway answered properly. */
const completionSchema = z.object({
  object: z.literal('chat.completion'),
  choices: z.array(z.object({ message: z.object({ content: z.string().min(1) }), finish_reason: z.string() })).min(1),
});

/**
 * Why a non-streamed answer is not a successful chat completion, or undefined when it is. A
 * benchmark that counted error pages as fast answers would flatter whoever fails fastest.
 */
export const validateCompletion = (status: number, text: string): string | undefined => {
  if (status !== 200) return `status ${status}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'body is not JSON';
  }
  return completionSchema.safeParse(value).success ? undefined : 'body is not a chat completion';
};

/**
 * Why a streamed answer is not a complete OpenAI SSE stream, or undefined when it is: every event a
 * `chat.completion.chunk`, one with a finish reason, and `data: [DONE]` last (a stream cut short has
 * no [DONE]). String checks rather than parsing each chunk keep the load generator's CPU low, since
 * it shares the machine with the gateways.
 */
export const validateStream = (status: number, contentType: string, text: string): string | undefined => {
  if (status !== 200) return `status ${status}`;
  if (!contentType.startsWith('text/event-stream')) return `content-type ${contentType || 'missing'}`;
  const events = text.split(/\r?\n\r?\n/).map((event) => event.trim()).filter((event) => event !== '');
  if (events.at(-1) !== 'data: [DONE]') return 'stream did not end with data: [DONE]';
  if (events.length < 2) return 'stream has no chunks';
  let finished = false;
  for (const event of events.slice(0, -1)) {
    if (!event.startsWith('data: {') || !event.includes('"chat.completion.chunk"')) return `unexpected event: ${event.slice(0, 80)}`;
    if (/"finish_reason":"/.test(event)) finished = true;
  }
  return finished ? undefined : 'stream has no finish_reason';
};
