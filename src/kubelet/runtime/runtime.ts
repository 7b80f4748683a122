// The container runtime contract the pod workers drive, shaped after the CRI: a pod sandbox holds
// the namespaces the pod's containers share (network, IPC, UTS and, when asked, PID); containers
// are created into a sandbox, started, stopped with a grace period and removed. Implementations:
// runc/ (real containers through runc and conmon); tests may supply their own.

export interface PodRef {
  namespace: string;
  name: string;
  uid: string;
}

export interface SandboxConfig {
  pod: PodRef;
  /** Pod-level attempt; a new sandbox for the same pod gets the next one. */
  attempt: number;
  hostname: string;
  /** The network namespace to join (from the pod network); absent for hostNetwork pods. */
  netnsPath?: string;
  /**
   * Settles once the network namespace at netnsPath exists (the pod network makes it meanwhile);
   * absent: it exists already. Only what must run inside it waits.
   */
  netnsReady?: Promise<unknown>;
  hostNetwork: boolean;
  hostPID: boolean;
  hostIPC: boolean;
  shareProcessNamespace: boolean;
  /** cgroup (relative to each hierarchy's root) the pod's containers live under. */
  cgroupParent: string;
  labels: Record<string, string>;
}

export interface Mount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
  /** A bind of a single file (e.g. /etc/hosts) rather than a directory. */
  file?: boolean;
  /** mountPropagation: HostToContainer is rslave, Bidirectional rshared; absent: rprivate (None). */
  propagation?: 'rslave' | 'rshared';
}

export interface ContainerResources {
  /** cpu.shares (v1) / weight (v2) from the request: upstream's milliCPUToShares. */
  cpuShares?: number;
  cpuQuota?: number;
  cpuPeriod?: number;
  memoryLimitBytes?: number;
  pidsLimit?: number;
  oomScoreAdj?: number;
}

export interface ContainerSecurity {
  runAsUser?: number;
  runAsGroup?: number;
  supplementalGroups?: number[];
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilitiesAdd?: string[];
  capabilitiesDrop?: string[];
}

export interface ContainerConfig {
  sandboxId: string;
  /** The container's name in the pod spec. */
  name: string;
  /** Restart count of this container: each restart is a new runtime container. */
  attempt: number;
  /** Image id (sha256:...) whose layers form the root filesystem. */
  imageId: string;
  /** The image reference as the pod spec wrote it (reported back in container statuses). */
  imageRef: string;
  /** argv, already resolved from the image's Entrypoint/Cmd and the spec's command/args. */
  args: string[];
  env: string[];
  workingDir: string;
  /** Image USER when the security context does not set one: "uid[:gid]" or a name. */
  imageUser?: string;
  tty: boolean;
  stdin: boolean;
  /**
   * With stdin: the first attach session that ends closes the container's stdin (the pod spec's
   * stdinOnce). Otherwise stdin stays open for later sessions.
   */
  stdinOnce?: boolean;
  mounts: Mount[];
  resources: ContainerResources;
  security: ContainerSecurity;
  /** Where the runtime writes the container's output, in the CRI log format. */
  logPath: string;
  /** Join the PID namespace of this (running) container of the sandbox: an ephemeral container's targetContainerName. */
  targetContainerId?: string;
  labels: Record<string, string>;
}

export type ContainerStateName = 'created' | 'running' | 'exited' | 'unknown';

export interface ContainerStatus {
  id: string;
  sandboxId: string;
  name: string;
  attempt: number;
  imageRef: string;
  imageId: string;
  state: ContainerStateName;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  /** OOMKilled when the kernel's OOM killer ended it, else Completed/Error once exited. */
  reason?: string;
  message?: string;
  pid?: number;
  logPath: string;
  labels: Record<string, string>;
}

export type SandboxStateName = 'ready' | 'notready';

export interface SandboxStatus {
  id: string;
  pod: PodRef;
  attempt: number;
  state: SandboxStateName;
  createdAt: number;
  netnsPath?: string;
  labels: Record<string, string>;
}

export interface ExecOptions {
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  tty: boolean;
  env?: string[];
}

export interface PodFilter { podUid: string }

export interface ContainerRuntime {
  /** Creates the sandbox: the namespaces its containers share (IPC, UTS; PID when the pod shares it). */
  runPodSandbox(config: SandboxConfig): Promise<string>;
  /** Stops every container of the sandbox (and its pause process, if any); keeps records for status. */
  stopPodSandbox(id: string): Promise<void>;
  removePodSandbox(id: string): Promise<void>;
  /** Every sandbox, or those of one pod (cheaper: only they are inspected). */
  listPodSandboxes(filter?: PodFilter): Promise<SandboxStatus[]>;
  createContainer(config: ContainerConfig): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** SIGTERM (or the image's stop signal), SIGKILL after gracePeriodSeconds. */
  stopContainer(id: string, gracePeriodSeconds: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  /** Every container, or those of one pod's sandboxes. */
  listContainers(filter?: PodFilter): Promise<ContainerStatus[]>;
  containerStatus(id: string): Promise<ContainerStatus | undefined>;
  /** Runs a command in a running container; resolves with its exit code. */
  exec(id: string, cmd: string[], opts: ExecOptions, signal?: AbortSignal): Promise<number>;
}
