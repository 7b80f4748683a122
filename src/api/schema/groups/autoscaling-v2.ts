// autoscaling/v2: HorizontalPodAutoscaler with metric sources, statuses and scaling behaviour.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api 1.33 (generated.proto, types.go).
import type { GroupVersionKind, TypeDefs } from '../model.ts';
import { META, arrayOf, field, listType, mergeList, objectHeader, ref } from '../model.ts';

const AUTOSCALING_V2 = 'io.k8s.api.autoscaling.v2';
const gvk = (kind: string): GroupVersionKind => ({ group: 'autoscaling', version: 'v2', kind });

export const autoscalingV2Types: TypeDefs = {
  [`${AUTOSCALING_V2}.HorizontalPodAutoscaler`]: {
    description: "Scales a workload's replica count automatically from the metrics given.",
    gvk: [gvk('HorizontalPodAutoscaler')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${AUTOSCALING_V2}.HorizontalPodAutoscalerSpec`), 2, 'The desired scaling behaviour.'),
      status: field(ref(`${AUTOSCALING_V2}.HorizontalPodAutoscalerStatus`), 3, 'The current state of the autoscaler.'),
    },
  },
  [`${AUTOSCALING_V2}.HorizontalPodAutoscalerSpec`]: {
    description: 'The desired scaling of a HorizontalPodAutoscaler.',
    fields: {
      scaleTargetRef: field(ref(`${AUTOSCALING_V2}.CrossVersionObjectReference`), 1, 'The resource to scale; it must have a scale subresource.', { required: true }),
      minReplicas: field('int32', 2, 'The lowest replica count. Defaults to 1; 0 is allowed only with Object or External metrics (alpha).'),
      maxReplicas: field('int32', 3, 'The highest replica count; not below minReplicas.', { required: true }),
      metrics: field(arrayOf(ref(`${AUTOSCALING_V2}.MetricSpec`)), 4, 'The metrics used to compute the replica count; the largest proposal wins. Defaults to 80% average CPU.', { listType: 'atomic' }),
      behavior: field(ref(`${AUTOSCALING_V2}.HorizontalPodAutoscalerBehavior`), 5, 'How fast to scale up and down; defaults apply when unset.'),
    },
  },
  [`${AUTOSCALING_V2}.CrossVersionObjectReference`]: {
    description: 'Identifies the resource a scaler targets.',
    fields: {
      kind: field('string', 1, 'The kind of the referent.', { required: true }),
      name: field('string', 2, 'The name of the referent.', { required: true }),
      apiVersion: field('string', 3, 'The API version of the referent.'),
    },
  },
  [`${AUTOSCALING_V2}.MetricSpec`]: {
    description: 'One metric to scale on; set the member named by type.',
    fields: {
      type: field('string', 1, 'The kind of metric source: Object, Pods, Resource, ContainerResource or External.', { required: true }),
      object: field(ref(`${AUTOSCALING_V2}.ObjectMetricSource`), 2, 'A metric describing one Kubernetes object.'),
      pods: field(ref(`${AUTOSCALING_V2}.PodsMetricSource`), 3, "A metric averaged over the target's pods."),
      resource: field(ref(`${AUTOSCALING_V2}.ResourceMetricSource`), 4, "A resource metric (like CPU or memory) of the target's pods, as known from requests and limits."),
      containerResource: field(ref(`${AUTOSCALING_V2}.ContainerResourceMetricSource`), 7, "A resource metric of one container in each of the target's pods."),
      external: field(ref(`${AUTOSCALING_V2}.ExternalMetricSource`), 5, 'A metric not tied to any Kubernetes object.'),
    },
  },
  [`${AUTOSCALING_V2}.HorizontalPodAutoscalerBehavior`]: {
    description: 'Scaling rules for each direction.',
    fields: {
      scaleUp: field(ref(`${AUTOSCALING_V2}.HPAScalingRules`), 1, 'Rules for scaling up. By default, the larger of 4 pods or 100% growth per 15 seconds, with no stabilization.'),
      scaleDown: field(ref(`${AUTOSCALING_V2}.HPAScalingRules`), 2, 'Rules for scaling down. By default any amount, with a 300-second stabilization window.'),
    },
  },
  [`${AUTOSCALING_V2}.HPAScalingRules`]: {
    description: 'How fast to scale in one direction.',
    fields: {
      stabilizationWindowSeconds: field('int32', 3, 'Seconds of past recommendations considered, to avoid flapping; 0 to 3600.'),
      selectPolicy: field('string', 1, 'Which policy applies: Max (the default), Min or Disabled.'),
      policies: field(arrayOf(ref(`${AUTOSCALING_V2}.HPAScalingPolicy`)), 2, 'Limits on change per period; at least one is needed unless selectPolicy is Disabled.', { listType: 'atomic' }),
      tolerance: field('quantity', 4, 'How far the metric may deviate from target before scaling; alpha, needs the HPAConfigurableTolerance gate.'),
    },
  },
  [`${AUTOSCALING_V2}.HPAScalingPolicy`]: {
    description: 'A limit on change within a period.',
    fields: {
      type: field('string', 1, 'Pods (a number of pods) or Percent (of current replicas).', { required: true }),
      value: field('int32', 2, 'The amount of change allowed; must be above zero.', { required: true }),
      periodSeconds: field('int32', 3, 'The period the policy applies over; 1 to 1800 seconds.', { required: true }),
    },
  },
  [`${AUTOSCALING_V2}.ObjectMetricSource`]: {
    description: 'A metric of one Kubernetes object, such as requests per second of an Ingress.',
    fields: {
      describedObject: field(ref(`${AUTOSCALING_V2}.CrossVersionObjectReference`), 1, 'The object the metric describes.', { required: true }),
      target: field(ref(`${AUTOSCALING_V2}.MetricTarget`), 2, 'The target value of the metric.', { required: true }),
      metric: field(ref(`${AUTOSCALING_V2}.MetricIdentifier`), 3, "The metric's name and selector.", { required: true }),
    },
  },
  [`${AUTOSCALING_V2}.PodsMetricSource`]: {
    description: "A metric averaged over the target's pods, compared with an average value.",
    fields: {
      metric: field(ref(`${AUTOSCALING_V2}.MetricIdentifier`), 1, "The metric's name and selector.", { required: true }),
      target: field(ref(`${AUTOSCALING_V2}.MetricTarget`), 2, 'The target value of the metric.', { required: true }),
    },
  },
  [`${AUTOSCALING_V2}.ResourceMetricSource`]: {
    description: "A resource metric of the target's pods, as known from requests and limits.",
    fields: {
      name: field('string', 1, "The resource's name.", { required: true }),
      target: field(ref(`${AUTOSCALING_V2}.MetricTarget`), 2, 'The target value of the metric.', { required: true }),
    },
  },
  [`${AUTOSCALING_V2}.ContainerResourceMetricSource`]: {
    description: "A resource metric of one container in each of the target's pods.",
    fields: {
      name: field('string', 1, "The resource's name.", { required: true }),
      target: field(ref(`${AUTOSCALING_V2}.MetricTarget`), 2, 'The target value of the metric.', { required: true }),
      container: field('string', 3, 'The container whose usage is measured.', { required: true }),
    },
  },
  [`${AUTOSCALING_V2}.ExternalMetricSource`]: {
    description: 'A metric from outside the cluster, such as a cloud queue length.',
    fields: {
      metric: field(ref(`${AUTOSCALING_V2}.MetricIdentifier`), 1, "The metric's name and selector.", { required: true }),
      target: field(ref(`${AUTOSCALING_V2}.MetricTarget`), 2, 'The target value of the metric.', { required: true }),
    },
  },
  [`${AUTOSCALING_V2}.MetricIdentifier`]: {
    description: 'Names a metric.',
    fields: {
      name: field('string', 1, "The metric's name.", { required: true }),
      selector: field(ref(`${META}.LabelSelector`), 2, 'Label selector passed to the metrics server to narrow the metric; when unset, only the name is used.'),
    },
  },
  [`${AUTOSCALING_V2}.MetricTarget`]: {
    description: 'The target of a metric: a value, an average value or an average utilization.',
    fields: {
      type: field('string', 1, 'Utilization, Value or AverageValue.', { required: true }),
      value: field('quantity', 2, 'The target value.'),
      averageValue: field('quantity', 3, 'The target value averaged over pods.'),
      averageUtilization: field('int32', 4, 'The target average use as a percentage of requests; Resource metrics only.'),
    },
  },
  [`${AUTOSCALING_V2}.HorizontalPodAutoscalerStatus`]: {
    description: 'The observed state of a HorizontalPodAutoscaler.',
    fields: {
      observedGeneration: field('int64', 1, 'The generation the autoscaler last acted on.'),
      lastScaleTime: field('date-time', 2, 'When the replica count was last changed.'),
      currentReplicas: field('int32', 3, 'The replica count last seen.'),
      desiredReplicas: field('int32', 4, 'The replica count the autoscaler last computed.', { required: true }),
      currentMetrics: field(arrayOf(ref(`${AUTOSCALING_V2}.MetricStatus`)), 5, 'The last values read of the metrics used.', { listType: 'atomic' }),
      conditions: mergeList(ref(`${AUTOSCALING_V2}.HorizontalPodAutoscalerCondition`), 6, "The latest observations of the autoscaler's state.", 'type'),
    },
  },
  [`${AUTOSCALING_V2}.HorizontalPodAutoscalerCondition`]: {
    description: "One observed aspect of an autoscaler's state.",
    fields: {
      type: field('string', 1, 'The kind of condition.', { required: true }),
      status: field('string', 2, 'True, False or Unknown.', { required: true }),
      lastTransitionTime: field('date-time', 3, 'When the condition last changed status.'),
      reason: field('string', 4, 'A one-word CamelCase cause of the last transition.'),
      message: field('string', 5, 'A human-readable explanation of the last transition.'),
    },
  },
  [`${AUTOSCALING_V2}.MetricStatus`]: {
    description: 'The last reading of one metric; the member named by type is set.',
    fields: {
      type: field('string', 1, 'The kind of metric source: Object, Pods, Resource, ContainerResource or External.', { required: true }),
      object: field(ref(`${AUTOSCALING_V2}.ObjectMetricStatus`), 2, 'The reading of an object metric.'),
      pods: field(ref(`${AUTOSCALING_V2}.PodsMetricStatus`), 3, 'The reading of a pods metric.'),
      resource: field(ref(`${AUTOSCALING_V2}.ResourceMetricStatus`), 4, 'The reading of a resource metric.'),
      containerResource: field(ref(`${AUTOSCALING_V2}.ContainerResourceMetricStatus`), 7, 'The reading of a container resource metric.'),
      external: field(ref(`${AUTOSCALING_V2}.ExternalMetricStatus`), 5, 'The reading of an external metric.'),
    },
  },
  [`${AUTOSCALING_V2}.ObjectMetricStatus`]: {
    description: 'The reading of an object metric.',
    fields: {
      metric: field(ref(`${AUTOSCALING_V2}.MetricIdentifier`), 1, "The metric's name and selector.", { required: true }),
      current: field(ref(`${AUTOSCALING_V2}.MetricValueStatus`), 2, 'The current value.', { required: true }),
      describedObject: field(ref(`${AUTOSCALING_V2}.CrossVersionObjectReference`), 3, 'The object the metric describes.', { required: true }),
    },
  },
  [`${AUTOSCALING_V2}.PodsMetricStatus`]: {
    description: 'The reading of a pods metric.',
    fields: {
      metric: field(ref(`${AUTOSCALING_V2}.MetricIdentifier`), 1, "The metric's name and selector.", { required: true }),
      current: field(ref(`${AUTOSCALING_V2}.MetricValueStatus`), 2, 'The current value.', { required: true }),
    },
  },
  [`${AUTOSCALING_V2}.ResourceMetricStatus`]: {
    description: 'The reading of a resource metric.',
    fields: {
      name: field('string', 1, "The resource's name.", { required: true }),
      current: field(ref(`${AUTOSCALING_V2}.MetricValueStatus`), 2, 'The current value.', { required: true }),
    },
  },
  [`${AUTOSCALING_V2}.ContainerResourceMetricStatus`]: {
    description: 'The reading of a container resource metric.',
    fields: {
      name: field('string', 1, "The resource's name.", { required: true }),
      current: field(ref(`${AUTOSCALING_V2}.MetricValueStatus`), 2, 'The current value.', { required: true }),
      container: field('string', 3, 'The container whose usage was measured.', { required: true }),
    },
  },
  [`${AUTOSCALING_V2}.ExternalMetricStatus`]: {
    description: 'The reading of an external metric.',
    fields: {
      metric: field(ref(`${AUTOSCALING_V2}.MetricIdentifier`), 1, "The metric's name and selector.", { required: true }),
      current: field(ref(`${AUTOSCALING_V2}.MetricValueStatus`), 2, 'The current value.', { required: true }),
    },
  },
  [`${AUTOSCALING_V2}.MetricValueStatus`]: {
    description: 'A metric reading.',
    fields: {
      value: field('quantity', 1, 'The current value.'),
      averageValue: field('quantity', 2, 'The current value averaged over pods.'),
      averageUtilization: field('int32', 3, 'The current average use as a percentage of requests.'),
    },
  },
  [`${AUTOSCALING_V2}.HorizontalPodAutoscalerList`]: listType(`${AUTOSCALING_V2}.HorizontalPodAutoscaler`, gvk('HorizontalPodAutoscalerList'), 'A list of HorizontalPodAutoscalers.'),
};
