import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { CertificateAuthority, type KeyPairPem } from '../../apiserver/pki/pki.ts';
import { startKubeletServer, type KubeletServer } from './kubelet-server.ts';
import { LocalProcessRuntime } from './local-process-runtime.ts';

let dir: string;
let server: KubeletServer;
let caPem: string;
let apiserver: KeyPairPem;
let node: KeyPairPem;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubelet-server-'));
  const ca = await CertificateAuthority.loadOrCreate(join(dir, 'pki'));
  caPem = ca.certPem;
  const serving = await ca.issueServing([{ type: 'ip', value: '127.0.0.1' }]);
  apiserver = await ca.issueClient({ user: 'kube-apiserver-kubelet-client', groups: ['system:masters'] });
  node = await ca.issueClient({ user: 'system:node:other', groups: ['system:nodes'] });
  writeFileSync(join(dir, 'log'), '2024-05-01T10:00:00Z first\n2024-05-01T10:00:05Z second\n2024-05-01T10:00:09Z third\n');
  const runtime = new LocalProcessRuntime({
    pods: { 'ns/p': { uid: 'u1', containers: { c: { logFile: join(dir, 'log') }, idle: { waiting: 'ImagePullBackOff' } } } },
    ports: { 9: 1 },
  });
  server = await startKubeletServer({ host: '127.0.0.1', port: 0, tls: { certPem: serving.cert, keyPem: serving.key, caPem }, runtime });
});

after(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function get(path: string, who: KeyPairPem | null = apiserver): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, ca: caPem, cert: who?.cert, key: who?.key, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Session { messages: Buffer[]; closeCode: number; ws: WebSocket }

function open(path: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${server.port}${path}`, ['v5.channel.k8s.io'], { ca: caPem, cert: apiserver.cert, key: apiserver.key });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => { ws.terminate(); reject(new Error(`${res.statusCode} ${body}`)); });
    });
    ws.once('error', reject);
  });
}

function session(ws: WebSocket, send: Buffer[] = []): Promise<Session> {
  const messages: Buffer[] = [];
  ws.on('message', (d) => messages.push(d as Buffer));
  for (const m of send) ws.send(m);
  return new Promise((resolve) => ws.on('close', (code) => resolve({ messages, closeCode: code, ws })));
}

const channel = (s: Session, ch: number) => Buffer.concat(s.messages.filter((m) => m[0] === ch).map((m) => m.subarray(1))).toString();

test('only clients with a CA-signed certificate in system:masters may stream', async () => {
  assert.equal((await get('/containerLogs/ns/p/c', null)).status, 401);
  const other = await get('/containerLogs/ns/p/c', node);
  assert.equal(other.status, 403);
  assert.match(other.body, /Forbidden \(user=system:node:other, verb=get, resource=nodes, subresource\(s\)=\[proxy\]\)/);
});

test('containerLogs serves the log with tail, timestamps and sinceTime, and says why not', async () => {
  assert.deepEqual(await get('/containerLogs/ns/p/c'), { status: 200, body: 'first\nsecond\nthird\n' });
  assert.equal((await get('/containerLogs/ns/p/c?tailLines=2&timestamps=true')).body, '2024-05-01T10:00:05.000Z second\n2024-05-01T10:00:09.000Z third\n');
  assert.equal((await get('/containerLogs/ns/p/c?sinceTime=2024-05-01T10:00:05Z')).body, 'second\nthird\n');
  assert.deepEqual(await get('/containerLogs/ns/p/idle'), { status: 400, body: 'container "idle" in pod "p" is waiting to start: ImagePullBackOff' });
  assert.deepEqual(await get('/containerLogs/ns/p/nope'), { status: 404, body: 'container "nope" not found in pod "p"' });
  assert.deepEqual(await get('/containerLogs/ns/missing/c'), { status: 404, body: 'pod "missing" does not exist' });
  assert.equal((await get('/containerLogs/ns/p/c?tailLines=x')).status, 400);
});

test('exec streams stdout and stderr, takes stdin until its close signal, and ends with a Status', async () => {
  const ws = await open('/exec/ns/p/u1/c?command=sh&command=-c&command=cat;%20echo%20oops%20%3E%262;%20exit%207&input=1&output=1&error=1');
  const s = await session(ws, [Buffer.from([0, ...Buffer.from('from stdin\n')]), Buffer.from([255, 0])]);
  assert.equal(channel(s, 1), 'from stdin\n');
  assert.equal(channel(s, 2), 'oops\n');
  assert.deepEqual(JSON.parse(channel(s, 3)), {
    metadata: {}, status: 'Failure', reason: 'NonZeroExitCode',
    message: 'command terminated with non-zero exit code: error executing command [sh -c cat; echo oops >&2; exit 7], exit code 7',
    details: { causes: [{ reason: 'ExitCode', message: '7' }] },
  });
  assert.equal(s.closeCode, 1000);
  const ok = await session(await open('/exec/ns/p/c?command=true&output=1'));
  assert.deepEqual(JSON.parse(channel(ok, 3)), { metadata: {}, status: 'Success' });
});

test('exec on a container that is not running is refused before the upgrade', async () => {
  await assert.rejects(open('/exec/ns/p/idle?command=true&output=1'), /^Error: 500 container not found \("idle"\)$/);
  await assert.rejects(open('/exec/ns/p/c?command=true'), /400 you must specify at least 1 of stdin, stdout, stderr/);
  await assert.rejects(open('/exec/ns/p/wrong-uid/c?command=true&output=1'), /404 pod "p" does not exist/);
});

test('port-forward carries one connection per socket and reports a refused port on the error channel', async () => {
  const echo = createServer({ allowHalfOpen: true }, (s) => s.pipe(s)).listen(0, '127.0.0.1');
  await new Promise((r) => echo.once('listening', r));
  try {
    const port = (echo.address() as { port: number }).port;
    const s = await session(await open(`/portForward/ns/p?port=${port}`), [Buffer.from([0, ...Buffer.from('echo me')]), Buffer.from([255, 0])]);
    assert.equal(channel(s, 0), 'echo me');
    // The pod side's FIN arrives as the close signal of the data channel.
    assert.ok(s.messages.some((m) => m.length === 2 && m[0] === 255 && m[1] === 0));
    assert.equal(s.closeCode, 1000);
    // Pod port 9 is mapped to loopback port 1, where nothing listens.
    const refused = await session(await open('/portForward/ns/p/u1?port=9'));
    assert.match(channel(refused, 1), /^error forwarding port 9 to pod p, uid u1: connect ECONNREFUSED 127\.0\.0\.1:1$/);
    await assert.rejects(open('/portForward/ns/p'), /400 query parameter "port" is required/);
  } finally {
    echo.close();
  }
});
