// Test data: a slice of the built-in types with upstream's patch and list facts, so the
// patch tests run before the full schema definitions land. Field numbers are omitted.
import type { Field, TypeDefs, TypeRef } from '../../api/schema/model.ts';

const CORE = 'io.k8s.api.core.v1';
const APPS = 'io.k8s.api.apps.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const f = (type: TypeRef, extras: Omit<Field, 'type'> = {}): Field => ({ type, ...extras });
const s: TypeRef = 'string';
const i32: TypeRef = 'int32';
const ref = (name: string): TypeRef => ({ ref: name });
const arr = (t: TypeRef): TypeRef => ({ array: t });
const map = (t: TypeRef): TypeRef => ({ map: t });
const byName = (item: string, strategy = 'merge'): Field =>
  f(arr(ref(item)), { patchStrategy: strategy, patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] });
const header = { apiVersion: f(s), kind: f(s), metadata: f(ref(`${META}.ObjectMeta`)) };

export const SAMPLE_TYPES: TypeDefs = {
  [`${META}.ObjectMeta`]: {
    description: '',
    fields: {
      name: f(s), generateName: f(s), namespace: f(s), uid: f(s), resourceVersion: f(s), generation: f('int64'),
      creationTimestamp: f('date-time'), deletionTimestamp: f('date-time'),
      labels: f(map(s)), annotations: f(map(s)),
      ownerReferences: f(arr(ref(`${META}.OwnerReference`)), { patchStrategy: 'merge', patchMergeKey: 'uid', listType: 'map', listMapKeys: ['uid'] }),
      finalizers: f(arr(s), { patchStrategy: 'merge', listType: 'set' }),
      managedFields: f(arr(ref(`${META}.ManagedFieldsEntry`)), { listType: 'atomic' }),
    },
  },
  [`${META}.OwnerReference`]: {
    description: '', structType: 'atomic',
    fields: { apiVersion: f(s), kind: f(s), name: f(s), uid: f(s), controller: f('boolean'), blockOwnerDeletion: f('boolean') },
  },
  [`${META}.ManagedFieldsEntry`]: {
    description: '',
    fields: { manager: f(s), operation: f(s), apiVersion: f(s), time: f('date-time'), fieldsType: f(s), fieldsV1: f('any'), subresource: f(s) },
  },
  [`${META}.LabelSelector`]: {
    description: '', structType: 'atomic',
    fields: { matchLabels: f(map(s)), matchExpressions: f(arr(ref(`${META}.LabelSelectorRequirement`)), { listType: 'atomic' }) },
  },
  [`${META}.LabelSelectorRequirement`]: { description: '', fields: { key: f(s), operator: f(s), values: f(arr(s), { listType: 'atomic' }) } },
  [`${CORE}.Pod`]: {
    description: '', gvk: [{ group: '', version: 'v1', kind: 'Pod' }],
    fields: { ...header, spec: f(ref(`${CORE}.PodSpec`)), status: f(ref(`${CORE}.PodStatus`)) },
  },
  [`${CORE}.PodStatus`]: {
    description: '',
    fields: {
      phase: f(s), podIP: f(s),
      conditions: f(arr(ref(`${CORE}.PodCondition`)), { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] }),
    },
  },
  [`${CORE}.PodCondition`]: { description: '', fields: { type: f(s), status: f(s), reason: f(s) } },
  [`${CORE}.PodTemplateSpec`]: { description: '', fields: { metadata: f(ref(`${META}.ObjectMeta`)), spec: f(ref(`${CORE}.PodSpec`)) } },
  [`${CORE}.PodSpec`]: {
    description: '',
    fields: {
      volumes: byName(`${CORE}.Volume`, 'merge,retainKeys'),
      initContainers: byName(`${CORE}.Container`),
      containers: byName(`${CORE}.Container`),
      restartPolicy: f(s), terminationGracePeriodSeconds: f('int64'), dnsPolicy: f(s), serviceAccountName: f(s), nodeName: f(s),
      nodeSelector: f(map(s), { mapType: 'atomic' }),
      imagePullSecrets: f(arr(ref(`${CORE}.LocalObjectReference`)), { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] }),
      tolerations: f(arr(ref(`${CORE}.Toleration`)), { listType: 'atomic' }),
      hostAliases: f(arr(ref(`${CORE}.HostAlias`)), { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'map', listMapKeys: ['ip'] }),
      securityContext: f(ref(`${CORE}.PodSecurityContext`)),
    },
  },
  [`${CORE}.PodSecurityContext`]: { description: '', fields: { runAsUser: f('int64'), runAsNonRoot: f('boolean') } },
  [`${CORE}.HostAlias`]: { description: '', fields: { ip: f(s), hostnames: f(arr(s), { listType: 'atomic' }) } },
  [`${CORE}.LocalObjectReference`]: { description: '', structType: 'atomic', fields: { name: f(s) } },
  [`${CORE}.Toleration`]: {
    description: '', fields: { key: f(s), operator: f(s), value: f(s), effect: f(s), tolerationSeconds: f('int64') },
  },
  [`${CORE}.Container`]: {
    description: '',
    fields: {
      name: f(s), image: f(s), imagePullPolicy: f(s),
      command: f(arr(s), { listType: 'atomic' }), args: f(arr(s), { listType: 'atomic' }),
      ports: f(arr(ref(`${CORE}.ContainerPort`)), { patchStrategy: 'merge', patchMergeKey: 'containerPort', listType: 'map', listMapKeys: ['containerPort', 'protocol'] }),
      env: byName(`${CORE}.EnvVar`),
      volumeMounts: f(arr(ref(`${CORE}.VolumeMount`)), { patchStrategy: 'merge', patchMergeKey: 'mountPath', listType: 'map', listMapKeys: ['mountPath'] }),
      resources: f(ref(`${CORE}.ResourceRequirements`)),
    },
  },
  [`${CORE}.ContainerPort`]: {
    description: '', fields: { name: f(s), hostPort: f(i32), containerPort: f(i32), protocol: f(s, { default: 'TCP' }), hostIP: f(s) },
  },
  [`${CORE}.EnvVar`]: { description: '', fields: { name: f(s), value: f(s), valueFrom: f(ref(`${CORE}.EnvVarSource`)) } },
  [`${CORE}.EnvVarSource`]: { description: '', fields: { fieldRef: f(ref(`${CORE}.ObjectFieldSelector`)) } },
  [`${CORE}.ObjectFieldSelector`]: { description: '', structType: 'atomic', fields: { apiVersion: f(s), fieldPath: f(s) } },
  [`${CORE}.VolumeMount`]: { description: '', fields: { name: f(s), mountPath: f(s), readOnly: f('boolean') } },
  [`${CORE}.ResourceRequirements`]: { description: '', fields: { limits: f(map('quantity')), requests: f(map('quantity')) } },
  [`${CORE}.Volume`]: {
    description: '',
    fields: {
      name: f(s), emptyDir: f(ref(`${CORE}.EmptyDirVolumeSource`)), hostPath: f(ref(`${CORE}.HostPathVolumeSource`)),
      configMap: f(ref(`${CORE}.ConfigMapVolumeSource`)), secret: f(ref(`${CORE}.SecretVolumeSource`)),
    },
  },
  [`${CORE}.EmptyDirVolumeSource`]: { description: '', fields: { medium: f(s), sizeLimit: f('quantity') } },
  [`${CORE}.HostPathVolumeSource`]: { description: '', fields: { path: f(s), type: f(s) } },
  [`${CORE}.ConfigMapVolumeSource`]: { description: '', fields: { name: f(s), defaultMode: f(i32), optional: f('boolean') } },
  [`${CORE}.SecretVolumeSource`]: { description: '', fields: { secretName: f(s), defaultMode: f(i32) } },
  [`${APPS}.Deployment`]: {
    description: '', gvk: [{ group: 'apps', version: 'v1', kind: 'Deployment' }],
    fields: { ...header, spec: f(ref(`${APPS}.DeploymentSpec`)), status: f(ref(`${APPS}.DeploymentStatus`)) },
  },
  [`${APPS}.DeploymentSpec`]: {
    description: '',
    fields: {
      replicas: f(i32), selector: f(ref(`${META}.LabelSelector`)), template: f(ref(`${CORE}.PodTemplateSpec`)),
      strategy: f(ref(`${APPS}.DeploymentStrategy`), { patchStrategy: 'retainKeys' }),
      minReadySeconds: f(i32), revisionHistoryLimit: f(i32), paused: f('boolean'), progressDeadlineSeconds: f(i32),
    },
  },
  [`${APPS}.DeploymentStrategy`]: { description: '', fields: { type: f(s), rollingUpdate: f(ref(`${APPS}.RollingUpdateDeployment`)) } },
  [`${APPS}.RollingUpdateDeployment`]: { description: '', fields: { maxUnavailable: f('int-or-string'), maxSurge: f('int-or-string') } },
  [`${APPS}.DeploymentStatus`]: {
    description: '',
    fields: {
      replicas: f(i32), readyReplicas: f(i32), observedGeneration: f('int64'),
      conditions: f(arr(ref(`${APPS}.DeploymentCondition`)), { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] }),
    },
  },
  [`${APPS}.DeploymentCondition`]: { description: '', fields: { type: f(s), status: f(s), reason: f(s), message: f(s) } },
};

export const POD = `${CORE}.Pod`;
export const DEPLOYMENT = `${APPS}.Deployment`;
