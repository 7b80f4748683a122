// discovery.k8s.io/v1: EndpointSlice.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api 1.33 (generated.proto, types.go).
import type { GroupVersionKind, TypeDefs } from '../model.ts';
import { arrayOf, field, listType, mapOf, objectHeader, ref } from '../model.ts';

const DISCOVERY = 'io.k8s.api.discovery.v1';
const CORE = 'io.k8s.api.core.v1';
const gvk = (kind: string): GroupVersionKind => ({ group: 'discovery.k8s.io', version: 'v1', kind });

export const discoveryV1Types: TypeDefs = {
  [`${DISCOVERY}.EndpointSlice`]: {
    description: 'A subset of the endpoints behind a Service; a Service may have several slices, grouped by address type and ports.',
    gvk: [gvk('EndpointSlice')],
    fields: {
      ...objectHeader(),
      addressType: field('string', 4, 'The kind of address in the slice: IPv4, IPv6 or FQDN. Immutable.', { required: true, enum: ['FQDN', 'IPv4', 'IPv6'] }),
      endpoints: field(arrayOf(ref(`${DISCOVERY}.Endpoint`)), 2, 'The endpoints in this slice; at most 1000.', { required: true, listType: 'atomic' }),
      ports: field(arrayOf(ref(`${DISCOVERY}.EndpointPort`)), 3, 'The network ports exposed by every endpoint in the slice; at most 100. Empty means no ports; null means all ports.', { listType: 'atomic' }),
    },
  },
  [`${DISCOVERY}.Endpoint`]: {
    description: 'One backend of an EndpointSlice.',
    fields: {
      addresses: field(arrayOf('string'), 1, "The endpoint's addresses, as allowed by the slice's addressType; consumers use the first. Between 1 and 100.", { required: true, listType: 'set' }),
      conditions: field(ref(`${DISCOVERY}.EndpointConditions`), 2, "The endpoint's readiness, serving and terminating state."),
      hostname: field('string', 3, "The endpoint's hostname, usable in DNS names; a DNS label."),
      targetRef: field(ref(`${CORE}.ObjectReference`), 4, 'The object (usually a pod) behind this endpoint.'),
      deprecatedTopology: field(mapOf('string'), 5, 'Topology labels of the endpoint; deprecated, superseded by nodeName and zone.'),
      nodeName: field('string', 6, 'The node hosting the endpoint.'),
      zone: field('string', 7, 'The zone the endpoint is in.'),
      hints: field(ref(`${DISCOVERY}.EndpointHints`), 8, 'Hints on how consumers should route to the endpoint.'),
    },
  },
  [`${DISCOVERY}.EndpointConditions`]: {
    description: 'The state of an endpoint.',
    fields: {
      ready: field('boolean', 1, 'Whether the endpoint should receive traffic; unknown counts as ready. False while terminating, unless publishNotReadyAddresses is set.'),
      serving: field('boolean', 2, 'Like ready, but stays true while terminating if the endpoint can serve. Unknown counts as serving.'),
      terminating: field('boolean', 3, 'Whether the endpoint is terminating; unknown counts as not terminating.'),
    },
  },
  [`${DISCOVERY}.EndpointHints`]: {
    description: 'Routing hints for an endpoint.',
    fields: {
      forZones: field(arrayOf(ref(`${DISCOVERY}.ForZone`)), 1, 'Zones whose consumers should use this endpoint, for topology-aware routing; at most 8.', { listType: 'atomic' }),
      forNodes: field(arrayOf(ref(`${DISCOVERY}.ForNode`)), 2, 'Nodes whose consumers should use this endpoint; at most 8. Needs the PreferSameTrafficDistribution gate.', { listType: 'atomic' }),
    },
  },
  [`${DISCOVERY}.ForZone`]: {
    description: 'A zone that should consume an endpoint.',
    fields: {
      name: field('string', 1, "The zone's name.", { required: true }),
    },
  },
  [`${DISCOVERY}.ForNode`]: {
    description: 'A node that should consume an endpoint.',
    fields: {
      name: field('string', 1, "The node's name.", { required: true }),
    },
  },
  [`${DISCOVERY}.EndpointPort`]: {
    description: 'A port of the endpoints in a slice.',
    structType: 'atomic',
    fields: {
      name: field('string', 1, "The port's name, matching the Service port's name; empty only when the slice has one port."),
      protocol: field('string', 2, 'TCP, UDP or SCTP. Defaults to TCP.', { enum: ['SCTP', 'TCP', 'UDP'] }),
      port: field('int32', 3, 'The port number; unset means all ports.'),
      appProtocol: field('string', 4, 'The application protocol of the port, a standard service name or a domain-prefixed name.'),
    },
  },
  [`${DISCOVERY}.EndpointSliceList`]: listType(`${DISCOVERY}.EndpointSlice`, gvk('EndpointSliceList'), 'A list of EndpointSlices.'),
};
