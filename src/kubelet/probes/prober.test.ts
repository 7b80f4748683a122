import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runProbe, staticCommand } from './prober.ts';
import { startHttp, startTcp } from './test-servers.ts';
import type { ProberDeps } from './prober.ts';
import type { ExecFn, KubeObject } from './types.ts';

const pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u1' } };

function deps(exec: ExecFn = async () => ({ exitCode: 0, output: '' })) {
  const events: string[] = [];
  const d: ProberDeps = { exec, secondMs: 1000, recordEvent: (_p, type, reason, message) => events.push(`${type} ${reason} ${message}`) };
  return { d, events };
}

test('exec probe commands expand $(VAR) from env values written in the spec only', () => {
  const container = { env: [{ name: 'A', value: 'alpha' }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] };
  assert.deepEqual(staticCommand(['echo', '$(A)', '$(B)', '$(C)', '$$(A)'], container), ['echo', 'alpha', '', '$(C)', '$(A)']);
});

test('a redirect to another host succeeds with a ProbeWarning event', async (t) => {
  const server = await startHttp((req, res) => { res.writeHead(302, { location: 'http://other.invalid/' }); res.end(); });
  t.after(() => server.close());
  const { d, events } = deps();
  const container: KubeObject = { name: 'web', readinessProbe: { httpGet: { port: server.port, path: '/' } } };
  assert.deepEqual(await runProbe({ kind: 'readiness', pod, container, containerId: 'c1', podIP: '127.0.0.1' }, d), { result: 'Success', errored: false });
  assert.deepEqual(events, ['Warning ProbeWarning Readiness probe warning: Probe terminated redirects, Response body: ']);
});

test('a tcpSocket probe dials its host, else the pod IP', async (t) => {
  const server = await startTcp();
  t.after(() => server.close());
  const { d, events } = deps();
  const viaHost: KubeObject = { name: 'db', livenessProbe: { tcpSocket: { port: server.port, host: '127.0.0.1' } } };
  assert.deepEqual(await runProbe({ kind: 'liveness', pod, container: viaHost, containerId: 'c1', podIP: '' }, d), { result: 'Success', errored: false });
  const viaPodIP: KubeObject = { name: 'db', startupProbe: { tcpSocket: { port: server.port } } };
  assert.deepEqual(await runProbe({ kind: 'startup', pod, container: viaPodIP, containerId: 'c1', podIP: '127.0.0.1' }, d), { result: 'Success', errored: false });
  assert.deepEqual(events, []);
});

test('a probe without a handler or with an unknown named port errors (the result is thrown away)', async () => {
  const { d, events } = deps();
  assert.deepEqual(await runProbe({ kind: 'liveness', pod, container: { name: 'x', livenessProbe: {} }, containerId: 'c1', podIP: '' }, d), { result: 'Failure', errored: true });
  assert.deepEqual(await runProbe({ kind: 'readiness', pod, container: { name: 'x', readinessProbe: { tcpSocket: { port: 'http' } } }, containerId: 'c1', podIP: '' }, d), { result: 'Failure', errored: true });
  assert.deepEqual(events, [
    'Warning Unhealthy Liveness probe errored and resulted in unknown state: missing probe handler for p_ns(u1):x',
    'Warning Unhealthy Readiness probe errored and resulted in unknown state: strconv.Atoi: parsing "http": invalid syntax',
  ]);
});
