import type { SQLInputValue } from 'node:sqlite';
import type { AnalyticsFilter } from './analytics-query.ts';

export interface FilterSql {
  /** `WHERE ...`, or empty when nothing narrows. */
  where: string;
  parameters: SQLInputValue[];
}

/** A key's team is on the key (it never changes), so a team is the set of its keys. */
const keysOfTeam = 'key_id IN (SELECT id FROM api_keys WHERE team = ?)';

/**
 * The WHERE clause for a filter over the `requests` table. Values are always bound, never spliced.
 * Each column filtered here has an index led by it and followed by `started_at`, so a filter plus a
 * time range reads only the matching rows.
 */
export function requestsFilterSql(filter: AnalyticsFilter): FilterSql {
  const conditions: [string, SQLInputValue | undefined][] = [
    ['started_at >= ?', filter.since],
    ['started_at < ?', filter.until],
    ['key_id = ?', filter.keyId],
    [keysOfTeam, filter.team],
    ['end_user = ?', filter.endUser],
    ['model_requested = ?', filter.model],
    ['provider = ?', filter.provider],
    ['endpoint = ?', filter.endpoint],
    ['status = ?', filter.status],
    ['status >= ? * 100 AND status < (? + 1) * 100', filter.statusClass],
  ];
  return build(conditions);
}

/**
 * The WHERE clause for the daily roll-up. Its rows are whole UTC days, so a time range selects every
 * day it overlaps: `since` rounds down to its day and `until` up.
 */
export function rollupFilterSql(filter: AnalyticsFilter, dayMs: number): FilterSql {
  const conditions: [string, SQLInputValue | undefined][] = [
    ['day >= ?', filter.since === undefined ? undefined : Math.floor(filter.since / dayMs)],
    ['day < ?', filter.until === undefined ? undefined : Math.ceil(filter.until / dayMs)],
    ['key_id = ?', filter.keyId],
    [keysOfTeam, filter.team],
    ['model = ?', filter.model],
    ['provider = ?', filter.provider],
    ['endpoint = ?', filter.endpoint],
    ['status_class = ?', filter.statusClass],
  ];
  return build(conditions);
}

function build(conditions: [string, SQLInputValue | undefined][]): FilterSql {
  const active = conditions.filter(([, value]) => value !== undefined);
  const parameters = active.flatMap(([condition, value]) => Array.from({ length: condition.split('?').length - 1 }, () => value ?? null));
  return { where: active.length === 0 ? '' : `WHERE ${active.map(([condition]) => condition).join(' AND ')}`, parameters };
}
