// References from one object to another, and the Binding and ComponentStatus kinds built on them.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api v0.33 (Kubernetes 1.33).
import type { TypeDef, TypeDefs } from '../model.ts';
import { field, mergeList, objectHeader, listType } from '../model.ts';
import { core } from './names.ts';

export const localObjectReference: TypeDef = {
  description: 'Names an object in the same namespace.',
  structType: 'atomic',
  fields: {
    name: field('string', 1, 'Name of the referenced object. An empty name is accepted for historical reasons but almost always a mistake.', { default: '' }),
  },
};

export const referenceTypes: TypeDefs = {
  'io.k8s.api.core.v1.ObjectReference': {
    description: 'Points at any object, with enough detail to find a precise version or a field inside it.',
    structType: 'atomic',
    fields: {
      kind: field('string', 1, 'Kind of the referenced object.'),
      namespace: field('string', 2, 'Namespace of the referenced object.'),
      name: field('string', 3, 'Name of the referenced object.'),
      uid: field('string', 4, 'UID of the referenced object.'),
      apiVersion: field('string', 5, 'API version of the referenced object.'),
      resourceVersion: field('string', 6, 'Specific resource version the reference is about, if any.'),
      fieldPath: field('string', 7, 'Path to a part of the object rather than the whole, such as spec.containers{app}.'),
    },
  },
  'io.k8s.api.core.v1.LocalObjectReference': localObjectReference,
  'io.k8s.api.core.v1.TypedLocalObjectReference': {
    description: 'Names an object of a given kind in the same namespace.',
    structType: 'atomic',
    fields: {
      apiGroup: field('string', 1, 'API group of the referenced kind; empty means the core group.'),
      kind: field('string', 2, 'Kind of the referenced object.', { required: true }),
      name: field('string', 3, 'Name of the referenced object.', { required: true }),
    },
  },
  'io.k8s.api.core.v1.TypedObjectReference': {
    description: 'Names an object of a given kind, possibly in another namespace.',
    fields: {
      apiGroup: field('string', 1, 'API group of the referenced kind; empty means the core group.'),
      kind: field('string', 2, 'Kind of the referenced object.', { required: true }),
      name: field('string', 3, 'Name of the referenced object.', { required: true }),
      namespace: field('string', 4, 'Namespace of the referenced object. Referring across namespaces needs a ReferenceGrant in that namespace and the CrossNamespaceVolumeDataSource feature.'),
    },
  },
  'io.k8s.api.core.v1.SecretReference': {
    description: 'Names a Secret, with the namespace it lives in.',
    structType: 'atomic',
    fields: {
      name: field('string', 1, 'Name of the Secret.'),
      namespace: field('string', 2, 'Namespace of the Secret.'),
    },
  },
  'io.k8s.api.core.v1.Binding': {
    description: 'Assigns an object to another; the scheduler posts it to bind a pod to a node.',
    gvk: [{ group: '', version: 'v1', kind: 'Binding' }],
    fields: {
      ...objectHeader(),
      target: field(core('ObjectReference'), 2, 'The object to bind to, normally a Node.', { required: true }),
    },
  },
  'io.k8s.api.core.v1.ComponentStatus': {
    description: 'Health of a control-plane component. Deprecated.',
    gvk: [{ group: '', version: 'v1', kind: 'ComponentStatus' }],
    fields: {
      ...objectHeader(),
      conditions: mergeList(core('ComponentCondition'), 2, 'Observed health conditions of the component.', 'type'),
    },
  },
  'io.k8s.api.core.v1.ComponentStatusList': listType('io.k8s.api.core.v1.ComponentStatus', { group: '', version: 'v1', kind: 'ComponentStatusList' }, 'A list of ComponentStatus objects. Deprecated.'),
  'io.k8s.api.core.v1.ComponentCondition': {
    description: 'One health observation of a component.',
    fields: {
      type: field('string', 1, 'Type of condition; only Healthy is defined.', { required: true }),
      status: field('string', 2, 'True, False or Unknown.', { required: true }),
      message: field('string', 3, "Message describing the component's state."),
      error: field('string', 4, 'Error seen when probing the component.'),
    },
  },
};
