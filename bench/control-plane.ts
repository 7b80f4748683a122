// The control plane at scale: `navarch server --simulated-nodes 1000 --disable-agent`, then
// 30,000 pods created as deployments; measures the time until every pod is Running and Ready,
// the API's p50/p99 latency meanwhile (a probe GET every 100 ms), and the server's peak memory.
// Prints figures; not a test.
//
//   .tools/bin/node bench/control-plane.ts [--nodes 1000] [--pods 30000] [--deployments 30]
//   (NAVARCH_SERVER_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=DIR" profiles the server)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ApiClient, loadKubeconfig } from '../src/client/index.ts';

const { values } = parseArgs({ options: { nodes: { type: 'string', default: '1000' }, pods: { type: 'string', default: '30000' }, deployments: { type: 'string', default: '30' }, timeout: { type: 'string', default: '600' } } });
const NODES = Number(values.nodes);
const PODS = Number(values.pods);
const DEPLOYS = Number(values.deployments);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEPLOYMENTS = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };

const pct = (s: number[], p: number) => (s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN);
const hwm = (pid: number) => { try { return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024; } catch { return NaN; } };

const tmp = mkdtempSync(join(tmpdir(), 'navarch-bench-cp-'));
const proc = spawn(join(ROOT, 'bin/navarch'), ['server', '--data-dir', tmp, '--port', '0', '--simulated-nodes', String(NODES), '--simulated-zones', '3', '--disable-agent'], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, NODE_OPTIONS: process.env.NAVARCH_SERVER_NODE_OPTIONS ?? '' } });
try {
  console.log(`navarch control-plane benchmark: ${NODES} simulated nodes, ${PODS} pods in ${DEPLOYS} deployments, ${new Date().toISOString()}`);
  const t0 = performance.now();
  await new Promise<void>((res, rej) => {
    let out = '';
    proc.stdout!.on('data', (d) => { out += d; if (out.includes('Kubeconfig written')) res(); });
    proc.on('exit', (c) => rej(new Error(`server exited ${c}`)));
  });
  console.log(`server with ${NODES} nodes ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const client = new ApiClient({ ...loadKubeconfig(join(tmp, 'kubeconfig')), userAgent: 'navarch-bench' });
  const probe = new ApiClient({ ...loadKubeconfig(join(tmp, 'kubeconfig')), userAgent: 'navarch-bench-probe' });
  const latencies: number[] = [];
  let probing = true;
  const prober = (async () => {
    while (probing) {
      const t = performance.now();
      await probe.request('GET', '/api/v1/namespaces/default').catch(() => undefined);
      latencies.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const start = performance.now();
  const per = Math.ceil(PODS / DEPLOYS);
  await Promise.all(Array.from({ length: DEPLOYS }, (_, i) => client.create(DEPLOYMENTS, 'default', {
    metadata: { name: `load-${i}` },
    spec: { replicas: per, selector: { matchLabels: { app: `load-${i}` } }, template: { metadata: { labels: { app: `load-${i}` } }, spec: { containers: [{ name: 'c', image: 'load:1', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } } },
  })));
  let ready = 0;
  const deadline = start + Number(values.timeout) * 1000;
  while (performance.now() < deadline) {
    const list = await client.list(DEPLOYMENTS, 'default');
    ready = list.items.reduce((n: number, d: any) => n + (d.status?.readyReplicas ?? 0), 0);
    if (ready >= per * DEPLOYS) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const seconds = (performance.now() - start) / 1000;
  probing = false;
  await prober;
  latencies.sort((a, b) => a - b);
  console.log(`${ready}/${per * DEPLOYS} pods Running and Ready after ${seconds.toFixed(1)} s (goal: all in < 60 s)`);
  console.log(`API probe during the run: p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms over ${latencies.length} requests (goal: p99 < 1 s)`);
  console.log(`server peak RSS: ${hwm(proc.pid!).toFixed(0)} MiB`);
  client.close();
  probe.close();
} finally {
  await new Promise<void>((r) => { if (proc.exitCode !== null) return r(); proc.once('exit', () => r()); proc.kill('SIGTERM'); setTimeout(() => proc.kill('SIGKILL'), 15_000); });
  rmSync(tmp, { recursive: true, force: true });
}
