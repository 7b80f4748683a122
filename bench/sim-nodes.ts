// What simulated nodes cost: N nodes and P pods in this process against a real `navarch server`
// (a child process, so its memory and CPU are not counted here). Prints registration time, the
// time for every pod to turn Ready, the simulator's memory, and its CPU while idling with every
// lease being renewed. It is a benchmark, not a test.
//
//   .tools/bin/node bench/sim-nodes.ts [--nodes 1000] [--pods 3000] [--idle-seconds 20]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ApiClient, loadKubeconfig, Informer, type KubeObject, type ResourceRef } from '../src/client/index.ts';
import { SimulatedNodes } from '../src/kubelet/index.ts';
import { createLogger } from '../src/base/index.ts';

const { values } = parseArgs({ options: { nodes: { type: 'string', default: '1000' }, pods: { type: 'string', default: '3000' }, 'idle-seconds': { type: 'string', default: '20' } } });
const NODES = Number(values.nodes);
const PODS_N = Number(values.pods);
const IDLE = Number(values['idle-seconds']);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };

const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
const memory = () => { globalThis.gc?.(); const m = process.memoryUsage(); return { rss: m.rss, heap: m.heapUsed }; };

async function startServer(dataDir: string) {
  // No node agent: the API (or the simulation) alone is measured, and no pod network is left on the host.
  const proc = spawn(join(ROOT, 'bin/navarch'), ['server', '--data-dir', dataDir, '--port', '0', '--disable-agent'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NAVARCH_LOG: 'warn' } });
  await new Promise<void>((res, rej) => {
    let out = '';
    proc.stdout!.on('data', (d) => { out += d; if (out.includes('Kubeconfig written')) res(); });
    proc.on('exit', (code) => rej(new Error(`server exited with ${code}`)));
  });
  return proc;
}

async function pool(count: number, limit: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => { while (next < count) await fn(next++); }));
}

const tmp = mkdtempSync(join(tmpdir(), 'navarch-bench-sim-'));
const server = await startServer(join(tmp, 'server'));
const abort = new AbortController();
try {
  const config = loadKubeconfig(join(tmp, 'server', 'kubeconfig'));
  const client = new ApiClient({ ...config, userAgent: 'navarch-bench' });
  const before = memory();
  const cpu0 = process.cpuUsage();
  let t = performance.now();
  const sim = new SimulatedNodes({ client: config, count: NODES, zones: 3, log: createLogger({ component: 'bench' }) });
  await sim.start(abort.signal);
  const registerSeconds = (performance.now() - t) / 1000;
  const afterNodes = memory();

  // Count Ready pods from a watch rather than polling.
  let ready = 0;
  const seen = new Set<string>();
  const watcher = new Informer(client, PODS, createLogger({ component: 'bench' }));
  const onPod = (p: KubeObject) => {
    if (!seen.has(p.metadata.name) && (p.status?.conditions ?? []).some((c: KubeObject) => c.type === 'Ready' && c.status === 'True')) { seen.add(p.metadata.name); ready++; }
  };
  watcher.addHandler({ add: onPod, update: (_o, p) => onPod(p) });
  await watcher.start(abort.signal);

  t = performance.now();
  await pool(PODS_N, 32, async (i) => {
    const name = `p-${i}`;
    // Placed directly (spec.nodeName) so the figures do not depend on a scheduler.
    await client.create(PODS, 'default', { metadata: { name }, spec: { nodeName: `sim-node-${i % NODES}`, containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] } });
  });
  const createSeconds = (performance.now() - t) / 1000;
  while (ready < PODS_N) await new Promise((r) => setTimeout(r, 50));
  const readySeconds = (performance.now() - t) / 1000;
  const afterPods = memory();

  const writes0 = sim.writes;
  const cpu1 = process.cpuUsage();
  const idleStart = performance.now();
  await new Promise((r) => setTimeout(r, IDLE * 1000));
  const cpu2 = process.cpuUsage(cpu1);
  const idleSeconds = (performance.now() - idleStart) / 1000;
  const total = process.cpuUsage(cpu0);

  console.log(`simulated nodes: ${NODES}, pods: ${PODS_N} (the API server runs in a separate process)`);
  console.log(`register ${NODES} nodes + leases: ${registerSeconds.toFixed(1)} s`);
  console.log(`create ${PODS_N} pods (placed on nodes): ${createSeconds.toFixed(1)} s; all Ready after ${readySeconds.toFixed(1)} s (default timings ≈ 1.1–1.6 s per pod)`);
  console.log(`memory: before ${mb(before.heap)} heap / ${mb(before.rss)} rss; with nodes ${mb(afterNodes.heap)} / ${mb(afterNodes.rss)}; with pods ${mb(afterPods.heap)} / ${mb(afterPods.rss)}`);
  console.log(`idle ${idleSeconds.toFixed(0)} s: ${((sim.writes - writes0) / idleSeconds).toFixed(0)} writes/s (leases), CPU ${(((cpu2.user + cpu2.system) / 1e6 / idleSeconds) * 100).toFixed(1)}% of one core`);
  console.log(`total CPU in this process: ${((total.user + total.system) / 1e6).toFixed(1)} s; writes by the simulator: ${sim.writes}`);
  client.close();
} finally {
  abort.abort();
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(tmp, { recursive: true, force: true });
}
