import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerResources, milliCPUToQuota, milliCPUToShares, oomScoreAdjust, podCgroupResources } from './resources.ts';
import { cpuSharesToWeight } from '../../runtime/runc/cgroups.ts';
import { computePodQOS, podQOS } from './qos.ts';
import type { KubeObject } from './types.ts';

const GiB = 1024 ** 3;

for (const [milli, shares] of [[0, 2], [1, 2], [2, 2], [100, 102], [250, 256], [1000, 1024], [1500, 1536], [300000, 262144]] as const) {
  test(`milliCPUToShares(${milli}) is ${shares}`, () => assert.equal(milliCPUToShares(milli), shares));
}

for (const [milli, quota] of [[0, 0], [1, 1000], [5, 1000], [10, 1000], [250, 25000], [1000, 100000], [2500, 250000]] as const) {
  test(`milliCPUToQuota(${milli}) is ${quota}`, () => assert.equal(milliCPUToQuota(milli), quota));
}

test('cpu shares convert to cgroup v2 weights as runc does', () => {
  assert.equal(cpuSharesToWeight(2), 1);
  assert.equal(cpuSharesToWeight(1024), 39);
  assert.equal(cpuSharesToWeight(262144), 10000);
});

const ctr = (name: string, requests?: KubeObject, limits?: KubeObject, extra: KubeObject = {}) => ({ name, resources: { requests, limits }, ...extra });
const podOf = (containers: KubeObject[], initContainers: KubeObject[] = [], spec: KubeObject = {}) => ({ spec: { containers, initContainers, ...spec } });

const qosCases: [string, KubeObject, string][] = [
  ['no resources at all', podOf([ctr('a')]), 'BestEffort'],
  ['only non-QoS resources', podOf([ctr('a', { 'ephemeral-storage': '1Gi' })]), 'BestEffort'],
  ['zero requests', podOf([ctr('a', { cpu: '0' })]), 'BestEffort'],
  ['equal cpu and memory requests and limits', podOf([ctr('a', { cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })]), 'Guaranteed'],
  ['limits only (requests equal after defaulting)', podOf([ctr('a', { cpu: '500m', memory: '128Mi' }, { cpu: '0.5', memory: '128Mi' })]), 'Guaranteed'],
  ['requests below limits', podOf([ctr('a', { cpu: '500m', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })]), 'Burstable'],
  ['only a cpu limit', podOf([ctr('a', { cpu: '1' }, { cpu: '1' })]), 'Burstable'],
  ['one guaranteed container, one best effort', podOf([ctr('a', { cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' }), ctr('b')]), 'Burstable'],
  ['an init container with requests makes a best-effort pod burstable', podOf([ctr('a')], [ctr('init', { memory: '10Mi' })]), 'Burstable'],
  ['guaranteed init and app containers', podOf([ctr('a', { cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })], [ctr('i', { cpu: '2', memory: '1Gi' }, { cpu: '2', memory: '1Gi' })]), 'Guaranteed'],
];
for (const [name, pod, want] of qosCases) {
  test(`QoS class: ${name} → ${want}`, () => assert.equal(computePodQOS(pod), want));
}

test('podQOS prefers the class recorded in the status', () => {
  assert.equal(podQOS({ ...podOf([ctr('a')]), status: { qosClass: 'Burstable' } }), 'Burstable');
});

test('oom_score_adj per QoS class', () => {
  const guaranteed = podOf([ctr('a', { cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })]);
  assert.equal(oomScoreAdjust(guaranteed, guaranteed.spec.containers[0], 8 * GiB), -997);
  const best = podOf([ctr('a')]);
  assert.equal(oomScoreAdjust(best, best.spec.containers[0], 8 * GiB), 1000);
  const critical = podOf([ctr('a')], [], { priorityClassName: 'system-node-critical' });
  assert.equal(oomScoreAdjust(critical, critical.spec.containers[0], 8 * GiB), -997);
});

const burstable: [string, KubeObject, number][] = [
  ['a request of 10% of memory', { memory: String(0.1 * 8 * GiB) }, 900],
  ['a 1Gi request on 8Gi', { memory: '1Gi' }, 875],
  ['no memory request stays below best effort', { cpu: '100m' }, 999],
  ['a request above capacity is floored at 3', { memory: '16Gi' }, 3],
];
for (const [name, requests, want] of burstable) {
  test(`burstable oom_score_adj: ${name} → ${want}`, () => {
    const c = ctr('a', requests);
    assert.equal(oomScoreAdjust(podOf([c]), c, 8 * GiB), want);
  });
}

test('a sidecar is adjusted no higher than the regular container with the smallest request', () => {
  const sidecar = ctr('log', { memory: '10Mi' }, undefined, { restartPolicy: 'Always' });
  const pod = podOf([ctr('a', { memory: '4Gi' }), ctr('b', { memory: '2Gi' })], [sidecar]);
  assert.equal(oomScoreAdjust(pod, pod.spec.containers[1], 8 * GiB), 750);
  assert.equal(oomScoreAdjust(pod, sidecar, 8 * GiB), 750);
});

test('container resources from requests and limits', () => {
  const c = ctr('a', { cpu: '250m', memory: '64Mi' }, { cpu: '500m', memory: '128Mi' });
  assert.deepEqual(containerResources(podOf([c]), c, { memoryCapacityBytes: 8 * GiB, pidsLimit: 1024 }), {
    cpuShares: 256, cpuPeriod: 100000, cpuQuota: 50000, memoryLimitBytes: 128 * 1024 * 1024, pidsLimit: 1024, oomScoreAdj: 993,
  });
});

test('a cpu limit without a request sets the shares from the limit', () => {
  const c = ctr('a', undefined, { cpu: '2' });
  const r = containerResources(podOf([c]), c, { memoryCapacityBytes: 8 * GiB });
  assert.equal(r.cpuShares, 2048);
  assert.equal(r.cpuQuota, 200000);
});

test('no resources: minimum shares, no quota, no memory limit', () => {
  const c = ctr('a');
  assert.deepEqual(containerResources(podOf([c]), c, { memoryCapacityBytes: 8 * GiB }), { cpuShares: 2, cpuPeriod: 100000, oomScoreAdj: 1000 });
});

test('cpuCFSQuota false leaves cpu limits unenforced', () => {
  const c = ctr('a', undefined, { cpu: '1' });
  const r = containerResources(podOf([c]), c, { memoryCapacityBytes: GiB, cpuCFSQuota: false });
  assert.equal(r.cpuQuota, undefined);
  assert.equal(r.cpuPeriod, undefined);
});

test('the pod cgroup sums requests for its shares and limits only when every container declares them', () => {
  const Mi = 1024 * 1024;
  const a = ctr('a', { cpu: '250m', memory: '64Mi' }, { cpu: '500m', memory: '128Mi' });
  const b = ctr('b', { cpu: '250m', memory: '64Mi' }, { cpu: '1', memory: '256Mi' });
  assert.deepEqual(podCgroupResources(podOf([a, b])), { cpuShares: 512, cpuPeriod: 100000, cpuQuota: 150000, memoryLimitBytes: 384 * Mi });
  // One container without a memory limit leaves the pod's memory unlimited (its cpu limit stands).
  const c = ctr('c', { cpu: '100m' }, { cpu: '100m' });
  assert.deepEqual(podCgroupResources(podOf([a, c])), { cpuShares: 358, cpuPeriod: 100000, cpuQuota: 60000 });
  // An init container bigger than the app containers sets the pod's size.
  const init = ctr('init', { cpu: '2', memory: '1Gi' }, { cpu: '2', memory: '1Gi' });
  assert.deepEqual(podCgroupResources(podOf([a], [init])), { cpuShares: 2048, cpuPeriod: 100000, cpuQuota: 200000, memoryLimitBytes: 1024 * Mi });
  // BestEffort: the minimum shares and nothing else.
  assert.deepEqual(podCgroupResources(podOf([ctr('x')])), { cpuShares: 2 });
  assert.deepEqual(podCgroupResources(podOf([a, b]), { cpuCFSQuota: false }), { cpuShares: 512, memoryLimitBytes: 384 * Mi });
});
