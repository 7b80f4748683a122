// A StatefulSet's revisions (upstream stateful_set_control.go getStatefulSetRevisions and
// truncateHistory): the update revision is the set's current template, found among the saved
// revisions or saved anew; a rollback to an earlier template renumbers that revision.
import type { ApiClient, KubeObject } from '../../client/api-client.ts';
import {
  CONTROLLER_REVISIONS, createControllerRevision, findEqualRevisions, newControllerRevision, nextRevisionNumber,
  equalRevision, templateOfRevision, templatePatch, updateRevisionNumber,
} from '../engine/history.ts';
import { isNotFound } from '../../api/status.ts';
import { podRevision } from './identity.ts';

const asStatefulSet = (set: KubeObject) => ({ ...set, apiVersion: 'apps/v1', kind: 'StatefulSet' });

/** The unsaved revision of set's template, carrying the set's annotations (change-cause). */
export function newRevision(set: KubeObject, revision: number, collisionCount: number): KubeObject {
  const cr = newControllerRevision(asStatefulSet(set), set.spec?.template?.metadata?.labels, templatePatch(set), revision, collisionCount);
  if (set.metadata.annotations) cr.metadata.annotations = { ...set.metadata.annotations };
  return cr;
}

/** set with the template a revision holds. */
export function applyRevision(set: KubeObject, revision: KubeObject): KubeObject {
  const clone = structuredClone(set);
  clone.spec.template = templateOfRevision(revision);
  return clone;
}

export interface SetRevisions { current: KubeObject; update: KubeObject; collisionCount: number }

/** Finds or saves the update revision; the current one is named in status (or is the update one). */
export async function resolveRevisions(client: ApiClient, set: KubeObject, sorted: KubeObject[]): Promise<SetRevisions> {
  let collisionCount = set.status?.collisionCount ?? 0;
  let update = newRevision(set, nextRevisionNumber(sorted), collisionCount);
  const equal = findEqualRevisions(sorted, update);
  const latest = sorted[sorted.length - 1];
  if (equal.length && equalRevision(latest, equal[equal.length - 1])) {
    update = latest!;
  } else if (equal.length) {
    update = await updateRevisionNumber(client, equal[equal.length - 1]!, update.revision);
  } else {
    const saved = await createControllerRevision(client, asStatefulSet(set), update, collisionCount);
    update = saved.revision;
    collisionCount = saved.collisionCount;
  }
  const current = sorted.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
  return { current, update, collisionCount };
}

/** Deletes the oldest revisions no pod or status refers to, beyond revisionHistoryLimit. */
export async function truncateHistory(client: ApiClient, set: KubeObject, pods: KubeObject[], sorted: KubeObject[], live: (KubeObject | undefined)[]): Promise<void> {
  const keep = new Set<string>(live.filter(Boolean).map((r) => r!.metadata.name));
  for (const p of pods) keep.add(podRevision(p));
  const history = sorted.filter((r) => !keep.has(r.metadata.name));
  const limit = set.spec?.revisionHistoryLimit ?? 10;
  if (limit < 0 || history.length <= limit) return;
  for (const r of history.slice(0, history.length - limit)) {
    await client.delete(CONTROLLER_REVISIONS, r.metadata.namespace, r.metadata.name).catch((e) => { if (!isNotFound(e)) throw e; });
  }
}
