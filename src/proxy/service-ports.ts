// What the proxy must do, computed from Services and EndpointSlices alone (no OS calls): one
// entry per service port with the addresses it answers on and the endpoints it balances over,
// after upstream's endpoint choice (ready endpoints; else serving-terminating ones; only this
// node's for Local traffic policies).
type Obj = Record<string, any>;

export type Protocol = 'tcp' | 'udp' | 'sctp';

export interface Endpoint {
  ip: string;
  port: number;
  /** On this node (for the Local traffic policies). */
  local: boolean;
}

export interface ServicePort {
  /** `namespace/name/protocol/port-name-or-number`: stable, unique, valid in nft identifiers. */
  id: string;
  namespace: string;
  name: string;
  portName: string;
  protocol: Protocol;
  /** Virtual addresses answering on `port`: cluster IP, external IPs, load balancer IPs. */
  clusterIP?: string;
  externalIPs: string[];
  port: number;
  /** Port on every local address (NodePort and LoadBalancer services). */
  nodePort?: number;
  /** Endpoints for traffic from inside the cluster (internalTrafficPolicy applied). */
  clusterEndpoints: Endpoint[];
  /** Endpoints for traffic from outside: node ports, external and load balancer IPs (externalTrafficPolicy applied). */
  externalEndpoints: Endpoint[];
  /** externalTrafficPolicy Local: keep the client's address (no masquerade). */
  externalLocal: boolean;
  /** sessionAffinity ClientIP timeout in seconds (absent: no affinity). */
  affinitySeconds?: number;
}

const PROTOCOLS: Record<string, Protocol> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

/** The endpoints of one service port across its slices, by upstream's readiness rules. */
function endpointsFor(svc: Obj, port: Obj, slices: Obj[], nodeName: string): { all: Endpoint[]; usable: (local: boolean) => Endpoint[] } {
  const ready: Endpoint[] = [];
  const servingTerminating: Endpoint[] = [];
  const seen = new Set<string>();
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4') continue;
    const slicePort = (slice.ports ?? []).find((p: Obj) => (p.name ?? '') === (port.name ?? '') && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
    if (!slicePort || !Number.isInteger(slicePort.port)) continue;
    for (const ep of slice.endpoints ?? []) {
      const ip = ep.addresses?.[0];
      if (typeof ip !== 'string') continue;
      const key = `${ip}:${slicePort.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const c = ep.conditions ?? {};
      const e: Endpoint = { ip, port: slicePort.port, local: ep.nodeName === nodeName };
      // ready unset means ready; serving unset follows ready (EndpointSlice API rules).
      const isReady = c.ready !== false;
      const serving = c.serving ?? isReady;
      if (isReady && !c.terminating) ready.push(e);
      else if (serving && c.terminating) servingTerminating.push(e);
      else if (svc.spec?.publishNotReadyAddresses) ready.push(e);
    }
  }
  const pick = (onlyLocal: boolean): Endpoint[] => {
    const from = (list: Endpoint[]) => (onlyLocal ? list.filter((e) => e.local) : list);
    const r = from(ready);
    // Terminating-but-serving endpoints take traffic only when no ready one is left.
    return r.length ? r : from(servingTerminating);
  };
  return { all: [...ready, ...servingTerminating], usable: pick };
}

/** Every service port the proxy programs, sorted by id. */
export function servicePorts(services: Obj[], slicesByService: Map<string, Obj[]>, nodeName: string): ServicePort[] {
  const out = services.flatMap((svc) => servicePortsOf(svc, slicesByService.get(`${svc.metadata.namespace}/${svc.metadata.name}`) ?? [], nodeName));
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The service ports of one service, given its slices. */
export function servicePortsOf(svc: Obj, slices: Obj[], nodeName: string): ServicePort[] {
  const out: ServicePort[] = [];
  {
    const spec = svc.spec ?? {};
    const clusterIP: string | undefined = spec.clusterIP && spec.clusterIP !== 'None' ? spec.clusterIP : undefined;
    // Headless and ExternalName services have no virtual address: DNS serves them.
    if (!clusterIP || spec.type === 'ExternalName') return out;
    const ns = svc.metadata.namespace;
    const name = svc.metadata.name;
    const lbIPs = (svc.status?.loadBalancer?.ingress ?? []).map((i: Obj) => i.ip).filter((ip: unknown): ip is string => typeof ip === 'string' && !ip.includes(':'));
    const externalIPs = [...new Set<string>([...(spec.externalIPs ?? []).filter((ip: unknown) => typeof ip === 'string' && !String(ip).includes(':')), ...lbIPs])];
    for (const port of spec.ports ?? []) {
      const protocol = PROTOCOLS[port.protocol ?? 'TCP'];
      if (!protocol || !Number.isInteger(port.port)) continue;
      const eps = endpointsFor(svc, port, slices, nodeName);
      const externalLocal = spec.externalTrafficPolicy === 'Local' && (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || externalIPs.length > 0);
      out.push({
        id: `${ns}/${name}/${protocol}/${port.name || port.port}`,
        namespace: ns, name, portName: port.name ?? '', protocol, clusterIP, externalIPs, port: port.port,
        nodePort: Number.isInteger(port.nodePort) && port.nodePort > 0 ? port.nodePort : undefined,
        clusterEndpoints: eps.usable(spec.internalTrafficPolicy === 'Local'),
        externalEndpoints: eps.usable(externalLocal),
        externalLocal,
        affinitySeconds: spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) : undefined,
      });
    }
  }
  return out;
}

/**
 * servicePorts for a proxy that syncs again and again: a service's ports are computed again only
 * when the service or one of its slices is a different object than last time (informer caches
 * replace objects on change), so the ports of unchanged services keep their identity.
 */
export class ServicePortCache {
  readonly #nodeName: string;
  #byService = new Map<string, { svc: Obj; slices: Obj[]; ports: ServicePort[] }>();

  constructor(nodeName: string) { this.#nodeName = nodeName; }

  ports(services: Obj[], slicesByService: Map<string, Obj[]>): ServicePort[] {
    const next = new Map<string, { svc: Obj; slices: Obj[]; ports: ServicePort[] }>();
    const out: ServicePort[] = [];
    for (const svc of services) {
      const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
      const slices = slicesByService.get(key) ?? [];
      const prev = this.#byService.get(key);
      const same = prev && prev.svc === svc && prev.slices.length === slices.length && prev.slices.every((s, i) => s === slices[i]);
      const entry = same ? prev : { svc, slices, ports: servicePortsOf(svc, slices, this.#nodeName) };
      next.set(key, entry);
      out.push(...entry.ports);
    }
    this.#byService = next;
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
