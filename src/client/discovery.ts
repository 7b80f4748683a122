// Which resources the server serves, read from legacy discovery (preferred versions only).
import type { ApiClient, KubeObject, ResourceRef } from './api-client.ts';

export interface DiscoveredResource extends ResourceRef {
  kind: string;
  verbs: string[];
}

export async function discoverResources(client: ApiClient): Promise<DiscoveredResource[]> {
  const out: DiscoveredResource[] = [];
  const groupVersions: { group: string; version: string }[] = [{ group: '', version: 'v1' }];
  const groups = await client.request('GET', '/apis');
  for (const g of groups.groups ?? []) groupVersions.push({ group: g.name, version: g.preferredVersion?.version ?? g.versions[0].version });
  await Promise.all(groupVersions.map(async ({ group, version }) => {
    const list = await client.request('GET', group ? `/apis/${group}/${version}` : `/api/${version}`).catch(() => ({ resources: [] as KubeObject[] }));
    for (const r of list.resources ?? []) {
      if (String(r.name).includes('/')) continue;
      out.push({ group, version, plural: r.name, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs ?? [] });
    }
  }));
  return out;
}

export const apiVersionOf = (r: ResourceRef) => (r.group ? `${r.group}/${r.version}` : r.version);
