import { readFileSync } from 'node:fs';

/** A recorded payload and where it came from. */
export interface Fixture {
  source: string;
  note: string;
  payload: unknown;
}

export const loadFixture = (name: string): Fixture =>
  JSON.parse(readFileSync(new URL(`./${name}.json`, import.meta.url), 'utf8')) as Fixture;

/** A fixture whose payload is a streamed body (text/event-stream). */
export const loadStreamFixture = (name: string): string => {
  const { payload } = loadFixture(name);
  if (typeof payload !== 'string') throw new TypeError(`${name} is not a stream fixture`);
  return payload;
};
