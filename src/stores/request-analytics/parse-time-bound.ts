const durationUnits: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A time bound as people type it, to epoch ms: a duration back from `now` (`90m`, `24h`, `7d`), epoch
 * milliseconds (`1767225600000`) or an ISO 8601 date or time (`2026-01-01`, `2026-01-01T12:00:00Z`).
 * Undefined when it is none of these.
 */
export function parseTimeBound(text: string, now: number): number | undefined {
  const duration = /^(\d+)([mhd])$/.exec(text);
  if (duration?.[1] !== undefined && duration[2] !== undefined) return now - Number(duration[1]) * (durationUnits[duration[2]] ?? 0);
  if (/^\d{10,16}$/.test(text)) return Number(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}
