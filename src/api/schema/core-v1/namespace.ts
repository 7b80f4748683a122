// The Namespace kind.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api v0.33 (Kubernetes 1.33).
import type { TypeDefs } from '../model.ts';
import { field, arrayOf, mergeList, objectHeader, listType } from '../model.ts';
import { core } from './names.ts';

export const namespaceTypes: TypeDefs = {
  'io.k8s.api.core.v1.Namespace': {
    description: 'A scope for names; most objects live in exactly one namespace.',
    gvk: [{ group: '', version: 'v1', kind: 'Namespace' }],
    fields: {
      ...objectHeader(),
      spec: field(core('NamespaceSpec'), 2, 'Desired behaviour of the namespace.'),
      status: field(core('NamespaceStatus'), 3, 'Observed state of the namespace.'),
    },
  },
  'io.k8s.api.core.v1.NamespaceList': listType('io.k8s.api.core.v1.Namespace', { group: '', version: 'v1', kind: 'NamespaceList' }, 'A list of Namespaces.'),
  'io.k8s.api.core.v1.NamespaceSpec': {
    description: 'Desired behaviour of a namespace.',
    fields: {
      finalizers: field(arrayOf('string'), 1, 'Cleanup steps that must finish before the namespace is removed from storage.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.NamespaceStatus': {
    description: 'Observed state of a namespace.',
    fields: {
      phase: field('string', 1, 'Lifecycle phase: Active or Terminating.', { enum: ['Active', 'Terminating'] }),
      conditions: mergeList(core('NamespaceCondition'), 2, "Latest observations about the namespace's state, mostly about its deletion.", 'type'),
    },
  },
  'io.k8s.api.core.v1.NamespaceCondition': {
    description: "One observation about a namespace's state.",
    fields: {
      type: field('string', 1, 'Type of condition, such as NamespaceDeletionContentFailure.', { required: true }),
      status: field('string', 2, 'True, False or Unknown.', { required: true }),
      lastTransitionTime: field('date-time', 4, 'When status last changed.'),
      reason: field('string', 5, 'Programmatic reason for the last transition.'),
      message: field('string', 6, 'Human-readable details of the last transition.'),
    },
  },
};
