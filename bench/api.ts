// API throughput and latency with 10,000 objects: create, get, update, list and watch through
// a real `navarch server` (child process, HTTPS, admin certificate), beside the raw SQLite
// store's own write and read rates measured in this same run (the limit). Prints figures and
// ratios; it is a benchmark, not a test.
//
//   .tools/bin/node bench/api.ts [--objects 10000] [--concurrency 32]
//   (NAVARCH_SERVER_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=DIR" profiles the server)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ApiClient, loadKubeconfig, type ResourceRef } from '../src/client/index.ts';
import { openStore } from '../src/storage/index.ts';

const { values } = parseArgs({ options: { objects: { type: 'string', default: '10000' }, concurrency: { type: 'string', default: '32' } } });
const N = Number(values.objects);
const C = Number(values.concurrency);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CM: ResourceRef = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };

interface Result { name: string; ops: number; seconds: number; latencies: number[] }

function pct(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timed(name: string, count: number, op: (i: number) => Promise<unknown>): Promise<Result> {
  return timedWith(C, name, count, op);
}

async function timedWith(concurrency: number, name: string, count: number, op: (i: number) => Promise<unknown>): Promise<Result> {
  const latencies: number[] = new Array(count);
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const t = performance.now();
      await op(i);
      latencies[i] = performance.now() - t;
    }
  }));
  return { name, ops: count, seconds: (performance.now() - start) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

function row(r: Result, limit?: Result): string {
  const rate = r.ops / r.seconds;
  const ratio = limit ? `${((rate / (limit.ops / limit.seconds)) * 100).toFixed(0)}% of raw` : '';
  return `${r.name.padEnd(28)} ${rate.toFixed(0).padStart(8)}/s   p50 ${pct(r.latencies, 50).toFixed(2).padStart(7)} ms   p99 ${pct(r.latencies, 99).toFixed(2).padStart(7)} ms   ${ratio}`;
}

const value = (i: number) => new TextEncoder().encode(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'bench' }, data: { index: String(i), payload: 'x'.repeat(200) } }));

async function rawStore(dir: string): Promise<{ write: Result; read: Result; list: Result }> {
  const store = await openStore({ kind: 'sqlite', dataDir: dir, autoCompact: false });
  try {
    const write = await timed('raw sqlite create', N, (i) => store.create(`/registry/core/configmaps/bench/cm-${i}`, value(i)));
    const read = await timed('raw sqlite get', N, (i) => store.get(`/registry/core/configmaps/bench/cm-${i}`));
    const list = await timed('raw sqlite list (all)', 20, () => store.list('/registry/core/configmaps/bench/'));
    return { write, read, list };
  } finally { await store.close(); }
}

async function startServer(dataDir: string): Promise<{ pid: number; stop(): Promise<void> }> {
  // No node agent: the API (or the simulation) alone is measured, and no pod network is left on the host.
  const proc = spawn(join(ROOT, 'bin/navarch'), ['server', '--data-dir', dataDir, '--port', '0', '--disable-agent'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: process.env.NAVARCH_SERVER_NODE_OPTIONS ?? '' } });
  await new Promise<void>((res, rej) => {
    let out = '';
    proc.stdout!.on('data', (d) => { out += d; if (out.includes('Kubeconfig written')) res(); });
    proc.on('exit', (c) => rej(new Error(`server exited ${c}`)));
  });
  return { pid: proc.pid!, stop: () => new Promise((r) => { proc.once('exit', () => r()); proc.kill('SIGTERM'); }) };
}

function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8') as string;
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch { return NaN; }
}

const tmp = mkdtempSync(join(tmpdir(), 'navarch-bench-'));
let server: Awaited<ReturnType<typeof startServer>> | undefined;
try {
  console.log(`navarch API benchmark: ${N} ConfigMaps, ${C} requests in flight, ${new Date().toISOString()}`);
  const raw = await rawStore(join(tmp, 'raw'));
  server = await startServer(join(tmp, 'server'));
  const client = new ApiClient({ ...loadKubeconfig(join(tmp, 'server', 'kubeconfig')), userAgent: 'navarch-bench' });
  await client.create({ group: '', version: 'v1', plural: 'namespaces', namespaced: false }, undefined, { metadata: { name: 'bench' } });
  const body = (i: number) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { index: String(i), payload: 'x'.repeat(200) } });

  const watchAbort = new AbortController();
  const sentAt = new Map<string, number>();
  const watchLatencies: number[] = [];
  let events = 0;
  const watching = client.watch(CM, 'bench', { resourceVersion: '' }, (e) => {
    events++;
    const t = sentAt.get(`${e.object.metadata?.name}/${e.object.data?.index}/${e.object.data?.round ?? ''}`);
    if (t !== undefined) { watchLatencies.push(performance.now() - t); sentAt.delete(`${e.object.metadata?.name}/${e.object.data?.index}/${e.object.data?.round ?? ''}`); }
  }, watchAbort.signal).catch(() => undefined);

  const create = await timed('API create', N, async (i) => { await client.create(CM, 'bench', body(i)); });
  const get = await timed('API get', N, (i) => client.get(CM, 'bench', `cm-${i}`));
  const update = await timed('API update (PUT)', N, async (i) => {
    const o = body(i);
    (o.data as Record<string, string>).round = '1';
    await client.update(CM, 'bench', o);
  });
  // Event delivery, measured with a watch open and a modest write rate (4 writers).
  const watchedUpdates = Math.min(2000, N);
  const savedC = C;
  const watchPhase = await (async () => {
    const r = await timedWith(4, 'API update under watch', watchedUpdates, async (i) => {
      const o = body(i);
      (o.data as Record<string, string>).round = '2';
      sentAt.set(`cm-${i}/${i}/2`, performance.now());
      await client.update(CM, 'bench', o);
    });
    return r;
  })();
  void savedC;
  // Single-object latency when the server is not saturated (4 requests in flight).
  const light = await timedWith(4, 'API get+update (4 in flight)', 2000, async (i) => {
    const o = await client.get(CM, 'bench', `cm-${i}`);
    o.data.round = 'light';
    await client.update(CM, 'bench', o);
  });
  const list = await timed(`API list (all ${N})`, 20, () => client.list(CM, 'bench'));
  const page = await timed('API list (limit=500)', 200, () => client.list(CM, 'bench', { limit: '500' }));
  const del = await timed('API delete', N, (i) => client.delete(CM, 'bench', `cm-${i}`));
  watchAbort.abort();
  await watching;
  client.close();
  watchLatencies.sort((a, b) => a - b);

  console.log('');
  console.log(row(raw.write));
  console.log(row(raw.read));
  console.log(row(raw.list));
  console.log(row(create, raw.write));
  console.log(row(get, raw.read));
  console.log(row(update, raw.write));
  console.log(row(del, raw.write));
  console.log(row(list, raw.list));
  console.log(row(page));
  console.log(row(watchPhase));
  console.log(row(light));
  console.log(`${'watch delivery'.padEnd(28)} ${events} events   p50 ${pct(watchLatencies, 50).toFixed(2).padStart(7)} ms   p99 ${pct(watchLatencies, 99).toFixed(2).padStart(7)} ms (write sent → event received)`);
  const single = [...create.latencies, ...get.latencies, ...update.latencies, ...del.latencies].sort((a, b) => a - b);
  console.log('');
  console.log(`goal: API writes >= 50% of raw SQLite writes: create ${((create.ops / create.seconds) / (raw.write.ops / raw.write.seconds) * 100).toFixed(0)}%, update ${((update.ops / update.seconds) / (raw.write.ops / raw.write.seconds) * 100).toFixed(0)}%`);
  console.log(`goal: p99 of single-object calls < 25 ms: ${pct(single, 99).toFixed(2)} ms at ${C} in flight; ${pct(light.latencies, 99).toFixed(2)} ms per get+update pair at 4 in flight`);
  console.log(`server peak RSS: ${rssOf(server.pid).toFixed(0)} MiB`);
} finally {
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
}
