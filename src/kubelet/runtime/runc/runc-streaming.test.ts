import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { Duplex, PassThrough, Writable } from 'node:stream';
import { ResizeQueue } from '../../server/resize-queue.ts';
import { StreamingError, type LogOptions, type PodRef } from '../../server/streaming-runtime.ts';
import { RuncRuntime } from './runc-runtime.ts';
import { RuncFixture, waitForContainer } from './testing/runc-fixture.ts';
import { RuncStreamingRuntime } from './runc-streaming.ts';
import type { ContainerConfig, ContainerStatus } from '../runtime.ts';

const fx = new RuncFixture('st');
const { suffix, tmp, netns, cgroupRoot, runDir, store } = fx;
let runtime: RuncRuntime;
let streaming: RuncStreamingRuntime;
let imageId: string;
let netnsPath: string;

before(async () => {
  await fx.start({ name: 'bb:v1', cmd: ['sh'] });
  ({ runtime, imageId, netnsPath } = fx);
  execFileSync('ip', ['netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up']);
  streaming = new RuncStreamingRuntime({ runtime, followPollMs: 50 });
});

after(() => fx.cleanup());

interface TestPod { ref: PodRef; sandboxId: string }

async function startPod(name: string): Promise<TestPod> {
  const ref = { namespace: 'default', name: `${name}-${suffix}`, uid: randomBytes(8).toString('hex') };
  const sandboxId = await runtime.runPodSandbox({
    pod: ref, attempt: 0, hostname: name, netnsPath, hostNetwork: false, hostPID: false, hostIPC: false,
    shareProcessNamespace: false, cgroupParent: `/${cgroupRoot}/pod-${name}`, labels: {},
  });
  return { ref, sandboxId };
}

async function createContainer(pod: TestPod, name: string, args: string[], extra: Partial<ContainerConfig> = {}): Promise<string> {
  const attempt = extra.attempt ?? 0;
  return runtime.createContainer({
    sandboxId: pod.sandboxId, name, attempt, imageId, imageRef: 'bb:v1', args, env: ['PATH=/bin'], workingDir: '/',
    tty: false, stdin: false, mounts: [], resources: {}, security: {},
    logPath: join(tmp, 'logs', pod.ref.uid, name, `${attempt}.log`),
    labels: {
      'io.kubernetes.pod.name': pod.ref.name, 'io.kubernetes.pod.namespace': pod.ref.namespace,
      'io.kubernetes.pod.uid': pod.ref.uid, 'io.kubernetes.container.name': name,
    },
    ...extra,
  });
}

async function run(pod: TestPod, name: string, args: string[], extra: Partial<ContainerConfig> = {}): Promise<string> {
  const id = await createContainer(pod, name, args, extra);
  await runtime.startContainer(id);
  return id;
}

function waitFor(id: string, want: (s: ContainerStatus) => boolean, ms = 10_000, rt = runtime): Promise<ContainerStatus> {
  return waitForContainer(rt, id, want, ms);
}

function collect(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  return { stream: new Writable({ write(c, _e, cb) { chunks.push(Buffer.from(c)); cb(); } }), text: () => Buffer.concat(chunks).toString() };
}

async function until(what: () => string, want: string | RegExp, ms = 10_000): Promise<void> {
  const ok = () => (typeof want === 'string' ? what().includes(want) : want.test(what()));
  for (const deadline = Date.now() + ms; !ok() && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 25));
  assert.ok(ok(), `${JSON.stringify(what())} lacks ${want}`);
}

const noLogOpts: LogOptions = { follow: false, previous: false, timestamps: false };

async function logs(pod: TestPod, name: string, opts: Partial<LogOptions> = {}, signal = new AbortController().signal): Promise<string> {
  const out = collect();
  const full = { ...noLogOpts, ...opts };
  await streaming.check('logs', { ...pod.ref, uid: '' }, name, { previous: full.previous });
  await streaming.logs({ ...pod.ref, uid: '' }, name, full, out.stream, signal);
  return out.text();
}

async function rejectsWith(p: Promise<unknown>, code: number, message: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof StreamingError, String(e));
    assert.equal(e.message, message);
    assert.equal(e.code, code);
    return true;
  });
}

test('logs of the current and the previous attempt, with tail, timestamps, since and limit', async () => {
  const pod = await startPod('logs');
  await rejectsWith(streaming.check('logs', pod.ref, 'app'), 400, `container "app" in pod "${pod.ref.name}" is waiting to start: ContainerCreating`);
  const first = await run(pod, 'app', ['sh', '-c', 'echo first run; echo to stderr >&2; exit 1']);
  await waitFor(first, (s) => s.state === 'exited');
  await rejectsWith(streaming.check('logs', pod.ref, 'app', { previous: true }), 400, `previous terminated container "app" in pod "${pod.ref.name}" not found`);
  await rejectsWith(streaming.check('exec', pod.ref, 'app'), 500, 'container not found ("app")');
  assert.equal(await logs(pod, 'app'), 'first run\nto stderr\n', 'an exited container still shows its log');
  // While the kubelet keeps the exited attempt waiting to restart, its exit is the last state.
  const crashLooping = new RuncStreamingRuntime({ runtime, waitingReason: async () => 'CrashLoopBackOff' });
  const previous = collect();
  await crashLooping.logs(pod.ref, 'app', { ...noLogOpts, previous: true }, previous.stream, new AbortController().signal);
  assert.equal(previous.text(), 'first run\nto stderr\n');

  const second = await run(pod, 'app', ['sh', '-c', 'echo a; echo b; printf "no newline yet"; sleep 0.2; echo " - now"; echo c; sleep 3600'], { attempt: 1 });
  await waitFor(second, (s) => s.state === 'running');
  const current = () => logs(pod, 'app');
  for (let i = 0; i < 200 && !(await current()).includes('c\n'); i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal(await current(), 'a\nb\nno newline yet - now\nc\n', 'partial records come back as one line');
  assert.equal(await logs(pod, 'app', { previous: true }), 'first run\nto stderr\n');
  assert.equal(await logs(pod, 'app', { tailLines: 2 }), 'no newline yet - now\nc\n');
  assert.match(await logs(pod, 'app', { timestamps: true, tailLines: 1 }), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z c\n$/);
  assert.equal(await logs(pod, 'app', { sinceTime: new Date(Date.now() + 60_000) }), '');
  assert.equal(await logs(pod, 'app', { sinceTime: new Date(Date.now() - 60_000), tailLines: 1 }), 'c\n');
  assert.equal(await logs(pod, 'app', { limitBytes: 3 }), 'a\nb');
  await rejectsWith(streaming.check('logs', { ...pod.ref, name: 'nope' }, 'app'), 404, 'pod "nope" does not exist');
  await runtime.removePodSandbox(pod.sandboxId);
});

test('a followed log shows new lines as they come and ends when the container exits', async () => {
  const pod = await startPod('follow');
  const id = await run(pod, 'app', ['sh', '-c', 'echo start; sleep 3600']);
  await waitFor(id, (s) => s.state === 'running');
  const out = collect();
  const abort = new AbortController();
  const following = streaming.logs(pod.ref, 'app', { ...noLogOpts, follow: true }, out.stream, abort.signal);
  await until(out.text, 'start\n');
  // A line written to the container's own stdout (PID 1's) by another process.
  assert.equal(await runtime.exec(id, ['sh', '-c', 'echo later > /proc/1/fd/1'], { tty: false }), 0);
  await until(out.text, 'later\n');
  abort.abort();
  await following;

  const short = await run(pod, 'short', ['sh', '-c', 'echo x; sleep 1; echo y']);
  await waitFor(short, (s) => s.state === 'running');
  const out2 = collect();
  const t0 = Date.now();
  await streaming.logs(pod.ref, 'short', { ...noLogOpts, follow: true }, out2.stream, new AbortController().signal);
  assert.equal(out2.text(), 'x\ny\n', 'the follow drains the log after the exit');
  assert.ok(Date.now() - t0 < 8000);
  await runtime.removePodSandbox(pod.sandboxId);
});

test('a followed log goes on across conmon rotating the file', async (t) => {
  // A runtime of its own, whose conmon rotates logs at 1 KiB.
  const rotDir = `${runDir}-r`;
  const rotating = new RuncRuntime({ stateDir: join(tmp, 'runtime-rotating'), runDir: rotDir, rootfs: store, logSizeMax: 1024 });
  t.after(async () => {
    for (const sb of await rotating.listPodSandboxes().catch(() => [])) await rotating.removePodSandbox(sb.id).catch(() => undefined);
    rmSync(rotDir, { recursive: true, force: true });
  });
  await rotating.init();
  const rotStreaming = new RuncStreamingRuntime({ runtime: rotating, followPollMs: 50 });
  const ref = { namespace: 'default', name: `rotate-${suffix}`, uid: randomBytes(8).toString('hex') };
  const sandboxId = await rotating.runPodSandbox({
    pod: ref, attempt: 0, hostname: 'rotate', netnsPath, hostNetwork: false, hostPID: false, hostIPC: false,
    shareProcessNamespace: false, cgroupParent: `/${cgroupRoot}/pod-rotate`, labels: {},
  });
  const script = 'sleep 1; i=0; while [ $i -lt 100 ]; do i=$((i+1)); echo "line $i ........................................"; usleep 20000; done';
  const id = await rotating.createContainer({
    sandboxId, name: 'app', attempt: 0, imageId, imageRef: 'bb:v1', args: ['sh', '-c', script], env: ['PATH=/bin'], workingDir: '/',
    tty: false, stdin: false, mounts: [], resources: {}, security: {}, logPath: join(tmp, 'logs', ref.uid, 'app', '0.log'),
    labels: { 'io.kubernetes.pod.name': ref.name, 'io.kubernetes.pod.namespace': ref.namespace, 'io.kubernetes.pod.uid': ref.uid, 'io.kubernetes.container.name': 'app' },
  });
  await rotating.startContainer(id);
  await waitFor(id, (s) => s.state === 'running', 10_000, rotating);
  const out = collect();
  await rotStreaming.logs(ref, 'app', { ...noLogOpts, follow: true }, out.stream, new AbortController().signal);
  const numbers = out.text().trim().split('\n').map((l) => Number(/^line (\d+) /.exec(l)?.[1]));
  assert.deepEqual(numbers, Array.from({ length: 100 }, (_, i) => i + 1));
  const kept = collect();
  await rotStreaming.logs(ref, 'app', noLogOpts, kept.stream, new AbortController().signal);
  assert.ok(kept.text().split('\n').length < 60, 'the file was rotated: it holds only the newest lines');
});

test('exec passes stdin, stdout, stderr and the exit code', async () => {
  const pod = await startPod('exec');
  const id = await run(pod, 'app', ['sleep', '3600']);
  await waitFor(id, (s) => s.state === 'running');
  await streaming.check('exec', pod.ref, 'app');
  await rejectsWith(streaming.check('exec', pod.ref, 'other'), 500, 'container not found ("other")');
  await rejectsWith(streaming.check('exec', { ...pod.ref, name: 'gone' }, 'app'), 404, 'pod does not exist');
  const out = collect();
  const err = collect();
  const r = await streaming.exec(pod.ref, 'app', ['sh', '-c', 'echo out; echo err >&2; exit 3'], { tty: false, stdout: out.stream, stderr: err.stream }, new AbortController().signal);
  assert.deepEqual([r.exitCode, out.text(), err.text()], [3, 'out\n', 'err\n']);
  const stdin = new PassThrough();
  stdin.end('one\ntwo\n');
  const out2 = collect();
  const r2 = await streaming.exec(pod.ref, 'app', ['sh', '-c', 'wc -l'], { tty: false, stdin, stdout: out2.stream }, new AbortController().signal);
  assert.deepEqual([r2.exitCode, out2.text().trim()], [0, '2']);
  await runtime.removePodSandbox(pod.sandboxId);
});

test('exec with a terminal: the process sees the size the client sent and later resizes', async () => {
  const pod = await startPod('tty');
  const id = await run(pod, 'app', ['sleep', '3600']);
  await waitFor(id, (s) => s.state === 'running');
  const resize = new ResizeQueue();
  resize.push({ width: 123, height: 45 });
  const stdin = new PassThrough();
  const out = collect();
  const session = streaming.exec(pod.ref, 'app', ['sh', '-c', 'tty; stty size; while read x; do [ "$x" = quit ] && exit 5; stty size; done'], { tty: true, stdin, stdout: out.stream, resize }, new AbortController().signal);
  await until(out.text, '45 123\r\n');
  assert.match(out.text(), /^\/dev\/pts\/\d+\r\n/, 'the process has a terminal of its own');
  resize.push({ width: 132, height: 50 });
  // The resize reaches the terminal asynchronously (SIGWINCH to runc): ask until it shows.
  for (let i = 0; i < 50 && !out.text().includes('50 132'); i++) {
    stdin.write('again\n');
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(out.text().includes('50 132\r\n'), out.text());
  stdin.write('quit\n');
  assert.equal((await session).exitCode, 5);
  resize.end();
  await assert.rejects(
    streaming.exec(pod.ref, 'app', ['no-such-command'], { tty: true, stdout: collect().stream }, new AbortController().signal),
    /executable file not found/,
  );
  // A session the client leaves hangs up the terminal: the process gets SIGHUP, as on any terminal.
  const abort = new AbortController();
  const left = streaming.exec(pod.ref, 'app', ['sleep', '999'], { tty: true, stdout: collect().stream }, abort.signal);
  const sleeping = async () => {
    const ps = collect();
    await runtime.exec(id, ['ps', '-o', 'args'], { tty: false, stdout: ps.stream });
    return ps.text().includes('sleep 999');
  };
  for (let i = 0; i < 100 && !(await sleeping()); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(await sleeping());
  abort.abort();
  await left.catch(() => undefined);
  for (let i = 0; i < 100 && (await sleeping()); i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(await sleeping(), false);
  await runtime.removePodSandbox(pod.sandboxId);
});

test('attach shows the container output from now on and feeds its stdin', async () => {
  const pod = await startPod('attach');
  const id = await run(pod, 'app', ['sh', '-c', 'echo before; while read l; do echo got $l; echo warn $l >&2; done; echo bye'], { stdin: true, stdinOnce: true });
  await waitFor(id, (s) => s.state === 'running');
  for (let i = 0; i < 200 && !(await logs(pod, 'app')).includes('before'); i++) await new Promise((r) => setTimeout(r, 25));
  await streaming.check('attach', pod.ref, 'app');
  const stdin = new PassThrough();
  const out = collect();
  const err = collect();
  const session = streaming.attach(pod.ref, 'app', { tty: false, stdin, stdout: out.stream, stderr: err.stream }, new AbortController().signal);
  stdin.write('hello\n');
  await until(out.text, 'got hello\n');
  await until(err.text, 'warn hello\n');
  // Closing stdin closes the container's (stdinOnce): the loop ends, and the session with the output.
  stdin.end();
  const r = await session;
  assert.equal(r.exitCode, 0);
  assert.equal(out.text(), 'got hello\nbye\n', 'output from before the attach is not repeated');

  // A container started without stdin: input is dropped, output still comes.
  const quiet = await run(pod, 'quiet', ['sh', '-c', 'sleep 0.5; read l; echo read $?']);
  await waitFor(quiet, (s) => s.state === 'running');
  const out2 = collect();
  const stdin2 = new PassThrough();
  stdin2.write('ignored\n');
  await streaming.attach(pod.ref, 'quiet', { tty: false, stdin: stdin2, stdout: out2.stream }, new AbortController().signal);
  assert.equal(out2.text(), 'read 1\n', 'its stdin is empty');
  await runtime.removePodSandbox(pod.sandboxId);
});

test('attach to a stdin without stdinOnce ends with the client\'s input and leaves stdin open for the next session', async () => {
  const pod = await startPod('attach-open');
  const id = await run(pod, 'app', ['sh', '-c', 'while read l; do echo got $l; done; echo closed; sleep 3600'], { stdin: true });
  await waitFor(id, (s) => s.state === 'running');
  for (const word of ['one', 'two']) {
    const stdin = new PassThrough();
    stdin.end(`${word}\n`);
    const session = streaming.attach(pod.ref, 'app', { tty: false, stdin, stdout: collect().stream }, new AbortController().signal);
    const ended = await Promise.race([session.then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))]);
    assert.ok(ended, 'the session ended with its input');
  }
  for (let i = 0; i < 200 && (await logs(pod, 'app')) !== 'got one\ngot two\n'; i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal(await logs(pod, 'app'), 'got one\ngot two\n', 'both sessions reached the same stdin, which is still open');
  assert.equal((await runtime.containerStatus(id))?.state, 'running');
  await runtime.removePodSandbox(pod.sandboxId);
});

test('attach to a container with a terminal passes input and resizes its terminal', async () => {
  const pod = await startPod('attach-tty');
  const id = await run(pod, 'app', ['sh', '-c', 'while read l; do [ "$l" = quit ] && exit 0; stty size; done'], { stdin: true, tty: true });
  await waitFor(id, (s) => s.state === 'running');
  const stdin = new PassThrough();
  const out = collect();
  const resize = new ResizeQueue();
  const abort = new AbortController();
  const session = streaming.attach(pod.ref, 'app', { tty: true, stdin, stdout: out.stream, resize }, abort.signal);
  resize.push({ width: 100, height: 30 });
  for (let i = 0; i < 50 && !out.text().includes('30 100'); i++) {
    stdin.write('size\n');
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(out.text().includes('30 100\r\n'), out.text());
  stdin.write('quit\n');
  await session;
  resize.end();
  assert.equal((await waitFor(id, (s) => s.state === 'exited')).exitCode, 0);
  await runtime.removePodSandbox(pod.sandboxId);
});

function duplexWith(input: string): { conn: Duplex; received: () => string; ended: () => boolean } {
  const chunks: Buffer[] = [];
  let ended = false;
  const conn = new Duplex({
    allowHalfOpen: true,
    read() {},
    write(c, _e, cb) { chunks.push(Buffer.from(c)); cb(); },
    final(cb) { ended = true; cb(); },
  });
  conn.push(input);
  conn.push(null);
  return { conn, received: () => Buffer.concat(chunks).toString(), ended: () => ended };
}

test('port-forward reaches a server inside the pod network namespace; a closed port is refused', async () => {
  const pod = await startPod('pf');
  const id = await run(pod, 'echo', ['nc', '-ll', '-p', '8080', '-e', 'cat']);
  await waitFor(id, (s) => s.state === 'running');
  await streaming.check('portForward', pod.ref);
  await rejectsWith(streaming.check('portForward', { ...pod.ref, name: 'gone' }), 404, 'pod does not exist');
  let echoed = '';
  for (let i = 0; i < 40 && echoed !== 'ping\n'; i++) {
    const c = duplexWith('ping\n');
    try {
      await streaming.portForward(pod.ref, 8080, c.conn, new AbortController().signal);
      echoed = c.received();
      assert.ok(c.ended(), 'the server closing ends the connection');
    } catch {
      await new Promise((r) => setTimeout(r, 100)); // nc not listening yet
    }
  }
  assert.equal(echoed, 'ping\n');
  await assert.rejects(streaming.portForward(pod.ref, 8081, duplexWith('x').conn, new AbortController().signal), /connect: connection refused/);
  await runtime.removePodSandbox(pod.sandboxId);
});
