// The disruption controller: keeps each PodDisruptionBudget's status (expected and healthy pods,
// disruptionsAllowed, the DisruptionAllowed condition) current, so evictions (kubectl drain)
// know how many pods may go (upstream pkg/controller/disruption).
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import { resourcePath, type KubeObject, type ResourceRef } from '../../client/api-client.ts';
import type { Informer } from '../../client/informer.ts';
import { labelSelectorFromObject } from '../../api/selectors/index.ts';
import { isNotFound, isConflict } from '../../api/status.ts';

const PDBS: ResourceRef = { group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', namespaced: true };
const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
/** An eviction the API granted is assumed to happen within this long (upstream DeletionTimeout). */
const DISRUPTED_POD_TIMEOUT_MS = 2 * 60_000;

const SCALABLE: Record<string, ResourceRef> = {
  ReplicaSet: { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true },
  Deployment: { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true },
  StatefulSet: { group: 'apps', version: 'v1', plural: 'statefulsets', namespaced: true },
  ReplicationController: { group: '', version: 'v1', plural: 'replicationcontrollers', namespaced: true },
};

const isReady = (p: KubeObject) => (p.status?.conditions ?? []).some((c: KubeObject) => c.type === 'Ready' && c.status === 'True');
const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** An int-or-percent of a total, rounded up as upstream's GetScaledValueFromIntOrPercent(…, true). */
function scaled(v: number | string, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  return m ? Math.ceil((Number(m[1]) * total) / 100) : Number(v);
}

export class DisruptionController implements Controller {
  readonly name = 'disruption';
  #ctx!: ControllerContext;
  #pdbs!: Informer;
  #pods!: Informer;

  setup(ctx: ControllerContext, enqueue: (key: string) => void): void {
    this.#ctx = ctx;
    this.#pdbs = ctx.informers.informerFor(PDBS);
    this.#pods = ctx.informers.informerFor(PODS);
    const key = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
    this.#pdbs.addHandler({ add: (o) => enqueue(key(o)), update: (_a, o) => enqueue(key(o)) });
    const podChanged = (p: KubeObject) => {
      for (const pdb of this.#pdbs.list()) {
        if (pdb.metadata.namespace === p.metadata.namespace && pdb.spec?.selector && labelSelectorFromObject(pdb.spec.selector).matches(p.metadata.labels ?? {})) enqueue(key(pdb));
      }
    };
    this.#pods.addHandler({ add: podChanged, update: (_a, p) => podChanged(p), delete: podChanged });
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const pdb = this.#pdbs.get(key);
    if (!pdb) return;
    const ns = pdb.metadata.namespace;
    const selector = labelSelectorFromObject(pdb.spec?.selector ?? null);
    const pods = this.#pods.list().filter((p) => p.metadata.namespace === ns && !p.metadata.deletionTimestamp && selector.matches(p.metadata.labels ?? {}));
    const now = Date.now();
    const disrupted: Record<string, string> = {};
    let requeueAfterMs: number | undefined;
    for (const [name, at] of Object.entries<string>(pdb.status?.disruptedPods ?? {})) {
      const age = now - Date.parse(at);
      if (age < DISRUPTED_POD_TIMEOUT_MS && pods.some((p) => p.metadata.name === name)) {
        disrupted[name] = at;
        requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, DISRUPTED_POD_TIMEOUT_MS - age);
      }
    }
    const healthy = pods.filter((p) => isReady(p) && !(p.metadata.name in disrupted)).length;
    const { maxUnavailable, minAvailable } = pdb.spec ?? {};
    let expected: number;
    let desired: number;
    if (maxUnavailable !== undefined || (typeof minAvailable === 'string' && minAvailable.endsWith('%'))) {
      expected = await this.#expectedFromControllers(ns, pods);
      desired = maxUnavailable !== undefined ? Math.max(0, expected - scaled(maxUnavailable, expected)) : scaled(minAvailable, expected);
    } else {
      expected = pods.length;
      desired = minAvailable === undefined ? 0 : scaled(minAvailable, expected);
    }
    const allowed = Math.max(0, healthy - desired);
    const old = pdb.status ?? {};
    const prevCond = (old.conditions ?? []).find((c: KubeObject) => c.type === 'DisruptionAllowed');
    const ok = allowed > 0;
    const condition = prevCond && (prevCond.status === 'True') === ok && prevCond.reason === (ok ? 'SufficientPods' : 'InsufficientPods')
      ? prevCond
      : { type: 'DisruptionAllowed', status: ok ? 'True' : 'False', reason: ok ? 'SufficientPods' : 'InsufficientPods', message: '', observedGeneration: pdb.metadata.generation, lastTransitionTime: stamp() };
    const status = {
      observedGeneration: pdb.metadata.generation, disruptionsAllowed: allowed, currentHealthy: healthy, desiredHealthy: desired, expectedPods: expected,
      ...(Object.keys(disrupted).length ? { disruptedPods: disrupted } : {}), conditions: [{ ...condition, observedGeneration: pdb.metadata.generation }],
    };
    if (JSON.stringify(status) !== JSON.stringify({ ...old, conditions: old.conditions })) {
      try {
        await this.#ctx.client.update(PDBS, ns, { ...pdb, status }, 'status');
      } catch (e) {
        if (!isNotFound(e) && !isConflict(e)) throw e;
        if (isConflict(e)) return { requeueAfterMs: 100 };
      }
    }
    return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
  }

  /** The replicas the pods' controllers want (their /scale), as upstream counts expected pods. */
  async #expectedFromControllers(ns: string, pods: KubeObject[]): Promise<number> {
    const seen = new Set<string>();
    let total = 0;
    for (const p of pods) {
      let ref = (p.metadata.ownerReferences ?? []).find((r: KubeObject) => r.controller);
      if (!ref || !SCALABLE[ref.kind]) { total++; continue; }
      if (ref.kind === 'ReplicaSet') {
        // A Deployment's ReplicaSets count as the Deployment.
        const rs = await this.#ctx.client.get(SCALABLE.ReplicaSet, ns, ref.name).catch(() => undefined);
        const owner = (rs?.metadata?.ownerReferences ?? []).find((r: KubeObject) => r.controller && r.kind === 'Deployment');
        if (owner) ref = owner;
      }
      if (seen.has(`${ref.kind}/${ref.name}`)) continue;
      seen.add(`${ref.kind}/${ref.name}`);
      const scale = await this.#ctx.client.request('GET', resourcePath(SCALABLE[ref.kind], ns, ref.name, 'scale')).catch(() => undefined);
      total += scale?.spec?.replicas ?? 0;
    }
    return total;
  }
}
