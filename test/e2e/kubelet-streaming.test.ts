// kubectl 1.27 and 1.33 streaming against real containers of the node agent: logs, exec (with
// and without a terminal), attach, `run -it --rm`, port-forward (pod, service, deployment) and
// cp, through `navarch server`'s API server and its kubelet streaming server.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestServer, KUBECTL_VERSIONS, kubectlPath, until, kubectlIn, agentArgs, httpGet } from './harness.ts';

// A cluster range of its own, so that another agent on this machine cannot collide with it.
const server = new TestServer([...agentArgs('kubelet-streaming')]);
const scratch = mkdtempSync(join(tmpdir(), 'navarch-streaming-'));
/** Every long-running process a test started, killed by PID at the end even when a test failed. */
const started = new Set<ChildProcess>();

before(async () => {
  await server.start();
  await server.importImage({ name: 'web:v1', cmd: ['httpd', '-f', '-v', '-p', '8080', '-h', '/www'], extraFiles: { '/www/index.html': 'hello from web\n' } });
});
after(async () => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  await server.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GET over plain HTTP; rejects on connection errors. */
/** The kubectl argv (absolute binary, this server's kubeconfig, the version's own cache) as TestServer.kubectl builds it. */
function kubectlArgv(v: string, args: string[]): string[] {
  return [kubectlPath(v), '--kubeconfig', server.kubeconfig, '--cache-dir', join(server.dataDir, '..', `kube-cache-${v}`), ...args];
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

interface Background {
  proc: ChildProcess;
  /** Everything written so far (stdout and stderr; with a terminal, \r\n as \n). */
  output(): string;
  write(s: string): void;
  exited: Promise<number>;
  stop(): Promise<void>;
}

function background(cmd: string, args: string[]): Background {
  const proc = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  started.add(proc);
  let out = '';
  proc.stdout!.on('data', (d) => { out += d; });
  proc.stderr!.on('data', (d) => { out += d; });
  proc.stdin!.on('error', () => undefined);
  const exited = new Promise<number>((r) => proc.on('close', (code, sig) => { started.delete(proc); r(code ?? (sig ? 128 + 9 : -1)); }));
  return {
    proc, exited,
    output: () => out.replace(/\r\n/g, '\n'),
    write: (s) => { proc.stdin!.write(s); },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** kubectl on a pseudo-terminal of rows×cols (util-linux `script`), so it runs as on a user's terminal. */
function kubectlOnTerminal(v: string, args: string[], rows = 33, cols = 111): Background {
  const line = `stty rows ${rows} cols ${cols}; exec ${kubectlArgv(v, args).map(shellQuote).join(' ')}`;
  return background('script', ['-qfec', line, '/dev/null']);
}

/** A local port free right now (the kernel's pick), for a `LOCAL:REMOTE` port-forward. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A long-running `kubectl port-forward`; resolves with the local port it listens on. */
async function portForward(v: string, args: string[]): Promise<{ port: number; session: Background }> {
  const [cmd, ...rest] = kubectlArgv(v, ['port-forward', ...args]);
  const session = background(cmd!, rest);
  try {
    const port = await until('port-forward listening', async () => {
      if (session.proc.exitCode !== null) throw new Error(`port-forward exited: ${session.output()}`);
      const m = /Forwarding from 127\.0\.0\.1:(\d+) ->/.exec(session.output());
      return m ? Number(m[1]) : undefined;
    }, 30_000, 100);
    return { port, session };
  } catch (e) {
    await session.stop();
    throw e;
  }
}

for (const v of KUBECTL_VERSIONS) {
  describe(`kubectl ${v}`, () => {
    const ns = `stream-${v.replace('.', '')}`;
    const { k, ok, json, apply } = kubectlIn(server, v, ns);
    const pod = (name: string, spec: object, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec });
    const ready = (name: string) => ok(['wait', '--for=condition=Ready', `pod/${name}`, '--timeout=90s']);

    before(async () => {
      await ok(['create', 'namespace', ns]);
      // Pods used by several tests start together, to spare the waiting.
      await apply(pod('talker', {
        containers: [
          { name: 'main', image: 'web:v1', command: ['sh', '-c', 'for i in 1 2 3 4 5; do echo "line $i"; done; echo "oops" >&2; exec sleep 3600'] },
          { name: 'side', image: 'web:v1', command: ['sh', '-c', 'echo "side ready"; exec sleep 3600'] },
        ],
      }, { app: 'talker' }));
      await apply(pod('talker2', { containers: [{ name: 'main', image: 'web:v1', command: ['sh', '-c', 'echo "second talker"; exec sleep 3600'] }] }, { app: 'talker' }));
    });

    test('logs: plain, -c, --tail, --timestamps, --since, --all-containers and -l', async () => {
      await ready('talker');
      await ready('talker2');
      await until('talker logged', async () => (await ok(['logs', 'talker', '-c', 'main'])).includes('oops'));
      assert.equal(await ok(['logs', 'talker', '-c', 'main']), 'line 1\nline 2\nline 3\nline 4\nline 5\noops\n');
      assert.equal(await ok(['logs', 'talker', '-c', 'side']), 'side ready\n');
      assert.equal(await ok(['logs', 'talker2']), 'second talker\n', 'the only container needs no -c');
      assert.equal(await ok(['logs', 'talker', '-c', 'main', '--tail=2']), 'line 5\noops\n');
      assert.equal(await ok(['logs', 'talker', '-c', 'main', '--tail=0']), '');
      const stamped = (await ok(['logs', 'talker', '-c', 'main', '--timestamps', '--tail=3'])).trimEnd().split('\n');
      assert.equal(stamped.length, 3);
      for (const l of stamped) assert.match(l, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,9}Z (line \d|oops)$/);
      assert.ok(Date.now() - Date.parse(stamped[0]!.split(' ')[0]!) < 10 * 60_000, 'timestamps are the time of writing');
      assert.equal(await ok(['logs', 'talker', '-c', 'main', '--since=1h']), 'line 1\nline 2\nline 3\nline 4\nline 5\noops\n');
      await sleep(2000);
      assert.equal(await ok(['logs', 'talker', '-c', 'main', '--since=1s']), '', 'nothing written in the last second');
      // Each container's log whole, in the order kubectl happens to ask (a map's, in 1.27).
      const all = await ok(['logs', 'talker', '--all-containers']);
      const main = 'line 1\nline 2\nline 3\nline 4\nline 5\noops\n';
      assert.ok([main + 'side ready\n', 'side ready\n' + main].includes(all), all);
      const bySelector = await ok(['logs', '-l', 'app=talker', '-c', 'main']);
      assert.deepEqual(bySelector.trimEnd().split('\n').sort(), ['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'oops', 'second talker']);
      // Without -c kubectl picks the first container and says so.
      const r = await k(['logs', 'talker']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'line 1\nline 2\nline 3\nline 4\nline 5\noops\n');
      assert.match(r.stderr, /Defaulted container "main" out of: main, side/);
      // A container the pod does not have is the API server's 400, in upstream's words.
      const bad = await k(['logs', 'talker', '-c', 'nope']);
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /container nope is not valid for pod talker/);
    });

    test('logs -f streams lines as they come and ends when the container exits', async () => {
      await apply(pod('ticker', {
        restartPolicy: 'Never',
        containers: [{ name: 'c', image: 'web:v1', command: ['sh', '-c', 'sleep 2; for i in 1 2 3 4 5 6; do echo "tick $i"; sleep 0.5; done'] }],
      }));
      await until('ticker running', async () => / Running /.test(await ok(['get', 'pod', 'ticker', '--no-headers'])));
      const [cmd, ...args] = kubectlArgv(v, ['-n', ns, 'logs', '-f', 'ticker']);
      const f = background(cmd!, args);
      const sawFirst = await until('first tick while following', async () => f.output().includes('tick 1') && f.output(), 30_000, 50);
      assert.ok(!sawFirst.includes('tick 6'), 'lines arrive while the container still writes');
      const code = await Promise.race([f.exited, sleep(30_000).then(() => 'timeout' as const)]);
      await f.stop();
      assert.equal(code, 0, `logs -f ended by itself: ${f.output()}`);
      assert.equal(f.output(), 'tick 1\ntick 2\ntick 3\ntick 4\ntick 5\ntick 6\n');
    });

    test('logs --previous shows the run before a restart; a crash-looping container shows its last run', async () => {
      await apply(pod('crashy', {
        volumes: [{ name: 'state', emptyDir: {} }],
        containers: [{
          name: 'c', image: 'web:v1', volumeMounts: [{ name: 'state', mountPath: '/state' }],
          command: ['sh', '-c', 'n=$(($(cat /state/n 2>/dev/null || echo 0) + 1)); echo $n > /state/n; echo "run $n"; sleep 3; exit 1'],
        }],
      }));
      // The second run is up: --previous is the first.
      await until('second run', async () => {
        const cs = (await json(['get', 'pod', 'crashy'])).status.containerStatuses?.[0];
        return cs?.state?.running && cs.restartCount >= 1 && (await ok(['logs', 'crashy'])) === 'run 2\n';
      }, 90_000);
      assert.equal(await ok(['logs', 'crashy', '--previous']), 'run 1\n');
      assert.equal(await ok(['logs', 'crashy', '-p', '--timestamps']).then((s) => s.replace(/^\S+ /, '')), 'run 1\n');
      // Back-off after the second exit: state waiting, lastState the second run, which both show (as upstream).
      const waiting = await until('CrashLoopBackOff after the second run', async () => {
        const cs = (await json(['get', 'pod', 'crashy'])).status.containerStatuses?.[0];
        return cs?.state?.waiting?.reason === 'CrashLoopBackOff' && cs.lastState?.terminated ? cs : undefined;
      }, 60_000, 200);
      assert.ok(waiting);
      const current = await ok(['logs', 'crashy']);
      assert.match(current, /^run \d+\n$/);
      assert.equal(await ok(['logs', 'crashy', '--previous']), current, 'lastState is the run both show');
    });

    test('logs deploy/x reads one pod of the deployment; a pod without a previous run says so', async () => {
      await ok(['create', 'deployment', 'greeter', '--image=web:v1', '--replicas=1', '--', 'sh', '-c', 'echo "greetings from $(hostname)"; exec sleep 3600']);
      await ok(['rollout', 'status', 'deployment/greeter', '--timeout=90s']);
      const name = (await ok(['get', 'pods', '-l', 'app=greeter', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
      await until('greeter logged', async () => (await ok(['logs', 'deploy/greeter'])) === `greetings from ${name}\n`);
      const r = await k(['logs', 'deploy/greeter', '--previous']);
      assert.notEqual(r.code, 0);
      // `create deployment` names the container after the image.
      assert.match(r.stderr, new RegExp(`previous terminated container "web" in pod "${name}" not found`));
    });

    test('exec: stdout, stderr and the exit code; -i with stdin; -c picks the second container', async () => {
      await ready('talker');
      const r = await k(['exec', 'talker', '-c', 'main', '--', 'sh', '-c', 'echo to-out; echo to-err >&2']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'to-out\n');
      assert.equal(r.stderr, 'to-err\n');
      const failed = await k(['exec', 'talker', '-c', 'main', '--', 'sh', '-c', 'exit 3']);
      assert.equal(failed.code, 3);
      assert.match(failed.stderr, /command terminated with exit code 3/);
      assert.equal(await ok(['exec', '-i', 'talker', '-c', 'main', '--', 'sh', '-c', 'tr a-z A-Z; echo done'], 'hello stdin\nsecond line\n'), 'HELLO STDIN\nSECOND LINE\ndone\n');
      // Each container has its own filesystem: a file made in one is not in the other.
      await ok(['exec', 'talker', '-c', 'side', '--', 'sh', '-c', 'echo side-only > /tmp/mark']);
      assert.equal(await ok(['exec', 'talker', '-c', 'side', '--', 'cat', '/tmp/mark']), 'side-only\n');
      const other = await k(['exec', 'talker', '-c', 'main', '--', 'cat', '/tmp/mark']);
      assert.equal(other.code, 1);
      assert.match(other.stderr, /No such file or directory/);
      // A command the image does not have.
      const missing = await k(['exec', 'talker', '-c', 'main', '--', 'no-such-command']);
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /no-such-command/);
      assert.doesNotMatch(missing.stderr, /level=error/, 'runc\'s own log line is not passed on');
    });

    test('exec -it runs on a terminal of the client\'s size', async () => {
      await ready('talker');
      const t = kubectlOnTerminal(v, ['-n', ns, 'exec', '-it', 'talker', '-c', 'main', '--', 'sh', '-c', 'tty; stty size; echo "TERM=$TERM"'], 33, 111);
      try {
        assert.equal(await Promise.race([t.exited, sleep(60_000).then(() => -1)]), 0, t.output());
        assert.match(t.output(), /^\/dev\/pts\/\d+\n33 111\nTERM=xterm\n/m);
      } finally { await t.stop(); }
      // Typed input reaches an interactive shell, which exits with the code it is given.
      const sh = kubectlOnTerminal(v, ['-n', ns, 'exec', '-it', 'talker', '-c', 'side', '--', 'sh']);
      try {
        // busybox's prompt, followed by its query of the cursor position.
        await until('shell prompt', async () => /\/ # /.test(sh.output()), 30_000, 100);
        sh.write('echo "typed $((6 * 7))"; exit 4\r');
        assert.equal(await Promise.race([sh.exited, sleep(30_000).then(() => -1)]), 4, sh.output());
        assert.match(sh.output(), /typed 42/);
      } finally { await sh.stop(); }
    });

    test('attach -i feeds a container\'s stdin: stdinOnce closes it after the session, otherwise it stays open', async () => {
      await apply(pod('reader', {
        restartPolicy: 'Never',
        containers: [{ name: 'c', image: 'web:v1', stdin: true, stdinOnce: true, command: ['sh', '-c', 'echo waiting; while read l; do echo "got $l"; done; echo "stdin closed"'] }],
      }));
      await apply(pod('listener', {
        containers: [{ name: 'c', image: 'web:v1', stdin: true, command: ['sh', '-c', 'while read l; do echo "heard $l"; done; echo "stdin closed"; sleep 3600'] }],
      }));
      await ready('reader');
      await ready('listener');
      await until('reader waits', async () => (await ok(['logs', 'reader'])).includes('waiting'));
      // stdinOnce: the end of the input ends the container's stdin; attach lasts until the container is done.
      const once = await k(['attach', '-i', 'reader'], 'alpha\nbeta\n');
      assert.equal(once.code, 0, once.stderr);
      assert.match(once.stdout, /got alpha\ngot beta\nstdin closed\n/);
      await until('reader completed', async () => / Completed /.test(await ok(['get', 'pod', 'reader', '--no-headers'])));
      // Without stdinOnce two sessions in a row reach the same stdin, and the container goes on.
      assert.equal((await k(['attach', '-i', 'listener'], 'one\n')).code, 0);
      assert.equal((await k(['attach', '-i', 'listener'], 'two\n')).code, 0);
      await until('both lines heard', async () => (await ok(['logs', 'listener'])) === 'heard one\nheard two\n');
      const cs = (await json(['get', 'pod', 'listener'])).status.containerStatuses[0];
      assert.ok(cs.state.running, 'still running');
      assert.equal(cs.restartCount, 0);
    });

    test('run -it --rm gives a shell on a terminal and deletes the pod afterwards', async () => {
      const t = kubectlOnTerminal(v, ['-n', ns, 'run', 'shell', '-it', '--rm', '--image=web:v1', '--restart=Never', '--', 'sh']);
      try {
        await until('attached', async () => /If you don't see a command prompt, try pressing enter\./.test(t.output()), 90_000, 100);
        await sleep(500);
        t.write('echo "hi from $(hostname)"; exit\r');
        assert.equal(await Promise.race([t.exited, sleep(60_000).then(() => -1)]), 0, t.output());
        assert.match(t.output(), /hi from shell/);
        assert.match(t.output(), /pod "shell" deleted/);
      } finally { await t.stop(); }
      await until('pod gone', async () => /NotFound/.test((await k(['get', 'pod', 'shell'])).stderr));
    });

    test('port-forward reaches a pod, a service and a deployment, also a server bound only to the pod\'s loopback', async () => {
      await apply({
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
        spec: {
          replicas: 2, selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              containers: [
                { name: 'web', image: 'web:v1', command: ['sh', '-c', 'echo "serving $(hostname)" > /www/who.html; exec httpd -f -v -p 8080 -h /www'] },
                { name: 'local', image: 'web:v1', command: ['sh', '-c', 'mkdir /tmp/l; echo "only on loopback" > /tmp/l/index.html; exec httpd -f -p 127.0.0.1:9090 -h /tmp/l'] },
              ],
            },
          },
        },
      });
      await apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
      await ok(['rollout', 'status', 'deployment/web', '--timeout=90s']);
      const pods = (await json(['get', 'pods', '-l', 'app=web'])).items as any[];
      assert.equal(pods.length, 2);
      const names = pods.map((p) => p.metadata.name as string);
      const first = names[0]!;

      const local8080 = await freePort();
      const pf = await portForward(v, ['-n', ns, `pod/${first}`, `${local8080}:8080`, ':9090']);
      try {
        assert.equal(pf.port, local8080);
        assert.equal(await httpGet(`http://127.0.0.1:${pf.port}/who.html`), `serving ${first}\n`);
        assert.equal(await httpGet(`http://127.0.0.1:${pf.port}/index.html`), 'hello from web\n', 'a second connection');
        const local = Number(/Forwarding from 127\.0\.0\.1:(\d+) -> 9090/.exec(pf.session.output())![1]);
        assert.equal(await httpGet(`http://127.0.0.1:${local}/`), 'only on loopback\n');
      } finally { await pf.session.stop(); }
      // That server is not reachable from outside the pod.
      const podIP = pods[0].status.podIP as string;
      await assert.rejects(httpGet(`http://${podIP}:9090/`), /ECONNREFUSED/);

      const svc = await portForward(v, ['-n', ns, 'svc/web', ':80']);
      try {
        assert.match(svc.session.output(), /-> 8080/, 'the service port resolves to the target port');
        const who = await httpGet(`http://127.0.0.1:${svc.port}/who.html`);
        assert.ok(names.map((n) => `serving ${n}\n`).includes(who), who);
      } finally { await svc.session.stop(); }

      const dep = await portForward(v, ['-n', ns, 'deploy/web', ':8080']);
      try {
        const who = await httpGet(`http://127.0.0.1:${dep.port}/who.html`);
        assert.ok(names.map((n) => `serving ${n}\n`).includes(who), who);
      } finally { await dep.session.stop(); }

      // httpd -v logged the port-forwarded requests as coming from the pod's own loopback.
      await until('request logged', async () => /^\[::ffff:127\.0\.0\.1\]:\d+: response:200$/m.test(await ok(['logs', `pod/${first}`, '-c', 'web'])));
    });

    test('the pods of a deployment are isolated: own PID 1, hostname and IP', async () => {
      await ok(['rollout', 'status', 'deployment/web', '--timeout=90s']);
      const pods = (await json(['get', 'pods', '-l', 'app=web'])).items as any[];
      const wide = await ok(['get', 'pods', '-l', 'app=web', '-o', 'wide', '--no-headers']);
      const ips = new Set<string>();
      for (const p of pods) {
        const name = p.metadata.name as string;
        const ip = new RegExp(`^${name}\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+(\\S+)`, 'm').exec(wide)![1]!;
        ips.add(ip);
        assert.equal(ip, p.status.podIP);
        // PID 1 is the container's own process; ps sees nothing of the host or the other pod.
        assert.equal((await ok(['exec', name, '-c', 'web', '--', 'cat', '/proc/1/cmdline'])).replace(/\0/g, ' ').trim(), 'httpd -f -v -p 8080 -h /www');
        const ps = (await ok(['exec', name, '-c', 'web', '--', 'ps', '-o', 'pid,args'])).trim().split('\n').slice(1).map((l) => l.trim());
        assert.ok(ps.some((l) => /^1 httpd -f -v -p 8080 -h \/www$/.test(l)), ps.join('\n'));
        assert.ok(ps.every((l) => /^\d+ (httpd|ps)/.test(l)), `only the container's processes: ${ps.join(' | ')}`);
        // exec'd processes start in the container's PID namespace, under its PID 1's numbering.
        const shellPid = Number((await ok(['exec', name, '-c', 'web', '--', 'sh', '-c', 'echo $$'])).trim());
        assert.ok(shellPid > 1 && shellPid < 1000, `a low PID of the container's namespace: ${shellPid}`);
        assert.equal((await ok(['exec', name, '-c', 'web', '--', 'hostname'])).trim(), name);
        assert.match(await ok(['exec', name, '-c', 'local', '--', 'ip', 'addr']), new RegExp(`inet ${ip.replace(/\./g, '\\.')}/24`));
      }
      assert.equal(ips.size, pods.length, 'one IP per pod');
    });

    test('cp copies a file into a pod and back', async () => {
      await ready('talker');
      const dir = mkdtempSync(join(scratch, `cp-${v}-`));
      const src = join(dir, 'payload.txt');
      const content = `payload for ${v}\n${'x'.repeat(100_000)}\nend\n`;
      writeFileSync(src, content);
      await ok(['cp', src, `talker:/tmp/payload.txt`, '-c', 'main']);
      assert.equal(await ok(['exec', 'talker', '-c', 'main', '--', 'sh', '-c', 'wc -c < /tmp/payload.txt']).then((s) => s.trim()), String(Buffer.byteLength(content)));
      const back = join(dir, 'back.txt');
      const r = await k(['cp', `talker:/tmp/payload.txt`, back, '-c', 'main']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(readFileSync(back, 'utf8'), content);
    });
  });
}
