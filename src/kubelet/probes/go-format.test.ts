import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPod, goDuration, goQuote, goStringSlice, joinHostPort } from './go-format.ts';

test('durations print as Go prints a time.Duration', () => {
  assert.equal(goDuration(1000), '1s');
  assert.equal(goDuration(1500), '1.5s');
  assert.equal(goDuration(250), '250ms');
  assert.equal(goDuration(60_000), '1m0s');
  assert.equal(goDuration(90_000), '1m30s');
  assert.equal(goDuration(3_600_000), '1h0m0s');
});

test('strings, slices, addresses and pods print as upstream prints them', () => {
  assert.equal(goQuote('a "b"\n\\c\x01'), '"a \\"b\\"\\n\\\\c\\x01"');
  assert.equal(goStringSlice(['sh', '-c', 'exit 3']), '[sh -c exit 3]');
  assert.equal(joinHostPort('fd00::5', 80), '[fd00::5]:80');
  assert.equal(joinHostPort('10.0.0.5', 80), '10.0.0.5:80');
  assert.equal(formatPod({ metadata: { name: 'web', namespace: 'default', uid: 'abc' } }), 'web_default(abc)');
});
