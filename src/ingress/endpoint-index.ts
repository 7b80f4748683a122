// Services and their EndpointSlices, indexed to answer one question: for an Ingress backend
// (service name + port number or name), which pod addresses and ports take its traffic. The
// backend's port is the service port; its name picks the slice port (whose number is the
// resolved targetPort), as ingress-nginx resolves upstreams. Only ready endpoints count.
// ExternalName services resolve to their external name. Pure.
import type { KubeObject } from '../client/api-client.ts';
import type { Backend } from './route-table.ts';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface Endpoint { host: string; port: number }

export type Resolution =
  | { ok: true; endpoints: Endpoint[] }
  | { ok: false; reason: 'unsupported' | 'no-service' | 'no-port' | 'no-endpoints'; message: string };

const nsName = (namespace: string, name: string) => `${namespace}/${name}`;

export class EndpointIndex {
  readonly #services = new Map<string, KubeObject>();
  /** namespace/service → slice name → slice. */
  readonly #slices = new Map<string, Map<string, KubeObject>>();
  /** namespace/slice → the namespace/service it is filed under. */
  readonly #sliceOwner = new Map<string, string>();
  /** Resolutions computed since the last change of their service or its slices. */
  readonly #memo = new Map<string, Map<string, Resolution>>();

  setService(svc: KubeObject): void {
    const key = nsName(svc.metadata.namespace, svc.metadata.name);
    this.#services.set(key, svc);
    this.#memo.delete(key);
  }

  deleteService(svc: KubeObject): void {
    const key = nsName(svc.metadata.namespace, svc.metadata.name);
    this.#services.delete(key);
    this.#memo.delete(key);
  }

  setSlice(slice: KubeObject): void {
    const svc = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    // A slice whose service label changed moves: drop it wherever it was.
    this.deleteSlice(slice);
    if (!svc) return;
    const key = nsName(slice.metadata.namespace, svc);
    let m = this.#slices.get(key);
    if (!m) this.#slices.set(key, (m = new Map()));
    m.set(slice.metadata.name, slice);
    this.#sliceOwner.set(nsName(slice.metadata.namespace, slice.metadata.name), key);
    this.#memo.delete(key);
  }

  deleteSlice(slice: KubeObject): void {
    const id = nsName(slice.metadata.namespace, slice.metadata.name);
    const key = this.#sliceOwner.get(id);
    if (key === undefined) return;
    this.#sliceOwner.delete(id);
    const m = this.#slices.get(key);
    m?.delete(slice.metadata.name);
    if (m?.size === 0) this.#slices.delete(key);
    this.#memo.delete(key);
  }

  /** The ready endpoints of a backend, sorted (so round-robin order is stable), or why there are none. */
  resolve(backend: Backend): Resolution {
    if (!backend.service) {
      const r = backend.resource;
      return { ok: false, reason: 'unsupported', message: `resource backend ${r?.kind ?? ''} ${r?.name ?? ''} is not supported; use a Service backend` };
    }
    const key = nsName(backend.namespace, backend.service.name);
    const portId = backend.service.port.number !== undefined ? `#${backend.service.port.number}` : `:${backend.service.port.name ?? ''}`;
    let memo = this.#memo.get(key);
    const hit = memo?.get(portId);
    if (hit) return hit;
    const res = this.#compute(key, backend);
    if (!memo) this.#memo.set(key, (memo = new Map()));
    memo.set(portId, res);
    return res;
  }

  #compute(key: string, backend: Backend): Resolution {
    const want = backend.service!.port;
    const svc = this.#services.get(key);
    const portText = want.number !== undefined ? String(want.number) : `"${want.name ?? ''}"`;
    if (!svc) return { ok: false, reason: 'no-service', message: `service ${key} does not exist` };
    const ports: KubeObject[] = svc.spec?.ports ?? [];
    const svcPort = ports.find((p) => (want.number !== undefined ? p.port === want.number : (p.name ?? '') === (want.name ?? '')));
    if (svc.spec?.type === 'ExternalName') {
      const port = want.number ?? svcPort?.port;
      const host = svc.spec?.externalName;
      if (!host || !port) return { ok: false, reason: 'no-port', message: `service ${key} has no port ${portText}` };
      return { ok: true, endpoints: [{ host, port }] };
    }
    if (!svcPort) return { ok: false, reason: 'no-port', message: `service ${key} has no port ${portText}` };
    if ((svcPort.protocol ?? 'TCP') !== 'TCP') return { ok: false, reason: 'no-port', message: `service ${key} port ${portText} is not TCP` };
    const portName = svcPort.name ?? '';
    const seen = new Set<string>();
    const endpoints: Endpoint[] = [];
    for (const slice of this.#slices.get(key)?.values() ?? []) {
      if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') continue;
      const sp = (slice.ports ?? []).find((p: KubeObject) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === 'TCP');
      if (!sp || typeof sp.port !== 'number') continue;
      for (const ep of slice.endpoints ?? []) {
        // A nil ready condition means ready (the EndpointSlice API's rule).
        if (ep.conditions?.ready === false) continue;
        const host = ep.addresses?.[0];
        if (!host) continue;
        const id = `${host}|${sp.port}`;
        if (seen.has(id)) continue;
        seen.add(id);
        endpoints.push({ host, port: sp.port });
      }
    }
    if (endpoints.length === 0) return { ok: false, reason: 'no-endpoints', message: `service ${key} has no ready endpoint for port ${portText}` };
    endpoints.sort((a, b) => (a.host === b.host ? a.port - b.port : a.host < b.host ? -1 : 1));
    return { ok: true, endpoints };
  }
}
