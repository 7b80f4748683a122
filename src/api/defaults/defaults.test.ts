import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults, defaultImagePullPolicy, applyGeneratedJobSelector, type KubeObject } from './index.ts';

// The body `kubectl create deployment web --image=nginx` sends.
const createdDeployment = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    strategy: {},
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }] } },
  },
  status: {},
});

test('defaults a deployment to what a 1.33 server returns for kubectl create deployment', () => {
  const d = createdDeployment();
  assert.equal(applyDefaults('apps', 'Deployment', d), true);
  assert.deepEqual(d.spec, {
    progressDeadlineSeconds: 600,
    replicas: 1,
    revisionHistoryLimit: 10,
    selector: { matchLabels: { app: 'web' } },
    strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
    template: {
      metadata: { creationTimestamp: null, labels: { app: 'web' } },
      spec: {
        containers: [{
          image: 'nginx', imagePullPolicy: 'Always', name: 'nginx', resources: {},
          terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
        }],
        dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {},
        terminationGracePeriodSeconds: 30,
      },
    },
  });
});

test('defaults a pod as kubectl run shows it, with service links and port protocols', () => {
  const pod: KubeObject = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] } };
  applyDefaults('', 'Pod', pod);
  assert.equal(pod.spec.enableServiceLinks, true);
  assert.equal(pod.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  assert.equal(pod.spec.containers[0].ports[0].protocol, 'TCP');
  assert.equal(pod.spec.containers[0].ports[0].hostPort, undefined);
  assert.equal(pod.spec.terminationGracePeriodSeconds, 30);
});

test('a host-network pod gets host ports equal to its container ports', () => {
  const pod: KubeObject = { spec: { hostNetwork: true, containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] } };
  applyDefaults('', 'Pod', pod);
  assert.equal(pod.spec.containers[0].ports[0].hostPort, 8080);
});

test('chooses the pull policy from the tag', () => {
  assert.equal(defaultImagePullPolicy('nginx'), 'Always');
  assert.equal(defaultImagePullPolicy('nginx:latest'), 'Always');
  assert.equal(defaultImagePullPolicy('localhost:5000/nginx'), 'Always');
  assert.equal(defaultImagePullPolicy('localhost:5000/nginx:1.2'), 'IfNotPresent');
  assert.equal(defaultImagePullPolicy('nginx@sha256:abc'), 'IfNotPresent');
  assert.equal(defaultImagePullPolicy('nginx:latest@sha256:abc'), 'Always');
  assert.equal(defaultImagePullPolicy(''), 'IfNotPresent');
  assert.equal(defaultImagePullPolicy('Nginx'), 'IfNotPresent');
  assert.equal(defaultImagePullPolicy('Registry.Example.com:5000/app'), 'Always');
});

test('fills probe, env field ref, volume and limit-derived request defaults', () => {
  const pod: KubeObject = {
    spec: {
      containers: [{
        name: 'c', image: 'x',
        livenessProbe: { httpGet: { port: 80 } },
        env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        resources: { limits: { cpu: '1' } },
      }],
      volumes: [{ name: 'a' }, { name: 'b', secret: { secretName: 's' } }],
    },
  };
  applyDefaults('', 'Pod', pod);
  const c = pod.spec.containers[0];
  assert.deepEqual(c.livenessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  assert.equal(c.env[0].valueFrom.fieldRef.apiVersion, 'v1');
  assert.deepEqual(c.resources.requests, { cpu: '1' });
  assert.deepEqual(pod.spec.volumes[0].emptyDir, {});
  assert.equal(pod.spec.volumes[1].secret.defaultMode, 420);
});

test('defaults a job and generates its selector like the job strategy', () => {
  const job: KubeObject = { metadata: { name: 'j', uid: 'u1' }, spec: { template: { spec: { containers: [{ name: 'j', image: 'busybox' }], restartPolicy: 'Never' } } } };
  applyDefaults('batch', 'Job', job);
  applyGeneratedJobSelector(job);
  const { template, ...rest } = job.spec;
  assert.deepEqual(rest, {
    backoffLimit: 6, completionMode: 'NonIndexed', completions: 1, manualSelector: false, parallelism: 1,
    podReplacementPolicy: 'TerminatingOrFailed', suspend: false, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } },
  });
  assert.deepEqual(template.metadata.labels, {
    'batch.kubernetes.io/controller-uid': 'u1', 'batch.kubernetes.io/job-name': 'j', 'controller-uid': 'u1', 'job-name': 'j',
  });
});

test('defaults a cronjob without job-level defaults in its template', () => {
  const cj: KubeObject = { spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } } } };
  applyDefaults('batch', 'CronJob', cj);
  assert.equal(cj.spec.concurrencyPolicy, 'Allow');
  assert.equal(cj.spec.successfulJobsHistoryLimit, 3);
  assert.equal(cj.spec.failedJobsHistoryLimit, 1);
  assert.equal(cj.spec.suspend, false);
  assert.equal(cj.spec.jobTemplate.spec.backoffLimit, undefined);
  assert.equal(cj.spec.jobTemplate.spec.template.spec.restartPolicy, 'Always');
});

test('defaults services: ClusterIP, None affinity, TCP, targetPort from port', () => {
  const svc: KubeObject = { spec: { ports: [{ port: 80 }, { port: 53, protocol: 'UDP', targetPort: 5353 }] } };
  applyDefaults('', 'Service', svc);
  assert.equal(svc.spec.type, 'ClusterIP');
  assert.equal(svc.spec.sessionAffinity, 'None');
  assert.equal(svc.spec.internalTrafficPolicy, 'Cluster');
  assert.equal(svc.spec.externalTrafficPolicy, undefined);
  assert.deepEqual(svc.spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }, { port: 53, protocol: 'UDP', targetPort: 5353 }]);
  const np: KubeObject = { spec: { type: 'NodePort', ports: [{ port: 80 }] } };
  applyDefaults('', 'Service', np);
  assert.equal(np.spec.externalTrafficPolicy, 'Cluster');
});

test('defaults namespaces, secrets, claims and stateful sets', () => {
  const ns: KubeObject = { metadata: { name: 'dev' } };
  applyDefaults('', 'Namespace', ns);
  assert.equal(ns.spec?.finalizers, undefined, 'the finalizer belongs to the create strategy, so /finalize can remove it');
  assert.equal(ns.status.phase, 'Active');
  assert.equal(ns.metadata.labels['kubernetes.io/metadata.name'], 'dev');
  const secret: KubeObject = {};
  applyDefaults('', 'Secret', secret);
  assert.equal(secret.type, 'Opaque');
  const pvc: KubeObject = { spec: {} };
  applyDefaults('', 'PersistentVolumeClaim', pvc);
  assert.equal(pvc.spec.volumeMode, 'Filesystem');
  const sts: KubeObject = { spec: { template: { spec: { containers: [] } } } };
  applyDefaults('apps', 'StatefulSet', sts);
  assert.equal(sts.spec.podManagementPolicy, 'OrderedReady');
  assert.deepEqual(sts.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
});

test('a kind without defaulting reports so', () => {
  assert.equal(applyDefaults('', 'ConfigMap', {}), false);
});
