// A small schema model and resource set for the OpenAPI tests: ConfigMap, Pod (with status
// and eviction), Deployment (with scale), Namespace, and a custom resource without a schema.
import { META, field, listType, mergeList, objectHeader, ref, type TypeDefs } from '../../../api/schema/model.ts';
import type { ResourceDescription } from '../../../api/registry/resource.ts';
import { defineGroup } from '../../../api/registry/define.ts';
import { sampleTypes } from '../../protobuf/testdata/sample-types.ts';

const CORE = 'io.k8s.api.core.v1';

export const sampleDefs: TypeDefs = {
  ...sampleTypes,
  [`${META}.ListMeta`]: {
    description: 'Metadata of a list.',
    fields: {
      resourceVersion: field('string', 2, 'Version of the list.'),
      continue: field('string', 3, 'Token for the next page.'),
    },
  },
  [`${CORE}.Pod`]: {
    description: 'A group of containers scheduled together on one node.',
    gvk: [{ group: '', version: 'v1', kind: 'Pod' }],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${CORE}.PodSpec`), 2, 'Desired state of the pod.'),
      status: field(ref(`${CORE}.PodStatus`), 3, 'Observed state of the pod.'),
    },
  },
  [`${CORE}.PodStatus`]: {
    description: 'Observed state of a pod.',
    fields: {
      phase: field('string', 1, 'Lifecycle phase.', { enum: ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'] }),
      startTime: field('date-time', 7, 'When the kubelet accepted the pod.'),
      conditions: mergeList(ref(`${CORE}.PodCondition`), 2, 'Current conditions.', 'type'),
    },
  },
  [`${CORE}.PodCondition`]: {
    description: 'One condition of a pod.',
    fields: {
      type: field('string', 1, 'Condition type.', { required: true }),
      status: field('string', 2, 'True, False or Unknown.', { required: true }),
      lastTransitionTime: field('date-time', 4, 'When the status last changed.'),
    },
  },
  [`${CORE}.PodList`]: listType(`${CORE}.Pod`, { group: '', version: 'v1', kind: 'PodList' }, 'A list of pods.'),
  [`${CORE}.ConfigMapList`]: listType(`${CORE}.ConfigMap`, { group: '', version: 'v1', kind: 'ConfigMapList' }, 'A list of config maps.'),
  'io.k8s.api.policy.v1.Eviction': {
    description: 'Asks for a pod to be evicted, respecting disruption budgets.',
    gvk: [{ group: 'policy', version: 'v1', kind: 'Eviction' }],
    fields: { ...objectHeader(), deleteOptions: field(ref(`${META}.DeleteOptions`), 2, 'Options for the deletion.') },
  },
  'io.k8s.api.autoscaling.v1.Scale': {
    description: 'The scale of a resource.',
    gvk: [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }],
    fields: {
      ...objectHeader(),
      spec: field(ref('io.k8s.api.autoscaling.v1.ScaleSpec'), 2, 'Desired scale.'),
    },
  },
  'io.k8s.api.autoscaling.v1.ScaleSpec': {
    description: 'Desired scale.',
    fields: { replicas: field('int32', 1, 'Desired replicas.') },
  },
};

const core = defineGroup('', 'v1');
const apps = defineGroup('apps', 'v1');

export const sampleResources: ResourceDescription[] = [
  core({ kind: 'ConfigMap', plural: 'configmaps', scope: 'Namespaced', shortNames: ['cm'] }),
  core({ kind: 'Namespace', plural: 'namespaces', scope: 'Cluster', shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: { status: true } }),
  core({
    kind: 'Pod',
    plural: 'pods',
    scope: 'Namespaced',
    shortNames: ['po'],
    subresources: {
      status: true,
      others: [
        { name: 'eviction', kind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
        { name: 'exec', kind: { group: '', version: 'v1', kind: 'PodExecOptions' }, verbs: ['create', 'get'] },
        { name: 'log', kind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get'] },
      ],
    },
  }),
  apps({
    kind: 'Deployment',
    plural: 'deployments',
    scope: 'Namespaced',
    shortNames: ['deploy'],
    subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
  }),
  {
    group: 'stable.example.com',
    version: 'v1',
    kind: 'CronTab',
    listKind: 'CronTabList',
    plural: 'crontabs',
    singular: 'crontab',
    scope: 'Namespaced',
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: { status: true },
    printerColumns: [],
  },
];
