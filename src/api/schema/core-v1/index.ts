// The core/v1 (legacy group "") built-in types, gathered from the per-theme files.
import type { TypeDefs } from '../model.ts';
import type { ProtoEmbed } from './embedding.ts';
import { configTypes } from './config.ts';
import { containerTypes } from './container.ts';
import { eventTypes } from './event.ts';
import { legacyVolumeTypes } from './legacy-volume.ts';
import { namespaceTypes } from './namespace.ts';
import { nodeTypes } from './node.ts';
import { persistentVolumeTypes } from './persistent-volume.ts';
import { podTypes } from './pod.ts';
import { quotaTypes } from './quota.ts';
import { referenceTypes } from './references.ts';
import { replicationControllerTypes } from './replication-controller.ts';
import { schedulingTypes } from './scheduling.ts';
import { securityTypes } from './security.ts';
import { serviceTypes } from './service.ts';
import { volumeTypes } from './volume.ts';

export type { ProtoEmbed } from './embedding.ts';
export { inlined } from './embedding.ts';

export const coreV1Types: TypeDefs = {
  ...referenceTypes,
  ...podTypes,
  ...containerTypes,
  ...securityTypes,
  ...schedulingTypes,
  ...volumeTypes,
  ...legacyVolumeTypes,
  ...persistentVolumeTypes,
  ...serviceTypes,
  ...nodeTypes,
  ...configTypes,
  ...namespaceTypes,
  ...eventTypes,
  ...quotaTypes,
  ...replicationControllerTypes,
};

/**
 * Types that embed another struct inline (see embedding.ts): their flat JSON fields without a proto number live,
 * in protobuf, inside the nested message at `proto`, decoded as `type`.
 */
export const coreV1ProtoEmbeds: Record<string, ProtoEmbed[]> = {
  'io.k8s.api.core.v1.Volume': [{ proto: 2, type: 'io.k8s.api.core.v1.VolumeSource' }],
  'io.k8s.api.core.v1.PersistentVolumeSpec': [{ proto: 2, type: 'io.k8s.api.core.v1.PersistentVolumeSource' }],
  'io.k8s.api.core.v1.Probe': [{ proto: 1, type: 'io.k8s.api.core.v1.ProbeHandler' }],
  'io.k8s.api.core.v1.EphemeralContainer': [{ proto: 1, type: 'io.k8s.api.core.v1.EphemeralContainerCommon' }],
  'io.k8s.api.core.v1.ConfigMapVolumeSource': [{ proto: 1, type: 'io.k8s.api.core.v1.LocalObjectReference' }],
  'io.k8s.api.core.v1.ConfigMapProjection': [{ proto: 1, type: 'io.k8s.api.core.v1.LocalObjectReference' }],
  'io.k8s.api.core.v1.SecretProjection': [{ proto: 1, type: 'io.k8s.api.core.v1.LocalObjectReference' }],
  'io.k8s.api.core.v1.ConfigMapEnvSource': [{ proto: 1, type: 'io.k8s.api.core.v1.LocalObjectReference' }],
  'io.k8s.api.core.v1.SecretEnvSource': [{ proto: 1, type: 'io.k8s.api.core.v1.LocalObjectReference' }],
  'io.k8s.api.core.v1.ConfigMapKeySelector': [{ proto: 1, type: 'io.k8s.api.core.v1.LocalObjectReference' }],
  'io.k8s.api.core.v1.SecretKeySelector': [{ proto: 1, type: 'io.k8s.api.core.v1.LocalObjectReference' }],
};
