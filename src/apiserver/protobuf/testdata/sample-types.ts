// A small TypeDefs for tests: the types kubectl 1.33 sends as protobuf, with their upstream
// protobuf field numbers, trimmed to the fields these tests exercise.
import { META, arrayOf, field, mapOf, mergeList, objectHeader, ref, type TypeDefs } from '../../../api/schema/model.ts';

const CORE = 'io.k8s.api.core.v1';
const APPS = 'io.k8s.api.apps.v1';
const BATCH = 'io.k8s.api.batch.v1';
const AUTHZ = 'io.k8s.api.authorization.v1';
const AUTHN = 'io.k8s.api.authentication.v1';

export const sampleTypes: TypeDefs = {
  [`${META}.ObjectMeta`]: {
    description: 'Metadata every persisted object carries.',
    fields: {
      name: field('string', 1, 'Unique name within the namespace.'),
      generateName: field('string', 2, 'Prefix for a server-generated name.'),
      namespace: field('string', 3, 'Namespace the object lives in.'),
      uid: field('string', 5, 'Unique id for the lifetime of the object.'),
      resourceVersion: field('string', 6, 'Opaque version for concurrency control.'),
      generation: field('int64', 7, 'Sequence number of spec changes.'),
      creationTimestamp: field('date-time', 8, 'When the object was created.'),
      deletionTimestamp: field('date-time', 9, 'When the object will be deleted.'),
      deletionGracePeriodSeconds: field('int64', 10, 'Grace period before deletion.'),
      labels: field(mapOf('string'), 11, 'Labels for selection.'),
      annotations: field(mapOf('string'), 12, 'Free-form annotations.'),
      ownerReferences: mergeList(ref(`${META}.OwnerReference`), 13, 'Owners of this object.', 'uid'),
      finalizers: field(arrayOf('string'), 14, 'Finalizers to run before deletion.', { patchStrategy: 'merge', listType: 'set' }),
      managedFields: field(arrayOf(ref(`${META}.ManagedFieldsEntry`)), 17, 'Field ownership records.', { listType: 'atomic' }),
    },
  },
  [`${META}.OwnerReference`]: {
    description: 'A pointer to an owning object.',
    structType: 'atomic',
    fields: {
      apiVersion: field('string', 5, 'API version of the owner.', { required: true }),
      kind: field('string', 1, 'Kind of the owner.', { required: true }),
      name: field('string', 3, 'Name of the owner.', { required: true }),
      uid: field('string', 4, 'UID of the owner.', { required: true }),
      controller: field('boolean', 6, 'Whether the owner is the managing controller.'),
      blockOwnerDeletion: field('boolean', 7, 'Whether the owner waits for this object on foreground deletion.'),
    },
  },
  [`${META}.ManagedFieldsEntry`]: {
    description: 'One manager\'s set of owned fields.',
    fields: {
      manager: field('string', 1, 'The manager.'),
      operation: field('string', 2, 'Apply or Update.'),
      apiVersion: field('string', 3, 'Version the field set is in.'),
      time: field('date-time', 4, 'When the entry was last changed.'),
      fieldsType: field('string', 6, 'Format of fieldsV1.'),
      fieldsV1: field('any', 7, 'The owned field set.'),
    },
  },
  [`${META}.LabelSelector`]: {
    description: 'Selects objects by their labels.',
    structType: 'atomic',
    fields: {
      matchLabels: field(mapOf('string'), 1, 'Labels that must match exactly.'),
    },
  },
  [`${CORE}.ConfigMap`]: {
    description: 'Configuration data for pods to consume.',
    gvk: [{ group: '', version: 'v1', kind: 'ConfigMap' }],
    fields: {
      ...objectHeader(),
      immutable: field('boolean', 4, 'When true, data cannot change.'),
      data: field(mapOf('string'), 2, 'UTF-8 configuration data.'),
      binaryData: field(mapOf('bytes'), 3, 'Binary configuration data.'),
    },
  },
  [`${CORE}.Secret`]: {
    description: 'Secret data for pods to consume.',
    gvk: [{ group: '', version: 'v1', kind: 'Secret' }],
    fields: {
      ...objectHeader(),
      immutable: field('boolean', 5, 'When true, data cannot change.'),
      data: field(mapOf('bytes'), 2, 'Secret values, base64 in JSON.'),
      stringData: field(mapOf('string'), 4, 'Write-only plain-text values.'),
      type: field('string', 3, 'How the data is used.'),
    },
  },
  [`${CORE}.Namespace`]: {
    description: 'A scope for names.',
    gvk: [{ group: '', version: 'v1', kind: 'Namespace' }],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${CORE}.NamespaceSpec`), 2, 'Desired behaviour.'),
      status: field(ref(`${CORE}.NamespaceStatus`), 3, 'Observed state.'),
    },
  },
  [`${CORE}.NamespaceSpec`]: {
    description: 'Desired behaviour of a namespace.',
    fields: { finalizers: field(arrayOf('string'), 1, 'Finalizers to run before removal.', { listType: 'atomic' }) },
  },
  [`${CORE}.NamespaceStatus`]: {
    description: 'Observed state of a namespace.',
    fields: { phase: field('string', 1, 'Active or Terminating.') },
  },
  [`${CORE}.Service`]: {
    description: 'A named set of ports backed by pods.',
    gvk: [{ group: '', version: 'v1', kind: 'Service' }],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${CORE}.ServiceSpec`), 2, 'Desired behaviour.'),
    },
  },
  [`${CORE}.ServiceSpec`]: {
    description: 'Desired behaviour of a service.',
    fields: {
      ports: field(arrayOf(ref(`${CORE}.ServicePort`)), 1, 'Exposed ports.', { patchStrategy: 'merge', patchMergeKey: 'port', listType: 'map', listMapKeys: ['port', 'protocol'] }),
      selector: field(mapOf('string'), 2, 'Pods to route to.', { mapType: 'atomic' }),
      clusterIP: field('string', 3, 'Virtual IP.'),
      type: field('string', 4, 'How the service is exposed.', { enum: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] }),
      allocateLoadBalancerNodePorts: field('boolean', 20, 'Whether to allocate node ports for load balancers.'),
    },
  },
  [`${CORE}.ServicePort`]: {
    description: 'One port of a service.',
    fields: {
      name: field('string', 1, 'Port name.'),
      protocol: field('string', 2, 'TCP, UDP or SCTP.'),
      port: field('int32', 3, 'Service port.', { required: true }),
      targetPort: field('int-or-string', 4, 'Port on the pods.'),
      nodePort: field('int32', 5, 'Port on each node.'),
    },
  },
  [`${CORE}.PodTemplateSpec`]: {
    description: 'Template for pods.',
    fields: {
      metadata: field(ref(`${META}.ObjectMeta`), 1, 'Pod metadata.'),
      spec: field(ref(`${CORE}.PodSpec`), 2, 'Pod spec.'),
    },
  },
  [`${CORE}.PodSpec`]: {
    description: 'Desired state of a pod.',
    fields: {
      containers: mergeList(ref(`${CORE}.Container`), 2, 'Containers of the pod.', 'name', { required: true }),
      restartPolicy: field('string', 3, 'Restart policy.'),
      terminationGracePeriodSeconds: field('int64', 4, 'Grace period on termination.'),
      nodeSelector: field(mapOf('string'), 7, 'Node labels the pod requires.', { mapType: 'atomic' }),
      automountServiceAccountToken: field('boolean', 21, 'Whether to mount a token.'),
    },
  },
  [`${CORE}.Container`]: {
    description: 'A container in a pod.',
    fields: {
      name: field('string', 1, 'Container name.', { required: true }),
      image: field('string', 2, 'Image reference.'),
      command: field(arrayOf('string'), 3, 'Entrypoint.', { listType: 'atomic' }),
      args: field(arrayOf('string'), 4, 'Arguments.', { listType: 'atomic' }),
      ports: field(arrayOf(ref(`${CORE}.ContainerPort`)), 6, 'Ports.', { patchStrategy: 'merge', patchMergeKey: 'containerPort', listType: 'map', listMapKeys: ['containerPort', 'protocol'] }),
      resources: field(ref(`${CORE}.ResourceRequirements`), 8, 'Compute resources.'),
      terminationMessagePath: field('string', 13, 'Where the termination message is written.'),
      imagePullPolicy: field('string', 14, 'When to pull the image.'),
      stdin: field('boolean', 16, 'Whether to keep stdin open.'),
      tty: field('boolean', 18, 'Whether to allocate a TTY.'),
    },
  },
  [`${CORE}.ContainerPort`]: {
    description: 'A port on a container.',
    fields: {
      name: field('string', 1, 'Port name.'),
      hostPort: field('int32', 2, 'Port on the host.'),
      containerPort: field('int32', 3, 'Port in the container.', { required: true }),
      protocol: field('string', 4, 'Protocol.'),
    },
  },
  [`${CORE}.ResourceRequirements`]: {
    description: 'Compute resource requirements.',
    fields: {
      limits: field(mapOf('quantity'), 1, 'Maximum resources.'),
      requests: field(mapOf('quantity'), 2, 'Minimum resources.'),
    },
  },
  [`${APPS}.Deployment`]: {
    description: 'Declarative updates for pods and replica sets.',
    gvk: [{ group: 'apps', version: 'v1', kind: 'Deployment' }],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${APPS}.DeploymentSpec`), 2, 'Desired behaviour.'),
    },
  },
  [`${APPS}.DeploymentSpec`]: {
    description: 'Desired behaviour of a deployment.',
    fields: {
      replicas: field('int32', 1, 'Desired pod count.'),
      selector: field(ref(`${META}.LabelSelector`), 2, 'Pods this deployment manages.', { required: true }),
      template: field(ref(`${CORE}.PodTemplateSpec`), 3, 'Pod template.', { required: true }),
      strategy: field(ref(`${APPS}.DeploymentStrategy`), 4, 'Replacement strategy.'),
      minReadySeconds: field('int32', 5, 'Seconds before a pod counts as available.'),
      paused: field('boolean', 7, 'Whether rollouts are paused.'),
      progressDeadlineSeconds: field('int32', 9, 'Deadline for progress.'),
    },
  },
  [`${APPS}.DeploymentStrategy`]: {
    description: 'How pods are replaced.',
    fields: { type: field('string', 1, 'Recreate or RollingUpdate.') },
  },
  [`${BATCH}.Job`]: {
    description: 'A run-to-completion workload.',
    gvk: [{ group: 'batch', version: 'v1', kind: 'Job' }],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${BATCH}.JobSpec`), 2, 'Desired behaviour.'),
    },
  },
  [`${BATCH}.JobSpec`]: {
    description: 'Desired behaviour of a job.',
    fields: {
      parallelism: field('int32', 1, 'Pods running at once.'),
      completions: field('int32', 2, 'Successful pods needed.'),
      backoffLimit: field('int32', 7, 'Retries before failing.'),
      template: field(ref(`${CORE}.PodTemplateSpec`), 6, 'Pod template.', { required: true }),
      suspend: field('boolean', 10, 'Whether the job is suspended.'),
    },
  },
  [`${AUTHZ}.SelfSubjectAccessReview`]: {
    description: 'Asks whether the caller may perform an action.',
    gvk: [{ group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview' }],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${AUTHZ}.SelfSubjectAccessReviewSpec`), 2, 'The question.', { required: true }),
      status: field(ref(`${AUTHZ}.SubjectAccessReviewStatus`), 3, 'The answer.'),
    },
  },
  [`${AUTHZ}.SelfSubjectAccessReviewSpec`]: {
    description: 'The action asked about.',
    fields: {
      resourceAttributes: field(ref(`${AUTHZ}.ResourceAttributes`), 1, 'A resource action.'),
    },
  },
  [`${AUTHZ}.ResourceAttributes`]: {
    description: 'A resource action.',
    fields: {
      namespace: field('string', 1, 'Namespace.'),
      verb: field('string', 2, 'Verb.'),
      group: field('string', 3, 'API group.'),
      version: field('string', 4, 'API version.'),
      resource: field('string', 5, 'Resource.'),
      subresource: field('string', 6, 'Subresource.'),
      name: field('string', 7, 'Name.'),
    },
  },
  [`${AUTHZ}.SubjectAccessReviewStatus`]: {
    description: 'The answer to an access review.',
    fields: {
      allowed: field('boolean', 1, 'Whether the action is allowed.', { required: true }),
      reason: field('string', 2, 'Why.'),
      evaluationError: field('string', 3, 'Error while deciding.'),
      denied: field('boolean', 4, 'Whether the action is denied.'),
    },
  },
  [`${AUTHN}.TokenRequest`]: {
    description: 'Requests a service account token.',
    gvk: [{ group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${AUTHN}.TokenRequestSpec`), 2, 'The request.', { required: true }),
    },
  },
  [`${AUTHN}.TokenRequestSpec`]: {
    description: 'Token parameters.',
    fields: {
      audiences: field(arrayOf('string'), 1, 'Audiences.', { listType: 'atomic' }),
      expirationSeconds: field('int64', 4, 'Requested lifetime.'),
    },
  },
  [`${AUTHN}.SelfSubjectReview`]: {
    description: 'Asks who the caller is.',
    gvk: [{ group: 'authentication.k8s.io', version: 'v1', kind: 'SelfSubjectReview' }],
    fields: {
      ...objectHeader(),
      status: field(ref(`${AUTHN}.SelfSubjectReviewStatus`), 2, 'The answer.'),
    },
  },
  [`${AUTHN}.SelfSubjectReviewStatus`]: {
    description: 'The caller\'s identity.',
    fields: { userInfo: field(ref(`${AUTHN}.UserInfo`), 1, 'The user.') },
  },
  [`${AUTHN}.UserInfo`]: {
    description: 'A user.',
    fields: {
      username: field('string', 1, 'Name.'),
      uid: field('string', 2, 'UID.'),
      groups: field(arrayOf('string'), 3, 'Groups.', { listType: 'atomic' }),
      extra: field(mapOf(arrayOf('string')), 4, 'Extra attributes.'),
    },
  },
  // Not an upstream type: one field of every scalar kind, for round-trip tests.
  'test.v1.Everything': {
    description: 'Every scalar kind.',
    fields: {
      text: field('string', 1, ''),
      flag: field('boolean', 2, ''),
      small: field('int32', 3, ''),
      big: field('int64', 4, ''),
      ratio: field('number', 5, ''),
      blob: field('bytes', 6, ''),
      size: field('quantity', 7, ''),
      port: field('int-or-string', 8, ''),
      when: field('date-time', 9, ''),
      whenMicro: field('micro-time', 10, ''),
      timeout: field('duration', 11, ''),
      extra: field('any', 12, ''),
      counts: field(arrayOf('int32'), 13, ''),
      matrix: field(arrayOf(arrayOf('string')), 14, ''),
      byName: field(mapOf(ref(`${CORE}.ContainerPort`)), 15, ''),
    },
  },
};

/** The type name for an apiVersion/kind among the sample types. */
export function sampleTypeNameFor(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const pkg = group === '' ? 'core' : group!.replace(/\.k8s\.io$/, '');
  const name = `io.k8s.api.${pkg}.${version}.${kind}`;
  return sampleTypes[name] ? name : undefined;
}
