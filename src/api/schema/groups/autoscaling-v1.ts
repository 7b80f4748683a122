// autoscaling/v1: the CPU-only HorizontalPodAutoscaler and the Scale subresource.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api 1.33 (generated.proto, types.go).
import type { GroupVersionKind, TypeDefs } from '../model.ts';
import { field, listType, objectHeader, ref } from '../model.ts';

const AUTOSCALING_V1 = 'io.k8s.api.autoscaling.v1';
const gvk = (kind: string): GroupVersionKind => ({ group: 'autoscaling', version: 'v1', kind });

export const autoscalingV1Types: TypeDefs = {
  [`${AUTOSCALING_V1}.CrossVersionObjectReference`]: {
    description: 'Identifies the resource a scaler targets.',
    structType: 'atomic',
    fields: {
      kind: field('string', 1, 'The kind of the referent.', { required: true }),
      name: field('string', 2, 'The name of the referent.', { required: true }),
      apiVersion: field('string', 3, 'The API version of the referent.'),
    },
  },
  [`${AUTOSCALING_V1}.HorizontalPodAutoscalerSpec`]: {
    description: 'The desired scaling of a HorizontalPodAutoscaler.',
    fields: {
      scaleTargetRef: field(ref(`${AUTOSCALING_V1}.CrossVersionObjectReference`), 1, 'The resource to scale; it must have a scale subresource.', { required: true }),
      minReplicas: field('int32', 2, 'The lowest replica count. Defaults to 1.'),
      maxReplicas: field('int32', 3, 'The highest replica count; not below minReplicas.', { required: true }),
      targetCPUUtilizationPercentage: field('int32', 4, 'The target average CPU use, as a percentage of requested CPU; a default policy applies when unset.'),
    },
  },
  [`${AUTOSCALING_V1}.HorizontalPodAutoscalerStatus`]: {
    description: 'The observed state of a HorizontalPodAutoscaler.',
    fields: {
      observedGeneration: field('int64', 1, 'The generation the autoscaler last acted on.'),
      lastScaleTime: field('date-time', 2, 'When the replica count was last changed.'),
      currentReplicas: field('int32', 3, 'The replica count last seen.', { required: true }),
      desiredReplicas: field('int32', 4, 'The replica count the autoscaler wants.', { required: true }),
      currentCPUUtilizationPercentage: field('int32', 5, 'The current average CPU use over all pods, as a percentage of requested CPU.'),
    },
  },
  [`${AUTOSCALING_V1}.HorizontalPodAutoscaler`]: {
    description: "Scales a workload's replica count to hold a target CPU use.",
    gvk: [gvk('HorizontalPodAutoscaler')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${AUTOSCALING_V1}.HorizontalPodAutoscalerSpec`), 2, 'The desired scaling behaviour.'),
      status: field(ref(`${AUTOSCALING_V1}.HorizontalPodAutoscalerStatus`), 3, 'The current state of the autoscaler.'),
    },
  },
  [`${AUTOSCALING_V1}.HorizontalPodAutoscalerList`]: listType(`${AUTOSCALING_V1}.HorizontalPodAutoscaler`, gvk('HorizontalPodAutoscalerList'), 'A list of HorizontalPodAutoscalers.'),
  [`${AUTOSCALING_V1}.Scale`]: {
    description: 'The scale subresource of a resource: its desired and observed replica counts.',
    gvk: [gvk('Scale')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${AUTOSCALING_V1}.ScaleSpec`), 2, 'The desired scale.'),
      status: field(ref(`${AUTOSCALING_V1}.ScaleStatus`), 3, 'The current scale; may lag behind.'),
    },
  },
  [`${AUTOSCALING_V1}.ScaleSpec`]: {
    description: 'The desired scale of a resource.',
    fields: {
      replicas: field('int32', 1, 'The desired number of instances.'),
    },
  },
  [`${AUTOSCALING_V1}.ScaleStatus`]: {
    description: 'The observed scale of a resource.',
    fields: {
      replicas: field('int32', 1, 'The actual number of instances.', { required: true }),
      selector: field('string', 2, 'The label query over the pods counted, in serialized string form.'),
    },
  },
};
