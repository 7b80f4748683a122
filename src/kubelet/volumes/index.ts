// Pod volumes of the node agent: emptyDir, configMap, secret, downwardAPI, projected, hostPath,
// persistentVolumeClaim/ephemeral set up under <podsDir>/<uid>/volumes and kept current.
export { VolumeManager, managedKindOf } from './volume-manager.ts';
export { PodVolumesError, PLUGIN_DIRS, type VolumeManagerOptions, type VolumeFailure, type ManagedVolumeKind, type Mount } from './types.ts';
export { writeAtomically, validatePayloadPath, DATA_DIR, type FileProjection, type Payload } from './atomic-writer.ts';
export { goQuote, formatMap, podFieldValue, containerResourceValue, type NodeAllocatable } from './downward-api.ts';
export { checkHostPathType } from './host-path.ts';
export { expandReferences, expandSubPathExpr, prepareSubPath } from './sub-path.ts';
export { readMounts, mountsUnder, isMountPoint, parseMountInfo, type MountInfo } from './host-mounts.ts';
