// Per-namespace resource policy: LimitRange and ResourceQuota.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api v0.33 (Kubernetes 1.33).
import type { TypeDefs } from '../model.ts';
import { field, arrayOf, mapOf, objectHeader, listType } from '../model.ts';
import { core } from './names.ts';

export const quotaTypes: TypeDefs = {
  'io.k8s.api.core.v1.LimitRange': {
    description: 'Default, minimum and maximum resource amounts per object kind in a namespace.',
    gvk: [{ group: '', version: 'v1', kind: 'LimitRange' }],
    fields: {
      ...objectHeader(),
      spec: field(core('LimitRangeSpec'), 2, 'The limits to enforce.'),
    },
  },
  'io.k8s.api.core.v1.LimitRangeList': listType('io.k8s.api.core.v1.LimitRange', { group: '', version: 'v1', kind: 'LimitRangeList' }, 'A list of LimitRanges.'),
  'io.k8s.api.core.v1.LimitRangeSpec': {
    description: 'The limits a LimitRange enforces.',
    fields: {
      limits: field(arrayOf(core('LimitRangeItem')), 1, 'Limits by object kind.', { required: true, listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.LimitRangeItem': {
    description: 'Resource limits for one kind of object.',
    fields: {
      type: field('string', 1, 'Kind of object the limits apply to: Pod, Container or PersistentVolumeClaim.', { required: true }),
      max: field(mapOf('quantity'), 2, 'Highest usage allowed per resource.'),
      min: field(mapOf('quantity'), 3, 'Lowest usage allowed per resource.'),
      default: field(mapOf('quantity'), 4, 'Limit applied when a container sets none.'),
      defaultRequest: field(mapOf('quantity'), 5, 'Request applied when a container sets none.'),
      maxLimitRequestRatio: field(mapOf('quantity'), 6, 'Largest allowed ratio of limit to request per resource.'),
    },
  },
  'io.k8s.api.core.v1.ResourceQuota': {
    description: 'Caps aggregate resource usage in a namespace.',
    gvk: [{ group: '', version: 'v1', kind: 'ResourceQuota' }],
    fields: {
      ...objectHeader(),
      spec: field(core('ResourceQuotaSpec'), 2, "The quota's limits."),
      status: field(core('ResourceQuotaStatus'), 3, 'Current limits and usage.'),
    },
  },
  'io.k8s.api.core.v1.ResourceQuotaList': listType('io.k8s.api.core.v1.ResourceQuota', { group: '', version: 'v1', kind: 'ResourceQuotaList' }, 'A list of ResourceQuotas.'),
  'io.k8s.api.core.v1.ResourceQuotaSpec': {
    description: 'Desired limits of a quota.',
    fields: {
      hard: field(mapOf('quantity'), 1, 'Maximum allowed total per named resource.'),
      scopes: field(arrayOf('string'), 2, 'Only objects matching every scope are counted; none means all objects.', { listType: 'atomic' }),
      scopeSelector: field(core('ScopeSelector'), 3, 'Scope filter as expressions; combined with scopes by AND.'),
    },
  },
  'io.k8s.api.core.v1.ResourceQuotaStatus': {
    description: 'Enforced limits and current usage of a quota.',
    fields: {
      hard: field(mapOf('quantity'), 1, 'Limits currently enforced.'),
      used: field(mapOf('quantity'), 2, 'Current observed total usage per resource in the namespace.'),
    },
  },
  'io.k8s.api.core.v1.ScopeSelector': {
    description: 'Scope filter expressions for a quota; all must hold.',
    structType: 'atomic',
    fields: {
      matchExpressions: field(arrayOf(core('ScopedResourceSelectorRequirement')), 1, 'Scope requirements.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.ScopedResourceSelectorRequirement': {
    description: 'One scope requirement: a scope name, an operator and values.',
    fields: {
      scopeName: field('string', 1, 'The scope the requirement applies to.', { required: true, enum: ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating', 'VolumeAttributesClass'] }),
      operator: field('string', 2, 'How the scope relates to the values: In, NotIn, Exists, DoesNotExist.', { required: true, enum: ['DoesNotExist', 'Exists', 'In', 'NotIn'] }),
      values: field(arrayOf('string'), 3, 'Values for In and NotIn (must be non-empty); must be empty for Exists and DoesNotExist.', { listType: 'atomic' }),
    },
  },
};
