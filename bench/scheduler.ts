// Scheduler throughput at 100 and 1,000 nodes: the scheduling cycle alone (framework and cache
// in memory, every pod assumed, no API), and end to end against an in-process API server
// (pods created first, then the scheduler started on its own thread, as `navarch server` runs
// it, and timed until every pod is bound). The
// end-to-end throughput counts from the moment the scheduler's caches have synced (as upstream's
// scheduler_perf measures a running scheduler); the time with the start-up (listing every node
// and pod) is printed beside it. The in-memory rate is the limit the end-to-end rate is compared
// with. A benchmark, not a test.
//
//   .tools/bin/node bench/scheduler.ts [--nodes 100,1000] [--pods 1000]
import { parseArgs } from 'node:util';
import { createLogger, setLogLevel } from '../src/base/index.ts';
import type { ApiClient, KubeObject } from '../src/client/index.ts';
import { startTestCluster } from '../src/server/test-cluster.ts';
import { defaultProfile, pluginRegistry } from '../src/scheduler/index.ts';
import type { SchedulerThreadOptions } from '../src/scheduler/scheduler-thread.ts';
import { startComponentThread, type ComponentThread } from '../src/base/thread/component-thread.ts';
import { SchedulerCache } from '../src/scheduler/cache/cache.ts';
import { Framework } from '../src/scheduler/framework/framework.ts';
import { CycleState } from '../src/scheduler/framework/cycle-state.ts';
import { podInfoOf } from '../src/scheduler/framework/pod-info.ts';
import { PodScheduler } from '../src/scheduler/schedule-pod.ts';

const { values } = parseArgs({ options: { nodes: { type: 'string', default: '100,1000' }, pods: { type: 'string', default: '1000' } } });
const NODE_COUNTS = values.nodes.split(',').map(Number);
const PODS_N = Number(values.pods);
const ZONES = ['a', 'b', 'c'];
const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
setLogLevel('warn');

const node = (i: number): KubeObject => {
  const alloc = { cpu: '8', memory: '32Gi', pods: '110' };
  return { metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}`, 'topology.kubernetes.io/zone': ZONES[i % 3] } }, status: { capacity: alloc, allocatable: alloc } };
};
const pod = (i: number, ns = 'default'): KubeObject => ({
  metadata: { name: `pod-${i}`, namespace: ns, uid: `u-${i}`, labels: { app: `app-${i % 10}` } },
  spec: { schedulerName: 'default-scheduler', containers: [{ name: 'c', image: 'pause', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
});

function inMemory(nodes: number, pods: number): number {
  const cache = new SchedulerCache();
  for (let i = 0; i < nodes; i++) cache.addNode(Object.freeze(node(i)));
  const fwk = new Framework(defaultProfile, pluginRegistry, {
    client: {} as never, recorder: { event() {} }, log: createLogger({}), nodes: () => cache.nodes(), node: (n) => cache.node(n),
    namespaceLabels: () => undefined, podDisruptionBudgets: () => [], nominatedPodsFor: () => [],
  });
  const sched = new PodScheduler();
  const start = performance.now();
  for (let i = 0; i < pods; i++) {
    const p = Object.freeze(pod(i));
    const r = sched.schedule(fwk, new CycleState(), podInfoOf(p), cache.nodes());
    cache.assume(p, r.nodeName);
  }
  return pods / ((performance.now() - start) / 1000);
}

async function inFlight<T>(n: number, limit: number, op: (i: number) => Promise<T>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => { for (let i = next++; i < n; i = next++) await op(i); }));
}

async function endToEnd(nodes: number, pods: number): Promise<{ rate: number; withStart: number; startMs: number; spread: string }> {
  const cluster = await startTestCluster();
  const abort = new AbortController();
  let thread: ComponentThread | undefined;
  try {
    const c: ApiClient = cluster.client;
    await inFlight(nodes, 32, (i) => c.create(NODES, undefined, node(i)));
    await inFlight(pods, 32, (i) => { const p = pod(i); delete p.metadata.uid; return c.create(PODS, 'default', p); });
    // As `navarch server` runs it: on a thread of its own, reporting how many pods it bound.
    let scheduled = 0;
    const options: SchedulerThreadOptions = { config: await cluster.config('system:kube-scheduler', []), progressMs: 5 };
    const start = performance.now();
    thread = await startComponentThread(new URL('../src/scheduler/scheduler-thread.ts', import.meta.url), options, abort.signal, createLogger({ bench: 'scheduler' }), (n) => { scheduled = n as number; });
    const synced = performance.now();
    const before = scheduled;
    while (scheduled < pods) await new Promise((r) => setTimeout(r, 5));
    const end = performance.now();
    const perNode = new Map<string, number>();
    for (let i = 0; i < nodes; i++) perNode.set(`node-${i}`, 0);
    for (const p of (await c.list(PODS, 'default')).items) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    const counts = [...perNode.values()];
    return {
      rate: (pods - before) / ((end - synced) / 1000), withStart: pods / ((end - start) / 1000), startMs: synced - start,
      spread: `${Math.min(...counts)}–${Math.max(...counts)} pods/node`,
    };
  } finally {
    abort.abort();
    // The scheduler's thread is gone before the next measurement starts.
    await thread?.exited;
    await cluster.stop();
  }
}

console.log(`navarch scheduler benchmark: ${PODS_N} pods (100m cpu, 128Mi), default profile, ${new Date().toISOString()}`);
for (const n of NODE_COUNTS) {
  const mem = inMemory(n, PODS_N);
  const e2e = await endToEnd(n, PODS_N);
  console.log(`${String(n).padStart(5)} nodes  scheduling cycle ${mem.toFixed(0).padStart(6)} pods/s   end to end (bind via API) ${e2e.rate.toFixed(0).padStart(5)} pods/s = ${(100 * e2e.rate / mem).toFixed(0)}% of the cycle limit   (${e2e.withStart.toFixed(0)} pods/s counting the ${e2e.startMs.toFixed(0)} ms cache sync)   ${e2e.spread}`);
  if (n === 1000) console.log(`goal: >= 1000 pods/s scheduled at 1000 nodes: ${e2e.rate.toFixed(0)} pods/s (${e2e.rate >= 1000 ? 'met' : 'NOT met'})`);
}
