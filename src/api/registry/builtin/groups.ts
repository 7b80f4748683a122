// Resources of the named built-in groups.
import type { KubeObject, PrinterColumn, ResourceDescription } from '../resource.ts';
import { defineGroup } from '../define.ts';
import {
  col, ageColumn, nameColumn, since, humanDuration, formatLabelSelector, formatLabels, selectorString, workloadWideColumns,
  listWithMore, quantityText, boolPtr, perRow,
} from '../columns.ts';
import { eventColumns, loadBalancerAddresses } from './core.ts';
import { eventsV1ToCore, coreToEventsV1 } from '../../conversion/events.ts';
import { hpaV1ToV2, hpaV2ToV1 } from '../../conversion/hpa.ts';

const apps = defineGroup('apps', 'v1');
const batch = defineGroup('batch', 'v1');
const networking = defineGroup('networking.k8s.io', 'v1');
const autoscalingV1 = defineGroup('autoscaling', 'v1');
const autoscalingV2 = defineGroup('autoscaling', 'v2');
const policy = defineGroup('policy', 'v1');
const coordination = defineGroup('coordination.k8s.io', 'v1');
const discovery = defineGroup('discovery.k8s.io', 'v1');
const events = defineGroup('events.k8s.io', 'v1');
const rbac = defineGroup('rbac.authorization.k8s.io', 'v1');
const storage = defineGroup('storage.k8s.io', 'v1');
const scheduling = defineGroup('scheduling.k8s.io', 'v1');
const apiextensions = defineGroup('apiextensions.k8s.io', 'v1');
const authorization = defineGroup('authorization.k8s.io', 'v1');
const authentication = defineGroup('authentication.k8s.io', 'v1');
// kubectl 1.27 asks for whoami at v1beta1 only.
const authenticationV1beta1 = defineGroup('authentication.k8s.io', 'v1beta1');

const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const int = (name: string, cell: (o: KubeObject) => number, description: string) => col(name, cell, { type: 'integer', description });
const templateSpec = (o: KubeObject) => o.spec?.template?.spec;
const scale = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' };

/** Whether a condition of the type is True; the first of the type decides (upstream's hasJobCondition). */
function hasCondition(o: KubeObject, type: string): boolean {
  const c = (o.status?.conditions ?? []).find((x: KubeObject) => x.type === type);
  return c?.status === 'True';
}

/** The Job's Status cell as 1.33 prints it (SuccessCriteriaMet is shown only from 1.34). */
function jobStatus(o: KubeObject): string {
  if (hasCondition(o, 'Complete')) return 'Complete';
  if (hasCondition(o, 'Failed')) return 'Failed';
  if (o.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(o, 'Suspended')) return 'Suspended';
  if (hasCondition(o, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function jobCompletions(o: KubeObject): string {
  const succeeded = num(o.status?.succeeded);
  if (o.spec?.completions !== undefined && o.spec?.completions !== null) return `${succeeded}/${o.spec.completions}`;
  const parallelism = num(o.spec?.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(o: KubeObject, now: Date): string {
  const start = o.status?.startTime;
  if (!start) return '';
  const end = o.status?.completionTime ? Date.parse(o.status.completionTime) : now.getTime();
  return humanDuration(end - Date.parse(start));
}

/** The first three hosts, then "+ N more..." counting every rule past three (upstream's formatHosts). */
function ingressHosts(o: KubeObject): string {
  const rules: KubeObject[] = o.spec?.rules ?? [];
  const list: string[] = [];
  let more = false;
  for (const r of rules) {
    if (list.length === 3) more = true;
    if (!more && r.host) list.push(r.host);
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${rules.length - 3} more...` : list.join(',');
}

/** One metric's "current/target" text; `status` is the current metric at the same index. */
function hpaMetric(spec: KubeObject, status: KubeObject | undefined): string {
  const unknown = '<unknown>';
  switch (spec.type) {
    case 'External':
    case 'Object': {
      const field = spec.type === 'External' ? 'external' : 'object';
      const target = spec[field]?.target ?? {};
      const current = status?.[field];
      if (target.averageValue !== undefined && target.averageValue !== null) {
        const cur = current?.current?.averageValue !== undefined && current?.current?.averageValue !== null ? quantityText(current.current.averageValue) : unknown;
        return `${cur}/${quantityText(target.averageValue)} (avg)`;
      }
      return `${current ? quantityText(current.current?.value) : unknown}/${quantityText(target.value)}`;
    }
    case 'Pods':
      return `${status?.pods ? quantityText(status.pods.current?.averageValue) : unknown}/${quantityText(spec.pods?.target?.averageValue)}`;
    case 'Resource':
    case 'ContainerResource': {
      const field = spec.type === 'Resource' ? 'resource' : 'containerResource';
      const src = spec[field] ?? {};
      const target = src.target ?? {};
      const current = status?.[field];
      if (target.averageValue !== undefined && target.averageValue !== null) {
        // Upstream prints the status's pointer unchecked: a missing value shows as <nil>.
        return `${src.name}: ${current ? quantityText(current.current?.averageValue, '<nil>') : unknown}/${quantityText(target.averageValue)}`;
      }
      const cur = current?.current?.averageUtilization !== undefined && current?.current?.averageUtilization !== null ? `${current.current.averageUtilization}%` : unknown;
      const tgt = target.averageUtilization !== undefined && target.averageUtilization !== null ? `${target.averageUtilization}%` : '<auto>';
      return `${src.name}: ${cur}/${tgt}`;
    }
    default:
      return '<unknown type>';
  }
}

/** Each metric's current/target, two shown then "+ N more..." (upstream's formatHPAMetrics). */
export function hpaTargets(o: KubeObject): string {
  const specs: KubeObject[] = o.spec?.metrics ?? [];
  if (specs.length === 0) return '<none>';
  const statuses: KubeObject[] = o.status?.currentMetrics ?? [];
  const list = specs.map((m, i) => hpaMetric(m, statuses[i]));
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

/** HPA columns, computed on the autoscaling/v2 form (`toV2` converts the served object). */
function hpaColumns(toV2: (o: KubeObject) => KubeObject = (o) => o): PrinterColumn[] {
  const v2 = perRow((o) => toV2(o));
  return [
    nameColumn,
    col('Reference', (o, n) => `${v2(o, n).spec?.scaleTargetRef?.kind ?? ''}/${v2(o, n).spec?.scaleTargetRef?.name ?? ''}`, { description: 'The object whose scale this autoscaler sets.' }),
    col('Targets', (o, n) => hpaTargets(v2(o, n)), { description: 'Current and target values of each metric.' }),
    col('MinPods', (o, n) => { const m = v2(o, n).spec?.minReplicas; return m === undefined || m === null ? '<unset>' : String(m); }, { description: 'Lower limit of replicas.' }),
    col('MaxPods', (o, n) => num(v2(o, n).spec?.maxReplicas), { description: 'Upper limit of replicas.' }),
    col('Replicas', (o, n) => num(v2(o, n).status?.currentReplicas), { description: 'Current number of replicas.' }),
    ageColumn,
  ];
}

/** Users, groups and service accounts of a binding's subjects (upstream's SubjectsStrings). */
function bindingWide(): PrinterColumn[] {
  const subjects = (o: KubeObject, kind: string) => (o.subjects ?? []).filter((s: KubeObject) => s.kind === kind)
    .map((s: KubeObject) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name ?? ''}` : s.name ?? '')).join(', ');
  return [
    col('Users', (o) => subjects(o, 'User'), { wide: true, description: 'Users in the binding.' }),
    col('Groups', (o) => subjects(o, 'Group'), { wide: true, description: 'Groups in the binding.' }),
    col('ServiceAccounts', (o) => subjects(o, 'ServiceAccount'), { wide: true, description: 'Service accounts in the binding.' }),
  ];
}

/** "kind.group/name" of the controlling owner, lower-cased kind.group; '<none>' without one. */
function controllerOf(o: KubeObject): string {
  const owner = (o.metadata?.ownerReferences ?? []).find((r: KubeObject) => r.controller === true);
  if (!owner) return '<none>';
  const apiVersion = String(owner.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = String(owner.kind ?? '');
  if (!kind && !group) return owner.name ?? '';
  return `${(group ? `${kind}.${group}` : kind).toLowerCase()}/${owner.name ?? ''}`;
}

const isDefaultStorageClass = (o: KubeObject) => {
  const a = o.metadata?.annotations ?? {};
  return a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
};

export const groupResources: ResourceDescription[] = [
  apps({
    kind: 'Deployment', plural: 'deployments', scope: 'Namespaced', shortNames: ['deploy'], categories: ['all'], generation: true,
    subresources: { status: true, scale },
    middle: [
      col('Ready', (o) => `${num(o.status?.readyReplicas)}/${num(o.spec?.replicas)}`, { description: 'Number of ready pods out of desired.' }),
      col('Up-to-date', (o) => num(o.status?.updatedReplicas), { description: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.' }),
      col('Available', (o) => num(o.status?.availableReplicas), { description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.' }),
    ],
    // Deployments print the selector's plain string form: empty rather than <none>.
    wide: workloadWideColumns(templateSpec, (o) => selectorString(o.spec?.selector)),
  }),
  apps({
    kind: 'ReplicaSet', plural: 'replicasets', scope: 'Namespaced', shortNames: ['rs'], categories: ['all'], generation: true,
    subresources: { status: true, scale },
    middle: [
      int('Desired', (o) => num(o.spec?.replicas), 'Number of desired pods.'),
      int('Current', (o) => num(o.status?.replicas), 'Number of actually running pods.'),
      int('Ready', (o) => num(o.status?.readyReplicas), 'Number of pods ready.'),
    ],
    wide: workloadWideColumns(templateSpec, (o) => formatLabelSelector(o.spec?.selector)),
    selectableFields: { 'status.replicas': (o) => String(num(o.status?.replicas)) },
  }),
  apps({
    kind: 'StatefulSet', plural: 'statefulsets', scope: 'Namespaced', shortNames: ['sts'], categories: ['all'], generation: true,
    subresources: { status: true, scale },
    middle: [col('Ready', (o) => `${num(o.status?.readyReplicas)}/${num(o.spec?.replicas)}`, { description: 'Number of ready pods out of desired.' })],
    wide: workloadWideColumns(templateSpec),
  }),
  apps({
    kind: 'DaemonSet', plural: 'daemonsets', scope: 'Namespaced', shortNames: ['ds'], categories: ['all'], generation: true,
    subresources: { status: true },
    middle: [
      int('Desired', (o) => num(o.status?.desiredNumberScheduled), 'The desired number of daemon pods.'),
      int('Current', (o) => num(o.status?.currentNumberScheduled), 'The number of nodes running at least one daemon pod.'),
      int('Ready', (o) => num(o.status?.numberReady), 'The number of daemon pods that are ready.'),
      int('Up-to-date', (o) => num(o.status?.updatedNumberScheduled), 'The number of nodes running the updated daemon pod.'),
      int('Available', (o) => num(o.status?.numberAvailable), 'The number of available daemon pods.'),
      col('Node Selector', (o) => formatLabels(o.spec?.template?.spec?.nodeSelector), { description: 'Node selector of the pods.' }),
    ],
    wide: workloadWideColumns(templateSpec, (o) => formatLabelSelector(o.spec?.selector)),
  }),
  apps({
    kind: 'ControllerRevision', plural: 'controllerrevisions', scope: 'Namespaced',
    middle: [
      col('Controller', controllerOf, { description: 'The controller owning the revision.' }),
      col('Revision', (o) => num(o.revision), { description: 'The revision number.' }),
    ],
  }),
  batch({
    kind: 'Job', plural: 'jobs', scope: 'Namespaced', categories: ['all'], generation: true,
    subresources: { status: true },
    middle: [
      col('Status', jobStatus, { description: 'Status of the job.' }),
      col('Completions', jobCompletions, { description: 'The completion status of the job.' }),
      col('Duration', jobDuration, { description: 'Time required to complete the job.' }),
    ],
    wide: workloadWideColumns(templateSpec, (o) => formatLabelSelector(o.spec?.selector)),
    selectableFields: { 'status.successful': (o) => String(num(o.status?.succeeded)) },
  }),
  batch({
    kind: 'CronJob', plural: 'cronjobs', scope: 'Namespaced', shortNames: ['cj'], categories: ['all'], generation: true,
    subresources: { status: true },
    middle: [
      col('Schedule', (o) => o.spec?.schedule ?? '', { description: 'The schedule in Cron format.' }),
      col('Timezone', (o) => o.spec?.timeZone ?? '<none>', { description: 'The time zone of the schedule.' }),
      col('Suspend', (o) => boolPtr(o.spec?.suspend), { type: 'boolean', description: 'Whether new runs are suspended.' }),
      int('Active', (o) => (o.status?.active ?? []).length, 'Number of running jobs.'),
      col('Last Schedule', (o, now) => (o.status?.lastScheduleTime ? since(o.status.lastScheduleTime, now) : '<none>'), { description: 'When the job was last scheduled.' }),
    ],
    wide: workloadWideColumns((o) => o.spec?.jobTemplate?.spec?.template?.spec, (o) => formatLabelSelector(o.spec?.jobTemplate?.spec?.selector)),
  }),
  networking({
    kind: 'Ingress', plural: 'ingresses', scope: 'Namespaced', shortNames: ['ing'], generation: true,
    subresources: { status: true },
    middle: [
      col('Class', (o) => o.spec?.ingressClassName ?? '<none>', { description: 'The ingress class.' }),
      col('Hosts', ingressHosts, { description: 'Hosts the ingress serves.' }),
      col('Address', (o) => loadBalancerAddresses(o.status?.loadBalancer?.ingress).join(','), { description: 'Address of the load balancer.' }),
      col('Ports', (o) => ((o.spec?.tls ?? []).length ? '80, 443' : '80'), { description: 'Ports of the load balancer.' }),
    ],
  }),
  networking({
    kind: 'IngressClass', plural: 'ingressclasses', scope: 'Cluster',
    middle: [
      col('Controller', (o) => o.spec?.controller ?? '', { description: 'Controller implementing the class.' }),
      col('Parameters', (o) => {
        const p = o.spec?.parameters;
        if (!p) return '<none>';
        return `${p.kind ?? ''}${p.apiGroup === undefined || p.apiGroup === null ? '' : `.${p.apiGroup}`}/${p.name ?? ''}`;
      }, { description: 'Parameters of the class.' }),
    ],
  }),
  networking({
    kind: 'NetworkPolicy', plural: 'networkpolicies', scope: 'Namespaced', shortNames: ['netpol'], generation: true,
    middle: [col('Pod-Selector', (o) => formatLabelSelector(o.spec?.podSelector ?? {}), { description: 'Pods the policy selects.' })],
  }),
  autoscalingV2({
    kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', scope: 'Namespaced', shortNames: ['hpa'], categories: ['all'], generation: true,
    subresources: { status: true }, columns: hpaColumns(),
  }),
  autoscalingV1({
    kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', scope: 'Namespaced', shortNames: ['hpa'], categories: ['all'], generation: true,
    subresources: { status: true }, columns: hpaColumns(hpaV1ToV2),
    storedAs: { group: 'autoscaling', plural: 'horizontalpodautoscalers', toStored: hpaV1ToV2, fromStored: hpaV2ToV1 },
  }),
  policy({
    kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', scope: 'Namespaced', shortNames: ['pdb'], generation: true,
    subresources: { status: true },
    middle: [
      col('Min Available', (o) => (o.spec?.minAvailable === undefined || o.spec.minAvailable === null ? 'N/A' : String(o.spec.minAvailable)), { description: 'Minimum available pods.' }),
      col('Max Unavailable', (o) => (o.spec?.maxUnavailable === undefined || o.spec.maxUnavailable === null ? 'N/A' : String(o.spec.maxUnavailable)), { description: 'Maximum unavailable pods.' }),
      int('Allowed Disruptions', (o) => num(o.status?.disruptionsAllowed), 'Pods that may be disrupted now.'),
    ],
  }),
  coordination({
    kind: 'Lease', plural: 'leases', scope: 'Namespaced',
    middle: [col('Holder', (o) => o.spec?.holderIdentity ?? '', { description: 'The current holder of the lease.' })],
  }),
  discovery({
    kind: 'EndpointSlice', plural: 'endpointslices', scope: 'Namespaced',
    middle: [
      col('AddressType', (o) => o.addressType ?? '', { description: 'Type of the addresses.' }),
      col('Ports', (o) => listWithMore((o.ports ?? []).map((p: KubeObject) => (typeof p.port === 'number' ? String(p.port) : p.name ?? '*')), 3), { description: 'Ports of the slice.' }),
      col('Endpoints', (o) => listWithMore((o.endpoints ?? []).flatMap((e: KubeObject) => e.addresses ?? []), 3), { description: 'Addresses of the endpoints.' }),
    ],
  }),
  events({
    kind: 'Event', plural: 'events', scope: 'Namespaced', shortNames: ['ev'], columns: eventColumns(eventsV1ToCore),
    storedAs: { group: '', plural: 'events', toStored: eventsV1ToCore, fromStored: coreToEventsV1 },
  }),
  rbac({ kind: 'Role', plural: 'roles', scope: 'Namespaced' }),
  rbac({ kind: 'ClusterRole', plural: 'clusterroles', scope: 'Cluster' }),
  rbac({
    kind: 'RoleBinding', plural: 'rolebindings', scope: 'Namespaced',
    middle: [col('Role', (o) => `${o.roleRef?.kind ?? ''}/${o.roleRef?.name ?? ''}`, { description: 'The role bound.' })],
    wide: bindingWide(),
  }),
  rbac({
    kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', scope: 'Cluster',
    middle: [col('Role', (o) => `${o.roleRef?.kind ?? ''}/${o.roleRef?.name ?? ''}`, { description: 'The role bound.' })],
    wide: bindingWide(),
  }),
  storage({
    kind: 'StorageClass', plural: 'storageclasses', scope: 'Cluster', shortNames: ['sc'],
    columns: [
      col('Name', (o) => `${o.metadata?.name ?? ''}${isDefaultStorageClass(o) ? ' (default)' : ''}`, { format: 'name', description: nameColumn.description }),
      col('Provisioner', (o) => o.provisioner ?? '', { description: 'The provisioner.' }),
      col('ReclaimPolicy', (o) => o.reclaimPolicy ?? 'Delete', { description: 'Reclaim policy of provisioned volumes.' }),
      col('VolumeBindingMode', (o) => o.volumeBindingMode ?? 'Immediate', { description: 'When volumes are bound.' }),
      col('AllowVolumeExpansion', (o) => o.allowVolumeExpansion === true, { description: 'Whether volumes may grow.' }),
      ageColumn,
    ],
  }),
  scheduling({
    kind: 'PriorityClass', plural: 'priorityclasses', scope: 'Cluster', shortNames: ['pc'],
    // Upstream lists PreemptionPolicy after Age, as an ordinary (not wide) column.
    columns: [
      nameColumn,
      int('Value', (o) => num(o.value), 'The priority value.'),
      col('Global-Default', (o) => o.globalDefault === true, { type: 'boolean', description: 'Whether this is the default priority.' }),
      ageColumn,
      col('PreemptionPolicy', (o) => o.preemptionPolicy ?? '', { description: 'Preemption policy.' }),
    ],
  }),
  apiextensions({
    kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', scope: 'Cluster', shortNames: ['crd', 'crds'], categories: ['api-extensions'],
    subresources: { status: true },
  }),
  authorization({ kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', scope: 'Cluster', verbs: ['create'] }),
  authorization({ kind: 'SelfSubjectRulesReview', plural: 'selfsubjectrulesreviews', scope: 'Cluster', verbs: ['create'] }),
  authorization({ kind: 'SubjectAccessReview', plural: 'subjectaccessreviews', scope: 'Cluster', verbs: ['create'] }),
  authentication({ kind: 'SelfSubjectReview', plural: 'selfsubjectreviews', scope: 'Cluster', verbs: ['create'] }),
  authenticationV1beta1({ kind: 'SelfSubjectReview', plural: 'selfsubjectreviews', scope: 'Cluster', verbs: ['create'], schema: 'io.k8s.api.authentication.v1.SelfSubjectReview' }),
  authentication({ kind: 'TokenReview', plural: 'tokenreviews', scope: 'Cluster', verbs: ['create'] }),
];

