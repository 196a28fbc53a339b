import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  formatBucketLabel,
  formatChange,
  formatCompactCount,
  formatCount,
  formatDay,
  formatMonth,
  formatMs,
  formatMsAxis,
  formatPercent,
  formatRate,
  formatRelativeTime,
  formatRequestCost,
  formatScore,
  formatUsd,
  formatUsdAxis,
} from './format.ts';

describe('dashboard formatters', () => {
  test('every formatter writes missing values (null, undefined, NaN, Infinity) as an em dash', () => {
    const formatters = [formatUsd, formatUsdAxis, formatRequestCost, formatMs, formatMsAxis, formatCount, formatCompactCount, formatPercent, formatChange, formatRate, formatScore, formatRelativeTime];
    for (const format of formatters) {
      for (const value of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(format(value), '—', `${format.name}(${value})`);
    }
  });

  test('dollars carry the precision that matters for their size', () => {
    assert.equal(formatUsd(0), '$0.00');
    assert.equal(formatUsd(0.00421), '$0.0042');
    assert.equal(formatUsd(18.4), '$18.40');
    assert.equal(formatUsd(3078.4), '$3,078.40');
    assert.equal(formatUsd(12480.6), '$12,481');
    assert.equal(formatUsd(-5), '−$5.00');
    assert.equal(formatRequestCost(0.02134), '$0.021');
    assert.equal(formatRequestCost(0.000057), '$0.000057');
    assert.equal(formatUsdAxis(1500), '$1.5K');
    assert.equal(formatUsdAxis(150), '$150');
    assert.equal(formatUsdAxis(0), '$0');
  });

  test('durations switch from milliseconds to seconds at one second', () => {
    assert.equal(formatMs(842.4), '842 ms');
    assert.equal(formatMs(1240), '1.24 s');
    assert.equal(formatMs(38_200), '38.2 s');
    assert.equal(formatMs(250_000), '250 s');
    assert.equal(formatMsAxis(2000), '2 s');
    assert.equal(formatMsAxis(1500), '1.5 s');
  });

  test('percentages show more digits for the small rates a healthy gateway has', () => {
    assert.equal(formatPercent(0), '0%');
    assert.equal(formatPercent(0.0042), '0.42%');
    assert.equal(formatPercent(0.031), '3.1%');
    assert.equal(formatPercent(0.64), '64%');
    assert.equal(formatChange(-0.155), '−16%');
    assert.equal(formatChange(0.025), '+2.5%');
    assert.equal(formatChange(0), '0%');
  });

  test('counts and rates', () => {
    assert.equal(formatCount(41865), '41,865');
    assert.equal(formatCompactCount(12_480), '12.5K');
    assert.equal(formatRate(11.62), '11.6/s');
    assert.equal(formatRate(0.034), '0.03/s');
    assert.equal(formatRate(0), '0/s');
    assert.equal(formatScore(0.8567), '0.86');
  });

  test('relative times read as a person says them, in the past and the future', () => {
    const now = Date.UTC(2026, 2, 10, 12);
    assert.equal(formatRelativeTime(now - 10_000, now), 'just now');
    assert.equal(formatRelativeTime(now - 4 * 60_000, now), '4 min ago');
    assert.equal(formatRelativeTime(now - 3 * 3_600_000, now), '3 h ago');
    assert.equal(formatRelativeTime(now - 2 * 86_400_000, now), '2 d ago');
    assert.equal(formatRelativeTime(now + 26 * 86_400_000, now), 'in 26 d');
    assert.match(formatRelativeTime(now - 90 * 86_400_000, now), /^Dec \d+, 2025$/);
  });

  test('API days and day buckets are labelled as the UTC day the server bucketed', () => {
    assert.equal(formatDay('2026-03-04'), 'Mar 4');
    assert.equal(formatDay('not a day'), 'not a day');
    assert.equal(formatMonth('2026-11'), 'November 2026');
    assert.equal(formatMonth(null), '—');
    assert.equal(formatBucketLabel(Date.UTC(2026, 2, 4), '30d'), 'Mar 4');
    assert.match(formatBucketLabel(Date.UTC(2026, 2, 4, 15), '24h'), /^\d\d:00$/);
  });
});
