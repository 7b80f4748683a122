import { test } from 'node:test';
import assert from 'node:assert/strict';
import { limitsWithAllocatable, podFieldValue, resourceFieldValue } from './field-ref.ts';

const pod = {
  metadata: { name: 'web-0', namespace: 'shop', uid: 'u-1', labels: { app: 'web', tier: 'front' }, annotations: { note: 'say "hi"' } },
  spec: {
    nodeName: 'node-a', serviceAccountName: 'builder',
    containers: [
      { name: 'app', resources: { limits: { cpu: '250m', memory: '64Mi' }, requests: { cpu: '100m', memory: '32Mi' } } },
      { name: 'bare' },
    ],
    initContainers: [{ name: 'setup', resources: { limits: { cpu: '2' } } }],
  },
  status: { phase: 'Running' },
};
const addrs = { podIPs: ['10.244.0.5', 'fd00::5'], hostIPs: ['172.16.0.2'] };

const fields: [string, string][] = [
  ['metadata.name', 'web-0'],
  ['metadata.namespace', 'shop'],
  ['metadata.uid', 'u-1'],
  ["metadata.labels['app']", 'web'],
  ["metadata.labels['missing']", ''],
  ["metadata.annotations['note']", 'say "hi"'],
  ['metadata.labels', 'app="web"\ntier="front"'],
  ['spec.nodeName', 'node-a'],
  ['spec.serviceAccountName', 'builder'],
  ['status.hostIP', '172.16.0.2'],
  ['status.hostIPs', '172.16.0.2'],
  ['status.podIP', '10.244.0.5'],
  ['status.podIPs', '10.244.0.5,fd00::5'],
];

for (const [path, want] of fields) {
  test(`fieldRef ${path} reads ${JSON.stringify(want)}`, () => {
    assert.equal(podFieldValue(pod, { apiVersion: 'v1', fieldPath: path }, addrs), want);
  });
}

test('fieldRef rejects unknown paths with upstream wording', () => {
  assert.throws(() => podFieldValue(pod, { fieldPath: 'spec.hostname' }, addrs), /field label not supported: spec.hostname/);
});

const allocatable = { cpu: '8', memory: '32Gi', 'ephemeral-storage': '100Gi', pods: '110' };
const app = pod.spec.containers[0];
const bare = pod.spec.containers[1];

const resources: [string, Record<string, unknown>, string][] = [
  ['limits.cpu with no divisor rounds up to whole cores', { resource: 'limits.cpu' }, '1'],
  ['limits.cpu in millicores', { resource: 'limits.cpu', divisor: '1m' }, '250'],
  ['limits.cpu with divisor 100m rounds up', { resource: 'limits.cpu', divisor: '100m' }, '3'],
  ['requests.cpu', { resource: 'requests.cpu', divisor: '1m' }, '100'],
  ['limits.memory in bytes', { resource: 'limits.memory' }, String(64 * 1024 * 1024)],
  ['limits.memory in Mi', { resource: 'limits.memory', divisor: '1Mi' }, '64'],
  ['requests.memory in M rounds up', { resource: 'requests.memory', divisor: '1M' }, '34'],
  ['a divisor of 0 means 1', { resource: 'limits.cpu', divisor: '0' }, '1'],
];

for (const [name, ref, want] of resources) {
  test(`resourceFieldRef ${name}`, () => {
    assert.equal(resourceFieldValue(pod, app, ref, allocatable), want);
  });
}

test('resourceFieldRef without a limit reads node allocatable', () => {
  assert.equal(resourceFieldValue(pod, bare, { resource: 'limits.cpu' }, allocatable), '8');
  assert.equal(resourceFieldValue(pod, bare, { resource: 'limits.memory', divisor: '1Gi' }, allocatable), '32');
  assert.equal(resourceFieldValue(pod, bare, { resource: 'requests.cpu' }, allocatable), '0');
});

test('resourceFieldRef can name another container, init containers included', () => {
  assert.equal(resourceFieldValue(pod, bare, { containerName: 'app', resource: 'limits.cpu', divisor: '1m' }, allocatable), '250');
  assert.equal(resourceFieldValue(pod, bare, { containerName: 'setup', resource: 'limits.cpu' }, allocatable), '2');
  assert.throws(() => resourceFieldValue(pod, bare, { containerName: 'nope', resource: 'limits.cpu' }, allocatable), /container nope not found/);
});

test('resourceFieldRef rejects unknown resources with upstream wording', () => {
  assert.throws(() => resourceFieldValue(pod, app, { resource: 'limits.gpu' }, allocatable), /unsupported container resource : limits.gpu/);
});

test('limitsWithAllocatable fills only missing or zero cpu, memory and storage', () => {
  assert.deepEqual(limitsWithAllocatable({ resources: { limits: { cpu: '0', memory: '1Gi' } } }, allocatable), { cpu: '8', memory: '1Gi', 'ephemeral-storage': '100Gi' });
});
