// The PersistentVolume binder: claims to volumes, volume phases, reclaim policies.
import { PersistentVolumeController } from './pv-controller.ts';

export { PersistentVolumeController, RESYNC_MS, PVS, PVCS } from './pv-controller.ts';
export * from './volume-matching.ts';

export const newPersistentVolumeController = (): PersistentVolumeController => new PersistentVolumeController();
