import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { formatIssuePath } from '../formats/shared/parse-with-schema.ts';
import { configSchema, type Config } from './config-schema.ts';

/** A config that cannot be used. The message names the file and the offending path. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const variablePattern = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string of the parsed YAML. Interpolating values,
 * not the raw text, means an environment variable can never inject YAML structure.
 */
export const interpolateEnvironment = (value: unknown, environment: NodeJS.ProcessEnv, path: PropertyKey[] = []): unknown => {
  if (typeof value === 'string') {
    return value.replace(variablePattern, (_match, name: string, fallback: string | undefined) => {
      const found = environment[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      throw new ConfigError(`${formatIssuePath(path) || 'config'}: environment variable ${name} is not set (write \${${name}:-} to allow it to be empty)`);
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => interpolateEnvironment(item, environment, [...path, index]));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateEnvironment(item, environment, [...path, key])]));
  }
  return value;
};

/** Parses and validates config text. `source` names the file in error messages. */
export const parseConfig = (text: string, source: string, environment: NodeJS.ProcessEnv = process.env): Config => {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(`${source}: invalid YAML: ${document.errors.map((error) => error.message).join('; ')}`);
  }
  const raw: unknown = document.toJS() ?? {};
  let interpolated: unknown;
  try {
    interpolated = interpolateEnvironment(raw, environment);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${source}: ${error.message}`);
    throw error;
  }
  const parsed = configSchema.safeParse(interpolated);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  ${formatIssuePath(issue.path) || '(top level)'}: ${issue.message}`);
  throw new ConfigError(`${source}: invalid configuration:\n${problems.join('\n')}`);
};

export const loadConfig = async (path: string, environment: NodeJS.ProcessEnv = process.env): Promise<Config> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${path}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseConfig(text, path, environment);
};
