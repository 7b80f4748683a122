import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { ProbeManager } from './probe-manager.ts';
import { startHttp } from './test-servers.ts';
import type { ContainerStatus } from '../runtime/runtime.ts';
import type { ExecFn, KubeObject, ProbeManagerOptions } from './types.ts';

// One spec "second" lasts 20 ms here, so periodSeconds: 1 probes every 20 ms.
const SECOND_MS = 20;

function running(name: string, id: string, over: Partial<ContainerStatus> = {}): ContainerStatus {
  const now = Date.now();
  return {
    id, sandboxId: 's1', name, attempt: 0, imageRef: 'img', imageId: 'sha256:1', state: 'running',
    createdAt: now, startedAt: now, logPath: '', labels: {}, ...over,
  };
}

function pod(containers: KubeObject[], extra: KubeObject = {}): KubeObject {
  return { metadata: { name: 'p', namespace: 'ns', uid: 'u1', ...(extra.metadata ?? {}) }, spec: { containers, ...(extra.spec ?? {}) } };
}

const execProbe = (cmd: string, more: KubeObject = {}) => ({ exec: { command: [cmd] }, periodSeconds: 1, ...more });

/** A fake exec answering per command from `answers` (exit code, or an Error to throw); counts calls. */
function fakeExec(answers: Record<string, number | Error>) {
  const calls: string[] = [];
  const exec: ExecFn = async (_id, cmd) => {
    calls.push(cmd.join(' '));
    const a = answers[cmd[0]];
    if (a instanceof Error) throw a;
    return { exitCode: a ?? 0, output: a ? `${cmd[0]} said no` : '' };
  };
  return { exec, calls, count: (cmd: string) => calls.filter((c) => c === cmd).length };
}

function manager(t: TestContext, exec: ExecFn, more: Partial<ProbeManagerOptions> = {}) {
  const changes: string[] = [];
  const events: string[] = [];
  const m = new ProbeManager({
    exec, secondMs: SECOND_MS,
    onResultChange: (uid) => changes.push(uid),
    recordEvent: (_pod, type, reason, message) => events.push(`${type} ${reason} ${message}`),
    ...more,
  });
  t.after(() => m.stop());
  return { m, changes, events };
}

async function waitFor(what: string, cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('readiness starts as Failure, turns Success after successThreshold successes and announces the change', async (t) => {
  const f = fakeExec({ ready: 0 });
  const { m, changes } = manager(t, f.exec);
  m.syncPod(pod([{ name: 'app', readinessProbe: execProbe('ready', { successThreshold: 2 }) }]), [running('app', 'c1')], ['127.0.0.1']);
  assert.equal(m.results('readiness', 'c1'), 'Failure');
  assert.deepEqual(changes, [], 'initial values are not announced');
  await waitFor('readiness success', () => m.results('readiness', 'c1') === 'Success');
  assert.ok(f.count('ready') >= 2, 'two successes were needed');
  await sleep(0);
  assert.deepEqual(changes, ['u1']);
});

test('liveness starts as Success, fails only after failureThreshold failures, then stops probing that container', async (t) => {
  const f = fakeExec({ alive: 1 });
  const { m, changes, events } = manager(t, f.exec);
  m.syncPod(pod([{ name: 'app', livenessProbe: execProbe('alive', { failureThreshold: 3 }) }]), [running('app', 'c1')], []);
  assert.equal(m.results('liveness', 'c1'), 'Success');
  await waitFor('liveness failure', () => m.results('liveness', 'c1') === 'Failure');
  assert.equal(f.count('alive'), 3);
  assert.deepEqual(events, Array(3).fill('Warning Unhealthy Liveness probe failed: alive said no'));
  await sleep(5 * SECOND_MS);
  assert.equal(f.count('alive'), 3, 'on hold until a new container');
  assert.deepEqual(changes, ['u1']);
});

test('liveness and readiness wait for the startup probe, which stops once it succeeded', async (t) => {
  const answers: Record<string, number> = { started: 1, ready: 0, alive: 0 };
  const f = fakeExec(answers);
  const { m } = manager(t, f.exec);
  const spec = pod([{
    name: 'app',
    startupProbe: execProbe('started', { failureThreshold: 100 }),
    readinessProbe: execProbe('ready', { periodSeconds: 50 }),
    livenessProbe: execProbe('alive'),
  }]);
  m.syncPod(spec, [running('app', 'c1')], []);
  assert.equal(m.results('startup', 'c1'), undefined);
  await waitFor('startup attempts', () => f.count('started') >= 3);
  assert.equal(f.count('ready') + f.count('alive'), 0, 'nothing else probes before startup succeeded');
  answers.started = 0;
  await waitFor('startup success', () => m.results('startup', 'c1') === 'Success');
  // Readiness runs right away (its period is 50 s here), not at its next period.
  await waitFor('readiness after startup', () => m.results('readiness', 'c1') === 'Success', 500);
  await waitFor('liveness probing', () => f.count('alive') >= 1);
  const startups = f.count('started');
  await sleep(5 * SECOND_MS);
  assert.equal(f.count('started'), startups, 'startup stopped probing');
});

test('nothing probes before initialDelaySeconds since the container started', async (t) => {
  const f = fakeExec({ ready: 0 });
  const { m } = manager(t, f.exec);
  const started = Date.now();
  m.syncPod(pod([{ name: 'app', readinessProbe: execProbe('ready', { initialDelaySeconds: 10 }) }]), [running('app', 'c1', { startedAt: started })], []);
  await waitFor('first probe', () => f.count('ready') === 1);
  assert.ok(Date.now() - started >= 10 * SECOND_MS - 5, `probed after ${Date.now() - started} ms`);
  // A container that started long ago is probed at once.
  const g = fakeExec({ ready: 0 });
  const { m: m2 } = manager(t, g.exec);
  const t0 = Date.now();
  m2.syncPod(pod([{ name: 'app', readinessProbe: execProbe('ready', { initialDelaySeconds: 10 }) }]), [running('app', 'c2', { startedAt: t0 - 60_000 })], []);
  await waitFor('immediate probe', () => g.count('ready') === 1, 5 * SECOND_MS);
});

test('a restarted container (new id) gets fresh workers and results; an exited one loses them', async (t) => {
  const f = fakeExec({ alive: 1 });
  const { m } = manager(t, f.exec);
  const spec = pod([{ name: 'app', livenessProbe: execProbe('alive', { failureThreshold: 1 }) }]);
  m.syncPod(spec, [running('app', 'c1')], []);
  await waitFor('liveness failure', () => m.results('liveness', 'c1') === 'Failure');
  // The pod worker kills c1 and starts c2.
  m.syncPod(spec, [{ ...running('app', 'c1'), state: 'exited', exitCode: 137 }, running('app', 'c2', { attempt: 1 })], []);
  assert.equal(m.results('liveness', 'c1'), undefined);
  assert.equal(m.results('liveness', 'c2'), 'Success');
  await waitFor('new container probed', () => m.results('liveness', 'c2') === 'Failure');
  m.syncPod(spec, [{ ...running('app', 'c2', { attempt: 1 }), state: 'exited' }], []);
  assert.equal(m.results('liveness', 'c2'), undefined);
  assert.deepEqual(m.workersOf('u1'), []);
});

test('sidecars are probed, regular init containers are not; removePod stops everything', async (t) => {
  const f = fakeExec({});
  const { m } = manager(t, f.exec);
  const spec = pod([{ name: 'app', readinessProbe: execProbe('app-ready') }], {
    spec: { initContainers: [{ name: 'side', restartPolicy: 'Always', readinessProbe: execProbe('side-ready') }, { name: 'setup', readinessProbe: execProbe('setup-ready') }] },
  });
  m.syncPod(spec, [running('side', 's1'), running('setup', 'i1'), running('app', 'a1')], []);
  assert.deepEqual(m.workersOf('u1'), ['app/readiness', 'side/readiness']);
  await waitFor('both ready', () => m.results('readiness', 's1') === 'Success' && m.results('readiness', 'a1') === 'Success');
  assert.equal(f.count('setup-ready'), 0);
  m.removePod('u1');
  assert.equal(m.results('readiness', 'a1'), undefined);
  const calls = f.calls.length;
  await sleep(4 * SECOND_MS);
  assert.equal(f.calls.length, calls);
  assert.equal(m.podCount, 0);
});

test('a pod being deleted gets startup and liveness Success and no more of those probes', async (t) => {
  const f = fakeExec({ started: 1, alive: 1 });
  const { m, changes } = manager(t, f.exec);
  const containers = [{ name: 'app', startupProbe: execProbe('started', { failureThreshold: 50 }) }, { name: 'side', livenessProbe: execProbe('alive', { failureThreshold: 50 }) }];
  m.syncPod(pod(containers), [running('app', 'c1'), running('side', 'c2')], []);
  await waitFor('probing', () => f.count('started') >= 1 && f.count('alive') >= 1);
  assert.equal(m.results('startup', 'c1'), undefined);
  m.syncPod(pod(containers, { metadata: { deletionTimestamp: new Date().toISOString() } }), [running('app', 'c1'), running('side', 'c2')], []);
  await waitFor('startup success', () => m.results('startup', 'c1') === 'Success');
  const calls = f.calls.length;
  await sleep(4 * SECOND_MS);
  assert.equal(f.calls.length, calls);
  assert.equal(m.results('liveness', 'c2'), 'Success');
  assert.deepEqual(changes, ['u1']);
});

test('an attempt that errors is retried three times, reported, and leaves the result alone', async (t) => {
  const f = fakeExec({ ready: new Error('container is stopping') });
  const { m, events } = manager(t, f.exec);
  m.syncPod(pod([{ name: 'app', readinessProbe: execProbe('ready', { periodSeconds: 100 }) }]), [running('app', 'c1')], []);
  await waitFor('three attempts', () => f.count('ready') === 3 && events.length === 1);
  assert.deepEqual(events, ['Warning Unhealthy Readiness probe errored and resulted in unknown state: container is stopping']);
  assert.equal(m.results('readiness', 'c1'), 'Failure');
});

test('an httpGet readiness probe follows the server: ready on 200, not ready after failureThreshold 500s', async (t) => {
  let status = 200;
  const server = await startHttp((req, res) => { res.statusCode = status; res.end(); });
  t.after(() => server.close());
  const { m, events, changes } = manager(t, (async () => ({ exitCode: 0, output: '' })) as ExecFn);
  const spec = pod([{ name: 'web', ports: [{ name: 'http', containerPort: server.port }], readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1, failureThreshold: 2, timeoutSeconds: 50 } }]);
  m.syncPod(spec, [running('web', 'w1')], ['127.0.0.1']);
  await waitFor('ready', () => m.results('readiness', 'w1') === 'Success');
  status = 500;
  await waitFor('not ready', () => m.results('readiness', 'w1') === 'Failure');
  assert.ok(events.length >= 2);
  assert.ok(events.every((e) => e === 'Warning Unhealthy Readiness probe failed: HTTP probe failed with statuscode: 500'), events.join('\n'));
  await sleep(0);
  assert.deepEqual(changes, ['u1', 'u1']);
});
