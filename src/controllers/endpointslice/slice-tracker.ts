// What this controller last wrote for each Service's slices, so a sync that would read an
// informer cache older than its own writes waits instead (upstream's EndpointSliceTracker;
// our resourceVersions are ordered revisions, so "older" is a comparison).
import type { KubeObject } from '../../client/api-client.ts';

export class SliceTracker {
  /** service key → slice name → revision written, or 'deleted'. */
  readonly #bySvc = new Map<string, Map<string, number | 'deleted'>>();

  written(svcKey: string, slice: KubeObject): void { this.#entry(svcKey).set(slice.metadata.name, Number(slice.metadata.resourceVersion ?? 0)); }
  deleted(svcKey: string, slice: KubeObject): void { this.#entry(svcKey).set(slice.metadata.name, 'deleted'); }
  forget(svcKey: string): void { this.#bySvc.delete(svcKey); }

  /** Whether the cached slices lag behind a write; entries the cache has caught up with are dropped. */
  stale(svcKey: string, cached: KubeObject[]): boolean {
    const entry = this.#bySvc.get(svcKey);
    if (!entry) return false;
    const byName = new Map(cached.map((s) => [s.metadata.name as string, s]));
    let stale = false;
    for (const [name, want] of entry) {
      const have = byName.get(name);
      if (want === 'deleted') {
        if (have) stale = true; else entry.delete(name);
      } else if (!have || Number(have.metadata.resourceVersion) < want) stale = true;
      else entry.delete(name);
    }
    if (!entry.size) this.#bySvc.delete(svcKey);
    return stale;
  }

  #entry(svcKey: string): Map<string, number | 'deleted'> {
    let e = this.#bySvc.get(svcKey);
    if (!e) this.#bySvc.set(svcKey, (e = new Map()));
    return e;
  }
}
