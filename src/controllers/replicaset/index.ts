// The ReplicaSet and ReplicationController controllers: one core, two kinds.
import { ReplicaController } from './replica-controller.ts';
import { REPLICA_SET_KIND, REPLICATION_CONTROLLER_KIND } from './replica-kind.ts';

export { ReplicaController, BURST_REPLICAS } from './replica-controller.ts';
export { REPLICA_SET_KIND, REPLICATION_CONTROLLER_KIND, type ReplicaKind } from './replica-kind.ts';
export { rankPodsForDeletion, podsToDelete, podDeletionCost, POD_DELETION_COST } from './pod-ranking.ts';

export const newReplicaSetController = (): ReplicaController => new ReplicaController(REPLICA_SET_KIND);
export const newReplicationController = (): ReplicaController => new ReplicaController(REPLICATION_CONTROLLER_KIND);
