// The Pod kind, its spec and status, and the pod template.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api v0.33 (Kubernetes 1.33).
import type { TypeDefs } from '../model.ts';
import { field, arrayOf, mapOf, mergeList, objectHeader, listType } from '../model.ts';
import { core, meta } from './names.ts';

export const podTypes: TypeDefs = {
  'io.k8s.api.core.v1.Pod': {
    description: 'A group of containers scheduled together on one node, sharing network and storage.',
    gvk: [{ group: '', version: 'v1', kind: 'Pod' }],
    fields: {
      ...objectHeader(),
      spec: field(core('PodSpec'), 2, 'Desired behaviour of the pod.'),
      status: field(core('PodStatus'), 3, 'Most recently observed state of the pod; may lag behind reality.'),
    },
  },
  'io.k8s.api.core.v1.PodList': listType('io.k8s.api.core.v1.Pod', { group: '', version: 'v1', kind: 'PodList' }, 'A list of Pods.'),
  'io.k8s.api.core.v1.PodSpec': {
    description: 'Desired behaviour of a pod.',
    fields: {
      volumes: field(arrayOf(core('Volume')), 1, 'Volumes containers of the pod may mount.', { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] }),
      initContainers: mergeList(core('Container'), 20, 'Containers run one after another, each to completion, before the app containers start. Those with restartPolicy Always are sidecars that keep running.', 'name'),
      containers: mergeList(core('Container'), 2, "The pod's app containers. At least one is required; the list cannot be changed after creation.", 'name', { required: true }),
      ephemeralContainers: mergeList(core('EphemeralContainer'), 34, 'Temporary containers added to a running pod for debugging, through the ephemeralcontainers subresource.', 'name'),
      restartPolicy: field('string', 3, 'When containers are restarted: Always, OnFailure or Never. Defaults to Always.', { enum: ['Always', 'Never', 'OnFailure'] }),
      terminationGracePeriodSeconds: field('int64', 4, 'Seconds a pod may take to stop after the termination signal before it is killed. Zero means immediately. Defaults to 30.'),
      activeDeadlineSeconds: field('int64', 5, 'Seconds, counted from the start time, after which the pod is failed and its containers stopped.'),
      dnsPolicy: field('string', 6, 'How DNS is configured for the pod: ClusterFirst, ClusterFirstWithHostNet, Default or None. Defaults to ClusterFirst.', { enum: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'] }),
      nodeSelector: field(mapOf('string'), 7, 'Labels a node must carry for the pod to be scheduled onto it.', { mapType: 'atomic' }),
      serviceAccountName: field('string', 8, 'Service account the pod runs as.'),
      serviceAccount: field('string', 9, 'Deprecated alias of serviceAccountName.'),
      automountServiceAccountToken: field('boolean', 21, 'Whether a service account token is mounted into the pod automatically.'),
      nodeName: field('string', 10, 'Node the pod is bound to. Setting it at creation bypasses the scheduler.'),
      hostNetwork: field('boolean', 11, "Use the node's network namespace. Requires ports to be declared."),
      hostPID: field('boolean', 12, "Use the node's process namespace."),
      hostIPC: field('boolean', 13, "Use the node's IPC namespace."),
      shareProcessNamespace: field('boolean', 27, "Run all containers of the pod in one process namespace, so they can see and signal one another's processes."),
      securityContext: field(core('PodSecurityContext'), 14, 'Pod-wide security settings and defaults for container settings.'),
      imagePullSecrets: mergeList(core('LocalObjectReference'), 15, "Secrets in the pod's namespace holding registry credentials for pulling its images.", 'name'),
      hostname: field('string', 16, 'Hostname of the pod. Defaults to a value chosen by the system.'),
      subdomain: field('string', 17, "When set, the pod's fully qualified name is <hostname>.<subdomain>.<namespace>.svc.<cluster domain>."),
      affinity: field(core('Affinity'), 18, 'Scheduling constraints relative to nodes and other pods.'),
      schedulerName: field('string', 19, 'Scheduler to handle this pod; the default scheduler when empty.'),
      tolerations: field(arrayOf(core('Toleration')), 22, 'Taints the pod tolerates.', { listType: 'atomic' }),
      hostAliases: mergeList(core('HostAlias'), 23, "Extra entries written into the pod's hosts file.", 'ip'),
      priorityClassName: field('string', 24, "Name of a PriorityClass giving the pod's priority."),
      priority: field('int32', 25, 'Numeric priority, filled in from priorityClassName by admission; higher is more important.'),
      dnsConfig: field(core('PodDNSConfig'), 26, 'DNS settings merged into those produced by dnsPolicy.'),
      readinessGates: field(arrayOf(core('PodReadinessGate')), 28, 'Extra pod conditions that must be True for the pod to be ready.', { listType: 'atomic' }),
      runtimeClassName: field('string', 29, 'RuntimeClass to run the pod with.'),
      enableServiceLinks: field('boolean', 30, 'Whether environment variables describing services are injected into the containers. Defaults to true.'),
      preemptionPolicy: field('string', 31, 'Whether the pod may preempt lower-priority pods: PreemptLowerPriority (default) or Never.', { enum: ['Never', 'PreemptLowerPriority'] }),
      overhead: field(mapOf('quantity'), 32, 'Resources used by the pod sandbox itself, set by admission from the RuntimeClass.'),
      topologySpreadConstraints: field(arrayOf(core('TopologySpreadConstraint')), 33, "How the pod's replicas should spread across topology domains.", { patchStrategy: 'merge', patchMergeKey: 'topologyKey', listType: 'map', listMapKeys: ['topologyKey', 'whenUnsatisfiable'] }),
      setHostnameAsFQDN: field('boolean', 35, "Use the pod's fully qualified domain name as its hostname."),
      os: field(core('PodOS'), 36, "Operating system the pod's containers target; drives validation of OS-specific fields."),
      hostUsers: field('boolean', 37, "Whether to use the node's user namespace. False gives the pod its own user namespace. Defaults to true."),
      schedulingGates: mergeList(core('PodSchedulingGate'), 38, 'Gates that keep the pod from being scheduled until all are removed.', 'name'),
      resourceClaims: field(arrayOf(core('PodResourceClaim')), 39, 'Dynamic resources (ResourceClaims) the pod needs, by name for its containers to refer to. Cannot be changed.', { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] }),
      resources: field(core('ResourceRequirements'), 40, 'Total compute resources for the whole pod, shared by its containers. Only cpu, memory and hugepages.'),
    },
  },
  'io.k8s.api.core.v1.PodTemplate': {
    description: 'A stored pod template, for controllers and users to instantiate.',
    gvk: [{ group: '', version: 'v1', kind: 'PodTemplate' }],
    fields: {
      ...objectHeader(),
      template: field(core('PodTemplateSpec'), 2, 'The pod template.'),
    },
  },
  'io.k8s.api.core.v1.PodTemplateList': listType('io.k8s.api.core.v1.PodTemplate', { group: '', version: 'v1', kind: 'PodTemplateList' }, 'A list of PodTemplates.'),
  'io.k8s.api.core.v1.PodTemplateSpec': {
    description: 'The metadata and spec of pods to create from a template.',
    fields: {
      metadata: field(meta('ObjectMeta'), 1, 'Metadata given to the pods created from this template.'),
      spec: field(core('PodSpec'), 2, 'Desired behaviour of the pods created from this template.'),
    },
  },
  'io.k8s.api.core.v1.HostAlias': {
    description: "An IP address and the host names that resolve to it in the pod's hosts file.",
    fields: {
      ip: field('string', 1, 'The IP address.', { required: true }),
      hostnames: field(arrayOf('string'), 2, 'Host names for the address.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.PodDNSConfig': {
    description: 'DNS settings for a pod beyond those from its DNS policy.',
    fields: {
      nameservers: field(arrayOf('string'), 1, 'DNS server addresses, added to those from the policy without duplicates.', { listType: 'atomic' }),
      searches: field(arrayOf('string'), 2, 'DNS search domains, added to those from the policy without duplicates.', { listType: 'atomic' }),
      options: field(arrayOf(core('PodDNSConfigOption')), 3, 'Resolver options; an option set here replaces the same option from the policy.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.PodDNSConfigOption': {
    description: 'One resolver option.',
    fields: {
      name: field('string', 1, 'Name of the option.'),
      value: field('string', 2, 'Value of the option, if it takes one.'),
    },
  },
  'io.k8s.api.core.v1.PodReadinessGate': {
    description: 'A condition that must be True for the pod to be ready.',
    fields: {
      conditionType: field('string', 1, 'Type of a pod condition to check.', { required: true }),
    },
  },
  'io.k8s.api.core.v1.PodOS': {
    description: 'The operating system a pod targets.',
    fields: {
      name: field('string', 1, 'linux or windows.', { required: true }),
    },
  },
  'io.k8s.api.core.v1.PodSchedulingGate': {
    description: "A gate holding back a pod's scheduling.",
    fields: {
      name: field('string', 1, "Name of the gate; unique among the pod's gates.", { required: true }),
    },
  },
  'io.k8s.api.core.v1.PodResourceClaim': {
    description: 'A ResourceClaim the pod uses, directly or through a template.',
    fields: {
      name: field('string', 1, 'Name of this claim within the pod, for containers to refer to.', { required: true }),
      resourceClaimName: field('string', 3, "Name of an existing ResourceClaim in the pod's namespace. Exactly one of this and resourceClaimTemplateName is set."),
      resourceClaimTemplateName: field('string', 4, 'Name of a ResourceClaimTemplate from which a claim is generated for this pod and deleted with it.'),
    },
  },
  'io.k8s.api.core.v1.PodStatus': {
    description: 'Observed state of a pod; may lag behind the real state of the node.',
    fields: {
      observedGeneration: field('int64', 17, 'The metadata.generation the status was computed from.'),
      phase: field('string', 1, 'Summary of where the pod is in its lifecycle: Pending, Running, Succeeded, Failed or Unknown.', { enum: ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'] }),
      conditions: mergeList(core('PodCondition'), 2, 'Current service state of the pod.', 'type'),
      message: field('string', 3, 'Human-readable detail of why the pod is in this state.'),
      reason: field('string', 4, 'Brief CamelCase reason the pod is in this state, such as Evicted.'),
      nominatedNodeName: field('string', 11, 'Node where preemption made room for this pod; it may still be scheduled elsewhere.'),
      hostIP: field('string', 5, 'Primary IP address of the node the pod is on.'),
      hostIPs: field(arrayOf(core('HostIP')), 16, 'IP addresses of the node the pod is on; the first equals hostIP.', { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'atomic' }),
      podIP: field('string', 6, 'Primary IP address of the pod, empty until assigned.'),
      podIPs: mergeList(core('PodIP'), 12, 'IP addresses of the pod, at most one per address family; the first equals podIP.', 'ip'),
      startTime: field('date-time', 7, 'When the kubelet accepted the pod, before its images were pulled.'),
      initContainerStatuses: field(arrayOf(core('ContainerStatus')), 10, 'Status of each init container.', { listType: 'atomic' }),
      containerStatuses: field(arrayOf(core('ContainerStatus')), 8, 'Status of each app container.', { listType: 'atomic' }),
      qosClass: field('string', 9, "Quality of service class from the containers' requests and limits: Guaranteed, Burstable or BestEffort.", { enum: ['BestEffort', 'Burstable', 'Guaranteed'] }),
      ephemeralContainerStatuses: field(arrayOf(core('ContainerStatus')), 13, 'Status of each ephemeral container.', { listType: 'atomic' }),
      resize: field('string', 14, 'Deprecated: state of a requested in-place resize, now reported by the PodResizePending and PodResizeInProgress conditions.'),
      resourceClaimStatuses: field(arrayOf(core('PodResourceClaimStatus')), 15, "Names of the ResourceClaims generated for the pod's claims.", { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] }),
    },
  },
  'io.k8s.api.core.v1.PodCondition': {
    description: "One observation about a pod's state.",
    fields: {
      type: field('string', 1, 'Type of condition, such as PodScheduled, Initialized, ContainersReady or Ready.', { required: true }),
      observedGeneration: field('int64', 7, 'The metadata.generation the condition was computed from.'),
      status: field('string', 2, 'True, False or Unknown.', { required: true }),
      lastProbeTime: field('date-time', 3, 'When the condition was last probed.'),
      lastTransitionTime: field('date-time', 4, 'When status last changed.'),
      reason: field('string', 5, 'Programmatic CamelCase reason for the last transition.'),
      message: field('string', 6, 'Human-readable details of the last transition.'),
    },
  },
  'io.k8s.api.core.v1.PodIP': {
    description: 'One IP address of a pod.',
    fields: {
      ip: field('string', 1, 'The IP address.', { required: true }),
    },
  },
  'io.k8s.api.core.v1.HostIP': {
    description: 'One IP address of the node a pod runs on.',
    fields: {
      ip: field('string', 1, 'The IP address.', { required: true }),
    },
  },
  'io.k8s.api.core.v1.PodResourceClaimStatus': {
    description: "The generated ResourceClaim for one of a pod's claims.",
    fields: {
      name: field('string', 1, "Name of the claim in the pod's resourceClaims.", { required: true }),
      resourceClaimName: field('string', 2, 'Name of the generated ResourceClaim; unset when none was needed.'),
    },
  },
  'io.k8s.api.core.v1.ContainerStatus': {
    description: 'Observed state of one container of a pod.',
    fields: {
      name: field('string', 1, 'Name of the container, as in the spec.', { required: true }),
      state: field(core('ContainerState'), 2, 'Current state of the container.'),
      lastState: field(core('ContainerState'), 3, "State of the container's previous run, used to explain restarts."),
      ready: field('boolean', 4, 'Whether the container passes its readiness probe.', { required: true }),
      restartCount: field('int32', 5, "How many times the container has been restarted, counting from the kubelet's records.", { required: true }),
      image: field('string', 6, 'Image the container runs.', { required: true }),
      imageID: field('string', 7, 'Identifier of the image, usually its digest.', { required: true }),
      containerID: field('string', 8, 'ID of the container as <runtime>://<id>.'),
      started: field('boolean', 9, 'Whether the container has started and passed its startup probe.'),
      allocatedResources: field(mapOf('quantity'), 10, 'Resources allocated to the container by the node.'),
      resources: field(core('ResourceRequirements'), 11, 'Resource requests and limits actually applied to the running container.'),
      volumeMounts: mergeList(core('VolumeMountStatus'), 12, "Status of the container's volume mounts.", 'mountPath'),
      user: field(core('ContainerUser'), 13, "Identity the container's first process runs as, as reported by the runtime."),
      allocatedResourcesStatus: mergeList(core('ResourceStatus'), 14, 'Health of resources allocated to the container.', 'name'),
      stopSignal: field('string', 15, 'Signal sent to stop the container.', { enum: ['SIGABRT', 'SIGALRM', 'SIGBUS', 'SIGCHLD', 'SIGCLD', 'SIGCONT', 'SIGFPE', 'SIGHUP', 'SIGILL', 'SIGINT', 'SIGIO', 'SIGIOT', 'SIGKILL', 'SIGPIPE', 'SIGPOLL', 'SIGPROF', 'SIGPWR', 'SIGQUIT', 'SIGRTMAX', 'SIGRTMAX-1', 'SIGRTMAX-10', 'SIGRTMAX-11', 'SIGRTMAX-12', 'SIGRTMAX-13', 'SIGRTMAX-14', 'SIGRTMAX-2', 'SIGRTMAX-3', 'SIGRTMAX-4', 'SIGRTMAX-5', 'SIGRTMAX-6', 'SIGRTMAX-7', 'SIGRTMAX-8', 'SIGRTMAX-9', 'SIGRTMIN', 'SIGRTMIN+1', 'SIGRTMIN+10', 'SIGRTMIN+11', 'SIGRTMIN+12', 'SIGRTMIN+13', 'SIGRTMIN+14', 'SIGRTMIN+15', 'SIGRTMIN+2', 'SIGRTMIN+3', 'SIGRTMIN+4', 'SIGRTMIN+5', 'SIGRTMIN+6', 'SIGRTMIN+7', 'SIGRTMIN+8', 'SIGRTMIN+9', 'SIGSEGV', 'SIGSTKFLT', 'SIGSTOP', 'SIGSYS', 'SIGTERM', 'SIGTRAP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGUSR1', 'SIGUSR2', 'SIGVTALRM', 'SIGWINCH', 'SIGXCPU', 'SIGXFSZ'] }),
    },
  },
  'io.k8s.api.core.v1.ContainerState': {
    description: 'State of a container; at most one member is set, and none means waiting.',
    fields: {
      waiting: field(core('ContainerStateWaiting'), 1, 'Set while the container has not started.'),
      running: field(core('ContainerStateRunning'), 2, 'Set while the container runs.'),
      terminated: field(core('ContainerStateTerminated'), 3, 'Set once the container has exited.'),
    },
  },
  'io.k8s.api.core.v1.ContainerStateWaiting': {
    description: 'A container that has not started yet.',
    fields: {
      reason: field('string', 1, 'Why it is waiting, such as ContainerCreating or CrashLoopBackOff.'),
      message: field('string', 2, 'Details of why it is waiting.'),
    },
  },
  'io.k8s.api.core.v1.ContainerStateRunning': {
    description: 'A running container.',
    fields: {
      startedAt: field('date-time', 1, 'When the container last (re)started.'),
    },
  },
  'io.k8s.api.core.v1.ContainerStateTerminated': {
    description: 'A container that has exited.',
    fields: {
      exitCode: field('int32', 1, 'Exit code of its last process.', { required: true }),
      signal: field('int32', 2, 'Signal that terminated it, if any.'),
      reason: field('string', 3, 'Brief reason for the termination, such as Completed or OOMKilled.'),
      message: field('string', 4, 'Details of the termination.'),
      startedAt: field('date-time', 5, 'When its last run started.'),
      finishedAt: field('date-time', 6, 'When its last run ended.'),
      containerID: field('string', 7, 'ID of the container as <runtime>://<id>.'),
    },
  },
  'io.k8s.api.core.v1.VolumeMountStatus': {
    description: 'Observed state of one volume mount.',
    fields: {
      name: field('string', 1, 'Name of the mount, matching the volume.', { required: true }),
      mountPath: field('string', 2, 'Path the volume is mounted at.', { required: true }),
      readOnly: field('boolean', 3, 'Whether the mount is read-only.'),
      recursiveReadOnly: field('string', 4, 'Whether read-only applies to all submounts: Disabled or Enabled.'),
    },
  },
  'io.k8s.api.core.v1.ContainerUser': {
    description: "Identity of a container's first process, by operating system.",
    fields: {
      linux: field(core('LinuxContainerUser'), 1, 'Linux user and groups.'),
    },
  },
  'io.k8s.api.core.v1.LinuxContainerUser': {
    description: 'Linux user and groups of a process.',
    fields: {
      uid: field('int64', 1, 'Primary user ID.', { required: true }),
      gid: field('int64', 2, 'Primary group ID.', { required: true }),
      supplementalGroups: field(arrayOf('int64'), 3, 'Additional group IDs.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.ResourceStatus': {
    description: 'Health of the devices behind one resource allocated to a container.',
    fields: {
      name: field('string', 1, "Resource name, as in the container's resources (a claim reference or extended resource).", { required: true }),
      resources: field(arrayOf(core('ResourceHealth')), 2, 'Health of each device of the resource.', { listType: 'map', listMapKeys: ['resourceID'] }),
    },
  },
  'io.k8s.api.core.v1.ResourceHealth': {
    description: 'Health of one device.',
    fields: {
      resourceID: field('string', 1, 'Unique identifier of the device.', { required: true }),
      health: field('string', 2, 'Healthy, Unhealthy or Unknown.'),
    },
  },
};
