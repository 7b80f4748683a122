// The Table columns and cells of every built-in resource, checked against what a Kubernetes
// 1.33 API server's printers produce (columns with priority 1 are the -o wide ones).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources } from './index.ts';
import type { KubeObject, ResourceDescription } from '../resource.ts';
import { humanDuration } from '../columns.ts';

const NOW = new Date('2025-06-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString().replace('.000Z', 'Z');
const CREATED = { creationTimestamp: ago(3600) };

function resource(group: string, plural: string, version?: string): ResourceDescription {
  const d = builtinResources.find((r) => r.group === group && r.plural === plural && (!version || r.version === version));
  assert.ok(d, `${group}/${plural} is served`);
  return d;
}

/** The row's cells by column name. */
function cells(d: ResourceDescription, obj: KubeObject, now = NOW): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of d.printerColumns) out[c.name] = c.cell(obj, now);
  return out;
}

const cell = (group: string, plural: string, obj: KubeObject, name: string, now = NOW) => cells(resource(group, plural), obj, now)[name];

// Upstream's column lists: "*" marks a wide (priority 1) column; ":type" a type other than string.
const UPSTREAM: Record<string, string[]> = {
  '/pods': ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP*', 'Node*', 'Nominated Node*', 'Readiness Gates*'],
  '/podtemplates': ['Name', 'Containers', 'Images', 'Pod Labels'],
  '/replicationcontrollers': ['Name', 'Desired:integer', 'Current:integer', 'Ready:integer', 'Age', 'Containers*', 'Images*', 'Selector*'],
  'apps/replicasets': ['Name', 'Desired:integer', 'Current:integer', 'Ready:integer', 'Age', 'Containers*', 'Images*', 'Selector*'],
  'apps/deployments': ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers*', 'Images*', 'Selector*'],
  'apps/statefulsets': ['Name', 'Ready', 'Age', 'Containers*', 'Images*'],
  'apps/daemonsets': ['Name', 'Desired:integer', 'Current:integer', 'Ready:integer', 'Up-to-date:integer', 'Available:integer', 'Node Selector', 'Age', 'Containers*', 'Images*', 'Selector*'],
  'apps/controllerrevisions': ['Name', 'Controller', 'Revision', 'Age'],
  'batch/jobs': ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers*', 'Images*', 'Selector*'],
  'batch/cronjobs': ['Name', 'Schedule', 'Timezone', 'Suspend:boolean', 'Active:integer', 'Last Schedule', 'Age', 'Containers*', 'Images*', 'Selector*'],
  '/services': ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector*'],
  'networking.k8s.io/ingresses': ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age'],
  'networking.k8s.io/ingressclasses': ['Name', 'Controller', 'Parameters', 'Age'],
  'networking.k8s.io/networkpolicies': ['Name', 'Pod-Selector', 'Age'],
  '/endpoints': ['Name', 'Endpoints', 'Age'],
  'discovery.k8s.io/endpointslices': ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'],
  '/nodes': ['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP*', 'External-IP*', 'OS-Image*', 'Kernel-Version*', 'Container-Runtime*'],
  '/events': ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject*', 'Source*', 'Message', 'First Seen*', 'Count*', 'Name*'],
  'events.k8s.io/events': ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject*', 'Source*', 'Message', 'First Seen*', 'Count*', 'Name*'],
  '/namespaces': ['Name', 'Status', 'Age'],
  '/secrets': ['Name', 'Type', 'Data', 'Age'],
  '/serviceaccounts': ['Name', 'Secrets', 'Age'],
  '/configmaps': ['Name', 'Data', 'Age'],
  '/persistentvolumes': ['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', 'VolumeMode*'],
  '/persistentvolumeclaims': ['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode*'],
  '/resourcequotas': ['Name', 'Request', 'Limit', 'Age'],
  '/limitranges': ['Name', 'Created At:date'],
  'autoscaling/horizontalpodautoscalers': ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age'],
  'policy/poddisruptionbudgets': ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions:integer', 'Age'],
  'rbac.authorization.k8s.io/roles': ['Name', 'Created At:date'],
  'rbac.authorization.k8s.io/clusterroles': ['Name', 'Created At:date'],
  'rbac.authorization.k8s.io/rolebindings': ['Name', 'Role', 'Age', 'Users*', 'Groups*', 'ServiceAccounts*'],
  'rbac.authorization.k8s.io/clusterrolebindings': ['Name', 'Role', 'Age', 'Users*', 'Groups*', 'ServiceAccounts*'],
  'storage.k8s.io/storageclasses': ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age'],
  'scheduling.k8s.io/priorityclasses': ['Name', 'Value:integer', 'Global-Default:boolean', 'Age', 'PreemptionPolicy'],
  'coordination.k8s.io/leases': ['Name', 'Holder', 'Age'],
  'apiextensions.k8s.io/customresourcedefinitions': ['Name', 'Created At:date'],
};

const describe = (d: ResourceDescription) => d.printerColumns.map((c) => `${c.name}${c.type === 'string' ? '' : `:${c.type}`}${c.priority > 0 ? '*' : ''}`);
const spell = (s: string) => { const m = /^(.*?)(:\w+)?(\*)?$/.exec(s)!; return `${m[1]}${m[2] ?? ''}${m[3] ?? ''}`; };

test('every listable built-in resource has upstream\'s columns, types and wide columns, in order', () => {
  const listable = builtinResources.filter((r) => r.verbs.includes('list'));
  for (const d of listable) {
    const key = `${d.group}/${d.plural}`;
    assert.ok(UPSTREAM[key], `${key} (${d.version}) has an expected column list in this test`);
    assert.deepEqual(describe(d), UPSTREAM[key]!.map(spell), `${key} ${d.version}`);
  }
  assert.deepEqual(Object.keys(UPSTREAM).filter((k) => !listable.some((d) => `${d.group}/${d.plural}` === k)), []);
});

test('Name columns carry the name format, as kubectl uses it to find the name', () => {
  for (const d of builtinResources) {
    const name = d.printerColumns.find((c) => c.name === 'Name');
    if (name) assert.equal(name.format, 'name', `${d.group}/${d.plural}`);
  }
});

test('human durations follow upstream\'s HumanDuration steps', () => {
  const s = 1000, m = 60 * s, h = 60 * m, d = 24 * h;
  const cases: [number, string][] = [
    [-2 * s, '<invalid>'], [-1500, '0s'], [0, '0s'], [119 * s, '119s'], [2 * m, '2m'], [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'], [179 * m, '179m'], [3 * h, '3h'], [7 * h + 59 * m, '7h59m'], [8 * h + 30 * m, '8h'],
    [47 * h, '47h'], [2 * d, '2d'], [7 * d + 23 * h, '7d23h'], [8 * d, '8d'], [729 * d, '729d'], [730 * d, '2y'],
    [800 * d, '2y70d'], [8 * 365 * d, '8y'],
  ];
  for (const [ms, text] of cases) assert.equal(humanDuration(ms), text, `${ms}ms`);
});

// ---- pods ----

const podSpec = (extra: KubeObject = {}) => ({ containers: [{ name: 'app', image: 'nginx' }], ...extra });

test('a pod whose init container has not finished shows Init:<done>/<total>', () => {
  const p = {
    metadata: { name: 'p', ...CREATED },
    spec: podSpec({ initContainers: [{ name: 'setup', image: 'busybox' }] }),
    status: {
      phase: 'Pending',
      conditions: [{ type: 'Initialized', status: 'False' }],
      initContainerStatuses: [{ name: 'setup', state: { waiting: { reason: 'PodInitializing' } }, restartCount: 0 }],
      containerStatuses: [{ name: 'app', state: { waiting: { reason: 'PodInitializing' } }, ready: false, restartCount: 0 }],
    },
  };
  assert.deepEqual(cells(resource('', 'pods'), p), {
    Name: 'p', Ready: '0/1', Status: 'Init:0/1', Restarts: '0', Age: '60m',
    IP: '<none>', Node: '<none>', 'Nominated Node': '<none>', 'Readiness Gates': '<none>',
  });
});

test('a failing init container shows Init:<reason>, Init:ExitCode:<n> or Init:Signal:<n>', () => {
  const pod = (state: KubeObject) => ({
    metadata: { name: 'p' }, spec: podSpec({ initContainers: [{ name: 'a' }, { name: 'b' }] }),
    status: { phase: 'Pending', initContainerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } }, { name: 'b', state }] },
  });
  assert.equal(cell('', 'pods', pod({ waiting: { reason: 'CrashLoopBackOff' } }), 'Status'), 'Init:CrashLoopBackOff');
  assert.equal(cell('', 'pods', pod({ terminated: { exitCode: 1 } }), 'Status'), 'Init:ExitCode:1');
  assert.equal(cell('', 'pods', pod({ terminated: { exitCode: 137, signal: 9 } }), 'Status'), 'Init:Signal:9');
  assert.equal(cell('', 'pods', pod({ terminated: { exitCode: 1, reason: 'Error' } }), 'Status'), 'Init:Error');
  assert.equal(cell('', 'pods', pod({ running: {} }), 'Status'), 'Init:1/2');
});

test('a crash-looping container shows CrashLoopBackOff and its restarts with the time since the last one', () => {
  const p = {
    metadata: { name: 'crash', ...CREATED }, spec: podSpec(),
    status: {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'False' }],
      containerStatuses: [{
        name: 'app', ready: false, restartCount: 3,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(120) } },
      }],
    },
  };
  const d = resource('', 'pods');
  assert.equal(cells(d, p).Ready, '0/1');
  assert.equal(cells(d, p).Status, 'CrashLoopBackOff');
  assert.equal(cells(d, p).Restarts, '3 (2m ago)');
  // The same object read again later is not served a stale cell.
  assert.equal(cells(d, p, new Date(NOW.getTime() + 180_000)).Restarts, '3 (5m ago)');
});

test('restarts without a recorded last termination are a bare count', () => {
  const p = { metadata: { name: 'p' }, spec: podSpec(), status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 2, state: { running: {} } }] } };
  assert.equal(cell('', 'pods', p, 'Restarts'), '2');
});

test('a running sidecar counts toward READY and its restarts are shown', () => {
  const p = {
    metadata: { name: 'side' },
    spec: podSpec({ initContainers: [{ name: 'proxy', restartPolicy: 'Always' }, { name: 'migrate' }] }),
    status: {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
      initContainerStatuses: [
        { name: 'proxy', started: true, ready: true, restartCount: 1, state: { running: {} }, lastState: { terminated: { exitCode: 2, finishedAt: ago(300) } } },
        { name: 'migrate', restartCount: 4, state: { terminated: { exitCode: 0, reason: 'Completed' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(30) } } },
      ],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
    },
  };
  const c = cells(resource('', 'pods'), p);
  assert.equal(c.Ready, '2/2');
  assert.equal(c.Status, 'Running');
  // Only the sidecar's restarts count once the pod is initialized.
  assert.equal(c.Restarts, '1 (5m ago)');
});

test('a pod being deleted shows Terminating, or Unknown when its node was lost', () => {
  const running = { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }] };
  const deleting = { name: 'p', deletionTimestamp: ago(5) };
  assert.equal(cell('', 'pods', { metadata: deleting, spec: podSpec(), status: running }, 'Status'), 'Terminating');
  assert.equal(cell('', 'pods', { metadata: deleting, spec: podSpec(), status: { ...running, reason: 'NodeLost' } }, 'Status'), 'Unknown');
  const done = { phase: 'Succeeded', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] };
  assert.equal(cell('', 'pods', { metadata: deleting, spec: podSpec(), status: done }, 'Status'), 'Completed');
});

test('a completed container beside a running one reads Running or NotReady by the Ready condition', () => {
  const status = (ready: string) => ({
    phase: 'Running',
    conditions: [{ type: 'Ready', status: ready }],
    containerStatuses: [
      { name: 'job', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      { name: 'app', ready: true, state: { running: {} } },
    ],
  });
  const spec = { containers: [{ name: 'job' }, { name: 'app' }] };
  assert.equal(cell('', 'pods', { metadata: { name: 'p' }, spec, status: status('True') }, 'Status'), 'Running');
  assert.equal(cell('', 'pods', { metadata: { name: 'p' }, spec, status: status('False') }, 'Status'), 'NotReady');
  assert.equal(cell('', 'pods', { metadata: { name: 'p' }, spec, status: status('True') }, 'Ready'), '1/2');
});

test('exited containers without a reason show ExitCode or Signal; gated pods SchedulingGated', () => {
  const exited = (t: KubeObject) => ({ metadata: { name: 'p' }, spec: podSpec(), status: { phase: 'Failed', containerStatuses: [{ name: 'app', state: { terminated: t } }] } });
  assert.equal(cell('', 'pods', exited({ exitCode: 2 }), 'Status'), 'ExitCode:2');
  assert.equal(cell('', 'pods', exited({ exitCode: 143, signal: 15 }), 'Status'), 'Signal:15');
  const gated = { metadata: { name: 'p' }, spec: podSpec(), status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } };
  assert.equal(cell('', 'pods', gated, 'Status'), 'SchedulingGated');
  const evicted = { metadata: { name: 'p' }, spec: podSpec(), status: { phase: 'Failed', reason: 'Evicted' } };
  assert.equal(cell('', 'pods', evicted, 'Status'), 'Evicted');
});

test('wide pod cells: first pod IP, node, nominated node and readiness gates', () => {
  const p = {
    metadata: { name: 'p' },
    spec: podSpec({ nodeName: 'node-1', readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] }),
    status: {
      phase: 'Running', podIP: '10.1.0.5', podIPs: [{ ip: '10.1.0.5' }, { ip: 'fd00::5' }], nominatedNodeName: 'node-2',
      conditions: [{ type: 'example.com/lb', status: 'True' }, { type: 'example.com/dns', status: 'False' }],
    },
  };
  const c = cells(resource('', 'pods'), p);
  assert.deepEqual([c.IP, c.Node, c['Nominated Node'], c['Readiness Gates']], ['10.1.0.5', 'node-1', 'node-2', '1/2']);
});

// ---- services ----

const svc = (spec: KubeObject, status: KubeObject = {}) => ({ metadata: { name: 's', ...CREATED }, spec, status });

test('service cells for ClusterIP, NodePort, headless and ExternalName services', () => {
  const d = resource('', 'services');
  assert.deepEqual(cells(d, svc({ type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }], selector: { 'k8s-app': 'dns', app: 'x' } })), {
    Name: 's', Type: 'ClusterIP', 'Cluster-IP': '10.96.0.10', 'External-IP': '<none>', 'Port(s)': '53/UDP,53/TCP', Age: '60m', Selector: 'app=x,k8s-app=dns',
  });
  const np = cells(d, svc({ type: 'NodePort', clusterIP: '10.96.1.1', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }], externalIPs: ['192.0.2.1'] }));
  assert.deepEqual([np['Port(s)'], np['External-IP'], np.Selector], ['80:30080/TCP', '192.0.2.1', '<none>']);
  assert.equal(cells(d, svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] }))['Cluster-IP'], 'None');
  const ext = cells(d, svc({ type: 'ExternalName', externalName: 'db.example.com' }));
  assert.deepEqual([ext['Cluster-IP'], ext['External-IP'], ext['Port(s)']], ['<none>', 'db.example.com', '<none>']);
});

test('a LoadBalancer service is <pending> until it has ingress points, then lists them sorted', () => {
  const d = resource('', 'services');
  const spec = { type: 'LoadBalancer', clusterIP: '10.96.2.2', ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] };
  assert.equal(cells(d, svc(spec))['External-IP'], '<pending>');
  const ingress = { loadBalancer: { ingress: [{ ip: '203.0.113.9' }, { hostname: 'lb.example.com' }, { ip: '198.51.100.7' }, { ip: '203.0.113.9' }] } };
  assert.equal(cells(d, svc(spec, ingress))['External-IP'], '198.51.100.7,203.0.113.9,lb.example.com');
  assert.equal(cells(d, svc({ ...spec, externalIPs: ['192.0.2.50'] }, ingress))['External-IP'], '198.51.100.7,203.0.113.9,lb.example.com,192.0.2.50');
  assert.equal(cells(d, svc({ ...spec, externalIPs: ['192.0.2.50'] }))['External-IP'], '192.0.2.50');
});

// ---- nodes ----

test('a cordoned, not-ready node with roles; wide columns show the first addresses', () => {
  const node = {
    metadata: { name: 'n1', ...CREATED, labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/worker': '', 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/': '' } },
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'Unknown' }],
      addresses: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '192.168.0.10' }, { type: 'InternalIP', address: 'fd00::10' }],
      nodeInfo: { kubeletVersion: 'v1.33.1', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: '' },
    },
  };
  assert.deepEqual(cells(resource('', 'nodes'), node), {
    Name: 'n1', Status: 'NotReady,SchedulingDisabled', Roles: 'control-plane,worker', Age: '60m', Version: 'v1.33.1',
    'Internal-IP': '192.168.0.10', 'External-IP': '<none>', 'OS-Image': 'Debian GNU/Linux 12 (bookworm)', 'Kernel-Version': '6.1.0', 'Container-Runtime': '<unknown>',
  });
  const bare = cells(resource('', 'nodes'), { metadata: { name: 'n2' }, status: {} });
  assert.deepEqual([bare.Status, bare.Roles, bare.Version, bare['OS-Image']], ['Unknown', '<none>', '', '<unknown>']);
});

// ---- workloads ----

test('job Status and Completions as 1.33 prints them', () => {
  const job = (status: KubeObject, spec: KubeObject = { completions: 1, parallelism: 1 }, meta: KubeObject = {}) =>
    ({ metadata: { name: 'j', ...CREATED, ...meta }, spec: { ...spec, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } }, template: { spec: podSpec() } }, status });
  const cond = (type: string, s = 'True') => ({ conditions: [{ type, status: s }] });
  const d = resource('batch', 'jobs');
  assert.deepEqual(cells(d, job({ ...cond('Complete'), succeeded: 1, startTime: ago(90), completionTime: ago(60) })), {
    Name: 'j', Status: 'Complete', Completions: '1/1', Duration: '30s', Age: '60m', Containers: 'app', Images: 'nginx', Selector: 'batch.kubernetes.io/controller-uid=u1',
  });
  assert.equal(cells(d, job({ ...cond('Failed'), failed: 1 })).Status, 'Failed');
  assert.equal(cells(d, job({}, undefined, { deletionTimestamp: ago(1) })).Status, 'Terminating');
  assert.equal(cells(d, job({ ...cond('Complete') }, undefined, { deletionTimestamp: ago(1) })).Status, 'Complete');
  assert.equal(cells(d, job(cond('Suspended'))).Status, 'Suspended');
  assert.equal(cells(d, job(cond('FailureTarget'))).Status, 'FailureTarget');
  assert.equal(cells(d, job(cond('SuccessCriteriaMet'))).Status, 'Running', '1.33 does not show SuccessCriteriaMet');
  assert.equal(cells(d, job(cond('Complete', 'False'))).Status, 'Running');
  const running = cells(d, job({ active: 3, startTime: ago(600) }, { parallelism: 3 }));
  assert.deepEqual([running.Status, running.Completions, running.Duration], ['Running', '0/1 of 3', '10m']);
  assert.equal(cells(d, job({}, { parallelism: 1 })).Completions, '0/1');
  assert.equal(cells(d, job({})).Duration, '');
});

test('cronjob cells: time zone, suspend and last schedule', () => {
  const cj = {
    metadata: { name: 'cj', ...CREATED },
    spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'alpine' }] } } } } },
    status: {},
  };
  assert.deepEqual(cells(resource('batch', 'cronjobs'), cj), {
    Name: 'cj', Schedule: '*/5 * * * *', Timezone: '<none>', Suspend: 'False', Active: 0, 'Last Schedule': '<none>', Age: '60m',
    Containers: 'a,b', Images: 'busybox,alpine', Selector: '<none>',
  });
  const later = { ...cj, spec: { ...cj.spec, timeZone: 'Europe/Berlin', suspend: true }, status: { active: [{ name: 'x' }], lastScheduleTime: ago(240) } };
  const c = cells(resource('batch', 'cronjobs'), later);
  assert.deepEqual([c.Timezone, c.Suspend, c.Active, c['Last Schedule']], ['Europe/Berlin', 'True', 1, '4m']);
});

test('deployment, replica set, stateful set, daemon set and replication controller cells', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }, { name: 'log', image: 'fluent' }] } };
  const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }, { key: 'canary', operator: 'DoesNotExist' }] };
  const dep = { metadata: { name: 'web', ...CREATED }, spec: { replicas: 3, selector, template }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } };
  assert.deepEqual(cells(resource('apps', 'deployments'), dep), {
    Name: 'web', Ready: '2/3', 'Up-to-date': 3, Available: 2, Age: '60m', Containers: 'web,log', Images: 'nginx:1.25,fluent', Selector: 'app=web,!canary,tier in (a,b)',
  });
  assert.equal(cells(resource('apps', 'deployments'), { ...dep, spec: { ...dep.spec, selector: {} } }).Selector, '', 'deployments print an empty selector as nothing');
  const rs = cells(resource('apps', 'replicasets'), { metadata: { name: 'web-1' }, spec: { replicas: 3, selector: {}, template }, status: { replicas: 3, readyReplicas: 1 } });
  assert.deepEqual([rs.Desired, rs.Current, rs.Ready, rs.Selector], [3, 3, 1, '<none>']);
  const sts = cells(resource('apps', 'statefulsets'), { metadata: { name: 'db' }, spec: { replicas: 2, template }, status: {} });
  assert.deepEqual([sts.Ready, sts.Containers], ['0/2', 'web,log']);
  const ds = cells(resource('apps', 'daemonsets'), {
    metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux', disk: 'ssd' } } } },
    status: { desiredNumberScheduled: 4, currentNumberScheduled: 4, numberReady: 3, updatedNumberScheduled: 4, numberAvailable: 3 },
  });
  assert.deepEqual([ds.Desired, ds.Current, ds.Ready, ds['Up-to-date'], ds.Available, ds['Node Selector'], ds.Selector], [4, 4, 3, 4, 3, 'disk=ssd,kubernetes.io/os=linux', 'app=agent']);
  assert.equal(cells(resource('apps', 'daemonsets'), { metadata: { name: 'x' }, spec: { template: { spec: {} } } })['Node Selector'], '<none>');
  const rc = cells(resource('', 'replicationcontrollers'), { metadata: { name: 'rc' }, spec: { replicas: 2, selector: { b: '2', a: '1' }, template }, status: { replicas: 2, readyReplicas: 2 } });
  assert.deepEqual([rc.Desired, rc.Current, rc.Ready, rc.Selector], [2, 2, 2, 'a=1,b=2']);
  const pt = cells(resource('', 'podtemplates'), { metadata: { name: 'pt' }, template });
  assert.deepEqual(pt, { Name: 'pt', Containers: 'web,log', Images: 'nginx:1.25,fluent', 'Pod Labels': 'app=web' });
});

test('controller revisions name their controller as kind.group/name', () => {
  const rev = (ownerReferences: KubeObject[]) => ({ metadata: { name: 'r', ownerReferences }, revision: 2 });
  const d = resource('apps', 'controllerrevisions');
  assert.deepEqual([cells(d, rev([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', controller: true }])).Controller, cells(d, rev([])).Revision], ['statefulset.apps/db', 2]);
  assert.equal(cells(d, rev([{ apiVersion: 'v1', kind: 'Pod', name: 'p', controller: true }])).Controller, 'pod/p');
  assert.equal(cells(d, rev([{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'd' }])).Controller, '<none>');
});

// ---- autoscaling ----

test('HPA targets for resource utilization and value metrics, with and without status', () => {
  const metrics = [
    { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
    { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } },
  ];
  const hpa = (status: KubeObject, extra: KubeObject[] = [], minReplicas?: number) => ({
    metadata: { name: 'h', ...CREATED },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas, maxReplicas: 10, metrics: [...metrics, ...extra] },
    status,
  });
  const d = resource('autoscaling', 'horizontalpodautoscalers', 'v2');
  const current = [
    { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 50, averageValue: '250m' } } },
    { type: 'Resource', resource: { name: 'memory', current: { averageValue: '100Mi' } } },
  ];
  assert.deepEqual(cells(d, hpa({ currentReplicas: 2, currentMetrics: current }, [], 1)), {
    Name: 'h', Reference: 'Deployment/web', Targets: 'cpu: 50%/80%, memory: 100Mi/200Mi', MinPods: '1', MaxPods: 10, Replicas: 2, Age: '60m',
  });
  // Quantities print as the API holds them: a plain byte count stays one.
  current[1]!.resource.current.averageValue = '104857600';
  assert.equal(cells(d, hpa({ currentMetrics: current })).Targets, 'cpu: 50%/80%, memory: 104857600/200Mi');
  const fresh = cells(d, hpa({}));
  assert.deepEqual([fresh.Targets, fresh.MinPods, fresh.Replicas], ['cpu: <unknown>/80%, memory: <unknown>/200Mi', '<unset>', 0]);
  const more = cells(d, hpa({}, [{ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } }]));
  assert.equal(more.Targets, 'cpu: <unknown>/80%, memory: <unknown>/200Mi + 1 more...');
  const none = { ...hpa({}), spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3 } };
  assert.equal(cells(d, none).Targets, '<none>');
});

test('HPA targets for pods, object, external and container metrics', () => {
  const d = resource('autoscaling', 'horizontalpodautoscalers', 'v2');
  const spec = (metrics: KubeObject[]) => ({ scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5, metrics });
  const one = (m: KubeObject, s?: KubeObject) => cells(d, { metadata: { name: 'h' }, spec: spec([m]), status: s ? { currentMetrics: [s] } : {} }).Targets;
  assert.equal(one({ type: 'Pods', pods: { target: { averageValue: '1k' } } }, { type: 'Pods', pods: { current: { averageValue: '500' } } }), '500/1k');
  assert.equal(one({ type: 'Object', object: { target: { type: 'Value', value: '10' } } }), '<unknown>/10');
  assert.equal(one({ type: 'Object', object: { target: { type: 'AverageValue', averageValue: '2' } } }, { type: 'Object', object: { current: { averageValue: '1500m' } } }), '1500m/2 (avg)');
  assert.equal(one({ type: 'External', external: { target: { type: 'Value', value: '100' } } }, { type: 'External', external: { current: { value: '42' } } }), '42/100');
  assert.equal(one({ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } } }), 'cpu: <unknown>/60%');
  assert.equal(one({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }), 'cpu: <unknown>/<auto>');
});

test('autoscaling/v1 HPAs print their CPU target like v2 ones', () => {
  const v1 = {
    metadata: { name: 'h', ...CREATED },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 80 },
    status: { currentReplicas: 3, desiredReplicas: 3, currentCPUUtilizationPercentage: 40 },
  };
  const c = cells(resource('autoscaling', 'horizontalpodautoscalers', 'v1'), v1);
  assert.deepEqual([c.Reference, c.Targets, c.MinPods, c.MaxPods, c.Replicas], ['Deployment/web', 'cpu: 40%/80%', '2', 6, 3]);
});

// ---- events ----

test('an event series shows the last observation and the series count', () => {
  const ev = {
    metadata: { name: 'web-1.17a', namespace: 'default', ...CREATED },
    involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{app}' },
    reason: 'BackOff', message: '  Back-off restarting failed container  ', type: 'Warning',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: ago(900), lastTimestamp: ago(600), count: 2,
    series: { count: 7, lastObservedTime: ago(30) },
  };
  assert.deepEqual(cells(resource('', 'events'), ev), {
    'Last Seen': '30s', Type: 'Warning', Reason: 'BackOff', Object: 'pod/web-1', Subobject: 'spec.containers{app}', Source: 'kubelet, node-1',
    Message: 'Back-off restarting failed container', 'First Seen': '15m', Count: 7, Name: 'web-1.17a',
  });
});

test('a new-API event without timestamps falls back to eventTime, count 1 and the reporting controller', () => {
  const ev = {
    metadata: { name: 'e' }, involvedObject: { kind: 'Node' }, reason: 'Starting', message: 'm', type: 'Normal',
    eventTime: '2025-06-01T11:58:00.123456Z', reportingComponent: 'kube-proxy', reportingInstance: 'kube-proxy-n1', source: {},
  };
  const c = cells(resource('', 'events'), ev);
  assert.deepEqual([c['Last Seen'], c['First Seen'], c.Count, c.Object, c.Source], ['119s', '119s', 1, 'node', 'kube-proxy, kube-proxy-n1']);
  const hostOnly = cells(resource('', 'events'), { ...ev, reportingComponent: '', source: { host: 'n1' } });
  assert.equal(hostOnly.Source, ', n1');
});

test('events.k8s.io events print the same cells from their own field names', () => {
  const ev = {
    apiVersion: 'events.k8s.io/v1', metadata: { name: 'e2' }, eventTime: ago(400), regarding: { kind: 'Deployment', name: 'web', fieldPath: '' },
    note: 'Scaled up', reason: 'ScalingReplicaSet', type: 'Normal', reportingController: 'deployment-controller', reportingInstance: '',
    series: { count: 3, lastObservedTime: ago(20) },
  };
  const c = cells(resource('events.k8s.io', 'events'), ev);
  assert.deepEqual([c['Last Seen'], c.Object, c.Message, c.Source, c['First Seen'], c.Count], ['20s', 'deployment/web', 'Scaled up', 'deployment-controller', '6m40s', 3]);
});

// ---- networking ----

test('endpoints list ip:port pairs, three at most, IPv6 bracketed', () => {
  const d = resource('', 'endpoints');
  const ep = (subsets?: KubeObject[]) => ({ metadata: { name: 'e' }, subsets });
  assert.equal(cells(d, ep()).Endpoints, '<none>');
  assert.equal(cells(d, ep([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] }])).Endpoints, '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...');
  assert.equal(cells(d, ep([{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 8080 }] }, { addresses: [{ ip: '10.0.0.9' }] }])).Endpoints, '[fd00::1]:8080,10.0.0.9');
  assert.equal(cells(d, ep([{ notReadyAddresses: [{ ip: '10.0.0.3' }], ports: [{ port: 80 }] }])).Endpoints, '');
});

test('endpoint slices list ports (number, name or *) and addresses, three at most', () => {
  const d = resource('discovery.k8s.io', 'endpointslices');
  const c = cells(d, {
    metadata: { name: 's' }, addressType: 'IPv4', ports: [{ port: 80, name: 'http' }, { name: 'metrics' }, {}, { port: 9000 }],
    endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2', '10.0.0.3'] }, { addresses: ['10.0.0.4'] }],
  });
  assert.deepEqual([c.AddressType, c.Ports, c.Endpoints], ['IPv4', '80,metrics,* + 1 more...', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...']);
  const empty = cells(d, { metadata: { name: 's' }, addressType: 'IPv6' });
  assert.deepEqual([empty.Ports, empty.Endpoints], ['<unset>', '<unset>']);
});

test('ingress hosts, address, ports and class', () => {
  const d = resource('networking.k8s.io', 'ingresses');
  const ing = (spec: KubeObject, status: KubeObject = {}) => cells(d, { metadata: { name: 'i' }, spec, status });
  const rules = ['a.example', 'b.example', '', 'c.example', 'd.example'].map((host) => (host ? { host } : {}));
  const many = ing({ ingressClassName: 'nginx', rules, tls: [{ hosts: ['a.example'] }] }, { loadBalancer: { ingress: [{ ip: '192.0.2.9' }, { hostname: 'lb.example' }, { ip: '192.0.2.1' }] } });
  assert.deepEqual([many.Class, many.Hosts, many.Address, many.Ports], ['nginx', 'a.example,b.example,c.example + 2 more...', '192.0.2.1,192.0.2.9,lb.example', '80, 443']);
  const plain = ing({ defaultBackend: { service: { name: 'web', port: { number: 80 } } } });
  assert.deepEqual([plain.Class, plain.Hosts, plain.Address, plain.Ports], ['<none>', '*', '', '80']);
});

test('ingress class parameters and network policy selectors', () => {
  const ic = (parameters?: KubeObject) => cells(resource('networking.k8s.io', 'ingressclasses'), { metadata: { name: 'c' }, spec: { controller: 'k8s.io/ingress-nginx', parameters } });
  assert.equal(ic().Parameters, '<none>');
  assert.equal(ic({ apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'p' }).Parameters, 'IngressParameters.k8s.example.com/p');
  assert.equal(ic({ kind: 'ConfigMap', name: 'cm', scope: 'Namespace', namespace: 'x' }).Parameters, 'ConfigMap/cm');
  const np = (podSelector: KubeObject) => cells(resource('networking.k8s.io', 'networkpolicies'), { metadata: { name: 'n' }, spec: { podSelector } })['Pod-Selector'];
  assert.equal(np({}), '<none>');
  assert.equal(np({ matchLabels: { role: 'db' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod', 'dev'] }] }), 'env notin (dev,prod),role=db');
});

// ---- storage ----

test('persistent volume and claim cells', () => {
  const pv = {
    metadata: { name: 'pv1', ...CREATED, annotations: { 'volume.beta.kubernetes.io/storage-class': 'legacy' } },
    spec: { capacity: { storage: '1024Mi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteMany'], persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'ns', name: 'data' }, storageClassName: 'fast', volumeMode: 'Filesystem' },
    status: { phase: 'Bound' },
  };
  assert.deepEqual(cells(resource('', 'persistentvolumes'), pv), {
    Name: 'pv1', Capacity: '1Gi', 'Access Modes': 'RWO,RWX', 'Reclaim Policy': 'Retain', Status: 'Bound', Claim: 'ns/data',
    StorageClass: 'legacy', VolumeAttributesClass: '<unset>', Reason: '', Age: '60m', VolumeMode: 'Filesystem',
  });
  const released = cells(resource('', 'persistentvolumes'), { metadata: { name: 'pv2', deletionTimestamp: ago(1) }, spec: { capacity: { storage: '5Gi' }, volumeAttributesClassName: 'gold' }, status: { phase: 'Released' } });
  assert.deepEqual([released.Status, released.Claim, released.VolumeAttributesClass, released.VolumeMode], ['Terminating', '', 'gold', '<unset>']);

  const pvc = (spec: KubeObject, status: KubeObject) => cells(resource('', 'persistentvolumeclaims'), { metadata: { name: 'data', ...CREATED }, spec, status });
  assert.deepEqual(pvc({ storageClassName: 'fast', resources: { requests: { storage: '1Gi' } }, volumeMode: 'Block' }, { phase: 'Pending' }), {
    Name: 'data', Status: 'Pending', Volume: '', Capacity: '', 'Access Modes': '', StorageClass: 'fast', VolumeAttributesClass: '<unset>', Age: '60m', VolumeMode: 'Block',
  });
  const bound = pvc({ volumeName: 'pv1', storageClassName: 'fast' }, { phase: 'Bound', capacity: { storage: '2Gi' }, accessModes: ['ReadWriteOncePod'] });
  assert.deepEqual([bound.Volume, bound.Capacity, bound['Access Modes']], ['pv1', '2Gi', 'RWOP']);
});

test('storage class default marker and boolean cells; priority class cells', () => {
  const sc = cells(resource('storage.k8s.io', 'storageclasses'), { metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' }, ...CREATED }, provisioner: 'rancher.io/local-path' });
  assert.deepEqual(sc, { Name: 'standard (default)', Provisioner: 'rancher.io/local-path', ReclaimPolicy: 'Delete', VolumeBindingMode: 'Immediate', AllowVolumeExpansion: false, Age: '60m' });
  const pc = cells(resource('scheduling.k8s.io', 'priorityclasses'), { metadata: { name: 'system-node-critical', ...CREATED }, value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' });
  assert.deepEqual(pc, { Name: 'system-node-critical', Value: 2000001000, 'Global-Default': false, Age: '60m', PreemptionPolicy: 'PreemptLowerPriority' });
});

// ---- the rest ----

test('resource quota requests and limits, sorted, with 0 for unused', () => {
  const q = {
    metadata: { name: 'q', ...CREATED },
    spec: { hard: { ignored: '1' } },
    status: { hard: { pods: '10', 'limits.cpu': '2', 'requests.memory': '1Gi', 'limits.memory': '2Gi' }, used: { pods: '3', 'limits.cpu': '500m' } },
  };
  assert.deepEqual(cells(resource('', 'resourcequotas'), q), {
    Name: 'q', Request: 'pods: 3/10, requests.memory: 0/1Gi', Limit: 'limits.cpu: 500m/2, limits.memory: 0/2Gi', Age: '60m',
  });
});

test('simple cells: namespaces, secrets, config maps, service accounts, leases, PDBs and bindings', () => {
  assert.deepEqual(cells(resource('', 'namespaces'), { metadata: { name: 'ns', ...CREATED }, status: { phase: 'Terminating' } }), { Name: 'ns', Status: 'Terminating', Age: '60m' });
  assert.deepEqual(cells(resource('', 'secrets'), { metadata: { name: 's', ...CREATED }, type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }), { Name: 's', Type: 'kubernetes.io/tls', Data: 2, Age: '60m' });
  assert.equal(cell('', 'configmaps', { metadata: { name: 'c' }, data: { a: '1' }, binaryData: { b: 'AA==' } }, 'Data'), 2);
  assert.equal(cell('', 'serviceaccounts', { metadata: { name: 'sa' } }, 'Secrets'), 0);
  assert.equal(cell('coordination.k8s.io', 'leases', { metadata: { name: 'l' }, spec: { holderIdentity: 'node-1' } }, 'Holder'), 'node-1');
  assert.equal(cell('coordination.k8s.io', 'leases', { metadata: { name: 'l' }, spec: {} }, 'Holder'), '');
  const pdb = cells(resource('policy', 'poddisruptionbudgets'), { metadata: { name: 'p' }, spec: { maxUnavailable: '25%' }, status: { disruptionsAllowed: 1 } });
  assert.deepEqual([pdb['Min Available'], pdb['Max Unavailable'], pdb['Allowed Disruptions']], ['N/A', '25%', 1]);
  assert.equal(cell('policy', 'poddisruptionbudgets', { metadata: { name: 'p' }, spec: { minAvailable: 2 } }, 'Min Available'), '2');
  const rb = cells(resource('rbac.authorization.k8s.io', 'rolebindings'), {
    metadata: { name: 'rb', ...CREATED }, roleRef: { kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'User', name: 'alice' }, { kind: 'Group', name: 'devs' }, { kind: 'User', name: 'bob' }, { kind: 'ServiceAccount', name: 'ci', namespace: 'tools' }],
  });
  assert.deepEqual(rb, { Name: 'rb', Role: 'ClusterRole/view', Age: '60m', Users: 'alice, bob', Groups: 'devs', ServiceAccounts: 'tools/ci' });
});

test('resources without their own printer show Name and Created At in RFC 3339', () => {
  const role = { metadata: { name: 'reader', creationTimestamp: '2024-05-01T10:00:00Z' } };
  assert.deepEqual(cells(resource('rbac.authorization.k8s.io', 'roles'), role), { Name: 'reader', 'Created At': '2024-05-01T10:00:00Z' });
  const crd = { metadata: { name: 'widgets.example.com', creationTimestamp: '2024-05-01T10:00:00.250Z' } };
  assert.deepEqual(cells(resource('apiextensions.k8s.io', 'customresourcedefinitions'), crd), { Name: 'widgets.example.com', 'Created At': '2024-05-01T10:00:00Z' });
});
