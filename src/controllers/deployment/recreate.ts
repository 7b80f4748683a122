// The Recreate strategy (upstream's recreate.go): scale every old ReplicaSet to zero, wait until
// none of their pods runs, and only then create and scale up the new ReplicaSet.
import type { KubeObject } from '../../client/api-client.ts';
import type { DeploymentSync, SyncResult } from './deployment-sync.ts';
import { isActive } from './replica-sets.ts';
import { replicasOf, statusCount } from './rollout-arithmetic.ts';
import { deploymentComplete } from './deployment-status.ts';

/** podsByOwner: the deployment's pods keyed by the uid of the ReplicaSet controlling them. */
export async function rolloutRecreate(sync: DeploymentSync, rsList: KubeObject[], podsByOwner: Map<string, KubeObject[]>): Promise<SyncResult> {
  // The new RS is not created yet, so nothing scales up before the old pods are gone.
  let { newRS, oldRSs } = await sync.replicaSetsAndSyncRevision(rsList, false);
  let allRSs = [...oldRSs, ...(newRS ? [newRS] : [])];
  let scaledDown = false;
  for (const rs of oldRSs.filter(isActive)) if ((await sync.scaleReplicaSetAndRecordEvent(rs, 0)).scaled) scaledDown = true;
  if (scaledDown || oldPodsRunning(newRS, oldRSs, podsByOwner)) return sync.syncRolloutStatus(allRSs, newRS);
  if (!newRS) {
    ({ newRS, oldRSs } = await sync.replicaSetsAndSyncRevision(rsList, true));
    allRSs = [...oldRSs, newRS!];
  }
  await sync.scaleReplicaSetAndRecordEvent(newRS!, replicasOf(sync.d));
  if (deploymentComplete(sync.d, sync.d.status)) await sync.cleanup(oldRSs);
  return sync.syncRolloutStatus(allRSs, newRS);
}

/** Old RSes report pods, or pods of theirs are not yet terminal. */
function oldPodsRunning(newRS: KubeObject | undefined, oldRSs: KubeObject[], podsByOwner: Map<string, KubeObject[]>): boolean {
  if (statusCount(oldRSs, 'replicas') > 0) return true;
  for (const [uid, pods] of podsByOwner) {
    if (newRS && newRS.metadata.uid === uid) continue;
    if (pods.some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}
