/**
 * Model names as providers and configs spell them, reduced to the names the price catalog uses.
 * All matching is case-insensitive.
 */

/** Suffixes that name a snapshot or a version of a model rather than a different model. */
const versionSuffixes = [
  /-\d{4}-\d{2}-\d{2}$/, // gpt-4o-2024-08-06
  /-\d{8}$/, // claude-sonnet-4-5-20250929
  /@\d{8}$/, // claude-sonnet-4-5@20250929 (Vertex)
  /-v\d+(?::\d+)?$/, // anthropic.claude-...-v1:0, anthropic.claude-opus-4-6-v1 (Bedrock)
  /:\d+$/, // amazon.titan-embed-text-v2:0
  /-latest$/, // claude-3-7-sonnet-latest
  /-0$/, // claude-sonnet-4-0: Anthropic's alias for the first snapshot of a version
];

/** Removes snapshot, version and alias suffixes until none is left: `...-20250929-v1:0` → `...`. */
export function stripVersionSuffixes(name: string): string {
  let current = name;
  for (;;) {
    const next = versionSuffixes.reduce((value, suffix) => value.replace(suffix, ''), current);
    if (next === current || next === '') return current;
    current = next;
  }
}

/** Bedrock's cross-region inference profiles prefix a model id with a geography (`us.`, `global.`). */
const geographyPrefix = /^(?:us|eu|apac|au|jp|ca|global|us-gov)\./;

/**
 * The names to try for a Bedrock model id, most specific first: the id as given (regional profiles can
 * cost more, `us.anthropic.claude-sonnet-4-6` for one), then without its geography. ARNs of foundation
 * models and inference profiles end with the model id; LiteLLM-style `bedrock/` prefixes are dropped.
 * See https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html
 */
export function bedrockNameCandidates(model: string): string[] {
  let name = model.toLowerCase().trim();
  if (name.startsWith('arn:')) name = name.slice(name.lastIndexOf('/') + 1);
  name = name.replace(/^bedrock\//, '').replace(/^(?:converse|invoke)\//, '');
  const withoutGeography = name.replace(geographyPrefix, '');
  return withoutGeography === name ? [name] : [name, withoutGeography];
}

/** Gemini's API names models `models/gemini-2.5-flash`; the catalog, `gemini-2.5-flash`. */
export function geminiName(model: string): string {
  return model.toLowerCase().trim().replace(/^models\//, '');
}
