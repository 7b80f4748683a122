// Serves metrics.k8s.io/v1beta1 (what `kubectl top` and the HPA read) from the usage nodes
// report on their Leases (src/api/metrics): NodeMetrics for existing nodes and PodMetrics for
// existing pods, from reports no older than maxAge. Everything is read from the watch cache.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext, RequestContext } from '../rest/context.ts';
import type { Extension } from '../server.ts';
import type { KubeObject } from '../../api/registry/resource.ts';
import type { RequestInfo } from '../http/request-info.ts';
import { errors } from '../../api/status.ts';
import { sendJSON } from '../http/respond.ts';
import { parseFilter } from '../rest/read.ts';
import { objectKey, resourcePrefix } from '../watchcache/keys.ts';
import { decodeNodeUsage, NODE_LEASE_NAMESPACE, NODE_USAGE_ANNOTATION, type NodeUsageReport } from '../../api/metrics/index.ts';
import { METRICS_GROUP, METRICS_OWNER, METRICS_VERSION, metricsResources } from './metrics-resources.ts';

const LEASES = resourcePrefix('coordination.k8s.io', 'leases');
const NODES = resourcePrefix('', 'nodes');
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

export interface MetricsApiOptions {
  /** Reports older than this are not served (a node that stopped reporting has no metrics). */
  maxAgeMs?: number;
}

const stamp = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

export class MetricsApi implements Extension {
  readonly #ctx: ApiContext;
  readonly #maxAgeMs: number;
  /** Decoded reports by lease key, kept while the lease's revision stays the same. */
  readonly #decoded = new Map<string, { rv: number; report: NodeUsageReport | undefined }>();

  constructor(ctx: ApiContext, opts: MetricsApiOptions = {}) {
    this.#ctx = ctx;
    this.#maxAgeMs = opts.maxAgeMs ?? 120_000;
  }

  /** Adds the group to the registry so discovery (and so `kubectl top`) finds it. */
  register(): void {
    this.#ctx.registry.replaceGroupResources(METRICS_OWNER, metricsResources);
  }

  async handle(_req: IncomingMessage, res: ServerResponse, _url: URL, info: RequestInfo, rc: RequestContext): Promise<boolean> {
    if (info.kind !== 'resource' || info.group !== METRICS_GROUP || info.version !== METRICS_VERSION) return false;
    const desc = this.#ctx.registry.lookup(METRICS_GROUP, METRICS_VERSION, info.resource);
    if (!desc || (desc.scope === 'Cluster' && info.namespace) || info.subresource) throw errors.pathNotFound();
    if (info.verb !== 'get' && info.verb !== 'list') throw errors.methodNotSupported(METRICS_GROUP, info.resource, info.verb);
    await this.#ctx.cache.waitFresh();
    const now = this.#ctx.now();
    const reports = this.#reports(now);
    if (info.resource === 'nodes') {
      if (info.verb === 'get') {
        const node = this.#ctx.cache.get(objectKey('', 'nodes', '', info.name))?.obj;
        const r = node && reports.get(info.name);
        if (!node || !r) throw errors.notFound(METRICS_GROUP, 'nodemetrics', info.name);
        sendJSON(res, 200, nodeMetrics(node, r, now));
        return true;
      }
      const filter = parseFilter(desc, rc.query);
      const items: KubeObject[] = [];
      for (const { obj: node } of this.#ctx.cache.list(NODES)) {
        const r = reports.get(node.metadata.name);
        if (r && filter.matches(node)) items.push(nodeMetrics(node, r, now));
      }
      sendJSON(res, 200, { kind: 'NodeMetricsList', apiVersion: API_VERSION, metadata: {}, items });
      return true;
    }
    const pods = this.#podMetrics(reports, now, info.namespace, info.verb === 'get' ? info.name : undefined);
    if (info.verb === 'get') {
      if (!pods.length) throw errors.notFound(METRICS_GROUP, 'podmetrics', `${info.namespace}/${info.name}`);
      sendJSON(res, 200, pods[0]);
      return true;
    }
    const filter = parseFilter(desc, rc.query);
    sendJSON(res, 200, { kind: 'PodMetricsList', apiVersion: API_VERSION, metadata: {}, items: pods.filter((p) => filter.matches(p)) });
    return true;
  }

  /** The fresh report of every node that has one, by node name. */
  #reports(now: Date): Map<string, NodeUsageReport> {
    const out = new Map<string, NodeUsageReport>();
    const seen = new Set<string>();
    for (const { key, obj, rv } of this.#ctx.cache.list(LEASES, NODE_LEASE_NAMESPACE)) {
      seen.add(key);
      let d = this.#decoded.get(key);
      if (!d || d.rv !== rv) {
        d = { rv, report: decodeNodeUsage(obj.metadata?.annotations?.[NODE_USAGE_ANNOTATION]) };
        this.#decoded.set(key, d);
      }
      const r = d.report;
      if (!r) continue;
      const age = now.getTime() - Date.parse(r.timestamp);
      if (!(age <= this.#maxAgeMs)) continue;
      out.set(obj.metadata.name, r);
    }
    for (const k of this.#decoded.keys()) if (!seen.has(k)) this.#decoded.delete(k);
    return out;
  }

  /** PodMetrics of pods that exist and run on the node that reported them. */
  #podMetrics(reports: Map<string, NodeUsageReport>, now: Date, namespace: string, name: string | undefined): KubeObject[] {
    const out: KubeObject[] = [];
    for (const [node, r] of reports) {
      for (const p of r.pods) {
        if ((namespace && p.namespace !== namespace) || (name && p.name !== name)) continue;
        const pod = this.#ctx.cache.get(objectKey('', 'pods', p.namespace, p.name))?.obj;
        if (!pod || pod.spec?.nodeName !== node || !p.containers?.length) continue;
        const meta: KubeObject = { name: p.name, namespace: p.namespace, creationTimestamp: stamp(now) };
        if (pod.metadata?.labels) meta.labels = pod.metadata.labels;
        out.push({
          kind: 'PodMetrics', apiVersion: API_VERSION, metadata: meta, timestamp: r.timestamp, window: r.window,
          containers: p.containers.map((c) => ({ name: c.name, usage: { cpu: c.cpu, memory: c.memory } })),
        });
      }
    }
    out.sort((a, b) => (a.metadata.namespace + '/' + a.metadata.name).localeCompare(b.metadata.namespace + '/' + b.metadata.name));
    return out;
  }
}

function nodeMetrics(node: KubeObject, r: NodeUsageReport, now: Date): KubeObject {
  const meta: KubeObject = { name: node.metadata.name, creationTimestamp: stamp(now) };
  if (node.metadata?.labels) meta.labels = node.metadata.labels;
  return { kind: 'NodeMetrics', apiVersion: API_VERSION, metadata: meta, timestamp: r.timestamp, window: r.window, usage: { cpu: r.node.cpu, memory: r.node.memory } };
}
