// kubectl top (1.27 and 1.33) and the HorizontalPodAutoscaler against `navarch server` with its
// node agent: usage read from the real containers' cgroups, carried on the node's Lease. The agent
// renews its Lease (and samples usage) every 2 s here instead of 10 s (NAVARCH_KUBELET_LEASE_RENEW_MS).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestServer, KUBECTL_VERSIONS, until, agentArgs } from './harness.ts';
import { hostTag } from '../../src/kubelet/agent/node-agent.ts';
import { removeCgroupTree } from '../../src/kubelet/runtime/runc/cgroups.ts';
import { parseProcessCgroups } from '../../src/kubelet/stats/index.ts';

process.env.NAVARCH_KUBELET_LEASE_RENEW_MS = '2000';
const server = new TestServer([...agentArgs('kubelet-top')]);
const NS = 'top';

const kubectl = (v: string, args: string[], input?: string) => server.kubectl(v, ['-n', NS, ...args], { input, timeoutMs: 60_000 });
async function ok(v: string, args: string[], input?: string): Promise<string> {
  const r = await kubectl(v, args, input);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** `kubectl top ...` rows (header dropped) once every wanted row name is there. */
async function topRows(v: string, args: string[], wanted: RegExp[]): Promise<string[][]> {
  return until(`kubectl ${v} top ${args.join(' ')}`, async () => {
    const r = await kubectl(v, ['top', ...args]);
    if (r.code !== 0) return undefined;
    const rows = r.stdout.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
    return wanted.every((w) => rows.some((row) => w.test(row.join(' ')))) ? rows : undefined;
  }, 45_000, 500);
}

const millis = (s: string) => { const m = /^(\d+)m$/.exec(s); assert.ok(m, `cpu ${s} in millicores`); return Number(m[1]); };
const mebis = (s: string) => { const m = /^(\d+)Mi$/.exec(s); assert.ok(m, `memory ${s} in Mi`); return Number(m[1]); };

before(async () => {
  await server.start();
  await server.importImage({ name: 'box:v1', cmd: ['sh'] });
  const v = KUBECTL_VERSIONS[0]!;
  await ok(v, ['create', 'namespace', NS]);
  await ok(v, ['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'burner' },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'burner' } },
      template: {
        metadata: { labels: { app: 'burner' } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'burn', image: 'box:v1', command: ['sh', '-c', 'while :; do :; done'], resources: { requests: { cpu: '250m' }, limits: { cpu: '500m' } } }],
        },
      },
    },
  }));
  await ok(v, ['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sleeper' },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [
        { name: 'main', image: 'box:v1', command: ['sleep', '3600'] },
        { name: 'side', image: 'box:v1', command: ['sleep', '3600'] },
      ],
    },
  }));
  await until('a burner pod', async () => (await ok(v, ['get', 'pod', '-l', 'app=burner', '-o', 'name'])).trim());
  await ok(v, ['wait', '--for=condition=Ready', 'pod/sleeper', '--timeout=60s']);
  await ok(v, ['wait', '--for=condition=Ready', 'pod', '-l', 'app=burner', '--timeout=60s']);
});
/**
 * runc nests the agent's cgroups under the server's own cgroup in each hierarchy (here the memory
 * one is not the root), which `navarch cleanup` does not look at yet: remove those of this run.
 */
async function removeNestedCgroups(): Promise<void> {
  const own = new Set(parseProcessCgroups(readFileSync('/proc/self/cgroup', 'utf8')).map((c) => c.path.replace(/^\/+/, '')).filter(Boolean));
  for (const path of own) await removeCgroupTree(`${path}/navarch-${hostTag(server.dataDir)}`).catch(() => undefined);
}

after(async () => {
  try { await server.cleanup(); } finally { await removeNestedCgroups(); }
});

for (const v of KUBECTL_VERSIONS) {
  test(`kubectl ${v} top pod: a CPU burner near its 500m limit, a sleeper near zero using a few Mi`, async (t) => {
    // The machine is shared: a window in which others' load starved the burner is passed over.
    const seen: string[] = [];
    const rows = await until('the burner between 300m and 600m', async () => {
      const rows = await topRows(v, ['pod'], [/^burner-/, /^sleeper /]);
      const cpu = millis(rows.find((r) => r[0]!.startsWith('burner-'))![1]!);
      seen.push(`${cpu}m`);
      return cpu >= 300 && cpu <= 600 ? rows : undefined;
    }, 45_000, 1000).catch((e) => { throw new Error(`${(e as Error).message}; burner readings: ${seen.join(' ')}`); });
    t.diagnostic(`burner readings ${seen.join(' ')}; ${rows.map((r) => r.join(' ')).join('; ')}`);
    const burner = rows.find((r) => r[0]!.startsWith('burner-'))!;
    const sleeper = rows.find((r) => r[0] === 'sleeper')!;
    assert.ok(mebis(burner[2]!) < 50, `burner memory ${burner[2]}`);
    assert.ok(millis(sleeper[1]!) <= 20, `sleeper uses ${sleeper[1]}`);
    assert.ok(mebis(sleeper[2]!) <= 20, `sleeper memory ${sleeper[2]}`);
    // kubectl rounds to Mi; the PodMetrics themselves show the sleeping processes' few hundred Ki.
    const metrics = JSON.parse(await ok(v, ['get', '--raw', `/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods/sleeper`]));
    for (const c of metrics.containers) {
      const ki = /^(\d+)Ki$/.exec(c.usage.memory);
      assert.ok(ki && Number(ki[1]) > 0 && Number(ki[1]) <= 20 * 1024, `${c.name} memory ${c.usage.memory}`);
    }
  });

  test(`kubectl ${v} top pod --containers names each container of each pod`, async () => {
    const rows = await topRows(v, ['pod', '--containers'], [/^burner-\S+ burn /, /^sleeper main /, /^sleeper side /]);
    assert.deepEqual(rows.map((r) => `${r[0]!.replace(/^burner-.*/, 'burner')}/${r[1]}`).sort(), ['burner/burn', 'sleeper/main', 'sleeper/side']);
    const side = rows.find((r) => r[0] === 'sleeper' && r[1] === 'side')!;
    assert.ok(millis(side[2]!) <= 20, `an idle container uses ${side[2]}`);
  });

  test(`kubectl ${v} top node shows this node with the burner's cpu and some memory`, async (t) => {
    const node = (await ok(v, ['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    const rows = await topRows(v, ['node'], [new RegExp(`^${node} `)]);
    const row = rows.find((r) => r[0] === node)!;
    t.diagnostic(row.join(' '));
    assert.ok(millis(row[1]!) >= 300, `node uses ${row[1]} while a pod burns 500m`);
    assert.match(row[2]!, /^\d+%$/);
    assert.ok(mebis(row[3]!) > 0, `node memory ${row[3]}`);
    assert.match(row[4]!, /^\d+%$/);
  });
}

test('a HorizontalPodAutoscaler sees the burner above its CPU target and scales the deployment up', async () => {
  const v = KUBECTL_VERSIONS[KUBECTL_VERSIONS.length - 1]!;
  await ok(v, ['autoscale', 'deployment', 'burner', '--min=1', '--max=2', '--cpu-percent=50']);
  const hpa = await until('desired replicas 2', async () => {
    const h = JSON.parse(await ok(v, ['get', 'hpa', 'burner', '-o', 'json']));
    return h.status?.desiredReplicas === 2 ? h : undefined;
  }, 60_000, 1000);
  // ~500m used of a 250m request.
  const utilization = hpa.status.currentMetrics?.[0]?.resource?.current?.averageUtilization;
  assert.ok(utilization >= 120, `utilization ${utilization}%`);
  assert.match(await ok(v, ['get', 'hpa', 'burner']), /burner\s+Deployment\/burner\s+cpu: \d+%\/50%\s+1\s+2\s+\d/);
  await until('deployment at 2', async () => JSON.parse(await ok(v, ['get', 'deploy', 'burner', '-o', 'json'])).spec.replicas === 2, 30_000);
  // Stop burning before cleanup.
  await ok(v, ['delete', 'hpa', 'burner']);
  await ok(v, ['delete', 'deployment', 'burner', '--wait=false']);
});
