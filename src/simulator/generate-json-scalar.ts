import type { JsonObject } from '../core/model/index.ts';
import type { Random } from './deterministic-random.ts';
import { readNumber, readString } from './json-schema-access.ts';

const words = ['alpha', 'bright', 'cedar', 'delta', 'ember', 'fable', 'garnet', 'harbor', 'indigo', 'juniper', 'kestrel', 'lumen'] as const;
const names = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov', 'Donald Knuth'] as const;
const cities = ['Lisbon', 'Nairobi', 'Osaka', 'Toronto', 'Valparaíso', 'Tallinn'] as const;

const hex = (random: Random, length: number): string =>
  Array.from({ length }, () => random.integer(0, 15).toString(16)).join('');

/** A value for a string `format`, or undefined for formats the simulator does not know. */
const formatted = (format: string, random: Random): string | undefined => {
  const moment = new Date(Date.UTC(2024, 0, 1) + random.integer(0, 730 * 24 * 3600) * 1000).toISOString();
  switch (format) {
    case 'date-time': return moment.replace('.000Z', 'Z');
    case 'date': return moment.slice(0, 10);
    case 'time': return `${moment.slice(11, 19)}Z`;
    case 'email': return `${random.pick(words)}.${random.pick(words)}@example.com`;
    case 'uri': case 'url': case 'iri': return `https://example.com/${random.pick(words)}/${random.integer(1, 999)}`;
    case 'uri-reference': case 'iri-reference': return `/${random.pick(words)}/${random.integer(1, 999)}`;
    case 'hostname': case 'idn-hostname': return `${random.pick(words)}.example.com`;
    case 'uuid': return `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-a${hex(random, 3)}-${hex(random, 12)}`;
    case 'ipv4': return `192.0.2.${random.integer(1, 254)}`;
    case 'ipv6': return `2001:db8::${random.integer(1, 65535).toString(16)}`;
    case 'duration': return `P${random.integer(1, 30)}D`;
    default: return undefined;
  }
};

/** Plausible text for a property, from its name where it says what it holds. */
const textFor = (propertyName: string | undefined, random: Random): string => {
  const key = (propertyName ?? '').toLowerCase();
  if (key.includes('name')) return random.pick(names);
  if (key.includes('city') || key.includes('location')) return random.pick(cities);
  if (key === 'id' || key.endsWith('_id') || key.endsWith('Id')) return `id_${hex(random, 8)}`;
  const count = random.integer(1, 4);
  return Array.from({ length: count }, () => random.pick(words)).join(' ');
};

export const generateString = (schema: JsonObject, random: Random, propertyName?: string): string => {
  const format = readString(schema, 'format');
  const special = format === undefined ? undefined : formatted(format, random);
  if (special !== undefined) return special;
  const minLength = Math.max(0, readNumber(schema, 'minLength') ?? 0);
  const maxLength = readNumber(schema, 'maxLength') ?? Number.POSITIVE_INFINITY;
  let text = textFor(propertyName, random);
  while (text.length < minLength) text += ` ${random.pick(words)}`;
  // Slice by code points so a multi-unit character is never cut in half.
  const codePoints = Array.from(text);
  if (codePoints.length <= maxLength) return text;
  const cut = codePoints.slice(0, maxLength).join('');
  const trimmed = cut.trimEnd();
  return Array.from(trimmed).length >= minLength ? trimmed : cut;
};

interface Bounds {
  low: number;
  high: number;
  lowExclusive: boolean;
  highExclusive: boolean;
}

/** Reads minimum/maximum in both draft-4 (boolean exclusive) and draft-6+ (numeric exclusive) forms. */
const readBounds = (schema: JsonObject): Bounds => {
  const minimum = readNumber(schema, 'minimum');
  const maximum = readNumber(schema, 'maximum');
  const exclusiveMinimum = readNumber(schema, 'exclusiveMinimum');
  const exclusiveMaximum = readNumber(schema, 'exclusiveMaximum');
  let low = exclusiveMinimum ?? minimum;
  let high = exclusiveMaximum ?? maximum;
  const lowExclusive = exclusiveMinimum !== undefined || (schema.exclusiveMinimum === true && minimum !== undefined);
  const highExclusive = exclusiveMaximum !== undefined || (schema.exclusiveMaximum === true && maximum !== undefined);
  if (low === undefined && high === undefined) [low, high] = [0, 100];
  else if (low === undefined) low = (high as number) - 100;
  else if (high === undefined) high = low + 100;
  return { low: low as number, high: high as number, lowExclusive, highExclusive };
};

export const generateInteger = (schema: JsonObject, random: Random): number => {
  const bounds = readBounds(schema);
  const step = readNumber(schema, 'multipleOf') ?? 1;
  let low = Math.ceil(bounds.low / step);
  let high = Math.floor(bounds.high / step);
  if (bounds.lowExclusive && low * step <= bounds.low) low += 1;
  if (bounds.highExclusive && high * step >= bounds.high) high -= 1;
  const value = random.integer(low, Math.max(low, high)) * step;
  return Number.isInteger(value) ? value : Math.round(value);
};

export const generateNumber = (schema: JsonObject, random: Random): number => {
  const bounds = readBounds(schema);
  const step = readNumber(schema, 'multipleOf');
  if (step !== undefined) {
    const low = Math.ceil(bounds.low / step) + (bounds.lowExclusive && Math.ceil(bounds.low / step) * step <= bounds.low ? 1 : 0);
    const high = Math.floor(bounds.high / step) - (bounds.highExclusive && Math.floor(bounds.high / step) * step >= bounds.high ? 1 : 0);
    return random.integer(low, Math.max(low, high)) * step;
  }
  const raw = bounds.low + (0.1 + random.next() * 0.8) * (bounds.high - bounds.low);
  const rounded = Math.round(raw * 100) / 100;
  const inside = (value: number): boolean =>
    (bounds.lowExclusive ? value > bounds.low : value >= bounds.low) && (bounds.highExclusive ? value < bounds.high : value <= bounds.high);
  return inside(rounded) ? rounded : raw;
};
