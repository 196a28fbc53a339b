/**
 * One step of the schema's history. Versions are applied in ascending order, each exactly once, and
 * recorded in `schema_migrations`; a migration, once released, is never edited: add a new one.
 */
export interface Migration {
  version: number;
  /** Recorded with the version, to catch a database migrated by a different history. */
  name: string;
  sql: string;
}
