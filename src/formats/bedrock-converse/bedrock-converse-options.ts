/**
 * How a canonical `json-schema` response format reaches Bedrock.
 *
 * - `native` (default): Converse's own structured output, `outputConfig.textFormat` with the schema
 *   as a JSON string; the answer is plain text holding the JSON.
 *   https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_OutputConfig.html
 *   https://docs.aws.amazon.com/bedrock/latest/userguide/structured-output.html
 * - `tool`: for models without native structured output, the way peers emulate it (LiteLLM's
 *   `json_tool_call`, the Vercel AI SDK's `json` tool): a tool named {@link jsonResponseToolName}
 *   whose input schema is the schema, forced with `toolChoice`. The decoders turn that tool's call
 *   back into text; since codecs keep no state between request and answer, they recognise the tool
 *   by its reserved name.
 */
export type StructuredOutputMode = 'native' | 'tool';

export interface BedrockConverseOptions {
  structuredOutput?: StructuredOutputMode;
}

/** The reserved name of the emulated structured-output tool (mode `tool`). */
export const jsonResponseToolName = 'json_response';
