// One pass of the StatefulSet algorithm (upstream updateStatefulSet): make the pods for
// ordinals [start, start+replicas) exist, healthy and with their identity; remove condemned
// ordinals from the highest down; then replace pods not at the update revision from the highest
// ordinal down to the partition. OrderedReady ("monotonic") stops at the first pod that is not
// Running and Ready; Parallel acts on all pods at once.
import type { KubeObject } from '../../client/api-client.ts';
import type { EventRecorder } from '../../client/event-recorder.ts';
import { slowStartBatch } from '../engine/slow-start.ts';
import { isNotFound } from '../../api/status.ts';
import type { StatefulPodControl } from './pod-control.ts';
import { endOrdinal, inOrdinalRange, newVersionedPod, ordinalOf, podRevision, startOrdinal, identityMatches, storageMatches } from './identity.ts';
import { isCreated, isFailed, isPending, isRunningAndAvailable, isRunningAndReady, isSucceeded, isTerminating, isUnavailable } from './pod-status.ts';
import { applyRevision } from './revisions.ts';
import { countReplicas, type SetStatus } from './status.ts';

export interface UpdateInput {
  control: StatefulPodControl;
  recorder: EventRecorder;
  set: KubeObject;
  current: KubeObject;
  update: KubeObject;
  collisionCount: number;
  pods: KubeObject[];
}

export interface UpdateOutcome { status: SetStatus; error?: unknown }

/** Runs fn over items: one at a time stopping at the first that says so (monotonic), or in slow-start batches. */
async function runForAll(items: KubeObject[], fn: (i: number) => Promise<boolean>, monotonic: boolean): Promise<boolean> {
  if (monotonic) {
    for (let i = 0; i < items.length; i++) if (await fn(i)) return true;
    return false;
  }
  await slowStartBatch(items.length, 1, async (i) => { await fn(i); });
  return false;
}

/** maxUnavailable of a rolling update as a count (rounded down, at least 1). */
export function maxUnavailableOf(value: number | string | undefined, replicas: number): number {
  let n = 1;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.endsWith('%')) n = Math.floor((Number(value.slice(0, -1)) * replicas) / 100);
  else if (typeof value === 'string') n = Number(value);
  return Number.isFinite(n) && n >= 1 ? n : 1;
}

export async function updateStatefulSet(input: UpdateInput): Promise<UpdateOutcome> {
  const { control, recorder, set, current, update, collisionCount, pods } = input;
  const currentSet = applyRevision(set, current);
  const updateSet = applyRevision(set, update);
  const minReady = set.spec?.minReadySeconds ?? 0;
  const status: SetStatus = {
    observedGeneration: set.metadata.generation ?? 0, replicas: 0, readyReplicas: 0, currentReplicas: 0, updatedReplicas: 0,
    availableReplicas: 0, currentRevision: current.metadata.name, updateRevision: update.metadata.name, collisionCount,
  };
  countReplicas(status, minReady, pods);

  const start = startOrdinal(set);
  const end = endOrdinal(set);
  const replicas: KubeObject[] = new Array(Math.max(0, end - start + 1));
  const condemned: KubeObject[] = [];
  for (const pod of pods) {
    if (inOrdinalRange(pod, set)) replicas[ordinalOf(pod) - start] = pod;
    else if (ordinalOf(pod) >= 0) condemned.push(pod);
  }
  for (let ord = start; ord <= end; ord++) {
    replicas[ord - start] ??= newVersionedPod(currentSet, updateSet, current.metadata.name, update.metadata.name, ord);
  }
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));

  let firstUnavailable: KubeObject | undefined;
  for (const pod of replicas) if (!firstUnavailable && isUnavailable(pod, minReady)) firstUnavailable = pod;
  for (let i = condemned.length - 1; i >= 0; i--) if (!firstUnavailable && isUnavailable(condemned[i]!, minReady)) firstUnavailable = condemned[i];

  if (set.metadata.deletionTimestamp) return { status };
  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
  const finish = (error?: unknown): UpdateOutcome => { countReplicas(status, minReady, replicas, condemned); return { status, error }; };
  const eventSet = { ...set, apiVersion: 'apps/v1', kind: 'StatefulSet' };

  const processReplica = async (i: number): Promise<boolean> => {
    const pod = replicas[i]!;
    // A finished pod (failed, or succeeded after a node restart) is replaced under the same name.
    if (isFailed(pod) || isSucceeded(pod)) {
      if (!isTerminating(pod)) {
        if (isFailed(pod)) recorder.event(eventSet, 'Warning', 'RecreatingFailedPod', `StatefulSet ${set.metadata.namespace}/${set.metadata.name} is recreating failed Pod ${pod.metadata.name}`);
        else recorder.event(eventSet, 'Normal', 'RecreatingTerminatedPod', `StatefulSet ${set.metadata.namespace}/${set.metadata.name} is recreating terminated Pod ${pod.metadata.name}`);
        await control.deleteStatefulPod(set, pod);
      }
      return true;
    }
    if (!isCreated(pod)) {
      // Its claims still belong to the previous pod of this name: wait for them to be collected.
      if (control.podClaimIsStale(set, pod)) return true;
      await control.createStatefulPod(set, pod);
      if (monotonic) return true;
    }
    if (isPending(pod)) await control.createMissingClaims(set, pod);
    if (isTerminating(pod) && monotonic) return true;
    if (!isRunningAndReady(pod) && monotonic) return true;
    if (!isRunningAndAvailable(pod, minReady) && monotonic) return true;
    if (!isCreated(pod)) return false;
    if (identityMatches(set, pod) && storageMatches(set, pod) && control.claimsMatchRetentionPolicy(updateSet, pod)) return false;
    await control.updateStatefulPod(updateSet, pod);
    return false;
  };

  try {
    if (await runForAll(replicas, processReplica, monotonic)) return finish();

    const fixClaims = async (i: number): Promise<boolean> => {
      if (!control.claimsMatchRetentionPolicy(updateSet, condemned[i]!)) await control.updateClaimsForRetentionPolicy(updateSet, condemned[i]!);
      return false;
    };
    if (await runForAll(condemned, fixClaims, monotonic)) return finish();

    // Every replica is Running and Ready (in order mode): scale down from the highest ordinal.
    const processCondemned = async (i: number): Promise<boolean> => {
      const pod = condemned[i]!;
      if (isTerminating(pod)) return monotonic;
      if (monotonic && pod !== firstUnavailable && (!isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReady))) return true;
      await control.deleteStatefulPod(set, pod);
      return true;
    };
    if (await runForAll(condemned, processCondemned, monotonic)) return finish();
  } catch (e) {
    return finish(e);
  }
  countReplicas(status, minReady, replicas, condemned);

  const strategy = set.spec?.updateStrategy ?? {};
  if (strategy.type === 'OnDelete') return { status };
  const partition = strategy.rollingUpdate?.partition ?? 0;
  try {
    if (strategy.rollingUpdate?.maxUnavailable !== undefined) {
      const maxUnavailable = maxUnavailableOf(strategy.rollingUpdate.maxUnavailable, replicas.length);
      const unavailable = replicas.filter((p) => isUnavailable(p, minReady)).length;
      if (unavailable > maxUnavailable) return { status };
      let toDelete = maxUnavailable - unavailable;
      for (let target = replicas.length - 1; target >= partition && toDelete > 0; target--) {
        const pod = replicas[target]!;
        if (podRevision(pod) !== update.metadata.name && !isTerminating(pod)) {
          await deleteIgnoringGone(control, set, pod);
          toDelete--;
          status.currentReplicas--;
        }
      }
      return { status };
    }
    // Replace the highest ordinal not at the update revision, one at a time.
    for (let target = replicas.length - 1; target >= partition; target--) {
      const pod = replicas[target]!;
      if (podRevision(pod) !== update.metadata.name && !isTerminating(pod)) {
        await deleteIgnoringGone(control, set, pod);
        status.currentReplicas--;
        return { status };
      }
      if (isUnavailable(pod, minReady)) return { status };
    }
  } catch (e) {
    return { status, error: e };
  }
  return { status };
}

async function deleteIgnoringGone(control: StatefulPodControl, set: KubeObject, pod: KubeObject): Promise<void> {
  try { await control.deleteStatefulPod(set, pod); } catch (e) { if (!isNotFound(e)) throw e; }
}
