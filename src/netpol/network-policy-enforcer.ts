// The network policy enforcer of one node (as kube-router's, which k3s embeds): an API client
// watching NetworkPolicies, Pods and Namespaces that keeps this node's nftables table equal to
// what they ask for, on the forward path the pod bridge's traffic takes (br_netfilter). Traffic
// between a pod and its own node is not filtered: upstream policies cannot block a pod's node
// (kubelet probes), and the cluster DNS answers from the node.
import { Informer, type ApiClient, type KubeObject, type ResourceRef } from '../client/index.ts';
import type { Logger } from '../base/log.ts';
import { TableSyncer, type Nft } from '../nftables/index.ts';
import { desiredPolicyState, emptyPolicyState, policyBaseTable, policyPods } from './policy-rules.ts';

const POLICIES: ResourceRef = { group: 'networking.k8s.io', version: 'v1', plural: 'networkpolicies', namespaced: true };
const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const NAMESPACES: ResourceRef = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };

export interface NetworkPolicyEnforcerOptions {
  client: ApiClient;
  nodeName: string;
  /** Name of the nftables table (`ip` family) this enforcer owns. */
  table: string;
  log: Logger;
  nft?: Nft;
  minSyncIntervalMs?: number;
}

/** What of a pod its policy rules depend on; other changes (most status updates) need no sync. */
const policyView = (p: KubeObject) => JSON.stringify([
  p.metadata.labels, p.spec?.nodeName, p.spec?.hostNetwork, p.status?.podIP, p.status?.podIPs, p.status?.phase,
  p.spec?.containers?.map((c: KubeObject) => c.ports), p.spec?.initContainers?.map((c: KubeObject) => [c.ports, c.restartPolicy]),
]);

export class NetworkPolicyEnforcer {
  readonly #o: NetworkPolicyEnforcerOptions;
  readonly #table: TableSyncer;
  #informers: Informer[] = [];

  constructor(o: NetworkPolicyEnforcerOptions) {
    this.#o = o;
    this.#table = new TableSyncer({
      table: o.table, baseScript: policyBaseTable(o.table), emptyState: emptyPolicyState,
      desired: () => ({ state: this.#desired() }), log: o.log, nft: o.nft, minSyncIntervalMs: o.minSyncIntervalMs,
    });
  }

  /** Programs the table from the informers' first lists, then follows changes until the signal aborts. */
  async start(signal: AbortSignal): Promise<void> {
    const { client, log } = this.#o;
    const schedule = () => { if (this.#informers.every((i) => i.hasSynced)) this.#table.schedule(); };
    for (const ref of [POLICIES, PODS, NAMESPACES]) {
      const informer = new Informer(client, ref, log.with({ informer: ref.plural }));
      informer.addHandler({
        add: schedule, delete: schedule,
        update: ref === PODS ? (a, b) => { if (policyView(a) !== policyView(b)) schedule(); } : schedule,
      });
      this.#informers.push(informer);
    }
    await Promise.all(this.#informers.map((i) => i.start(signal)));
    await Promise.all(this.#informers.map((i) => i.waitForSync()));
    await this.#table.syncNow();
    signal.addEventListener('abort', () => { void this.#table.remove(); }, { once: true });
  }

  #desired() {
    const [policies, pods, namespaces] = this.#informers.map((i) => i.list());
    return desiredPolicyState({
      nodeName: this.#o.nodeName, policies: policies!, pods: policyPods(pods!),
      namespaces: new Map(namespaces!.map((n) => [n.metadata.name, n.metadata.labels ?? {}])),
    });
  }

  /** Resolves once the table is gone after the start signal aborted. */
  stopped(): Promise<void> {
    return this.#table.remove();
  }
}
