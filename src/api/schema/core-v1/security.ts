// Security settings of pods and containers.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api v0.33 (Kubernetes 1.33).
import type { TypeDefs } from '../model.ts';
import { field, arrayOf } from '../model.ts';
import { core } from './names.ts';

export const securityTypes: TypeDefs = {
  'io.k8s.api.core.v1.SecurityContext': {
    description: "Security settings of a container; set ones override the pod's.",
    fields: {
      capabilities: field(core('Capabilities'), 1, 'Kernel capabilities to add and drop. Not for Windows.'),
      privileged: field('boolean', 2, 'Run as privileged, equivalent to root on the host. Not for Windows.'),
      seLinuxOptions: field(core('SELinuxOptions'), 3, 'SELinux context of the container. Not for Windows.'),
      windowsOptions: field(core('WindowsSecurityContextOptions'), 10, 'Windows-specific options. Only for Windows.'),
      runAsUser: field('int64', 4, "UID the entrypoint runs as; the image's user when unset. Not for Windows."),
      runAsGroup: field('int64', 8, 'Primary GID of the entrypoint; the runtime default when unset. Not for Windows.'),
      runAsNonRoot: field('boolean', 5, 'Refuse to start the container if it would run as UID 0.'),
      readOnlyRootFilesystem: field('boolean', 6, "Mount the container's root filesystem read-only. Not for Windows."),
      allowPrivilegeEscalation: field('boolean', 7, 'Whether a process may gain more privileges than its parent (no_new_privs). Not for Windows.'),
      procMount: field('string', 9, 'Default or Unmasked /proc mount. Not for Windows.', { enum: ['Default', 'Unmasked'] }),
      seccompProfile: field(core('SeccompProfile'), 11, "Seccomp profile of the container, overriding the pod's. Not for Windows."),
      appArmorProfile: field(core('AppArmorProfile'), 12, "AppArmor profile of the container, overriding the pod's. Not for Windows."),
    },
  },
  'io.k8s.api.core.v1.PodSecurityContext': {
    description: "Pod-wide security settings, and defaults for the containers' own.",
    fields: {
      seLinuxOptions: field(core('SELinuxOptions'), 1, 'SELinux context applied to all containers. Not for Windows.'),
      windowsOptions: field(core('WindowsSecurityContextOptions'), 8, 'Windows-specific options for all containers. Only for Windows.'),
      runAsUser: field('int64', 2, 'UID container entrypoints run as by default. Not for Windows.'),
      runAsGroup: field('int64', 6, 'Primary GID of container entrypoints by default. Not for Windows.'),
      runAsNonRoot: field('boolean', 3, 'Refuse to start containers that would run as UID 0.'),
      supplementalGroups: field(arrayOf('int64'), 4, "Extra GIDs given to each container's first process. Not for Windows.", { listType: 'atomic' }),
      supplementalGroupsPolicy: field('string', 12, "Merge (default: also the image's groups from /etc/group) or Strict (only the listed groups). Not for Windows.", { enum: ['Merge', 'Strict'] }),
      fsGroup: field('int64', 5, "GID that owns supporting volumes and is added to every container's groups. Not for Windows."),
      sysctls: field(arrayOf(core('Sysctl')), 7, 'Namespaced kernel parameters set for the pod. Not for Windows.', { listType: 'atomic' }),
      fsGroupChangePolicy: field('string', 9, 'OnRootMismatch or Always: when volume ownership is changed to fsGroup. Not for Windows.', { enum: ['Always', 'OnRootMismatch'] }),
      seccompProfile: field(core('SeccompProfile'), 10, 'Seccomp profile of all containers. Not for Windows.'),
      appArmorProfile: field(core('AppArmorProfile'), 11, 'AppArmor profile of all containers. Not for Windows.'),
      seLinuxChangePolicy: field('string', 13, 'How the SELinux label is applied to volumes: Recursive relabelling or a MountOption. Not for Windows.'),
    },
  },
  'io.k8s.api.core.v1.Capabilities': {
    description: 'Linux capabilities to add to and drop from a container.',
    fields: {
      add: field(arrayOf('string'), 1, 'Capabilities to add.', { listType: 'atomic' }),
      drop: field(arrayOf('string'), 2, 'Capabilities to drop.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.SELinuxOptions': {
    description: 'An SELinux context.',
    fields: {
      user: field('string', 1, 'SELinux user.'),
      role: field('string', 2, 'SELinux role.'),
      type: field('string', 3, 'SELinux type.'),
      level: field('string', 4, 'SELinux level.'),
    },
  },
  'io.k8s.api.core.v1.SeccompProfile': {
    description: 'A seccomp profile; exactly one source is used.',
    fields: {
      type: field('string', 1, 'RuntimeDefault, Unconfined or Localhost.', { required: true, enum: ['Localhost', 'RuntimeDefault', 'Unconfined'] }),
      localhostProfile: field('string', 2, "Path of a profile file under the kubelet's seccomp directory; only with type Localhost."),
    },
  },
  'io.k8s.api.core.v1.AppArmorProfile': {
    description: 'An AppArmor profile.',
    fields: {
      type: field('string', 1, 'RuntimeDefault, Unconfined or Localhost.', { required: true, enum: ['Localhost', 'RuntimeDefault', 'Unconfined'] }),
      localhostProfile: field('string', 2, 'Name of a profile loaded on the node; only with type Localhost.'),
    },
  },
  'io.k8s.api.core.v1.WindowsSecurityContextOptions': {
    description: 'Windows-specific security options.',
    fields: {
      gmsaCredentialSpecName: field('string', 1, 'Name of the GMSACredentialSpec resource to use.'),
      gmsaCredentialSpec: field('string', 2, 'Contents of the GMSA credential spec named by gmsaCredentialSpecName, filled in by a webhook.'),
      runAsUserName: field('string', 3, 'Windows user name the entrypoint runs as.'),
      hostProcess: field('boolean', 4, 'Run as a Windows HostProcess container; all containers of the pod must agree, and hostNetwork must be true.'),
    },
  },
  'io.k8s.api.core.v1.Sysctl': {
    description: 'A kernel parameter to set.',
    fields: {
      name: field('string', 1, 'Name of the parameter.', { required: true }),
      value: field('string', 2, 'Value to set.', { required: true }),
    },
  },
};
