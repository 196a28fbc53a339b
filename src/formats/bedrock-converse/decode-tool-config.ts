import type { ToolChoice, ToolDefinition } from '../../core/model/index.ts';
import { contentBlockMember } from './content-block-member.ts';
import { definedProperties } from './defined-properties.ts';
import { cacheControlOfCachePoint } from './decode-messages.ts';
import type { ConverseRequestBody } from './schemas.ts';

type BedrockToolConfig = NonNullable<ConverseRequestBody['toolConfig']>;

/**
 * Bedrock's `toolConfig` in canonical form. A `cachePoint` among the tools marks the tool before it.
 * Bedrock has no "none" choice; `any` is canonical `required`.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ToolConfiguration.html
 */
export const decodeToolConfig = (toolConfig: BedrockToolConfig): { tools: ToolDefinition[]; toolChoice?: ToolChoice } => {
  const tools: ToolDefinition[] = [];
  toolConfig.tools.forEach((tool, index) => {
    contentBlockMember(tool, ['toolSpec', 'cachePoint'], `toolConfig.tools[${index}]`);
    const last = tools.at(-1);
    if (tool.cachePoint !== undefined && last !== undefined) last.cacheControl = cacheControlOfCachePoint(tool.cachePoint);
    if (tool.toolSpec === undefined) return;
    tools.push(
      definedProperties<ToolDefinition>({
        name: tool.toolSpec.name,
        description: tool.toolSpec.description,
        parameters: tool.toolSpec.inputSchema.json,
        strict: tool.toolSpec.strict,
      }),
    );
  });
  const choice = toolConfig.toolChoice;
  if (choice === undefined) return { tools };
  if (choice.tool !== undefined) return { tools, toolChoice: { type: 'tool', name: choice.tool.name } };
  return { tools, toolChoice: choice.any === undefined ? { type: 'auto' } : { type: 'required' } };
};
