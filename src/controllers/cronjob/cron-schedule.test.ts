import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCronSchedule } from './cron-schedule.ts';
import { formatRFC3339, formatRFC1123Z } from './time-zone.ts';
import { mostRecentScheduleTime, nextScheduleDelayMs } from './schedule-times.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const nexts = (spec: string, from: string, n: number) => {
  const s = parseCronSchedule(spec);
  const out: string[] = [];
  for (let t = at(from), i = 0; i < n; i++) out.push(iso((t = s.next(t))));
  return out;
};

test('five-field schedules with lists, ranges, steps and names', () => {
  assert.deepEqual(nexts('*/15 * * * *', '2025-03-01T10:07:30Z', 3), ['2025-03-01T10:15:00.000Z', '2025-03-01T10:30:00.000Z', '2025-03-01T10:45:00.000Z']);
  assert.deepEqual(nexts('0 9-17/4 * * mon-fri', '2025-03-01T00:00:00Z', 4), ['2025-03-03T09:00:00.000Z', '2025-03-03T13:00:00.000Z', '2025-03-03T17:00:00.000Z', '2025-03-04T09:00:00.000Z']);
  assert.deepEqual(nexts('30 2 1,15 FEB,mar *', '2025-01-20T00:00:00Z', 3), ['2025-02-01T02:30:00.000Z', '2025-02-15T02:30:00.000Z', '2025-03-01T02:30:00.000Z']);
  assert.deepEqual(nexts('5/20 * * * *', '2025-03-01T10:00:00Z', 3), ['2025-03-01T10:05:00.000Z', '2025-03-01T10:25:00.000Z', '2025-03-01T10:45:00.000Z']);
  // Day of month and day of week both restricted: either matches.
  assert.deepEqual(nexts('0 0 13 * 5', '2025-06-01T00:00:00Z', 3), ['2025-06-06T00:00:00.000Z', '2025-06-13T00:00:00.000Z', '2025-06-20T00:00:00.000Z']);
  assert.deepEqual(nexts('0 0 29 2 *', '2025-01-01T00:00:00Z', 1), ['2028-02-29T00:00:00.000Z']);
  assert.equal(parseCronSchedule('0 0 31 2 *').next(at('2025-01-01T00:00:00Z')), 0, 'an impossible date never comes');
});

test('descriptors and @every', () => {
  assert.deepEqual(nexts('@hourly', '2025-03-01T10:07:00Z', 2), ['2025-03-01T11:00:00.000Z', '2025-03-01T12:00:00.000Z']);
  assert.deepEqual(nexts('@daily', '2025-03-01T10:07:00Z', 1), ['2025-03-02T00:00:00.000Z']);
  assert.deepEqual(nexts('@weekly', '2025-03-01T10:07:00Z', 1), ['2025-03-02T00:00:00.000Z']);
  assert.deepEqual(nexts('@monthly', '2025-03-01T10:07:00Z', 1), ['2025-04-01T00:00:00.000Z']);
  assert.deepEqual(nexts('@yearly', '2025-03-01T10:07:00Z', 1), ['2026-01-01T00:00:00.000Z']);
  assert.deepEqual(nexts('@every 1h30m', '2025-03-01T10:07:00.500Z', 1), ['2025-03-01T11:37:00.000Z']);
});

test('parse errors carry the cron parser wording', () => {
  const msg = (s: string) => { try { parseCronSchedule(s); return ''; } catch (e) { return (e as Error).message; } };
  assert.equal(msg('* * *'), 'expected exactly 5 fields, found 3: [* * *]');
  assert.equal(msg('61 * * * *'), 'end of range (61) above maximum (59): 61');
  assert.equal(msg('* * * * 7'), 'end of range (7) above maximum (6): 7');
  assert.equal(msg('*/0 * * * *'), 'step of range should be a positive number: */0');
  assert.equal(msg('x * * * *'), 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
  assert.equal(msg('@sometimes'), 'unrecognized descriptor: @sometimes');
  assert.equal(msg('TZ=Mars/Base * * * * *'), 'provided bad location Mars/Base: unknown time zone Mars/Base');
});

test('schedules in a time zone follow its wall clock across DST', () => {
  // New York: EST (-5) until 2025-03-09 02:00, then EDT (-4).
  assert.deepEqual(nexts('TZ=America/New_York 0 9 * * *', '2025-03-07T00:00:00Z', 3), ['2025-03-07T14:00:00.000Z', '2025-03-08T14:00:00.000Z', '2025-03-09T13:00:00.000Z']);
  // 02:30 does not exist on the spring-forward day: skipped.
  assert.deepEqual(nexts('TZ=America/New_York 30 2 * * *', '2025-03-08T00:00:00Z', 2), ['2025-03-08T07:30:00.000Z', '2025-03-10T06:30:00.000Z']);
  // 01:30 happens twice on the fall-back day: both run.
  assert.deepEqual(nexts('TZ=America/New_York 30 1 * * *', '2025-11-02T00:00:00Z', 3), ['2025-11-02T05:30:00.000Z', '2025-11-02T06:30:00.000Z', '2025-11-03T06:30:00.000Z']);
  assert.deepEqual(nexts('TZ=Asia/Kolkata 0 0 * * *', '2025-03-01T00:00:00Z', 1), ['2025-03-01T18:30:00.000Z']);
  assert.deepEqual(nexts('CRON_TZ=Europe/Berlin @daily', '2025-06-01T12:00:00Z', 1), ['2025-06-01T22:00:00.000Z']);
});

test('time formats match Go layouts', () => {
  assert.equal(formatRFC3339(at('2025-06-01T22:00:00Z'), 'Europe/Berlin'), '2025-06-02T00:00:00+02:00');
  assert.equal(formatRFC3339(at('2025-06-01T22:00:00Z'), 'UTC'), '2025-06-01T22:00:00Z');
  assert.equal(formatRFC3339(at('2025-03-01T18:30:00Z'), 'Asia/Kolkata'), '2025-03-02T00:00:00+05:30');
  assert.equal(formatRFC1123Z(at('2025-06-01T22:05:09Z')), 'Sun, 01 Jun 2025 22:05:09 +0000');
});

test('the most recent unmet time and the next requeue', () => {
  const every = parseCronSchedule('* * * * *');
  const cj = (extra: object = {}) => ({ metadata: { creationTimestamp: '2025-03-01T10:00:30Z' }, spec: {}, status: {}, ...extra });
  assert.deepEqual(mostRecentScheduleTime(cj(), at('2025-03-01T10:00:50Z'), every, true), { earliest: at('2025-03-01T10:00:30Z'), missed: 'none' });
  assert.equal(mostRecentScheduleTime(cj(), at('2025-03-01T10:01:10Z'), every, true).mostRecent, at('2025-03-01T10:01:00Z'));
  const late = mostRecentScheduleTime(cj(), at('2025-03-01T10:05:10Z'), every, true);
  assert.equal(late.mostRecent, at('2025-03-01T10:05:00Z'));
  assert.equal(late.missed, 'few');
  assert.equal(mostRecentScheduleTime(cj(), at('2025-03-01T13:00:10Z'), every, true).missed, 'many');
  // A starting deadline moves the earliest time up to now less the deadline.
  assert.equal(mostRecentScheduleTime(cj({ spec: { startingDeadlineSeconds: 15 } }), at('2025-03-01T10:05:10Z'), every, true).mostRecent, at('2025-03-01T10:05:00Z'));
  assert.equal(mostRecentScheduleTime(cj({ spec: { startingDeadlineSeconds: 5 } }), at('2025-03-01T10:05:10Z'), every, true).mostRecent, undefined);
  const done = cj({ status: { lastScheduleTime: '2025-03-01T10:05:00Z' } });
  assert.equal(nextScheduleDelayMs(done, at('2025-03-01T10:05:20Z'), every), 40_100);
});
