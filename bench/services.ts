// Traffic through the service data path of a real `navarch server`: busybox httpd pods behind a
// ClusterIP service, a NodePort service and an Ingress, loaded from the host with C concurrent
// clients for D seconds each, R rounds with the paths interleaved (a new connection per request:
// busybox httpd closes after each answer, so every request also pays conntrack and NAT setup).
// The limit measured in the same run: the same load sent straight to a pod IP. Each path has a
// pod of its own: the server side of a closed connection waits in TIME_WAIT, and a SYN from
// another path reusing its address and port with other TCP timestamps would be dropped (PAWS),
// which measures the order of the runs, not the path. Node ports masquerade (as kube-proxy's):
// from one client address at thousands of new connections a second, conntrack soon reuses
// source ports whose server side still waits in TIME_WAIT, and some SYNs meet PAWS and are
// retransmitted a second later; the stalls count shows them. Prints figures and ratios; not a test.
//
//   .tools/bin/node bench/services.ts [--seconds 5] [--concurrency 8] [--rounds 3]
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ApiClient, loadKubeconfig, type KubeObject } from '../src/client/index.ts';
import { buildBusyboxImage } from '../src/kubelet/images/testing/busybox-image.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '8' }, rounds: { type: 'string', default: '3' } } });
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Number(values.rounds);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NAVARCH = join(ROOT, 'bin/navarch');
const ref = (group: string, plural: string) => ({ group, version: 'v1', plural, namespaced: true });
const pct = (s: number[], p: number) => { const x = [...s].sort((a, b) => a - b); return x.length ? x[Math.min(x.length - 1, Math.floor((p / 100) * x.length))]! : NaN; };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const tmp = mkdtempSync(join(tmpdir(), 'navarch-bench-services-'));
const dataDir = join(tmp, 'data');
const archive = join(tmp, 'web.tar');
await buildBusyboxImage(archive, { name: 'web:v1', cmd: ['httpd', '-f', '-p', '8080', '-h', '/www'], extraFiles: { '/www/index.html': 'hello\n' } });
execFileSync(NAVARCH, ['image', 'import', '--data-dir', dataDir, archive], { stdio: 'ignore' });

/** One GET on a new connection; resolves with its latency in ms. */
function get(host: string, port: number, hostHeader?: string): Promise<number> {
  const t = performance.now();
  return new Promise((res, rej) => {
    request({ host, port, path: '/', agent: false, headers: hostHeader ? { Host: hostHeader } : {} }, (r) => {
      r.resume();
      r.on('end', () => (r.statusCode === 200 ? res(performance.now() - t) : rej(new Error(`HTTP ${r.statusCode}`))));
    }).on('error', rej).end();
  });
}

interface Sample { rps: number; latencies: number[]; errors: number; firstError: string }

async function load(host: string, port: number, hostHeader?: string): Promise<Sample> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError = '';
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (Date.now() < deadline) {
      try { latencies.push(await get(host, port, hostHeader)); } catch (e) { errors++; firstError ||= (e as Error).message; }
    }
  }));
  return { rps: latencies.length / SECONDS, latencies, errors, firstError };
}

/** The median round's throughput and the latency percentiles over all rounds. */
function summary(label: string, samples: Sample[]): number {
  const rps = pct(samples.map((s) => s.rps), 50);
  const all = samples.flatMap((s) => s.latencies);
  const slow = all.filter((l) => l > 500).length;
  const errors = samples.reduce((n, s) => n + s.errors, 0);
  console.log(`${label.padEnd(10)} ${rps.toFixed(0).padStart(6)} req/s (rounds: ${samples.map((s) => s.rps.toFixed(0)).join(', ')})  p50 ${pct(all, 50).toFixed(2)} ms  p99 ${pct(all, 99).toFixed(2)} ms  max ${Math.max(...all).toFixed(0)} ms (${slow} over 500 ms)${errors ? `  (${errors} errors, first: ${samples.find((s) => s.firstError)?.firstError})` : ''}`);
  return rps;
}

const proc = spawn(NAVARCH, ['server', '--data-dir', dataDir, '--port', '0', '--kubelet-port', '0', '--cluster-cidr', '10.242.0.0/16', '--service-cidr', '172.30.0.0/20',
  '--service-node-port-range', '31800-31899', '--ingress-http-port', '0', '--ingress-https-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
try {
  let out = '';
  await new Promise<void>((res, rej) => {
    const on = (d: Buffer) => { out += d; if (out.includes('Kubeconfig written')) res(); };
    proc.stdout!.on('data', on);
    proc.stderr!.on('data', on);
    proc.on('exit', (c) => rej(new Error(`server exited ${c}`)));
  });
  // The server logs its ingress ports right before it reports ready.
  for (let i = 0; i < 50 && !/ingress listening/.test(out); i++) await sleep(100);
  const ingressPort = Number(/msg="ingress listening".*?http=(\d+)/.exec(out)?.[1]);
  if (!ingressPort) throw new Error(`the server reported no ingress port:\n${out.split('\n').filter((l) => /ready|ingress|error/.test(l)).join('\n')}`);
  const client = new ApiClient({ ...loadKubeconfig(join(dataDir, 'kubeconfig')), userAgent: 'navarch-bench' });
  const ns = 'default';
  // One pod per path (see the top of the file), all alike.
  for (const path of ['direct', 'cluster', 'nodeport', 'ingress']) {
    await client.create(ref('', 'pods'), ns, { metadata: { name: `web-${path}`, labels: { path } }, spec: { containers: [{ name: 'web', image: 'web:v1', ports: [{ name: 'http', containerPort: 8080 }] }] } });
  }
  const svc = await client.create(ref('', 'services'), ns, { metadata: { name: 'web' }, spec: { selector: { path: 'cluster' }, ports: [{ port: 80, targetPort: 8080 }] } });
  const np = await client.create(ref('', 'services'), ns, { metadata: { name: 'web-np' }, spec: { type: 'NodePort', selector: { path: 'nodeport' }, ports: [{ port: 80, targetPort: 8080 }] } });
  await client.create(ref('', 'services'), ns, { metadata: { name: 'web-ing' }, spec: { selector: { path: 'ingress' }, ports: [{ port: 80, targetPort: 8080 }] } });
  await client.create(ref('networking.k8s.io', 'ingresses'), ns, { metadata: { name: 'web' }, spec: { rules: [{ host: 'web.bench', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web-ing', port: { number: 80 } } } }] } }] } });
  let pod: KubeObject;
  for (;;) {
    const pods = (await client.list(ref('', 'pods'), ns)).items;
    pod = pods.find((p: KubeObject) => p.metadata.name === 'web-direct');
    if (pods.length === 4 && pods.every((p: KubeObject) => p.status?.conditions?.some((c: KubeObject) => c.type === 'Ready' && c.status === 'True'))) break;
    await sleep(200);
  }
  const nodePort = np.spec.ports[0].nodePort;
  // Let the proxy and the ingress see the endpoints.
  for (let i = 0; i < 100; i++) { try { await get(svc.spec.clusterIP, 80); await get('127.0.0.1', nodePort); await get('127.0.0.1', ingressPort, 'web.bench'); break; } catch { await sleep(200); } }
  console.log(`navarch service data path: ${CONCURRENCY} clients × ${SECONDS} s × ${ROUNDS} rounds, new connection per request, ${new Date().toISOString()}`);
  const samples: Record<string, Sample[]> = { direct: [], cluster: [], nodePort: [], ingress: [] };
  for (let r = 0; r < ROUNDS; r++) {
    samples.direct!.push(await load(pod.status.podIP, 8080));
    samples.cluster!.push(await load(svc.spec.clusterIP, 80));
    samples.nodePort!.push(await load('127.0.0.1', nodePort));
    samples.ingress!.push(await load('127.0.0.1', ingressPort, 'web.bench'));
  }
  const direct = summary('pod IP', samples.direct!);
  const ratio = (rps: number) => `${((rps / direct) * 100).toFixed(0)}% of the pod IP's throughput`;
  const cluster = summary('ClusterIP', samples.cluster!);
  const nodePortRps = summary('NodePort', samples.nodePort!);
  const ingress = summary('Ingress', samples.ingress!);
  console.log(`ClusterIP: ${ratio(cluster)} (goal ≥ 90%); NodePort: ${ratio(nodePortRps)}; Ingress: ${ratio(ingress)}`);
  client.close();
} finally {
  await new Promise<void>((r) => { if (proc.exitCode !== null) return r(); proc.once('exit', () => r()); proc.kill('SIGTERM'); setTimeout(() => proc.kill('SIGKILL'), 15_000); });
  execFileSync(NAVARCH, ['cleanup', '--data-dir', dataDir], { stdio: 'ignore' });
  rmSync(tmp, { recursive: true, force: true });
}
