// A node that stops (its agent killed) turns NotReady, is tainted unreachable, and its pods are
// evicted after their toleration and recreated on the other nodes by their controllers —
// driven with kubectl 1.27 and 1.33 against simulated nodes, one group in its own process.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { TestServer, NAVARCH, until } from './harness.ts';

const server = new TestServer(['--simulated-nodes', '2', '--node-monitor-grace-period', '3s', '--disable-agent']);
let extra: ChildProcess | undefined;
before(async () => {
  await server.start();
  extra = spawn(NAVARCH, ['simulate', '--kubeconfig', server.kubeconfig, '--nodes', '1', '--name-prefix', 'extra-'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    extra!.stdout!.on('data', (d) => { out += d; if (out.includes('Simulating 1 nodes')) resolve(); });
    extra!.on('exit', (c) => reject(new Error(`navarch simulate exited ${c}`)));
  });
});
after(async () => {
  if (extra && extra.exitCode === null && extra.signalCode === null) extra.kill('SIGKILL');
  await server.cleanup();
});


test('pods of a stopped node are recreated on the others', async () => {
  const json = async (v: string, args: string[]) => {
    const r = await server.kubectl(v, [...args, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  const toleration = (key: string) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 });
  const deploy = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 6, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: {
      tolerations: [toleration('node.kubernetes.io/unreachable'), toleration('node.kubernetes.io/not-ready')],
      // Prefer the node that will stop, so it surely holds pods when it goes.
      affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['extra-0'] }] } }] } },
      containers: [{ name: 'web', image: 'encryption-service:v1.0' }] } } },
  };
  assert.equal((await server.kubectl('1.27', ['apply', '-f', '-'], { input: JSON.stringify(deploy) })).code, 0);
  assert.equal((await server.kubectl('1.33', ['rollout', 'status', 'deploy/web', '--timeout=60s'])).code, 0);
  const onExtra = (await json('1.33', ['get', 'pods', '-l', 'app=web'])).items.filter((p: any) => p.spec.nodeName === 'extra-0');
  assert.ok(onExtra.length > 0, `some pods landed on the node that will stop: ${JSON.stringify((await json('1.33', ['get', 'pods', '-l', 'app=web'])).items.map((p: any) => p.spec.nodeName))}`);

  extra!.kill('SIGKILL');
  await until('extra-0 NotReady', async () => {
    const r = await server.kubectl('1.27', ['get', 'node', 'extra-0']);
    return /extra-0\s+NotReady/.test(r.stdout);
  });
  const node = await until('the unreachable NoExecute taint', async () => {
    const n = await json('1.33', ['get', 'node', 'extra-0']);
    return (n.spec.taints ?? []).some((t: any) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute') && n;
  });
  assert.equal(node.status.conditions.find((c: any) => c.type === 'Ready').status, 'Unknown');
  await until('all replicas ready away from extra-0', async () => {
    const pods = (await json('1.33', ['get', 'pods', '-l', 'app=web'])).items.filter((p: any) => !p.metadata.deletionTimestamp);
    const ready = pods.filter((p: any) => p.spec.nodeName !== 'extra-0' && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
    return ready.length === 6;
  });
  for (const p of onExtra) {
    const r = await server.kubectl('1.33', ['get', 'pod', p.metadata.name]);
    assert.ok(r.code !== 0 || /Terminating/.test(r.stdout), `${p.metadata.name} was evicted`);
  }
});
