// The pure logic of the node agent's pods: environment, argv, cgroup values, QoS, restart
// back-off, what a sync must do and the status to post. No processes, no host access.
export type {
  EnvVar, ImageProcess, PodEvent, EnvSources, ProbeKind, ProbeResult, ProbeResults, StartFailure,
  QOSClass, PodPhase, KillReason, ContainerToKill, PodActions, KubeObject,
} from './types.ts';
export { expand, mappingFor, type Mapping } from './expansion.ts';
export { containerArgv, expandCommandAndArgs, NoCommandError, NO_COMMAND_ERROR } from './command.ts';
export { envFromServices, serviceEnvFor } from './service-env.ts';
export { podFieldValue, resourceFieldValue, limitsWithAllocatable, type PodAddresses } from './field-ref.ts';
export { containerEnvironment, mergeImageEnv, ContainerConfigError, type EnvironmentInput, type Environment } from './environment.ts';
export { computePodQOS, podQOS } from './qos.ts';
export {
  containerResources, oomScoreAdjust, milliCPUToShares, milliCPUToQuota, podCgroupResources,
  MIN_SHARES, MAX_SHARES, QUOTA_PERIOD, MIN_QUOTA_PERIOD, type ResourceOptions,
} from './resources.ts';
export {
  Backoff, checkBackoff, backoffKey, podDescription, goDuration, INITIAL_BACKOFF_MS, MAX_BACKOFF_MS,
  type BackoffOptions, type BackoffCheck,
} from './backoff.ts';
export {
  containerHash, containerLabels, sandboxLabels, containerChanged, podContainers,
  POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL, CONTAINER_NAME_LABEL, CONTAINER_HASH_LABEL, RESTART_COUNT_LABEL,
  TERMINATION_MESSAGE_PATH_LABEL, TERMINATION_MESSAGE_POLICY_LABEL,
} from './container-labels.ts';
export {
  computePodActions, podSandboxChanged, shouldContainerBeRestarted, terminationGracePeriod, isInitContainerFailed,
  hasAnyRegularContainerCreated, shouldRestartOnFailure, isRestartableInit, type PodActionsInput,
} from './pod-actions.ts';
export { podPhase } from './phase.ts';
export {
  podConditions, containersReadyCondition, readyCondition, initializedCondition, readyToStartContainersCondition,
  hasAnyRegularContainerStarted, KUBELET_CONDITIONS,
} from './conditions.ts';
export { containerStatuses, stamp, type ContainerStatusesInput } from './container-statuses.ts';
export { generatePodStatus, sortPodIPs, type PodStatusInput } from './pod-status.ts';
