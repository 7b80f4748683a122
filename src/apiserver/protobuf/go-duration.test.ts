import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoDuration, parseGoDuration } from './go-duration.ts';

test('formats durations the way Go prints them', () => {
  const cases: [bigint, string][] = [
    [0n, '0s'],
    [90_000_000_000n, '1m30s'],
    [3_600_000_000_000n, '1h0m0s'],
    [1_500_000_000n, '1.5s'],
    [250_000_000n, '250ms'],
    [1_500n, '1.5µs'],
    [7n, '7ns'],
    [-61_000_000_000n, '-1m1s'],
    [93_784_000_000_000n, '26h3m4s'],
  ];
  for (const [ns, text] of cases) assert.equal(formatGoDuration(ns), text, `${ns}`);
});

test('parses Go duration strings, including fractions and several units', () => {
  assert.equal(parseGoDuration('1h30m'), 5_400_000_000_000n);
  assert.equal(parseGoDuration('1.5s'), 1_500_000_000n);
  assert.equal(parseGoDuration('-2ms'), -2_000_000n);
  assert.equal(parseGoDuration('0'), 0n);
  assert.equal(parseGoDuration('3us'), 3_000n);
  assert.equal(parseGoDuration(formatGoDuration(93_784_000_000_123n)), 93_784_000_000_123n);
});

test('rejects malformed durations', () => {
  assert.throws(() => parseGoDuration('10'), /invalid duration|unknown unit/);
  assert.throws(() => parseGoDuration('5d'), /unknown unit "d"/);
  assert.throws(() => parseGoDuration(''), /invalid duration/);
});
