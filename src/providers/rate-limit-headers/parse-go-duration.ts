const secondsPerUnit: Record<string, number> = {
  h: 3600,
  m: 60,
  s: 1,
  ms: 1e-3,
  us: 1e-6,
  'µs': 1e-6,
  'μs': 1e-6,
  ns: 1e-9,
};

/** `ms` before `m` and `s`: alternation takes the first branch that matches. */
const component = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|μs|ms|h|m|s)/y;

/**
 * Seconds in a Go-style duration, as OpenAI writes its reset headers (`1s`, `6m0s`, `20ms`, `8.64s`,
 * `1h2m3s`); a bare number is taken as seconds (Azure sends `0`). Undefined for anything else, including
 * negative values, so a malformed header never becomes a wait.
 */
export const parseGoDuration = (text: string): number | undefined => {
  const value = text.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  if (value === '') return undefined;
  component.lastIndex = 0;
  let seconds = 0;
  while (component.lastIndex < value.length) {
    const match = component.exec(value);
    if (match === null) return undefined;
    seconds += Number(match[1]) * (secondsPerUnit[match[2] ?? ''] ?? Number.NaN);
  }
  // Rounded to the microsecond so that `20ms` is 0.02, not 0.020000000000000004.
  return Number.isFinite(seconds) ? Math.round(seconds * 1e6) / 1e6 : undefined;
};
