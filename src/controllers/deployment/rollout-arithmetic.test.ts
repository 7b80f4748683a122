import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeHash, equalIgnoreHash, fnv32a, safeEncodeString } from './pod-template-hash.ts';
import { maxSurge, maxUnavailable, newReplicaSetReplicas, replicaSetProportion, resolveFenceposts, scaledValue } from './rollout-arithmetic.ts';

const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });
const rolling = (replicas: number, maxSurge: number | string, maxUnavailable: number | string) =>
  ({ metadata: { generation: 1 }, spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } } });
const rs = (replicas: number, annotations: Record<string, string> = {}) => ({ metadata: { name: `rs-${replicas}`, annotations }, spec: { replicas } });

test('the pod-template hash is FNV-1a rendered in the safe alphabet, deterministic and key-order independent', () => {
  // FNV-1a reference values.
  assert.equal(fnv32a(new Uint8Array()), 0x811c9dc5);
  assert.equal(fnv32a(new TextEncoder().encode('a')), 0xe40c292c);
  assert.equal(safeEncodeString('0123456789'), '456789bcdf', 'each byte maps to alphabet[byte % 27]');
  const h = computeHash(template('nginx:1'));
  assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  assert.equal(h, safeEncodeString(String(fnv32a(new TextEncoder().encode('{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx:1","name":"c"}]}}')))));
  assert.equal(computeHash({ spec: { containers: [{ image: 'nginx:1', name: 'c' }] }, metadata: { labels: { app: 'web' } } }), h, 'key order does not matter');
  assert.notEqual(computeHash(template('nginx:2')), h, 'a different template hashes differently');
  assert.notEqual(computeHash(template('nginx:1'), 0), h, 'a collision count (even 0) changes the hash');
  assert.notEqual(computeHash(template('nginx:1'), 1), computeHash(template('nginx:1'), 0));
  assert.equal(computeHash(template('nginx:1'), 1), computeHash(template('nginx:1'), 1));
});

test('templates compare equal ignoring the pod-template-hash label and empty fields', () => {
  const withHash = { metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' }, creationTimestamp: null }, spec: { containers: [{ name: 'c', image: 'nginx:1', env: [] }] } };
  assert.ok(equalIgnoreHash(withHash, template('nginx:1')));
  assert.ok(!equalIgnoreHash(withHash, template('nginx:2')));
});

test('maxSurge percentages round up, maxUnavailable percentages round down, never both zero', () => {
  assert.equal(scaledValue('25%', 10, true), 3);
  assert.equal(scaledValue('25%', 10, false), 2);
  assert.equal(scaledValue(4, 10, false), 4);
  assert.throws(() => scaledValue('25', 10, true), /not a percentage/);
  assert.deepEqual(resolveFenceposts('25%', '25%', 3), [1, 0]);
  assert.deepEqual(resolveFenceposts('0%', '25%', 3), [0, 1], 'both resolving to 0 makes maxUnavailable 1');
  assert.deepEqual(resolveFenceposts(0, 0, 3), [0, 1]);
  assert.equal(maxSurge(rolling(10, '25%', '25%')), 3);
  assert.equal(maxUnavailable(rolling(10, '25%', '25%')), 2);
  assert.equal(maxUnavailable(rolling(3, 0, 5)), 3, 'maxUnavailable is capped at replicas');
  assert.equal(maxUnavailable(rolling(0, 1, 1)), 0);
  assert.equal(maxSurge({ spec: { replicas: 3, strategy: { type: 'Recreate' } } }), 0);
});

test('the new ReplicaSet grows within replicas + maxSurge and never past replicas', () => {
  const d = rolling(10, '30%', 0); // surge 3
  const newRS = rs(0);
  assert.equal(newReplicaSetReplicas(d, [rs(10), newRS], newRS), 3);
  assert.equal(newReplicaSetReplicas(d, [rs(13), newRS], newRS), 0, 'already at the surge ceiling');
  assert.equal(newReplicaSetReplicas(d, [rs(1), rs(9)], rs(9)), 10, 'capped at replicas');
  assert.equal(newReplicaSetReplicas({ spec: { replicas: 4, strategy: { type: 'Recreate' } } }, [rs(0)], rs(0)), 4);
});

test('a resize mid-rollout is shared in proportion to each ReplicaSet’s size', () => {
  // 10 replicas + 3 surge before; now 20 + 6 = 26: an RS of 8 of the old 13 gets round(8*26/13) − 8 = 8.
  const d = rolling(20, '30%', 0);
  assert.equal(replicaSetProportion(rs(8, { 'deployment.kubernetes.io/max-replicas': '13' }), d, 13, 0), 8);
  assert.equal(replicaSetProportion(rs(8, { 'deployment.kubernetes.io/max-replicas': '13' }), d, 5, 0), 5, 'never more than is left to add');
  const down = rolling(5, 1, 0);
  assert.equal(replicaSetProportion(rs(8, { 'deployment.kubernetes.io/max-replicas': '13' }), down, -7, 0), -4, 'round(8*6/13) − 8');
  assert.equal(replicaSetProportion(rs(0), d, 5, 0), 0, 'an empty RS gets nothing');
});
