// The API server's live view of what it serves: built-in resource descriptions plus those
// that CustomResourceDefinitions add at run time. Discovery, OpenAPI and routing read it;
// listeners hear when it changes.
import type { ResourceDescription } from '../api/registry/resource.ts';

export interface GroupVersion { group: string; version: string }

export class ApiRegistry {
  readonly #byPath = new Map<string, ResourceDescription>();
  readonly #byKind = new Map<string, ResourceDescription>();
  /** group → ordered versions (preferred first). */
  readonly #groups = new Map<string, string[]>();
  readonly #listeners = new Set<() => void>();
  #generation = 0;

  constructor(resources: ResourceDescription[]) {
    for (const r of resources) this.#add(r);
  }

  get generation(): number { return this.#generation; }

  #add(r: ResourceDescription): void {
    this.#byPath.set(`${r.group}/${r.version}/${r.plural}`, r);
    this.#byKind.set(`${r.group}/${r.version}/${r.kind}`, r);
    const versions = this.#groups.get(r.group) ?? [];
    if (!versions.includes(r.version)) {
      versions.push(r.version);
      versions.sort(compareVersions);
    }
    this.#groups.set(r.group, versions);
  }

  /** Replaces the resources of one group (custom resources from CRDs). */
  replaceGroupResources(owner: string, resources: ResourceDescription[]): void {
    for (const [k, r] of this.#byPath) if ((r as any).owner === owner) { this.#byPath.delete(k); this.#byKind.delete(`${r.group}/${r.version}/${r.kind}`); }
    for (const r of resources) this.#add({ ...r, owner } as ResourceDescription);
    this.#rebuildGroups();
    this.#changed();
  }

  #rebuildGroups(): void {
    this.#groups.clear();
    for (const r of this.#byPath.values()) {
      const versions = this.#groups.get(r.group) ?? [];
      if (!versions.includes(r.version)) versions.push(r.version);
      this.#groups.set(r.group, versions);
    }
    for (const v of this.#groups.values()) v.sort(compareVersions);
  }

  #changed(): void {
    this.#generation++;
    for (const l of this.#listeners) l();
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  lookup(group: string, version: string, plural: string): ResourceDescription | undefined {
    return this.#byPath.get(`${group}/${version}/${plural}`);
  }

  lookupKind(group: string, version: string, kind: string): ResourceDescription | undefined {
    return this.#byKind.get(`${group}/${version}/${kind}`);
  }

  /** The resource served under the group's preferred version (for storage-level work like GC). */
  preferred(group: string, plural: string): ResourceDescription | undefined {
    for (const v of this.#groups.get(group) ?? []) {
      const r = this.lookup(group, v, plural);
      if (r) return r;
    }
    return undefined;
  }

  all(): ResourceDescription[] { return [...this.#byPath.values()]; }

  /** Groups in upstream discovery order: core first, then by name as registered. */
  groups(): { name: string; versions: string[] }[] {
    return [...this.#groups.entries()].map(([name, versions]) => ({ name, versions }));
  }

  resourcesOf(group: string, version: string): ResourceDescription[] {
    return this.all().filter((r) => r.group === group && r.version === version);
  }

  hasGroupVersion(group: string, version: string): boolean {
    return (this.#groups.get(group) ?? []).includes(version);
  }
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first (v2 > v1 > v1beta2 > v1beta1 > v1alpha1). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0, v] as const;
    const stage = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [stage, Number(m[1]), Number(m[3] ?? 0), v] as const;
  };
  const pa = parse(a), pb = parse(b);
  if (pa[0] === 0 && pb[0] === 0) return a < b ? -1 : a > b ? 1 : 0;
  if (pa[0] !== pb[0]) return pb[0] - pa[0];
  if (pa[1] !== pb[1]) return pb[1] - pa[1];
  return pb[2] - pa[2];
}
