import { readFileSync } from 'node:fs';

/** A recorded provider payload and where it came from. */
export interface Fixture {
  source: string;
  note: string;
  payload: unknown;
}

/** Reads `__fixtures__/<name>.json`. Test support only: synchronous reads are fine here. */
export const loadFixture = (name: string): Fixture => JSON.parse(readFileSync(new URL(`./${name}.json`, import.meta.url), 'utf8')) as Fixture;

/** A stream fixture's raw SSE text. */
export const loadStreamFixture = (name: string): string => {
  const { payload } = loadFixture(name);
  if (typeof payload !== 'string') throw new TypeError(`${name} is not a stream fixture`);
  return payload;
};
