import type { IncomingMessage, ServerResponse } from 'node:http';
import { hasCredentials } from './has-credentials.ts';
import { sendJson, sendProviderError } from './send-response.ts';
import type { SimulatorContext } from './simulator-context.ts';

export const defaultModels = [
  'gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'o4-mini', 'text-embedding-3-small', 'text-embedding-3-large',
  'claude-sonnet-4-5', 'claude-haiku-4-5', 'gemini-2.5-flash', 'gemini-2.5-pro', 'text-embedding-004',
];

/**
 * `GET /v1/models`, which OpenAI and Anthropic share: answered in Anthropic's shape when the request
 * carries Anthropic's `anthropic-version` header, in OpenAI's otherwise.
 * https://platform.openai.com/docs/api-reference/models/list, https://docs.anthropic.com/en/api/models-list
 */
export const handleModels = (context: SimulatorContext, url: URL, request: IncomingMessage, response: ServerResponse): void => {
  const family = request.headers['anthropic-version'] === undefined ? 'openai' : 'anthropic';
  if (!hasCredentials(family, request.headers, url.searchParams)) {
    sendProviderError(response, family, 'authentication', 'Missing or malformed credentials for this API');
    return;
  }
  const created = Math.floor(context.now() / 1000);
  if (family === 'openai') {
    sendJson(response, 200, { object: 'list', data: context.models.map((id) => ({ id, object: 'model', created, owned_by: 'bulwark-simulator' })) });
    return;
  }
  const createdAt = new Date(created * 1000).toISOString();
  const data = context.models.map((id) => ({ type: 'model', id, display_name: id, created_at: createdAt }));
  sendJson(response, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
};
