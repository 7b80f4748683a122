// A stand-in node for controller integration tests: binds every unscheduled pod to one node,
// reports it Running and Ready (or keeps it unready when asked), finishes graceful deletions,
// and registers the Node object. Through the API only, like a real node agent; the real ones
// are the simulated nodes and the kubelet.
import type { ApiClient, KubeObject, ResourceRef } from '../client/api-client.ts';
import { Informer } from '../client/informer.ts';
import { createLogger } from '../base/log.ts';
import { isNotFound, isConflict } from '../api/status.ts';

const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export interface FakeNodeOptions {
  name?: string;
  /** Pods for which this returns false stay Running but not Ready. */
  ready?(pod: KubeObject): boolean;
  /** Pods for which this returns a phase end in it (e.g. 'Succeeded' for job pods). */
  finish?(pod: KubeObject): 'Succeeded' | 'Failed' | undefined;
}

export interface FakeNode { stop(): void; nodeName: string }

export async function startFakeNode(client: ApiClient, opts: FakeNodeOptions = {}): Promise<FakeNode> {
  const nodeName = opts.name ?? 'test-node';
  const abort = new AbortController();
  await client.create(NODES, undefined, {
    metadata: { name: nodeName, labels: { 'kubernetes.io/hostname': nodeName, 'kubernetes.io/os': 'linux' } },
    status: {
      capacity: { cpu: '64', memory: '256Gi', pods: '1000' }, allocatable: { cpu: '64', memory: '256Gi', pods: '1000' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'fake node', lastHeartbeatTime: stamp(), lastTransitionTime: stamp() }],
      nodeInfo: { kubeletVersion: 'v1.33.1-fake', osImage: 'fake', kernelVersion: '0', containerRuntimeVersion: 'fake://1', operatingSystem: 'linux', architecture: 'amd64' },
    },
  }).catch((e) => { if ((e as { code?: number }).code !== 409) throw e; });
  const pods = new Informer(client, PODS, createLogger({ component: 'fake-node' }));
  const busy = new Set<string>();
  // A change seen while its pod is being synced is synced afterwards, from the latest copy.
  const again = new Set<string>();
  const sync = async (pod: KubeObject): Promise<void> => {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (abort.signal.aborted) return;
    if (busy.has(key)) { again.add(key); return; }
    busy.add(key);
    try { await syncPod(client, nodeName, pod, opts); } catch (e) {
      if (!isNotFound(e) && !isConflict(e) && !abort.signal.aborted) throw e;
    } finally {
      busy.delete(key);
      if (again.delete(key)) { const latest = pods.get(key); if (latest) void sync(latest).catch(() => undefined); }
    }
  };
  pods.addHandler({ add: (p) => void sync(p).catch(() => undefined), update: (_o, p) => void sync(p).catch(() => undefined) });
  await pods.start(abort.signal);
  return { nodeName, stop: () => abort.abort() };
}

async function syncPod(client: ApiClient, nodeName: string, pod: KubeObject, opts: FakeNodeOptions): Promise<void> {
  const ns = pod.metadata.namespace;
  const name = pod.metadata.name;
  if (!pod.spec.nodeName) {
    await client.request('POST', `/api/v1/namespaces/${ns}/pods/${name}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name, uid: pod.metadata.uid }, target: { kind: 'Node', name: nodeName } });
    return;
  }
  if (pod.spec.nodeName !== nodeName) return;
  if (pod.metadata.deletionTimestamp) {
    await client.delete(PODS, ns, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    return;
  }
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return;
  const finish = opts.finish?.(pod);
  const ready = !finish && (opts.ready?.(pod) ?? true);
  const wantPhase = finish ?? 'Running';
  const current = (pod.status?.conditions ?? []).find((c: KubeObject) => c.type === 'Ready');
  if (phase === wantPhase && (current?.status === 'True') === ready && pod.status?.podIP) return;
  const now = stamp();
  const cond = (type: string, on: boolean) => ({ type, status: on ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now });
  const ip = `10.244.${(hash(name) >> 8) & 255}.${hash(name) & 255 || 1}`;
  const containerStatuses = (pod.spec.containers ?? []).map((c: KubeObject) => ({
    name: c.name, image: c.image, imageID: `fake://${c.image}`, containerID: `fake://${name}-${c.name}`, ready, started: !finish, restartCount: 0,
    state: finish ? { terminated: { exitCode: finish === 'Succeeded' ? 0 : 1, reason: finish === 'Succeeded' ? 'Completed' : 'Error', startedAt: now, finishedAt: now } } : { running: { startedAt: now } },
  }));
  await client.patch(PODS, ns, name, {
    status: {
      phase: wantPhase, hostIP: '10.0.0.1', hostIPs: [{ ip: '10.0.0.1' }], podIP: ip, podIPs: [{ ip }], startTime: pod.status?.startTime ?? now,
      conditions: [cond('PodReadyToStartContainers', true), cond('Initialized', true), cond('Ready', ready), cond('ContainersReady', ready), cond('PodScheduled', true)],
      containerStatuses,
    },
  }, 'merge', 'status');
}

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}
