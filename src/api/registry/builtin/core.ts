// core/v1 resources.
import type { KubeObject, PrinterColumn, ResourceDescription } from '../resource.ts';
import { defineGroup } from '../define.ts';
import {
  col, ageColumn, nameColumn, orNone, since, perRow, containerCells, formatLabels, sortStrings, quantityText, accessModes,
  workloadWideColumns,
} from '../columns.ts';
import { summarizePod, readinessGates, podIP } from './pod-printer.ts';

const core = defineGroup('', 'v1');
const pod = perRow(summarizePod);

/** Load-balancer ingress points: each one's IP, else hostname; sorted and unique (upstream's set). */
export function loadBalancerAddresses(ingress: KubeObject[] | undefined | null): string[] {
  return sortStrings(new Set((ingress ?? []).map((i) => i.ip || i.hostname).filter(Boolean)));
}

function serviceExternalIP(svc: KubeObject): string {
  const spec = svc.spec ?? {};
  const external: string[] = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(svc.status?.loadBalancer?.ingress);
      if (external.length) return [...lb, ...external].join(',');
      return lb.length ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function servicePorts(svc: KubeObject): string {
  const ports: KubeObject[] = svc.spec?.ports ?? [];
  const text = ports.map((p) => (p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port}/${p.protocol ?? ''}`)).join(',');
  return text || '<none>';
}

/** Ready / NotReady from the Ready condition (Unknown without one), then SchedulingDisabled. */
function nodeStatus(node: KubeObject): string {
  const ready = (node.status?.conditions ?? []).find((c: KubeObject) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(node: KubeObject): string {
  const prefix = 'node-role.kubernetes.io/';
  const roles = new Set<string>();
  for (const [k, v] of Object.entries<string>(node.metadata?.labels ?? {})) {
    if (k.startsWith(prefix)) { if (k.length > prefix.length) roles.add(k.slice(prefix.length)); }
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? sortStrings(roles).join(',') : '<none>';
}

/** The first address of a type (upstream prints only the first) or '<none>'. */
const nodeAddress = (node: KubeObject, type: string) =>
  orNone((node.status?.addresses ?? []).find((a: KubeObject) => a.type === type)?.address);

const hostPort = (ip: string, port: unknown) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

/** ip:port of every address for every port, three shown then "+ N more..." (upstream's formatEndpoints). */
export function formatEndpoints(ep: KubeObject): string {
  const subsets: KubeObject[] = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const all: string[] = [];
  for (const ss of subsets) {
    const addresses: KubeObject[] = ss.addresses ?? [];
    const ports: KubeObject[] = ss.ports ?? [];
    // Headless services may have no ports: bare IPs then.
    if (ports.length === 0) for (const a of addresses) all.push(a.ip ?? '');
    else for (const p of ports) for (const a of addresses) all.push(hostPort(a.ip ?? '', p.port ?? 0));
  }
  return all.length > 3 ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...` : all.join(',');
}

/** The cells of a core/v1 Event, as upstream's printEvent computes them. */
export interface EventCells { last: string; first: string; count: number; target: string; source: string }

export function eventCells(e: KubeObject, now: Date): EventCells {
  const first = e.firstTimestamp ? since(e.firstTimestamp, now) : since(e.eventTime, now);
  let last = e.lastTimestamp ? since(e.lastTimestamp, now) : first;
  let count: number = e.count ?? 0;
  if (e.series) {
    last = since(e.series.lastObservedTime, now);
    count = e.series.count ?? 0;
  } else if (count === 0) {
    count = 1; // singleton events of the newer API carry no count
  }
  const io = e.involvedObject ?? {};
  const kind = String(io.kind ?? '').toLowerCase();
  const target = io.name ? `${kind}/${io.name}` : kind;
  // core/v1 spells the reporting controller "reportingComponent".
  const component = e.source?.component || e.reportingComponent || '';
  const host = e.source?.host || e.reportingInstance || '';
  const source = host ? `${component}, ${host}` : component;
  return { first, last, count, target, source };
}

/**
 * Event columns (core/v1 and events.k8s.io/v1 share upstream's one printer); `toCore` turns the
 * served object into the core/v1 form the cells are computed on.
 */
export function eventColumns(toCore: (o: KubeObject) => KubeObject = (o) => o): PrinterColumn[] {
  const row = perRow((o, now) => { const e = toCore(o); return { e, ...eventCells(e, now) }; });
  return [
    col('Last Seen', (o, now) => row(o, now).last, { description: 'Time since the event was last seen.' }),
    col('Type', (o, now) => row(o, now).e.type ?? '', { description: 'Type of this event (Normal, Warning).' }),
    col('Reason', (o, now) => row(o, now).e.reason ?? '', { description: 'Short, machine understandable reason for the event.' }),
    col('Object', (o, now) => row(o, now).target, { description: 'The object this event is about.' }),
    col('Subobject', (o, now) => row(o, now).e.involvedObject?.fieldPath ?? '', { wide: true, description: 'The part of the object the event is about, e.g. a container.' }),
    col('Source', (o, now) => row(o, now).source, { wide: true, description: 'The component reporting this event.' }),
    col('Message', (o, now) => String(row(o, now).e.message ?? '').trim(), { description: 'A human-readable description of the event.' }),
    col('First Seen', (o, now) => row(o, now).first, { wide: true, description: 'Time since the event was first seen.' }),
    col('Count', (o, now) => row(o, now).count, { wide: true, description: 'How many times the event occurred.' }),
    col('Name', (o) => o.metadata?.name ?? '', { wide: true, format: 'name', description: 'Name of the event object.' }),
  ];
}

/** "<ns>/<name>" of a bound claim. */
const claimRef = (pv: KubeObject) => (pv.spec?.claimRef ? `${pv.spec.claimRef.namespace ?? ''}/${pv.spec.claimRef.name ?? ''}` : '');

/** The beta storage-class annotation wins over the field, as upstream's helpers read it. */
const STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
const storageClassOf = (o: KubeObject) => o.metadata?.annotations?.[STORAGE_CLASS_ANNOTATION] ?? o.spec?.storageClassName ?? '';

/** Optional string fields print '<unset>' when absent. */
const unset = (v: string | undefined | null) => (v === undefined || v === null ? '<unset>' : v);

function quotaCell(o: KubeObject, limits: boolean): string {
  const hard: Record<string, unknown> = o.status?.hard ?? {};
  const used: Record<string, unknown> = o.status?.used ?? {};
  const parts: string[] = [];
  for (const name of sortStrings(Object.keys(hard))) {
    const pieces = name.split('.');
    const isLimit = pieces.length > 1 && pieces[0] === 'limits';
    if (isLimit !== limits) continue;
    parts.push(`${name}: ${quantityText(used[name])}/${quantityText(hard[name])}`);
  }
  return parts.join(', ');
}

const int = (name: string, cell: (o: KubeObject) => number, description: string) => col(name, cell, { type: 'integer', description });
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

export const coreResources: ResourceDescription[] = [
  core({
    kind: 'Namespace', plural: 'namespaces', scope: 'Cluster', shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: { status: true, others: [{ name: 'finalize', kind: { group: '', version: 'v1', kind: 'Namespace' }, verbs: ['update'] }] },
    middle: [col('Status', (o) => o.status?.phase ?? '', { description: 'The status of the namespace.' })],
    selectableFields: { 'status.phase': (o) => o.status?.phase ?? '' },
  }),
  core({
    kind: 'Pod', plural: 'pods', scope: 'Namespaced', shortNames: ['po'], categories: ['all'],
    subresources: {
      status: true,
      others: [
        { name: 'binding', kind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] },
        { name: 'eviction', kind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
        { name: 'ephemeralcontainers', kind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get', 'patch', 'update'], replaces: ['spec.ephemeralContainers'] },
        { name: 'resize', kind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get', 'patch', 'update'] },
        { name: 'log', kind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get'] },
        { name: 'exec', kind: { group: '', version: 'v1', kind: 'PodExecOptions' }, verbs: ['create', 'get'] },
        { name: 'attach', kind: { group: '', version: 'v1', kind: 'PodAttachOptions' }, verbs: ['create', 'get'] },
        { name: 'portforward', kind: { group: '', version: 'v1', kind: 'PodPortForwardOptions' }, verbs: ['create', 'get'] },
      ],
    },
    columns: [
      nameColumn,
      col('Ready', (o, n) => pod(o, n).ready, { description: 'The aggregate readiness state of this pod for accepting traffic.' }),
      col('Status', (o, n) => pod(o, n).status, { description: 'The aggregate status of the containers in this pod.' }),
      col('Restarts', (o, n) => pod(o, n).restarts, { description: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.' }),
      ageColumn,
      col('IP', podIP, { wide: true, description: 'The IP address assigned to the pod.' }),
      col('Node', (o) => orNone(o.spec?.nodeName), { wide: true, description: 'The node the pod is scheduled on.' }),
      col('Nominated Node', (o) => orNone(o.status?.nominatedNodeName), { wide: true, description: 'The node the pod is nominated to run on after preemption.' }),
      col('Readiness Gates', readinessGates, { wide: true, description: 'The readiness gates of the pod.' }),
    ],
    selectableFields: {
      'spec.nodeName': (o) => o.spec?.nodeName ?? '',
      'spec.restartPolicy': (o) => o.spec?.restartPolicy ?? '',
      'spec.schedulerName': (o) => o.spec?.schedulerName ?? '',
      'spec.serviceAccountName': (o) => o.spec?.serviceAccountName ?? '',
      'spec.hostNetwork': (o) => String(o.spec?.hostNetwork ?? false),
      'status.phase': (o) => o.status?.phase ?? '',
      'status.podIP': (o) => o.status?.podIP ?? '',
      'status.nominatedNodeName': (o) => o.status?.nominatedNodeName ?? '',
    },
  }),
  core({
    kind: 'Service', plural: 'services', scope: 'Namespaced', shortNames: ['svc'], categories: ['all'],
    subresources: { status: true, others: [{ name: 'proxy', kind: { group: '', version: 'v1', kind: 'ServiceProxyOptions' }, verbs: ['create', 'delete', 'get', 'patch', 'update'] }] },
    middle: [
      col('Type', (o) => o.spec?.type ?? '', { description: 'The type of the service.' }),
      // clusterIPs[0] equals clusterIP; objects written before clusterIPs existed have only the latter.
      col('Cluster-IP', (o) => orNone(o.spec?.clusterIPs?.[0] ?? o.spec?.clusterIP), { description: 'The cluster IP of the service.' }),
      col('External-IP', serviceExternalIP, { description: 'The external IP of the service.' }),
      col('Port(s)', servicePorts, { description: 'The ports of the service.' }),
    ],
    wide: [col('Selector', (o) => formatLabels(o.spec?.selector), { wide: true, description: 'Route service traffic to pods with label keys and values matching this selector.' })],
    selectableFields: { 'spec.clusterIP': (o) => o.spec?.clusterIP ?? '', 'spec.type': (o) => o.spec?.type ?? '' },
  }),
  core({
    kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', listKind: 'EndpointsList', scope: 'Namespaced', shortNames: ['ep'],
    middle: [col('Endpoints', formatEndpoints, { description: 'Endpoints of the service.' })],
  }),
  core({
    kind: 'ConfigMap', plural: 'configmaps', scope: 'Namespaced', shortNames: ['cm'],
    middle: [col('Data', (o) => Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length, { description: 'Number of keys in the config map.' })],
  }),
  core({
    kind: 'Secret', plural: 'secrets', scope: 'Namespaced',
    middle: [
      col('Type', (o) => o.type ?? '', { description: 'The type of the secret.' }),
      col('Data', (o) => Object.keys(o.data ?? {}).length, { description: 'Number of keys in the secret.' }),
    ],
    selectableFields: { type: (o) => o.type ?? '' },
  }),
  core({
    kind: 'ServiceAccount', plural: 'serviceaccounts', scope: 'Namespaced', shortNames: ['sa'],
    subresources: { others: [{ name: 'token', kind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }, verbs: ['create'] }] },
    middle: [col('Secrets', (o) => (o.secrets ?? []).length, { description: 'Number of secrets this service account references.' })],
  }),
  core({
    kind: 'Node', plural: 'nodes', scope: 'Cluster', shortNames: ['no'],
    subresources: { status: true, others: [{ name: 'proxy', kind: { group: '', version: 'v1', kind: 'NodeProxyOptions' }, verbs: ['create', 'delete', 'get', 'patch', 'update'] }] },
    columns: [
      nameColumn,
      col('Status', nodeStatus, { description: 'The status of the node.' }),
      col('Roles', nodeRoles, { description: 'The roles of the node.' }),
      ageColumn,
      col('Version', (o) => o.status?.nodeInfo?.kubeletVersion ?? '', { description: 'Kubelet version reported by the node.' }),
      col('Internal-IP', (o) => nodeAddress(o, 'InternalIP'), { wide: true, description: 'List of internal IPs.' }),
      col('External-IP', (o) => nodeAddress(o, 'ExternalIP'), { wide: true, description: 'List of external IPs.' }),
      col('OS-Image', (o) => o.status?.nodeInfo?.osImage || '<unknown>', { wide: true, description: 'OS image reported by the node.' }),
      col('Kernel-Version', (o) => o.status?.nodeInfo?.kernelVersion || '<unknown>', { wide: true, description: 'Kernel version reported by the node.' }),
      col('Container-Runtime', (o) => o.status?.nodeInfo?.containerRuntimeVersion || '<unknown>', { wide: true, description: 'Container runtime and version reported by the node.' }),
    ],
    selectableFields: { 'spec.unschedulable': (o) => String(o.spec?.unschedulable ?? false) },
  }),
  core({
    kind: 'Event', plural: 'events', scope: 'Namespaced', shortNames: ['ev'],
    columns: eventColumns(),
    selectableFields: {
      'involvedObject.kind': (o) => o.involvedObject?.kind ?? '',
      'involvedObject.namespace': (o) => o.involvedObject?.namespace ?? '',
      'involvedObject.name': (o) => o.involvedObject?.name ?? '',
      'involvedObject.uid': (o) => o.involvedObject?.uid ?? '',
      'involvedObject.apiVersion': (o) => o.involvedObject?.apiVersion ?? '',
      'involvedObject.resourceVersion': (o) => o.involvedObject?.resourceVersion ?? '',
      'involvedObject.fieldPath': (o) => o.involvedObject?.fieldPath ?? '',
      reason: (o) => o.reason ?? '',
      reportingComponent: (o) => o.reportingComponent ?? '',
      source: (o) => o.source?.component ?? '',
      type: (o) => o.type ?? '',
    },
  }),
  core({
    kind: 'PersistentVolume', plural: 'persistentvolumes', scope: 'Cluster', shortNames: ['pv'],
    subresources: { status: true },
    middle: [
      col('Capacity', (o) => quantityText(o.spec?.capacity?.storage), { description: 'Capacity of the volume.' }),
      col('Access Modes', (o) => accessModes(o.spec?.accessModes), { description: 'Access modes of the volume.' }),
      col('Reclaim Policy', (o) => o.spec?.persistentVolumeReclaimPolicy ?? '', { description: 'What happens to the volume when released.' }),
      col('Status', (o) => (o.metadata?.deletionTimestamp ? 'Terminating' : o.status?.phase ?? ''), { description: 'Phase of the volume.' }),
      col('Claim', claimRef, { description: 'The claim bound to the volume.' }),
      col('StorageClass', storageClassOf, { description: 'Storage class of the volume.' }),
      col('VolumeAttributesClass', (o) => unset(o.spec?.volumeAttributesClassName), { description: 'Volume attributes class of the volume.' }),
      col('Reason', (o) => o.status?.reason ?? '', { description: 'Reason for the phase.' }),
    ],
    wide: [col('VolumeMode', (o) => unset(o.spec?.volumeMode), { wide: true, description: 'Filesystem or Block.' })],
  }),
  core({
    kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', scope: 'Namespaced', shortNames: ['pvc'],
    subresources: { status: true },
    middle: [
      col('Status', (o) => (o.metadata?.deletionTimestamp ? 'Terminating' : o.status?.phase ?? ''), { description: 'Phase of the claim.' }),
      col('Volume', (o) => o.spec?.volumeName ?? '', { description: 'The bound volume.' }),
      // Capacity and access modes are the bound volume's, so blank until bound.
      col('Capacity', (o) => (o.spec?.volumeName ? quantityText(o.status?.capacity?.storage) : ''), { description: 'Capacity of the bound volume.' }),
      col('Access Modes', (o) => (o.spec?.volumeName ? accessModes(o.status?.accessModes) : ''), { description: 'Access modes of the bound volume.' }),
      col('StorageClass', storageClassOf, { description: 'Storage class of the claim.' }),
      col('VolumeAttributesClass', (o) => unset(o.spec?.volumeAttributesClassName), { description: 'Volume attributes class of the claim.' }),
    ],
    wide: [col('VolumeMode', (o) => unset(o.spec?.volumeMode), { wide: true, description: 'Filesystem or Block.' })],
  }),
  core({ kind: 'LimitRange', plural: 'limitranges', scope: 'Namespaced', shortNames: ['limits'] }),
  core({
    kind: 'ResourceQuota', plural: 'resourcequotas', scope: 'Namespaced', shortNames: ['quota'],
    subresources: { status: true },
    columns: [
      nameColumn,
      col('Request', (o) => quotaCell(o, false), { description: 'Used and hard amounts of the quota\'s non-limit resources.' }),
      col('Limit', (o) => quotaCell(o, true), { description: 'Used and hard amounts of the quota\'s limits.* resources.' }),
      ageColumn,
    ],
  }),
  core({
    kind: 'ReplicationController', plural: 'replicationcontrollers', scope: 'Namespaced', shortNames: ['rc'], categories: ['all'],
    generation: true,
    subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
    middle: [
      int('Desired', (o) => num(o.spec?.replicas), 'Number of desired pods.'),
      int('Current', (o) => num(o.status?.replicas), 'Number of actually running pods.'),
      int('Ready', (o) => num(o.status?.readyReplicas), 'Number of ready pods.'),
    ],
    wide: workloadWideColumns((o) => o.spec?.template?.spec, (o) => formatLabels(o.spec?.selector)),
    selectableFields: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  }),
  core({
    kind: 'PodTemplate', plural: 'podtemplates', scope: 'Namespaced',
    columns: [
      nameColumn,
      col('Containers', (o) => containerCells(o.template?.spec).names, { description: 'Names of each container in the template.' }),
      col('Images', (o) => containerCells(o.template?.spec).images, { description: 'Images referenced by each container in the template.' }),
      col('Pod Labels', (o) => formatLabels(o.template?.metadata?.labels), { description: 'Labels of the template.' }),
    ],
  }),
  core({ kind: 'Binding', plural: 'bindings', scope: 'Namespaced', verbs: ['create'] }),
];

