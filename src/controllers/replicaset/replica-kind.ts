// The two kinds one replica controller core serves. Upstream runs ReplicationControllers through
// the ReplicaSet controller by converting them; here a small adapter reads what differs: the
// selector (a label map on RCs, a LabelSelector on ReplicaSets), the kind and the event source.
import type { KubeObject, ResourceRef } from '../../client/api-client.ts';
import { LabelSelector, labelSelectorFromObject } from '../../api/selectors/index.ts';

export interface ReplicaKind {
  /** Controller name in the registry. */
  controllerName: string;
  kind: string;
  apiVersion: string;
  resource: ResourceRef;
  /** The Events' source component. */
  eventComponent: string;
  /** The pod selector; throws SelectorError for a selector that cannot be parsed. */
  selectorOf(obj: KubeObject): LabelSelector;
}

export const REPLICA_SET_KIND: ReplicaKind = {
  controllerName: 'replicaset',
  kind: 'ReplicaSet',
  apiVersion: 'apps/v1',
  resource: { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true },
  eventComponent: 'replicaset-controller',
  selectorOf: (rs) => labelSelectorFromObject(rs.spec?.selector),
};

export const REPLICATION_CONTROLLER_KIND: ReplicaKind = {
  controllerName: 'replicationcontroller',
  kind: 'ReplicationController',
  apiVersion: 'v1',
  resource: { group: '', version: 'v1', plural: 'replicationcontrollers', namespaced: true },
  eventComponent: 'replication-controller',
  // A missing map selects nothing; a map selects by equality, an empty one everything.
  selectorOf: (rc) => (rc.spec?.selector ? labelSelectorFromObject({ matchLabels: rc.spec.selector }) : LabelSelector.nothing),
};

/** The spec fields the core reads, the same for both kinds. */
export function desiredReplicas(obj: KubeObject): number {
  return obj.spec?.replicas ?? 1;
}

export function minReadySeconds(obj: KubeObject): number {
  return obj.spec?.minReadySeconds ?? 0;
}
