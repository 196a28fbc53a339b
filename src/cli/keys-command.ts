import { loadConfig } from '../config/load-config.ts';
import { publicKey } from '../server/routes/admin-routes.ts';
import { openDatabase } from '../stores/sqlite/open-database.ts';
import type { KeyLimitValues, KeyPriority } from '../stores/contracts.ts';
import { SqliteApiKeyStore } from '../stores/sqlite/sqlite-api-key-store.ts';
import { parseArguments, UsageError } from './parse-arguments.ts';
import { resolveConfigPath } from './resolve-config-path.ts';

const usage = `Usage:
  bulwark keys create --name NAME [--models a,b | --models '*'] [--team TEAM] [--expires-in 30d | --expires ISO-DATE]
                      [--rpm N] [--tpm N] [--max-concurrent N] [--priority high|normal|low]
  bulwark keys list
  bulwark keys revoke KEY_ID
Options: --config PATH (default ./bulwark.yaml), --json`;

const durationUnits: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30d`, `12h`, `90m` → milliseconds. */
export const parseDuration = (text: string): number => {
  const match = /^(\d+)([mhd])$/.exec(text);
  const unit = match?.[2] === undefined ? undefined : durationUnits[match[2]];
  if (match?.[1] === undefined || unit === undefined) throw new UsageError(`--expires-in takes a number and a unit m, h or d (e.g. 30d), not "${text}"`);
  return Number(match[1]) * unit;
};

const expiryFrom = (values: { expires?: string | undefined; 'expires-in'?: string | undefined }, now: number): number | undefined => {
  if (values['expires-in'] !== undefined) return now + parseDuration(values['expires-in']);
  if (values.expires === undefined) return undefined;
  const time = Date.parse(values.expires);
  if (Number.isNaN(time)) throw new UsageError(`--expires takes an ISO 8601 date, not "${values.expires}"`);
  return time;
};

const positiveInteger = (flag: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw new UsageError(`--${flag} takes a positive integer, not "${text}"`);
  return value;
};

const limitsFrom = (values: { rpm?: string | undefined; tpm?: string | undefined; 'max-concurrent'?: string | undefined }): KeyLimitValues | undefined => {
  const limits: KeyLimitValues = {};
  const requestsPerMinute = positiveInteger('rpm', values.rpm);
  const tokensPerMinute = positiveInteger('tpm', values.tpm);
  const maxConcurrent = positiveInteger('max-concurrent', values['max-concurrent']);
  if (requestsPerMinute !== undefined) limits.requestsPerMinute = requestsPerMinute;
  if (tokensPerMinute !== undefined) limits.tokensPerMinute = tokensPerMinute;
  if (maxConcurrent !== undefined) limits.maxConcurrent = maxConcurrent;
  return Object.keys(limits).length === 0 ? undefined : limits;
};

const priorityFrom = (text: string | undefined): KeyPriority | undefined => {
  if (text === undefined) return undefined;
  if (text === 'high' || text === 'normal' || text === 'low') return text;
  throw new UsageError(`--priority takes high, normal or low, not "${text}"`);
};

/** `bulwark keys ...`: manages virtual keys directly in the configured database. */
export const runKeysCommand = async (argv: string[], print: (line: string) => void = console.log): Promise<void> => {
  const { values, positionals } = parseArguments(
    argv,
    {
      config: { type: 'string' }, name: { type: 'string' }, models: { type: 'string' }, team: { type: 'string' },
      expires: { type: 'string' }, 'expires-in': { type: 'string' }, json: { type: 'boolean' },
      rpm: { type: 'string' }, tpm: { type: 'string' }, 'max-concurrent': { type: 'string' }, priority: { type: 'string' },
    },
    usage,
  );
  const [action, id] = positionals;
  const config = await loadConfig(resolveConfigPath(values.config));
  const database = openDatabase(config.storage.sqlitePath);
  const keys = new SqliteApiKeyStore(database);
  try {
    if (action === 'create') {
      if (values.name === undefined) throw new UsageError(`keys create needs --name\n\n${usage}`);
      const models = (values.models ?? '*').split(',').map((model) => model.trim()).filter((model) => model !== '');
      const expiresAt = expiryFrom(values, Date.now());
      const limits = limitsFrom(values);
      const priority = priorityFrom(values.priority);
      const { key, secret } = await keys.create({
        name: values.name, models, ...(values.team === undefined ? {} : { team: values.team }), ...(expiresAt === undefined ? {} : { expiresAt }),
        ...(limits === undefined ? {} : { limits }), ...(priority === undefined ? {} : { priority }),
      });
      if (values.json === true) print(JSON.stringify({ ...publicKey(key), key: secret }));
      else print(`created ${key.id} (${key.name}) for models ${key.models.join(', ')}\n\n  ${secret}\n\nKeep it now: it is stored hashed and cannot be shown again.`);
    } else if (action === 'list') {
      const list = (await keys.list()).map(publicKey);
      if (values.json === true) print(JSON.stringify(list));
      else for (const key of list) print(`${key.id}  bk_${key.prefix}…  ${key.name}  models=${key.models.join(',')}${key.revoked_at === null ? '' : '  REVOKED'}${key.expires_at === null ? '' : `  expires=${key.expires_at}`}`);
    } else if (action === 'revoke') {
      if (id === undefined) throw new UsageError(`keys revoke needs a key id\n\n${usage}`);
      if (!(await keys.revoke(id))) throw new UsageError(`no key with id ${id}`);
      print(`revoked ${id}`);
    } else {
      throw new UsageError(usage);
    }
  } finally {
    database.close();
  }
};
