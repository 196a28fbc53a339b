import { readFileSync } from 'node:fs';

/** The payload of a codec's recorded fixture, `src/formats/<format>/__fixtures__/<name>.json`. Tests only. */
export const readFormatFixture = (format: string, name: string): unknown => {
  const url = new URL(`../../formats/${format}/__fixtures__/${name}.json`, import.meta.url);
  const fixture = JSON.parse(readFileSync(url, 'utf8')) as { payload: unknown };
  return fixture.payload;
};

/** A fixture whose payload is a streamed body as text (server-sent events). */
export const readStreamFixture = (format: string, name: string): string => {
  const payload = readFormatFixture(format, name);
  if (typeof payload !== 'string') throw new TypeError(`${format}/${name} is not a text stream fixture`);
  return payload;
};
