import type { ChatRequest, JsonSchema, ToolDefinition } from '../core/model/index.ts';
import { hashString, type Random } from './deterministic-random.ts';
import { generateJsonValue } from './generate-json-value.ts';

export interface PlannedToolCall {
  id: string;
  name: string;
  /** JSON text valid against the tool's parameter schema. */
  arguments: string;
}

const mentions = (text: string, tool: ToolDefinition): boolean => {
  const lower = text.toLowerCase();
  const name = tool.name.toLowerCase();
  return lower.includes(name) || lower.includes(name.replaceAll(/[_-]+/g, ' '));
};

/** Which tools to call, or none: follows `tool_choice`, and under `auto` the user's mention of a tool. */
const chooseTools = (request: ChatRequest, userText: string, random: Random): ToolDefinition[] => {
  const tools = request.tools ?? [];
  const choice = request.toolChoice ?? { type: 'auto' };
  if (tools.length === 0 || choice.type === 'none') return [];
  if (choice.type === 'tool') {
    const named = tools.find((tool) => tool.name === choice.name);
    return [named ?? { name: choice.name, parameters: { type: 'object' } }];
  }
  const mentioned = tools.filter((tool) => mentions(userText, tool));
  const chosen = request.parallelToolCalls === false ? mentioned.slice(0, 1) : mentioned;
  if (choice.type === 'required') return chosen.length > 0 ? chosen : [random.pick(tools)];
  // Under `auto`, a tool result as the last message means the tool has answered: reply in text.
  const last = request.messages.at(-1);
  return last?.role === 'tool' ? [] : chosen;
};

/** The tool calls of the answer, with arguments generated from each tool's JSON Schema. */
export const chooseToolCalls = (request: ChatRequest, userText: string, random: Random, idPrefix: string): PlannedToolCall[] =>
  chooseTools(request, userText, random).map((tool, index) => {
    const parameters: JsonSchema = Object.keys(tool.parameters).length === 0 ? { type: 'object' } : tool.parameters;
    const suffix = hashString(`${tool.name}:${index}`, Math.floor(random.next() * 2 ** 32)).toString(36);
    return { id: `${idPrefix}${suffix}${index}`, name: tool.name, arguments: JSON.stringify(generateJsonValue(parameters, random)) };
  });
