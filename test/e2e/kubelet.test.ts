// kubectl 1.27 and 1.33 against `navarch server` with its node agent: pods run as real, isolated
// containers on runc, built from Debian's busybox-static and imported with `navarch image import`.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { TestServer, KUBECTL_VERSIONS, until, kubectlIn, agentArgs, httpGet } from './harness.ts';

// A cluster range of its own, so that another agent on this machine cannot collide with it.
const server = new TestServer([...agentArgs('kubelet')]);

before(async () => {
  await server.start();
  await server.importImage({ name: 'web:v1', cmd: ['httpd', '-f', '-v', '-p', '8080', '-h', '/www'], extraFiles: { '/www/index.html': 'hello from web\n' } });
});
after(() => server.cleanup());

/** The pod-level cgroup of a pod on this host (v1 cpu and memory, or unified v2), found by its uid. */
function podCgroup(uid: string): { v2?: string; cpu?: string; memory?: string } {
  const find = (root: string) => {
    if (!existsSync(root)) return undefined;
    for (const d of readdirSync(root).filter((n) => n.startsWith('navarch-'))) if (existsSync(join(root, d, `pod${uid}`))) return join(root, d, `pod${uid}`);
    return undefined;
  };
  if (existsSync('/sys/fs/cgroup/cgroup.controllers')) return { v2: find('/sys/fs/cgroup') };
  return { cpu: find('/sys/fs/cgroup/cpu'), memory: find('/sys/fs/cgroup/memory') };
}

/** Processes on the host whose command line contains `marker` (the container's own processes). */
function hostProcesses(marker: string): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((pid) => {
    try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(marker) ? [Number(pid)] : []; } catch { return []; }
  });
}

for (const v of KUBECTL_VERSIONS) {
  describe(`kubectl ${v}`, () => {
    const ns = `kubelet-${v.replace('.', '')}`;
    const { k, ok, json, apply } = kubectlIn(server, v, ns);
    const pod = (name: string, spec: object, meta: object = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...meta }, spec });

    before(() => ok(['create', 'namespace', ns]).then(() => undefined));

    test('a two-container pod shares an emptyDir and localhost; its containers are isolated processes with the pod IP', async () => {
      await apply(pod('duo', {
        volumes: [{ name: 'shared', emptyDir: {} }],
        containers: [
          { name: 'web', image: 'web:v1', command: ['httpd', '-f', '-p', '8080', '-h', '/shared'], volumeMounts: [{ name: 'shared', mountPath: '/shared' }] },
          {
            name: 'writer', image: 'web:v1', volumeMounts: [{ name: 'shared', mountPath: '/data' }],
            command: ['sh', '-c', `echo "pid $$$$ host $(hostname) marker-${ns}" > /data/index.html; sleep 1; wget -q -O - http://127.0.0.1:8080/index.html; exec sleep 3600`],
          },
        ],
      }));
      await ok(['wait', '--for=condition=Ready', 'pod/duo', '--timeout=60s']);
      const p = await json(['get', 'pod', 'duo']);
      assert.match(p.status.podIP, /^10\.\d+\.0\.\d+$/);
      assert.deepEqual(p.status.containerStatuses.map((c: any) => [c.name, c.ready, c.restartCount, Object.keys(c.state)[0]]), [['web', true, 0, 'running'], ['writer', true, 0, 'running']]);
      assert.match(await ok(['get', 'pod', 'duo']), /duo\s+2\/2\s+Running\s+0\s+/);
      // The page the writer put into the shared volume is served by the other container, on the pod IP.
      const page = (await httpGet(`http://${p.status.podIP}:8080/index.html`)).trim();
      assert.equal(page, `pid 1 host duo marker-${ns}`, 'own PID 1 and the pod name as hostname');
      // The writer fetched it over the pod's localhost before sleeping; the log shows it.
      await until('writer log', async () => (await ok(['logs', 'duo', '-c', 'writer'])).includes(`marker-${ns}`));
      // On the host they are ordinary processes (under runc), not the same PID as inside.
      assert.ok(hostProcesses('httpd -f -p 8080 -h /shared').length >= 1);
    });

    test('a pod whose configMap is missing waits in ContainerCreating with FailedMount and no sandbox, then starts once it exists', async () => {
      await apply(pod('needs-cfg', {
        volumes: [{ name: 'cfg', configMap: { name: 'late-cfg' } }],
        containers: [{ name: 'app', image: 'web:v1', command: ['sh', '-c', 'cat /cfg/greeting; exec sleep 3600'], volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }] }],
      }));
      await until('FailedMount event', async () => (await ok(['get', 'events', '--field-selector', 'involvedObject.name=needs-cfg,reason=FailedMount'])).includes('configmap "late-cfg" not found'));
      // Still waiting after a retry or two: no sandbox (no IP, PodReadyToStartContainers False), ContainerCreating.
      await new Promise((r) => setTimeout(r, 2500));
      const waiting = await json(['get', 'pod', 'needs-cfg']);
      assert.equal(waiting.status.podIP, undefined);
      assert.equal(waiting.status.conditions.find((c: any) => c.type === 'PodReadyToStartContainers')?.status, 'False');
      assert.match(await ok(['get', 'pod', 'needs-cfg']), /needs-cfg\s+0\/1\s+ContainerCreating\s+0\s+/);
      await ok(['create', 'configmap', 'late-cfg', '--from-literal=greeting=hello-late']);
      await ok(['wait', '--for=condition=Ready', 'pod/needs-cfg', '--timeout=60s']);
      await until('log shows the configMap', async () => (await ok(['logs', 'needs-cfg'])).includes('hello-late'));
    });

    test('kubectl debug adds an ephemeral container that sees the target container\'s processes', async () => {
      await apply(pod('debuggee', { containers: [{ name: 'app', image: 'web:v1', command: ['sh', '-c', `exec sleep 3${v.replace('.', '')}1`] }] }));
      await ok(['wait', '--for=condition=Ready', 'pod/debuggee', '--timeout=60s']);
      const out = await k(['debug', 'debuggee', '--image=web:v1', '--target=app', '--container=dbg', '--', 'sh', '-c', 'ps -o pid,args; exec sleep 3600']);
      assert.equal(out.code, 0, out.stderr);
      await until('the debugger ran ps', async () => (await ok(['logs', 'debuggee', '-c', 'dbg']).catch(() => '')).includes('sleep'));
      // PID 1 of what the debugger sees is the target's own process: they share its PID namespace.
      assert.match(await ok(['logs', 'debuggee', '-c', 'dbg']), new RegExp(`^\\s*1 sleep 3${v.replace('.', '')}1$`, 'm'));
      const p = await json(['get', 'pod', 'debuggee']);
      assert.deepEqual(p.spec.ephemeralContainers.map((c: any) => [c.name, c.targetContainerName]), [['dbg', 'app']]);
      const st = p.status.ephemeralContainerStatuses[0];
      assert.deepEqual([st.name, st.ready, Object.keys(st.state)[0]], ['dbg', false, 'running']);
      assert.match(await ok(['exec', 'debuggee', '-c', 'dbg', '--', 'cat', '/proc/1/cmdline']), new RegExp(`sleep`));
      // A target that is not a container of the pod is refused.
      const missing = await k(['debug', 'debuggee', '--image=web:v1', '--target=nope', '--container=dbg2', '--', 'true']);
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /spec\.ephemeralContainers\[1\]\.targetContainerName: Not found: "nope"/);
      // A plain update cannot add one.
      const plain = await k(['patch', 'pod', 'debuggee', '--type=json', '-p', JSON.stringify([{ op: 'add', path: '/spec/ephemeralContainers/-', value: { name: 'sneaky', image: 'web:v1' } }])]);
      assert.notEqual(plain.code, 0);
      assert.match(plain.stderr, /Forbidden: pod updates may not change fields/);
    });

    test('a crashing container climbs RESTARTS and shows CrashLoopBackOff', async () => {
      await apply(pod('crasher', { containers: [{ name: 'c', image: 'web:v1', command: ['sh', '-c', 'echo crashing; exit 2'] }] }));
      const seen = await until('CrashLoopBackOff after restarts', async () => {
        const out = await ok(['get', 'pod', 'crasher', '--no-headers']);
        const m = /crasher\s+0\/1\s+(\S+)\s+(\d+)/.exec(out);
        return m && m[1] === 'CrashLoopBackOff' && Number(m[2]) >= 1 ? out : undefined;
      }, 90_000);
      assert.match(seen, /CrashLoopBackOff/);
      const cs = (await json(['get', 'pod', 'crasher'])).status.containerStatuses[0];
      assert.equal(cs.lastState.terminated.exitCode, 2);
      assert.equal(cs.lastState.terminated.reason, 'Error');
      assert.match(cs.state.waiting.message, /^back-off \d+[ms]+\d*s? restarting failed container=c pod=crasher_/);
    });

    test('a memory hog is OOMKilled', async () => {
      await apply(pod('hog', {
        restartPolicy: 'Never',
        containers: [{ name: 'hog', image: 'web:v1', command: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=256M', 'count=1'], resources: { limits: { memory: '32Mi' } } }],
      }));
      await until('OOMKilled', async () => /hog\s+0\/1\s+OOMKilled\s+0/.test(await ok(['get', 'pod', 'hog', '--no-headers'])), 60_000);
      const p = await json(['get', 'pod', 'hog']);
      assert.equal(p.status.phase, 'Failed');
      assert.equal(p.status.containerStatuses[0].state.terminated.reason, 'OOMKilled');
      assert.equal(p.status.containerStatuses[0].state.terminated.exitCode, 137);
      assert.equal(p.status.qosClass, 'Burstable');
    });

    test('the pod has a cgroup of its own with the summed cpu and memory limits of its containers', async () => {
      const limited = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { cpu, memory } });
      await apply(pod('sized', {
        containers: [
          { name: 'a', image: 'web:v1', command: ['sleep', '3600'], resources: limited('250m', '48Mi') },
          { name: 'b', image: 'web:v1', command: ['sleep', '3600'], resources: limited('500m', '16Mi') },
        ],
      }));
      await ok(['wait', '--for=condition=Ready', 'pod/sized', '--timeout=60s']);
      const uid = (await json(['get', 'pod', 'sized'])).metadata.uid;
      const cg = podCgroup(uid);
      if (cg.v2) {
        assert.equal(readFileSync(join(cg.v2, 'memory.max'), 'utf8').trim(), String(64 * 1024 * 1024));
        assert.equal(readFileSync(join(cg.v2, 'cpu.max'), 'utf8').trim(), '75000 100000');
      } else {
        assert.equal(readFileSync(join(cg.memory!, 'memory.limit_in_bytes'), 'utf8').trim(), String(64 * 1024 * 1024));
        assert.equal(readFileSync(join(cg.cpu!, 'cpu.cfs_quota_us'), 'utf8').trim(), '75000');
        assert.equal(readFileSync(join(cg.cpu!, 'cpu.shares'), 'utf8').trim(), String(Math.trunc(750 * 1024 / 1000)));
      }
      assert.equal((await json(['get', 'pod', 'sized'])).status.qosClass, 'Guaranteed');
      await ok(['delete', 'pod', 'sized', '--wait=true', '--timeout=60s']);
      const gone = podCgroup(uid);
      assert.ok(!gone.v2 && !gone.memory && !gone.cpu, 'the pod cgroup goes with the pod');
    });

    test('a secret reaches env and a file without touching the node\'s disk; a configMap edit appears in the mounted file', async () => {
      await ok(['create', 'secret', 'generic', 'creds', '--from-literal=password=s3cr3t-value']);
      await ok(['create', 'configmap', 'settings', '--from-literal=mode=blue']);
      await apply(pod('cfg', {
        volumes: [{ name: 'creds', secret: { secretName: 'creds' } }, { name: 'settings', configMap: { name: 'settings' } }],
        containers: [{
          name: 'app', image: 'web:v1',
          env: [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } }],
          command: ['sh', '-c', 'echo "env=$PASSWORD file=$(cat /secret/password)"; while true; do echo "mode=$(cat /config/mode)"; sleep 0.5; done'],
          volumeMounts: [{ name: 'creds', mountPath: '/secret' }, { name: 'settings', mountPath: '/config' }],
        }],
      }));
      await ok(['wait', '--for=condition=Ready', 'pod/cfg', '--timeout=60s']);
      await until('secret in env and file', async () => (await ok(['logs', 'cfg'])).includes('env=s3cr3t-value file=s3cr3t-value'));
      // No file of the node agent's on disk holds the secret's value (the container's own log aside):
      // the volume lives on a tmpfs, and so does the bundle whose config.json carries the env.
      const onDisk = execFileSync('grep', ['-rlF', 's3cr3t-value', '--exclude=*.log', '-s', join(server.dataDir, 'kubelet')], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
      const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
      for (const f of onDisk) assert.ok(mounts.split('\n').some((l) => l.includes(' tmpfs ') && f.startsWith(l.split(' ')[4]!)), `${f} is on a tmpfs`);
      await ok(['patch', 'configmap', 'settings', '--type=merge', '-p', '{"data":{"mode":"green"}}']);
      await until('configMap edit visible in the container', async () => (await ok(['logs', 'cfg', '--tail=2'])).includes('mode=green'), 60_000);
    });

    test('a failing readiness probe keeps a pod out of Ready until it passes; a failing liveness probe restarts the container', async () => {
      await apply(pod('probed', {
        terminationGracePeriodSeconds: 2,
        containers: [{
          name: 'web', image: 'web:v1',
          readinessProbe: { httpGet: { path: '/ready.html', port: 8080 }, periodSeconds: 1 },
          livenessProbe: { exec: { command: ['cat', '/tmp/alive'] }, initialDelaySeconds: 1, periodSeconds: 1, failureThreshold: 2 },
          command: ['sh', '-c', 'touch /tmp/alive; exec httpd -f -p 8080 -h /www'],
        }],
      }));
      await until('running, not ready', async () => / 0\/1\s+Running\s+0/.test(await ok(['get', 'pod', 'probed', '--no-headers'])));
      await new Promise((r) => setTimeout(r, 2500));
      assert.match(await ok(['get', 'pod', 'probed', '--no-headers']), / 0\/1\s+Running\s+0/, 'still not ready: the readiness page is missing');
      const events = await ok(['get', 'events', '--field-selector', 'involvedObject.name=probed', '-o', 'custom-columns=REASON:.reason,MESSAGE:.message', '--no-headers']);
      assert.match(events, /Unhealthy\s+Readiness probe failed: HTTP probe failed with statuscode: 404/);
      await ok(['exec', 'probed', '--', 'sh', '-c', 'echo ok > /www/ready.html']);
      await ok(['wait', '--for=condition=Ready', 'pod/probed', '--timeout=30s']);
      // Now break liveness: the kubelet kills and restarts the container.
      await ok(['exec', 'probed', '--', 'rm', '/tmp/alive']);
      await until('restarted by the liveness probe', async () => /probed\s+\d\/1\s+Running\s+1 /.test(await ok(['get', 'pod', 'probed', '--no-headers'])), 60_000);
      const after = await ok(['get', 'events', '--field-selector', 'involvedObject.name=probed', '-o', 'custom-columns=REASON:.reason,MESSAGE:.message', '--no-headers']);
      assert.match(after, /Killing\s+Container web failed liveness probe, will be restarted/);
    });

    test('deleting a pod stops its processes within the grace period', async () => {
      const marker = `sleep 4${Math.floor(Math.random() * 1000) + 1000}`;
      await apply(pod('stopper', { terminationGracePeriodSeconds: 3, containers: [{ name: 'c', image: 'web:v1', command: ['sh', '-c', `${marker}`] }] }));
      await ok(['wait', '--for=condition=Ready', 'pod/stopper', '--timeout=60s']);
      // runc start returns as the container's init execs the command: give it a moment to show.
      await until('the container process runs on the host', async () => hostProcesses(marker).length >= 1);
      const started = Date.now();
      await ok(['delete', 'pod', 'stopper', '--wait=true', '--timeout=60s']);
      assert.ok(Date.now() - started < 20_000, 'deleted within the grace period (plus slack)');
      assert.deepEqual(hostProcesses(marker), [], 'no process left');
    });
  });
}

test('a deployment\'s running pods are not rewritten while nothing changes', async () => {
  const k = (args: string[]) => server.kubectl(KUBECTL_VERSIONS[1]!, ['-n', 'default', ...args], { timeoutMs: 60_000 });
  assert.equal((await k(['create', 'deployment', 'steady', '--image=web:v1', '--replicas=40'])).code, 0);
  assert.equal((await k(['rollout', 'status', 'deploy/steady', '--timeout=90s'])).code, 0);
  const versions = async () => JSON.parse((await k(['get', 'pods', '-l', 'app=steady', '-o', 'json'])).stdout).items.map((p: any) => `${p.metadata.name}@${p.metadata.resourceVersion}`).sort();
  await new Promise((r) => setTimeout(r, 2000));
  const before = await versions();
  await new Promise((r) => setTimeout(r, 4000));
  assert.deepEqual(await versions(), before, 'no status writes without a change');
  assert.equal((await k(['delete', 'deployment', 'steady'])).code, 0);
});

test('a restarted server (and node agent) keeps pods running without restarting them', async () => {
  const k = (args: string[]) => server.kubectl(KUBECTL_VERSIONS[0]!, ['-n', 'default', ...args], { timeoutMs: 60_000 });
  const r = await k(['run', 'survivor', '--image=web:v1', '--port=8080']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await k(['wait', '--for=condition=Ready', 'pod/survivor', '--timeout=60s'])).code, 0);
  const before = JSON.parse((await k(['get', 'pod', 'survivor', '-o', 'json'])).stdout);
  const containerId = before.status.containerStatuses[0].containerID;
  // Leftovers of a crash between steps, which no pod owns: a pod network namespace and a pod's volume dir.
  const tag = createHash('sha256').update(resolve(server.dataDir)).digest('hex').slice(0, 8);
  const strayNetns = `nv-${tag}-stray${Date.now()}`;
  execFileSync('ip', ['netns', 'add', strayNetns]);
  const strayPodDir = join(server.dataDir, 'kubelet', 'pods', '00000000-0000-4000-8000-000000000000');
  mkdirSync(join(strayPodDir, 'volumes', 'kubernetes.io~empty-dir', 'scratch'), { recursive: true });
  await server.stop();
  await server.start();
  await until('node Ready again', async () => (await k(['get', 'nodes', '--no-headers'])).stdout.includes(' Ready '));
  await new Promise((res) => setTimeout(res, 3000));
  const afterRestart = JSON.parse((await k(['get', 'pod', 'survivor', '-o', 'json'])).stdout);
  assert.equal(afterRestart.status.containerStatuses[0].containerID, containerId, 'the same container');
  assert.equal(afterRestart.status.containerStatuses[0].restartCount, 0);
  assert.equal(afterRestart.status.phase, 'Running');
  assert.ok(!existsSync(`/run/netns/${strayNetns}`), 'the stray network namespace is gone');
  assert.ok(!existsSync(strayPodDir), 'the stray pod directory is gone');
  const page = await httpGet(`http://${afterRestart.status.podIP}:8080/index.html`);
  assert.equal(page, 'hello from web\n');
});

test('mountPropagation: HostToContainer sees host mounts, Bidirectional hands the pod\'s mounts to the host, a private source is refused', async () => {
  const { ok, json, apply } = kubectlIn(server, KUBECTL_VERSIONS.at(-1)!, 'default');
  const tag = createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 8);
  const shared = `/tmp/navarch-mp-${tag}`;
  const priv = `/tmp/navarch-mp-private-${tag}`;
  const sh = (cmd: string) => execFileSync('sh', ['-c', cmd], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  // Propagation needs a shared mount on the host (as `mount --make-rshared /` gives on systemd hosts).
  sh(`mkdir -p ${shared} ${priv} && mount --bind ${shared} ${shared} && mount --make-shared ${shared} && mount --bind ${priv} ${priv} && mount --make-private ${priv}`);
  const hostVolume = (path: string) => [{ name: 'host', hostPath: { path } }];
  try {
    await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `watcher-${tag}` }, spec: {
      volumes: hostVolume(shared), containers: [{ name: 'c', image: 'web:v1', command: ['sleep', '3600'], volumeMounts: [{ name: 'host', mountPath: '/host', mountPropagation: 'HostToContainer' }] }],
    } });
    await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `mounter-${tag}` }, spec: {
      volumes: hostVolume(shared), containers: [{
        name: 'c', image: 'web:v1', securityContext: { privileged: true }, volumeMounts: [{ name: 'host', mountPath: '/host', mountPropagation: 'Bidirectional' }],
        command: ['sh', '-c', 'mkdir -p /host/from-pod && mount -t tmpfs tmpfs /host/from-pod && echo from-pod > /host/from-pod/f && exec sleep 3600'],
      }],
    } });
    await ok(['wait', '--for=condition=Ready', `pod/watcher-${tag}`, `pod/mounter-${tag}`, '--timeout=60s']);
    // The host mounts after the watcher started: the watcher sees it.
    sh(`mkdir -p ${shared}/from-host && mount -t tmpfs tmpfs ${shared}/from-host && echo from-host > ${shared}/from-host/f`);
    await until('the watcher sees the host mount', async () => (await ok(['exec', `watcher-${tag}`, '--', 'cat', '/host/from-host/f']).catch(() => '')).includes('from-host'));
    // The mounter's tmpfs reaches the host (and through it the watcher).
    await until('the host sees the pod mount', async () => existsSync(`${shared}/from-pod/f`) && readFileSync(`${shared}/from-pod/f`, 'utf8') === 'from-pod\n');
    assert.equal((await ok(['exec', `watcher-${tag}`, '--', 'cat', '/host/from-pod/f'])).trim(), 'from-pod');
    // HostToContainer from a private mount propagates nothing: refused like containerd does.
    await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `refused-${tag}` }, spec: {
      volumes: hostVolume(priv), containers: [{ name: 'c', image: 'web:v1', command: ['sleep', '3600'], volumeMounts: [{ name: 'host', mountPath: '/host', mountPropagation: 'HostToContainer' }] }],
    } });
    await until('CreateContainerError', async () => (await json(['get', 'pod', `refused-${tag}`])).status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerError');
    const waiting = (await json(['get', 'pod', `refused-${tag}`])).status.containerStatuses[0].state.waiting;
    assert.equal(waiting.message, `path "${priv}" is mounted on "${priv}" but it is not a shared or slave mount`);
  } finally {
    await ok(['delete', 'pod', `watcher-${tag}`, `mounter-${tag}`, `refused-${tag}`, '--ignore-not-found', '--wait=true', '--timeout=60s']).catch(() => undefined);
    try { sh(`umount -R ${shared}; umount -R ${priv}`); } catch { /* already gone */ }
    sh(`rm -rf ${shared} ${priv}`);
  }
});
