// networking.k8s.io/v1: Ingress, IngressClass, NetworkPolicy, IPAddress and ServiceCIDR.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api 1.33 (generated.proto, types.go).
import type { GroupVersionKind, TypeDefs } from '../model.ts';
import { META, arrayOf, field, listType, mergeList, objectHeader, ref } from '../model.ts';

const NETWORKING = 'io.k8s.api.networking.v1';
const CORE = 'io.k8s.api.core.v1';
const gvk = (kind: string): GroupVersionKind => ({ group: 'networking.k8s.io', version: 'v1', kind });

export const networkingV1Types: TypeDefs = {
  [`${NETWORKING}.NetworkPolicy`]: {
    description: 'Controls which network traffic may reach or leave a set of pods.',
    gvk: [gvk('NetworkPolicy')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${NETWORKING}.NetworkPolicySpec`), 2, 'The desired behaviour of the policy.'),
    },
  },
  [`${NETWORKING}.NetworkPolicySpec`]: {
    description: 'The pods a NetworkPolicy selects and the traffic it allows.',
    fields: {
      podSelector: field(ref(`${META}.LabelSelector`), 1, 'Pods in this namespace the policy applies to; an empty selector selects all of them.', { required: true }),
      ingress: field(arrayOf(ref(`${NETWORKING}.NetworkPolicyIngressRule`)), 2, 'Incoming traffic allowed to the selected pods; traffic matching any rule is allowed. Empty means none is allowed.', { listType: 'atomic' }),
      egress: field(arrayOf(ref(`${NETWORKING}.NetworkPolicyEgressRule`)), 3, 'Outgoing traffic allowed from the selected pods; traffic matching any rule is allowed. Empty means none is allowed.', { listType: 'atomic' }),
      policyTypes: field(arrayOf('string'), 4, 'Which directions the policy covers: Ingress, Egress or both. When unset, Ingress always, and Egress if egress rules exist.', { listType: 'atomic', enum: ['Egress', 'Ingress'] }),
    },
  },
  [`${NETWORKING}.NetworkPolicyIngressRule`]: {
    description: 'Traffic that may reach the selected pods: it must match both ports and from.',
    fields: {
      ports: field(arrayOf(ref(`${NETWORKING}.NetworkPolicyPort`)), 1, 'Ports traffic may reach; empty or missing allows all ports.', { listType: 'atomic' }),
      from: field(arrayOf(ref(`${NETWORKING}.NetworkPolicyPeer`)), 2, 'Sources traffic may come from; empty or missing allows all sources.', { listType: 'atomic' }),
    },
  },
  [`${NETWORKING}.NetworkPolicyEgressRule`]: {
    description: 'Traffic the selected pods may send: it must match both ports and to.',
    fields: {
      ports: field(arrayOf(ref(`${NETWORKING}.NetworkPolicyPort`)), 1, 'Destination ports allowed; empty or missing allows all ports.', { listType: 'atomic' }),
      to: field(arrayOf(ref(`${NETWORKING}.NetworkPolicyPeer`)), 2, 'Destinations allowed; empty or missing allows all destinations.', { listType: 'atomic' }),
    },
  },
  [`${NETWORKING}.NetworkPolicyPort`]: {
    description: 'A port, or range of ports, and protocol.',
    fields: {
      protocol: field('string', 1, 'TCP, UDP or SCTP. Defaults to TCP.', { enum: ['SCTP', 'TCP', 'UDP'] }),
      port: field('int-or-string', 2, 'A port number or named port on the pods; unset matches all ports.'),
      endPort: field('int32', 3, 'With a numeric port, the last port of the range port..endPort.'),
    },
  },
  [`${NETWORKING}.IPBlock`]: {
    description: 'A CIDR range allowed as a peer, minus exceptions.',
    fields: {
      cidr: field('string', 1, 'The allowed range, such as "192.168.1.0/24" or "2001:db8::/64".', { required: true }),
      except: field(arrayOf('string'), 2, 'Ranges inside cidr that are not allowed.', { listType: 'atomic' }),
    },
  },
  [`${NETWORKING}.NetworkPolicyPeer`]: {
    description: 'A peer that traffic may come from or go to; set either ipBlock or the selectors.',
    fields: {
      podSelector: field(ref(`${META}.LabelSelector`), 1, "Pods selected by label; with namespaceSelector, the pods in those namespaces, otherwise in the policy's namespace."),
      namespaceSelector: field(ref(`${META}.LabelSelector`), 2, 'Namespaces selected by label; with podSelector, narrows to those pods, otherwise all their pods.'),
      ipBlock: field(ref(`${NETWORKING}.IPBlock`), 3, 'An IP range; intended for traffic from outside the cluster.'),
    },
  },
  [`${NETWORKING}.NetworkPolicyList`]: listType(`${NETWORKING}.NetworkPolicy`, gvk('NetworkPolicyList'), 'A list of NetworkPolicies.'),
  [`${NETWORKING}.Ingress`]: {
    description: 'Routes outside HTTP(S) traffic to Services by host and path, as carried out by an ingress controller.',
    gvk: [gvk('Ingress')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${NETWORKING}.IngressSpec`), 2, 'The desired routing of the Ingress.'),
      status: field(ref(`${NETWORKING}.IngressStatus`), 3, 'The current state of the Ingress.'),
    },
  },
  [`${NETWORKING}.IngressList`]: listType(`${NETWORKING}.Ingress`, gvk('IngressList'), 'A list of Ingresses.'),
  [`${NETWORKING}.IngressSpec`]: {
    description: 'The routing an Ingress asks for.',
    fields: {
      ingressClassName: field('string', 4, 'The IngressClass that should serve this Ingress.'),
      defaultBackend: field(ref(`${NETWORKING}.IngressBackend`), 1, 'Where requests matching no rule go.'),
      tls: field(arrayOf(ref(`${NETWORKING}.IngressTLS`)), 2, 'TLS settings; several hosts may share one certificate.', { listType: 'atomic' }),
      rules: field(arrayOf(ref(`${NETWORKING}.IngressRule`)), 3, 'Host and path rules; requests matching none go to defaultBackend.', { listType: 'atomic' }),
    },
  },
  [`${NETWORKING}.IngressTLS`]: {
    description: 'A TLS certificate for a set of hosts.',
    fields: {
      hosts: field(arrayOf('string'), 1, "The hosts the certificate covers; defaults to the controller's wildcard host.", { listType: 'atomic' }),
      secretName: field('string', 2, 'The Secret holding the certificate and key; optional when only SNI hosts are routed.'),
    },
  },
  [`${NETWORKING}.IngressStatus`]: {
    description: 'The observed state of an Ingress.',
    fields: {
      loadBalancer: field(ref(`${NETWORKING}.IngressLoadBalancerStatus`), 1, 'The load balancer addresses serving the Ingress.'),
    },
  },
  [`${NETWORKING}.IngressLoadBalancerStatus`]: {
    description: 'The load balancer of an Ingress.',
    fields: {
      ingress: field(arrayOf(ref(`${NETWORKING}.IngressLoadBalancerIngress`)), 1, 'The points of entry of the load balancer.', { listType: 'atomic' }),
    },
  },
  [`${NETWORKING}.IngressLoadBalancerIngress`]: {
    description: 'One point of entry of a load balancer.',
    fields: {
      ip: field('string', 1, 'An IP address of the entry point.'),
      hostname: field('string', 2, 'A DNS name of the entry point.'),
      ports: field(arrayOf(ref(`${NETWORKING}.IngressPortStatus`)), 4, "Information about the entry point's ports.", { listType: 'atomic' }),
    },
  },
  [`${NETWORKING}.IngressPortStatus`]: {
    description: 'The state of one load balancer port.',
    fields: {
      port: field('int32', 1, 'The port number.', { required: true }),
      protocol: field('string', 2, 'TCP, UDP or SCTP.', { required: true, enum: ['SCTP', 'TCP', 'UDP'] }),
      error: field('string', 3, 'Why the port has a problem, as a CamelCase reason or domain-prefixed name; empty when fine.'),
    },
  },
  [`${NETWORKING}.IngressRule`]: {
    description: 'Routes requests for one host (or all hosts) to backends.',
    fields: {
      host: field('string', 1, 'The fully qualified domain name to match, possibly with a leading "*." wildcard label; empty matches all hosts.'),
      // JSON flattens IngressRuleValue into the rule; protobuf nests it as field 2 (IngressRuleValue.http = 1).
      http: { type: ref(`${NETWORKING}.HTTPIngressRuleValue`), description: 'The HTTP path rules for this host.' },
    },
  },
  [`${NETWORKING}.IngressRuleValue`]: {
    description: 'The rules for one host (inlined into IngressRule in JSON).',
    fields: {
      http: field(ref(`${NETWORKING}.HTTPIngressRuleValue`), 1, 'The HTTP path rules for this host.'),
    },
  },
  [`${NETWORKING}.HTTPIngressRuleValue`]: {
    description: 'HTTP path rules of a host.',
    fields: {
      paths: field(arrayOf(ref(`${NETWORKING}.HTTPIngressPath`)), 1, 'Paths mapped to backends.', { required: true, listType: 'atomic' }),
    },
  },
  [`${NETWORKING}.HTTPIngressPath`]: {
    description: 'A path routed to a backend.',
    fields: {
      path: field('string', 1, 'The path to match; must begin with "/" unless pathType is ImplementationSpecific.'),
      pathType: field('string', 3, 'How path is matched: Exact, Prefix (by "/"-separated elements) or ImplementationSpecific.', { required: true, enum: ['Exact', 'ImplementationSpecific', 'Prefix'] }),
      backend: field(ref(`${NETWORKING}.IngressBackend`), 2, 'Where matching requests are sent.', { required: true }),
    },
  },
  [`${NETWORKING}.IngressBackend`]: {
    description: 'A Service port or another resource that receives traffic; service and resource are exclusive.',
    fields: {
      service: field(ref(`${NETWORKING}.IngressServiceBackend`), 4, "A Service in the Ingress's namespace."),
      resource: field(ref(`${CORE}.TypedLocalObjectReference`), 3, "Another resource in the Ingress's namespace, such as a storage bucket."),
    },
  },
  [`${NETWORKING}.IngressServiceBackend`]: {
    description: 'A Service used as a backend.',
    fields: {
      name: field('string', 1, "The Service's name, in the Ingress's namespace.", { required: true }),
      port: field(ref(`${NETWORKING}.ServiceBackendPort`), 2, 'The Service port to use.'),
    },
  },
  [`${NETWORKING}.ServiceBackendPort`]: {
    description: 'A Service port, by name or number (exclusive).',
    structType: 'atomic',
    fields: {
      name: field('string', 1, "The port's name."),
      number: field('int32', 2, "The port's number."),
    },
  },
  [`${NETWORKING}.IngressClass`]: {
    description: 'An ingress controller implementation, named by Ingresses through ingressClassName; the ingressclass.kubernetes.io/is-default-class annotation makes it the default.',
    gvk: [gvk('IngressClass')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${NETWORKING}.IngressClassSpec`), 2, 'The controller and its parameters.'),
    },
  },
  [`${NETWORKING}.IngressClassSpec`]: {
    description: 'The controller behind an IngressClass.',
    fields: {
      controller: field('string', 1, "The controller's name, domain-prefixed, such as example.com/ingress-controller. Immutable."),
      parameters: field(ref(`${NETWORKING}.IngressClassParametersReference`), 2, 'A resource with further settings for the controller.'),
    },
  },
  [`${NETWORKING}.IngressClassParametersReference`]: {
    description: 'A reference to a resource with settings for an ingress controller.',
    fields: {
      apiGroup: field('string', 1, 'The API group of the resource; empty for the core group.'),
      kind: field('string', 2, 'The kind of the resource.', { required: true }),
      name: field('string', 3, 'The name of the resource.', { required: true }),
      scope: field('string', 4, 'Cluster (the default) or Namespace.'),
      namespace: field('string', 5, 'The namespace of the resource; required when scope is Namespace.'),
    },
  },
  [`${NETWORKING}.IngressClassList`]: listType(`${NETWORKING}.IngressClass`, gvk('IngressClassList'), 'A list of IngressClasses.'),
  [`${NETWORKING}.IPAddress`]: {
    description: 'Records that one IP address is allocated; the name is the address in canonical form.',
    gvk: [gvk('IPAddress')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${NETWORKING}.IPAddressSpec`), 2, 'What the address is allocated to.'),
    },
  },
  [`${NETWORKING}.IPAddressSpec`]: {
    description: 'The allocation of an IPAddress.',
    fields: {
      parentRef: field(ref(`${NETWORKING}.ParentReference`), 1, 'The object the address is allocated to.', { required: true }),
    },
  },
  [`${NETWORKING}.ParentReference`]: {
    description: 'A reference to the object that owns an allocation.',
    fields: {
      group: field('string', 1, 'The API group of the referent.'),
      resource: field('string', 2, 'The resource of the referent.', { required: true }),
      namespace: field('string', 3, 'The namespace of the referent.'),
      name: field('string', 4, 'The name of the referent.', { required: true }),
    },
  },
  [`${NETWORKING}.IPAddressList`]: listType(`${NETWORKING}.IPAddress`, gvk('IPAddressList'), 'A list of IPAddresses.'),
  [`${NETWORKING}.ServiceCIDR`]: {
    description: 'A range of IPs from which Service cluster IPs are allocated.',
    gvk: [gvk('ServiceCIDR')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${NETWORKING}.ServiceCIDRSpec`), 2, 'The ranges of this ServiceCIDR.'),
      status: field(ref(`${NETWORKING}.ServiceCIDRStatus`), 3, 'The current state of the ServiceCIDR.'),
    },
  },
  [`${NETWORKING}.ServiceCIDRSpec`]: {
    description: 'The ranges of a ServiceCIDR.',
    fields: {
      cidrs: field(arrayOf('string'), 1, 'At most two CIDRs, one per IP family. Immutable.', { listType: 'atomic' }),
    },
  },
  [`${NETWORKING}.ServiceCIDRStatus`]: {
    description: 'The observed state of a ServiceCIDR.',
    fields: {
      conditions: mergeList(ref(`${META}.Condition`), 1, "The latest observations of the ServiceCIDR's state.", 'type'),
    },
  },
  [`${NETWORKING}.ServiceCIDRList`]: listType(`${NETWORKING}.ServiceCIDR`, gvk('ServiceCIDRList'), 'A list of ServiceCIDRs.'),
};
