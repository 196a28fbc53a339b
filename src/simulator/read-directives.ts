import type { ChatRequest } from '../core/model/index.ts';

/**
 * Directives a test may put in the last user message to steer the simulated model:
 * `[[sim:reply <text>]]` answers exactly <text>; `[[sim:length <n>]]` answers about <n> tokens of prose.
 */
export interface Directives {
  reply?: string;
  length?: number;
}

const replyPattern = /\[\[sim:reply ([\s\S]*?)\]\]/;
const lengthPattern = /\[\[sim:length (\d+)\]\]/;

/** The text of the last user message, where directives and tool mentions are looked for. */
export const lastUserText = (request: ChatRequest): string => {
  for (let index = request.messages.length - 1; index >= 0; index--) {
    const message = request.messages[index];
    if (message?.role === 'user') return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
  }
  return '';
};

export const readDirectives = (text: string): Directives => {
  const directives: Directives = {};
  const reply = replyPattern.exec(text);
  if (reply?.[1] !== undefined) directives.reply = reply[1];
  const length = lengthPattern.exec(text);
  if (length?.[1] !== undefined) directives.length = Number(length[1]);
  return directives;
};
