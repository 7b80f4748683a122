// Public types of the pod volume manager.
import type { ApiClient } from '../../client/api-client.ts';
import type { EventRecorder } from '../../client/event-recorder.ts';
import type { Logger } from '../../base/log.ts';

export type { Mount } from '../runtime/runtime.ts';

export interface VolumeManagerOptions {
  /** Where pod directories live: `<podsDir>/<uid>/volumes/<plugin>/<name>` (e.g. <dataDir>/kubelet/pods). */
  podsDir: string;
  client: ApiClient;
  nodeName: string;
  logger?: Logger;
  /** The local-path provisioner's base directory on this node: missing PV directories under it are made 0777. */
  localPathRoot?: string;
  /**
   * When given, every volume that fails to set up (also on background refreshes after a
   * ConfigMap/Secret change) is reported as a Warning `FailedMount` event on the pod.
   */
  recorder?: EventRecorder;
}

/** One volume of a pod that could not be set up. */
export interface VolumeFailure {
  /** The pod's volume name. */
  volume: string;
  /** The plain cause, e.g. `configmap "x" not found`. */
  cause: string;
  /** The text of the kubelet's FailedMount event: `MountVolume.SetUp failed for volume "cfg" : configmap "x" not found`. */
  message: string;
}

/** setUpPod's error: every failing volume; the others were set up. */
export class PodVolumesError extends Error {
  readonly failures: VolumeFailure[];
  constructor(failures: VolumeFailure[]) {
    super(failures.map((f) => f.message).join('; '));
    this.name = 'PodVolumesError';
    this.failures = failures;
  }
}

/** Upstream's plugin directory names under `<pod>/volumes/`. */
export const PLUGIN_DIRS = {
  emptyDir: 'kubernetes.io~empty-dir',
  configMap: 'kubernetes.io~configmap',
  secret: 'kubernetes.io~secret',
  projected: 'kubernetes.io~projected',
  downwardAPI: 'kubernetes.io~downward-api',
} as const;

export type ManagedVolumeKind = keyof typeof PLUGIN_DIRS;
