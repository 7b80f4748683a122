// The Node kind: spec, status and the facts a kubelet reports about its machine.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api v0.33 (Kubernetes 1.33).
import type { TypeDefs } from '../model.ts';
import { field, arrayOf, mapOf, mergeList, objectHeader, listType } from '../model.ts';
import { core } from './names.ts';

export const nodeTypes: TypeDefs = {
  'io.k8s.api.core.v1.Node': {
    description: 'A machine (physical or virtual) that runs pods.',
    gvk: [{ group: '', version: 'v1', kind: 'Node' }],
    fields: {
      ...objectHeader(),
      spec: field(core('NodeSpec'), 2, 'How the node is configured.'),
      status: field(core('NodeStatus'), 3, 'Most recently observed state of the node.'),
    },
  },
  'io.k8s.api.core.v1.NodeList': listType('io.k8s.api.core.v1.Node', { group: '', version: 'v1', kind: 'NodeList' }, 'A list of Nodes.'),
  'io.k8s.api.core.v1.NodeSpec': {
    description: 'How a node is configured.',
    fields: {
      podCIDR: field('string', 1, 'Pod IP range assigned to the node.'),
      podCIDRs: field(arrayOf('string'), 7, 'Pod IP ranges assigned to the node, at most one per address family; the first equals podCIDR.', { patchStrategy: 'merge', listType: 'set' }),
      providerID: field('string', 3, "Cloud provider's identifier of the node, as <provider>://<id>."),
      unschedulable: field('boolean', 4, 'Keep new pods off the node.'),
      taints: field(arrayOf(core('Taint')), 5, 'Taints repelling pods that do not tolerate them.', { listType: 'atomic' }),
      configSource: field(core('NodeConfigSource'), 6, 'Deprecated: dynamic kubelet configuration is no longer supported.'),
      externalID: field('string', 2, 'Deprecated and ignored.'),
    },
  },
  'io.k8s.api.core.v1.Taint': {
    description: 'Repels pods that do not tolerate it from a node.',
    fields: {
      key: field('string', 1, 'Taint key.', { required: true }),
      value: field('string', 2, 'Taint value.'),
      effect: field('string', 3, 'NoSchedule, PreferNoSchedule or NoExecute.', { required: true, enum: ['NoExecute', 'NoSchedule', 'PreferNoSchedule'] }),
      timeAdded: field('date-time', 4, 'When a NoExecute taint was added.'),
    },
  },
  'io.k8s.api.core.v1.NodeConfigSource': {
    description: 'Deprecated: a source of dynamic kubelet configuration.',
    fields: {
      configMap: field(core('ConfigMapNodeConfigSource'), 2, 'ConfigMap holding the configuration.'),
    },
  },
  'io.k8s.api.core.v1.ConfigMapNodeConfigSource': {
    description: 'Deprecated: a ConfigMap holding kubelet configuration.',
    fields: {
      namespace: field('string', 1, 'Namespace of the ConfigMap.', { required: true }),
      name: field('string', 2, 'Name of the ConfigMap.', { required: true }),
      uid: field('string', 3, 'UID of the ConfigMap.'),
      resourceVersion: field('string', 4, 'Resource version of the ConfigMap.'),
      kubeletConfigKey: field('string', 5, 'Key of the ConfigMap holding the configuration.', { required: true }),
    },
  },
  'io.k8s.api.core.v1.NodeStatus': {
    description: 'Most recently observed state of a node.',
    fields: {
      capacity: field(mapOf('quantity'), 1, 'Total resources of the node.'),
      allocatable: field(mapOf('quantity'), 2, 'Resources available to pods.'),
      phase: field('string', 3, 'Deprecated and unused.', { enum: ['Pending', 'Running', 'Terminated'] }),
      conditions: mergeList(core('NodeCondition'), 4, 'Current conditions, such as Ready and MemoryPressure.', 'type'),
      addresses: mergeList(core('NodeAddress'), 5, 'Addresses of the node.', 'type'),
      daemonEndpoints: field(core('NodeDaemonEndpoints'), 6, 'Ports of the daemons running on the node.'),
      nodeInfo: field(core('NodeSystemInfo'), 7, "Facts about the node's software and hardware."),
      images: field(arrayOf(core('ContainerImage')), 8, 'Images present on the node.', { listType: 'atomic' }),
      volumesInUse: field(arrayOf('string'), 9, 'Attachable volumes in use by the node.', { listType: 'atomic' }),
      volumesAttached: field(arrayOf(core('AttachedVolume')), 10, 'Volumes attached to the node.', { listType: 'atomic' }),
      config: field(core('NodeConfigStatus'), 11, 'Deprecated: status of dynamic kubelet configuration.'),
      runtimeHandlers: field(arrayOf(core('NodeRuntimeHandler')), 12, 'Runtime handlers the node offers.', { listType: 'atomic' }),
      features: field(core('NodeFeatures'), 13, 'Optional features the node implements.'),
    },
  },
  'io.k8s.api.core.v1.NodeCondition': {
    description: "One observation about a node's state.",
    fields: {
      type: field('string', 1, 'Type of condition, such as Ready, MemoryPressure, DiskPressure, PIDPressure or NetworkUnavailable.', { required: true }),
      status: field('string', 2, 'True, False or Unknown.', { required: true }),
      lastHeartbeatTime: field('date-time', 3, 'When the condition was last reported.'),
      lastTransitionTime: field('date-time', 4, 'When status last changed.'),
      reason: field('string', 5, 'Brief CamelCase reason for the last transition.'),
      message: field('string', 6, 'Human-readable details of the last transition.'),
    },
  },
  'io.k8s.api.core.v1.NodeAddress': {
    description: 'One address of a node.',
    fields: {
      type: field('string', 1, 'Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.', { required: true }),
      address: field('string', 2, 'The address.', { required: true }),
    },
  },
  'io.k8s.api.core.v1.NodeDaemonEndpoints': {
    description: 'Ports of the daemons running on a node.',
    fields: {
      kubeletEndpoint: field(core('DaemonEndpoint'), 1, "The kubelet's endpoint."),
    },
  },
  'io.k8s.api.core.v1.DaemonEndpoint': {
    description: 'The port a daemon listens on.',
    fields: {
      Port: field('int32', 1, 'Port number.', { required: true }),
    },
  },
  'io.k8s.api.core.v1.NodeSystemInfo': {
    description: "Facts about a node's software and hardware.",
    fields: {
      machineID: field('string', 1, 'Machine ID from /etc/machine-id.', { required: true }),
      systemUUID: field('string', 2, 'System UUID reported by the hardware.', { required: true }),
      bootID: field('string', 3, 'Identifier of the current boot.', { required: true }),
      kernelVersion: field('string', 4, 'Kernel version, from uname -r.', { required: true }),
      osImage: field('string', 5, 'Operating system image, from /etc/os-release.', { required: true }),
      containerRuntimeVersion: field('string', 6, 'Container runtime and its version, as <runtime>://<version>.', { required: true }),
      kubeletVersion: field('string', 7, 'Kubelet version.', { required: true }),
      kubeProxyVersion: field('string', 8, 'Deprecated and not reliable.', { required: true }),
      operatingSystem: field('string', 9, 'Operating system, such as linux.', { required: true }),
      architecture: field('string', 10, 'CPU architecture, such as amd64.', { required: true }),
      swap: field(core('NodeSwapStatus'), 11, 'Swap memory of the node.'),
    },
  },
  'io.k8s.api.core.v1.NodeSwapStatus': {
    description: 'Swap memory of a node.',
    fields: {
      capacity: field('int64', 1, 'Total swap in bytes.'),
    },
  },
  'io.k8s.api.core.v1.ContainerImage': {
    description: 'An image present on a node.',
    fields: {
      names: field(arrayOf('string'), 1, 'Names the image is known by, such as tags and digests.', { listType: 'atomic' }),
      sizeBytes: field('int64', 2, 'Size of the image in bytes.'),
    },
  },
  'io.k8s.api.core.v1.AttachedVolume': {
    description: 'A volume attached to a node.',
    fields: {
      name: field('string', 1, 'Name of the volume.', { required: true }),
      devicePath: field('string', 2, 'Where the device should be available on the node.', { required: true }),
    },
  },
  'io.k8s.api.core.v1.NodeConfigStatus': {
    description: 'Deprecated: status of dynamic kubelet configuration.',
    fields: {
      assigned: field(core('NodeConfigSource'), 1, 'Configuration the node was assigned.'),
      active: field(core('NodeConfigSource'), 2, 'Configuration the node is running.'),
      lastKnownGood: field(core('NodeConfigSource'), 3, 'Configuration the node falls back to.'),
      error: field('string', 4, 'Error in handling the configuration.'),
    },
  },
  'io.k8s.api.core.v1.NodeRuntimeHandler': {
    description: 'A runtime handler offered by a node.',
    fields: {
      name: field('string', 1, 'Name of the handler; empty for the default.'),
      features: field(core('NodeRuntimeHandlerFeatures'), 2, 'Features the handler supports.'),
    },
  },
  'io.k8s.api.core.v1.NodeRuntimeHandlerFeatures': {
    description: 'Features a runtime handler supports.',
    fields: {
      recursiveReadOnlyMounts: field('boolean', 1, 'Whether recursive read-only mounts work.'),
      userNamespaces: field('boolean', 2, 'Whether user namespaces work, for volumes too.'),
    },
  },
  'io.k8s.api.core.v1.NodeFeatures': {
    description: 'Optional features a node implements.',
    fields: {
      supplementalGroupsPolicy: field('boolean', 1, "Whether the node honours a pod's supplementalGroupsPolicy."),
    },
  },
};
