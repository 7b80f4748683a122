// The routing decision for one request: the route table picks the backend, the endpoint index
// its ready endpoints. Proxy to them, answer 503 when the backend has none (or does not
// exist), or 404 when nothing matches. Pure; the round-robin choice among endpoints is a small
// counter per backend.
import type { Endpoint, EndpointIndex } from './endpoint-index.ts';
import { requestPath, type Backend, type RouteMatch, type RouteTable } from './route-table.ts';

export type Decision =
  | { kind: 'proxy'; backend: Backend; endpoints: Endpoint[]; route: RouteMatch; key: string }
  | { kind: 'unavailable'; backend: Backend; route: RouteMatch; message: string }
  | { kind: 'not-found'; host: string; path: string };

/** A backend as one string: namespace/service:port. */
export function backendKey(b: Backend): string {
  if (!b.service) return `${b.namespace}/${b.resource?.kind ?? 'resource'}/${b.resource?.name ?? ''}`;
  const p = b.service.port;
  return `${b.namespace}/${b.service.name}:${p.number ?? p.name ?? ''}`;
}

export function decide(table: RouteTable, index: EndpointIndex, host: string | undefined, target: string | undefined): Decision {
  const path = requestPath(target);
  const route = table.match(host, path);
  if (route.kind === 'none') return { kind: 'not-found', host: host ?? '', path };
  const backend = route.kind === 'path' ? route.route.backend : route.backend;
  const res = index.resolve(backend);
  if (!res.ok) return { kind: 'unavailable', backend, route, message: res.message };
  return { kind: 'proxy', backend, endpoints: res.endpoints, route, key: backendKey(backend) };
}

/** Round-robin over each backend's endpoints; a changed endpoint list keeps the rotation going. */
export class RoundRobin {
  readonly #next = new Map<string, number>();

  /** The endpoint to use next for this backend, skipping those in `exclude` while others remain. */
  pick(key: string, endpoints: readonly Endpoint[], exclude: ReadonlySet<string> = new Set()): Endpoint | undefined {
    const n = endpoints.length;
    if (n === 0) return undefined;
    const start = this.#next.get(key) ?? 0;
    for (let i = 0; i < n; i++) {
      const ep = endpoints[(start + i) % n]!;
      if (exclude.has(endpointId(ep))) continue;
      this.#next.set(key, (start + i + 1) % n);
      return ep;
    }
    return undefined;
  }

  /** Forgets backends no longer routed to. */
  retain(keys: ReadonlySet<string>): void {
    for (const k of this.#next.keys()) if (!keys.has(k)) this.#next.delete(k);
  }
}

export const endpointId = (ep: Endpoint): string => `${ep.host}|${ep.port}`;
