import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, readdirSync, statSync, readlinkSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { RuncRuntime } from './runc-runtime.ts';
import { RuncFixture, waitForContainer } from './testing/runc-fixture.ts';
import type { ContainerConfig, ContainerStatus } from '../runtime.ts';

const fx = new RuncFixture('rt');
const { tmp, runDir, cgroupRoot, store } = fx;
let runtime: RuncRuntime;
let imageId: string;
let netnsPath: string;

before(async () => {
  await fx.start({ name: 'web:v1', cmd: ['sh', '-c', 'echo hello; sleep 3600'] });
  ({ runtime, imageId, netnsPath } = fx);
});

// Whatever a failed test left goes too.
after(() => fx.cleanup());

const pod = (name: string) => ({ namespace: 'default', name, uid: randomBytes(8).toString('hex') });

function containerConfig(sandboxId: string, name: string, args: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    sandboxId, name, attempt: 0, imageId, imageRef: 'web:v1', args, env: ['PATH=/bin'], workingDir: '/',
    tty: false, stdin: false, mounts: [], resources: {}, security: {}, logPath: join(tmp, 'logs', sandboxId, `${name}.log`), labels: {},
    ...extra,
  };
}

async function sandbox(name: string, shareProcessNamespace = false): Promise<string> {
  return runtime.runPodSandbox({
    pod: pod(name), attempt: 0, hostname: name, netnsPath, hostNetwork: false, hostPID: false, hostIPC: false,
    shareProcessNamespace, cgroupParent: `/${cgroupRoot}/pod-${name}`, labels: {},
  });
}

function waitFor(id: string, want: (s: ContainerStatus) => boolean, ms = 10_000): Promise<ContainerStatus> {
  return waitForContainer(runtime, id, want, ms);
}

function collect(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  return { stream: new Writable({ write(c, _e, cb) { chunks.push(Buffer.from(c)); cb(); } }), text: () => Buffer.concat(chunks).toString() };
}

test('containers of a sandbox share its hostname and network, each with its own PID 1; output goes to a CRI log', async () => {
  const sb = await sandbox('web-1');
  const a = await runtime.createContainer(containerConfig(sb, 'app', ['sh', '-c', 'echo out; echo err >&2; hostname; echo pid $$; sleep 3600']));
  await runtime.startContainer(a);
  const running = await waitFor(a, (s) => s.state === 'running');
  assert.ok(running.pid && running.pid > 1);
  const log = await (async () => {
    for (let i = 0; i < 200; i++) {
      const text = existsSync(running.logPath) ? readFileSync(running.logPath, 'utf8') : '';
      if (text.includes('pid ')) return text;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('no log');
  })();
  assert.match(log, /^\S+ stdout F out$/m);
  assert.match(log, /^\S+ stderr F err$/m);
  assert.match(log, /stdout F web-1$/m, 'hostname is the pod name');
  assert.match(log, /stdout F pid 1$/m, 'the container is PID 1 of its own namespace');
  const b = await runtime.createContainer(containerConfig(sb, 'side', ['sleep', '3600']));
  await runtime.startContainer(b);
  await waitFor(b, (s) => s.state === 'running');
  const out = collect();
  const err = collect();
  assert.equal(await runtime.exec(b, ['sh', '-c', 'hostname; readlink /proc/1/exe'], { tty: false, stdout: out.stream, stderr: err.stream }), 0, err.text());
  assert.match(out.text(), /^web-1\n\/bin\/busybox\n$/, err.text());
  // Both containers are in the pod's network namespace (the one the pod network made).
  const side = (await runtime.containerStatus(b))!;
  const netnsInode = `net:[${statSync(netnsPath).ino}]`;
  assert.equal(readlinkSync(`/proc/${running.pid}/ns/net`), netnsInode);
  assert.equal(readlinkSync(`/proc/${side.pid}/ns/net`), netnsInode);
  assert.notEqual(readlinkSync(`/proc/${running.pid}/ns/pid`), readlinkSync(`/proc/${side.pid}/ns/pid`), 'each has its own PID namespace');
  await runtime.removePodSandbox(sb);
  assert.equal((await runtime.listContainers()).filter((c) => c.sandboxId === sb).length, 0);
});

test('without a shared PID namespace no pause process runs: IPC and UTS are pinned files, gone with the sandbox', async () => {
  const sb = await sandbox('web-pin');
  const a = await runtime.createContainer(containerConfig(sb, 'a', ['sleep', '3600']));
  const b = await runtime.createContainer(containerConfig(sb, 'b', ['sleep', '3600']));
  await runtime.startContainer(a);
  await runtime.startContainer(b);
  const [sa, sbs] = [await waitFor(a, (s) => s.state === 'running'), await waitFor(b, (s) => s.state === 'running')];
  for (const kind of ['ipc', 'uts']) {
    assert.equal(readlinkSync(`/proc/${sa.pid}/ns/${kind}`), readlinkSync(`/proc/${sbs.pid}/ns/${kind}`), `${kind} shared`);
    assert.notEqual(readlinkSync(`/proc/${sa.pid}/ns/${kind}`), readlinkSync(`/proc/self/ns/${kind}`), `${kind} not the host's`);
  }
  // No runc container besides the two (the pause would be a third in runc's root).
  assert.deepEqual(readdirSync(join(runDir, 'runc')).sort(), [a, b].sort());
  const pins = join(runDir, 'ns', sb);
  assert.ok(readFileSync('/proc/self/mountinfo', 'utf8').includes(`${pins}/ipc`), 'the IPC namespace is pinned by a bind mount');
  await runtime.removePodSandbox(sb);
  assert.equal(readFileSync('/proc/self/mountinfo', 'utf8').includes(pins), false, 'no pin left mounted');
  assert.equal(existsSync(pins), false);
});

test('a sandbox whose pinned namespaces are gone (a reboot cleared /run) is not ready', async () => {
  const sb = await sandbox('web-gone');
  assert.equal((await runtime.listPodSandboxes()).find((s) => s.id === sb)?.state, 'ready');
  const { unpinNamespaces } = await import('./namespace-pins.ts');
  await unpinNamespaces(join(runDir, 'ns', sb));
  assert.equal((await runtime.listPodSandboxes()).find((s) => s.id === sb)?.state, 'notready');
  await assert.rejects(runtime.createContainer(containerConfig(sb, 'a', ['sleep', '3600'])), /not ready/);
  await runtime.removePodSandbox(sb);
});

test('with shareProcessNamespace a pause process is PID 1 of the pod and sees every container', async () => {
  const sb = await sandbox('web-pid', true);
  const a = await runtime.createContainer(containerConfig(sb, 'a', ['sleep', '3600']));
  await runtime.startContainer(a);
  await waitFor(a, (s) => s.state === 'running');
  const out = collect();
  assert.equal(await runtime.exec(a, ['sh', '-c', 'hostname; readlink /proc/1/exe; ls /proc | grep -c "^[0-9]"'], { tty: false, stdout: out.stream }), 0);
  const [host, pid1, count] = out.text().trim().split('\n');
  assert.equal(host, 'web-pid');
  assert.equal(pid1, '/pause', 'the pause process is PID 1');
  assert.ok(Number(count) >= 3, `pause, sleep and the exec's shell share the namespace (saw ${count})`);
  await runtime.removePodSandbox(sb);
  assert.equal(existsSync(join(runDir, 'runc', sb)), false);
});

test('exec reports the exit code of the command', async () => {
  const sb = await sandbox('web-2');
  const c = await runtime.createContainer(containerConfig(sb, 'app', ['sleep', '3600']));
  await runtime.startContainer(c);
  await waitFor(c, (s) => s.state === 'running');
  assert.equal(await runtime.exec(c, ['sh', '-c', 'exit 3'], { tty: false }), 3);
  await runtime.removePodSandbox(sb);
});

test('exec keeps runc\'s own error line out of the command\'s stderr, but not a line the command wrote', async () => {
  const sb = await sandbox('web-2b');
  const c = await runtime.createContainer(containerConfig(sb, 'app', ['sleep', '3600']));
  await runtime.startContainer(c);
  await waitFor(c, (s) => s.state === 'running');
  const err = collect();
  await assert.rejects(runtime.exec(c, ['no-such-command'], { tty: false, stderr: err.stream }), /exec failed: .*"no-such-command": executable file not found in \$PATH/);
  assert.equal(err.text(), '');
  // The same shape written by the command itself is its output: it comes through, in order.
  const own = collect();
  const line = 'time="2024-01-01T00:00:00Z" level=error msg="from the app"';
  assert.equal(await runtime.exec(c, ['sh', '-c', `echo first >&2; echo '${line}' >&2; sleep 0.5; echo last >&2; exit 2`], { tty: false, stderr: own.stream }), 2);
  assert.equal(own.text(), `first\n${line}\nlast\n`);
  await runtime.removePodSandbox(sb);
});

test('a container records its stdio; conmon leaves stdin open unless stdinOnce', async () => {
  const sb = await sandbox('web-2c');
  const once = await runtime.createContainer(containerConfig(sb, 'once', ['cat'], { stdin: true, stdinOnce: true }));
  const open = await runtime.createContainer(containerConfig(sb, 'open', ['cat'], { stdin: true }));
  const none = await runtime.createContainer(containerConfig(sb, 'none', ['sleep', '3600'], { tty: true }));
  assert.deepEqual(await runtime.containerStdio(once), { stdin: true, stdinOnce: true, tty: false });
  assert.deepEqual(await runtime.containerStdio(open), { stdin: true, stdinOnce: false, tty: false });
  assert.deepEqual(await runtime.containerStdio(none), { stdin: false, stdinOnce: false, tty: true });
  assert.equal(await runtime.containerStdio('nope'), undefined);
  const conmonArgs = (id: string) => readFileSync(`/proc/${readFileSync(join(runtime.conmonSocketDir, id, 'conmon.pid'), 'utf8').trim()}/cmdline`, 'utf8').split('\0');
  assert.ok(!conmonArgs(once).includes('--leave-stdin-open'));
  assert.ok(conmonArgs(open).includes('--leave-stdin-open'));
  assert.equal(runtime.conmonSocketDir, join(runDir, 's'));
  await runtime.removePodSandbox(sb);
});

test('a container exiting on its own is reported exited with its code and reason', async () => {
  const sb = await sandbox('web-3');
  const ok = await runtime.createContainer(containerConfig(sb, 'ok', ['true']));
  const bad = await runtime.createContainer(containerConfig(sb, 'bad', ['sh', '-c', 'exit 7']));
  await runtime.startContainer(ok);
  await runtime.startContainer(bad);
  const okStatus = await waitFor(ok, (s) => s.state === 'exited');
  const badStatus = await waitFor(bad, (s) => s.state === 'exited');
  assert.deepEqual([okStatus.exitCode, okStatus.reason], [0, 'Completed']);
  assert.deepEqual([badStatus.exitCode, badStatus.reason], [7, 'Error']);
  assert.ok(badStatus.finishedAt! >= badStatus.startedAt! - 1000);
  await runtime.removePodSandbox(sb);
});

test('stopping sends SIGTERM, then SIGKILL once the grace period is over', async () => {
  const sb = await sandbox('web-4');
  const polite = await runtime.createContainer(containerConfig(sb, 'polite', ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done']));
  const stubborn = await runtime.createContainer(containerConfig(sb, 'stubborn', ['sleep', '3600']));
  await runtime.startContainer(polite);
  await runtime.startContainer(stubborn);
  await waitFor(polite, (s) => s.state === 'running');
  await waitFor(stubborn, (s) => s.state === 'running');
  let t = Date.now();
  await runtime.stopContainer(polite, 10);
  assert.ok(Date.now() - t < 5000, 'a process that handles SIGTERM stops without waiting out the grace period');
  assert.equal((await runtime.containerStatus(polite))!.exitCode, 0);
  t = Date.now();
  await runtime.stopContainer(stubborn, 1);
  assert.ok(Date.now() - t >= 900, 'PID 1 without a TERM handler outlives SIGTERM until the grace period ends');
  assert.equal((await runtime.containerStatus(stubborn))!.exitCode, 137);
  await runtime.removePodSandbox(sb);
});

test('a container over its memory limit is OOMKilled', async () => {
  const sb = await sandbox('web-5');
  const c = await runtime.createContainer(containerConfig(sb, 'hog', ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=128M', 'count=1'], { resources: { memoryLimitBytes: 32 << 20 } }));
  await runtime.startContainer(c);
  const s = await waitFor(c, (x) => x.state === 'exited');
  assert.equal(s.reason, 'OOMKilled');
  assert.equal(s.exitCode, 137);
  await runtime.removePodSandbox(sb);
});

test('after a reboot (the run directory gone) a container on record is reported exited, its state lost', async () => {
  const sb = await sandbox('web-7');
  const c = await runtime.createContainer(containerConfig(sb, 'app', ['sleep', '3600']));
  await runtime.startContainer(c);
  await waitFor(c, (s) => s.state === 'running');
  // A runtime over the same records but an empty run directory sees what an agent sees after a reboot.
  const emptyRunDir = mkdtempSync(join(tmpdir(), 'navarch-rt-reboot-'));
  try {
    const rebooted = new RuncRuntime({ stateDir: join(tmp, 'runtime'), runDir: emptyRunDir, rootfs: store });
    await rebooted.init();
    const found = (await rebooted.listContainers()).find((x) => x.id === c);
    assert.equal(found?.state, 'exited');
    assert.equal(found?.exitCode, 255);
    assert.equal(found?.message, 'container state lost');
  } finally {
    rmSync(emptyRunDir, { recursive: true, force: true });
  }
  await runtime.removePodSandbox(sb);
});

test('a new runtime over the same directories finds the running containers again', async () => {
  const sb = await sandbox('web-6');
  const c = await runtime.createContainer(containerConfig(sb, 'app', ['sleep', '3600']));
  await runtime.startContainer(c);
  const before = await waitFor(c, (s) => s.state === 'running');
  const again = new RuncRuntime({ stateDir: join(tmp, 'runtime'), runDir, rootfs: store });
  await again.init();
  const found = (await again.listContainers()).find((x) => x.id === c);
  assert.equal(found?.state, 'running');
  assert.equal(found?.pid, before.pid);
  assert.ok((await again.listPodSandboxes()).some((s) => s.id === sb && s.state === 'ready'));
  await again.removePodSandbox(sb);
  assert.deepEqual(readdirSync(join(tmp, 'runtime', 'containers')).filter((f) => f.startsWith(c)), [], 'the record is gone');
  assert.deepEqual(readdirSync(join(tmp, 'runtime', 'writable')).filter((f) => f.startsWith(c)), [], 'the writable layer is gone');
  assert.ok(!existsSync(join(runDir, 'bundles', c)), 'the bundle is gone');
});
