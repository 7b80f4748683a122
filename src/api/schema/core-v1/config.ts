// Configuration and identity kinds: ConfigMap, Secret, ServiceAccount.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api v0.33 (Kubernetes 1.33).
import type { TypeDefs } from '../model.ts';
import { field, arrayOf, mapOf, mergeList, objectHeader, listType } from '../model.ts';
import { core } from './names.ts';

export const configTypes: TypeDefs = {
  'io.k8s.api.core.v1.ConfigMap': {
    description: 'Non-secret configuration data for pods to consume, as strings or bytes.',
    gvk: [{ group: '', version: 'v1', kind: 'ConfigMap' }],
    fields: {
      ...objectHeader(),
      immutable: field('boolean', 4, 'When true, the data can no longer be changed; only deletion is allowed. Lets nodes stop watching it.'),
      data: field(mapOf('string'), 2, "UTF-8 string values by key. Keys are letters, digits, '-', '_' or '.', and must not repeat a key of binaryData."),
      binaryData: field(mapOf('bytes'), 3, 'Byte values by key, for content that is not UTF-8. Keys must not repeat a key of data.'),
    },
  },
  'io.k8s.api.core.v1.ConfigMapList': listType('io.k8s.api.core.v1.ConfigMap', { group: '', version: 'v1', kind: 'ConfigMapList' }, 'A list of ConfigMaps.'),
  'io.k8s.api.core.v1.Secret': {
    description: 'Sensitive data, such as passwords, tokens or keys, stored apart from the pods that use it.',
    gvk: [{ group: '', version: 'v1', kind: 'Secret' }],
    fields: {
      ...objectHeader(),
      immutable: field('boolean', 5, 'When true, the data can no longer be changed; only deletion is allowed.'),
      data: field(mapOf('bytes'), 2, "Secret values by key, base64-encoded in JSON. Keys are letters, digits, '-', '_' or '.'."),
      stringData: field(mapOf('string'), 4, 'Write-only convenience: string values merged into data on write, overriding the same keys. Never returned on read.'),
      type: field('string', 3, 'Kind of secret, used to check its content (for example Opaque, kubernetes.io/tls, kubernetes.io/dockerconfigjson).'),
    },
  },
  'io.k8s.api.core.v1.SecretList': listType('io.k8s.api.core.v1.Secret', { group: '', version: 'v1', kind: 'SecretList' }, 'A list of Secrets.'),
  'io.k8s.api.core.v1.ServiceAccount': {
    description: 'An identity for processes running in pods, with the secrets and pull credentials tied to it.',
    gvk: [{ group: '', version: 'v1', kind: 'ServiceAccount' }],
    fields: {
      ...objectHeader(),
      secrets: mergeList(core('ObjectReference'), 2, 'Secrets pods of this account may use. Deprecated for auto-generated tokens; the kubernetes.io/enforce-mountable-secrets annotation restricts mounting to these.', 'name'),
      imagePullSecrets: field(arrayOf(core('LocalObjectReference')), 3, 'Secrets holding registry credentials, added to pods that use this account.', { listType: 'atomic' }),
      automountServiceAccountToken: field('boolean', 4, "Whether pods using this account get an API token mounted automatically; a pod's own setting overrides it."),
    },
  },
  'io.k8s.api.core.v1.ServiceAccountList': listType('io.k8s.api.core.v1.ServiceAccount', { group: '', version: 'v1', kind: 'ServiceAccountList' }, 'A list of ServiceAccounts.'),
};
