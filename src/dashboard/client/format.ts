/**
 * How the dashboard writes figures. Every formatter takes `null`/`undefined` (the API's "no data") and
 * answers an em dash, so a renderer never has to guard a value before printing it.
 */

const missing = '—';
const minus = '−';

type Maybe = number | null | undefined;

const isNumber = (value: Maybe): value is number => typeof value === 'number' && Number.isFinite(value);

const usdWhole = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const usdCents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const usdSmall = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 2 });
const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/**
 * Dollars at the precision that matters for the size: a single request costs fractions of a cent
 * ($0.0042), a day's spend is shown to the cent ($18.40), a month's in whole dollars ($12,480).
 */
export const formatUsd = (value: Maybe): string => {
  if (!isNumber(value)) return missing;
  const size = Math.abs(value);
  if (size === 0) return '$0.00';
  const text = size < 0.01 ? usdSmall.format(size) : size < 10_000 ? usdCents.format(size) : usdWhole.format(size);
  return value < 0 ? `${minus}${text}` : text;
};

/** One request's cost, to two significant digits below a dollar: "$0.021", "$0.00057". */
export const formatRequestCost = (value: Maybe): string => {
  if (!isNumber(value)) return missing;
  if (value === 0) return '$0';
  return Math.abs(value) < 1 ? usdSmall.format(value) : usdCents.format(value);
};

/** Milliseconds below a second, seconds above: "840 ms", "1.24 s", "38 s". */
export const formatMs = (value: Maybe): string => {
  if (!isNumber(value)) return missing;
  if (value < 1_000) return `${Math.round(value)} ms`;
  const seconds = value / 1_000;
  return `${seconds < 10 ? seconds.toFixed(2) : seconds < 100 ? seconds.toFixed(1) : Math.round(seconds)} s`;
};

/** A count with thousands separators: 12,480. */
export const formatCount = (value: Maybe): string => (isNumber(value) ? grouped.format(value) : missing);

/** Dollars for a chart axis: "$0", "$2.50", "$150", "$1.5K". */
export const formatUsdAxis = (value: Maybe): string => {
  if (!isNumber(value)) return missing;
  const size = Math.abs(value);
  const text = size === 0 ? '0' : size < 10 ? size.toFixed(2) : size < 1_000 ? String(Math.round(size)) : compact.format(size);
  return `${value < 0 ? minus : ''}$${text}`;
};

/** Milliseconds for a chart axis, without trailing zeros: "500 ms", "2 s", "1.5 s". */
export const formatMsAxis = (value: Maybe): string => {
  if (!isNumber(value)) return missing;
  return value < 1_000 ? `${Math.round(value)} ms` : `${Number((value / 1_000).toFixed(1))} s`;
};

/** A count short enough for a card or a chart axis: 12.5K, 3.1M. */
export const formatCompactCount = (value: Maybe): string => (isNumber(value) ? compact.format(value) : missing);

/** A fraction as a percentage, with more digits for the small error rates a healthy gateway has. */
export const formatPercent = (fraction: Maybe): string => {
  if (!isNumber(fraction)) return missing;
  const percent = fraction * 100;
  if (percent === 0) return '0%';
  const size = Math.abs(percent);
  const digits = size < 1 ? 2 : size < 10 ? 1 : 0;
  return `${percent < 0 ? minus : ''}${size.toFixed(digits)}%`;
};

/** A change as a signed percentage: "+4.2%", "−12%". */
export const formatChange = (fraction: Maybe): string => {
  if (!isNumber(fraction)) return missing;
  if (fraction === 0) return '0%';
  const text = formatPercent(Math.abs(fraction));
  return `${fraction > 0 ? '+' : minus}${text}`;
};

/** Requests per second with a unit: "12.4/s", "0.03/s". */
export const formatRate = (perSecond: Maybe): string => {
  if (!isNumber(perSecond)) return missing;
  const digits = perSecond === 0 ? 0 : perSecond < 1 ? 2 : perSecond < 100 ? 1 : 0;
  return `${perSecond.toFixed(digits)}/s`;
};

/** A quality score in [0, 1] with two decimals. */
export const formatScore = (score: Maybe): string => (isNumber(score) ? score.toFixed(2) : missing);

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

/** How long ago `time` was, as a person says it: "just now", "4 min ago", "3 h ago", "2 d ago". */
export const formatRelativeTime = (time: Maybe, now: number = Date.now()): string => {
  if (!isNumber(time)) return missing;
  const elapsed = now - time;
  if (elapsed < 0) {
    const ahead = -elapsed;
    if (ahead < minuteMs) return 'in a moment';
    if (ahead < hourMs) return `in ${Math.round(ahead / minuteMs)} min`;
    if (ahead < dayMs) return `in ${Math.round(ahead / hourMs)} h`;
    return `in ${Math.round(ahead / dayMs)} d`;
  }
  if (elapsed < 45_000) return 'just now';
  if (elapsed < hourMs) return `${Math.max(1, Math.round(elapsed / minuteMs))} min ago`;
  if (elapsed < dayMs) return `${Math.round(elapsed / hourMs)} h ago`;
  if (elapsed < 60 * dayMs) return `${Math.round(elapsed / dayMs)} d ago`;
  return formatDate(time);
};

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (value: number): string => String(value).padStart(2, '0');

/** A calendar date in the viewer's time zone: "Mar 4, 2025". */
export const formatDate = (time: Maybe): string => {
  if (!isNumber(time)) return missing;
  const date = new Date(time);
  return `${monthNames[date.getMonth()]} ${date.getDate()}, ${date.getFullYear()}`;
};

/** Date and time to the minute in the viewer's time zone: "Mar 4, 14:05". */
export const formatDateTime = (time: Maybe): string => {
  if (!isNumber(time)) return missing;
  const date = new Date(time);
  return `${monthNames[date.getMonth()]} ${date.getDate()}, ${pad(date.getHours())}:${pad(date.getMinutes())}`;
};

/** A wall-clock time to the second, for the live tail: "14:05:09". */
export const formatClockTime = (time: Maybe): string => {
  if (!isNumber(time)) return missing;
  const date = new Date(time);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
};

/**
 * A `YYYY-MM-DD` day from the API (a UTC day) as an axis label: "Mar 4". Read as UTC so the label
 * names the same day the server bucketed, whatever the viewer's zone.
 */
export const formatDay = (day: string): string => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null) return day;
  return `${monthNames[Number(match[2]) - 1] ?? match[2]} ${Number(match[3])}`;
};

/** A `YYYY-MM` month as words: "March 2025". */
export const formatMonth = (month: string | null | undefined): string => {
  if (typeof month !== 'string') return missing;
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (match === null) return month;
  const names = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return `${names[Number(match[2]) - 1] ?? match[2]} ${match[1]}`;
};

/**
 * A bucket start as an axis label. Hour buckets (24h) show the viewer's local hour, day buckets (UTC
 * days) show the UTC date, so a day label never shifts by the viewer's offset.
 */
export const formatBucketLabel = (start: number, range: string): string => {
  const date = new Date(start);
  if (range === '24h') return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return `${monthNames[date.getUTCMonth()]} ${date.getUTCDate()}`;
};
