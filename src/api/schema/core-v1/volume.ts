// Pod volumes and the current (non-legacy) volume sources, with projections.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api v0.33 (Kubernetes 1.33).
import type { TypeDef, TypeDefs } from '../model.ts';
import { field, arrayOf, mapOf } from '../model.ts';
import { core, meta } from './names.ts';
import { inlined } from './embedding.ts';
import { localObjectReference } from './references.ts';

export const volumeSource: TypeDef = {
  description: "Where a volume's content comes from; exactly one source is set.",
  fields: {
    hostPath: field(core('HostPathVolumeSource'), 1, 'A file or directory of the node. Mostly for system agents; risky for ordinary workloads.'),
    emptyDir: field(core('EmptyDirVolumeSource'), 2, 'An empty directory that lives as long as the pod.'),
    gcePersistentDisk: field(core('GCEPersistentDiskVolumeSource'), 3, 'Deprecated: a GCE persistent disk; use the pd.csi.storage.gke.io driver.'),
    awsElasticBlockStore: field(core('AWSElasticBlockStoreVolumeSource'), 4, 'Deprecated: an AWS EBS volume; use the ebs.csi.aws.com driver.'),
    gitRepo: field(core('GitRepoVolumeSource'), 5, 'Deprecated: a git repository cloned at pod start; clone from an init container instead.'),
    secret: field(core('SecretVolumeSource'), 6, 'Content of a Secret.'),
    nfs: field(core('NFSVolumeSource'), 7, 'An NFS export.'),
    iscsi: field(core('ISCSIVolumeSource'), 8, 'An iSCSI disk.'),
    glusterfs: field(core('GlusterfsVolumeSource'), 9, 'Deprecated and no longer supported: a GlusterFS volume.'),
    persistentVolumeClaim: field(core('PersistentVolumeClaimVolumeSource'), 10, "The volume bound to a PersistentVolumeClaim in the pod's namespace."),
    rbd: field(core('RBDVolumeSource'), 11, 'Deprecated and no longer supported: a Ceph RBD image.'),
    flexVolume: field(core('FlexVolumeSource'), 12, 'Deprecated: a volume from a FlexVolume driver.'),
    cinder: field(core('CinderVolumeSource'), 13, 'Deprecated: an OpenStack Cinder volume; use the cinder.csi.openstack.org driver.'),
    cephfs: field(core('CephFSVolumeSource'), 14, 'Deprecated and no longer supported: a CephFS mount.'),
    flocker: field(core('FlockerVolumeSource'), 15, 'Deprecated and no longer supported: a Flocker dataset.'),
    downwardAPI: field(core('DownwardAPIVolumeSource'), 16, 'Files holding fields of the pod itself.'),
    fc: field(core('FCVolumeSource'), 17, 'A Fibre Channel disk.'),
    azureFile: field(core('AzureFileVolumeSource'), 18, 'Deprecated: an Azure File share; use the file.csi.azure.com driver.'),
    configMap: field(core('ConfigMapVolumeSource'), 19, 'Content of a ConfigMap.'),
    vsphereVolume: field(core('VsphereVirtualDiskVolumeSource'), 20, 'Deprecated: a vSphere disk; use the csi.vsphere.vmware.com driver.'),
    quobyte: field(core('QuobyteVolumeSource'), 21, 'Deprecated and no longer supported: a Quobyte volume.'),
    azureDisk: field(core('AzureDiskVolumeSource'), 22, 'Deprecated: an Azure data disk; use the disk.csi.azure.com driver.'),
    photonPersistentDisk: field(core('PhotonPersistentDiskVolumeSource'), 23, 'Deprecated and no longer supported: a Photon Controller disk.'),
    projected: field(core('ProjectedVolumeSource'), 26, 'Several sources (secrets, config maps, downward API, tokens) merged into one directory.'),
    portworxVolume: field(core('PortworxVolumeSource'), 24, 'Deprecated: a Portworx volume; calls are redirected to the pxd.portworx.com CSI driver.'),
    scaleIO: field(core('ScaleIOVolumeSource'), 25, 'Deprecated and no longer supported: a ScaleIO volume.'),
    storageos: field(core('StorageOSVolumeSource'), 27, 'Deprecated and no longer supported: a StorageOS volume.'),
    csi: field(core('CSIVolumeSource'), 28, 'An ephemeral volume from a CSI driver that supports inline volumes.'),
    ephemeral: field(core('EphemeralVolumeSource'), 29, 'A volume from a storage driver whose PersistentVolumeClaim is created with the pod and deleted with it.'),
    image: field(core('ImageVolumeSource'), 30, 'An OCI image or artifact mounted read-only, pulled like container images.'),
  },
};

export const volumeTypes: TypeDefs = {
  'io.k8s.api.core.v1.Volume': {
    description: 'A named volume of a pod that its containers can mount.',
    fields: {
      name: field('string', 1, 'Name of the volume, a DNS label unique in the pod.', { required: true }),
      ...inlined(volumeSource),
    },
  },
  'io.k8s.api.core.v1.VolumeSource': volumeSource,
  'io.k8s.api.core.v1.EmptyDirVolumeSource': {
    description: 'An empty directory for the lifetime of the pod.',
    fields: {
      medium: field('string', 1, "Storage medium: empty for the node's default, or Memory for a tmpfs."),
      sizeLimit: field('quantity', 2, "Largest total size of the directory; with Memory also capped by the pod's memory limits."),
    },
  },
  'io.k8s.api.core.v1.HostPathVolumeSource': {
    description: 'A path on the node.',
    fields: {
      path: field('string', 1, 'Path on the node; a symlink is followed to its target.', { required: true }),
      type: field('string', 2, 'Check on the path before mounting: empty (none), DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice or BlockDevice.', { enum: ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'] }),
    },
  },
  'io.k8s.api.core.v1.SecretVolumeSource': {
    description: "A Secret's keys as files.",
    fields: {
      secretName: field('string', 1, "Name of the Secret in the pod's namespace."),
      items: field(arrayOf(core('KeyToPath')), 2, 'Keys to project and the paths to put them at; all keys when empty. A listed key that is missing is an error unless optional.', { listType: 'atomic' }),
      defaultMode: field('int32', 3, 'Permission bits of the files, 0000 to 0777. Defaults to 0644.'),
      optional: field('boolean', 4, 'Whether the Secret or its keys may be missing.'),
    },
  },
  'io.k8s.api.core.v1.ConfigMapVolumeSource': {
    description: "A ConfigMap's keys as files.",
    fields: {
      ...inlined(localObjectReference),
      items: field(arrayOf(core('KeyToPath')), 2, 'Keys to project and the paths to put them at; all keys when empty. A listed key that is missing is an error unless optional.', { listType: 'atomic' }),
      defaultMode: field('int32', 3, 'Permission bits of the files, 0000 to 0777. Defaults to 0644.'),
      optional: field('boolean', 4, 'Whether the ConfigMap or its keys may be missing.'),
    },
  },
  'io.k8s.api.core.v1.KeyToPath': {
    description: 'A key and the relative file path it is projected to.',
    fields: {
      key: field('string', 1, 'The key.', { required: true }),
      path: field('string', 2, "Relative file path; must not contain '..' or start with '..'.", { required: true }),
      mode: field('int32', 3, "Permission bits of this file, overriding the volume's default mode."),
    },
  },
  'io.k8s.api.core.v1.DownwardAPIVolumeSource': {
    description: 'Pod fields as files.',
    fields: {
      items: field(arrayOf(core('DownwardAPIVolumeFile')), 1, 'The files to create.', { listType: 'atomic' }),
      defaultMode: field('int32', 2, 'Permission bits of the files, 0000 to 0777. Defaults to 0644.'),
    },
  },
  'io.k8s.api.core.v1.DownwardAPIVolumeFile': {
    description: 'One file holding a pod field.',
    fields: {
      path: field('string', 1, "Relative file path; must not contain '..' or start with '..'.", { required: true }),
      fieldRef: field(core('ObjectFieldSelector'), 2, 'A pod field: annotations, labels, name, namespace or uid.'),
      resourceFieldRef: field(core('ResourceFieldSelector'), 3, 'A container resource limit or request; only limits and requests cpu and memory.'),
      mode: field('int32', 4, "Permission bits of this file, overriding the volume's default mode."),
    },
  },
  'io.k8s.api.core.v1.ProjectedVolumeSource': {
    description: 'Several sources projected into one directory.',
    fields: {
      sources: field(arrayOf(core('VolumeProjection')), 1, 'The sources to project.', { listType: 'atomic' }),
      defaultMode: field('int32', 2, 'Permission bits of the files, 0000 to 0777. Defaults to 0644.'),
    },
  },
  'io.k8s.api.core.v1.VolumeProjection': {
    description: 'One source of a projected volume; exactly one is set.',
    fields: {
      secret: field(core('SecretProjection'), 1, 'Keys of a Secret.'),
      downwardAPI: field(core('DownwardAPIProjection'), 2, 'Fields of the pod.'),
      configMap: field(core('ConfigMapProjection'), 3, 'Keys of a ConfigMap.'),
      serviceAccountToken: field(core('ServiceAccountTokenProjection'), 4, "A token of the pod's service account."),
      clusterTrustBundle: field(core('ClusterTrustBundleProjection'), 5, 'Certificates of ClusterTrustBundle objects, concatenated into one file.'),
    },
  },
  'io.k8s.api.core.v1.SecretProjection': {
    description: 'Keys of a Secret to project.',
    fields: {
      ...inlined(localObjectReference),
      items: field(arrayOf(core('KeyToPath')), 2, 'Keys to project and the paths to put them at; all keys when empty. A listed key that is missing is an error unless optional.', { listType: 'atomic' }),
      optional: field('boolean', 4, 'Whether the Secret or its keys may be missing.'),
    },
  },
  'io.k8s.api.core.v1.ConfigMapProjection': {
    description: 'Keys of a ConfigMap to project.',
    fields: {
      ...inlined(localObjectReference),
      items: field(arrayOf(core('KeyToPath')), 2, 'Keys to project and the paths to put them at; all keys when empty. A listed key that is missing is an error unless optional.', { listType: 'atomic' }),
      optional: field('boolean', 4, 'Whether the ConfigMap or its keys may be missing.'),
    },
  },
  'io.k8s.api.core.v1.DownwardAPIProjection': {
    description: 'Pod fields to project.',
    fields: {
      items: field(arrayOf(core('DownwardAPIVolumeFile')), 1, 'The files to create.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.ServiceAccountTokenProjection': {
    description: "A token of the pod's service account, refreshed by the kubelet before it expires.",
    fields: {
      audience: field('string', 1, "Audience the token is meant for; the API server's own by default."),
      expirationSeconds: field('int64', 2, 'Requested lifetime of the token, at least 600 seconds. Defaults to one hour.'),
      path: field('string', 3, 'Relative file path for the token.', { required: true }),
    },
  },
  'io.k8s.api.core.v1.ClusterTrustBundleProjection': {
    description: 'Certificates of ClusterTrustBundles selected by name or by signer and labels.',
    fields: {
      name: field('string', 1, 'Name of one ClusterTrustBundle; not with signerName and labelSelector.'),
      signerName: field('string', 2, 'Select bundles of this signer; combined with labelSelector.'),
      labelSelector: field(meta('LabelSelector'), 3, 'Select bundles carrying these labels; only with signerName.'),
      optional: field('boolean', 5, 'Whether no matching bundle is acceptable; an empty file is written then.'),
      path: field('string', 4, 'Relative file path for the certificates.', { required: true }),
    },
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource': {
    description: 'The volume bound to a PersistentVolumeClaim.',
    fields: {
      claimName: field('string', 1, "Name of the claim in the pod's namespace.", { required: true }),
      readOnly: field('boolean', 2, 'Force a read-only mount.'),
    },
  },
  'io.k8s.api.core.v1.NFSVolumeSource': {
    description: 'An NFS export; permissions are not managed.',
    fields: {
      server: field('string', 1, 'Host name or IP address of the NFS server.', { required: true }),
      path: field('string', 2, 'Path exported by the server.', { required: true }),
      readOnly: field('boolean', 3, 'Force a read-only mount. Defaults to false.'),
    },
  },
  'io.k8s.api.core.v1.CSIVolumeSource': {
    description: 'A volume provided by a CSI driver.',
    fields: {
      driver: field('string', 1, 'Name of the CSI driver.', { required: true }),
      readOnly: field('boolean', 2, 'Read-only mount. Defaults to false.'),
      fsType: field('string', 3, 'Filesystem type to format and mount, such as ext4 or xfs; the driver decides when empty.'),
      volumeAttributes: field(mapOf('string'), 4, 'Driver-specific properties of the volume.'),
      nodePublishSecretRef: field(core('LocalObjectReference'), 5, "Secret with credentials passed to the driver's NodePublishVolume call."),
    },
  },
  'io.k8s.api.core.v1.EphemeralVolumeSource': {
    description: 'A volume backed by a PersistentVolumeClaim created for the pod and deleted with it.',
    fields: {
      volumeClaimTemplate: field(core('PersistentVolumeClaimTemplate'), 1, 'Template of the claim, named <pod name>-<volume name>. Required.'),
    },
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimTemplate': {
    description: 'Template of a PersistentVolumeClaim created for an ephemeral volume.',
    fields: {
      metadata: field(meta('ObjectMeta'), 1, 'Labels and annotations copied onto the claim; other metadata fields are rejected.'),
      spec: field(core('PersistentVolumeClaimSpec'), 2, 'Spec of the claim, copied unchanged.', { required: true }),
    },
  },
  'io.k8s.api.core.v1.ImageVolumeSource': {
    description: 'An OCI image or artifact mounted as a read-only volume.',
    fields: {
      reference: field('string', 1, 'Image or artifact reference, resolved like a container image.'),
      pullPolicy: field('string', 2, 'Always, Never or IfNotPresent. Defaults to Always for the :latest tag and IfNotPresent otherwise.', { enum: ['Always', 'IfNotPresent', 'Never'] }),
    },
  },
  'io.k8s.api.core.v1.LocalVolumeSource': {
    description: 'A local disk, partition or directory of a node.',
    fields: {
      path: field('string', 1, 'Full path on the node.', { required: true }),
      fsType: field('string', 2, 'Filesystem type, only when path is a block device; detected when empty.'),
    },
  },
  'io.k8s.api.core.v1.CSIPersistentVolumeSource': {
    description: 'A persistent volume managed by a CSI driver.',
    fields: {
      driver: field('string', 1, 'Name of the CSI driver.', { required: true }),
      volumeHandle: field('string', 2, 'Unique name the driver knows the volume by.', { required: true }),
      readOnly: field('boolean', 3, 'Read-only mount. Defaults to false.'),
      fsType: field('string', 4, 'Filesystem type to format and mount, such as ext4 or xfs; the driver decides when empty.'),
      volumeAttributes: field(mapOf('string'), 5, 'Driver-specific properties of the volume.'),
      controllerPublishSecretRef: field(core('SecretReference'), 6, "Secret with credentials for the driver's ControllerPublishVolume and ControllerUnpublishVolume calls."),
      nodeStageSecretRef: field(core('SecretReference'), 7, "Secret with credentials for the driver's NodeStageVolume, NodeUnstageVolume and NodeUnpublishVolume calls."),
      nodePublishSecretRef: field(core('SecretReference'), 8, "Secret with credentials passed to the driver's NodePublishVolume call."),
      controllerExpandSecretRef: field(core('SecretReference'), 9, "Secret with credentials for the driver's ControllerExpandVolume call."),
      nodeExpandSecretRef: field(core('SecretReference'), 10, "Secret with credentials for the driver's NodeExpandVolume call."),
    },
  },
};
