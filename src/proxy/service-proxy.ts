// The service proxy of one node (kube-proxy's nftables mode): an API client watching Services
// and EndpointSlices that keeps this node's nftables table equal to what they ask for. Every
// change schedules one sync; a sync computes the whole desired ruleset and applies only its
// difference from the last applied one, in one transaction. Stopping removes the table.
import { writeFile } from 'node:fs/promises';
import { Informer, type ApiClient, type KubeObject, type ResourceRef } from '../client/index.ts';
import type { Logger } from '../base/log.ts';
import { TableSyncer, type DesiredTable, type Nft } from '../nftables/index.ts';
import { ServicePortCache, type ServicePort } from './service-ports.ts';
import { baseTable, desiredRuleset, emptyRuleset, type Ruleset } from './nftables/ruleset.ts';
import { runConntrack } from './conntrack.ts';
import { staleUdpFlows, conntrackDeleteArgs } from './stale-flows.ts';

const SERVICES: ResourceRef = { group: '', version: 'v1', plural: 'services', namespaced: true };
const ENDPOINT_SLICES: ResourceRef = { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true };
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface ServiceProxyOptions {
  client: ApiClient;
  nodeName: string;
  /** Name of the nftables table (`ip` family) this proxy owns. */
  table: string;
  /** The cluster's pod range: traffic from elsewhere to a cluster IP is masqueraded. */
  clusterCIDR: string;
  /** Interfaces where DNAT to loopback-sourced traffic must be routable (node ports on 127.0.0.1). */
  localnetInterfaces?: string[];
  log: Logger;
  nft?: Nft;
  /** Runs conntrack(8) with these arguments (tests replace it). */
  conntrack?: (args: string[]) => Promise<void>;
  /** Least time between two syncs, so bursts of changes make one transaction. */
  minSyncIntervalMs?: number;
}

export class ServiceProxy {
  readonly #o: ServiceProxyOptions;
  readonly #table: TableSyncer;
  #services: Informer | undefined;
  #slices: Informer | undefined;
  readonly #ports: ServicePortCache;
  readonly #fragments = new WeakMap<ServicePort, Ruleset>();
  /** The ports of the last applied ruleset, by id (for stale UDP flows). */
  #appliedPorts = new Map<string, ServicePort>();

  constructor(o: ServiceProxyOptions) {
    this.#o = o;
    this.#ports = new ServicePortCache(o.nodeName);
    this.#table = new TableSyncer({
      table: o.table, baseScript: baseTable(o.table, o.clusterCIDR), emptyState: emptyRuleset,
      desired: () => this.#desired(), log: o.log, nft: o.nft, minSyncIntervalMs: o.minSyncIntervalMs,
    });
  }

  /** Programs the table from the informers' first lists, then follows changes until the signal aborts. */
  async start(signal: AbortSignal): Promise<void> {
    const { client, log } = this.#o;
    for (const dev of this.#o.localnetInterfaces ?? []) {
      await writeFile(`/proc/sys/net/ipv4/conf/${dev}/route_localnet`, '1').catch((err) => log.warn('cannot enable route_localnet; node ports on 127.0.0.1 will not answer', { dev, err }));
    }
    this.#services = new Informer(client, SERVICES, log.with({ informer: 'services' }));
    this.#slices = new Informer(client, ENDPOINT_SLICES, log.with({ informer: 'endpointslices' }));
    const changed = { add: () => this.#schedule(), update: () => this.#schedule(), delete: () => this.#schedule() };
    this.#services.addHandler(changed);
    this.#slices.addHandler(changed);
    await Promise.all([this.#services.start(signal), this.#slices.start(signal)]);
    await Promise.all([this.#services.waitForSync(), this.#slices.waitForSync()]);
    await this.#table.syncNow();
    signal.addEventListener('abort', () => { void this.#table.remove(); }, { once: true });
  }

  #schedule(): void {
    if (this.#services?.hasSynced && this.#slices?.hasSynced) this.#table.schedule();
  }

  #desired(): DesiredTable {
    const slicesByService = new Map<string, KubeObject[]>();
    for (const s of this.#slices!.list()) {
      const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
      if (!svc) continue;
      const key = `${s.metadata.namespace}/${svc}`;
      const list = slicesByService.get(key);
      if (list) list.push(s); else slicesByService.set(key, [s]);
    }
    // Slices in a stable order, so an unchanged service finds the same list as last time.
    for (const list of slicesByService.values()) list.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    const ports = this.#ports.ports(this.#services!.list(), slicesByService);
    return {
      state: desiredRuleset(ports, this.#o.clusterCIDR, this.#fragments),
      // Only after the new rules are in: a flow forgotten earlier could be re-created to the old endpoint.
      applied: async () => {
        for (const flow of staleUdpFlows(this.#appliedPorts, ports)) {
          await (this.#o.conntrack ?? runConntrack)(conntrackDeleteArgs(flow)).catch((err) => this.#o.log.warn('clearing stale UDP flows failed', { err }));
        }
        this.#appliedPorts = new Map(ports.map((p) => [p.id, p]));
      },
    };
  }

  /** Resolves once the table is gone after the start signal aborted. */
  stopped(): Promise<void> {
    return this.#table.remove();
  }
}
