// Resources of the named built-in groups.
import type { KubeObject, ResourceDescription } from '../resource.ts';
import { defineGroup } from '../define.ts';
import { col, ageColumn, nameColumn, orNone, since, humanDuration, formatLabelSelector, workloadWideColumns } from '../columns.ts';
import { eventColumns } from './core.ts';
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
const selectorWide = workloadWideColumns((o) => formatLabelSelector(o.spec?.selector));
const scale = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' };

function jobStatus(o: KubeObject): string {
  const conds: KubeObject[] = o.status?.conditions ?? [];
  const has = (t: string) => conds.some((c) => c.type === t && c.status === 'True');
  if (has('Failed')) return 'Failed';
  if (has('Complete')) return 'Complete';
  if (has('Suspended')) return 'Suspended';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  if (o.metadata?.deletionTimestamp) return 'Terminating';
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

function ingressHosts(o: KubeObject): string {
  const hosts = (o.spec?.rules ?? []).map((r: KubeObject) => r.host).filter(Boolean);
  if (!hosts.length) return '*';
  return hosts.length > 4 ? `${hosts.slice(0, 4).join(',')} + ${hosts.length - 4} more...` : hosts.join(',');
}

const loadBalancerAddresses = (ingress: KubeObject[] | undefined) =>
  (ingress ?? []).map((i) => i.ip || i.hostname).filter(Boolean).join(',');

function hpaTargets(o: KubeObject): string {
  const specs: KubeObject[] = o.spec?.metrics ?? [];
  if (o.spec?.targetCPUUtilizationPercentage !== undefined) {
    const cur = o.status?.currentCPUUtilizationPercentage;
    return `cpu: ${cur === undefined ? '<unknown>' : `${cur}%`}/${o.spec.targetCPUUtilizationPercentage}%`;
  }
  if (!specs.length) return '<none>';
  const statuses: KubeObject[] = o.status?.currentMetrics ?? [];
  const parts = specs.map((m, i) => {
    if (m.type === 'Resource' && m.resource) {
      const cur = statuses[i]?.resource?.current;
      const t = m.resource.target ?? {};
      if (t.type === 'Utilization') return `${m.resource.name}: ${cur?.averageUtilization !== undefined ? cur.averageUtilization + '%' : '<unknown>'}/${t.averageUtilization}%`;
      return `${m.resource.name}: ${cur?.averageValue ?? '<unknown>'}/${t.averageValue ?? t.value}`;
    }
    return `<unknown>/${m.type}`;
  });
  return parts.length > 2 ? `${parts.slice(0, 2).join(', ')} + ${parts.length - 2} more...` : parts.join(', ');
}

function hpaColumns() {
  return [
    nameColumn,
    col('Reference', (o) => `${o.spec?.scaleTargetRef?.kind}/${o.spec?.scaleTargetRef?.name}`, { description: 'The scale target.' }),
    col('Targets', hpaTargets, { description: 'Current and target metric values.' }),
    col('MinPods', (o) => (o.spec?.minReplicas === undefined ? '<unset>' : o.spec.minReplicas), { description: 'Lower replica limit.' }),
    int('MaxPods', (o) => num(o.spec?.maxReplicas), 'Upper replica limit.'),
    int('Replicas', (o) => num(o.status?.currentReplicas), 'Current replicas.'),
    ageColumn,
  ];
}

function bindingWide(): ReturnType<typeof col>[] {
  const subjects = (o: KubeObject, kind: string) => (o.subjects ?? []).filter((s: KubeObject) => s.kind === kind)
    .map((s: KubeObject) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name)).join(', ');
  return [
    col('Users', (o) => subjects(o, 'User'), { wide: true, description: 'Users in the binding.' }),
    col('Groups', (o) => subjects(o, 'Group'), { wide: true, description: 'Groups in the binding.' }),
    col('ServiceAccounts', (o) => subjects(o, 'ServiceAccount'), { wide: true, description: 'Service accounts in the binding.' }),
  ];
}

export const groupResources: ResourceDescription[] = [
  apps({
    kind: 'Deployment', plural: 'deployments', scope: 'Namespaced', shortNames: ['deploy'], categories: ['all'], generation: true,
    subresources: { status: true, scale },
    middle: [
      col('Ready', (o) => `${num(o.status?.readyReplicas)}/${num(o.spec?.replicas)}`, { description: 'Number of ready pods out of desired.' }),
      int('Up-to-date', (o) => num(o.status?.updatedReplicas), 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
      int('Available', (o) => num(o.status?.availableReplicas), 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ],
    wide: selectorWide,
  }),
  apps({
    kind: 'ReplicaSet', plural: 'replicasets', scope: 'Namespaced', shortNames: ['rs'], categories: ['all'], generation: true,
    subresources: { status: true, scale },
    middle: [
      int('Desired', (o) => num(o.spec?.replicas), 'Number of desired pods.'),
      int('Current', (o) => num(o.status?.replicas), 'Number of actually running pods.'),
      int('Ready', (o) => num(o.status?.readyReplicas), 'Number of pods ready.'),
    ],
    wide: selectorWide,
    selectableFields: { 'status.replicas': (o) => String(num(o.status?.replicas)) },
  }),
  apps({
    kind: 'StatefulSet', plural: 'statefulsets', scope: 'Namespaced', shortNames: ['sts'], categories: ['all'], generation: true,
    subresources: { status: true, scale },
    middle: [col('Ready', (o) => `${num(o.status?.readyReplicas)}/${num(o.spec?.replicas)}`, { description: 'Number of ready pods out of desired.' })],
    wide: workloadWideColumns((o) => formatLabelSelector(o.spec?.selector)).slice(0, 2),
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
      col('Node Selector', (o) => formatNodeSelector(o.spec?.template?.spec?.nodeSelector), { description: 'Node selector of the pods.' }),
    ],
    wide: selectorWide,
  }),
  apps({
    kind: 'ControllerRevision', plural: 'controllerrevisions', scope: 'Namespaced',
    middle: [
      col('Controller', (o) => {
        const owner = (o.metadata?.ownerReferences ?? []).find((r: KubeObject) => r.controller);
        return owner ? `${owner.kind.toLowerCase()}.${String(owner.apiVersion).split('/')[0]}/${owner.name}` : '<none>';
      }, { description: 'The controller owning the revision.' }),
      int('Revision', (o) => num(o.revision), 'The revision number.'),
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
    wide: selectorWide,
    selectableFields: { 'status.successful': (o) => String(num(o.status?.succeeded)) },
  }),
  batch({
    kind: 'CronJob', plural: 'cronjobs', scope: 'Namespaced', shortNames: ['cj'], categories: ['all'], generation: true,
    subresources: { status: true },
    middle: [
      col('Schedule', (o) => o.spec?.schedule ?? '', { description: 'The schedule in Cron format.' }),
      col('Timezone', (o) => orNone(o.spec?.timeZone), { description: 'The time zone of the schedule.' }),
      col('Suspend', (o) => (o.spec?.suspend ? 'True' : 'False'), { type: 'boolean', description: 'Whether new runs are suspended.' }),
      int('Active', (o) => (o.status?.active ?? []).length, 'Number of running jobs.'),
      col('Last Schedule', (o, now) => (o.status?.lastScheduleTime ? since(o.status.lastScheduleTime, now) : '<none>'), { description: 'When the job was last scheduled.' }),
    ],
    wide: [
      ...workloadWideColumns(() => '').slice(0, 2).map((c) => ({ ...c, cell: (o: KubeObject, n: Date) => c.cell({ spec: { template: o.spec?.jobTemplate?.spec?.template } }, n) })),
      col('Selector', (o) => formatLabelSelector(o.spec?.jobTemplate?.spec?.selector), { wide: true, description: 'Label selector for pods.' }),
    ],
  }),
  networking({
    kind: 'Ingress', plural: 'ingresses', scope: 'Namespaced', shortNames: ['ing'], generation: true,
    subresources: { status: true },
    middle: [
      col('Class', (o) => o.spec?.ingressClassName ?? '<none>', { description: 'The ingress class.' }),
      col('Hosts', ingressHosts, { description: 'Hosts the ingress serves.' }),
      col('Address', (o) => loadBalancerAddresses(o.status?.loadBalancer?.ingress), { description: 'Address of the load balancer.' }),
      col('Ports', (o) => ((o.spec?.tls ?? []).length ? '80, 443' : '80'), { description: 'Ports of the load balancer.' }),
    ],
  }),
  networking({
    kind: 'IngressClass', plural: 'ingressclasses', scope: 'Cluster',
    middle: [
      col('Controller', (o) => o.spec?.controller ?? '', { description: 'Controller implementing the class.' }),
      col('Parameters', (o) => {
        const p = o.spec?.parameters;
        return p ? `${p.kind}.${p.apiGroup ?? ''}/${p.name}`.replace('./', '/') : '<none>';
      }, { description: 'Parameters of the class.' }),
    ],
  }),
  networking({
    kind: 'NetworkPolicy', plural: 'networkpolicies', scope: 'Namespaced', shortNames: ['netpol'], generation: true,
    middle: [col('Pod-Selector', (o) => {
      const s = formatLabelSelector(o.spec?.podSelector);
      return s === '<none>' ? '<none>' : s;
    }, { description: 'Pods the policy selects.' })],
  }),
  autoscalingV2({
    kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', scope: 'Namespaced', shortNames: ['hpa'], categories: ['all'], generation: true,
    subresources: { status: true }, columns: hpaColumns(),
  }),
  autoscalingV1({
    kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', scope: 'Namespaced', shortNames: ['hpa'], categories: ['all'], generation: true,
    subresources: { status: true }, columns: hpaColumns(),
    storedAs: { group: 'autoscaling', plural: 'horizontalpodautoscalers', toStored: hpaV1ToV2, fromStored: hpaV2ToV1 },
  }),
  policy({
    kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', scope: 'Namespaced', shortNames: ['pdb'], generation: true,
    subresources: { status: true },
    middle: [
      col('Min Available', (o) => (o.spec?.minAvailable === undefined ? 'N/A' : String(o.spec.minAvailable)), { description: 'Minimum available pods.' }),
      col('Max Unavailable', (o) => (o.spec?.maxUnavailable === undefined ? 'N/A' : String(o.spec.maxUnavailable)), { description: 'Maximum unavailable pods.' }),
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
      col('Ports', (o) => {
        const ports = (o.ports ?? []).map((p: KubeObject) => (p.port === undefined ? '' : String(p.port))).filter(Boolean);
        if (!ports.length) return (o.ports ?? []).length ? '<unset>' : '<unset>';
        return ports.length > 3 ? `${ports.slice(0, 3).join(',')} + ${ports.length - 3} more...` : ports.join(',');
      }, { description: 'Ports of the slice.' }),
      col('Endpoints', (o) => {
        const addrs: string[] = [];
        for (const e of o.endpoints ?? []) for (const a of e.addresses ?? []) addrs.push(a);
        if (!addrs.length) return '<unset>';
        return addrs.length > 3 ? `${addrs.slice(0, 3).join(',')} + ${addrs.length - 3} more...` : addrs.join(',');
      }, { description: 'Addresses of the endpoints.' }),
    ],
  }),
  events({
    kind: 'Event', plural: 'events', scope: 'Namespaced', shortNames: ['ev'], columns: eventColumns('note'),
    storedAs: { group: '', plural: 'events', toStored: eventsV1ToCore, fromStored: coreToEventsV1 },
  }),
  rbac({ kind: 'Role', plural: 'roles', scope: 'Namespaced' }),
  rbac({ kind: 'ClusterRole', plural: 'clusterroles', scope: 'Cluster' }),
  rbac({
    kind: 'RoleBinding', plural: 'rolebindings', scope: 'Namespaced',
    middle: [col('Role', (o) => `${o.roleRef?.kind}/${o.roleRef?.name}`, { description: 'The role bound.' })],
    wide: bindingWide(),
  }),
  rbac({
    kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', scope: 'Cluster',
    middle: [col('Role', (o) => `${o.roleRef?.kind}/${o.roleRef?.name}`, { description: 'The role bound.' })],
    wide: bindingWide(),
  }),
  storage({
    kind: 'StorageClass', plural: 'storageclasses', scope: 'Cluster', shortNames: ['sc'],
    columns: [
      col('Name', (o) => (o.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' ? `${o.metadata.name} (default)` : o.metadata?.name), { description: 'Name of the storage class.' }),
      col('Provisioner', (o) => o.provisioner ?? '', { description: 'The provisioner.' }),
      col('ReclaimPolicy', (o) => o.reclaimPolicy ?? 'Delete', { description: 'Reclaim policy of provisioned volumes.' }),
      col('VolumeBindingMode', (o) => o.volumeBindingMode ?? 'Immediate', { description: 'When volumes are bound.' }),
      col('AllowVolumeExpansion', (o) => String(o.allowVolumeExpansion ?? false), { description: 'Whether volumes may grow.' }),
      ageColumn,
    ],
  }),
  scheduling({
    kind: 'PriorityClass', plural: 'priorityclasses', scope: 'Cluster', shortNames: ['pc'],
    middle: [
      int('Value', (o) => num(o.value), 'The priority value.'),
      col('Global-Default', (o) => String(o.globalDefault ?? false), { type: 'boolean', description: 'Whether this is the default priority.' }),
    ],
    wide: [col('PreemptionPolicy', (o) => o.preemptionPolicy ?? 'PreemptLowerPriority', { description: 'Preemption policy.' })],
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

function formatNodeSelector(sel: Record<string, string> | undefined): string {
  const entries = Object.entries(sel ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}
