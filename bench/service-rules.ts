// Service rule programming on nftables, the way the service proxy does it: the whole table for
// 1,000 services × 10 endpoints in one transaction, then one endpoint change among them as an
// incremental transaction. The limit measured in the same run: an `nft -f` transaction that
// changes nothing (the cost of one nft process). Uses a table of its own, removed at the end.
// Prints figures; not a test.
//
//   .tools/bin/node bench/service-rules.ts [--services 1000] [--endpoints 10] [--changes 20]
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { ServicePortCache, type ServicePort } from '../src/proxy/service-ports.ts';
import { baseTable, desiredRuleset, emptyRuleset, type Ruleset } from '../src/proxy/nftables/ruleset.ts';
import { diffScript, NftCli, removeTableScript } from '../src/nftables/index.ts';

const { values } = parseArgs({ options: { services: { type: 'string', default: '1000' }, endpoints: { type: 'string', default: '10' }, changes: { type: 'string', default: '20' } } });
const SERVICES = Number(values.services);
const ENDPOINTS = Number(values.endpoints);
const CHANGES = Number(values.changes);
const table = `navarch-bench-${randomBytes(3).toString('hex')}`;
const CLUSTER = '10.250.0.0/16';
const nft = new NftCli();
const pct = (s: number[], p: number) => { const x = [...s].sort((a, b) => a - b); return x[Math.min(x.length - 1, Math.floor((p / 100) * x.length))]!; };

const services = Array.from({ length: SERVICES }, (_, i) => ({
  metadata: { namespace: 'bench', name: `svc-${i}` },
  spec: { type: i % 10 === 0 ? 'NodePort' : 'ClusterIP', clusterIP: `10.251.${i >> 8}.${i & 255}`, ports: [{ name: 'http', port: 80, protocol: 'TCP', ...(i % 10 === 0 ? { nodePort: 40000 + i } : {}) }] },
}));
const sliceOf = (i: number, generation: number) => ({
  addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  endpoints: Array.from({ length: ENDPOINTS }, (_, e) => ({ addresses: [`10.250.${(i * ENDPOINTS + e) >> 8 & 255}.${(i * ENDPOINTS + e + generation) & 255}`], conditions: { ready: true }, nodeName: 'bench' })),
});
const slices = new Map(services.map((s, i) => [`bench/${s.metadata.name}`, [sliceOf(i, 0)]]));

// As the proxy does: unchanged services reuse their computed ports and rules.
const portCache = new ServicePortCache('bench');
const fragments = new WeakMap<ServicePort, Ruleset>();
const compute = () => desiredRuleset(portCache.ports(services, slices), CLUSTER, fragments);

try {
  let t = performance.now();
  const full = compute();
  const computeMs = performance.now() - t;
  const script = `${removeTableScript(table)}${baseTable(table, CLUSTER)}\n${diffScript(table, emptyRuleset(), full)}`;
  t = performance.now();
  await nft.apply(script);
  const fullMs = performance.now() - t;

  const noop: number[] = [];
  for (let i = 0; i < CHANGES; i++) { t = performance.now(); await nft.apply(`add table ip ${table}\n`); noop.push(performance.now() - t); }

  const change: number[] = [];
  const applyOnly: number[] = [];
  let current = full;
  for (let c = 1; c <= CHANGES; c++) {
    const i = (c * 37) % SERVICES;
    slices.set(`bench/svc-${i}`, [sliceOf(i, c)]);
    t = performance.now();
    const next = compute();
    const diff = diffScript(table, current, next);
    const a = performance.now();
    await nft.apply(diff);
    applyOnly.push(performance.now() - a);
    change.push(performance.now() - t);
    current = next;
  }
  console.log(`services ${SERVICES} × endpoints ${ENDPOINTS}: ${full.chains.size} chains, ${script.split('\n').length} script lines`);
  console.log(`full table: compute ${computeMs.toFixed(0)} ms, apply ${fullMs.toFixed(0)} ms`);
  console.log(`one endpoint change (compute + apply): p50 ${pct(change, 50).toFixed(1)} ms, p99 ${pct(change, 99).toFixed(1)} ms (goal < 100 ms)`);
  console.log(`  of which nft apply: p50 ${pct(applyOnly, 50).toFixed(1)} ms, p99 ${pct(applyOnly, 99).toFixed(1)} ms`);
  console.log(`limit, an nft transaction that changes nothing: p50 ${pct(noop, 50).toFixed(1)} ms → one change costs ${(pct(change, 50) / pct(noop, 50)).toFixed(1)}× the limit`);
} finally {
  await nft.apply(removeTableScript(table));
}
