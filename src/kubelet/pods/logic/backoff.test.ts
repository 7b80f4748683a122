import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, checkBackoff, goDuration } from './backoff.ts';
import type { ContainerStatus } from '../../runtime/runtime.ts';

for (const [ms, want] of [[0, '0s'], [500, '500ms'], [10_000, '10s'], [1_500, '1.5s'], [80_000, '1m20s'], [160_000, '2m40s'], [300_000, '5m0s'], [3_600_000, '1h0m0s']] as const) {
  test(`goDuration(${ms}) is ${want}`, () => assert.equal(goDuration(ms), want));
}

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => { now += ms; }, get t() { return now; } };
}

test('back-off starts at 10s and doubles to a 5m cap', () => {
  const c = clock();
  const b = new Backoff({ now: c.now });
  const seen: number[] = [];
  for (let i = 0; i < 8; i++) {
    b.next('k', c.t);
    seen.push(b.get('k'));
    c.advance(1000);
  }
  assert.deepEqual(seen, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
});

test('a failure is in back-off until the back-off has passed since it', () => {
  const c = clock();
  const b = new Backoff({ now: c.now });
  const failedAt = c.t;
  assert.equal(b.isInBackOffSince('k', failedAt), false, 'no entry yet');
  b.next('k', failedAt);
  c.advance(9_999);
  assert.equal(b.isInBackOffSince('k', failedAt), true);
  c.advance(1);
  assert.equal(b.isInBackOffSince('k', failedAt), false);
});

test('running fine for more than 10 minutes resets the back-off', () => {
  const c = clock();
  const b = new Backoff({ now: c.now });
  b.next('k', c.t);
  b.next('k', c.t);
  assert.equal(b.get('k'), 20_000);
  c.advance(600_001);
  b.next('k', c.t);
  assert.equal(b.get('k'), 10_000);
});

test('gc drops entries idle for twice the maximum', () => {
  const c = clock();
  const b = new Backoff({ now: c.now });
  b.next('k', c.t);
  c.advance(600_000);
  b.gc();
  assert.equal(b.get('k'), 10_000);
  c.advance(1);
  b.gc();
  assert.equal(b.get('k'), 0);
});

const pod = { metadata: { name: 'web', namespace: 'shop', uid: 'u1' } };
const exited = (attempt: number, finishedAt: number): ContainerStatus => ({
  id: `c${attempt}`, sandboxId: 's', name: 'app', attempt, imageRef: 'busybox', imageId: 'sha256:x', state: 'exited',
  createdAt: finishedAt - 100, startedAt: finishedAt - 50, finishedAt, exitCode: 1, logPath: '', labels: {},
});

test('checkBackoff lets a never-exited container start', () => {
  const b = new Backoff();
  assert.deepEqual(checkBackoff(pod, 'app', [], b), { inBackoff: false });
});

test('checkBackoff: first restart is allowed, the next within 10s reports CrashLoopBackOff', () => {
  const c = clock();
  const b = new Backoff({ now: c.now });
  const first = exited(0, c.t);
  assert.deepEqual(checkBackoff(pod, 'app', [first], b), { inBackoff: false });
  c.advance(2_000);
  const second = exited(1, c.t);
  const r = checkBackoff(pod, 'app', [first, second], b);
  assert.equal(r.inBackoff, true);
  if (r.inBackoff) {
    assert.deepEqual(r.failure, { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app pod=web_shop(u1)' });
    assert.equal(r.eventMessage, 'Back-off restarting failed container app in pod web_shop(u1)');
    assert.equal(r.retryAt, second.finishedAt! + 10_000);
  }
  c.advance(10_000);
  assert.deepEqual(checkBackoff(pod, 'app', [first, second], b), { inBackoff: false });
  c.advance(1_000);
  const third = exited(2, c.t);
  const r3 = checkBackoff(pod, 'app', [first, second, third], b);
  assert.equal(r3.inBackoff && r3.failure.message, 'back-off 20s restarting failed container=app pod=web_shop(u1)');
});

test('image pulls back off from the last attempt: 10s, then 20s', () => {
  const c = clock();
  const b = new Backoff({ now: c.now });
  assert.equal(b.isInBackOffSinceUpdate('img'), false);
  b.next('img');
  assert.equal(b.isInBackOffSinceUpdate('img'), true);
  assert.equal(b.nextRetryAt('img'), c.t + 10_000);
  c.advance(10_000);
  assert.equal(b.isInBackOffSinceUpdate('img'), false);
  b.next('img');
  c.advance(19_999);
  assert.equal(b.isInBackOffSinceUpdate('img'), true);
});

test('forgetPod drops only that pod\'s entries', () => {
  const b = new Backoff();
  b.next('u1/a', 0);
  b.next('u1/b', 0);
  b.next('u2/a', 0);
  b.forgetPod('u1');
  assert.deepEqual([b.get('u1/a'), b.get('u1/b'), b.get('u2/a')], [0, 0, 10_000]);
});
