import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computePodActions, podSandboxChanged, shouldContainerBeRestarted, terminationGracePeriod } from './pod-actions.ts';
import { ctr, makePod, record, sandbox } from './test-fixtures.ts';
import type { ContainerStatus } from '../../runtime/runtime.ts';
import type { KubeObject, PodActions, ProbeResults } from './types.ts';

const a = ctr('a');
const b = ctr('b');
const init0 = ctr('init0');
const init1 = ctr('init1');
const side = ctr('side', { restartPolicy: 'Always' });

type Summary = Pick<PodActions, 'killPod' | 'createSandbox' | 'initContainersToStart' | 'containersToStart'> & { kill: string[] };
const summary = (x: PodActions): Summary => ({
  killPod: x.killPod, createSandbox: x.createSandbox, initContainersToStart: x.initContainersToStart,
  containersToStart: x.containersToStart, kill: x.containersToKill.map((k) => `${k.name}: ${k.message}`),
});
const want = (s: Partial<Summary>): Summary => ({ killPod: false, createSandbox: false, initContainersToStart: [], containersToStart: [], kill: [], ...s });

interface Case {
  name: string;
  spec: KubeObject;
  meta?: KubeObject;
  sandboxes?: ReturnType<typeof sandbox>[];
  containers?: (pod: KubeObject) => ContainerStatus[];
  probes?: Record<string, 'Success' | 'Failure'>;
  want: Summary;
}

const ready = [sandbox(0)];

const cases: Case[] = [
  { name: 'a new pod gets a sandbox and all its containers', spec: { containers: [a, b] }, sandboxes: [], want: want({ killPod: true, createSandbox: true, containersToStart: [0, 1] }) },
  { name: 'a new pod with init containers starts only the first init container', spec: { initContainers: [init0, init1], containers: [a] }, sandboxes: [], want: want({ killPod: true, createSandbox: true, initContainersToStart: [0] }) },
  { name: 'a ready sandbox without containers starts them', spec: { containers: [a, b] }, want: want({ containersToStart: [0, 1] }) },
  { name: 'running containers are kept', spec: { containers: [a] }, containers: (p) => [record(p, a, 'running')], want: want({}) },
  { name: 'an init container still running blocks everything', spec: { initContainers: [init0, init1], containers: [a] }, containers: (p) => [record(p, init0, 'running')], want: want({}) },
  { name: 'the next init container starts after one succeeded', spec: { initContainers: [init0, init1], containers: [a] }, containers: (p) => [record(p, init0, 'exited')], want: want({ initContainersToStart: [1] }) },
  { name: 'app containers start once every init container succeeded', spec: { initContainers: [init0, init1], containers: [a, b] }, containers: (p) => [record(p, init0, 'exited'), record(p, init1, 'exited', { created: 20 })], want: want({ containersToStart: [0, 1] }) },
  { name: 'a failed init container restarts (restartPolicy Always)', spec: { initContainers: [init0], containers: [a] }, containers: (p) => [record(p, init0, 'exited', { exitCode: 1 })], want: want({ initContainersToStart: [0] }) },
  { name: 'a failed init container restarts (restartPolicy OnFailure)', spec: { restartPolicy: 'OnFailure', initContainers: [init0], containers: [a] }, containers: (p) => [record(p, init0, 'exited', { exitCode: 1 })], want: want({ initContainersToStart: [0] }) },
  { name: 'a failed init container kills the pod (restartPolicy Never)', spec: { restartPolicy: 'Never', initContainers: [init0], containers: [a] }, containers: (p) => [record(p, init0, 'exited', { exitCode: 1 })], want: want({ killPod: true }) },
  { name: 'an OOM-killed init container counts as failed', spec: { initContainers: [init0], containers: [a] }, containers: (p) => [record(p, init0, 'exited', { exitCode: 0, reason: 'OOMKilled' })], want: want({ initContainersToStart: [0] }) },
  { name: 'a started sidecar lets the next init container start', spec: { initContainers: [side, init1], containers: [a] }, containers: (p) => [record(p, side, 'running')], want: want({ initContainersToStart: [1] }) },
  { name: 'a started last sidecar lets the app containers start', spec: { initContainers: [init0, side], containers: [a] }, containers: (p) => [record(p, init0, 'exited'), record(p, side, 'running', { created: 20 })], want: want({ containersToStart: [0] }) },
  {
    name: 'a sidecar whose startup probe has not passed holds the next init container',
    spec: { initContainers: [{ ...side, startupProbe: { exec: { command: ['true'] } } }, init1], containers: [a] },
    containers: (p) => [record(p, side, 'running', { id: 'side-x' })], want: want({}),
  },
  {
    name: 'a sidecar whose startup probe passed lets the next init container start',
    spec: { initContainers: [{ ...side, startupProbe: { exec: { command: ['true'] } } }, init1], containers: [a] },
    containers: (p) => [record(p, side, 'running', { id: 'side-x' })], probes: { 'startup/side-x': 'Success' }, want: want({ initContainersToStart: [1] }),
  },
  { name: 'an exited sidecar restarts while the app runs', spec: { initContainers: [side], containers: [a] }, containers: (p) => [record(p, side, 'exited', { exitCode: 1 }), record(p, a, 'running', { created: 20 })], want: want({ initContainersToStart: [0] }) },
  { name: 'a sidecar missing from the runtime after initialization restarts', spec: { initContainers: [init0, side], containers: [a] }, containers: (p) => [record(p, a, 'running', { created: 20 })], want: want({ initContainersToStart: [1] }) },
  { name: 'removed init containers are not re-run once the app runs', spec: { initContainers: [init0], containers: [a] }, containers: (p) => [record(p, a, 'running')], want: want({}) },
  { name: 'Always restarts a container that exited 0', spec: { containers: [a] }, containers: (p) => [record(p, a, 'exited', { exitCode: 0 })], want: want({ containersToStart: [0] }) },
  { name: 'OnFailure restarts a container that exited 1', spec: { restartPolicy: 'OnFailure', containers: [a] }, containers: (p) => [record(p, a, 'exited', { exitCode: 1 })], want: want({ containersToStart: [0] }) },
  { name: 'OnFailure leaves a succeeded container; nothing left kills the pod', spec: { restartPolicy: 'OnFailure', containers: [a] }, containers: (p) => [record(p, a, 'exited', { exitCode: 0 })], want: want({ killPod: true }) },
  { name: 'Never leaves a failed container; nothing left kills the pod', spec: { restartPolicy: 'Never', containers: [a] }, containers: (p) => [record(p, a, 'exited', { exitCode: 1 })], want: want({ killPod: true }) },
  { name: 'Never keeps the pod while another container runs', spec: { restartPolicy: 'Never', containers: [a, b] }, containers: (p) => [record(p, a, 'exited', { exitCode: 1 }), record(p, b, 'running')], want: want({}) },
  { name: 'the latest attempt decides', spec: { restartPolicy: 'OnFailure', containers: [a] }, containers: (p) => [record(p, a, 'exited', { exitCode: 1 }), record(p, a, 'exited', { attempt: 1, exitCode: 0 })], want: want({ killPod: true }) },
  {
    name: 'a changed image kills and restarts the container',
    spec: { containers: [{ ...a, image: 'a:2' }] }, containers: (p) => [record(p, a, 'running')],
    want: want({ containersToStart: [0], kill: ['a: Container a definition changed, will be restarted'] }),
  },
  {
    name: 'a changed image restarts even under restartPolicy Never',
    spec: { restartPolicy: 'Never', containers: [{ ...a, image: 'a:2' }] }, containers: (p) => [record(p, a, 'running')],
    want: want({ containersToStart: [0], kill: ['a: Container a definition changed, will be restarted'] }),
  },
  {
    name: 'a failed liveness probe kills and restarts the container',
    spec: { containers: [a, b] }, containers: (p) => [record(p, a, 'running', { id: 'a-live' }), record(p, b, 'running')], probes: { 'liveness/a-live': 'Failure' },
    want: want({ containersToStart: [0], kill: ['a: Container a failed liveness probe, will be restarted'] }),
  },
  {
    name: 'a failed liveness probe under Never kills without restart',
    spec: { restartPolicy: 'Never', containers: [a] }, containers: (p) => [record(p, a, 'running', { id: 'a-live' })], probes: { 'liveness/a-live': 'Failure' },
    want: want({ killPod: true, kill: ['a: Container a failed liveness probe'] }),
  },
  {
    name: 'a failed startup probe kills and restarts the container',
    spec: { containers: [a] }, containers: (p) => [record(p, a, 'running', { id: 'a-s' })], probes: { 'startup/a-s': 'Failure' },
    want: want({ containersToStart: [0], kill: ['a: Container a failed startup probe, will be restarted'] }),
  },
  {
    name: 'a container in unknown state is killed before its restart',
    spec: { containers: [a] }, containers: (p) => [record(p, a, 'unknown')],
    want: want({ containersToStart: [0], kill: ['a: Container is in "unknown" state, try killing it before restart'] }),
  },
  { name: 'a dead sandbox is replaced and the pod starts over', spec: { initContainers: [init0], containers: [a] }, sandboxes: [sandbox(0, 'notready')], containers: (p) => [record(p, init0, 'exited'), record(p, a, 'exited', { exitCode: 137 })], want: want({ killPod: true, createSandbox: true, initContainersToStart: [0] }) },
  { name: 'a dead sandbox of a Never pod that ran is not replaced', spec: { restartPolicy: 'Never', containers: [a] }, sandboxes: [sandbox(0, 'notready')], containers: (p) => [record(p, a, 'exited')], want: want({ killPod: true }) },
  { name: 'a dead sandbox of an OnFailure pod that succeeded is not replaced', spec: { restartPolicy: 'OnFailure', containers: [a] }, sandboxes: [sandbox(0, 'notready')], containers: (p) => [record(p, a, 'exited')], want: want({ killPod: true }) },
  { name: 'a dead sandbox of an OnFailure pod restarts only the failed containers', spec: { restartPolicy: 'OnFailure', containers: [a, b] }, sandboxes: [sandbox(0, 'notready')], containers: (p) => [record(p, a, 'exited'), record(p, b, 'exited', { exitCode: 2 })], want: want({ killPod: true, createSandbox: true, containersToStart: [1] }) },
  { name: 'a deleted pod restarts nothing', spec: { containers: [a] }, meta: { deletionTimestamp: '2025-01-01T00:01:00Z' }, containers: (p) => [record(p, a, 'exited')], want: want({ killPod: true }) },
];

for (const c of cases) {
  test(`pod actions: ${c.name}`, () => {
    const pod = makePod(c.spec, c.meta);
    const probeResults: ProbeResults = (kind, id) => c.probes?.[`${kind}/${id}`];
    const got = computePodActions({ pod, sandboxes: c.sandboxes ?? ready, containers: c.containers?.(pod) ?? [], probeResults });
    assert.deepEqual(summary(got), c.want);
  });
}

test('a new sandbox after a dead one gets the next attempt and names the old one', () => {
  const pod = makePod({ containers: [a] });
  const got = computePodActions({ pod, sandboxes: [sandbox(0, 'notready'), sandbox(1, 'notready')], containers: [] });
  assert.equal(got.attempt, 2);
  assert.equal(got.sandboxId, 'sb1');
});

test('a sandbox without an IP is replaced unless the pod uses the host network', () => {
  assert.equal(podSandboxChanged(makePod({ containers: [a] }), [sandbox(0)], false).changed, true);
  assert.equal(podSandboxChanged(makePod({ hostNetwork: true, containers: [a] }), [sandbox(0)], false).changed, false);
  assert.equal(podSandboxChanged(makePod({ containers: [a] }), [sandbox(0), sandbox(1)]).changed, true, 'two ready sandboxes');
});

test('ephemeral containers without a record start', () => {
  const pod = makePod({ containers: [a], ephemeralContainers: [ctr('debug'), ctr('debug2')] });
  const got = computePodActions({ pod, sandboxes: ready, containers: [record(pod, a, 'running'), record(pod, ctr('debug'), 'exited')] });
  assert.deepEqual(got.ephemeralContainersToStart, [1]);
});

test('kills carry the grace period: deletion, probe override, pod default', () => {
  const live = { ...a, livenessProbe: { terminationGracePeriodSeconds: 5 } };
  const pod = makePod({ containers: [live] });
  assert.equal(terminationGracePeriod(pod, live, 'LivenessProbe'), 5);
  assert.equal(terminationGracePeriod(pod, live, ''), 30);
  assert.equal(terminationGracePeriod(makePod({ containers: [a] }, { deletionGracePeriodSeconds: 7 }), a, 'LivenessProbe'), 7);
  assert.equal(terminationGracePeriod({ spec: {} }, a, ''), 2);
  const got = computePodActions({ pod, sandboxes: ready, containers: [record(pod, live, 'running', { id: 'x' })], probeResults: (k) => (k === 'liveness' ? 'Failure' : undefined) });
  assert.equal(got.containersToKill[0].gracePeriodSeconds, 5);
  assert.equal(got.containersToKill[0].id, 'x');
  assert.equal(got.containersToKill[0].reason, 'LivenessProbe');
});

test('shouldContainerBeRestarted follows the restart policy of the latest attempt', () => {
  const pod = makePod({ restartPolicy: 'OnFailure', containers: [a] });
  assert.equal(shouldContainerBeRestarted(a, pod, []), true);
  assert.equal(shouldContainerBeRestarted(a, pod, [record(pod, a, 'exited', { exitCode: 3 })]), true);
  assert.equal(shouldContainerBeRestarted(a, pod, [record(pod, a, 'exited', { exitCode: 0 })]), false);
  assert.equal(shouldContainerBeRestarted(a, pod, [record(pod, a, 'running')]), false);
  assert.equal(shouldContainerBeRestarted(a, pod, [record(pod, a, 'created')]), true);
});
