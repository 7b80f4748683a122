// A DaemonSet's revisions (upstream daemon/update.go constructHistory, snapshot and
// cleanupHistory): the revision matching the current template is found (renumbered to be the
// newest) or saved as `<ds>-<hash>`; old ones beyond revisionHistoryLimit that no pod runs are deleted.
import type { ApiClient, KubeObject } from '../../client/api-client.ts';
import { CONTROLLER_REVISIONS, canonicalJson, sortRevisions, templatePatch } from '../engine/history.ts';
import { ownerRefFor } from '../engine/controller-ref.ts';
import { isAlreadyExists, isNotFound } from '../../api/status.ts';
import { REVISION_HASH_LABEL, templateHash } from './daemon-pod.ts';

export const DAEMONSETS = { group: 'apps', version: 'v1', plural: 'daemonsets', namespaced: true };

/** Whether a revision holds ds's current template. */
export const matchesTemplate = (ds: KubeObject, revision: KubeObject): boolean => canonicalJson(revision.data ?? null) === canonicalJson(templatePatch(ds));

export interface DaemonSetHistory { current: KubeObject; old: KubeObject[] }

export async function constructHistory(client: ApiClient, ds: KubeObject, histories: KubeObject[]): Promise<DaemonSetHistory> {
  const ns = ds.metadata.namespace;
  const matching: KubeObject[] = [];
  const old: KubeObject[] = [];
  for (let h of histories) {
    // Revisions from before the hash label existed get their name as hash.
    if (!h.metadata.labels?.[REVISION_HASH_LABEL]) {
      h = await client.patch(CONTROLLER_REVISIONS, ns, h.metadata.name, { metadata: { labels: { [REVISION_HASH_LABEL]: h.metadata.name } } }, 'merge');
    }
    (matchesTemplate(ds, h) ? matching : old).push(h);
  }
  const next = Math.max(0, ...old.map((h) => h.revision ?? 0)) + 1;
  let current: KubeObject;
  if (!matching.length) {
    current = await snapshot(client, ds, next);
  } else {
    current = await dedupe(client, ds, matching);
    if ((current.revision ?? 0) < next) {
      current = await client.patch(CONTROLLER_REVISIONS, ns, current.metadata.name, { revision: next, metadata: { resourceVersion: current.metadata.resourceVersion } }, 'merge');
    }
  }
  return { current, old };
}

/** Keeps the newest of several revisions holding the same template. */
async function dedupe(client: ApiClient, ds: KubeObject, matching: KubeObject[]): Promise<KubeObject> {
  const sorted = sortRevisions(matching);
  const keep = sorted[sorted.length - 1]!;
  for (const dup of sorted.slice(0, -1)) {
    await client.delete(CONTROLLER_REVISIONS, ds.metadata.namespace, dup.metadata.name).catch((e) => { if (!isNotFound(e)) throw e; });
  }
  return keep;
}

/** Saves the current template as a revision; on a name taken by another template, bumps collisionCount. */
async function snapshot(client: ApiClient, ds: KubeObject, revision: number): Promise<KubeObject> {
  const hash = templateHash(ds.spec.template, ds.status?.collisionCount);
  const name = `${ds.metadata.name}-${hash}`;
  const body: KubeObject = {
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: {
      name, namespace: ds.metadata.namespace,
      labels: { ...(ds.spec.template?.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
      ownerReferences: [ownerRefFor({ ...ds, apiVersion: 'apps/v1', kind: 'DaemonSet' })],
    },
    data: templatePatch(ds), revision,
  };
  if (ds.metadata.annotations) body.metadata.annotations = { ...ds.metadata.annotations };
  try {
    return await client.create(CONTROLLER_REVISIONS, ds.metadata.namespace, body);
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    const existing = await client.get(CONTROLLER_REVISIONS, ds.metadata.namespace, name);
    if (matchesTemplate(ds, existing)) return existing;
    const fresh = await client.get(DAEMONSETS, ds.metadata.namespace, ds.metadata.name);
    if ((fresh.status?.collisionCount ?? null) !== (ds.status?.collisionCount ?? null)) {
      throw new Error(`found a stale collision count (${ds.status?.collisionCount ?? 0}, expected ${fresh.status?.collisionCount ?? 0}) of DaemonSet "${ds.metadata.name}" while processing; will retry until it is updated`);
    }
    await client.patch(DAEMONSETS, ds.metadata.namespace, ds.metadata.name, { status: { collisionCount: (fresh.status?.collisionCount ?? 0) + 1 } }, 'merge', 'status');
    throw e;
  }
}

/** Deletes the oldest revisions beyond revisionHistoryLimit whose hash no daemon pod carries. */
export async function cleanupHistory(client: ApiClient, ds: KubeObject, old: KubeObject[], pods: KubeObject[]): Promise<void> {
  let toKill = old.length - (ds.spec?.revisionHistoryLimit ?? 10);
  if (toKill <= 0) return;
  const live = new Set(pods.map((p) => p.metadata.labels?.[REVISION_HASH_LABEL]).filter(Boolean));
  for (const h of sortRevisions(old)) {
    if (toKill <= 0) break;
    if (live.has(h.metadata.labels?.[REVISION_HASH_LABEL])) continue;
    await client.delete(CONTROLLER_REVISIONS, ds.metadata.namespace, h.metadata.name).catch((e) => { if (!isNotFound(e)) throw e; });
    toKill--;
  }
}
