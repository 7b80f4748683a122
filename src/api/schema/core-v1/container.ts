// Containers (regular, init and ephemeral) and everything they declare: ports, environment, resources, mounts,
// probes, lifecycle hooks.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api v0.33 (Kubernetes 1.33).
import type { TypeDef, TypeDefs } from '../model.ts';
import { field, arrayOf, mapOf, mergeList } from '../model.ts';
import { core } from './names.ts';
import { inlined } from './embedding.ts';
import { localObjectReference } from './references.ts';

export const ephemeralContainerCommon: TypeDef = {
  description: 'The Container fields an ephemeral container carries, kept as its own protobuf message.',
  fields: {
    name: field('string', 1, 'Name of the container, a DNS label unique in the pod. Cannot be changed.', { required: true }),
    image: field('string', 2, 'Container image reference.'),
    command: field(arrayOf('string'), 3, "Entrypoint, run without a shell; replaces the image's ENTRYPOINT. $(VAR) references expand from the environment; $$ escapes.", { listType: 'atomic' }),
    args: field(arrayOf('string'), 4, "Arguments to the entrypoint; replace the image's CMD. $(VAR) references expand from the environment; $$ escapes.", { listType: 'atomic' }),
    workingDir: field('string', 5, "Working directory; the image's default when empty."),
    ports: field(arrayOf(core('ContainerPort')), 6, 'Ports the container exposes. Informational: any port the process listens on is reachable anyway.', { patchStrategy: 'merge', patchMergeKey: 'containerPort', listType: 'map', listMapKeys: ['containerPort', 'protocol'] }),
    envFrom: field(arrayOf(core('EnvFromSource')), 19, 'Sources whose keys become environment variables; explicit env entries win on conflict.', { listType: 'atomic' }),
    env: mergeList(core('EnvVar'), 7, 'Environment variables to set.', 'name'),
    resources: field(core('ResourceRequirements'), 8, 'Compute resources the container requests and is limited to.'),
    resizePolicy: field(arrayOf(core('ContainerResizePolicy')), 23, 'Per-resource policy for resizing the container in place.', { listType: 'atomic' }),
    restartPolicy: field('string', 24, 'Only for init containers: Always makes it a sidecar that keeps running alongside the app containers.'),
    volumeMounts: mergeList(core('VolumeMount'), 9, "Volumes to mount into the container's filesystem.", 'mountPath'),
    volumeDevices: mergeList(core('VolumeDevice'), 21, 'Block devices the container uses.', 'devicePath'),
    livenessProbe: field(core('Probe'), 10, 'Check whose failure gets the container restarted.'),
    readinessProbe: field(core('Probe'), 11, 'Check whose failure takes the container out of service endpoints.'),
    startupProbe: field(core('Probe'), 22, 'Check that must succeed before other probes run; its failure restarts the container.'),
    lifecycle: field(core('Lifecycle'), 12, 'Actions run after start and before stop.'),
    terminationMessagePath: field('string', 13, 'File whose content becomes the termination message. Defaults to /dev/termination-log.'),
    terminationMessagePolicy: field('string', 20, 'File, or FallbackToLogsOnError to use the end of the log when the file is empty and the container failed.', { enum: ['FallbackToLogsOnError', 'File'] }),
    imagePullPolicy: field('string', 14, 'Always, Never or IfNotPresent. Defaults to Always for the :latest tag and IfNotPresent otherwise.', { enum: ['Always', 'IfNotPresent', 'Never'] }),
    securityContext: field(core('SecurityContext'), 15, "Security settings of the container, overriding the pod's."),
    stdin: field('boolean', 16, 'Keep a stdin buffer open for the container.'),
    stdinOnce: field('boolean', 17, 'Close stdin after the first attach session ends.'),
    tty: field('boolean', 18, 'Allocate a terminal; requires stdin.'),
  },
};

export const probeHandler: TypeDef = {
  description: 'The check a probe performs; exactly one is set.',
  fields: {
    exec: field(core('ExecAction'), 1, 'Run a command in the container.'),
    httpGet: field(core('HTTPGetAction'), 2, 'Send an HTTP GET request.'),
    tcpSocket: field(core('TCPSocketAction'), 3, 'Open a TCP connection.'),
    grpc: field(core('GRPCAction'), 4, 'Call the gRPC health-checking service.'),
  },
};

export const containerTypes: TypeDefs = {
  'io.k8s.api.core.v1.Container': {
    description: 'One application container of a pod.',
    fields: {
      name: field('string', 1, 'Name of the container, a DNS label unique in the pod. Cannot be changed.', { required: true }),
      image: field('string', 2, 'Container image reference.'),
      command: field(arrayOf('string'), 3, "Entrypoint, run without a shell; replaces the image's ENTRYPOINT. $(VAR) references expand from the environment; $$ escapes.", { listType: 'atomic' }),
      args: field(arrayOf('string'), 4, "Arguments to the entrypoint; replace the image's CMD. $(VAR) references expand from the environment; $$ escapes.", { listType: 'atomic' }),
      workingDir: field('string', 5, "Working directory; the image's default when empty."),
      ports: field(arrayOf(core('ContainerPort')), 6, 'Ports the container exposes. Informational: any port the process listens on is reachable anyway.', { patchStrategy: 'merge', patchMergeKey: 'containerPort', listType: 'map', listMapKeys: ['containerPort', 'protocol'] }),
      envFrom: field(arrayOf(core('EnvFromSource')), 19, 'Sources whose keys become environment variables; explicit env entries win on conflict.', { listType: 'atomic' }),
      env: mergeList(core('EnvVar'), 7, 'Environment variables to set.', 'name'),
      resources: field(core('ResourceRequirements'), 8, 'Compute resources the container requests and is limited to.'),
      resizePolicy: field(arrayOf(core('ContainerResizePolicy')), 23, 'Per-resource policy for resizing the container in place.', { listType: 'atomic' }),
      restartPolicy: field('string', 24, 'Only for init containers: Always makes it a sidecar that keeps running alongside the app containers.'),
      volumeMounts: mergeList(core('VolumeMount'), 9, "Volumes to mount into the container's filesystem.", 'mountPath'),
      volumeDevices: mergeList(core('VolumeDevice'), 21, 'Block devices the container uses.', 'devicePath'),
      livenessProbe: field(core('Probe'), 10, 'Check whose failure gets the container restarted.'),
      readinessProbe: field(core('Probe'), 11, 'Check whose failure takes the container out of service endpoints.'),
      startupProbe: field(core('Probe'), 22, 'Check that must succeed before other probes run; its failure restarts the container.'),
      lifecycle: field(core('Lifecycle'), 12, 'Actions run after start and before stop.'),
      terminationMessagePath: field('string', 13, 'File whose content becomes the termination message. Defaults to /dev/termination-log.'),
      terminationMessagePolicy: field('string', 20, 'File, or FallbackToLogsOnError to use the end of the log when the file is empty and the container failed.', { enum: ['FallbackToLogsOnError', 'File'] }),
      imagePullPolicy: field('string', 14, 'Always, Never or IfNotPresent. Defaults to Always for the :latest tag and IfNotPresent otherwise.', { enum: ['Always', 'IfNotPresent', 'Never'] }),
      securityContext: field(core('SecurityContext'), 15, "Security settings of the container, overriding the pod's."),
      stdin: field('boolean', 16, 'Keep a stdin buffer open for the container.'),
      stdinOnce: field('boolean', 17, 'Close stdin after the first attach session ends.'),
      tty: field('boolean', 18, 'Allocate a terminal; requires stdin.'),
    },
  },
  'io.k8s.api.core.v1.EphemeralContainer': {
    description: 'A temporary container added to a running pod, usually for debugging. Never restarted, and without ports, probes or resource guarantees.',
    fields: {
      ...inlined(ephemeralContainerCommon),
      targetContainerName: field('string', 2, "Container whose namespaces (process, IPC…) this one joins; the pod's when unset."),
    },
  },
  'io.k8s.api.core.v1.EphemeralContainerCommon': ephemeralContainerCommon,
  'io.k8s.api.core.v1.ContainerPort': {
    description: 'A network port of a container.',
    fields: {
      name: field('string', 1, 'Name of the port, an IANA service name unique in the pod, that services can refer to.'),
      hostPort: field('int32', 2, "Port exposed on the node's address; mostly unnecessary."),
      containerPort: field('int32', 3, "Port number on the pod's IP address.", { required: true }),
      protocol: field('string', 4, 'TCP, UDP or SCTP. Defaults to TCP.', { enum: ['SCTP', 'TCP', 'UDP'], default: 'TCP' }),
      hostIP: field('string', 5, 'Node address to bind the host port to.'),
    },
  },
  'io.k8s.api.core.v1.EnvVar': {
    description: 'One environment variable.',
    fields: {
      name: field('string', 1, 'Name of the variable.', { required: true }),
      value: field('string', 2, 'Value; $(VAR) references to earlier variables are expanded, $$ escapes.'),
      valueFrom: field(core('EnvVarSource'), 3, 'Where to read the value from instead; not with value.'),
    },
  },
  'io.k8s.api.core.v1.EnvVarSource': {
    description: "Where an environment variable's value comes from.",
    fields: {
      fieldRef: field(core('ObjectFieldSelector'), 1, 'A field of the pod, such as metadata.name or status.podIP.'),
      resourceFieldRef: field(core('ResourceFieldSelector'), 2, 'A resource limit or request of a container.'),
      configMapKeyRef: field(core('ConfigMapKeySelector'), 3, 'A key of a ConfigMap.'),
      secretKeyRef: field(core('SecretKeySelector'), 4, 'A key of a Secret.'),
    },
  },
  'io.k8s.api.core.v1.ObjectFieldSelector': {
    description: 'Selects a field of the object, by path.',
    structType: 'atomic',
    fields: {
      apiVersion: field('string', 1, 'Version the path is written in. Defaults to v1.'),
      fieldPath: field('string', 2, 'Path of the field.', { required: true }),
    },
  },
  'io.k8s.api.core.v1.ResourceFieldSelector': {
    description: 'Selects a resource limit or request of a container.',
    structType: 'atomic',
    fields: {
      containerName: field('string', 1, 'Container to read; required for volumes, optional for environment variables.'),
      resource: field('string', 2, 'The resource, such as limits.cpu or requests.memory.', { required: true }),
      divisor: field('quantity', 3, 'Unit the value is expressed in. Defaults to 1.'),
    },
  },
  'io.k8s.api.core.v1.ConfigMapKeySelector': {
    description: 'Selects one key of a ConfigMap.',
    structType: 'atomic',
    fields: {
      ...inlined(localObjectReference),
      key: field('string', 2, 'The key to read.', { required: true }),
      optional: field('boolean', 3, 'Whether the object or key may be missing.'),
    },
  },
  'io.k8s.api.core.v1.SecretKeySelector': {
    description: 'Selects one key of a Secret or ConfigMap.',
    structType: 'atomic',
    fields: {
      ...inlined(localObjectReference),
      key: field('string', 2, 'The key to read.', { required: true }),
      optional: field('boolean', 3, 'Whether the object or key may be missing.'),
    },
  },
  'io.k8s.api.core.v1.EnvFromSource': {
    description: 'A ConfigMap or Secret whose keys all become environment variables.',
    fields: {
      prefix: field('string', 1, 'String prepended to every key.'),
      configMapRef: field(core('ConfigMapEnvSource'), 2, 'The ConfigMap to read.'),
      secretRef: field(core('SecretEnvSource'), 3, 'The Secret to read.'),
    },
  },
  'io.k8s.api.core.v1.ConfigMapEnvSource': {
    description: 'A ConfigMap whose keys become environment variables.',
    fields: {
      ...inlined(localObjectReference),
      optional: field('boolean', 2, 'Whether the object may be missing.'),
    },
  },
  'io.k8s.api.core.v1.SecretEnvSource': {
    description: 'A Secret or ConfigMap whose keys become environment variables.',
    fields: {
      ...inlined(localObjectReference),
      optional: field('boolean', 2, 'Whether the object may be missing.'),
    },
  },
  'io.k8s.api.core.v1.ResourceRequirements': {
    description: 'Compute resources requested and limits enforced.',
    fields: {
      limits: field(mapOf('quantity'), 1, 'Maximum amount of each resource allowed.'),
      requests: field(mapOf('quantity'), 2, 'Minimum amount of each resource required; defaults to the limit when only that is set.'),
      claims: field(arrayOf(core('ResourceClaim')), 3, "Names of the pod's resourceClaims this container uses. Cannot be changed.", { listType: 'map', listMapKeys: ['name'] }),
    },
  },
  'io.k8s.api.core.v1.ResourceClaim': {
    description: "A reference to one of the pod's resource claims.",
    fields: {
      name: field('string', 1, "Name of an entry in the pod's resourceClaims.", { required: true }),
      request: field('string', 2, "Name of one request in the claim, to use only that request's result; the whole claim when empty."),
    },
  },
  'io.k8s.api.core.v1.ContainerResizePolicy': {
    description: 'How to apply an in-place resize of one resource.',
    fields: {
      resourceName: field('string', 1, 'cpu or memory.', { required: true }),
      restartPolicy: field('string', 2, 'NotRequired or RestartContainer.', { required: true }),
    },
  },
  'io.k8s.api.core.v1.VolumeMount': {
    description: 'A volume mounted into a container.',
    fields: {
      name: field('string', 1, 'Name of the pod volume.', { required: true }),
      readOnly: field('boolean', 2, 'Mount read-only. Defaults to false.'),
      recursiveReadOnly: field('string', 7, 'Whether a read-only mount is read-only for its submounts too: Disabled, IfPossible or Enabled.'),
      mountPath: field('string', 3, "Path in the container to mount at; must not contain ':'.", { required: true }),
      subPath: field('string', 4, 'Path inside the volume to mount instead of its root.'),
      mountPropagation: field('string', 5, 'How mounts propagate between host and container: None, HostToContainer or Bidirectional.', { enum: ['Bidirectional', 'HostToContainer', 'None'] }),
      subPathExpr: field('string', 6, "Like subPath, with $(VAR) references expanded from the container's environment."),
    },
  },
  'io.k8s.api.core.v1.VolumeDevice': {
    description: 'A raw block volume mapped into a container.',
    fields: {
      name: field('string', 1, 'Name of a persistentVolumeClaim volume of the pod.', { required: true }),
      devicePath: field('string', 2, 'Path in the container to map the device to.', { required: true }),
    },
  },
  'io.k8s.api.core.v1.Probe': {
    description: 'A health check on a container and when to run it.',
    fields: {
      ...inlined(probeHandler),
      initialDelaySeconds: field('int32', 2, 'Seconds after start before the first probe.'),
      timeoutSeconds: field('int32', 3, 'Seconds before a probe attempt times out. Defaults to 1.'),
      periodSeconds: field('int32', 4, 'Seconds between probes. Defaults to 10.'),
      successThreshold: field('int32', 5, 'Consecutive successes to count as healthy after a failure. Defaults to 1; must be 1 for liveness and startup.'),
      failureThreshold: field('int32', 6, 'Consecutive failures to count as failed. Defaults to 3.'),
      terminationGracePeriodSeconds: field('int64', 7, "Grace period when a failing probe kills the container, overriding the pod's."),
    },
  },
  'io.k8s.api.core.v1.ProbeHandler': probeHandler,
  'io.k8s.api.core.v1.ExecAction': {
    description: 'A command run inside the container.',
    fields: {
      command: field(arrayOf('string'), 1, 'Command line, run without a shell; exit status 0 means success.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.HTTPGetAction': {
    description: 'An HTTP GET request.',
    fields: {
      path: field('string', 1, 'Path to request.'),
      port: field('int-or-string', 2, 'Port number or named container port.', { required: true }),
      host: field('string', 3, 'Host to connect to; the pod IP by default. Set a Host header in httpHeaders instead of changing this.'),
      scheme: field('string', 4, 'HTTP or HTTPS. Defaults to HTTP.', { enum: ['HTTP', 'HTTPS'] }),
      httpHeaders: field(arrayOf(core('HTTPHeader')), 5, 'Extra request headers.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.HTTPHeader': {
    description: 'One HTTP header.',
    fields: {
      name: field('string', 1, 'Header name.', { required: true }),
      value: field('string', 2, 'Header value.', { required: true }),
    },
  },
  'io.k8s.api.core.v1.TCPSocketAction': {
    description: 'A TCP connection attempt.',
    fields: {
      port: field('int-or-string', 1, 'Port number or named container port.', { required: true }),
      host: field('string', 2, 'Host to connect to; the pod IP by default.'),
    },
  },
  'io.k8s.api.core.v1.GRPCAction': {
    description: 'A call to the standard gRPC health-checking service.',
    fields: {
      port: field('int32', 1, 'Port of the gRPC service.', { required: true }),
      service: field('string', 2, 'Service name sent in the health check request; empty checks the server as a whole.', { default: '' }),
    },
  },
  'io.k8s.api.core.v1.Lifecycle': {
    description: "Actions the kubelet runs around a container's start and stop.",
    fields: {
      postStart: field(core('LifecycleHandler'), 1, 'Runs right after the container is created; on failure the container is restarted.'),
      preStop: field(core('LifecycleHandler'), 2, 'Runs before the container is stopped by an API request or management event; the grace period keeps counting meanwhile.'),
      stopSignal: field('string', 3, "Signal sent to stop the container, overriding the image's STOPSIGNAL. Needs spec.os.name.", { enum: ['SIGABRT', 'SIGALRM', 'SIGBUS', 'SIGCHLD', 'SIGCLD', 'SIGCONT', 'SIGFPE', 'SIGHUP', 'SIGILL', 'SIGINT', 'SIGIO', 'SIGIOT', 'SIGKILL', 'SIGPIPE', 'SIGPOLL', 'SIGPROF', 'SIGPWR', 'SIGQUIT', 'SIGRTMAX', 'SIGRTMAX-1', 'SIGRTMAX-10', 'SIGRTMAX-11', 'SIGRTMAX-12', 'SIGRTMAX-13', 'SIGRTMAX-14', 'SIGRTMAX-2', 'SIGRTMAX-3', 'SIGRTMAX-4', 'SIGRTMAX-5', 'SIGRTMAX-6', 'SIGRTMAX-7', 'SIGRTMAX-8', 'SIGRTMAX-9', 'SIGRTMIN', 'SIGRTMIN+1', 'SIGRTMIN+10', 'SIGRTMIN+11', 'SIGRTMIN+12', 'SIGRTMIN+13', 'SIGRTMIN+14', 'SIGRTMIN+15', 'SIGRTMIN+2', 'SIGRTMIN+3', 'SIGRTMIN+4', 'SIGRTMIN+5', 'SIGRTMIN+6', 'SIGRTMIN+7', 'SIGRTMIN+8', 'SIGRTMIN+9', 'SIGSEGV', 'SIGSTKFLT', 'SIGSTOP', 'SIGSYS', 'SIGTERM', 'SIGTRAP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGUSR1', 'SIGUSR2', 'SIGVTALRM', 'SIGWINCH', 'SIGXCPU', 'SIGXFSZ'] }),
    },
  },
  'io.k8s.api.core.v1.LifecycleHandler': {
    description: 'The action of a lifecycle hook; exactly one is set.',
    fields: {
      exec: field(core('ExecAction'), 1, 'Run a command in the container.'),
      httpGet: field(core('HTTPGetAction'), 2, 'Send an HTTP GET request.'),
      tcpSocket: field(core('TCPSocketAction'), 3, 'Open a TCP connection.'),
      sleep: field(core('SleepAction'), 4, 'Pause for a while.'),
    },
  },
  'io.k8s.api.core.v1.SleepAction': {
    description: 'A pause.',
    fields: {
      seconds: field('int64', 1, 'Seconds to sleep.', { required: true }),
    },
  },
};
