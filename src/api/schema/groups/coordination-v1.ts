// coordination.k8s.io/v1: Lease.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api 1.33 (generated.proto, types.go).
import type { GroupVersionKind, TypeDefs } from '../model.ts';
import { field, listType, objectHeader, ref } from '../model.ts';

const COORDINATION = 'io.k8s.api.coordination.v1';
const gvk = (kind: string): GroupVersionKind => ({ group: 'coordination.k8s.io', version: 'v1', kind });

export const coordinationV1Types: TypeDefs = {
  [`${COORDINATION}.Lease`]: {
    description: 'A lease held by one holder at a time, used for leader election and node heartbeats.',
    gvk: [gvk('Lease')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${COORDINATION}.LeaseSpec`), 2, 'The holder and timing of the lease.'),
    },
  },
  [`${COORDINATION}.LeaseSpec`]: {
    description: 'The holder and timing of a Lease.',
    fields: {
      holderIdentity: field('string', 1, 'The identity of the current holder.'),
      leaseDurationSeconds: field('int32', 2, 'Seconds others must wait after renewTime before they may take the lease.'),
      acquireTime: field('micro-time', 3, 'When the current holder acquired the lease.'),
      renewTime: field('micro-time', 4, 'When the current holder last renewed the lease.'),
      leaseTransitions: field('int32', 5, 'How many times the lease has changed holder.'),
      strategy: field('string', 6, 'How a holder is chosen, for coordinated leader election; alpha.'),
      preferredHolder: field('string', 7, 'The holder that should take the lease next; the current holder may release it. Alpha.'),
    },
  },
  [`${COORDINATION}.LeaseList`]: listType(`${COORDINATION}.Lease`, gvk('LeaseList'), 'A list of Leases.'),
};
