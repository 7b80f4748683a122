import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventsV1ToCore, coreToEventsV1 } from './events.ts';
import { hpaV1ToV2, hpaV2ToV1 } from './hpa.ts';

test('events.k8s.io events and core events convert both ways without loss', () => {
  const ev = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e', namespace: 'd', resourceVersion: '9' }, regarding: { kind: 'Pod', name: 'p' }, note: 'pulled', reason: 'Pulled', type: 'Normal', reportingController: 'kubelet', deprecatedCount: 2 };
  const core = eventsV1ToCore(ev);
  assert.equal(core.apiVersion, 'v1');
  assert.deepEqual(core.involvedObject, { kind: 'Pod', name: 'p' });
  assert.equal(core.message, 'pulled');
  assert.equal(core.count, 2);
  assert.equal(core.reportingComponent, 'kubelet');
  assert.equal(core.regarding, undefined);
  assert.deepEqual(coreToEventsV1(core), ev);
  assert.equal(ev.note, 'pulled', 'the input is not mutated');
});

test('a v2 HPA with several metrics survives a round trip through v1', () => {
  const v2 = {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'd' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 1, maxReplicas: 5, metrics: [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
    ] },
    status: { currentReplicas: 2, desiredReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 40, averageValue: '40m' } } }], conditions: [{ type: 'AbleToScale', status: 'True' }] },
  };
  const v1 = hpaV2ToV1(v2);
  assert.equal(v1.spec.targetCPUUtilizationPercentage, 60);
  assert.equal(v1.status.currentCPUUtilizationPercentage, 40);
  assert.equal(v1.spec.metrics, undefined);
  assert.deepEqual(hpaV1ToV2(v1), v2);
});

test('a plain v1 HPA becomes a v2 HPA with one CPU metric', () => {
  const v2 = hpaV1ToV2({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'w' }, maxReplicas: 3, targetCPUUtilizationPercentage: 80 } });
  assert.deepEqual(v2.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  assert.equal(v2.metadata.annotations, undefined);
});
