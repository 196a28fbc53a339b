import type { JsonObject, JsonSchema, ResponseFormat } from '../../core/model/index.ts';

/**
 * Structured outputs (https://platform.claude.com/docs/en/build-with-claude/structured-outputs).
 *
 * Anthropic's current request field is `output_config.format = {type: 'json_schema', schema}`
 * (generally available; `MessageCreateParams.output_config` in anthropic-sdk-typescript). The beta
 * spelling, top-level `output_format` behind `anthropic-beta: structured-outputs-2025-11-13`, is
 * deprecated: Bulwark still reads it from callers but only ever sends `output_config.format`.
 *
 * Anthropic has no "any JSON object" mode, so canonical `json-object` is sent as the schema
 * `{type: 'object'}`, and that exact schema decodes back to `json-object`. Anthropic's formats are
 * always enforced (constrained decoding), so decoded schemas are `strict`; the schema has no name
 * at Anthropic, so its `title` (or "response") names it.
 */
export const decodeResponseFormat = (format: { type: 'json_schema'; schema: JsonSchema } | null | undefined): ResponseFormat | undefined => {
  if (format === null || format === undefined) return undefined;
  const { schema } = format;
  if (Object.keys(schema).length === 1 && schema.type === 'object') return { type: 'json-object' };
  const name = typeof schema.title === 'string' && schema.title !== '' ? schema.title : 'response';
  return { type: 'json-schema', name, schema, strict: true };
};

export const encodeResponseFormat = (responseFormat: ResponseFormat | undefined): JsonObject | undefined => {
  switch (responseFormat?.type) {
    case 'json-object':
      return { type: 'json_schema', schema: { type: 'object' } };
    case 'json-schema':
      return { type: 'json_schema', schema: responseFormat.schema };
    default:
      return undefined;
  }
};
