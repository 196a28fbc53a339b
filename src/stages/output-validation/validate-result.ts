import type { ErrorObject } from 'ajv';
import type { ChatRequest, ChatResult, ToolCallPart } from '../../core/model/index.ts';
import { noOutputValidationRules, type OutputValidationRules } from './compile-output-validation-rules.ts';
import { findMissingField } from './find-missing-field.ts';
import { sharedSchemaValidatorCache, type SchemaValidatorCache } from './schema-validator-cache.ts';
import type { ValidationFailure } from './validation-failure.ts';

/** The parts of a result that validation reads, gathered once. */
interface Output {
  text: string;
  reasoning: string[];
  toolCalls: ToolCallPart[];
}

const gather = (result: ChatResult): Output => {
  const output: Output = { text: '', reasoning: [], toolCalls: [] };
  for (const part of result.content) {
    if (part.type === 'text') output.text += part.text;
    else if (part.type === 'tool-call') output.toolCalls.push(part);
    else output.reasoning.push(part.text);
  }
  return output;
};

type Parsed = { ok: true; value: unknown } | { ok: false };

/** JSON.parse's own error message quotes the input, so it is dropped. */
const parseJson = (text: string): Parsed => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

/**
 * ajv's message and the path in the schema: both come from the caller's schema. The instance path is
 * left out on purpose: with `additionalProperties` or `patternProperties` its keys are output data.
 */
const describeSchemaError = (errors: ErrorObject[] | null | undefined): string => {
  const error = errors?.[0];
  if (error === undefined) return 'it does not match';
  return `${error.message ?? error.keyword} (schema path ${error.schemaPath})`.slice(0, 300);
};

const checkRules = (output: Output, rules: OutputValidationRules): ValidationFailure | undefined => {
  if (rules.maxOutputCharacters !== undefined) {
    const length = output.toolCalls.reduce((sum, call) => sum + call.arguments.length, output.text.length);
    if (length > rules.maxOutputCharacters) {
      return { reason: 'too-long', message: `The output is ${length} characters long; the limit is ${rules.maxOutputCharacters}.` };
    }
  }
  const checked = [output.text, ...output.toolCalls.map((call) => call.arguments), ...output.reasoning];
  const index = rules.prohibitedPatterns.findIndex((pattern) => checked.some((text) => pattern.test(text)));
  if (index === -1) return undefined;
  return { reason: 'prohibited-pattern', message: `The output matches prohibited pattern #${index + 1} of the configuration.` };
};

const checkResponseFormat = (request: ChatRequest, output: Output, rules: OutputValidationRules, schemas: SchemaValidatorCache): ValidationFailure | undefined => {
  const format = request.responseFormat;
  if (format === undefined || format.type === 'text') return undefined;
  // The model chose to call a tool rather than answer: there is no answer to hold to the format yet.
  if (output.text.trim() === '' && output.toolCalls.length > 0) return undefined;
  const parsed = parseJson(output.text);
  if (!parsed.ok) return { reason: 'invalid-json', message: 'The output is not valid JSON; the request asked for JSON.' };
  if (format.type === 'json-object' && (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value))) {
    return { reason: 'not-json-object', message: 'The output is JSON but not an object; the request asked for a JSON object.' };
  }
  if (format.type === 'json-schema') {
    const validate = schemas.validatorFor(format.schema);
    if (validate !== undefined && !validate(parsed.value)) {
      return { reason: 'schema-mismatch', message: `The output does not match the response schema "${format.name}": ${describeSchemaError(validate.errors)}.` };
    }
  }
  const missing = findMissingField(parsed.value, rules.requiredFields);
  if (missing === undefined) return undefined;
  return { reason: 'missing-required-field', message: `The output lacks the required field "${missing.path}".` };
};

const checkToolCalls = (request: ChatRequest, output: Output, schemas: SchemaValidatorCache): ValidationFailure | undefined => {
  for (const [index, call] of output.toolCalls.entries()) {
    // The tool's name is the model's output, so the message names the call by position.
    const tool = request.tools?.find((candidate) => candidate.name === call.name);
    if (tool === undefined) return { reason: 'unknown-tool', message: `Tool call ${index + 1} names a tool the request does not define.` };
    // Some providers send no argument text for a tool without parameters.
    const parsed = parseJson(call.arguments.trim() === '' ? '{}' : call.arguments);
    if (!parsed.ok) return { reason: 'invalid-tool-arguments', message: `The arguments of tool call ${index + 1} ("${tool.name}") are not valid JSON.` };
    const validate = schemas.validatorFor(tool.parameters);
    if (validate !== undefined && !validate(parsed.value)) {
      return {
        reason: 'tool-arguments-schema-mismatch',
        message: `The arguments of tool call ${index + 1} ("${tool.name}") do not match its parameters: ${describeSchemaError(validate.errors)}.`,
      };
    }
  }
  return undefined;
};

/**
 * Checks a whole result against what the request asked for and the configured rules; undefined when it
 * is usable. The order: configured rules (length, prohibited patterns), then emptiness, then the
 * response format (with required fields), then tool-call arguments.
 *
 * A result the provider says is incomplete (`length`, `content-filter`) is not held to its format: the
 * caller sees the finish reason, and asking again with the same limits would be cut off again. The
 * configured rules still apply to it.
 */
export const validateResult = (
  request: ChatRequest,
  result: ChatResult,
  rules: OutputValidationRules = noOutputValidationRules,
  schemas: SchemaValidatorCache = sharedSchemaValidatorCache,
): ValidationFailure | undefined => {
  const output = gather(result);
  const ruleFailure = checkRules(output, rules);
  if (ruleFailure !== undefined) return ruleFailure;
  if (result.finishReason === 'stop' && output.text.trim() === '' && output.toolCalls.length === 0) {
    return { reason: 'empty-output', message: 'The output is empty: no text and no tool calls.' };
  }
  if (result.finishReason === 'length' || result.finishReason === 'content-filter') return undefined;
  return checkResponseFormat(request, output, rules, schemas) ?? checkToolCalls(request, output, schemas);
};
