// Nodes, pods and a framework over them, for plugin, queue and cache tests: objects are frozen
// like informer objects, and plugins run through the real Framework.
import type { KubeObject } from '../../client/index.ts';
import { createLogger } from '../../base/index.ts';
import { CycleState } from './cycle-state.ts';
import { Framework } from './framework.ts';
import type { PluginFactory } from './interface.ts';
import { NodeInfo } from './node-info.ts';
import { podInfoOf, type PodInfo } from './pod-info.ts';
import type { Status } from './status.ts';

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) { Object.freeze(o); for (const v of Object.values(o)) deepFreeze(v); }
  return o;
}

export interface NodeFixture { name: string; cpu?: string; memory?: string; pods?: string; labels?: Record<string, string>; taints?: KubeObject[]; unschedulable?: boolean; extra?: Record<string, string> }

export function makeNode(n: NodeFixture): KubeObject {
  const alloc = { cpu: n.cpu ?? '4', memory: n.memory ?? '8Gi', pods: n.pods ?? '110', ...n.extra };
  return deepFreeze({
    metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name, ...n.labels } },
    spec: { ...(n.taints ? { taints: n.taints } : {}), ...(n.unschedulable ? { unschedulable: true } : {}) },
    status: { capacity: alloc, allocatable: alloc },
  });
}

export interface PodFixture {
  name: string; namespace?: string; cpu?: string; memory?: string; labels?: Record<string, string>;
  priority?: number; nodeName?: string; spec?: KubeObject; startTime?: string; uid?: string;
}

let uid = 0;
export function makePod(p: PodFixture): KubeObject {
  const requests: Record<string, string> = {};
  if (p.cpu) requests.cpu = p.cpu;
  if (p.memory) requests.memory = p.memory;
  return deepFreeze({
    metadata: { name: p.name, namespace: p.namespace ?? 'default', uid: p.uid ?? `uid-${++uid}`, labels: p.labels ?? {}, creationTimestamp: p.startTime ?? '2025-01-01T00:00:00Z' },
    spec: { containers: [{ name: 'c', image: 'pause', resources: { requests } }], schedulerName: 'default-scheduler', ...(p.priority !== undefined ? { priority: p.priority } : {}), ...(p.nodeName ? { nodeName: p.nodeName } : {}), ...p.spec },
    status: { phase: p.nodeName ? 'Running' : 'Pending', ...(p.startTime ? { startTime: p.startTime } : {}) },
  });
}

/** A NodeInfo holding the node and the given pods. */
export function makeNodeInfo(node: KubeObject, pods: KubeObject[] = []): NodeInfo {
  const ni = new NodeInfo(node.metadata.name, node);
  for (const p of pods) ni.addPod(podInfoOf(p));
  return ni;
}

export interface TestFramework {
  fwk: Framework;
  nodes: NodeInfo[];
  nominated: Map<string, PodInfo[]>;
  /** PreFilter then Filter on every node: node name → status (PreFilter's status on every node if it rejects). */
  filter(pod: KubeObject): { state: CycleState; statuses: Map<string, Status> };
  /** Weighted, normalized scores of the nodes that pass. */
  score(pod: KubeObject): Map<string, number>;
}

/** A framework running just the named plugins (plus queue sort and binder) over the nodes. */
export function testFramework(registry: ReadonlyMap<string, PluginFactory>, plugins: { name: string; weight?: number }[], nodes: NodeInfo[], client: unknown = {}): TestFramework {
  const nominated = new Map<string, PodInfo[]>();
  const events: { obj: KubeObject; reason: string; message: string }[] = [];
  const fwk = new Framework({ schedulerName: 'default-scheduler', plugins: [{ name: 'PrioritySort' }, ...plugins, { name: 'DefaultBinder' }] }, registry, {
    client: client as never,
    recorder: { event: (obj, _type, reason, message) => { events.push({ obj, reason, message }); } },
    log: createLogger({ test: 'framework' }),
    nodes: () => nodes,
    node: (name) => nodes.find((n) => n.name === name),
    namespaceLabels: (ns) => ({ 'kubernetes.io/metadata.name': ns }),
    podDisruptionBudgets: () => [],
    nominatedPodsFor: (name) => nominated.get(name) ?? [],
  });
  const filter = (pod: KubeObject) => {
    const state = new CycleState();
    const pi = podInfoOf(pod);
    const statuses = new Map<string, Status>();
    const pre = fwk.runPreFilter(state, pi, nodes);
    for (const n of nodes) statuses.set(n.name, pre.isSuccess() ? fwk.runFilterWithNominatedPods(state, pi, n) : pre);
    return { state, statuses };
  };
  return {
    fwk, nodes, nominated, filter,
    score(pod) {
      const { state, statuses } = filter(pod);
      const feasible = nodes.filter((n) => statuses.get(n.name)!.isSuccess());
      return new Map(fwk.runScore(state, podInfoOf(pod), feasible).map((s) => [s.name, s.score]));
    },
  };
}

/** node name → the status's reasons joined, '' for success. */
export function reasonsByNode(statuses: Map<string, Status>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [n, s] of statuses) out[n] = s.isSuccess() ? '' : `${s.code}: ${s.reasons.join('; ')}`;
  return out;
}
