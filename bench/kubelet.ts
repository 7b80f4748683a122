// Pod startup on the real node agent: `navarch server` (agent on), a busybox image imported, then
// N pods created one after another (a few in flight); each pod's latency is creation → Ready as the
// client sees it through a watch. The limit, measured in the same run: `runc run --detach` of the
// same image's root filesystem (an overlay mount of the same layers) with as many in flight as pods
// (and one at a time, for reference), then the agent's (and control plane's) memory and CPU at idle
// with 0 and 50 pods. Prints figures; not a test.
//
//   .tools/bin/node bench/kubelet.ts [--pods 100] [--parallel 4]
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { ApiClient, loadKubeconfig, type KubeObject } from '../src/client/index.ts';
import { ImageStore } from '../src/kubelet/images/index.ts';
import { buildBusyboxImage } from '../src/kubelet/images/testing/busybox-image.ts';
import { ensureRunDir, removeRunDir } from '../src/kubelet/agent/run-dir.ts';

const { values } = parseArgs({ options: { pods: { type: 'string', default: '100' }, parallel: { type: 'string', default: '4' } } });
const PODS = Number(values.pods);
const PARALLEL = Number(values.parallel);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NAVARCH = join(ROOT, 'bin/navarch');
const PODS_REF = { group: '', version: 'v1', plural: 'pods', namespaced: true };

const pct = (s: number[], p: number) => { const x = [...s].sort((a, b) => a - b); return x.length ? x[Math.min(x.length - 1, Math.floor((p / 100) * x.length))]! : NaN; };
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const cpuTicks = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return Number(f[11]) + Number(f[12]); };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const tmp = mkdtempSync(join(tmpdir(), 'navarch-bench-kubelet-'));
const dataDir = join(tmp, 'data');
const archive = join(tmp, 'bench.tar');
await buildBusyboxImage(archive, { name: 'bench:v1', cmd: ['sleep', '3600'] });

/**
 * The limit: bare `runc run --detach` of the same root filesystem, each run timed to the process
 * running, `parallel` runs in flight (as the pods are: on this machine's cores they contend alike).
 */
async function bareRunc(n: number, parallel: number): Promise<number[]> {
  const store = new ImageStore(join(tmp, 'bare-images'));
  const [image] = await store.importArchive(archive);
  // runc's state on a tmpfs, as /run is on most hosts and as the agent keeps its own run directory.
  const root = join(tmp, 'bare-runc');
  await ensureRunDir(root);
  const bundles: Array<{ id: string; bundle: string }> = [];
  for (let i = 0; i < n; i++) {
    const id = `navarch-bench-${randomBytes(4).toString('hex')}`;
    const bundle = join(tmp, 'bare', id);
    mkdirSync(bundle, { recursive: true });
    const rootfs = await store.mountRootfs(image!.id, { rootfs: join(bundle, 'rootfs'), upper: join(bundle, 'upper'), work: join(bundle, 'work') });
    execFileSync('runc', ['spec', '--bundle', bundle]);
    const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
    spec.root = { path: rootfs, readonly: false };
    spec.process.terminal = false;
    spec.process.args = ['sleep', '3600'];
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
    bundles.push({ id, bundle });
  }
  const times: number[] = [];
  let next = 0;
  try {
    await Promise.all(Array.from({ length: parallel }, async () => {
      while (next < bundles.length) {
        const { id, bundle } = bundles[next++]!;
        const t = performance.now();
        await execFileAsync('runc', ['--root', root, 'run', '--detach', '--bundle', bundle, id]);
        times.push(performance.now() - t);
      }
    }));
  } finally {
    for (const { id, bundle } of bundles) {
      try { execFileSync('runc', ['--root', root, 'delete', '--force', id], { stdio: 'ignore' }); } catch { /* never started */ }
      await store.unmountRootfs(join(bundle, 'rootfs'));
    }
    await removeRunDir(root);
  }
  return times;
}

const execFileAsync = (file: string, args: string[]) => new Promise<void>((res, rej) => {
  const c = spawn(file, args, { stdio: 'ignore' });
  c.on('error', rej);
  c.on('exit', (code) => (code === 0 ? res() : rej(new Error(`${file} ${args[0]} exited ${code}`))));
});

console.log(`navarch kubelet benchmark: ${PODS} pods (${PARALLEL} in flight), busybox image, ${new Date().toISOString()}`);
const alone = await bareRunc(Math.min(PODS, 30), 1);
console.log(`bare runc run --detach, one at a time: p50 ${pct(alone, 50).toFixed(0)} ms, p99 ${pct(alone, 99).toFixed(0)} ms`);
const bare = await bareRunc(PODS, PARALLEL);
console.log(`limit: bare runc run --detach, ${PARALLEL} in flight: p50 ${pct(bare, 50).toFixed(0)} ms, p99 ${pct(bare, 99).toFixed(0)} ms`);

execFileSync(NAVARCH, ['image', 'import', '--data-dir', dataDir, archive], { stdio: 'ignore' });
const proc = spawn(NAVARCH, ['server', '--data-dir', dataDir, '--port', '0', '--kubelet-port', '0', '--cluster-cidr', '10.241.0.0/16'], { stdio: ['ignore', 'pipe', 'ignore'] });
try {
  await new Promise<void>((res, rej) => {
    let out = '';
    proc.stdout!.on('data', (d) => { out += d; if (out.includes('Kubeconfig written')) res(); });
    proc.on('exit', (c) => rej(new Error(`server exited ${c}`)));
  });
  const client = new ApiClient({ ...loadKubeconfig(join(dataDir, 'kubeconfig')), userAgent: 'navarch-bench' });
  // Idle with no pods: let start-up settle, then measure.
  await sleep(5000);
  const idle = async (label: string) => {
    const t0 = cpuTicks(proc.pid!);
    await sleep(10_000);
    const cpu = ((cpuTicks(proc.pid!) - t0) / 100 / 10) * 100;
    console.log(`server + agent at idle with ${label}: RSS ${rssMiB(proc.pid!).toFixed(0)} MiB, CPU ${cpu.toFixed(1)}% of one core`);
  };
  await idle('0 pods');

  const readyAt = new Map<string, number>();
  const watchAbort = new AbortController();
  const list = await client.list(PODS_REF, 'default');
  void client.watch(PODS_REF, 'default', { resourceVersion: list.metadata.resourceVersion }, (e) => {
    const p = e.object as KubeObject;
    if ((p.status?.conditions ?? []).some((c: KubeObject) => c.type === 'Ready' && c.status === 'True') && !readyAt.has(p.metadata.name)) readyAt.set(p.metadata.name, performance.now());
  }, watchAbort.signal).catch(() => undefined);
  const createdAt = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < PODS) {
      const name = `bench-${next++}`;
      createdAt.set(name, performance.now());
      await client.create(PODS_REF, 'default', { metadata: { name }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'bench:v1' }] } });
      while (!readyAt.has(name)) await sleep(5);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const total = (performance.now() - start) / 1000;
  const lat = [...createdAt].map(([n, t]) => readyAt.get(n)! - t);
  console.log(`pod creation → Ready: p50 ${pct(lat, 50).toFixed(0)} ms, p99 ${pct(lat, 99).toFixed(0)} ms, ${PODS} pods in ${total.toFixed(1)} s (goal: p99 < 1000 ms)`);
  console.log(`ratio to bare runc: p50 ${(pct(lat, 50) / pct(bare, 50)).toFixed(1)}×, p99 ${(pct(lat, 99) / pct(bare, 99)).toFixed(1)}× (goal: within 3×)`);
  // Keep 50 running for the idle figure.
  for (let i = 50; i < PODS; i++) await client.delete(PODS_REF, 'default', `bench-${i}`).catch(() => undefined);
  while ((await client.list(PODS_REF, 'default')).items.length > Math.min(50, PODS)) await sleep(500);
  await sleep(3000);
  await idle(`${Math.min(50, PODS)} pods`);
  watchAbort.abort();
  client.close();
} finally {
  await new Promise<void>((r) => { if (proc.exitCode !== null) return r(); proc.once('exit', () => r()); proc.kill('SIGTERM'); setTimeout(() => proc.kill('SIGKILL'), 15_000); });
  execFileSync(NAVARCH, ['cleanup', '--data-dir', dataDir], { stdio: 'ignore' });
  rmSync(tmp, { recursive: true, force: true });
}
