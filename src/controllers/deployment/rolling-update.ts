// The RollingUpdate strategy (upstream's rolling.go): grow the new ReplicaSet within maxSurge,
// then shrink old ones without dropping below replicas − maxUnavailable available pods —
// unhealthy old replicas go first, since removing them costs no availability.
import type { KubeObject } from '../../client/api-client.ts';
import type { DeploymentSync, SyncResult } from './deployment-sync.ts';
import { byCreation, isActive } from './replica-sets.ts';
import { maxUnavailable, newReplicaSetReplicas, replicasOf, specReplicas } from './rollout-arithmetic.ts';
import { deploymentComplete } from './deployment-status.ts';

export async function rolloutRolling(sync: DeploymentSync, rsList: KubeObject[]): Promise<SyncResult> {
  const { newRS, oldRSs } = await sync.replicaSetsAndSyncRevision(rsList, true);
  const allRSs = [...oldRSs, newRS!];
  if (await reconcileNewReplicaSet(sync, allRSs, newRS!)) return sync.syncRolloutStatus(allRSs, newRS);
  if (await reconcileOldReplicaSets(sync, allRSs, oldRSs.filter(isActive), newRS!)) return sync.syncRolloutStatus(allRSs, newRS);
  if (deploymentComplete(sync.d, sync.d.status)) await sync.cleanup(oldRSs);
  return sync.syncRolloutStatus(allRSs, newRS);
}

async function reconcileNewReplicaSet(sync: DeploymentSync, allRSs: KubeObject[], newRS: KubeObject): Promise<boolean> {
  const desired = replicasOf(sync.d);
  if (replicasOf(newRS) === desired) return false;
  if (replicasOf(newRS) > desired) return (await sync.scaleReplicaSetAndRecordEvent(newRS, desired)).scaled;
  return (await sync.scaleReplicaSetAndRecordEvent(newRS, newReplicaSetReplicas(sync.d, allRSs, newRS))).scaled;
}

async function reconcileOldReplicaSets(sync: DeploymentSync, allRSs: KubeObject[], oldRSs: KubeObject[], newRS: KubeObject): Promise<boolean> {
  if (specReplicas(oldRSs) === 0) return false;
  const minAvailable = replicasOf(sync.d) - maxUnavailable(sync.d);
  const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  // What may go: every pod beyond the availability floor, less the new RS's unavailable pods,
  // so that an unhealthy new RS never lets us take down healthy old pods.
  const maxScaledDown = specReplicas(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const { rss: cleaned, count: cleanedUp } = await cleanupUnhealthyReplicas(sync, oldRSs, maxScaledDown);
  const scaledDown = await scaleDownOldReplicaSets(sync, [...cleaned, newRS], cleaned);
  return cleanedUp + scaledDown > 0;
}

/** Scales old RSes down by their unavailable replicas, oldest first, up to maxCleanup in total. */
async function cleanupUnhealthyReplicas(sync: DeploymentSync, oldRSs: KubeObject[], maxCleanup: number): Promise<{ rss: KubeObject[]; count: number }> {
  const rss = [...oldRSs].sort(byCreation);
  let total = 0;
  for (let i = 0; i < rss.length && total < maxCleanup; i++) {
    const rs = rss[i]!;
    const unhealthy = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
    if (replicasOf(rs) === 0 || unhealthy <= 0) continue;
    const count = Math.min(maxCleanup - total, unhealthy);
    rss[i] = (await sync.scaleReplicaSetAndRecordEvent(rs, replicasOf(rs) - count)).rs;
    total += count;
  }
  return { rss, count: total };
}

/** Scales old RSes down, oldest first, by the available pods above the floor. */
async function scaleDownOldReplicaSets(sync: DeploymentSync, allRSs: KubeObject[], oldRSs: KubeObject[]): Promise<number> {
  const minAvailable = replicasOf(sync.d) - maxUnavailable(sync.d);
  // A ReplicaSet scaled down a moment ago may still report the pods it just deleted as available;
  // counting no more than its spec wants keeps a stale status from taking us below the floor.
  const available = allRSs.reduce((n, rs) => n + Math.min(replicasOf(rs), rs.status?.availableReplicas ?? 0), 0);
  if (available <= minAvailable) return 0;
  const target = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= target) break;
    if (replicasOf(rs) === 0) continue;
    const count = Math.min(replicasOf(rs), target - total);
    await sync.scaleReplicaSetAndRecordEvent(rs, replicasOf(rs) - count);
    total += count;
  }
  return total;
}
