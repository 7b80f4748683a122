// Service and Endpoints kinds.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api v0.33 (Kubernetes 1.33).
import type { TypeDefs } from '../model.ts';
import { field, arrayOf, mapOf, mergeList, objectHeader, listType } from '../model.ts';
import { core, meta } from './names.ts';

export const serviceTypes: TypeDefs = {
  'io.k8s.api.core.v1.Service': {
    description: 'A named, stable network endpoint for a set of pods, with optional load balancing.',
    gvk: [{ group: '', version: 'v1', kind: 'Service' }],
    fields: {
      ...objectHeader(),
      spec: field(core('ServiceSpec'), 2, 'Desired behaviour of the service.'),
      status: field(core('ServiceStatus'), 3, 'Most recently observed state of the service.'),
    },
  },
  'io.k8s.api.core.v1.ServiceList': listType('io.k8s.api.core.v1.Service', { group: '', version: 'v1', kind: 'ServiceList' }, 'A list of Services.'),
  'io.k8s.api.core.v1.ServiceSpec': {
    description: 'Desired behaviour of a service.',
    fields: {
      ports: field(arrayOf(core('ServicePort')), 1, 'Ports the service exposes.', { patchStrategy: 'merge', patchMergeKey: 'port', listType: 'map', listMapKeys: ['port', 'protocol'] }),
      selector: field(mapOf('string'), 2, "Labels of the pods that receive the service's traffic; when empty, endpoints are managed externally. Only for ClusterIP, NodePort and LoadBalancer.", { mapType: 'atomic' }),
      clusterIP: field('string', 3, 'Virtual IP address of the service, usually allocated by the server; None makes a headless service. Mostly immutable.'),
      clusterIPs: field(arrayOf('string'), 18, 'Virtual IP addresses, at most one per address family; the first equals clusterIP.', { listType: 'atomic' }),
      type: field('string', 4, 'ClusterIP (default), NodePort, LoadBalancer or ExternalName.', { enum: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] }),
      externalIPs: field(arrayOf('string'), 5, 'Extra IP addresses on which nodes accept traffic for the service; not managed by Kubernetes.', { listType: 'atomic' }),
      sessionAffinity: field('string', 7, 'ClientIP to keep sending a client to the same endpoint, or None. Defaults to None.', { enum: ['ClientIP', 'None'] }),
      loadBalancerIP: field('string', 8, 'Deprecated: requested load balancer IP, honoured only by some providers.'),
      loadBalancerSourceRanges: field(arrayOf('string'), 9, 'Client networks allowed through a cloud load balancer, when the provider supports it.', { listType: 'atomic' }),
      externalName: field('string', 10, 'DNS name the service aliases, returned as a CNAME; only for type ExternalName.'),
      externalTrafficPolicy: field('string', 11, 'Cluster or Local: whether external traffic may go to endpoints on other nodes. Local keeps the client source IP.', { enum: ['Cluster', 'Local'] }),
      healthCheckNodePort: field('int32', 12, 'Node port serving health checks for the Local external traffic policy of a LoadBalancer service.'),
      publishNotReadyAddresses: field('boolean', 13, 'Publish endpoints of pods that are not ready, such as for peer discovery in stateful sets.'),
      sessionAffinityConfig: field(core('SessionAffinityConfig'), 14, 'Settings of session affinity.'),
      ipFamilies: field(arrayOf('string'), 19, 'Address families (IPv4, IPv6) of the service, in order; set by the server from ipFamilyPolicy when omitted.', { listType: 'atomic' }),
      ipFamilyPolicy: field('string', 17, 'SingleStack, PreferDualStack or RequireDualStack.', { enum: ['PreferDualStack', 'RequireDualStack', 'SingleStack'] }),
      allocateLoadBalancerNodePorts: field('boolean', 20, 'Whether to allocate node ports for a LoadBalancer service. Defaults to true.'),
      loadBalancerClass: field('string', 21, "Implementation of load balancers to use, such as a class prefix; the cloud provider's default when unset. Immutable."),
      internalTrafficPolicy: field('string', 22, 'Cluster or Local: whether traffic from inside the cluster may go to endpoints on other nodes.', { enum: ['Cluster', 'Local'] }),
      trafficDistribution: field('string', 23, 'Preference for distributing traffic among endpoints, such as PreferClose for topologically near ones.'),
    },
  },
  'io.k8s.api.core.v1.ServicePort': {
    description: 'One port of a service.',
    fields: {
      name: field('string', 1, 'Name of the port, required when there are several; must be unique and a DNS label.'),
      protocol: field('string', 2, 'TCP, UDP or SCTP. Defaults to TCP.', { enum: ['SCTP', 'TCP', 'UDP'], default: 'TCP' }),
      appProtocol: field('string', 6, 'Application protocol, such as http or kubernetes.io/h2c, as a hint to implementations.'),
      port: field('int32', 3, 'Port the service exposes.', { required: true }),
      targetPort: field('int-or-string', 4, 'Port number or named port on the pods. Defaults to port.'),
      nodePort: field('int32', 5, 'Port opened on every node for NodePort and LoadBalancer services; allocated when unset.'),
    },
  },
  'io.k8s.api.core.v1.SessionAffinityConfig': {
    description: 'Settings of session affinity.',
    fields: {
      clientIP: field(core('ClientIPConfig'), 1, 'Settings of ClientIP affinity.'),
    },
  },
  'io.k8s.api.core.v1.ClientIPConfig': {
    description: 'Settings of ClientIP session affinity.',
    fields: {
      timeoutSeconds: field('int32', 1, 'Seconds an affinity lasts, 1 to 86400. Defaults to 10800 (3 hours).'),
    },
  },
  'io.k8s.api.core.v1.ServiceStatus': {
    description: 'Observed state of a service.',
    fields: {
      loadBalancer: field(core('LoadBalancerStatus'), 1, 'State of the load balancer, if any.'),
      conditions: mergeList(meta('Condition'), 2, 'Current conditions of the service.', 'type'),
    },
  },
  'io.k8s.api.core.v1.LoadBalancerStatus': {
    description: 'State of a load balancer.',
    fields: {
      ingress: field(arrayOf(core('LoadBalancerIngress')), 1, 'Addresses where traffic for the load balancer enters.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.LoadBalancerIngress': {
    description: 'One entry point of a load balancer.',
    fields: {
      ip: field('string', 1, 'IP address of the entry point.'),
      hostname: field('string', 2, 'DNS name of the entry point.'),
      ipMode: field('string', 3, 'VIP (traffic arrives addressed to the load balancer IP) or Proxy (traffic arrives addressed to the node or pod).'),
      ports: field(arrayOf(core('PortStatus')), 4, 'State of each service port on this entry point.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.PortStatus': {
    description: 'State of one port of a load balancer.',
    fields: {
      port: field('int32', 1, 'Port number.', { required: true }),
      protocol: field('string', 2, 'TCP, UDP or SCTP.', { required: true, enum: ['SCTP', 'TCP', 'UDP'] }),
      error: field('string', 3, 'Problem with the port in CamelCase, such as a provider-specific error; empty when fine.'),
    },
  },
  'io.k8s.api.core.v1.Endpoints': {
    description: "The network addresses of a service's backends. Deprecated in favour of EndpointSlice.",
    gvk: [{ group: '', version: 'v1', kind: 'Endpoints' }],
    fields: {
      ...objectHeader(),
      subsets: field(arrayOf(core('EndpointSubset')), 2, 'Groups of addresses sharing the same ports.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.EndpointsList': listType('io.k8s.api.core.v1.Endpoints', { group: '', version: 'v1', kind: 'EndpointsList' }, 'A list of Endpoints.'),
  'io.k8s.api.core.v1.EndpointSubset': {
    description: 'Addresses that all share the same set of ports.',
    fields: {
      addresses: field(arrayOf(core('EndpointAddress')), 1, 'Addresses that are ready to serve.', { listType: 'atomic' }),
      notReadyAddresses: field(arrayOf(core('EndpointAddress')), 2, 'Addresses that are not ready, or not ready yet.', { listType: 'atomic' }),
      ports: field(arrayOf(core('EndpointPort')), 3, 'Ports available on every address.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.EndpointAddress': {
    description: 'One backend address of a service.',
    structType: 'atomic',
    fields: {
      ip: field('string', 1, 'IP address of the backend.', { required: true }),
      hostname: field('string', 3, 'Hostname of the backend.'),
      nodeName: field('string', 4, 'Node hosting the backend.'),
      targetRef: field(core('ObjectReference'), 2, 'Object providing the backend, usually a pod.'),
    },
  },
  'io.k8s.api.core.v1.EndpointPort': {
    description: 'One port of the backends.',
    structType: 'atomic',
    fields: {
      name: field('string', 1, "Name of the port, matching the service port's name."),
      port: field('int32', 2, 'Port number.', { required: true }),
      protocol: field('string', 3, 'TCP, UDP or SCTP. Defaults to TCP.', { enum: ['SCTP', 'TCP', 'UDP'] }),
      appProtocol: field('string', 4, 'Application protocol of the port, as a hint to implementations.'),
    },
  },
};
