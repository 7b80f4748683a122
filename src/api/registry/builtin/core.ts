// core/v1 resources.
import type { KubeObject, ResourceDescription } from '../resource.ts';
import { defineGroup } from '../define.ts';
import { col, ageColumn, nameColumn, orNone, since, containerNames, containerImages, formatMapSelector } from '../columns.ts';
import { summarizePod, readinessGates } from './pod-printer.ts';

const core = defineGroup('', 'v1');
const podSummaryCache = new WeakMap<KubeObject, ReturnType<typeof summarizePod>>();
const pod = (o: KubeObject, now: Date) => {
  let s = podSummaryCache.get(o);
  if (!s) { s = summarizePod(o, now); podSummaryCache.set(o, s); }
  return s;
};

const ACCESS_MODES: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
const accessModes = (modes: string[] | undefined) => (modes ?? []).map((m) => ACCESS_MODES[m] ?? m).join(',');

function serviceExternalIP(svc: KubeObject): string {
  const spec = svc.spec ?? {};
  const external: string[] = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = (svc.status?.loadBalancer?.ingress ?? []).map((i: KubeObject) => i.ip || i.hostname).filter(Boolean);
      const all = [...lb, ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function servicePorts(svc: KubeObject): string {
  const ports: KubeObject[] = svc.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

function nodeStatus(node: KubeObject): string {
  const ready = (node.status?.conditions ?? []).find((c: KubeObject) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries<string>(node.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

const nodeAddress = (node: KubeObject, type: string) =>
  orNone((node.status?.addresses ?? []).find((a: KubeObject) => a.type === type)?.address);

function formatEndpoints(ep: KubeObject): string {
  const all: string[] = [];
  let count = 0;
  for (const ss of ep.subsets ?? []) {
    const ports: KubeObject[] = ss.ports?.length ? ss.ports : [{}];
    for (const p of ports) for (const a of ss.addresses ?? []) {
      count++;
      if (all.length < 3) all.push(p.port !== undefined ? `${a.ip}:${p.port}` : a.ip);
    }
  }
  if (count === 0) return '<none>';
  return count > 3 ? `${all.join(',')} + ${count - 3} more...` : all.join(',');
}

export function eventCells(e: KubeObject, now: Date) {
  const first = e.firstTimestamp ? since(e.firstTimestamp, now) : since(e.eventTime, now);
  let last = e.lastTimestamp ? since(e.lastTimestamp, now) : first;
  let count = e.count ?? 0;
  if (e.series) { last = since(e.series.lastObservedTime, now); count = e.series.count ?? count; } else if (!count) count = 1;
  const io = e.involvedObject ?? e.regarding ?? {};
  const target = io.name ? `${String(io.kind ?? '').toLowerCase()}/${io.name}` : String(io.kind ?? '').toLowerCase();
  const src = e.source ?? {};
  const component = src.component || e.reportingController || e.reportingComponent || '';
  const host = src.host || e.reportingInstance || '';
  const source = component ? (host ? `${component}, ${host}` : component) : '';
  return { first, last, count, target, source };
}

/** core/v1 and events.k8s.io/v1 events share one printer (the field names differ). */
export function eventColumns(note: 'message' | 'note') {
  return [
    col('Last Seen', (o, now) => eventCells(o, now).last, { description: 'Time since the last occurrence.' }),
    col('Type', (o) => o.type ?? '', { description: 'Type of this event (Normal, Warning).' }),
    col('Reason', (o) => o.reason ?? '', { description: 'Short, machine understandable reason.' }),
    col('Object', (o, now) => eventCells(o, now).target, { description: 'The object this event is about.' }),
    col('Subobject', (o) => (o.involvedObject ?? o.regarding)?.fieldPath ?? '', { wide: true, description: 'Part of the object, e.g. a container.' }),
    col('Source', (o, now) => eventCells(o, now).source, { wide: true, description: 'The component reporting this event.' }),
    col('Message', (o) => String(o[note] ?? '').trim(), { description: 'A human-readable description.' }),
    col('First Seen', (o, now) => eventCells(o, now).first, { wide: true, description: 'Time since the first occurrence.' }),
    col('Count', (o, now) => eventCells(o, now).count, { type: 'integer', wide: true, description: 'How many times the event occurred.' }),
    col('Name', (o) => o.metadata?.name ?? '', { wide: true, description: 'Name of the event object.' }),
  ];
}

const rcLike = (o: KubeObject) => ({ desired: o.spec?.replicas ?? 0, current: o.status?.replicas ?? 0, ready: o.status?.readyReplicas ?? 0 });

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
        { name: 'ephemeralcontainers', kind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get', 'patch', 'update'] },
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
      col('IP', (o) => orNone(o.status?.podIPs?.[0]?.ip ?? o.status?.podIP), { wide: true, description: 'The IP address assigned to the pod.' }),
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
      col('Type', (o) => o.spec?.type ?? 'ClusterIP', { description: 'The type of the service.' }),
      col('Cluster-IP', (o) => orNone(o.spec?.clusterIP), { description: 'The cluster IP of the service.' }),
      col('External-IP', serviceExternalIP, { description: 'The external IP of the service.' }),
      col('Port(s)', servicePorts, { description: 'The ports of the service.' }),
    ],
    wide: [col('Selector', (o) => formatMapSelector(o.spec?.selector), { wide: true, description: 'Route service traffic to pods with label keys and values matching this selector.' })],
    selectableFields: { 'spec.clusterIP': (o) => o.spec?.clusterIP ?? '', 'spec.type': (o) => o.spec?.type ?? '' },
  }),
  core({
    kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', listKind: 'EndpointsList', scope: 'Namespaced', shortNames: ['ep'],
    middle: [col('Endpoints', formatEndpoints, { description: 'Endpoints of the service.' })],
  }),
  core({
    kind: 'ConfigMap', plural: 'configmaps', scope: 'Namespaced', shortNames: ['cm'],
    middle: [col('Data', (o) => Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length, { type: 'integer', description: 'Number of keys in the config map.' })],
  }),
  core({
    kind: 'Secret', plural: 'secrets', scope: 'Namespaced',
    middle: [
      col('Type', (o) => o.type ?? '', { description: 'The type of the secret.' }),
      col('Data', (o) => Object.keys(o.data ?? {}).length, { type: 'integer', description: 'Number of keys in the secret.' }),
    ],
    selectableFields: { type: (o) => o.type ?? '' },
  }),
  core({
    kind: 'ServiceAccount', plural: 'serviceaccounts', scope: 'Namespaced', shortNames: ['sa'],
    subresources: { others: [{ name: 'token', kind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }, verbs: ['create'] }] },
    middle: [col('Secrets', (o) => (o.secrets ?? []).length, { type: 'integer', description: 'Number of secrets this service account references.' })],
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
    columns: eventColumns('message'),
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
      col('Capacity', (o) => o.spec?.capacity?.storage ?? '', { description: 'Capacity of the volume.' }),
      col('Access Modes', (o) => accessModes(o.spec?.accessModes), { description: 'Access modes of the volume.' }),
      col('Reclaim Policy', (o) => o.spec?.persistentVolumeReclaimPolicy ?? '', { description: 'What happens to the volume when released.' }),
      col('Status', (o) => o.status?.phase ?? '', { description: 'Phase of the volume.' }),
      col('Claim', (o) => (o.spec?.claimRef ? `${o.spec.claimRef.namespace}/${o.spec.claimRef.name}` : ''), { description: 'The claim bound to the volume.' }),
      col('StorageClass', (o) => o.spec?.storageClassName ?? '', { description: 'Storage class of the volume.' }),
      col('VolumeAttributesClass', (o) => o.spec?.volumeAttributesClassName || '<unset>', { description: 'Volume attributes class of the volume.' }),
      col('Reason', (o) => o.status?.reason ?? '', { description: 'Reason for the phase.' }),
    ],
    wide: [col('VolumeMode', (o) => o.spec?.volumeMode ?? 'Filesystem', { wide: true, description: 'Filesystem or Block.' })],
  }),
  core({
    kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', scope: 'Namespaced', shortNames: ['pvc'],
    subresources: { status: true },
    middle: [
      col('Status', (o) => (o.metadata?.deletionTimestamp ? 'Terminating' : o.status?.phase ?? ''), { description: 'Phase of the claim.' }),
      col('Volume', (o) => o.spec?.volumeName ?? '', { description: 'The bound volume.' }),
      col('Capacity', (o) => (o.spec?.volumeName ? o.status?.capacity?.storage ?? '' : ''), { description: 'Capacity of the bound volume.' }),
      col('Access Modes', (o) => (o.spec?.volumeName ? accessModes(o.status?.accessModes) : ''), { description: 'Access modes of the bound volume.' }),
      col('StorageClass', (o) => o.spec?.storageClassName ?? '', { description: 'Storage class of the claim.' }),
      col('VolumeAttributesClass', (o) => o.spec?.volumeAttributesClassName || '<unset>', { description: 'Volume attributes class of the claim.' }),
    ],
    wide: [col('VolumeMode', (o) => o.spec?.volumeMode ?? 'Filesystem', { wide: true, description: 'Filesystem or Block.' })],
  }),
  core({ kind: 'LimitRange', plural: 'limitranges', scope: 'Namespaced', shortNames: ['limits'] }),
  core({
    kind: 'ResourceQuota', plural: 'resourcequotas', scope: 'Namespaced', shortNames: ['quota'],
    subresources: { status: true },
    columns: [
      nameColumn,
      ageColumn,
      col('Request', (o) => quotaCell(o, false), { description: 'Request of the quota.' }),
      col('Limit', (o) => quotaCell(o, true), { description: 'Limit of the quota.' }),
    ],
  }),
  core({
    kind: 'ReplicationController', plural: 'replicationcontrollers', scope: 'Namespaced', shortNames: ['rc'], categories: ['all'],
    generation: true,
    subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
    middle: [
      col('Desired', (o) => rcLike(o).desired, { type: 'integer', description: 'Number of desired pods.' }),
      col('Current', (o) => rcLike(o).current, { type: 'integer', description: 'Number of actually running pods.' }),
      col('Ready', (o) => rcLike(o).ready, { type: 'integer', description: 'Number of ready pods.' }),
    ],
    wide: [
      col('Containers', (o) => containerNames(o.spec?.template?.spec), { wide: true, description: 'Names of each container in the template.' }),
      col('Images', (o) => containerImages(o.spec?.template?.spec), { wide: true, description: 'Images referenced by each container in the template.' }),
      col('Selector', (o) => formatMapSelector(o.spec?.selector), { wide: true, description: 'Label selector for pods.' }),
    ],
    selectableFields: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  }),
  core({
    kind: 'PodTemplate', plural: 'podtemplates', scope: 'Namespaced',
    columns: [
      nameColumn,
      col('Containers', (o) => containerNames(o.template?.spec), { description: 'Names of each container in the template.' }),
      col('Images', (o) => containerImages(o.template?.spec), { description: 'Images referenced by each container in the template.' }),
      col('Pod Labels', (o) => formatMapSelector(o.template?.metadata?.labels), { description: 'Labels of the template.' }),
    ],
  }),
  core({ kind: 'Binding', plural: 'bindings', scope: 'Namespaced', verbs: ['create'] }),
];

function quotaCell(o: KubeObject, limits: boolean): string {
  const hard: Record<string, string> = o.status?.hard ?? o.spec?.hard ?? {};
  const used: Record<string, string> = o.status?.used ?? {};
  const parts: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const isLimit = name.startsWith('limits.');
    if (isLimit !== limits) continue;
    parts.push(`${name}: ${used[name] ?? '0'}/${hard[name]}`);
  }
  return parts.join(', ');
}
