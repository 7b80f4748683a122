// Service cluster IPs and node ports, unique across the cluster. Each claimed value is a key in
// storage (create-if-absent is the lock, so several API servers sharing a store never hand out
// one value twice) naming the service that holds it; the watch cache mirrors the keys, so a free
// value is found without a storage scan. As upstream: dynamic values come from the upper part of
// each range first (the lower part is kept for values users pick), and errors name the field.
import { randomInt } from 'node:crypto';
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';
import { errors, StatusError } from '../../api/status.ts';
import { fieldErrors, type FieldError } from '../../api/validation/field-error.ts';
import { parseIpv4, formatIpv4, cidrContains, formatIpv4Cidr, type Ipv4Cidr } from '../../api/net/ipv4.ts';
import { needsClusterIP, needsNodePorts, needsHealthCheckNodePort, clusterIPsOf, nodePortsOf } from '../../api/net/service-allocated-fields.ts';
import { isStorageError, type Store } from '../../storage/store.ts';
import type { WatchCache } from '../watchcache/watch-cache.ts';
import type { Allocator, Reservation } from '../rest/context.ts';
import { REGISTRY_PREFIX } from '../watchcache/keys.ts';

export const SERVICE_IP_PREFIX = `${REGISTRY_PREFIX}ranges/serviceips/`;
export const NODE_PORT_PREFIX = `${REGISTRY_PREFIX}ranges/servicenodeports/`;

export interface PortRange { first: number; last: number }

export const DEFAULT_NODE_PORT_RANGE: PortRange = { first: 30000, last: 32767 };

export interface ServiceAllocatorOptions {
  serviceCIDR: Ipv4Cidr;
  nodePortRange?: PortRange;
}

/** Who holds a claimed value: the service's namespace, name and uid. */
export interface AllocationOwner { namespace: string; name: string; uid: string }

const encoder = new TextEncoder();

/** A pool of values (addresses or ports) numbered first..last, each claimed by a storage key. */
class Pool {
  readonly prefix: string;
  readonly first: number;
  readonly last: number;
  /** Values below this are handed out only when the rest is full. */
  readonly dynamicFrom: number;
  readonly #format: (n: number) => string;

  constructor(prefix: string, first: number, last: number, staticBand: number, format: (n: number) => string) {
    this.prefix = prefix;
    this.first = first;
    this.last = last;
    this.dynamicFrom = Math.min(last, first + staticBand);
    this.#format = format;
  }

  key(n: number): string { return this.prefix + this.#format(n); }
  contains(n: number): boolean { return n >= this.first && n <= this.last; }
}

/** Upstream's static band: min(max(16, size/step), cap) values at the start of the range. */
const staticBand = (size: number, step: number, cap: number): number => Math.min(Math.max(16, Math.floor(size / step)), cap);

export class ServiceAllocator implements Allocator {
  readonly name = 'service-allocator';
  readonly #store: Store;
  readonly #cache: WatchCache;
  readonly #cidr: Ipv4Cidr;
  readonly #ports: PortRange;
  readonly #ipPool: Pool;
  readonly #portPool: Pool;

  constructor(store: Store, cache: WatchCache, opts: ServiceAllocatorOptions) {
    this.#store = store;
    this.#cache = cache;
    this.#cidr = opts.serviceCIDR;
    this.#ports = opts.nodePortRange ?? DEFAULT_NODE_PORT_RANGE;
    // The network and broadcast addresses are never handed out.
    const size = opts.serviceCIDR.size;
    this.#ipPool = new Pool(SERVICE_IP_PREFIX, opts.serviceCIDR.base + 1, opts.serviceCIDR.base + size - 2, staticBand(size, 16, 256), formatIpv4);
    const ports = this.#ports.last - this.#ports.first + 1;
    this.#portPool = new Pool(NODE_PORT_PREFIX, this.#ports.first, this.#ports.last, staticBand(ports, 32, 128), String);
  }

  get serviceCIDR(): string { return formatIpv4Cidr(this.#cidr); }
  get nodePortRange(): PortRange { return this.#ports; }

  async reserve(_op: 'CREATE' | 'UPDATE', desc: ResourceDescription, svc: KubeObject, old: KubeObject | undefined, dryRun: boolean): Promise<Reservation | undefined> {
    if (!isService(desc)) return undefined;
    const owner: AllocationOwner = { namespace: svc.metadata.namespace, name: svc.metadata.name, uid: svc.metadata.uid };
    const claimed: string[] = [];
    const heldIPs = new Set(old ? clusterIPsOf(old) : []);
    const heldPorts = new Set(old ? nodePortsOf(old) : []);
    try {
      if (needsClusterIP(svc)) await this.#reserveClusterIP(svc, heldIPs, owner, dryRun, claimed);
      if (needsNodePorts(svc) || needsHealthCheckNodePort(svc)) await this.#reserveNodePorts(svc, heldPorts, owner, dryRun, claimed);
    } catch (err) {
      await this.#releaseKeys(claimed);
      throw err;
    }
    if (dryRun) return undefined;
    const keepIPs = new Set(clusterIPsOf(svc));
    const keepPorts = new Set(nodePortsOf(svc));
    const dropped = [
      ...[...heldIPs].filter((ip) => !keepIPs.has(ip)).map((ip) => SERVICE_IP_PREFIX + ip),
      ...[...heldPorts].filter((p) => !keepPorts.has(p)).map((p) => NODE_PORT_PREFIX + p),
    ];
    if (!claimed.length && !dropped.length) return undefined;
    return {
      commit: () => this.#releaseKeys(dropped),
      rollback: () => this.#releaseKeys(claimed),
    };
  }

  async release(desc: ResourceDescription, svc: KubeObject): Promise<void> {
    if (!isService(desc)) return;
    await this.#releaseKeys([...clusterIPsOf(svc).map((ip) => SERVICE_IP_PREFIX + ip), ...nodePortsOf(svc).map((p) => NODE_PORT_PREFIX + p)], svc.metadata?.uid);
  }

  async #reserveClusterIP(svc: KubeObject, held: Set<string>, owner: AllocationOwner, dryRun: boolean, claimed: string[]): Promise<void> {
    const spec = svc.spec;
    const family = 'IPv4';
    if (Array.isArray(spec.ipFamilies) && spec.ipFamilies.some((f: string) => f !== family)) {
      const i = spec.ipFamilies.findIndex((f: string) => f !== family);
      throw invalid(svc, [fieldErrors.invalid(`spec.ipFamilies[${i}]`, spec.ipFamilies[i], 'not configured on this cluster')]);
    }
    if (spec.ipFamilyPolicy === 'RequireDualStack' && spec.clusterIP !== 'None') {
      throw invalid(svc, [fieldErrors.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services')]);
    }
    if (spec.clusterIP === 'None') {
      // Headless: no address; without a selector upstream asks for every family the cluster has.
      spec.clusterIPs = ['None'];
      spec.ipFamilyPolicy ??= spec.selector && Object.keys(spec.selector).length ? 'SingleStack' : 'RequireDualStack';
      spec.ipFamilies ??= [family];
      return;
    }
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.ipFamilies ??= [family];
    const requested: string | undefined = spec.clusterIP || undefined;
    if (requested && held.has(requested)) return;
    let ip: string;
    if (requested) {
      const n = parseIpv4(requested);
      if (n === undefined || !cidrContains(this.#cidr, n) || !this.#ipPool.contains(n)) {
        throw invalid(svc, [fieldErrors.invalid('spec.clusterIPs', spec.clusterIPs ?? [requested], `failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${this.serviceCIDR}`)]);
      }
      if (!(await this.#claim(this.#ipPool, n, owner, dryRun))) {
        throw invalid(svc, [fieldErrors.invalid('spec.clusterIPs', spec.clusterIPs ?? [requested], `failed to allocate IP ${requested}: provided IP is already allocated`)]);
      }
      ip = requested;
    } else {
      const n = await this.#claimNext(this.#ipPool, owner, dryRun);
      if (n === undefined) throw errors.internal(`failed to allocate a serviceIP: range is full`);
      ip = formatIpv4(n);
    }
    if (!dryRun) claimed.push(SERVICE_IP_PREFIX + ip);
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
  }

  async #reserveNodePorts(svc: KubeObject, held: Set<number>, owner: AllocationOwner, dryRun: boolean, claimed: string[]): Promise<void> {
    const spec = svc.spec;
    const claimedHere = new Set<number>();
    const claimPort = async (port: number, field: string): Promise<void> => {
      if (held.has(port) || claimedHere.has(port)) return;
      if (!this.#portPool.contains(port)) {
        throw invalid(svc, [fieldErrors.invalid(field, port, `provided port is not in the valid range. The range of valid ports is ${this.#ports.first}-${this.#ports.last}`)]);
      }
      if (!(await this.#claim(this.#portPool, port, owner, dryRun))) throw invalid(svc, [fieldErrors.invalid(field, port, 'provided port is already allocated')]);
      claimedHere.add(port);
      if (!dryRun) claimed.push(NODE_PORT_PREFIX + port);
    };
    const next = async (): Promise<number> => {
      const n = await this.#claimNext(this.#portPool, owner, dryRun);
      if (n === undefined) throw errors.internal('failed to allocate a nodePort: range is full');
      claimedHere.add(n);
      if (!dryRun) claimed.push(NODE_PORT_PREFIX + n);
      return n;
    };
    const ports: KubeObject[] = Array.isArray(spec.ports) ? spec.ports : [];
    if (needsNodePorts(svc)) {
      // One node port per service port number: TCP and UDP on the same port share it, as upstream.
      const byServicePort = new Map<number, number>();
      for (const [i, p] of ports.entries()) if (p.nodePort) { await claimPort(p.nodePort, `spec.ports[${i}].nodePort`); byServicePort.set(p.port, p.nodePort); }
      for (const p of ports) {
        if (p.nodePort) continue;
        p.nodePort = byServicePort.get(p.port) ?? await next();
        byServicePort.set(p.port, p.nodePort);
      }
    }
    if (needsHealthCheckNodePort(svc)) {
      if (spec.healthCheckNodePort) await claimPort(spec.healthCheckNodePort, 'spec.healthCheckNodePort');
      else spec.healthCheckNodePort = await next();
    }
  }

  /** Claims value n; false when another object holds it. A dry run only looks. */
  async #claim(pool: Pool, n: number, owner: AllocationOwner, dryRun: boolean): Promise<boolean> {
    if (dryRun) {
      await this.#cache.waitFresh();
      return !this.#cache.get(pool.key(n));
    }
    try {
      await this.#store.create(pool.key(n), encoder.encode(JSON.stringify({ kind: 'ServiceAllocation', metadata: { name: String(n) }, owner })));
      return true;
    } catch (err) {
      if (isStorageError(err, 'KeyExists')) return false;
      throw err;
    }
  }

  /** Claims a free value, from the dynamic band first, starting at a random place. */
  async #claimNext(pool: Pool, owner: AllocationOwner, dryRun: boolean): Promise<number | undefined> {
    await this.#cache.waitFresh();
    const taken = new Set(this.#cache.list(pool.prefix).map((c) => c.key));
    for (const [lo, hi] of [[pool.dynamicFrom, pool.last], [pool.first, pool.dynamicFrom - 1]]) {
      const span = hi - lo + 1;
      if (span <= 0) continue;
      const start = randomInt(0, span);
      for (let i = 0; i < span; i++) {
        const n = lo + ((start + i) % span);
        if (taken.has(pool.key(n))) continue;
        if (await this.#claim(pool, n, owner, dryRun)) return n;
      }
    }
    return undefined;
  }

  /** Deletes claim keys (only those the given uid holds, when one is given). */
  async #releaseKeys(keys: string[], uid?: string): Promise<void> {
    for (const key of keys) {
      try {
        if (uid) {
          const kv = await this.#store.get(key);
          if (!kv || ownerOf(kv.value)?.uid !== uid) continue;
          await this.#store.delete(key, kv.modRevision);
        } else await this.#store.delete(key);
      } catch (err) {
        if (!isStorageError(err, 'NotFound') && !isStorageError(err, 'Conflict')) throw err;
      }
    }
  }
}

export function ownerOf(value: Uint8Array): AllocationOwner | undefined {
  try { return JSON.parse(Buffer.from(value).toString('utf8')).owner; } catch { return undefined; }
}

const isService = (desc: ResourceDescription): boolean => desc.group === '' && desc.kind === 'Service';

function invalid(svc: KubeObject, errs: FieldError[]): StatusError {
  return errors.invalid('', 'Service', svc.metadata?.name ?? '', errs);
}
