import { test } from 'node:test';
import assert from 'node:assert/strict';
import { averageValueReplicas, DEFAULT_CALCULATOR_OPTIONS, MetricError, parseDuration, resourceReplicas, type PodMetrics } from './replica-calculator.ts';
import { ScalingHistory } from './scaling-rules.ts';

const NOW = Date.parse('2026-01-01T00:10:00Z');
const OLD = '2026-01-01T00:00:00Z';

type PodState = 'ready' | 'pending' | 'unready' | 'deleting' | 'failed';
function pod(name: string, state: PodState = 'ready', cpu = '100m') {
  return {
    metadata: { name, ...(state === 'deleting' ? { deletionTimestamp: OLD } : {}) },
    spec: { containers: [{ name: 'c', resources: { requests: { cpu } } }] },
    status: {
      phase: state === 'pending' ? 'Pending' : state === 'failed' ? 'Failed' : 'Running', startTime: OLD,
      conditions: [{ type: 'Ready', status: state === 'unready' ? 'False' : 'True', lastTransitionTime: OLD }],
    },
  };
}
const usage = (entries: Record<string, number>): PodMetrics => new Map(Object.entries(entries).map(([n, v]) => [n, { value: v, timestamp: NOW - 1000, windowMs: 10_000 }]));
const calc = (current: number, target: number, pods: object[], m: PodMetrics) => resourceReplicas(current, target, 'cpu', pods, m, NOW, DEFAULT_CALCULATOR_OPTIONS);

test('utilization within the tolerance keeps the current replicas; beyond it scales by the ratio', () => {
  const pods = [pod('a'), pod('b')];
  assert.deepEqual(calc(2, 50, pods, usage({ a: 54, b: 54 })), { replicas: 2, utilization: 54, rawMilli: 54 });
  assert.deepEqual(calc(2, 50, pods, usage({ a: 60, b: 60 })), { replicas: 3, utilization: 60, rawMilli: 60 });
  assert.equal(calc(4, 50, [pod('a'), pod('b'), pod('c'), pod('d')], usage({ a: 10, b: 10, c: 10, d: 10 })).replicas, 1);
});

test('missing metrics count as full use on the way down and as nothing on the way up', () => {
  // Down: b is assumed at 100% of its request, which damps the scale-down.
  assert.equal(calc(2, 50, [pod('a'), pod('b')], usage({ a: 10 })).replicas, 2);
  assert.equal(calc(3, 50, [pod('a'), pod('b'), pod('c')], usage({ a: 10, b: 10 })).replicas, 3);
  // Up: c is assumed idle; 200+200+0 over 300 requested is 133% of 50% → ceil(2.66*3) = 8.
  assert.equal(calc(3, 50, [pod('a'), pod('b'), pod('c')], usage({ a: 200, b: 200 })).replicas, 8);
});

test('unready and pending pods are left out, and count as idle only when scaling up', () => {
  // Up: the pending pod counts as idle: (80+80+0)/300 = 53% against 50% is within tolerance, where
  // the ready pods alone (80%) would have asked for 4.
  assert.equal(calc(3, 50, [pod('a'), pod('b'), pod('p', 'pending')], usage({ a: 80, b: 80 })).replicas, 3);
  assert.equal(calc(3, 50, [pod('a'), pod('b'), pod('p', 'pending')], usage({ a: 100, b: 100 })).replicas, 4);
  assert.equal(calc(3, 50, [pod('a'), pod('b'), pod('u', 'unready')], usage({ a: 100, b: 100, u: 500 })).replicas, 4, 'an unready pod\'s sample is not used');
  // Down: only the ready pods decide.
  assert.equal(calc(3, 50, [pod('a'), pod('b'), pod('p', 'pending')], usage({ a: 10, b: 10 })).replicas, 1);
  // Deleting and failed pods are ignored altogether.
  assert.equal(calc(2, 50, [pod('a'), pod('b'), pod('d', 'deleting'), pod('f', 'failed')], usage({ a: 60, b: 60 })).replicas, 3);
});

test('a container without a request, no pods or no usable metrics are errors with upstream wording', () => {
  const noRequest = { ...pod('a'), spec: { containers: [{ name: 'c' }] } };
  assert.throws(() => calc(1, 50, [noRequest], usage({ a: 10 })), new MetricError('missing request for cpu in container c of Pod a'));
  assert.throws(() => calc(1, 50, [], usage({})), /no pods returned by selector while calculating replica count/);
  assert.throws(() => calc(1, 50, [pod('p', 'pending')], usage({ p: 10 })), /did not receive metrics for targeted pods \(pods might be unready\)/);
});

test('an average value target scales by usage per pod', () => {
  const r = averageValueReplicas(2, 100_000, 'memory', [pod('a'), pod('b')], usage({ a: 300_000, b: 100_000 }), NOW, DEFAULT_CALCULATOR_OPTIONS);
  assert.deepEqual(r, { replicas: 4, usageMilli: 200_000 });
});

test('durations as metrics.k8s.io writes windows', () => {
  assert.equal(parseDuration('10s'), 10_000);
  assert.equal(parseDuration('1m30.5s'), 90_500);
  assert.equal(parseDuration('250ms'), 250);
});

test('without a behavior, scale-down waits for the highest recommendation of the window and scale-up is capped', () => {
  const h = new ScalingHistory();
  const t0 = 1_000_000;
  assert.deepEqual(h.normalize('k', 2, 4, 1, 10, 300_000, t0).replicas, 4);
  const held = h.normalize('k', 4, 1, 1, 10, 300_000, t0 + 60_000);
  assert.deepEqual([held.replicas, held.ableToScale.reason], [4, 'ScaleDownStabilized']);
  assert.equal(h.normalize('k', 4, 1, 1, 10, 300_000, t0 + 400_000).replicas, 1);
  const capped = h.normalize('x', 2, 9, 1, 10, 300_000, t0);
  assert.deepEqual([capped.replicas, capped.limited.reason, capped.limitedActive], [4, 'ScaleUpLimit', true]);
  const max = h.normalize('y', 5, 9, 1, 6, 300_000, t0);
  assert.deepEqual([max.replicas, max.limited.reason], [6, 'TooManyReplicas']);
  const min = h.normalize('z', 3, 0, 2, 6, 0, t0);
  assert.deepEqual([min.replicas, min.limited.reason], [2, 'TooFewReplicas']);
});

test('behavior policies limit the rate of change per period', () => {
  const h = new ScalingHistory();
  const behavior = {
    scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
    scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
  };
  const t0 = 1_000_000;
  const up = h.normalizeWithBehavior('k', 2, 10, 1, 20, behavior, t0);
  assert.deepEqual([up.replicas, up.limited.reason], [4, 'ScaleUpLimit']);
  h.recordScale('k', behavior, 2, 4, t0);
  // Within the same minute the two pods already added use up the policy.
  assert.equal(h.normalizeWithBehavior('k', 4, 10, 1, 20, behavior, t0 + 10_000).replicas, 4);
  assert.equal(h.normalizeWithBehavior('k', 4, 10, 1, 20, behavior, t0 + 61_000).replicas, 6);
  const down = h.normalizeWithBehavior('d', 10, 1, 1, 20, behavior, t0);
  assert.deepEqual([down.replicas, down.limited.reason], [5, 'ScaleDownLimit']);
});
