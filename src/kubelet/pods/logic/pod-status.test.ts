import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatePodStatus, sortPodIPs, type PodStatusInput } from './pod-status.ts';
import { summarizePod } from '../../../api/registry/builtin/pod-printer.ts';
import { ctr, makePod, record, sandbox, T0 } from './test-fixtures.ts';
import type { ContainerStatus, SandboxStatus } from '../../runtime/runtime.ts';
import type { KubeObject, ProbeResult, StartFailure } from './types.ts';

const NOW = new Date(T0 + 120_000);
const a = ctr('a');
const b = ctr('b');
const init0 = ctr('init0');
const init1 = ctr('init1');
const side = ctr('side', { restartPolicy: 'Always' });

interface Scenario {
  name: string;
  spec: KubeObject;
  meta?: KubeObject;
  sandboxes?: SandboxStatus[];
  containers?: (pod: KubeObject) => ContainerStatus[];
  failures?: Record<string, StartFailure>;
  probes?: Record<string, ProbeResult>;
  terminal?: boolean;
  want: { phase: string; ready: string; status: string; restarts: string };
}

const crashLoop = (name: string, n: string) => ({ reason: 'CrashLoopBackOff', message: `back-off ${n} restarting failed container=${name} pod=web_shop(uid-1)` });

const scenarios: Scenario[] = [
  { name: 'a pod without a sandbox yet', spec: { containers: [a] }, sandboxes: [], want: { phase: 'Pending', ready: '0/1', status: 'ContainerCreating', restarts: '0' } },
  { name: 'a pod with init containers before they run', spec: { initContainers: [init0, init1], containers: [a] }, sandboxes: [], want: { phase: 'Pending', ready: '0/1', status: 'Init:0/2', restarts: '0' } },
  { name: 'the first init container running', spec: { initContainers: [init0, init1], containers: [a] }, containers: (p) => [record(p, init0, 'running')], want: { phase: 'Pending', ready: '0/1', status: 'Init:0/2', restarts: '0' } },
  { name: 'the second init container running', spec: { initContainers: [init0, init1], containers: [a] }, containers: (p) => [record(p, init0, 'exited'), record(p, init1, 'running', { created: 20 })], want: { phase: 'Pending', ready: '0/1', status: 'Init:1/2', restarts: '0' } },
  { name: 'an init container that failed, before its restart', spec: { initContainers: [init0], containers: [a] }, containers: (p) => [record(p, init0, 'exited', { exitCode: 1 })], want: { phase: 'Pending', ready: '0/1', status: 'Init:Error', restarts: '0' } },
  {
    name: 'an init container in back-off', spec: { initContainers: [init0], containers: [a] },
    containers: (p) => [record(p, init0, 'exited', { exitCode: 1 }), record(p, init0, 'exited', { attempt: 1, exitCode: 1 })], failures: { init0: crashLoop('init0', '10s') },
    want: { phase: 'Pending', ready: '0/1', status: 'Init:CrashLoopBackOff', restarts: '1 (104s ago)' },
  },
  { name: 'an init container that failed under Never', spec: { restartPolicy: 'Never', initContainers: [init0], containers: [a] }, containers: (p) => [record(p, init0, 'exited', { exitCode: 1 })], want: { phase: 'Failed', ready: '0/1', status: 'Init:Error', restarts: '0' } },
  { name: 'init done, app not created yet', spec: { initContainers: [init0], containers: [a] }, containers: (p) => [record(p, init0, 'exited')], want: { phase: 'Pending', ready: '0/1', status: 'PodInitializing', restarts: '0' } },
  { name: 'running and ready', spec: { initContainers: [init0], containers: [a] }, containers: (p) => [record(p, init0, 'exited'), record(p, a, 'running', { created: 20 })], want: { phase: 'Running', ready: '1/1', status: 'Running', restarts: '0' } },
  { name: 'running but the readiness probe has not passed', spec: { containers: [{ ...a, readinessProbe: { exec: { command: ['true'] } } }] }, containers: (p) => [record(p, a, 'running')], want: { phase: 'Running', ready: '0/1', status: 'Running', restarts: '0' } },
  { name: 'running and the readiness probe passed', spec: { containers: [{ ...a, readinessProbe: { exec: { command: ['true'] } } }] }, containers: (p) => [record(p, a, 'running', { id: 'a-r' })], probes: { 'readiness/a-r': 'Success' }, want: { phase: 'Running', ready: '1/1', status: 'Running', restarts: '0' } },
  {
    name: 'a container in CrashLoopBackOff', spec: { containers: [a] },
    containers: (p) => [0, 1, 2, 3].map((i) => record(p, a, 'exited', { attempt: i, exitCode: 1, finished: 10 * i + 8 })), failures: { a: crashLoop('a', '40s') },
    want: { phase: 'Running', ready: '0/1', status: 'CrashLoopBackOff', restarts: '3 (82s ago)' },
  },
  { name: 'restarted and running again', spec: { containers: [a] }, containers: (p) => [record(p, a, 'exited', { exitCode: 2, finished: 60 }), record(p, a, 'running', { attempt: 1, created: 70 })], want: { phase: 'Running', ready: '1/1', status: 'Running', restarts: '1 (60s ago)' } },
  { name: 'completed under Never', spec: { restartPolicy: 'Never', containers: [a] }, containers: (p) => [record(p, a, 'exited')], want: { phase: 'Succeeded', ready: '0/1', status: 'Completed', restarts: '0' } },
  { name: 'failed under Never', spec: { restartPolicy: 'Never', containers: [a] }, containers: (p) => [record(p, a, 'exited', { exitCode: 1 })], want: { phase: 'Failed', ready: '0/1', status: 'Error', restarts: '0' } },
  { name: 'OOM killed under Never', spec: { restartPolicy: 'Never', containers: [a] }, containers: (p) => [record(p, a, 'exited', { exitCode: 137, reason: 'OOMKilled' })], want: { phase: 'Failed', ready: '0/1', status: 'OOMKilled', restarts: '0' } },
  { name: 'completed under OnFailure', spec: { restartPolicy: 'OnFailure', containers: [a] }, containers: (p) => [record(p, a, 'exited')], want: { phase: 'Succeeded', ready: '0/1', status: 'Completed', restarts: '0' } },
  { name: 'an image that cannot be pulled', spec: { containers: [a] }, failures: { a: { reason: 'ErrImagePull', message: 'pull failed' } }, want: { phase: 'Pending', ready: '0/1', status: 'ErrImagePull', restarts: '0' } },
  { name: 'image pull back-off', spec: { containers: [a] }, failures: { a: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "a:1"' } }, want: { phase: 'Pending', ready: '0/1', status: 'ImagePullBackOff', restarts: '0' } },
  { name: 'a missing config map', spec: { containers: [a] }, failures: { a: { reason: 'CreateContainerConfigError', message: 'configmap "x" not found' } }, want: { phase: 'Pending', ready: '0/1', status: 'CreateContainerConfigError', restarts: '0' } },
  { name: 'a running pod being deleted', spec: { containers: [a] }, meta: { deletionTimestamp: '2025-01-01T00:01:50Z' }, containers: (p) => [record(p, a, 'running')], want: { phase: 'Running', ready: '1/1', status: 'Terminating', restarts: '0' } },
  {
    name: 'a deleted pod whose containers stopped', spec: { containers: [a] }, meta: { deletionTimestamp: '2025-01-01T00:01:50Z' }, terminal: true, sandboxes: [sandbox(0, 'notready')],
    containers: (p) => [record(p, a, 'exited', { exitCode: 143 })], want: { phase: 'Failed', ready: '0/1', status: 'Error', restarts: '0' },
  },
  { name: 'a sidecar and an app running', spec: { initContainers: [side], containers: [a] }, containers: (p) => [record(p, side, 'running'), record(p, a, 'running', { created: 20 })], want: { phase: 'Running', ready: '2/2', status: 'Running', restarts: '0' } },
  { name: 'a sidecar started, app not yet', spec: { initContainers: [side], containers: [a] }, containers: (p) => [record(p, side, 'running')], want: { phase: 'Pending', ready: '1/2', status: 'PodInitializing', restarts: '0' } },
  {
    name: 'one of two containers crash-looping', spec: { containers: [a, b] },
    containers: (p) => [record(p, a, 'running'), record(p, b, 'exited', { exitCode: 1, finished: 30 }), record(p, b, 'exited', { attempt: 1, exitCode: 1, finished: 50 })],
    failures: { b: crashLoop('b', '20s') }, want: { phase: 'Running', ready: '1/2', status: 'CrashLoopBackOff', restarts: '1 (70s ago)' },
  },
];

function build(s: Scenario, extra: Partial<PodStatusInput> = {}) {
  const pod = makePod(s.spec, s.meta);
  const input: PodStatusInput = {
    pod, sandboxes: s.sandboxes ?? [sandbox(0)], containers: s.containers?.(pod) ?? [], podIPs: ['10.244.0.5'], hostIPs: ['172.16.0.2'],
    probeResults: (kind, id) => s.probes?.[`${kind}/${id}`], startFailure: (name) => s.failures?.[name], podIsTerminal: s.terminal, now: NOW, ...extra,
  };
  const status = generatePodStatus(input);
  return { pod: { ...pod, status }, status };
}

for (const s of scenarios) {
  test(`kubectl sees ${JSON.stringify(s.want.status)} for ${s.name}`, () => {
    const { pod, status } = build(s);
    assert.equal(status.phase, s.want.phase);
    const row = summarizePod(pod, NOW);
    assert.deepEqual({ phase: status.phase, ...row }, s.want);
  });
}

test('container statuses carry the runtime facts', () => {
  const { status } = build({
    name: '', spec: { containers: [a] }, want: {} as Scenario['want'],
    containers: (p) => [record(p, a, 'exited', { exitCode: 1, id: 'old', started: 2, finished: 9 }), record(p, a, 'running', { attempt: 1, id: 'new', started: 11 })],
  });
  assert.deepEqual(status.containerStatuses, [{
    name: 'a',
    state: { running: { startedAt: '2025-01-01T00:00:11Z' } },
    lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: '2025-01-01T00:00:02Z', finishedAt: '2025-01-01T00:00:09Z', containerID: 'runc://old' } },
    ready: true, restartCount: 1, image: 'a:1', imageID: 'sha256:a', containerID: 'runc://new', started: true, resources: {},
  }]);
});

test('waiting containers show the spec image and an empty imageID', () => {
  const { status } = build({ name: '', spec: { containers: [{ ...a, volumeMounts: [{ name: 'tok', mountPath: '/var/run/secrets', readOnly: true }] }] }, sandboxes: [], want: {} as Scenario['want'] });
  assert.deepEqual(status.containerStatuses, [{
    name: 'a', state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, ready: false, restartCount: 0, image: 'a:1', imageID: '', started: false,
    volumeMounts: [{ name: 'tok', mountPath: '/var/run/secrets', readOnly: true, recursiveReadOnly: 'Disabled' }],
  }]);
});

test('the crash-loop message is shown as the waiting message, the last run as lastState', () => {
  const { status } = build(scenarios.find((s) => s.name === 'a container in CrashLoopBackOff')!);
  const cs = status.containerStatuses[0];
  assert.deepEqual(cs.state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=a pod=web_shop(uid-1)' } });
  assert.equal(cs.lastState.terminated.exitCode, 1);
  assert.equal(cs.restartCount, 3);
});

test('conditions follow the containers with upstream reasons and messages', () => {
  const { status } = build({ name: '', spec: { initContainers: [init0], containers: [a, b] }, containers: (p) => [record(p, init0, 'running')], want: {} as Scenario['want'] });
  const byType = Object.fromEntries(status.conditions.map((c: KubeObject) => [c.type, c]));
  assert.deepEqual(status.conditions.map((c: KubeObject) => c.type), ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
  assert.equal(byType.PodReadyToStartContainers.status, 'True');
  assert.deepEqual({ ...byType.Initialized, lastTransitionTime: undefined }, {
    type: 'Initialized', status: 'False', lastProbeTime: null, lastTransitionTime: undefined, reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init0]',
  });
  assert.equal(byType.Ready.reason, 'ContainersNotReady');
  assert.equal(byType.Ready.message, 'containers with unready status: [a b]');
  assert.equal(byType.ContainersReady.message, 'containers with unready status: [a b]');
  assert.equal(byType.PodScheduled.status, 'True');
});

test('a completed pod says PodCompleted', () => {
  const { status } = build(scenarios.find((s) => s.name === 'completed under Never')!);
  const byType = Object.fromEntries(status.conditions.map((c: KubeObject) => [c.type, c]));
  assert.equal(byType.Ready.reason, 'PodCompleted');
  assert.equal(byType.ContainersReady.reason, 'PodCompleted');
  assert.equal(byType.Ready.status, 'False');
});

test('transition times and the start time are kept from the previous status', () => {
  const s = scenarios.find((x) => x.name === 'running and ready')!;
  const first = build(s).status;
  const later = build(s, { now: new Date(NOW.getTime() + 60_000), previousStatus: first }).status;
  assert.equal(later.startTime, first.startTime);
  assert.deepEqual(later.conditions, first.conditions);
  const flipped = build({ ...s, containers: (p) => [record(p, init0, 'exited'), record(p, a, 'exited', { exitCode: 1 })] }, { now: new Date(NOW.getTime() + 60_000), previousStatus: first }).status;
  const ready = flipped.conditions.find((c: KubeObject) => c.type === 'Ready');
  assert.equal(ready.status, 'False');
  assert.equal(ready.lastTransitionTime, '2025-01-01T00:03:00Z');
});

test('conditions the kubelet does not own are kept first; readiness gates are honoured', () => {
  const s: Scenario = { name: '', spec: { containers: [a], readinessGates: [{ conditionType: 'example.com/ok' }] }, containers: (p) => [record(p, a, 'running')], want: {} as Scenario['want'] };
  const pod = makePod(s.spec, {}, { conditions: [{ type: 'example.com/ok', status: 'False' }, { type: 'PodScheduled', status: 'True', lastTransitionTime: '2024-12-31T00:00:00Z' }] });
  const status = generatePodStatus({ pod, sandboxes: [sandbox(0)], containers: s.containers!(pod), podIPs: [], hostIPs: ['172.16.0.2'], now: NOW });
  assert.equal(status.conditions[0].type, 'example.com/ok');
  const ready = status.conditions.find((c: KubeObject) => c.type === 'Ready');
  assert.deepEqual([ready.status, ready.reason, ready.message], ['False', 'ReadinessGatesNotReady', 'the status of pod readiness gate "example.com/ok" is not "True", but False']);
  assert.equal(status.conditions.find((c: KubeObject) => c.type === 'PodScheduled').lastTransitionTime, '2024-12-31T00:00:00Z');
});

test('a terminal phase is never left', () => {
  const s = scenarios.find((x) => x.name === 'running and ready')!;
  const pod = makePod(s.spec, {}, { phase: 'Succeeded' });
  const status = generatePodStatus({ pod, sandboxes: [sandbox(0)], containers: s.containers!(pod), podIPs: [], hostIPs: [], now: NOW });
  assert.equal(status.phase, 'Succeeded');
});

test('addresses, start time and QoS class', () => {
  const { status } = build(scenarios.find((x) => x.name === 'running and ready')!);
  assert.equal(status.hostIP, '172.16.0.2');
  assert.deepEqual(status.hostIPs, [{ ip: '172.16.0.2' }]);
  assert.equal(status.podIP, '10.244.0.5');
  assert.deepEqual(status.podIPs, [{ ip: '10.244.0.5' }]);
  assert.equal(status.startTime, '2025-01-01T00:02:00Z');
  assert.equal(status.qosClass, 'BestEffort');
  const host = build({ name: '', spec: { hostNetwork: true, containers: [a] }, want: {} as Scenario['want'] }, { podIPs: [] }).status;
  assert.equal(host.podIP, '172.16.0.2');
});

test('pod IPs are ordered by the node IP family', () => {
  assert.deepEqual(sortPodIPs(['fd00::5', '10.0.0.5', '10.0.0.6'], ['172.16.0.2']), ['10.0.0.5', 'fd00::5']);
  assert.deepEqual(sortPodIPs(['10.0.0.5', 'fd00::5'], ['fd00::1']), ['fd00::5', '10.0.0.5']);
});

test('a container that vanished while running reads as terminated with an unknown status', () => {
  const s: Scenario = { name: '', spec: { containers: [a] }, want: {} as Scenario['want'] };
  const prev = { phase: 'Running', containerStatuses: [{ name: 'a', state: { running: { startedAt: 'x' } }, restartCount: 2, lastState: {} }] };
  const { status } = build(s, { previousStatus: prev });
  const cs = status.containerStatuses[0];
  assert.equal(cs.lastState.terminated.reason, 'ContainerStatusUnknown');
  assert.equal(cs.restartCount, 3);
});

test('app container statuses are sorted by name, init container statuses keep spec order', () => {
  const s: Scenario = { name: '', spec: { initContainers: [init1, init0], containers: [b, a] }, sandboxes: [], want: {} as Scenario['want'] };
  const { status } = build(s);
  assert.deepEqual(status.containerStatuses.map((c: KubeObject) => c.name), ['a', 'b']);
  assert.deepEqual(status.initContainerStatuses.map((c: KubeObject) => c.name), ['init1', 'init0']);
});

test('resources of running containers are reported with the allocated requests', () => {
  const spec = { containers: [{ ...a, resources: { requests: { cpu: '100m' }, limits: { memory: '64Mi' } } }] };
  const { status } = build({ name: '', spec, containers: (p) => [record(p, spec.containers[0], 'running')], want: {} as Scenario['want'] });
  assert.deepEqual(status.containerStatuses[0].resources, { limits: { memory: '64Mi' }, requests: { cpu: '100m' } });
  assert.deepEqual(status.containerStatuses[0].allocatedResources, { cpu: '100m' });
  assert.equal(status.qosClass, 'Burstable');
});
