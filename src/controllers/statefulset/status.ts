// StatefulSet status from its pods (upstream updateStatus, completeRollingUpdate and
// inconsistentStatus): counts by readiness and revision, written only when it changed.
import type { KubeObject } from '../../client/api-client.ts';
import { isCreated, isRunningAndAvailable, isRunningAndReady, isTerminating } from './pod-status.ts';
import { podRevision } from './identity.ts';

export interface SetStatus {
  observedGeneration: number;
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
}

/** Recounts replicas of status over the given pods (placeholders for missing ordinals are skipped). */
export function countReplicas(status: SetStatus, minReadySeconds: number, ...podLists: KubeObject[][]): void {
  status.replicas = status.readyReplicas = status.availableReplicas = status.currentReplicas = status.updatedReplicas = 0;
  for (const list of podLists) {
    for (const pod of list) {
      if (isCreated(pod)) status.replicas++;
      if (isRunningAndReady(pod)) {
        status.readyReplicas++;
        if (isRunningAndAvailable(pod, minReadySeconds)) status.availableReplicas++;
      }
      if (isCreated(pod) && !isTerminating(pod)) {
        const rev = podRevision(pod);
        if (rev === status.currentRevision) status.currentReplicas++;
        if (rev === status.updateRevision) status.updatedReplicas++;
      }
    }
  }
}

/** A rolling update that reached every replica makes the update revision current. */
export function completeRollingUpdate(set: KubeObject, status: SetStatus): void {
  if (set.spec?.updateStrategy?.type === 'RollingUpdate' && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

export function statusDiffers(set: KubeObject, status: SetStatus): boolean {
  const s = set.status ?? {};
  return s.observedGeneration === undefined || status.observedGeneration > s.observedGeneration ||
    status.replicas !== (s.replicas ?? 0) || status.currentReplicas !== (s.currentReplicas ?? 0) ||
    status.readyReplicas !== (s.readyReplicas ?? 0) || status.updatedReplicas !== (s.updatedReplicas ?? 0) ||
    status.availableReplicas !== (s.availableReplicas ?? 0) || status.currentRevision !== (s.currentRevision ?? '') ||
    status.updateRevision !== (s.updateRevision ?? '') || status.collisionCount !== (s.collisionCount ?? 0);
}

/** A merge patch writing status, with upstream's omitempty fields dropped when zero. */
export function statusPatch(status: SetStatus): KubeObject {
  const orNull = <T>(v: T) => (v ? v : null);
  return {
    status: {
      observedGeneration: orNull(status.observedGeneration), replicas: status.replicas,
      readyReplicas: orNull(status.readyReplicas), currentReplicas: orNull(status.currentReplicas),
      updatedReplicas: orNull(status.updatedReplicas), availableReplicas: status.availableReplicas,
      currentRevision: orNull(status.currentRevision), updateRevision: orNull(status.updateRevision),
      collisionCount: status.collisionCount,
    },
  };
}
