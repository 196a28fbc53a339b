import type { SQLOutputValue } from 'node:sqlite';

/** A row as `node:sqlite` returns it. */
export type Row = Record<string, SQLOutputValue>;

/**
 * Typed reads of a row's columns. The schema already guarantees the types, so a mismatch means the file
 * was changed behind Bulwark's back: fail loudly, naming the column but never its value.
 */
export function readString(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw new TypeError(`column ${column}: expected text`);
  return value;
}

export function readNumber(row: Row, column: string): number {
  const value = row[column];
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw new TypeError(`column ${column}: expected a number`);
}

export function readOptionalString(row: Row, column: string): string | undefined {
  const value = row[column];
  return value === null || value === undefined ? undefined : readString(row, column);
}

export function readOptionalNumber(row: Row, column: string): number | undefined {
  const value = row[column];
  return value === null || value === undefined ? undefined : readNumber(row, column);
}

export function readStringArrayJson(row: Row, column: string): string[] {
  const parsed: unknown = JSON.parse(readString(row, column));
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new TypeError(`column ${column}: expected a JSON array of strings`);
  }
  return parsed;
}
