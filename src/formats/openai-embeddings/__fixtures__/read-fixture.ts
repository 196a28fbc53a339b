import { readFileSync } from 'node:fs';
import { z } from 'zod';

const fixtureSchema = z.object({ source: z.string().min(1), note: z.string(), payload: z.unknown() });

/** A fixture of this folder: a real payload and where it came from. Tests only (synchronous read). */
export const readFixture = (name: string): unknown =>
  fixtureSchema.parse(JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8'))).payload;
