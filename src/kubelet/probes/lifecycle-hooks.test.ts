import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { HandlerRunner } from './lifecycle-hooks.ts';
import { freePort, startHttp } from './test-servers.ts';
import type { ExecFn, ExecResult } from './types.ts';

const pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u1' } };
const container = { name: 'app', env: [{ name: 'X', value: 'y' }], ports: [{ name: 'hooks', containerPort: 1 }] };

function runner(result: ExecResult | Error = { exitCode: 0, output: '' }) {
  const calls: unknown[] = [];
  const events: string[] = [];
  const exec: ExecFn = async (id, cmd, timeoutMs) => {
    calls.push([id, cmd, timeoutMs]);
    if (result instanceof Error) throw result;
    return result;
  };
  const r = new HandlerRunner({ exec, secondMs: 10, recordEvent: (_p, type, reason, message) => events.push(`${type} ${reason} ${message}`) });
  return { r, calls, events };
}

test('an exec hook runs the command as written, without a time limit', async () => {
  const { r, calls } = runner();
  assert.equal(await r.run(pod, container, 'c1', { exec: { command: ['sh', '-c', 'echo $(X)'] } }, '10.0.0.1'), undefined);
  assert.deepEqual(calls, [['c1', ['sh', '-c', 'echo $(X)'], 0]]);
});

test('a failing exec hook reports upstream\'s message with the exit code, stderr and output', async () => {
  const { r } = runner({ exitCode: 3, output: 'out\noops', stderr: 'oops' });
  assert.equal(
    await r.run(pod, container, 'c1', { exec: { command: ['sh', '-c', 'exit 3'] } }, '10.0.0.1'),
    'Exec lifecycle hook ([sh -c exit 3]) for Container "app" in Pod "p_ns(u1)" failed - error: command \'sh -c exit 3\' exited with 3: oops, message: "out\\noops"',
  );
  const broken = runner(new Error('container not running'));
  assert.equal(
    await broken.r.run(pod, container, 'c1', { exec: { command: ['true'] } }, '10.0.0.1'),
    'Exec lifecycle hook ([true]) for Container "app" in Pod "p_ns(u1)" failed - error: container not running, message: ""',
  );
});

test('an HTTP hook succeeds on any answer and identifies as kube-lifecycle/1.33', async (t) => {
  let seen: IncomingMessage | undefined;
  const server = await startHttp((req, res) => { seen = req; res.statusCode = 500; res.end('no'); });
  t.after(() => server.close());
  const { r } = runner();
  assert.equal(await r.run(pod, container, 'c1', { httpGet: { path: '/stop', port: server.port } }, '127.0.0.1'), undefined);
  assert.equal(seen!.url, '/stop');
  assert.equal(seen!.headers['user-agent'], 'kube-lifecycle/1.33');
});

test('an HTTP hook that cannot connect reports Go\'s error in upstream\'s message', async () => {
  const port = await freePort();
  const { r } = runner();
  assert.equal(
    await r.run(pod, container, 'c1', { httpGet: { path: '/hook', port } }, '127.0.0.1'),
    `HTTP lifecycle hook (/hook) for Container "app" in Pod "p_ns(u1)" failed - error: Get "http://127.0.0.1:${port}/hook": dial tcp 127.0.0.1:${port}: connect: connection refused`,
  );
  assert.equal(
    await r.run(pod, container, 'c1', { httpGet: { path: '/hook', port: 'missing' } }, '127.0.0.1'),
    'HTTP lifecycle hook (/hook) for Container "app" in Pod "p_ns(u1)" failed - error: strconv.Atoi: parsing "missing": invalid syntax',
  );
});

test('an HTTPS hook answered in plain HTTP is retried over HTTP without Authorization, with a warning event', async (t) => {
  const seen: IncomingMessage[] = [];
  const server = await startHttp((req, res) => { seen.push(req); res.end(); });
  t.after(() => server.close());
  const { r, events } = runner();
  const handler = { httpGet: { path: '/hook', port: server.port, scheme: 'HTTPS', httpHeaders: [{ name: 'Authorization', value: 'Bearer x' }] } };
  assert.equal(await r.run(pod, container, 'c1', handler, '127.0.0.1'), undefined);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].headers.authorization, undefined);
  assert.deepEqual(events, [`Warning LifecycleHTTPFallback request to HTTPS lifecycle hook 127.0.0.1:${server.port} got HTTP response, retry with HTTP succeeded`]);
});

test('a sleep hook waits its seconds; stopped early it reports that the container terminated', async () => {
  const { r } = runner();
  const started = Date.now();
  assert.equal(await r.run(pod, container, 'c1', { sleep: { seconds: 5 } }, ''), undefined);
  assert.ok(Date.now() - started >= 45);
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 20);
  assert.equal(
    await r.run(pod, container, 'c1', { sleep: { seconds: 1000 } }, '', abort.signal),
    'Sleep lifecycle hook (1000) for Container "app" in Pod "p_ns(u1)" failed - error: container terminated before sleep hook finished',
  );
});

test('a tcpSocket hook is not supported and fails as upstream\'s invalid handler', async () => {
  const { r } = runner();
  assert.equal(
    await r.run(pod, container, 'c1', { tcpSocket: { port: 8080 } }, '10.0.0.1'),
    'Cannot run handler: invalid handler: &LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:&TCPSocketAction{Port:{0 8080 },Host:,},Sleep:nil,}',
  );
});
