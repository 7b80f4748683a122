// The built-in load balancer for LoadBalancer services, as k3s's ServiceLB: a service is exposed
// on the InternalIP of every ready node (the service proxy answers its port there), and those
// addresses go into status.loadBalancer.ingress so `kubectl get svc` shows the EXTERNAL-IP. A
// service whose port and protocol an older LoadBalancer service already holds stays <pending>
// with an event, since one address cannot send one port to two services. Services with a
// loadBalancerClass belong to another implementation and are left alone.
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import type { KubeObject, ResourceRef } from '../../client/api-client.ts';
import type { Informer } from '../../client/informer.ts';
import { isNotFound, isConflict } from '../../api/status.ts';

const SERVICES: ResourceRef = { group: '', version: 'v1', plural: 'services', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };

const isOurs = (svc: KubeObject) => svc.spec?.type === 'LoadBalancer' && !svc.spec?.loadBalancerClass && !svc.metadata?.deletionTimestamp;
const portKeys = (svc: KubeObject): string[] => (svc.spec?.ports ?? []).map((p: KubeObject) => `${p.protocol ?? 'TCP'}/${p.port}`);
const keyOf = (svc: KubeObject) => `${svc.metadata.namespace}/${svc.metadata.name}`;

/** Older first (then by name), so the first claimant of a port keeps it. */
function byAge(a: KubeObject, b: KubeObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  return ta < tb ? -1 : ta > tb ? 1 : keyOf(a) < keyOf(b) ? -1 : 1;
}

function readyNodeIPs(nodes: KubeObject[]): string[] {
  const ips = new Set<string>();
  for (const n of nodes) {
    if (n.spec?.unschedulable) continue;
    if (!(n.status?.conditions ?? []).some((c: KubeObject) => c.type === 'Ready' && c.status === 'True')) continue;
    for (const a of n.status?.addresses ?? []) if (a.type === 'InternalIP' && !String(a.address).includes(':')) ips.add(a.address);
  }
  return [...ips].sort();
}

export class ServiceLoadBalancerController implements Controller {
  readonly name = 'service-lb';
  #ctx!: ControllerContext;
  #services!: Informer;
  #nodes!: Informer;

  setup(ctx: ControllerContext, enqueue: (key: string) => void): void {
    this.#ctx = ctx;
    this.#services = ctx.informers.informerFor(SERVICES);
    this.#nodes = ctx.informers.informerFor(NODES);
    const all = () => { for (const s of this.#services.list()) if (s.spec?.type === 'LoadBalancer') enqueue(keyOf(s)); };
    this.#services.addHandler({
      add: (s) => { if (s.spec?.type === 'LoadBalancer') enqueue(keyOf(s)); },
      // A change of type or ports may free or take a port another service waits for.
      update: (o, s) => { if (o.spec?.type === 'LoadBalancer' || s.spec?.type === 'LoadBalancer') { enqueue(keyOf(s)); all(); } },
      delete: (s) => { if (s.spec?.type === 'LoadBalancer') all(); },
    });
    this.#nodes.addHandler({ add: all, update: all, delete: all });
  }

  /** The ingress addresses the service should show: none while pending. */
  #wanted(svc: KubeObject): { ips: string[]; conflict?: string } {
    const mine = new Set(portKeys(svc));
    for (const other of this.#services.list().filter(isOurs).sort(byAge)) {
      if (keyOf(other) === keyOf(svc)) break;
      const taken = portKeys(other).find((k) => mine.has(k));
      if (taken) return { ips: [], conflict: `port ${taken} is already used by LoadBalancer service ${keyOf(other)}` };
    }
    return { ips: readyNodeIPs(this.#nodes.list()) };
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const svc = this.#services.get(key);
    if (!svc) return;
    const wanted = isOurs(svc) ? this.#wanted(svc) : { ips: [] };
    const ingress = wanted.ips.map((ip) => ({ ip, ipMode: 'VIP' }));
    const current = svc.status?.loadBalancer?.ingress ?? [];
    // Leave other implementations' status alone; clear ours when the service stops being ours.
    if (!isOurs(svc) && (svc.spec?.type === 'LoadBalancer' || current.length === 0)) return;
    if (wanted.conflict) this.#ctx.recorder.event(svc, 'Warning', 'PortConflict', `Cannot expose the service: ${wanted.conflict}`);
    if (JSON.stringify(current) === JSON.stringify(ingress)) return;
    try {
      await this.#ctx.client.update(SERVICES, svc.metadata.namespace, { ...svc, status: { ...(svc.status ?? {}), loadBalancer: ingress.length ? { ingress } : {} } }, 'status');
    } catch (e) {
      if (isNotFound(e)) return;
      if (isConflict(e)) return { requeueAfterMs: 100 };
      throw e;
    }
    if (ingress.length) this.#ctx.recorder.event(svc, 'Normal', 'UpdatedLoadBalancer', `Updated LoadBalancer with new IPs: [] -> [${wanted.ips.join(' ')}]`);
  }
}
