import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  validators, renderFieldError, invalidMessage, toCauses, validateObjectMeta, validateObjectMetaUpdate, nameIsDNSSubdomain,
  isDNS1123Subdomain, cronScheduleError, fieldErrors, type FieldError, type KubeObject,
} from './index.ts';
import { applyDefaults } from '../defaults/index.ts';

const render = (errs: FieldError[]) => errs.map(renderFieldError);
const defaulted = (group: string, kind: string, obj: KubeObject) => {
  applyDefaults(group, kind, obj);
  return obj;
};
const pod = (spec: KubeObject): KubeObject => defaulted('', 'Pod', { metadata: { name: 'p', namespace: 'default' }, spec });

test('renders field errors and the 422 message as upstream', () => {
  const a = fieldErrors.invalid('metadata.labels', 'a b', 'bad');
  const b = fieldErrors.required('metadata.name', 'name or generateName is required');
  assert.equal(renderFieldError(a), 'metadata.labels: Invalid value: "a b": bad');
  assert.equal(invalidMessage('', 'ConfigMap', 'x', [b]), 'ConfigMap "x" is invalid: metadata.name: Required value: name or generateName is required');
  assert.equal(invalidMessage('apps', 'Deployment', 'x', [a, b, a]), 'Deployment.apps "x" is invalid: [metadata.labels: Invalid value: "a b": bad, metadata.name: Required value: name or generateName is required]');
  assert.deepEqual(toCauses([b]), [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }]);
  assert.equal(renderFieldError(fieldErrors.notSupported('spec.type', 'X', ['A', 'B'])), 'spec.type: Unsupported value: "X": supported values: "A", "B"');
  assert.equal(renderFieldError(fieldErrors.tooLong('metadata.annotations', 262144)), 'metadata.annotations: Too long: may not be more than 262144 bytes');
  assert.equal(renderFieldError(fieldErrors.tooMany('spec.x', 5, 3)), 'spec.x: Too many: 5: must have at most 3 items');
});

test('checks names with upstream messages', () => {
  assert.deepEqual(isDNS1123Subdomain('Foo'), [
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  const errs = render(validateObjectMeta({ namespace: 'default' }, { requiresNamespace: true, nameFn: nameIsDNSSubdomain }));
  assert.deepEqual(errs, ['metadata.name: Required value: name or generateName is required']);
  const gen = validateObjectMeta({ generateName: 'web-', namespace: 'default', name: 'web-abcde' }, { requiresNamespace: true, nameFn: nameIsDNSSubdomain });
  assert.deepEqual(gen, []);
  const cluster = render(validateObjectMeta({ name: 'n', namespace: 'x' }, { requiresNamespace: false, nameFn: nameIsDNSSubdomain }));
  assert.deepEqual(cluster, ['metadata.namespace: Forbidden: not allowed on this type']);
});

test('validates metadata labels, annotations size, owner references and finalizers', () => {
  const errs = render(validateObjectMeta({
    name: 'x', namespace: 'd', labels: { 'a b': 'ok' }, annotations: { big: 'x'.repeat(256 * 1024) },
    ownerReferences: [{ apiVersion: 'v1', kind: 'A', name: 'a', uid: '1', controller: true }, { apiVersion: 'v1', kind: 'B', name: 'b', uid: '2', controller: true }],
    finalizers: ['foo'],
  }, { requiresNamespace: true, nameFn: nameIsDNSSubdomain, builtin: true }));
  assert.match(errs[0]!, /^metadata\.labels: Invalid value: "a b": name part must consist of alphanumeric characters/);
  assert.equal(errs[1], 'metadata.annotations: Too long: may not be more than 262144 bytes');
  assert.match(errs[2]!, /^metadata\.ownerReferences: Invalid value: .*: Only one reference can have Controller set to true\. Found "true" in references for A\/a and B\/b$/);
  assert.equal(errs[3], 'metadata.finalizers[0]: Invalid value: "foo": name is neither a standard finalizer name nor is it fully qualified');
});

test('rejects changes to identity metadata on update', () => {
  const errs = render(validateObjectMetaUpdate({ name: 'b', resourceVersion: '2', uid: 'u' }, { name: 'a', uid: 'u' }));
  assert.deepEqual(errs, ['metadata.name: Invalid value: "b": field is immutable']);
  assert.deepEqual(render(validateObjectMetaUpdate({ name: 'a' }, { name: 'a' })), ['metadata.resourceVersion: Invalid value: "": must be specified for an update']);
});

test('a pod needs containers with names and images', () => {
  assert.deepEqual(render(validators['/Pod']!(pod({}))), ['spec.containers: Required value']);
  const errs = render(validators['/Pod']!(pod({ containers: [{ name: 'Web' }, { name: 'a', image: 'x' }, { name: 'a', image: 'x' }] })));
  assert.match(errs[0]!, /^spec\.containers\[0\]\.name: Invalid value: "Web": a lowercase RFC 1123 label must consist of/);
  assert.equal(errs[1], 'spec.containers[0].image: Required value');
  assert.equal(errs[2], 'spec.containers[2].name: Duplicate value: "a"');
});

test('validates ports, env, mounts, resources and restart policy of a pod', () => {
  const p = pod({
    restartPolicy: 'Sometimes',
    volumes: [{ name: 'data', emptyDir: {} }, { name: 'data', emptyDir: {} }],
    containers: [{
      name: 'c', image: 'x',
      ports: [{ containerPort: 70000, name: 'http' }, { containerPort: 80, name: 'http', protocol: 'ICMP' }],
      env: [{ name: '' }, { name: 'A=B' }],
      volumeMounts: [{ name: 'missing', mountPath: '/m' }],
      resources: { requests: { cpu: '2' }, limits: { cpu: '1' } },
    }],
  });
  const errs = render(validators['/Pod']!(p));
  assert.deepEqual(errs, [
    'spec.volumes[1].name: Duplicate value: "data"',
    'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    'spec.containers[0].ports[1].name: Duplicate value: "http"',
    'spec.containers[0].ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    'spec.containers[0].env[0].name: Required value',
    "spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
    'spec.containers[0].volumeMounts[0].name: Not found: "missing"',
    'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
  ]);
});

test('mount propagation: Bidirectional only for privileged containers, and only the known modes', () => {
  const p = pod({
    volumes: [{ name: 'data', emptyDir: {} }],
    containers: [
      { name: 'a', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/m', mountPropagation: 'Bidirectional' }] },
      { name: 'b', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/m', mountPropagation: 'Sideways' }] },
      { name: 'c', image: 'x', securityContext: { privileged: true }, volumeMounts: [{ name: 'data', mountPath: '/m', mountPropagation: 'Bidirectional' }] },
      { name: 'd', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/m', mountPropagation: 'HostToContainer' }] },
    ],
  });
  assert.deepEqual(render(validators['/Pod']!(p)), [
    'spec.containers[0].volumeMounts[0].mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers',
    'spec.containers[1].volumeMounts[0].mountPropagation: Unsupported value: "Sideways": supported values: "Bidirectional", "HostToContainer", "None"',
  ]);
});

test('pods/ephemeralcontainers only adds valid ephemeral containers', () => {
  const old = pod({ containers: [{ name: 'app', image: 'x' }] });
  old.spec.ephemeralContainers = [{ name: 'dbg', image: 'x', imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' }];
  old.metadata.resourceVersion = '1';
  const next = (ephemeral: KubeObject[]) => ({ ...old, spec: { ...old.spec, ephemeralContainers: ephemeral } });
  const added = { name: 'dbg2', image: 'x', targetContainerName: 'app', imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' };
  assert.deepEqual(render(validators['/Pod']!(next([old.spec.ephemeralContainers[0], added]), old, 'ephemeralcontainers')), []);
  assert.deepEqual(render(validators['/Pod']!(next([added]), old, 'ephemeralcontainers')), ['spec.ephemeralContainers: Forbidden: existing ephemeral containers "dbg" may not be removed']);
  assert.deepEqual(render(validators['/Pod']!(next([{ ...old.spec.ephemeralContainers[0], image: 'y' }]), old, 'ephemeralcontainers')), ['spec.ephemeralContainers[0]: Forbidden: existing ephemeral containers "dbg" may not be changed']);
  assert.deepEqual(render(validators['/Pod']!(next([old.spec.ephemeralContainers[0], { ...added, name: 'app', targetContainerName: 'nope', ports: [{ containerPort: 80, protocol: 'TCP' }] }]), old, 'ephemeralcontainers')), [
    'spec.ephemeralContainers[1].name: Duplicate value: "app"',
    'spec.ephemeralContainers[1].ports: Forbidden: cannot be set for an Ephemeral Container',
    'spec.ephemeralContainers[1].targetContainerName: Not found: "nope"',
  ]);
  // A plain update may not add any.
  assert.match(render(validators['/Pod']!(next([old.spec.ephemeralContainers[0], added]), old)).join('\n'), /Forbidden: pod updates may not change fields/);
});

test('allows only image and a few fields to change on a pod update', () => {
  const old = pod({ containers: [{ name: 'c', image: 'nginx:1' }] });
  old.metadata.resourceVersion = '1';
  const imageOnly = structuredClone(old);
  imageOnly.spec.containers[0].image = 'nginx:2';
  assert.deepEqual(validators['/Pod']!(imageOnly, old), []);
  const changed = structuredClone(old);
  changed.spec.restartPolicy = 'Never';
  const errs = validators['/Pod']!(changed, old);
  assert.equal(errs.length, 1);
  assert.equal(errs[0]!.field, 'spec');
  assert.ok(errs[0]!.detail.startsWith('pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n'));
  const removed = structuredClone(old);
  removed.spec.containers = [];
  assert.deepEqual(render(validators['/Pod']!(removed, old)).slice(-1), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
});

const deployment = (labels: KubeObject, selector: KubeObject | null): KubeObject => defaulted('apps', 'Deployment', {
  metadata: { name: 'web', namespace: 'default' },
  spec: { ...(selector ? { selector } : {}), template: { metadata: { labels }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
});

test('a deployment selector must exist and match the template labels', () => {
  assert.deepEqual(validators['apps/Deployment']!(deployment({ app: 'web' }, { matchLabels: { app: 'web' } })), []);
  assert.deepEqual(render(validators['apps/Deployment']!(deployment({ app: 'other' }, { matchLabels: { app: 'web' } }))), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
  ]);
  // A missing selector selects nothing, so upstream also reports the template mismatch.
  assert.deepEqual(render(validators['apps/Deployment']!(deployment({ app: 'web' }, null))), [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  ]);
  assert.deepEqual(render(validators['apps/Deployment']!(deployment({ app: 'web' }, {}))), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
  ]);
});

test('a deployment selector is immutable and replicas may not be negative', () => {
  const old = deployment({ app: 'web', v: '1' }, { matchLabels: { app: 'web' } });
  old.metadata.resourceVersion = '1';
  const next = structuredClone(old);
  next.spec.selector = { matchLabels: { app: 'web', v: '1' } };
  next.spec.replicas = -1;
  assert.deepEqual(render(validators['apps/Deployment']!(next, old)), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "v":"1"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
});

test('validates rolling update parameters of a deployment', () => {
  const d = deployment({ app: 'web' }, { matchLabels: { app: 'web' } });
  d.spec.strategy.rollingUpdate = { maxSurge: 0, maxUnavailable: '150%' };
  assert.deepEqual(render(validators['apps/Deployment']!(d)), [
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
  ]);
});

test('jobs need OnFailure or Never and a cronjob a valid schedule', () => {
  const job = defaulted('batch', 'Job', { metadata: { name: 'j', namespace: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
  assert.deepEqual(render(validators['batch/Job']!(job)), ['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"']);
  const cj = defaulted('batch', 'CronJob', { metadata: { name: 'c', namespace: 'd' }, spec: { schedule: 'every minute', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } } } });
  assert.deepEqual(render(validators['batch/CronJob']!(cj)), ['spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]']);
  assert.equal(cronScheduleError('*/5 * * * *'), undefined);
  assert.equal(cronScheduleError('0 0 * * MON-FRI'), undefined);
  assert.equal(cronScheduleError('61 * * * *'), 'end of range (61) above maximum (59): 61');
  assert.equal(cronScheduleError('@hourly'), undefined);
});

test('validates services, config maps, secrets and namespaces', () => {
  const svc = defaulted('', 'Service', { metadata: { name: 'web', namespace: 'd' }, spec: { type: 'Magic', ports: [{ port: 80 }, { port: 80 }] } });
  assert.deepEqual(render(validators['/Service']!(svc)), [
    'spec.ports[0].name: Required value',
    'spec.ports[1].name: Required value',
    'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    'spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}',
  ]);
  const cm = { metadata: { name: 'c', namespace: 'd' }, data: { 'a b': 'x' } };
  assert.deepEqual(render(validators['/ConfigMap']!(cm)), [
    "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
  ]);
  const old = { metadata: { name: 'c', namespace: 'd', resourceVersion: '1' }, immutable: true, data: { a: '1' } };
  assert.deepEqual(render(validators['/ConfigMap']!({ ...old, data: { a: '2' } }, old)), ['data: Forbidden: field is immutable when `immutable` is set']);
  const tls = { metadata: { name: 's', namespace: 'd' }, type: 'kubernetes.io/tls', data: {} };
  assert.deepEqual(render(validators['/Secret']!(tls)), ['data[tls.crt]: Required value', 'data[tls.key]: Required value']);
  assert.deepEqual(render(validators['/Namespace']!({ metadata: { name: 'Bad_NS' } })).length, 1);
});
