// The public types of the pod logic: what the pod workers hand in (pod objects as the API has
// them, runtime records, probe results, lookups backed by informers) and what comes back
// (environment, argv, cgroup values, actions, statuses).
import type { KubeObject } from '../../../client/api-client.ts';

/** A pod, container spec, service, config map... as JSON from the API. */
export type { KubeObject };

export interface EnvVar {
  name: string;
  value: string;
}

/** The process an image asks for (its config's Entrypoint and Cmd). */
export interface ImageProcess {
  entrypoint?: string[];
  cmd?: string[];
}

/** An event the kubelet records about the pod (the pod workers post it). */
export interface PodEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** Where configuration comes from; `undefined` means the object does not exist. */
export interface EnvSources {
  configMap(namespace: string, name: string): KubeObject | undefined;
  secret(namespace: string, name: string): KubeObject | undefined;
  /** The Services a pod in `namespace` may see: at least that namespace's and default/kubernetes. */
  services(namespace: string): KubeObject[];
}

export type ProbeKind = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'Success' | 'Failure';

/** The latest result of a probe of one runtime container; undefined until the probe ran. */
export type ProbeResults = (kind: ProbeKind, containerId: string) => ProbeResult | undefined;

/** Why the last attempt to start a container failed (upstream's reason cache). */
export interface StartFailure {
  /** CrashLoopBackOff, ErrImagePull, ImagePullBackOff, CreateContainerConfigError, CreateContainerError, RunContainerError... */
  reason: string;
  message: string;
}

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export type KillReason = 'LivenessProbe' | 'StartupProbe' | 'Unknown' | '';

export interface ContainerToKill {
  /** Runtime container id. */
  id: string;
  name: string;
  message: string;
  reason: KillReason;
  gracePeriodSeconds: number;
}

/** What a sync of the pod must do, in order: kill, create sandbox, start init, start app containers. */
export interface PodActions {
  /** Stop every container and the sandbox (a new sandbox follows when createSandbox). */
  killPod: boolean;
  createSandbox: boolean;
  /** The newest sandbox: the one to start containers in, or the one to kill. */
  sandboxId?: string;
  /** Attempt number of the sandbox to create (or of the current one). */
  attempt: number;
  /** Indexes into spec.initContainers, in spec order. */
  initContainersToStart: number[];
  /** Indexes into spec.containers. */
  containersToStart: number[];
  /** Indexes into spec.ephemeralContainers. */
  ephemeralContainersToStart: number[];
  containersToKill: ContainerToKill[];
}
