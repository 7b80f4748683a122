// What the cluster DNS knows of the cluster: Services, their EndpointSlices (tied by the
// kubernetes.io/service-name label) and the namespaces, digested to the fields DNS answers
// need and indexed by name and by address. Pure and synchronous: informers feed it; the
// answerer reads it.
import type { KubeObject } from '../client/api-client.ts';
import { canonicalIP } from './names.ts';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface PortRecord {
  /** '' for an unnamed port. */
  name: string;
  /** TCP, UDP or SCTP. */
  protocol: string;
  /** -1: the Service or slice declares no port (CoreDNS's sentinel); such an entry gives no SRV. */
  port: number;
}

export interface ServiceRecord {
  namespace: string;
  name: string;
  kind: 'ClusterIP' | 'Headless' | 'ExternalName';
  /** Canonical addresses; empty for headless, ExternalName or a ClusterIP not yet allocated. */
  clusterIPs: string[];
  externalName: string;
  ports: PortRecord[];
  publishNotReadyAddresses: boolean;
}

export interface EndpointRecord {
  /** Canonical addresses. */
  addresses: string[];
  hostname: string;
  /** conditions.ready, with "unknown" read as ready (as the API documents and CoreDNS does). */
  ready: boolean;
}

export interface SliceRecord {
  namespace: string;
  name: string;
  /** The Service the slice belongs to (its kubernetes.io/service-name label). */
  service: string;
  ports: PortRecord[];
  endpoints: EndpointRecord[];
}

const NO_PORT: PortRecord[] = [{ name: '', protocol: '', port: -1 }];

function digestPorts(ports: KubeObject[] | undefined | null): PortRecord[] {
  if (!ports?.length) return NO_PORT;
  return ports.map((p) => ({ name: String(p.name ?? ''), protocol: String(p.protocol ?? 'TCP'), port: typeof p.port === 'number' ? p.port : -1 }));
}

export function digestService(svc: KubeObject): ServiceRecord {
  const spec = svc.spec ?? {};
  const ips: string[] = (spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : []);
  const kind = spec.type === 'ExternalName' ? 'ExternalName' : ips[0] === 'None' ? 'Headless' : 'ClusterIP';
  return {
    namespace: svc.metadata.namespace,
    name: svc.metadata.name,
    kind,
    clusterIPs: kind === 'ClusterIP' ? ips.map((ip) => canonicalIP(ip)).filter((ip): ip is string => !!ip) : [],
    externalName: kind === 'ExternalName' ? String(spec.externalName ?? '') : '',
    ports: digestPorts(spec.ports),
    publishNotReadyAddresses: spec.publishNotReadyAddresses === true,
  };
}

/** The slice's digest, or undefined when it belongs to no Service. */
export function digestSlice(slice: KubeObject): SliceRecord | undefined {
  const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
  if (!service) return undefined;
  return {
    namespace: slice.metadata.namespace,
    name: slice.metadata.name,
    service,
    ports: digestPorts(slice.ports),
    endpoints: (slice.endpoints ?? []).map((e: KubeObject) => ({
      addresses: (e.addresses ?? []).map((a: string) => canonicalIP(a)).filter((a: string | undefined): a is string => !!a),
      hostname: typeof e.hostname === 'string' ? e.hostname : '',
      ready: e.conditions?.ready !== false,
    })),
  };
}

const key = (namespace: string, name: string) => `${namespace}/${name}`;

function addTo<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}
function removeFrom<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k);
  if (s?.delete(v) && s.size === 0) m.delete(k);
}

export class RecordIndex {
  readonly #services = new Map<string, ServiceRecord>();
  readonly #slices = new Map<string, SliceRecord>();
  /** Service key → keys of its slices. */
  readonly #slicesByService = new Map<string, Set<string>>();
  readonly #servicesByIP = new Map<string, Set<string>>();
  readonly #slicesByIP = new Map<string, Set<string>>();
  readonly #namespaces = new Set<string>();
  /** Namespace → how many Services it holds (a namespace with Services exists, whatever the namespace informer says yet). */
  readonly #servicesPerNamespace = new Map<string, number>();
  #serial: number;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
    this.#serial = Math.floor(now() / 1000);
  }

  /** An index holding these objects (tests and one-shot uses). */
  static from(objects: { services?: KubeObject[]; slices?: KubeObject[]; namespaces?: string[] }, now?: () => number): RecordIndex {
    const ix = new RecordIndex(now);
    for (const n of objects.namespaces ?? []) ix.setNamespace(n);
    for (const s of objects.services ?? []) ix.setService(s);
    for (const s of objects.slices ?? []) ix.setSlice(s);
    return ix;
  }

  /** The SOA serial: the time (Unix seconds) of the last change. */
  get serial(): number { return this.#serial; }

  #touch(): void { this.#serial = Math.max(this.#serial, Math.floor(this.#now() / 1000)); }

  setService(obj: KubeObject): void {
    const rec = digestService(obj);
    const k = key(rec.namespace, rec.name);
    this.#dropService(k);
    this.#services.set(k, rec);
    for (const ip of rec.clusterIPs) addTo(this.#servicesByIP, ip, k);
    this.#servicesPerNamespace.set(rec.namespace, (this.#servicesPerNamespace.get(rec.namespace) ?? 0) + 1);
    this.#touch();
  }

  deleteService(obj: KubeObject): void {
    if (this.#dropService(key(obj.metadata.namespace, obj.metadata.name))) this.#touch();
  }

  #dropService(k: string): boolean {
    const old = this.#services.get(k);
    if (!old) return false;
    this.#services.delete(k);
    for (const ip of old.clusterIPs) removeFrom(this.#servicesByIP, ip, k);
    const n = (this.#servicesPerNamespace.get(old.namespace) ?? 1) - 1;
    if (n > 0) this.#servicesPerNamespace.set(old.namespace, n); else this.#servicesPerNamespace.delete(old.namespace);
    return true;
  }

  setSlice(obj: KubeObject): void {
    const k = key(obj.metadata.namespace, obj.metadata.name);
    this.#dropSlice(k);
    const rec = digestSlice(obj);
    if (rec) {
      this.#slices.set(k, rec);
      addTo(this.#slicesByService, key(rec.namespace, rec.service), k);
      for (const ep of rec.endpoints) for (const a of ep.addresses) addTo(this.#slicesByIP, a, k);
    }
    this.#touch();
  }

  deleteSlice(obj: KubeObject): void {
    if (this.#dropSlice(key(obj.metadata.namespace, obj.metadata.name))) this.#touch();
  }

  #dropSlice(k: string): boolean {
    const old = this.#slices.get(k);
    if (!old) return false;
    this.#slices.delete(k);
    removeFrom(this.#slicesByService, key(old.namespace, old.service), k);
    for (const ep of old.endpoints) for (const a of ep.addresses) removeFrom(this.#slicesByIP, a, k);
    return true;
  }

  setNamespace(name: string): void { if (!this.#namespaces.has(name)) { this.#namespaces.add(name); this.#touch(); } }
  deleteNamespace(name: string): void { if (this.#namespaces.delete(name)) this.#touch(); }

  /** A namespace exists when the API lists it or it holds a Service. */
  namespaceExists(namespace: string): boolean {
    return this.#namespaces.has(namespace) || this.#servicesPerNamespace.has(namespace);
  }

  service(namespace: string, name: string): ServiceRecord | undefined { return this.#services.get(key(namespace, name)); }

  slicesOf(namespace: string, service: string): SliceRecord[] {
    return [...(this.#slicesByService.get(key(namespace, service)) ?? [])].sort().map((k) => this.#slices.get(k)!);
  }

  /** Services whose cluster IPs include this (canonical) address. */
  servicesWithClusterIP(ip: string): ServiceRecord[] {
    return [...(this.#servicesByIP.get(ip) ?? [])].sort().map((k) => this.#services.get(k)!);
  }

  /** Slices with an endpoint holding this (canonical) address. */
  slicesWithAddress(ip: string): SliceRecord[] {
    return [...(this.#slicesByIP.get(ip) ?? [])].sort().map((k) => this.#slices.get(k)!);
  }
}
