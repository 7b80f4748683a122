// The deployment controller and the pieces of upstream behaviour it is built from.
import type { ControllerDescriptor } from '../engine/controller.ts';
import { DeploymentController } from './deployment-controller.ts';

export { DeploymentController } from './deployment-controller.ts';
export { computeHash, equalIgnoreHash, safeEncodeString, POD_TEMPLATE_HASH_LABEL } from './pod-template-hash.ts';
export { resolveFenceposts, scaledValue, maxSurge, maxUnavailable, newReplicaSetReplicas, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION } from './rollout-arithmetic.ts';
export { REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION } from './replica-sets.ts';

/** Registry entry; 5 workers as upstream's --concurrent-deployment-syncs default. */
export const deploymentControllerDescriptor: ControllerDescriptor = { name: 'deployment', workers: 5, create: () => new DeploymentController(), eventComponent: 'deployment-controller' };
