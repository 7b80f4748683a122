// PersistentVolume and PersistentVolumeClaim kinds.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api v0.33 (Kubernetes 1.33).
import type { TypeDef, TypeDefs } from '../model.ts';
import { field, arrayOf, mapOf, mergeList, objectHeader, listType } from '../model.ts';
import { core, meta } from './names.ts';
import { inlined } from './embedding.ts';

export const persistentVolumeSource: TypeDef = {
  description: "Where a persistent volume's storage comes from; exactly one source is set.",
  fields: {
    gcePersistentDisk: field(core('GCEPersistentDiskVolumeSource'), 1, 'Deprecated: a GCE persistent disk; use the pd.csi.storage.gke.io driver.'),
    awsElasticBlockStore: field(core('AWSElasticBlockStoreVolumeSource'), 2, 'Deprecated: an AWS EBS volume; use the ebs.csi.aws.com driver.'),
    hostPath: field(core('HostPathVolumeSource'), 3, 'A file or directory of the node. Mostly for system agents; risky for ordinary workloads.'),
    glusterfs: field(core('GlusterfsPersistentVolumeSource'), 4, 'Deprecated and no longer supported: a GlusterFS volume.'),
    nfs: field(core('NFSVolumeSource'), 5, 'An NFS export.'),
    rbd: field(core('RBDPersistentVolumeSource'), 6, 'Deprecated and no longer supported: a Ceph RBD image.'),
    iscsi: field(core('ISCSIPersistentVolumeSource'), 7, 'An iSCSI disk.'),
    cinder: field(core('CinderPersistentVolumeSource'), 8, 'Deprecated: an OpenStack Cinder volume; use the cinder.csi.openstack.org driver.'),
    cephfs: field(core('CephFSPersistentVolumeSource'), 9, 'Deprecated and no longer supported: a CephFS mount.'),
    fc: field(core('FCVolumeSource'), 10, 'A Fibre Channel disk.'),
    flocker: field(core('FlockerVolumeSource'), 11, 'Deprecated and no longer supported: a Flocker dataset.'),
    flexVolume: field(core('FlexPersistentVolumeSource'), 12, 'Deprecated: a volume from a FlexVolume driver.'),
    azureFile: field(core('AzureFilePersistentVolumeSource'), 13, 'Deprecated: an Azure File share; use the file.csi.azure.com driver.'),
    vsphereVolume: field(core('VsphereVirtualDiskVolumeSource'), 14, 'Deprecated: a vSphere disk; use the csi.vsphere.vmware.com driver.'),
    quobyte: field(core('QuobyteVolumeSource'), 15, 'Deprecated and no longer supported: a Quobyte volume.'),
    azureDisk: field(core('AzureDiskVolumeSource'), 16, 'Deprecated: an Azure data disk; use the disk.csi.azure.com driver.'),
    photonPersistentDisk: field(core('PhotonPersistentDiskVolumeSource'), 17, 'Deprecated and no longer supported: a Photon Controller disk.'),
    portworxVolume: field(core('PortworxVolumeSource'), 18, 'Deprecated: a Portworx volume; calls are redirected to the pxd.portworx.com CSI driver.'),
    scaleIO: field(core('ScaleIOPersistentVolumeSource'), 19, 'Deprecated and no longer supported: a ScaleIO volume.'),
    local: field(core('LocalVolumeSource'), 20, 'A local disk, partition or directory of one node; needs nodeAffinity.'),
    storageos: field(core('StorageOSPersistentVolumeSource'), 21, 'Deprecated and no longer supported: a StorageOS volume.'),
    csi: field(core('CSIPersistentVolumeSource'), 22, 'An ephemeral volume from a CSI driver that supports inline volumes.'),
  },
};

export const persistentVolumeTypes: TypeDefs = {
  'io.k8s.api.core.v1.PersistentVolume': {
    description: 'A piece of storage provisioned by an administrator or a provisioner, cluster-scoped, that claims bind to.',
    gvk: [{ group: '', version: 'v1', kind: 'PersistentVolume' }],
    fields: {
      ...objectHeader(),
      spec: field(core('PersistentVolumeSpec'), 2, 'Capacity, access and source of the volume.'),
      status: field(core('PersistentVolumeStatus'), 3, 'Current state of the volume.'),
    },
  },
  'io.k8s.api.core.v1.PersistentVolumeList': listType('io.k8s.api.core.v1.PersistentVolume', { group: '', version: 'v1', kind: 'PersistentVolumeList' }, 'A list of PersistentVolumes.'),
  'io.k8s.api.core.v1.PersistentVolumeSpec': {
    description: 'Capacity, access modes and source of a persistent volume.',
    fields: {
      capacity: field(mapOf('quantity'), 1, 'Size and other resources of the volume.'),
      ...inlined(persistentVolumeSource),
      accessModes: field(arrayOf('string'), 3, 'How the volume can be mounted: ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.', { listType: 'atomic' }),
      claimRef: field(core('ObjectReference'), 4, 'The claim bound to this volume; set on binding, or in advance to reserve the volume for a claim.', { mapType: 'granular' }),
      persistentVolumeReclaimPolicy: field('string', 5, 'What happens to the volume when its claim is released: Retain, Delete or the deprecated Recycle.', { enum: ['Delete', 'Recycle', 'Retain'] }),
      storageClassName: field('string', 6, 'StorageClass the volume belongs to; empty means none.'),
      mountOptions: field(arrayOf('string'), 7, 'Mount options, passed unchecked; a wrong option makes the mount fail.', { listType: 'atomic' }),
      volumeMode: field('string', 8, 'Filesystem or Block. Defaults to Filesystem.', { enum: ['Block', 'Filesystem'] }),
      nodeAffinity: field(core('VolumeNodeAffinity'), 9, 'Nodes from which the volume can be reached; pods using it are scheduled there.'),
      volumeAttributesClassName: field('string', 10, 'VolumeAttributesClass of the volume; empty means none.'),
    },
  },
  'io.k8s.api.core.v1.PersistentVolumeSource': persistentVolumeSource,
  'io.k8s.api.core.v1.VolumeNodeAffinity': {
    description: 'Nodes a volume can be reached from.',
    fields: {
      required: field(core('NodeSelector'), 1, 'Node requirements that must hold.'),
    },
  },
  'io.k8s.api.core.v1.PersistentVolumeStatus': {
    description: 'Current state of a persistent volume.',
    fields: {
      phase: field('string', 1, 'Available, Bound, Released, Failed or Pending.', { enum: ['Available', 'Bound', 'Failed', 'Pending', 'Released'] }),
      message: field('string', 2, 'Human-readable explanation of the phase.'),
      reason: field('string', 3, 'Brief CamelCase reason for a failure, for tools.'),
      lastPhaseTransitionTime: field('date-time', 4, 'When the phase last changed.'),
    },
  },
  'io.k8s.api.core.v1.PersistentVolumeClaim': {
    description: "A user's request for storage, bound to a persistent volume.",
    gvk: [{ group: '', version: 'v1', kind: 'PersistentVolumeClaim' }],
    fields: {
      ...objectHeader(),
      spec: field(core('PersistentVolumeClaimSpec'), 2, 'Storage the user asks for.'),
      status: field(core('PersistentVolumeClaimStatus'), 3, 'Current state of the claim.'),
    },
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimList': listType('io.k8s.api.core.v1.PersistentVolumeClaim', { group: '', version: 'v1', kind: 'PersistentVolumeClaimList' }, 'A list of PersistentVolumeClaims.'),
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec': {
    description: 'Storage requested by a claim, and attributes of its source.',
    fields: {
      accessModes: field(arrayOf('string'), 1, 'Access modes the volume must support.', { listType: 'atomic' }),
      selector: field(meta('LabelSelector'), 4, 'Labels of the volumes the claim may bind to.'),
      resources: field(core('VolumeResourceRequirements'), 2, 'Minimum resources the volume must have; may be raised later to expand it.'),
      volumeName: field('string', 3, 'Name of a specific PersistentVolume to bind to.'),
      storageClassName: field('string', 5, 'StorageClass the claim needs; empty string asks for a volume without class.'),
      volumeMode: field('string', 6, 'Filesystem or Block. Defaults to Filesystem.', { enum: ['Block', 'Filesystem'] }),
      dataSource: field(core('TypedLocalObjectReference'), 7, "Existing object to populate the volume from: a VolumeSnapshot, a PersistentVolumeClaim or a populator's object."),
      dataSourceRef: field(core('TypedObjectReference'), 8, 'Object to populate the volume from, of any kind a populator supports, possibly in another namespace; kept in sync with dataSource when in the same namespace.'),
      volumeAttributesClassName: field('string', 9, 'VolumeAttributesClass to apply to the volume; can change after creation.'),
    },
  },
  'io.k8s.api.core.v1.VolumeResourceRequirements': {
    description: 'Storage resources a claim requests.',
    fields: {
      limits: field(mapOf('quantity'), 1, 'Maximum amount of each resource allowed.'),
      requests: field(mapOf('quantity'), 2, 'Minimum amount of each resource required; defaults to the limit when only that is set.'),
    },
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimStatus': {
    description: 'Current state of a claim.',
    fields: {
      phase: field('string', 1, 'Pending, Bound or Lost.', { enum: ['Bound', 'Lost', 'Pending'] }),
      accessModes: field(arrayOf('string'), 2, 'Access modes of the bound volume.', { listType: 'atomic' }),
      capacity: field(mapOf('quantity'), 3, 'Resources of the bound volume.'),
      conditions: mergeList(core('PersistentVolumeClaimCondition'), 4, 'Current conditions, such as Resizing.', 'type'),
      allocatedResources: field(mapOf('quantity'), 5, 'Resources allocated to the claim, tracked through expansion.'),
      allocatedResourceStatuses: field(mapOf('string'), 7, 'Progress of resizing per resource, such as ControllerResizeInProgress.', { mapType: 'granular' }),
      currentVolumeAttributesClassName: field('string', 8, 'VolumeAttributesClass currently applied to the volume.'),
      modifyVolumeStatus: field(core('ModifyVolumeStatus'), 9, "Progress of a change of the volume's attributes class, unset when none is pending."),
    },
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimCondition': {
    description: "One observation about a claim's state.",
    fields: {
      type: field('string', 1, 'Type of condition, such as Resizing or FileSystemResizePending.', { required: true }),
      status: field('string', 2, 'True, False or Unknown.', { required: true }),
      lastProbeTime: field('date-time', 3, 'When the condition was last probed.'),
      lastTransitionTime: field('date-time', 4, 'When status last changed.'),
      reason: field('string', 5, 'Brief CamelCase reason for the last transition.'),
      message: field('string', 6, 'Human-readable details of the last transition.'),
    },
  },
  'io.k8s.api.core.v1.ModifyVolumeStatus': {
    description: "Progress of changing a volume's attributes class.",
    fields: {
      targetVolumeAttributesClassName: field('string', 1, 'The attributes class being applied.'),
      status: field('string', 2, 'Pending, InProgress or Infeasible.', { required: true, enum: ['InProgress', 'Infeasible', 'Pending'] }),
    },
  },
};
