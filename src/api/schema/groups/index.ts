// Every non-core built-in group/version, merged into one table of definitions.
// core/v1 and meta/v1 live elsewhere; refs into them stay unresolved here.
import type { TypeDefs } from '../model.ts';
import { apiextensionsV1Types } from './apiextensions-v1.ts';
import { appsV1Types } from './apps-v1.ts';
import { authenticationV1Types } from './authentication-v1.ts';
import { authorizationV1Types } from './authorization-v1.ts';
import { autoscalingV1Types } from './autoscaling-v1.ts';
import { autoscalingV2Types } from './autoscaling-v2.ts';
import { batchV1Types } from './batch-v1.ts';
import { coordinationV1Types } from './coordination-v1.ts';
import { discoveryV1Types } from './discovery-v1.ts';
import { eventsV1Types } from './events-v1.ts';
import { networkingV1Types } from './networking-v1.ts';
import { policyV1Types } from './policy-v1.ts';
import { rbacV1Types } from './rbac-v1.ts';
import { schedulingV1Types } from './scheduling-v1.ts';
import { storageV1Types } from './storage-v1.ts';

/** The per-group tables, in a stable order; definition names never repeat across them. */
export const groupTypeTables: readonly TypeDefs[] = [
  appsV1Types,
  batchV1Types,
  networkingV1Types,
  autoscalingV1Types,
  autoscalingV2Types,
  policyV1Types,
  coordinationV1Types,
  discoveryV1Types,
  eventsV1Types,
  rbacV1Types,
  storageV1Types,
  schedulingV1Types,
  authorizationV1Types,
  authenticationV1Types,
  apiextensionsV1Types,
];

export const groupTypes: TypeDefs = Object.assign({}, ...groupTypeTables);

export {
  apiextensionsV1Types,
  appsV1Types,
  authenticationV1Types,
  authorizationV1Types,
  autoscalingV1Types,
  autoscalingV2Types,
  batchV1Types,
  coordinationV1Types,
  discoveryV1Types,
  eventsV1Types,
  networkingV1Types,
  policyV1Types,
  rbacV1Types,
  schedulingV1Types,
  storageV1Types,
};
