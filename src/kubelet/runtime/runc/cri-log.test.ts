import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLogTime, parseCriLine } from './cri-log.ts';

test('a CRI log line gives its stream, partial tag, time and content (spaces kept)', () => {
  const r = parseCriLine(Buffer.from('2026-11-23T22:47:46.029045941+00:00 stderr P  two  spaces '))!;
  assert.equal(r.stream, 'stderr');
  assert.equal(r.partial, true);
  assert.equal(r.content.toString(), ' two  spaces ');
  assert.equal(Math.floor(r.timeMs), Date.parse('2026-11-23T22:47:46.029Z'));
  const empty = parseCriLine(Buffer.from('2026-11-23T22:47:46.000000000+00:00 stdout F '))!;
  assert.equal(empty.partial, false);
  assert.equal(empty.content.length, 0);
});

test('lines that are not CRI records are rejected', () => {
  assert.equal(parseCriLine(Buffer.from('hello world')), undefined);
  assert.equal(parseCriLine(Buffer.from('2026-11-23T22:47:46Z stdin F x')), undefined);
  assert.equal(parseCriLine(Buffer.from('yesterday stdout F x')), undefined);
});

test('timestamps print in UTC with nanoseconds and no trailing zeros, as RFC3339Nano', () => {
  assert.equal(formatLogTime('2026-11-23T22:47:46.029045941+00:00'), '2026-11-23T22:47:46.029045941Z');
  assert.equal(formatLogTime('2026-11-23T23:47:46.029045900+01:00'), '2026-11-23T22:47:46.0290459Z');
  assert.equal(formatLogTime('2026-11-24T00:10:00.000000000+02:30'), '2026-11-23T21:40:00Z');
});
