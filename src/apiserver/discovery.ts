// Discovery documents: legacy (APIVersions, APIGroupList, APIGroup, APIResourceList) and
// aggregated (apidiscovery.k8s.io v2 and v2beta1, chosen by the Accept header).
import type { ResourceDescription, Verb } from '../api/registry/resource.ts';
import type { ApiRegistry } from './registry.ts';
import type { MediaType } from './http/negotiate.ts';

const SUBRESOURCE_VERBS: Verb[] = ['get', 'patch', 'update'];

function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

function storageVersionHash(r: ResourceDescription): string {
  let h = 0;
  for (const c of `${r.group}/${r.version}/${r.kind}`) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return Buffer.from(h.toString(16).padStart(8, '0')).toString('base64').slice(0, 11) + '=';
}

export function apiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(registry: ApiRegistry, name: string, versions: string[]) {
  const vs = versions.map((v) => ({ groupVersion: groupVersion(name, v), version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupList(registry: ApiRegistry) {
  return {
    kind: 'APIGroupList', apiVersion: 'v1',
    groups: registry.groups().filter((g) => g.name !== '').map((g) => apiGroup(registry, g.name, g.versions)),
  };
}

export function apiGroupDoc(registry: ApiRegistry, name: string) {
  const g = registry.groups().find((x) => x.name === name);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(registry, g.name, g.versions) } : undefined;
}

export function apiResourceList(registry: ApiRegistry, group: string, version: string) {
  const resources: Record<string, unknown>[] = [];
  for (const r of registry.resourcesOf(group, version)) {
    const main: Record<string, unknown> = { name: r.plural, singularName: r.singular, namespaced: r.scope === 'Namespaced', kind: r.kind, verbs: r.verbs };
    if (r.shortNames?.length) main.shortNames = r.shortNames;
    if (r.categories?.length) main.categories = r.categories;
    if (!r.crd) main.storageVersionHash = storageVersionHash(r);
    resources.push(main);
    const sub = (name: string, kind: string, verbs: Verb[], g?: string, v?: string) => {
      const e: Record<string, unknown> = { name: `${r.plural}/${name}`, singularName: '', namespaced: r.scope === 'Namespaced', kind, verbs };
      if (g !== undefined) { e.group = g; e.version = v; }
      resources.push(e);
    };
    if (r.subresources?.status) sub('status', r.kind, SUBRESOURCE_VERBS);
    if (r.subresources?.scale) sub('scale', 'Scale', SUBRESOURCE_VERBS, 'autoscaling', 'v1');
    for (const o of r.subresources?.others ?? []) {
      if (o.kind.group === r.group && o.kind.version === r.version) sub(o.name, o.kind.kind, o.verbs);
      else sub(o.name, o.kind.kind, o.verbs, o.kind.group, o.kind.version);
    }
  }
  resources.sort((a, b) => String(a.name).localeCompare(String(b.name)));
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion(group, version), resources };
}

function aggregatedResource(r: ResourceDescription) {
  const e: Record<string, unknown> = {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.scope,
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames?.length) e.shortNames = r.shortNames;
  if (r.categories?.length) e.categories = r.categories;
  const subs: Record<string, unknown>[] = [];
  if (r.subresources?.status) subs.push({ subresource: 'status', responseKind: { group: r.group, version: r.version, kind: r.kind }, verbs: SUBRESOURCE_VERBS });
  if (r.subresources?.scale) subs.push({ subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: SUBRESOURCE_VERBS });
  for (const o of r.subresources?.others ?? []) subs.push({ subresource: o.name, responseKind: o.kind, verbs: o.verbs });
  if (subs.length) e.subresources = subs;
  return e;
}

/** The aggregated discovery version the client accepts (v2 preferred), or undefined for legacy. */
export function aggregatedVersion(accept: MediaType[]): 'v2' | 'v2beta1' | undefined {
  for (const m of accept) {
    if (m.type === 'application/json' && m.params.g === 'apidiscovery.k8s.io' && m.params.as === 'APIGroupDiscoveryList') {
      if (m.params.v === 'v2' || m.params.v === 'v2beta1') return m.params.v;
    }
    if ((m.type === 'application/json' || m.type === '*/*') && !m.params.as) return undefined;
  }
  return undefined;
}

export function aggregatedDiscovery(registry: ApiRegistry, legacy: boolean, version: 'v2' | 'v2beta1') {
  const items = registry.groups().filter((g) => (legacy ? g.name === '' : g.name !== '')).map((g) => ({
    metadata: { name: g.name, creationTimestamp: null },
    versions: g.versions.map((v) => ({
      version: v,
      resources: registry.resourcesOf(g.name, v).sort((a, b) => a.plural.localeCompare(b.plural)).map(aggregatedResource),
      freshness: 'Current',
    })),
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

export function aggregatedContentType(version: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}
