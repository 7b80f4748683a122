// The real kubectl (1.27: SPDY; 1.33: WebSocket, and SPDY tunnelled in a WebSocket for
// port-forward) against the API server, which bridges to a kubelet streaming server on
// loopback backed by a runtime of local processes, files and a TCP echo server.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, appendFileSync, mkdirSync, realpathSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { startTestCluster, until, type TestCluster } from '../../server/test-cluster.ts';
import { CertificateAuthority } from '../pki/pki.ts';
import { startKubeletServer, LocalProcessRuntime, type KubeletServer } from '../../kubelet/server/index.ts';

const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const VERSIONS = ['1.27', '1.33'];
const suffix = Math.random().toString(36).slice(2, 8);

function kubectlBinary(version: string): string {
  const dir = dirname(realpathSync(execFileSync('sh', ['-c', 'command -v kubectl']).toString().trim()));
  return join(dir, `kubectl.${version}`);
}

interface Run { code: number | null; stdout: string; stderr: string }

let dir: string;
let cluster: TestCluster;
let kubelet: KubeletServer;
let runtime: LocalProcessRuntime;
let echo: Server;
let closedPort: number;
const children = new Set<ChildProcess>();
const logFile = () => join(dir, 'app.log');

function start(version: string, args: string[]): { child: ChildProcess; out: () => string; err: () => string; done: Promise<Run> } {
  const child = spawn(kubectlBinary(version), ['--cache-dir', join(dir, `cache-${version}`), ...args], {
    env: { ...process.env, KUBECONFIG: cluster.kubeconfig, HOME: dir }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  // kubectl may stop reading stdin (the command exited first).
  child.stdin!.on('error', () => undefined);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const done = new Promise<Run>((resolve) => child.on('close', (code) => { children.delete(child); resolve({ code, stdout, stderr }); }));
  return { child, out: () => stdout, err: () => stderr, done };
}

async function kubectl(version: string, args: string[], input?: string, timeoutMs = 20_000): Promise<Run> {
  const p = start(version, args);
  p.child.stdin!.end(input ?? '');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  const r = await p.done;
  clearTimeout(timer);
  return r;
}

async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function registerNode(name: string, port: number): Promise<void> {
  const status = { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: name }], daemonEndpoints: { kubeletEndpoint: { Port: port } } };
  await cluster.client.create(NODES, undefined, { metadata: { name }, status });
  await cluster.client.patch(NODES, undefined, name, { status }, 'merge', 'status');
}

async function createPod(name: string, containers: string[], nodeName?: string): Promise<void> {
  await cluster.client.create(PODS, 'default', { metadata: { name }, spec: { ...(nodeName ? { nodeName } : {}), containers: containers.map((c) => ({ name: c, image: 'busybox' })) } });
  await cluster.client.patch(PODS, 'default', name, { status: { phase: nodeName ? 'Running' : 'Pending' } }, 'merge', 'status');
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'navarch-streaming-'));
  cluster = await startTestCluster();
  const ca = await CertificateAuthority.loadOrCreate(join(dir, 'kubelet-pki'));
  const serving = await ca.issueServing([{ type: 'ip', value: '127.0.0.1' }]);
  writeFileSync(logFile(), '2024-01-01T00:00:00Z line one\n2024-01-01T00:00:01Z line two\n');
  writeFileSync(join(dir, 'prev.log'), '2023-12-31T00:00:00Z before the restart\n');
  writeFileSync(join(dir, 'b.log'), '2024-01-01T00:00:00Z from b\n');
  echo = createServer({ allowHalfOpen: true }, (s) => s.pipe(s)).listen(0, '127.0.0.1');
  await new Promise((r) => echo.once('listening', r));
  runtime = new LocalProcessRuntime({
    pods: {
      'default/web': { containers: { app: { logFile: logFile(), previousLogFile: join(dir, 'prev.log'), attachCommand: ['sh', '-c', 'read l; echo "attached: $l"'] } } },
      'default/duo': { containers: { a: { waiting: 'ContainerCreating' }, b: { logFile: join(dir, 'b.log') } } },
    },
    ports: { 80: (echo.address() as { port: number }).port },
  });
  const cfg = await cluster.config();
  kubelet = await startKubeletServer({ host: '127.0.0.1', port: 0, tls: { certPem: serving.cert, keyPem: serving.key, caPem: cfg.caPem }, runtime });
  closedPort = await freePort();
  await registerNode(`node-${suffix}`, kubelet.port);
  await registerNode(`gone-${suffix}`, closedPort);
  await createPod('web', ['app'], `node-${suffix}`);
  await createPod('duo', ['a', 'b'], `node-${suffix}`);
  await createPod('pending', ['app']);
  await createPod('lost', ['app'], `gone-${suffix}`);
});

after(async () => {
  for (const c of children) c.kill('SIGKILL');
  await kubelet?.close();
  echo?.close();
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

for (const v of VERSIONS) {
  describe(`kubectl ${v}`, () => {
    it('logs prints the container log, with --tail, --timestamps, -c and --previous', async () => {
      // The file as the runtime stores it: "<timestamp> <text>" per line (-f tests append to it).
      const entries = readFileSync(logFile(), 'utf8').trimEnd().split('\n').map((l) => ({ time: l.slice(0, l.indexOf(' ')), text: l.slice(l.indexOf(' ') + 1) }));
      const last = entries[entries.length - 1];
      assert.deepEqual(await kubectl(v, ['logs', 'web']), { code: 0, stdout: entries.map((e) => `${e.text}\n`).join(''), stderr: '' });
      assert.equal((await kubectl(v, ['logs', 'web', '--tail=1'])).stdout, `${last.text}\n`);
      assert.equal((await kubectl(v, ['logs', 'web', '--tail=1', '--timestamps'])).stdout, `${new Date(last.time).toISOString()} ${last.text}\n`);
      assert.equal((await kubectl(v, ['logs', 'duo', '-c', 'b'])).stdout, 'from b\n');
      assert.equal((await kubectl(v, ['logs', 'web', '--previous'])).stdout, 'before the restart\n');
      assert.equal((await kubectl(v, ['logs', 'web', '--limit-bytes=4'])).stdout, 'line');
    });

    it('logs -f streams lines appended while it runs', async () => {
      const p = start(v, ['logs', '-f', 'web']);
      try {
        await until('the existing lines', async () => p.out().includes('line two\n'));
        appendFileSync(logFile(), `2024-01-01T00:00:02Z appended for ${v}\n`);
        await until('the appended line', async () => p.out().includes(`appended for ${v}\n`));
      } finally {
        p.child.kill();
      }
    });

    it('exec relays stdout, stderr and the exit code', async () => {
      const r = await kubectl(v, ['exec', 'web', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
      assert.equal(r.code, 3);
      assert.equal(r.stdout, 'out\n');
      assert.match(r.stderr, /^err\n/m);
      assert.match(r.stderr, /command terminated with exit code 3/);
      assert.deepEqual(await kubectl(v, ['exec', 'web', '--', 'true']), { code: 0, stdout: '', stderr: '' });
    });

    it('exec -i passes stdin through to the command', async () => {
      const data = 'hello\n'.repeat(20000);
      const r = await kubectl(v, ['exec', '-i', 'web', '--', 'cat'], data);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, data);
    });

    it('exec -i ends when the command exits before its input does', async () => {
      const started = Date.now();
      const r = await kubectl(v, ['exec', '-i', 'web', '--', 'head', '-c', '3'], 'x'.repeat(8 << 20));
      assert.equal(r.stdout, 'xxx');
      assert.equal(r.code, 0, r.stderr);
      assert.ok(Date.now() - started < 10_000, 'it did not wait for a timeout');
    });

    it('exec -it runs the command on a terminal and reports the terminal size', async () => {
      const seen = runtime.resizes.length;
      const cmd = `stty cols 123 rows 45; ${kubectlBinary(v)} --cache-dir ${join(dir, `cache-${v}`)} exec -it web -- sh -c 'tty; sleep 0.5; echo done'`;
      const p = spawn('script', ['-qfec', cmd, '/dev/null'], { env: { ...process.env, KUBECONFIG: cluster.kubeconfig, HOME: dir }, stdio: ['pipe', 'pipe', 'pipe'] });
      children.add(p);
      let out = '';
      p.stdout.on('data', (d) => { out += d; });
      const code = await new Promise<number | null>((resolve) => { const timer = setTimeout(() => p.kill('SIGKILL'), 20_000); p.on('close', (c) => { clearTimeout(timer); children.delete(p); resolve(c); }); });
      p.stdin.end();
      assert.equal(code, 0, out);
      assert.match(out, /\/dev\/pts\/\d+/);
      assert.match(out, /done/);
      assert.deepEqual(runtime.resizes.slice(seen)[0], { width: 123, height: 45 });
    });

    it('cp copies a file into the pod and back', async () => {
      const podDir = join(dir, `podfs-${v}`);
      mkdirSync(podDir);
      const src = join(dir, `src-${v}.txt`);
      writeFileSync(src, `copied with ${v}\n`.repeat(5000));
      const to = await kubectl(v, ['cp', src, `web:${podDir}/inside.txt`]);
      assert.equal(to.code, 0, to.stderr);
      assert.equal(readFileSync(join(podDir, 'inside.txt'), 'utf8'), readFileSync(src, 'utf8'));
      const back = join(dir, `back-${v}.txt`);
      const from = await kubectl(v, ['cp', `web:${podDir}/inside.txt`, back]);
      assert.equal(from.code, 0, from.stderr);
      assert.equal(readFileSync(back, 'utf8'), readFileSync(src, 'utf8'));
    });

    it('port-forward carries TCP connections to the pod port both ways', async () => {
      const local = await freePort();
      const p = start(v, ['port-forward', 'pod/web', `${local}:80`]);
      try {
        await until('forwarding to start', async () => p.out().includes(`Forwarding from 127.0.0.1:${local} -> 80`));
        for (const size of [20, 400_000]) {
          const payload = Buffer.alloc(size, size % 251);
          const got = await new Promise<Buffer>((resolve, reject) => {
            const sock = connect({ port: local, host: '127.0.0.1', allowHalfOpen: true });
            const parts: Buffer[] = [];
            sock.on('data', (d) => parts.push(d));
            sock.on('end', () => { sock.end(); resolve(Buffer.concat(parts)); });
            sock.on('error', reject);
            sock.end(payload);
          });
          assert.ok(got.equals(payload), `echoed ${got.length} of ${size} bytes`);
        }
      } finally {
        p.child.kill();
      }
    });

    it('attach connects stdin and stdout to the container process', async () => {
      const r = await kubectl(v, ['attach', '-i', 'web'], 'hi\n');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /attached: hi/);
    });

    it('reports upstream errors for bad targets', async () => {
      assert.match((await kubectl(v, ['exec', 'web', '-c', 'nope', '--', 'true'])).stderr, /Error from server \(BadRequest\): container nope is not valid for pod web/);
      assert.match((await kubectl(v, ['exec', 'pending', '--', 'true'])).stderr, /Error from server \(BadRequest\): pod pending does not have a host assigned/);
      assert.match((await kubectl(v, ['exec', 'nosuch', '--', 'true'])).stderr, /Error from server \(NotFound\): pods "nosuch" not found/);
      assert.match((await kubectl(v, ['exec', 'duo', '-c', 'a', '--', 'true'])).stderr, /unable to upgrade connection: container not found \("a"\)/);
      assert.match((await kubectl(v, ['logs', 'duo', '-c', 'a'])).stderr, /Error from server \(BadRequest\): container "a" in pod "duo" is waiting to start: ContainerCreating/);
      const lost = await kubectl(v, ['exec', 'lost', '--', 'true']);
      assert.equal(lost.code, 1);
      assert.match(lost.stderr, new RegExp(`Error from server: error dialing backend: dial tcp 127\\.0\\.0\\.1:${closedPort}: connect: connection refused`));
      const forward = await kubectl(v, ['port-forward', 'pod/lost', `${await freePort()}:80`]);
      assert.equal(forward.code, 1);
      assert.match(forward.stderr, /error dialing backend: dial tcp 127\.0\.0\.1:\d+: connect: connection refused/);
    });
  });
}

it('a container name is required when a pod has several', async () => {
  await assert.rejects(cluster.client.request('GET', '/api/v1/namespaces/default/pods/duo/log'),
    (e: Error) => /a container name must be specified for pod duo, choose one of: \[a b\]/.test(e.message));
  await assert.rejects(cluster.client.request('GET', '/api/v1/namespaces/default/pods/web/log?tailLines=-1'),
    (e: Error) => /PodLogOptions "web" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0/.test(e.message));
  // A pod no node has taken yet has no log to stream.
  assert.deepEqual(await cluster.client.request('GET', '/api/v1/namespaces/default/pods/pending/log'), {});
});

it('the streaming subresources need an upgrade', async () => {
  await assert.rejects(cluster.client.request('POST', '/api/v1/namespaces/default/pods/web/exec?command=true&stdout=true'),
    (e: Error) => /Upgrade request required/.test(e.message));
});

it('kubectl 1.33 uses WebSocket for exec, SPDY when told so, and tunnels port-forward', async () => {
  const ws = await kubectl('1.33', ['-v=4', 'exec', 'web', '--', 'true']);
  assert.match(ws.stderr, /The subprotocol is v5\.channel\.k8s\.io/);
  const p = start('1.33', ['-v=4', 'port-forward', 'pod/web', `${await freePort()}:80`]);
  try {
    await until('forwarding to start', async () => p.out().includes('Forwarding from'));
    assert.match(p.err(), /negotiated protocol: portforward\.k8s\.io/);
    assert.doesNotMatch(p.err(), /fallback/i);
  } finally {
    p.child.kill();
  }
  const spdy = spawn(kubectlBinary('1.33'), ['--cache-dir', join(dir, 'cache-1.33'), 'exec', 'web', '--', 'sh', '-c', 'echo spdy; exit 4'], {
    env: { ...process.env, KUBECONFIG: cluster.kubeconfig, HOME: dir, KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(spdy);
  let out = '';
  spdy.stdout.on('data', (d) => { out += d; });
  const code = await new Promise((resolve) => spdy.on('close', (c) => { children.delete(spdy); resolve(c); }));
  assert.equal(code, 4);
  assert.equal(out, 'spdy\n');
});
