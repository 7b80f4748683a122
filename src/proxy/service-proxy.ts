// The service proxy of one node (kube-proxy's nftables mode): an API client watching Services
// and EndpointSlices that keeps this node's nftables table equal to what they ask for. Every
// change schedules one sync; a sync computes the whole desired ruleset and applies only its
// difference from the last applied one, in one transaction. Stopping removes the table.
import { writeFile } from 'node:fs/promises';
import { Informer, type ApiClient, type KubeObject, type ResourceRef } from '../client/index.ts';
import type { Logger } from '../base/log.ts';
import { ServicePortCache, type ServicePort } from './service-ports.ts';
import { baseTable, desiredRuleset, diffScript, emptyRuleset, type Ruleset } from './nftables/ruleset.ts';
import { NftCli, removeTableScript, runConntrack, type Nft } from './nftables/nft.ts';
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

export interface SyncStats { syncs: number; lastSyncMs: number; lastScriptLines: number }

export class ServiceProxy {
  readonly #o: ServiceProxyOptions;
  readonly #nft: Nft;
  #applied: Ruleset | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #dirty = false;
  #lastSync = 0;
  #services: Informer | undefined;
  #slices: Informer | undefined;
  #stopped = false;
  #shutdownDone: Promise<void> | undefined;
  readonly stats: SyncStats = { syncs: 0, lastSyncMs: 0, lastScriptLines: 0 };
  readonly #ports: ServicePortCache;
  readonly #fragments = new WeakMap<ServicePort, Ruleset>();
  /** The ports of the last applied ruleset, by id (for stale UDP flows). */
  #appliedPorts = new Map<string, ServicePort>();

  constructor(o: ServiceProxyOptions) {
    this.#o = o;
    this.#nft = o.nft ?? new NftCli();
    this.#ports = new ServicePortCache(o.nodeName);
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
    await this.#syncNow();
    signal.addEventListener('abort', () => { void this.#shutdown(); }, { once: true });
  }

  #schedule(): void {
    if (this.#stopped || !this.#services?.hasSynced || !this.#slices?.hasSynced) return;
    this.#dirty = true;
    if (this.#timer || this.#running) return;
    const wait = Math.max(0, this.#lastSync + (this.#o.minSyncIntervalMs ?? 20) - Date.now());
    this.#timer = setTimeout(() => { this.#timer = undefined; void this.#syncNow(); }, wait);
  }

  async #syncNow(): Promise<void> {
    if (this.#running) { this.#dirty = true; return this.#running; }
    this.#dirty = false;
    this.#running = this.#sync().finally(() => {
      this.#running = undefined;
      this.#lastSync = Date.now();
      if (this.#dirty) this.#schedule();
    });
    return this.#running;
  }

  async #sync(): Promise<void> {
    if (this.#stopped) return;
    const started = performance.now();
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
    const next = desiredRuleset(ports, this.#o.clusterCIDR, this.#fragments);
    const { table } = this.#o;
    const script = this.#applied ? diffScript(table, this.#applied, next) : `${removeTableScript(table)}${baseTable(table, this.#o.clusterCIDR)}\n${diffScript(table, emptyRuleset(), next)}`;
    try {
      if (script) await this.#nft.apply(script);
      this.#applied = next;
    } catch (err) {
      // The kernel's table may differ from what we believe: rebuild it whole, a second from now.
      this.#o.log.error('applying service rules failed; rebuilding the table', { err });
      this.#applied = undefined;
      setTimeout(() => this.#schedule(), 1000).unref();
      return;
    }
    // Only after the new rules are in: a flow forgotten earlier could be re-created to the old endpoint.
    for (const flow of staleUdpFlows(this.#appliedPorts, ports)) {
      await (this.#o.conntrack ?? runConntrack)(conntrackDeleteArgs(flow)).catch((err) => this.#o.log.warn('clearing stale UDP flows failed', { err }));
    }
    this.#appliedPorts = new Map(ports.map((p) => [p.id, p]));
    this.stats.syncs++;
    this.stats.lastSyncMs = performance.now() - started;
    this.stats.lastScriptLines = script.split('\n').length - 1;
  }

  #shutdown(): Promise<void> {
    // Once, whether the abort or stopped() comes first.
    this.#shutdownDone ??= this.#removeTable();
    return this.#shutdownDone;
  }

  async #removeTable(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined);
    await this.#nft.apply(removeTableScript(this.#o.table)).catch((err) => this.#o.log.warn('removing the service table failed', { err }));
  }

  /** Resolves once the table is gone after the start signal aborted. */
  async stopped(): Promise<void> {
    await this.#shutdown();
  }
}
