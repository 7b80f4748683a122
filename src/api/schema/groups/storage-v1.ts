// storage.k8s.io/v1: StorageClass, CSIDriver, CSINode, CSIStorageCapacity and VolumeAttachment.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api 1.33 (generated.proto, types.go).
import type { GroupVersionKind, TypeDefs } from '../model.ts';
import { META, arrayOf, field, listType, mapOf, mergeList, objectHeader, ref } from '../model.ts';

const STORAGE = 'io.k8s.api.storage.v1';
const CORE = 'io.k8s.api.core.v1';
const gvk = (kind: string): GroupVersionKind => ({ group: 'storage.k8s.io', version: 'v1', kind });

export const storageV1Types: TypeDefs = {
  [`${STORAGE}.StorageClass`]: {
    description: 'A class of dynamically provisioned storage; PersistentVolumes are provisioned by the class a claim names.',
    gvk: [gvk('StorageClass')],
    fields: {
      ...objectHeader(),
      provisioner: field('string', 2, 'The name of the volume plugin that provisions volumes of this class.', { required: true }),
      parameters: field(mapOf('string'), 3, 'Settings passed to the provisioner.'),
      reclaimPolicy: field('string', 4, 'What happens to provisioned volumes when released: Delete (the default) or Retain.', { enum: ['Delete', 'Recycle', 'Retain'] }),
      mountOptions: field(arrayOf('string'), 5, 'Mount options for provisioned volumes, such as "ro" or "soft"; not validated.', { listType: 'atomic' }),
      allowVolumeExpansion: field('boolean', 6, 'Whether claims of this class may be resized.'),
      volumeBindingMode: field('string', 7, 'When volumes are provisioned and bound: Immediate (the default) or WaitForFirstConsumer.', { enum: ['Immediate', 'WaitForFirstConsumer'] }),
      allowedTopologies: field(arrayOf(ref(`${CORE}.TopologySelectorTerm`)), 8, 'Topologies where volumes may be provisioned; empty means anywhere.', { listType: 'atomic' }),
    },
  },
  [`${STORAGE}.StorageClassList`]: listType(`${STORAGE}.StorageClass`, gvk('StorageClassList'), 'A list of StorageClasses.'),
  [`${STORAGE}.VolumeAttachment`]: {
    description: 'Asks to attach or detach a volume to or from a node; cluster scoped.',
    gvk: [gvk('VolumeAttachment')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${STORAGE}.VolumeAttachmentSpec`), 2, 'The desired attachment.', { required: true }),
      status: field(ref(`${STORAGE}.VolumeAttachmentStatus`), 3, 'The state of the attachment, written by the attacher.'),
    },
  },
  [`${STORAGE}.VolumeAttachmentList`]: listType(`${STORAGE}.VolumeAttachment`, gvk('VolumeAttachmentList'), 'A list of VolumeAttachments.'),
  [`${STORAGE}.VolumeAttachmentSpec`]: {
    description: 'The desired attachment of a volume.',
    fields: {
      attacher: field('string', 1, 'The name of the volume driver that must handle the attachment.', { required: true }),
      source: field(ref(`${STORAGE}.VolumeAttachmentSource`), 2, 'The volume to attach.', { required: true }),
      nodeName: field('string', 3, 'The node to attach the volume to.', { required: true }),
    },
  },
  [`${STORAGE}.VolumeAttachmentSource`]: {
    description: 'The volume to attach; exactly one member is set.',
    fields: {
      persistentVolumeName: field('string', 1, 'The name of the PersistentVolume to attach.'),
      inlineVolumeSpec: field(ref(`${CORE}.PersistentVolumeSpec`), 2, 'A volume defined inline in a pod, translated for a CSI driver during migration; alpha.'),
    },
  },
  [`${STORAGE}.VolumeAttachmentStatus`]: {
    description: 'The state of a volume attachment.',
    fields: {
      attached: field('boolean', 1, 'Whether the volume is attached; set by the attacher.', { required: true }),
      attachmentMetadata: field(mapOf('string'), 2, 'Information from a successful attach, passed on to later mount steps.'),
      attachError: field(ref(`${STORAGE}.VolumeError`), 3, 'The last error of an attach operation.'),
      detachError: field(ref(`${STORAGE}.VolumeError`), 4, 'The last error of a detach operation.'),
    },
  },
  [`${STORAGE}.VolumeError`]: {
    description: 'An error during an attach or detach.',
    fields: {
      time: field('date-time', 1, 'When the error happened.'),
      message: field('string', 2, 'The error; may be logged and should not contain secrets.'),
      errorCode: field('int32', 3, 'A numeric gRPC code from the driver; alpha.'),
    },
  },
  [`${STORAGE}.CSIDriver`]: {
    description: "Describes a Container Storage Interface driver deployed in the cluster; the name is the driver's name.",
    gvk: [gvk('CSIDriver')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${STORAGE}.CSIDriverSpec`), 2, 'The behaviour of the driver.', { required: true }),
    },
  },
  [`${STORAGE}.CSIDriverList`]: listType(`${STORAGE}.CSIDriver`, gvk('CSIDriverList'), 'A list of CSIDrivers.'),
  [`${STORAGE}.CSIDriverSpec`]: {
    description: 'How Kubernetes treats a CSI driver.',
    fields: {
      attachRequired: field('boolean', 1, 'Whether volumes need an attach step (and a VolumeAttachment) before mounting. Defaults to true. Immutable.'),
      podInfoOnMount: field('boolean', 2, 'Whether pod details (name, namespace, UID, service account) are passed to the driver at mount time. Immutable.'),
      volumeLifecycleModes: field(arrayOf('string'), 3, 'The volume modes supported: Persistent and/or Ephemeral. Defaults to Persistent. Immutable.', { listType: 'set' }),
      storageCapacity: field('boolean', 4, "Whether the scheduler considers the driver's storage capacity from CSIStorageCapacity objects."),
      fsGroupPolicy: field('string', 5, "Whether the volume's ownership and permissions may change to the pod's fsGroup: ReadWriteOnceWithFSType (the default), File or None."),
      tokenRequests: field(arrayOf(ref(`${STORAGE}.TokenRequest`)), 6, 'Service account tokens passed to the driver at mount time, by audience.', { listType: 'atomic' }),
      requiresRepublish: field('boolean', 7, 'Whether NodePublishVolume is called periodically to remount, for example to refresh tokens.'),
      seLinuxMount: field('boolean', 8, 'Whether the driver supports mounting with the "-o context" option, so SELinux labels apply at mount time.'),
      nodeAllocatableUpdatePeriodSeconds: field('int64', 9, "How often the kubelet refreshes the driver's allocatable count in CSINode; at least 10. Alpha."),
    },
  },
  [`${STORAGE}.TokenRequest`]: {
    description: 'A service account token a CSI driver receives.',
    fields: {
      audience: field('string', 1, "The audience of the token; empty means the API server's audiences.", { required: true }),
      expirationSeconds: field('int64', 2, "The token's lifetime, as in TokenRequestSpec."),
    },
  },
  [`${STORAGE}.CSINode`]: {
    description: 'The CSI drivers installed on a node; named after the node.',
    gvk: [gvk('CSINode')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${STORAGE}.CSINodeSpec`), 2, 'The drivers on the node.', { required: true }),
    },
  },
  [`${STORAGE}.CSINodeSpec`]: {
    description: 'The CSI drivers of a node.',
    fields: {
      drivers: mergeList(ref(`${STORAGE}.CSINodeDriver`), 1, 'The CSI drivers registered on the node; empty when none are installed.', 'name', { required: true }),
    },
  },
  [`${STORAGE}.CSINodeDriver`]: {
    description: 'One CSI driver installed on a node.',
    fields: {
      name: field('string', 1, "The driver's name, as in CSIDriver.", { required: true }),
      nodeID: field('string', 2, "The driver's identifier for the node.", { required: true }),
      topologyKeys: field(arrayOf('string'), 3, 'Node label keys the driver reports topology with.', { listType: 'atomic' }),
      allocatable: field(ref(`${STORAGE}.VolumeNodeResources`), 4, 'Volume resources available on the node for scheduling.'),
    },
  },
  [`${STORAGE}.VolumeNodeResources`]: {
    description: 'Volume limits of a node for one driver.',
    fields: {
      count: field('int32', 1, 'The most volumes of this driver a node may have; unset means no limit.'),
    },
  },
  [`${STORAGE}.CSINodeList`]: listType(`${STORAGE}.CSINode`, gvk('CSINodeList'), 'A list of CSINodes.'),
  [`${STORAGE}.CSIStorageCapacity`]: {
    description: 'The storage capacity one driver reports for a topology segment and storage class.',
    gvk: [gvk('CSIStorageCapacity')],
    fields: {
      ...objectHeader(),
      nodeTopology: field(ref(`${META}.LabelSelector`), 2, 'The nodes where the capacity is available; null means none, empty means all.'),
      storageClassName: field('string', 3, 'The StorageClass the capacity applies to. Immutable.', { required: true }),
      capacity: field('quantity', 4, "The capacity reported by the driver's GetCapacityResponse."),
      maximumVolumeSize: field('quantity', 5, 'The largest single volume that can be created; unset means the same as capacity.'),
    },
  },
  [`${STORAGE}.CSIStorageCapacityList`]: listType(`${STORAGE}.CSIStorageCapacity`, gvk('CSIStorageCapacityList'), 'A list of CSIStorageCapacity objects.'),
};
