import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRandom } from '../../simulator/deterministic-random.ts';
import { forecastSpend, type DailySpend } from './forecast-spend.ts';

const dayMs = 86_400_000;
const dayOf = (time: number): string => new Date(time).toISOString().slice(0, 10);

/** Daily rows for the `count` days before `now`'s day (complete days), oldest first. */
const pastDays = (now: number, count: number, costOf: (time: number) => number): DailySpend[] => {
  const today = Math.floor(now / dayMs) * dayMs;
  return Array.from({ length: count }, (_, index) => {
    const time = today - (count - index) * dayMs;
    return { day: dayOf(time), costUsd: costOf(time) };
  });
};

/** Sum of `costOf` over the whole days from `from` to `to` (epoch ms of UTC midnights, both included). */
const sumDays = (from: number, to: number, costOf: (time: number) => number): number => {
  let total = 0;
  for (let time = from; time <= to; time += dayMs) total += costOf(time);
  return total;
};

const weekdayCost = (time: number): number => ([0, 6].includes(new Date(time).getUTCDay()) ? 20 : 100);

/** $10 a day for 40 days, and today's share of $10 so far. */
const atLevel = (now: number): ReturnType<typeof forecastSpend> => {
  const today = Math.floor(now / dayMs) * dayMs;
  return forecastSpend({ dailySpend: [...pastDays(now, 40, () => 10), { day: dayOf(today), costUsd: ((now - today) / dayMs) * 10 }], now });
};

/** Width of next month's range after `days` days of $10–12 a day. */
const nextMonthWidth = (now: number, days: number): number => {
  const forecast = forecastSpend({ dailySpend: pastDays(now, days, (time) => 10 + (Math.floor(time / dayMs) % 3)), now });
  return forecast.nextMonth.highUsd - forecast.nextMonth.lowUsd;
};

/** A standard normal draw (Box–Muller). */
const gaussian = (next: () => number): number => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());

const assertNear = (actual: number, expected: number, tolerance: number, what = ''): void => {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what} ${actual} is not within ${tolerance} of ${expected}`);
};

describe('forecastSpend: level and weekdays', () => {
  test('a flat series: forecast = spent + level × days left, range tight', () => {
    const now = Date.UTC(2026, 2, 10, 12); // 2026-03-10, half the day gone
    const dailySpend = [...pastDays(now, 70, () => 10), { day: '2026-03-10', costUsd: 5 }];
    const forecast = forecastSpend({ dailySpend, now });
    // 9 days × $10 + $5 today; then half of today and 21 more days at $10.
    assert.equal(forecast.month, '2026-03');
    assert.equal(forecast.actualToDateUsd, 95);
    assert.equal(forecast.forecastUsd, 95 + 5 + 210);
    assert.equal(forecast.lowUsd, forecast.forecastUsd);
    assert.equal(forecast.highUsd, forecast.forecastUsd);
    assert.deepEqual(forecast.nextMonth, { month: '2026-04', forecastUsd: 300, lowUsd: 300, highUsd: 300 });
    assert.equal(forecast.historyDays, 56, 'at most 8 weeks are read');
    assert.match(forecast.method, /weekday factors from 8 weeks/);
    assert.match(forecast.method, /80% normal range/);
  });

  test('a nearly flat series (±2%) gives a range within a few percent', () => {
    const now = Date.UTC(2026, 2, 10, 12);
    const forecast = forecastSpend({ dailySpend: pastDays(now, 56, (time) => (Math.floor(time / dayMs) % 2 === 0 ? 9.8 : 10.2)), now });
    assertNear(forecast.forecastUsd, 90 + 215, 3);
    assert.ok(forecast.highUsd - forecast.lowUsd < 0.04 * forecast.forecastUsd, `${forecast.lowUsd}..${forecast.highUsd}`);
    assert.ok(forecast.lowUsd < forecast.forecastUsd && forecast.forecastUsd < forecast.highUsd);
  });

  test('weekends at 20% of weekdays: the forecast follows the pattern and beats a flat forecast', () => {
    const now = Date.UTC(2026, 2, 20); // Friday 2026-03-20, midnight: the whole day is to come
    const dailySpend = pastDays(now, 56, weekdayCost);
    const forecast = forecastSpend({ dailySpend, now });
    const spent = sumDays(Date.UTC(2026, 2, 1), Date.UTC(2026, 2, 19), weekdayCost);
    const truth = spent + sumDays(now, Date.UTC(2026, 2, 31), weekdayCost); // 8 weekdays + 4 weekend days
    const flat = spent + (dailySpend.reduce((sum, row) => sum + row.costUsd, 0) / 56) * 12;
    assert.equal(forecast.actualToDateUsd, spent);
    assertNear(forecast.forecastUsd, truth, 0.01);
    assert.ok(Math.abs(flat - truth) > 40, 'the case is one a flat forecast gets wrong');
    const nextTruth = sumDays(Date.UTC(2026, 3, 1), Date.UTC(2026, 3, 30), weekdayCost);
    assertNear(forecast.nextMonth.forecastUsd, nextTruth, 0.01);
  });

  test('a level shift is followed: two weeks after spend doubles, the level is at least 3/4 of the way', () => {
    const now = Date.UTC(2026, 2, 15);
    const shift = now - 14 * dayMs;
    const forecast = forecastSpend({ dailySpend: pastDays(now, 56, (time) => (time < shift ? 10 : 20)), now });
    const nextMonthLevel = forecast.nextMonth.forecastUsd / 30;
    assert.ok(nextMonthLevel >= 17.5 && nextMonthLevel <= 20, `level ${nextMonthLevel}`);
  });

  test('several rows for one day (a roll-up grouped by model) are added up', () => {
    const now = Date.UTC(2026, 2, 10, 12);
    const rows = pastDays(now, 20, () => 4).flatMap((row) => [row, { ...row, costUsd: 6 }]);
    const forecast = forecastSpend({ dailySpend: rows, now });
    assert.equal(forecast.actualToDateUsd, 90);
    assert.equal(forecast.nextMonth.forecastUsd, 300);
  });
});

describe('forecastSpend: today', () => {
  const now = Date.UTC(2026, 2, 10, 6); // a quarter of 2026-03-10 gone
  const history = pastDays(now, 28, () => 24);

  test('today is partly spent: actual so far plus 3/4 of a day expected', () => {
    const forecast = forecastSpend({ dailySpend: [...history, { day: '2026-03-10', costUsd: 6 }], now });
    assert.equal(forecast.actualToDateUsd, 9 * 24 + 6);
    assert.equal(forecast.forecastUsd, 9 * 24 + 6 + 0.75 * 24 + 21 * 24);
  });

  test("today's partial spend counts as spent but does not move the level", () => {
    const forecast = forecastSpend({ dailySpend: [...history, { day: '2026-03-10', costUsd: 1_000 }], now });
    assert.equal(forecast.actualToDateUsd, 9 * 24 + 1_000);
    assert.equal(forecast.forecastUsd, 9 * 24 + 1_000 + 0.75 * 24 + 21 * 24);
    assert.equal(forecast.nextMonth.forecastUsd, 30 * 24);
  });

  test('no row for today is a day without spend so far', () => {
    const forecast = forecastSpend({ dailySpend: history, now });
    assert.equal(forecast.actualToDateUsd, 9 * 24);
    assert.equal(forecast.forecastUsd, 9 * 24 + 0.75 * 24 + 21 * 24);
  });

  test('days missing between the first day and today are days without spend', () => {
    const sparse = history.filter((_, index) => index % 2 === 0); // every other day, the last one 2 days ago
    const forecast = forecastSpend({ dailySpend: sparse, now });
    assert.equal(forecast.historyDays, 28, 'from the first row to yesterday');
    assertNear(forecast.nextMonth.forecastUsd, 30 * 12, 30, 'about half the level');
  });

  test('at midnight the whole of today is still to come', () => {
    const midnight = Date.UTC(2026, 2, 10);
    assert.equal(forecastSpend({ dailySpend: history, now: midnight }).forecastUsd, 9 * 24 + 22 * 24);
  });

  test('rows after today are ignored (read across midnight before the clock moved on)', () => {
    const forecast = forecastSpend({ dailySpend: [...history, { day: '2026-03-11', costUsd: 500 }], now });
    assert.equal(forecast.forecastUsd, 9 * 24 + 0.75 * 24 + 21 * 24);
  });
});

describe('forecastSpend: month boundaries', () => {

  test('31 January: this month is January, the next is a 28-day February', () => {
    const forecast = atLevel(Date.UTC(2026, 0, 31, 12));
    assert.equal(forecast.month, '2026-01');
    assert.equal(forecast.actualToDateUsd, 305);
    assert.equal(forecast.forecastUsd, 310);
    assert.deepEqual(forecast.nextMonth, { month: '2026-02', forecastUsd: 280, lowUsd: 280, highUsd: 280 });
  });

  test('leap years: February 2028 has 29 days, as February 2024 did and 2100 will not', () => {
    const february2028 = atLevel(Date.UTC(2028, 1, 15));
    assert.equal(february2028.month, '2028-02');
    assert.equal(february2028.actualToDateUsd, 140);
    assert.equal(february2028.forecastUsd, 290);
    assert.equal(atLevel(Date.UTC(2028, 0, 20)).nextMonth.forecastUsd, 290);
    assert.equal(atLevel(Date.UTC(2024, 0, 20)).nextMonth.forecastUsd, 290);
    assert.equal(atLevel(Date.UTC(2100, 0, 20)).nextMonth.forecastUsd, 280);
  });

  test('December: the next month is January of the next year', () => {
    const forecast = atLevel(Date.UTC(2027, 11, 31, 18));
    assert.equal(forecast.month, '2027-12');
    assert.equal(forecast.actualToDateUsd, 307.5);
    assert.equal(forecast.forecastUsd, 310);
    assert.equal(forecast.nextMonth.month, '2028-01');
    assert.equal(forecast.nextMonth.forecastUsd, 310);
  });

  test('the first of the month at midnight: nothing spent yet, last month still feeds the level', () => {
    const forecast = atLevel(Date.UTC(2026, 2, 1));
    assert.equal(forecast.actualToDateUsd, 0);
    assert.equal(forecast.forecastUsd, 310);
  });
});

describe('forecastSpend: little or no history', () => {
  const now = Date.UTC(2026, 2, 10, 12);

  test('no history: every amount is 0 and the method says so', () => {
    assert.deepEqual(forecastSpend({ dailySpend: [], now }), {
      month: '2026-03',
      actualToDateUsd: 0,
      forecastUsd: 0,
      lowUsd: 0,
      highUsd: 0,
      nextMonth: { month: '2026-04', forecastUsd: 0, lowUsd: 0, highUsd: 0 },
      historyDays: 0,
      method: 'no history',
    });
    assert.equal(forecastSpend({ dailySpend: [{ day: '2026-03-12', costUsd: 5 }], now }).method, 'no history', 'only future rows');
  });

  test('fewer than 7 days: flat weekdays, a range widened to at least ±50% a day, low never under the spend', () => {
    const forecast = forecastSpend({ dailySpend: pastDays(now, 3, () => 10), now });
    assert.equal(forecast.historyDays, 3);
    assert.equal(forecast.actualToDateUsd, 30);
    assert.equal(forecast.forecastUsd, 30 + 215);
    assert.match(forecast.method, /flat weekdays/);
    assert.match(forecast.method, /range widened/);
    // The days were identical, yet the rest of the month (215) is uncertain by much more than nothing.
    assert.ok(forecast.highUsd - forecast.forecastUsd > 0.3 * 215, `${forecast.lowUsd}..${forecast.highUsd}`);
    assert.ok(forecast.lowUsd >= forecast.actualToDateUsd);
    assert.ok(forecast.nextMonth.lowUsd >= 0 && forecast.nextMonth.highUsd > forecast.nextMonth.forecastUsd);
  });

  test('the widening fades with history: 1 day is wider than 3, which is wider than 20', () => {
    const [one, three, twenty] = [1, 3, 20].map((days) => nextMonthWidth(now, days));
    assert.ok(one !== undefined && three !== undefined && twenty !== undefined && one > three && three > twenty, `${one} ${three} ${twenty}`);
  });

  test('a very wide range stops at the spend already made and at 0', () => {
    const forecast = forecastSpend({ dailySpend: [...pastDays(now, 1, () => 10), { day: '2026-03-10', costUsd: 2 }], now, confidence: 0.99 });
    assert.equal(forecast.lowUsd, forecast.actualToDateUsd);
    assert.equal(forecast.nextMonth.lowUsd, 0);
  });

  test("only today's partial spend: today's run rate, widened", () => {
    const forecast = forecastSpend({ dailySpend: [{ day: '2026-03-10', costUsd: 6 }], now });
    assert.equal(forecast.historyDays, 0);
    assert.equal(forecast.forecastUsd, 6 + 6 + 21 * 12, 'half a day gone at $12 a day');
    assert.match(forecast.method, /run rate/);
    assert.ok(forecast.highUsd > 1.5 * forecast.forecastUsd);
  });

  test('spend that stopped long ago: a forecast of nothing more', () => {
    const forecast = forecastSpend({ dailySpend: [{ day: '2025-06-01', costUsd: 100 }], now });
    assert.equal(forecast.forecastUsd, 0);
    assert.equal(forecast.nextMonth.forecastUsd, 0);
    assert.equal(forecast.historyDays, 56);
  });
});

/** Share of seeded trials whose true month and next-month totals fall inside [low, high]. */
const coverage = (options: { historyDays: number; noise: number; confidence?: number; trials?: number }): { month: number; nextMonth: number } => {
  const random = createRandom(20_260_310);
  const trials = options.trials ?? 200;
  let month = 0;
  let nextMonth = 0;
  for (let trial = 0; trial < trials; trial++) {
    const now = Date.UTC(2026, 0, 1) + Math.floor(random.next() * 365 * dayMs);
    const level = 1 + random.next() * 100;
    const noisy = new Map<number, number>();
    const costOf = (time: number): number => {
      if (!noisy.has(time)) noisy.set(time, Math.max(0, (weekdayCost(time) / 100) * level * (1 + options.noise * gaussian(random.next))));
      return noisy.get(time) ?? 0;
    };
    const today = Math.floor(now / dayMs) * dayMs;
    const elapsed = (now - today) / dayMs;
    const forecast = forecastSpend({
      dailySpend: [...pastDays(now, options.historyDays, costOf), { day: dayOf(today), costUsd: elapsed * costOf(today) }],
      now,
      confidence: options.confidence,
    });
    const date = new Date(now);
    const monthEnd = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0);
    const nextMonthEnd = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 2, 0);
    const total = forecast.actualToDateUsd + (1 - elapsed) * costOf(today) + sumDays(today + dayMs, monthEnd, costOf);
    const nextTotal = sumDays(monthEnd + dayMs, nextMonthEnd, costOf);
    if (total >= forecast.lowUsd && total <= forecast.highUsd) month++;
    if (nextTotal >= forecast.nextMonth.lowUsd && nextTotal <= forecast.nextMonth.highUsd) nextMonth++;
  }
  return { month: month / trials, nextMonth: nextMonth / trials };
};

describe('forecastSpend: the range is honest', () => {
  test('an 80% range holds the true total in about 80% of 200 noisy months (30% daily noise, 8 weeks)', () => {
    const { month, nextMonth } = coverage({ historyDays: 56, noise: 0.3 });
    for (const share of [month, nextMonth]) assert.ok(share >= 0.7 && share <= 0.92, `coverage ${month}, next month ${nextMonth}`);
  });

  test('short history (5 days) is widened enough to keep its promise', () => {
    const { month, nextMonth } = coverage({ historyDays: 5, noise: 0.3 });
    for (const share of [month, nextMonth]) assert.ok(share >= 0.7, `coverage ${month}, next month ${nextMonth}`);
  });

  test('a 95% range is wider and holds more', () => {
    const eighty = coverage({ historyDays: 28, noise: 0.2, trials: 100 });
    const ninetyFive = coverage({ historyDays: 28, noise: 0.2, trials: 100, confidence: 0.95 });
    assert.ok(ninetyFive.month >= 0.88 && ninetyFive.month > eighty.month, `${eighty.month} → ${ninetyFive.month}`);
  });
});

describe('forecastSpend: malformed input', () => {
  const now = Date.UTC(2026, 2, 10, 12);
  const good = { day: '2026-03-01', costUsd: 1 };
  const rejects = (dailySpend: unknown[], message: RegExp, extra: { now?: number; confidence?: number } = {}): void => {
    assert.throws(() => forecastSpend({ dailySpend: dailySpend as DailySpend[], now: extra.now ?? now, confidence: extra.confidence }), (error: unknown) => {
      assert.ok(error instanceof RangeError, String(error));
      assert.match(error.message, message);
      return true;
    });
  };

  test('negative, NaN, infinite or non-number costs name the row', () => {
    rejects([good, { day: '2026-03-02', costUsd: -1 }], /dailySpend\[1\]\.costUsd must be a finite number ≥ 0, got -1/);
    rejects([{ day: '2026-03-02', costUsd: Number.NaN }], /dailySpend\[0\]\.costUsd .* got NaN/);
    rejects([{ day: '2026-03-02', costUsd: Infinity }], /costUsd .* got Infinity/);
    rejects([{ day: '2026-03-02', costUsd: '3' }], /costUsd/);
    rejects([{ day: '2026-03-02' }], /costUsd .* got undefined/);
  });

  test('days that are not real YYYY-MM-DD dates name the row', () => {
    rejects([good, { day: '2026-02-30', costUsd: 1 }], /dailySpend\[1\]\.day: .*not a calendar date/);
    rejects([{ day: '2026-3-01', costUsd: 1 }], /dailySpend\[0\]\.day: day must be a 'YYYY-MM-DD' UTC date/);
    rejects([{ day: '2026-03-01T00:00:00Z', costUsd: 1 }], /YYYY-MM-DD/);
    rejects([{ day: 20_260_301, costUsd: 1 }], /dailySpend\[0\]\.day must be a 'YYYY-MM-DD' string/);
    rejects([null], /dailySpend\[0\] must be an object/);
  });

  test('now and confidence are checked', () => {
    rejects([good], /now must be a finite epoch ms, got NaN/, { now: Number.NaN });
    for (const confidence of [0, 1, 1.5, -0.2, Number.NaN]) rejects([good], /confidence must be strictly between 0 and 1/, { confidence });
    assert.throws(() => forecastSpend({ dailySpend: 'nope' as unknown as DailySpend[], now }), RangeError);
  });
});

test('amounts are whole cents', () => {
  const now = Date.UTC(2026, 2, 10, 7, 13);
  const forecast = forecastSpend({ dailySpend: pastDays(now, 30, (time) => 1 / 3 + (Math.floor(time / dayMs) % 5) / 7), now });
  for (const amount of [forecast.actualToDateUsd, forecast.forecastUsd, forecast.lowUsd, forecast.highUsd, forecast.nextMonth.forecastUsd, forecast.nextMonth.lowUsd, forecast.nextMonth.highUsd]) {
    assert.equal(Math.round(amount * 100) / 100, amount);
  }
});
