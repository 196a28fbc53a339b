import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatUtcDay, parseUtcDay, utcDayOf, utcMonthOf, utcWeekday } from './utc-calendar.ts';

const daysIn = (day: string): number => {
  const month = utcMonthOf(parseUtcDay(day));
  return month.lastDay - month.firstDay + 1;
};

describe('utc calendar', () => {
  test('days round-trip and weekdays agree with Date', () => {
    for (const day of ['1970-01-01', '1969-12-31', '2024-02-29', '2026-03-10', '2099-12-31']) {
      const dayNumber = parseUtcDay(day);
      assert.equal(formatUtcDay(dayNumber), day);
      assert.equal(utcWeekday(dayNumber), new Date(`${day}T00:00:00Z`).getUTCDay());
    }
  });

  test('month lengths follow the Gregorian leap rules', () => {
    assert.equal(daysIn('2024-02-10'), 29);
    assert.equal(daysIn('2026-02-10'), 28);
    assert.equal(daysIn('2000-02-10'), 29);
    assert.equal(daysIn('2100-02-10'), 28);
    assert.equal(daysIn('2026-04-30'), 30);
    assert.equal(daysIn('2026-12-01'), 31);
  });

  test('the month after December is January of the next year', () => {
    const december = utcMonthOf(parseUtcDay('2026-12-31'));
    assert.equal(december.month, '2026-12');
    const january = utcMonthOf(december.lastDay + 1);
    assert.equal(january.month, '2027-01');
    assert.equal(formatUtcDay(january.firstDay), '2027-01-01');
    assert.equal(formatUtcDay(january.lastDay), '2027-01-31');
  });

  test('utcDayOf splits a time into its day and the share of the day gone', () => {
    assert.deepEqual(utcDayOf(Date.UTC(2026, 2, 10, 18)), { dayNumber: parseUtcDay('2026-03-10'), elapsedFraction: 0.75 });
    assert.deepEqual(utcDayOf(Date.UTC(2026, 2, 10)), { dayNumber: parseUtcDay('2026-03-10'), elapsedFraction: 0 });
  });

  test('anything but a real YYYY-MM-DD is a RangeError', () => {
    for (const day of ['2026-02-30', '2026-13-01', '2026-2-01', '20260201', '2026-02-01T00:00:00Z', ' 2026-02-01', '', 'yesterday']) {
      assert.throws(() => parseUtcDay(day), RangeError, day);
    }
  });
});
