// The EndpointSlice reconciler's plan (upstream staging k8s.io/endpointslice reconciler.go):
// from the desired endpoints of a Service and its existing slices, decide which slices to
// create, update and delete with minimal churn: keep endpoints where they are, refill slices
// already being changed, fit leftovers into the slice closest to full, and only then create.
// Pure: reads nothing, writes nothing; copies whatever it changes.
import type { KubeObject } from '../../client/api-client.ts';
import { isServiceIPSet, shouldPodBeInEndpoints } from '../service-endpoints/index.ts';
import {
  addressTypesFor, endpointChanged, endpointKey, endpointPorts, podToEndpoint, portMapKey, type AddressType, type SlicePort,
} from './endpoint-from-pod.ts';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

export interface SlicePlan {
  create: KubeObject[];
  update: KubeObject[];
  delete: KubeObject[];
  /** Pods skipped because their Node is not known yet: the Service is retried. */
  missingNodes: string[];
}

const isReserved = (k: string) => k === SERVICE_NAME_LABEL || k === MANAGED_BY_LABEL || k === HEADLESS_LABEL;

/** The labels a slice must carry, and whether its Service-mirrored labels differ from them. */
export function sliceLabels(slice: KubeObject | undefined, svc: KubeObject): { labels: Record<string, string>; changed: boolean } {
  const have: Record<string, string> = {};
  for (const [k, v] of Object.entries<string>(slice?.metadata?.labels ?? {})) if (!isReserved(k)) have[k] = v;
  const want: Record<string, string> = {};
  for (const [k, v] of Object.entries<string>(svc.metadata.labels ?? {})) if (!isReserved(k)) want[k] = v;
  const changed = Object.keys(have).length !== Object.keys(want).length || Object.keys(want).some((k) => have[k] !== want[k]);
  if (!isServiceIPSet(svc)) want[HEADLESS_LABEL] = '';
  want[SERVICE_NAME_LABEL] = svc.metadata.name;
  want[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  return { labels: want, changed };
}

export const ownedBy = (slice: KubeObject, svc: KubeObject): boolean =>
  (slice.metadata?.ownerReferences ?? []).some((o: KubeObject) => o.uid === svc.metadata.uid && o.kind === 'Service' && o.apiVersion === 'v1');

/** `<service>-` as generateName, unless that would be too long a name prefix. */
const slicePrefix = (name: string) => (name.length + 1 <= 253 - 5 ? `${name}-` : name);

export function newSlice(svc: KubeObject, ports: SlicePort[], addressType: AddressType): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: {
      labels: sliceLabels(undefined, svc).labels,
      generateName: slicePrefix(svc.metadata.name),
      namespace: svc.metadata.namespace,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name, uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    addressType,
    endpoints: [],
    ports,
  };
}

const copySlice = (s: KubeObject): KubeObject => structuredClone(s) as KubeObject;

/** Whether a slice to be deleted is exactly the empty placeholder this Service would get. */
function isPlaceholder(slice: KubeObject, svc: KubeObject, addressType: AddressType): boolean {
  const want = sliceLabels(undefined, svc).labels;
  const have: Record<string, string> = slice.metadata?.labels ?? {};
  return slice.addressType === addressType && (slice.endpoints ?? []).length === 0 && (slice.ports ?? []).length === 0
    && Object.keys(have).length === Object.keys(want).length && Object.keys(want).every((k) => have[k] === want[k]) && ownedBy(slice, svc);
}

export function planSlices(svc: KubeObject, pods: KubeObject[], existing: KubeObject[], nodeOf: (name: string) => KubeObject | undefined, maxPerSlice = DEFAULT_MAX_ENDPOINTS_PER_SLICE): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [], missingNodes: [] };
  const types = addressTypesFor(svc);
  const byType = new Map<string, KubeObject[]>();
  for (const s of existing) {
    if (!types.includes(s.addressType)) { plan.delete.push(s); continue; }
    let l = byType.get(s.addressType);
    if (!l) byType.set(s.addressType, (l = []));
    l.push(s);
  }
  for (const t of types) planForType(plan, svc, pods, byType.get(t) ?? [], nodeOf, t, maxPerSlice);
  return plan;
}

function planForType(plan: SlicePlan, svc: KubeObject, pods: KubeObject[], existing: KubeObject[], nodeOf: (name: string) => KubeObject | undefined, addressType: AddressType, max: number): void {
  const toCreate: KubeObject[] = [];
  const toUpdate: KubeObject[] = [];
  const toDelete: KubeObject[] = [];
  const existingByPorts = new Map<string, KubeObject[]>();
  for (const s of existing) {
    if (!ownedBy(s, svc)) { toDelete.push(s); continue; }
    const k = portMapKey(s.ports);
    existingByPorts.set(k, [...(existingByPorts.get(k) ?? []), s]);
  }

  const desiredByPorts = new Map<string, { ports: SlicePort[]; endpoints: Map<string, KubeObject> }>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = endpointPorts(svc, pod);
    const k = portMapKey(ports);
    let group = desiredByPorts.get(k);
    if (!group) desiredByPorts.set(k, (group = { ports, endpoints: new Map() }));
    const node = pod.spec?.nodeName ? nodeOf(pod.spec.nodeName) : undefined;
    if (pod.spec?.nodeName && !node && svc.spec?.publishNotReadyAddresses !== true) {
      // Upstream skips such a pod now and retries the Service, so a vanished Node cannot wedge its slices.
      plan.missingNodes.push(pod.spec.nodeName);
      continue;
    }
    const ep = podToEndpoint(pod, node, svc, addressType);
    if (ep.addresses.length) group.endpoints.set(endpointKey(ep), ep);
  }

  for (const [k, desired] of desiredByPorts) {
    const r = planForPorts(svc, existingByPorts.get(k) ?? [], desired.endpoints, desired.ports, addressType, max);
    toCreate.push(...r.create);
    toUpdate.push(...r.update);
    toDelete.push(...r.delete);
  }
  for (const [k, slices] of existingByPorts) if (!desiredByPorts.has(k)) toDelete.push(...slices);

  // A Service with no endpoints still gets one empty slice, so consumers see it was processed.
  if (existing.length === toDelete.length && toCreate.length === 0) {
    if (toDelete.length === 1 && isPlaceholder(toDelete[0]!, svc, addressType)) toDelete.length = 0;
    else toCreate.push(newSlice(svc, [], addressType));
  }

  // Reuse slices about to be deleted instead of creating new ones (fewer objects churned).
  for (let i = 0; i < toDelete.length && toCreate.length > 0;) {
    const old = toDelete[i]!;
    if (old.addressType === addressType && ownedBy(old, svc)) {
      const fresh = toCreate.pop()!;
      toUpdate.push({ ...fresh, metadata: { ...copySlice(old).metadata, labels: fresh.metadata.labels } });
      toDelete.splice(i, 1);
    } else i++;
  }
  plan.create.push(...toCreate);
  plan.update.push(...toUpdate);
  plan.delete.push(...toDelete);
}

function planForPorts(svc: KubeObject, existing: KubeObject[], desired: Map<string, KubeObject>, ports: SlicePort[], addressType: AddressType, max: number): { create: KubeObject[]; update: KubeObject[]; delete: KubeObject[] } {
  const byName = new Map<string, KubeObject>();
  const unchanged = new Set<string>();
  const toUpdate = new Set<string>();
  const toDelete = new Set<string>();

  // 1. Keep the endpoints still wanted where they are, refreshed; drop the others.
  for (const slice of existing) {
    byName.set(slice.metadata.name, slice);
    const kept: KubeObject[] = [];
    let changed = false;
    for (const ep of slice.endpoints ?? []) {
      const k = endpointKey(ep);
      const want = desired.get(k);
      if (!want) continue;
      kept.push(want);
      if (endpointChanged(want, ep)) changed = true;
      desired.delete(k);
    }
    const { labels, changed: labelsChanged } = sliceLabels(slice, svc);
    if (changed || kept.length !== (slice.endpoints ?? []).length) {
      if (kept.length === 0) toDelete.add(slice.metadata.name);
      else {
        const copy = copySlice(slice);
        copy.endpoints = kept;
        copy.metadata.labels = labels;
        byName.set(copy.metadata.name, copy);
        toUpdate.add(copy.metadata.name);
      }
    } else if (labelsChanged) {
      const copy = copySlice(slice);
      copy.metadata.labels = labels;
      byName.set(copy.metadata.name, copy);
      toUpdate.add(copy.metadata.name);
    } else unchanged.add(slice.metadata.name);
  }

  const remaining = [...desired.values()];
  // 2. Fill the slices already being updated, fullest first.
  if (remaining.length && toUpdate.size) {
    const slices = [...toUpdate].map((n) => byName.get(n)!).sort((a, b) => b.endpoints.length - a.endpoints.length);
    for (const s of slices) while (remaining.length && s.endpoints.length < max) s.endpoints.push(remaining.shift()!);
  }

  // 3. Fit what is left into the unchanged slice closest to full, else new slices.
  const create: KubeObject[] = [];
  while (remaining.length) {
    let target: KubeObject | undefined;
    if (remaining.length < max && unchanged.size) {
      let best = max;
      for (const n of unchanged) {
        const s = byName.get(n)!;
        const diff = max - (remaining.length + (s.endpoints ?? []).length);
        if (diff >= 0 && diff < best) { best = diff; target = s; }
      }
      if (target) { target = copySlice(target); target.endpoints ??= []; byName.set(target.metadata.name, target); }
    }
    target ??= newSlice(svc, ports, addressType);
    while (remaining.length && target.endpoints.length < max) target.endpoints.push(remaining.shift()!);
    if (target.metadata.name) { toUpdate.add(target.metadata.name); unchanged.delete(target.metadata.name); }
    else create.push(target);
  }
  return { create, update: [...toUpdate].map((n) => byName.get(n)!), delete: [...toDelete].map((n) => byName.get(n)!) };
}
