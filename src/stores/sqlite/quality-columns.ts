import type { SQLInputValue } from 'node:sqlite';
import type { QualitySignals } from '../../core/pipeline/request-context.ts';
import type { RequestRecord } from '../contracts.ts';
import { readOptionalNumber, readOptionalString, type Row } from './read-row.ts';

const validationVerdicts: ReadonlySet<unknown> = new Set(['passed', 'reasked', 'failed']);

/**
 * The `quality_score` and `quality_signals` columns of a record (migration 7). A score outside 0..1
 * (or not a number) is stored as NULL rather than refused: like the rest of the request log, a bad
 * value must not fail its batch, and it must not skew the route's daily roll-up either. The signals are
 * compact JSON, NULL when there are none.
 */
export function toQualityColumns(record: Pick<RequestRecord, 'qualityScore' | 'qualitySignals'>): [score: SQLInputValue, signals: SQLInputValue] {
  const { qualityScore, qualitySignals } = record;
  const score = typeof qualityScore === 'number' && qualityScore >= 0 && qualityScore <= 1 ? qualityScore : null;
  return [score, serializeSignals(qualitySignals)];
}

function serializeSignals(signals: QualitySignals | undefined): string | null {
  if (signals === undefined || signals === null) return null;
  const compact: QualitySignals = {};
  if (validationVerdicts.has(signals.validation)) compact.validation = signals.validation;
  const flags = Array.isArray(signals.flags) ? signals.flags.filter((flag) => typeof flag === 'string') : [];
  if (flags.length > 0) compact.flags = flags;
  return compact.validation === undefined && compact.flags === undefined ? null : JSON.stringify(compact);
}

/** Reads the two columns back; malformed signals fail loudly, naming the column but not its value (see read-row.ts). */
export function readQualityColumns(row: Row): Pick<RequestRecord, 'qualityScore' | 'qualitySignals'> {
  const qualityScore = readOptionalNumber(row, 'quality_score');
  const text = readOptionalString(row, 'quality_signals');
  return { qualityScore, qualitySignals: text === undefined ? undefined : parseSignals(text) };
}

function parseSignals(text: string): QualitySignals {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TypeError('column quality_signals: expected JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('column quality_signals: expected a JSON object');
  const { validation, flags } = parsed as Record<string, unknown>;
  const signals: QualitySignals = {};
  if (validation !== undefined) {
    if (!validationVerdicts.has(validation)) throw new TypeError('column quality_signals: unknown validation verdict');
    signals.validation = validation as QualitySignals['validation'];
  }
  if (flags !== undefined) {
    if (!Array.isArray(flags) || !flags.every((flag) => typeof flag === 'string')) throw new TypeError('column quality_signals: flags must be strings');
    signals.flags = flags;
  }
  return signals;
}
