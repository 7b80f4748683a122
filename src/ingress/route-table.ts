// The routes of our Ingresses, merged: a request's host picks a virtual host (exact name, then a
// one-label wildcard, then the rules without a host), its path picks the rule as the Ingress
// spec orders them (longest path first, Exact before Prefix at equal length, the older Ingress
// on a tie), and what matches no path goes to a default backend (the host's Ingress's, else any
// of ours) or to a 404. Pure: objects in, decisions out.
import type { KubeObject } from '../client/api-client.ts';

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

/** What an Ingress sends traffic to, in the Ingress's namespace. */
export interface Backend {
  namespace: string;
  /** A Service backend: name and port (number, or the service port's name). */
  service?: { name: string; port: { number?: number; name?: string } };
  /** A resource backend (not served by this controller). */
  resource?: { apiGroup?: string; kind?: string; name?: string };
}

export interface PathRoute {
  host: string;
  path: string;
  pathType: PathType;
  backend: Backend;
  /** namespace/name of the Ingress that declared it. */
  ingress: string;
}

export type RouteMatch =
  | { kind: 'path'; route: PathRoute }
  | { kind: 'default'; backend: Backend; ingress: string }
  | { kind: 'none' };

interface Compiled extends PathRoute {
  /** Prefix paths without their trailing slash ('' for '/'); Exact paths as written. */
  key: string;
  exact: boolean;
  order: number;
}

interface VirtualHost {
  paths: Compiled[];
  /** The defaultBackend of the oldest Ingress declaring this host that has one. */
  fallback?: { backend: Backend; ingress: string };
}

const keyOf = (o: KubeObject) => `${o.metadata?.namespace}/${o.metadata?.name}`;

/** Older first, then by namespace/name: the order that decides ties between Ingresses. */
export function byAge(a: KubeObject, b: KubeObject): number {
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = keyOf(a);
  const kb = keyOf(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function backendOf(namespace: string, b: KubeObject | undefined): Backend | undefined {
  if (!b || typeof b !== 'object') return undefined;
  if (b.service?.name) {
    const port = b.service.port ?? {};
    return { namespace, service: { name: b.service.name, port: typeof port.number === 'number' && port.number > 0 ? { number: port.number } : { name: port.name } } };
  }
  if (b.resource) return { namespace, resource: { apiGroup: b.resource.apiGroup, kind: b.resource.kind, name: b.resource.name } };
  return undefined;
}

/** A request's host as rules name it: lower case, without port, brackets or a trailing dot. */
export function normalizeHost(host: string | undefined): string {
  if (!host) return '';
  let h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    h = end > 0 ? h.slice(1, end) : h.slice(1);
  } else {
    const colon = h.lastIndexOf(':');
    if (colon >= 0 && h.indexOf(':') === colon) h = h.slice(0, colon);
  }
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/**
 * The path of a request target as rules are matched against it (as nginx locations are): the
 * part before `?`, percent-decoding undone, `.` and `..` segments resolved, repeated slashes
 * merged. So `/public/../admin` is matched as `/admin`. Absolute-form targets give their path.
 */
export function requestPath(target: string | undefined): string {
  let t = target ?? '/';
  if (!t.startsWith('/')) {
    try { t = new URL(t).pathname; } catch { return '/'; }
  }
  const q = t.search(/[?#]/);
  if (q >= 0) t = t.slice(0, q);
  let decoded = t;
  if (t.includes('%')) {
    try { decoded = decodeURIComponent(t); } catch { decoded = t; }
  }
  const out: string[] = [];
  const parts = decoded.split('/');
  for (let i = 1; i < parts.length; i++) {
    const seg = parts[i]!;
    const last = i === parts.length - 1;
    if (seg === '..') { out.pop(); if (last) out.push(''); }
    else if (seg === '.') { if (last) out.push(''); }
    else if (seg === '' && !last) continue;
    else out.push(seg);
  }
  return '/' + out.join('/');
}

/** The wildcard rule host that would cover this host: `*.` and all but its first label. */
export function wildcardFor(host: string): string | undefined {
  const dot = host.indexOf('.');
  return dot > 0 && dot < host.length - 1 ? `*${host.slice(dot)}` : undefined;
}

/** True when a request path matches a rule path of this type (ImplementationSpecific as Prefix). */
export function pathMatches(pathType: PathType, rulePath: string, requestPath: string): boolean {
  if (pathType === 'Exact') return requestPath === rulePath;
  const key = prefixKey(rulePath);
  return key === '' || requestPath === key || requestPath.startsWith(key + '/');
}

/** A Prefix path compared element-wise: trailing slashes do not count ('/' becomes ''). */
function prefixKey(path: string): string {
  let p = path || '/';
  if (!p.startsWith('/')) p = '/' + p;
  return p.replace(/\/+$/, '');
}

/** Longer path first; Exact before Prefix at equal length; then the older declaration. */
function precedence(a: Compiled, b: Compiled): number {
  if (a.key.length !== b.key.length) return b.key.length - a.key.length;
  if (a.exact !== b.exact) return a.exact ? -1 : 1;
  return a.order - b.order;
}

export class RouteTable {
  readonly #hosts = new Map<string, VirtualHost>();
  #fallback: { backend: Backend; ingress: string } | undefined;
  /** Our Ingresses, oldest first. */
  readonly ingresses: readonly KubeObject[];

  /** Builds the table from the Ingresses this controller serves (see isOurIngress). */
  constructor(ours: Iterable<KubeObject>) {
    const sorted = [...ours].sort(byAge);
    this.ingresses = sorted;
    let order = 0;
    const seen = new Set<string>();
    for (const ing of sorted) {
      const ns: string = ing.metadata?.namespace ?? 'default';
      const ingress = keyOf(ing);
      const def = backendOf(ns, ing.spec?.defaultBackend);
      if (def && !this.#fallback) this.#fallback = { backend: def, ingress };
      for (const rule of ing.spec?.rules ?? []) {
        const host = normalizeHost(rule?.host);
        let vh = this.#hosts.get(host);
        if (!vh) this.#hosts.set(host, (vh = { paths: [] }));
        if (def && !vh.fallback) vh.fallback = { backend: def, ingress };
        for (const p of rule?.http?.paths ?? []) {
          const backend = backendOf(ns, p?.backend);
          if (!backend) continue;
          const pathType: PathType = p.pathType === 'Exact' || p.pathType === 'Prefix' ? p.pathType : 'ImplementationSpecific';
          const exact = pathType === 'Exact';
          const path: string = p.path || '/';
          const key = exact ? path : prefixKey(path);
          // The same host, type and path in two places: the first (older) declaration wins.
          const id = `${host} ${exact ? 'E' : 'P'} ${key}`;
          if (seen.has(id)) continue;
          seen.add(id);
          vh.paths.push({ host, path, pathType, backend, ingress, key, exact, order: order++ });
        }
      }
    }
    for (const vh of this.#hosts.values()) vh.paths.sort(precedence);
  }

  /** Hosts with rules ('' for the rules without a host). */
  get hosts(): string[] { return [...this.#hosts.keys()]; }

  /** The virtual host a request's host falls into: exact, then wildcard, then the host-less rules. */
  #virtualHost(host: string): VirtualHost | undefined {
    const h = normalizeHost(host);
    const exact = h ? this.#hosts.get(h) : undefined;
    if (exact) return exact;
    const wild = wildcardFor(h);
    return (wild ? this.#hosts.get(wild) : undefined) ?? this.#hosts.get('');
  }

  /** The route for a request: a path rule, a default backend, or none (404). */
  match(host: string | undefined, path: string): RouteMatch {
    const vh = this.#virtualHost(host ?? '');
    if (vh) {
      for (const r of vh.paths) {
        if (r.exact ? path === r.key : r.key === '' || path === r.key || path.startsWith(r.key + '/')) {
          const { key: _k, exact: _e, order: _o, ...route } = r;
          return { kind: 'path', route };
        }
      }
      if (vh.fallback) return { kind: 'default', ...vh.fallback };
    }
    if (this.#fallback) return { kind: 'default', ...this.#fallback };
    return { kind: 'none' };
  }
}
