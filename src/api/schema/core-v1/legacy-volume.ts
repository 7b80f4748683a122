// In-tree volume sources of storage systems, most deprecated in favour of CSI drivers; kept so stored objects still
// decode and validate.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api v0.33 (Kubernetes 1.33).
import type { TypeDefs } from '../model.ts';
import { field, arrayOf, mapOf } from '../model.ts';
import { core } from './names.ts';

export const legacyVolumeTypes: TypeDefs = {
  'io.k8s.api.core.v1.GCEPersistentDiskVolumeSource': {
    description: 'A Google Compute Engine persistent disk.',
    fields: {
      pdName: field('string', 1, 'Name of the disk in GCE.', { required: true }),
      fsType: field('string', 2, 'Filesystem type to mount, such as ext4; ext4 when empty.'),
      partition: field('int32', 3, 'Partition to mount; the whole disk when unset.'),
      readOnly: field('boolean', 4, 'Force a read-only mount.'),
    },
  },
  'io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource': {
    description: 'An AWS Elastic Block Store volume.',
    fields: {
      volumeID: field('string', 1, 'ID of the EBS volume.', { required: true }),
      fsType: field('string', 2, 'Filesystem type to mount, such as ext4; ext4 when empty.'),
      partition: field('int32', 3, 'Partition to mount; the whole disk when unset.'),
      readOnly: field('boolean', 4, 'Force a read-only mount.'),
    },
  },
  'io.k8s.api.core.v1.GitRepoVolumeSource': {
    description: 'A directory populated with a clone of a git repository.',
    fields: {
      repository: field('string', 1, 'Repository URL.', { required: true }),
      revision: field('string', 2, 'Commit to check out.'),
      directory: field('string', 3, "Target directory; '.' places the repository itself in the volume, otherwise a subdirectory of that name."),
    },
  },
  'io.k8s.api.core.v1.ISCSIVolumeSource': {
    description: 'An iSCSI disk attached to the node.',
    fields: {
      targetPortal: field('string', 1, 'Target portal as IP or IP:port (default port 3260).', { required: true }),
      iqn: field('string', 2, 'Target iSCSI qualified name.', { required: true }),
      lun: field('int32', 3, 'Target LUN number.', { required: true }),
      iscsiInterface: field('string', 4, 'iSCSI interface name; tcp by default.', { default: 'default' }),
      fsType: field('string', 5, 'Filesystem type to mount, such as ext4.'),
      readOnly: field('boolean', 6, 'Force a read-only mount.'),
      portals: field(arrayOf('string'), 7, 'Extra target portals, as IP or IP:port.', { listType: 'atomic' }),
      chapAuthDiscovery: field('boolean', 8, 'Use CHAP authentication for discovery.'),
      chapAuthSession: field('boolean', 11, 'Use CHAP authentication for the session.'),
      secretRef: field(core('LocalObjectReference'), 10, 'Secret with the CHAP credentials.'),
      initiatorName: field('string', 12, 'Custom initiator name; replaces the interface name with <target portal>:<volume name>.'),
    },
  },
  'io.k8s.api.core.v1.ISCSIPersistentVolumeSource': {
    description: 'An iSCSI disk as a persistent volume.',
    fields: {
      targetPortal: field('string', 1, 'Target portal as IP or IP:port (default port 3260).', { required: true }),
      iqn: field('string', 2, 'Target iSCSI qualified name.', { required: true }),
      lun: field('int32', 3, 'Target LUN number.', { required: true }),
      iscsiInterface: field('string', 4, 'iSCSI interface name; tcp by default.', { default: 'default' }),
      fsType: field('string', 5, 'Filesystem type to mount, such as ext4.'),
      readOnly: field('boolean', 6, 'Force a read-only mount.'),
      portals: field(arrayOf('string'), 7, 'Extra target portals, as IP or IP:port.', { listType: 'atomic' }),
      chapAuthDiscovery: field('boolean', 8, 'Use CHAP authentication for discovery.'),
      chapAuthSession: field('boolean', 11, 'Use CHAP authentication for the session.'),
      secretRef: field(core('SecretReference'), 10, 'Secret with the CHAP credentials.'),
      initiatorName: field('string', 12, 'Custom initiator name; replaces the interface name with <target portal>:<volume name>.'),
    },
  },
  'io.k8s.api.core.v1.GlusterfsVolumeSource': {
    description: 'A GlusterFS mount.',
    fields: {
      endpoints: field('string', 1, 'Name of the Endpoints object listing the Glusterfs servers.', { required: true }),
      path: field('string', 2, 'Glusterfs volume path.', { required: true }),
      readOnly: field('boolean', 3, 'Force a read-only mount.'),
    },
  },
  'io.k8s.api.core.v1.GlusterfsPersistentVolumeSource': {
    description: 'A GlusterFS mount as a persistent volume.',
    fields: {
      endpoints: field('string', 1, 'Name of the Endpoints object listing the Glusterfs servers.', { required: true }),
      path: field('string', 2, 'Glusterfs volume path.', { required: true }),
      readOnly: field('boolean', 3, 'Force a read-only mount.'),
      endpointsNamespace: field('string', 4, "Namespace of the endpoints; the claim's namespace when empty."),
    },
  },
  'io.k8s.api.core.v1.RBDVolumeSource': {
    description: 'A Ceph RADOS block device.',
    fields: {
      monitors: field(arrayOf('string'), 1, 'Ceph monitor addresses.', { required: true, listType: 'atomic' }),
      image: field('string', 2, 'Name of the RADOS image.', { required: true }),
      fsType: field('string', 3, 'Filesystem type to mount, such as ext4.'),
      pool: field('string', 4, 'RADOS pool. Defaults to rbd.', { default: 'rbd' }),
      user: field('string', 5, 'RADOS user. Defaults to admin.', { default: 'admin' }),
      keyring: field('string', 6, 'Path of the key ring. Defaults to /etc/ceph/keyring.', { default: '/etc/ceph/keyring' }),
      secretRef: field(core('LocalObjectReference'), 7, 'Secret holding the authentication key, overriding the keyring.'),
      readOnly: field('boolean', 8, 'Force a read-only mount.'),
    },
  },
  'io.k8s.api.core.v1.RBDPersistentVolumeSource': {
    description: 'A Ceph RADOS block device as a persistent volume.',
    fields: {
      monitors: field(arrayOf('string'), 1, 'Ceph monitor addresses.', { required: true, listType: 'atomic' }),
      image: field('string', 2, 'Name of the RADOS image.', { required: true }),
      fsType: field('string', 3, 'Filesystem type to mount, such as ext4.'),
      pool: field('string', 4, 'RADOS pool. Defaults to rbd.', { default: 'rbd' }),
      user: field('string', 5, 'RADOS user. Defaults to admin.', { default: 'admin' }),
      keyring: field('string', 6, 'Path of the key ring. Defaults to /etc/ceph/keyring.', { default: '/etc/ceph/keyring' }),
      secretRef: field(core('SecretReference'), 7, 'Secret holding the authentication key, overriding the keyring.'),
      readOnly: field('boolean', 8, 'Force a read-only mount.'),
    },
  },
  'io.k8s.api.core.v1.FlexVolumeSource': {
    description: 'A volume provided by an exec-based FlexVolume driver.',
    fields: {
      driver: field('string', 1, 'Name of the driver.', { required: true }),
      fsType: field('string', 2, "Filesystem type; the driver's default when empty."),
      secretRef: field(core('LocalObjectReference'), 3, 'Secret passed to the driver scripts.'),
      readOnly: field('boolean', 4, 'Force a read-only mount.'),
      options: field(mapOf('string'), 5, 'Extra options for the driver.'),
    },
  },
  'io.k8s.api.core.v1.FlexPersistentVolumeSource': {
    description: 'A FlexVolume driver volume as a persistent volume.',
    fields: {
      driver: field('string', 1, 'Name of the driver.', { required: true }),
      fsType: field('string', 2, "Filesystem type; the driver's default when empty."),
      secretRef: field(core('SecretReference'), 3, 'Secret passed to the driver scripts.'),
      readOnly: field('boolean', 4, 'Force a read-only mount.'),
      options: field(mapOf('string'), 5, 'Extra options for the driver.'),
    },
  },
  'io.k8s.api.core.v1.CinderVolumeSource': {
    description: 'An OpenStack Cinder volume.',
    fields: {
      volumeID: field('string', 1, 'ID of the Cinder volume.', { required: true }),
      fsType: field('string', 2, 'Filesystem type to mount, such as ext4.'),
      readOnly: field('boolean', 3, 'Force a read-only mount.'),
      secretRef: field(core('LocalObjectReference'), 4, 'Secret with parameters for connecting to OpenStack.'),
    },
  },
  'io.k8s.api.core.v1.CinderPersistentVolumeSource': {
    description: 'An OpenStack Cinder volume as a persistent volume.',
    fields: {
      volumeID: field('string', 1, 'ID of the Cinder volume.', { required: true }),
      fsType: field('string', 2, 'Filesystem type to mount, such as ext4.'),
      readOnly: field('boolean', 3, 'Force a read-only mount.'),
      secretRef: field(core('SecretReference'), 4, 'Secret with parameters for connecting to OpenStack.'),
    },
  },
  'io.k8s.api.core.v1.CephFSVolumeSource': {
    description: 'A Ceph filesystem mount.',
    fields: {
      monitors: field(arrayOf('string'), 1, 'Ceph monitor addresses.', { required: true, listType: 'atomic' }),
      path: field('string', 2, 'Path inside the filesystem to mount; / by default.'),
      user: field('string', 3, 'RADOS user. Defaults to admin.'),
      secretFile: field('string', 4, 'Path of the key ring of the user. Defaults to /etc/ceph/user.secret.'),
      secretRef: field(core('LocalObjectReference'), 5, 'Secret holding the authentication key.'),
      readOnly: field('boolean', 6, 'Force a read-only mount.'),
    },
  },
  'io.k8s.api.core.v1.CephFSPersistentVolumeSource': {
    description: 'A Ceph filesystem mount as a persistent volume.',
    fields: {
      monitors: field(arrayOf('string'), 1, 'Ceph monitor addresses.', { required: true, listType: 'atomic' }),
      path: field('string', 2, 'Path inside the filesystem to mount; / by default.'),
      user: field('string', 3, 'RADOS user. Defaults to admin.'),
      secretFile: field('string', 4, 'Path of the key ring of the user. Defaults to /etc/ceph/user.secret.'),
      secretRef: field(core('SecretReference'), 5, 'Secret holding the authentication key.'),
      readOnly: field('boolean', 6, 'Force a read-only mount.'),
    },
  },
  'io.k8s.api.core.v1.FlockerVolumeSource': {
    description: 'A Flocker dataset; set one of the name or UUID.',
    fields: {
      datasetName: field('string', 1, 'Name of the dataset.'),
      datasetUUID: field('string', 2, 'UUID of the dataset.'),
    },
  },
  'io.k8s.api.core.v1.FCVolumeSource': {
    description: 'A Fibre Channel disk.',
    fields: {
      targetWWNs: field(arrayOf('string'), 1, 'Target world wide names.', { listType: 'atomic' }),
      lun: field('int32', 2, 'Target LUN number.'),
      fsType: field('string', 3, 'Filesystem type to mount, such as ext4.'),
      readOnly: field('boolean', 4, 'Force a read-only mount.'),
      wwids: field(arrayOf('string'), 5, 'World wide identifiers of the volume; set either these or target WWNs with a LUN.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.AzureFileVolumeSource': {
    description: 'An Azure File share.',
    fields: {
      secretName: field('string', 1, 'Secret holding the storage account name and key.', { required: true }),
      shareName: field('string', 2, 'Name of the share.', { required: true }),
      readOnly: field('boolean', 3, 'Force a read-only mount.'),
    },
  },
  'io.k8s.api.core.v1.AzureFilePersistentVolumeSource': {
    description: 'An Azure File share as a persistent volume.',
    fields: {
      secretName: field('string', 1, 'Secret holding the storage account name and key.', { required: true }),
      shareName: field('string', 2, 'Name of the share.', { required: true }),
      readOnly: field('boolean', 3, 'Force a read-only mount.'),
      secretNamespace: field('string', 4, "Namespace of the secret; the pod's when empty."),
    },
  },
  'io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource': {
    description: 'A vSphere virtual disk.',
    fields: {
      volumePath: field('string', 1, 'Path identifying the disk.', { required: true }),
      fsType: field('string', 2, 'Filesystem type to mount, such as ext4.'),
      storagePolicyName: field('string', 3, 'Storage policy based management profile name.'),
      storagePolicyID: field('string', 4, 'Storage policy based management profile ID.'),
    },
  },
  'io.k8s.api.core.v1.QuobyteVolumeSource': {
    description: 'A Quobyte mount.',
    fields: {
      registry: field('string', 1, 'Registry services as host:port, comma-separated.', { required: true }),
      volume: field('string', 2, 'Name of the Quobyte volume.', { required: true }),
      readOnly: field('boolean', 3, 'Force a read-only mount.'),
      user: field('string', 4, 'User to map volume access to; the service account user by default.'),
      group: field('string', 5, 'Group to map volume access to.'),
      tenant: field('string', 6, 'Tenant owning the volume.'),
    },
  },
  'io.k8s.api.core.v1.AzureDiskVolumeSource': {
    description: 'An Azure data disk.',
    fields: {
      diskName: field('string', 1, 'Name of the disk in blob storage.', { required: true }),
      diskURI: field('string', 2, 'URI of the disk in blob storage.', { required: true }),
      cachingMode: field('string', 3, 'Host caching: None, ReadOnly or ReadWrite.', { enum: ['None', 'ReadOnly', 'ReadWrite'], default: 'ReadWrite' }),
      fsType: field('string', 4, 'Filesystem type to mount, such as ext4.', { default: 'ext4' }),
      readOnly: field('boolean', 5, 'Force a read-only mount.', { default: false }),
      kind: field('string', 6, 'Shared, Dedicated or Managed disk. Defaults to Shared.', { enum: ['Dedicated', 'Managed', 'Shared'], default: 'Shared' }),
    },
  },
  'io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource': {
    description: 'A Photon Controller persistent disk.',
    fields: {
      pdID: field('string', 1, 'ID of the disk.', { required: true }),
      fsType: field('string', 2, 'Filesystem type to mount, such as ext4.'),
    },
  },
  'io.k8s.api.core.v1.PortworxVolumeSource': {
    description: 'A Portworx volume.',
    fields: {
      volumeID: field('string', 1, 'ID of the Portworx volume.', { required: true }),
      fsType: field('string', 2, 'Filesystem type to mount, such as ext4.'),
      readOnly: field('boolean', 3, 'Force a read-only mount.'),
    },
  },
  'io.k8s.api.core.v1.ScaleIOVolumeSource': {
    description: 'A ScaleIO volume.',
    fields: {
      gateway: field('string', 1, 'Address of the ScaleIO API gateway.', { required: true }),
      system: field('string', 2, 'Name of the ScaleIO storage system.', { required: true }),
      secretRef: field(core('LocalObjectReference'), 3, 'Secret with the ScaleIO user credentials.', { required: true }),
      sslEnabled: field('boolean', 4, 'Use SSL to talk to the gateway.'),
      protectionDomain: field('string', 5, 'ScaleIO protection domain of the storage.'),
      storagePool: field('string', 6, 'ScaleIO storage pool of the protection domain.'),
      storageMode: field('string', 7, 'ThickProvisioned or ThinProvisioned. Defaults to ThinProvisioned.', { default: 'ThinProvisioned' }),
      volumeName: field('string', 8, 'Name of an existing volume in the ScaleIO system.'),
      fsType: field('string', 9, 'Filesystem type to mount. Defaults to xfs.', { default: 'xfs' }),
      readOnly: field('boolean', 10, 'Force a read-only mount.'),
    },
  },
  'io.k8s.api.core.v1.ScaleIOPersistentVolumeSource': {
    description: 'A ScaleIO volume as a persistent volume.',
    fields: {
      gateway: field('string', 1, 'Address of the ScaleIO API gateway.', { required: true }),
      system: field('string', 2, 'Name of the ScaleIO storage system.', { required: true }),
      secretRef: field(core('SecretReference'), 3, 'Secret with the ScaleIO user credentials.', { required: true }),
      sslEnabled: field('boolean', 4, 'Use SSL to talk to the gateway.'),
      protectionDomain: field('string', 5, 'ScaleIO protection domain of the storage.'),
      storagePool: field('string', 6, 'ScaleIO storage pool of the protection domain.'),
      storageMode: field('string', 7, 'ThickProvisioned or ThinProvisioned. Defaults to ThinProvisioned.', { default: 'ThinProvisioned' }),
      volumeName: field('string', 8, 'Name of an existing volume in the ScaleIO system.'),
      fsType: field('string', 9, 'Filesystem type to mount. Defaults to xfs.', { default: 'xfs' }),
      readOnly: field('boolean', 10, 'Force a read-only mount.'),
    },
  },
  'io.k8s.api.core.v1.StorageOSVolumeSource': {
    description: 'A StorageOS volume.',
    fields: {
      volumeName: field('string', 1, 'Name of the StorageOS volume, unique in its namespace.'),
      volumeNamespace: field('string', 2, "StorageOS namespace of the volume; the pod's namespace when empty."),
      fsType: field('string', 3, 'Filesystem type to mount, such as ext4.'),
      readOnly: field('boolean', 4, 'Force a read-only mount.'),
      secretRef: field(core('LocalObjectReference'), 5, 'Secret with the StorageOS API credentials.'),
    },
  },
  'io.k8s.api.core.v1.StorageOSPersistentVolumeSource': {
    description: 'A StorageOS volume as a persistent volume.',
    fields: {
      volumeName: field('string', 1, 'Name of the StorageOS volume, unique in its namespace.'),
      volumeNamespace: field('string', 2, "StorageOS namespace of the volume; the pod's namespace when empty."),
      fsType: field('string', 3, 'Filesystem type to mount, such as ext4.'),
      readOnly: field('boolean', 4, 'Force a read-only mount.'),
      secretRef: field(core('ObjectReference'), 5, 'Secret with the StorageOS API credentials.'),
    },
  },
};
