import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containersReadyCondition, initializedCondition, podConditions, withTransitionTime } from './conditions.ts';
import type { KubeObject } from './types.ts';

const pod = (spec: KubeObject, status?: KubeObject) => ({ spec, status });
const spec = { initContainers: [{ name: 'i' }, { name: 's', restartPolicy: 'Always' }], containers: [{ name: 'a' }, { name: 'b' }] };
const run = (name: string, ready = true, started = true) => ({ name, ready, started, state: { running: {} } });
const done = (name: string) => ({ name, ready: true, started: false, state: { terminated: { exitCode: 0 } } });
const wait = (name: string) => ({ name, ready: false, started: false, state: { waiting: { reason: 'PodInitializing' } } });

test('ContainersReady lists unknown and unready containers, sidecars included', () => {
  assert.deepEqual(containersReadyCondition(pod(spec), [done('i'), run('s', false), run('a')], 'Running'), {
    type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady',
    message: 'containers with unknown status: [b], containers with unready status: [s]',
  });
  assert.deepEqual(containersReadyCondition(pod(spec), [done('i'), run('s'), run('a'), run('b')], 'Running'), { type: 'ContainersReady', status: 'True' });
});

test('ContainersReady is PodFailed / PodCompleted in terminal phases', () => {
  assert.equal(containersReadyCondition(pod(spec), [], 'Failed').reason, 'PodFailed');
  assert.equal(containersReadyCondition(pod(spec), [done('i'), done('s'), done('a'), done('b')], 'Succeeded').reason, 'PodCompleted');
});

test('Initialized needs regular init containers done and sidecars started', () => {
  assert.deepEqual(initializedCondition(pod(spec), [done('i'), run('s', false, false), wait('a'), wait('b')], 'Pending'), {
    type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [s]',
  });
  assert.deepEqual(initializedCondition(pod(spec), [done('i'), run('s'), wait('a'), wait('b')], 'Pending'), { type: 'Initialized', status: 'True' });
  assert.deepEqual(initializedCondition(pod(spec), [], 'Pending'), {
    type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: 'containers with unknown status: [i s]',
  });
});

test('Initialized stays True once a regular container ran, even while a sidecar restarts', () => {
  assert.equal(initializedCondition(pod(spec), [done('i'), wait('s'), run('a'), run('b')], 'Running').status, 'True');
});

test('a pod without init containers is initialized', () => {
  assert.deepEqual(initializedCondition(pod({ containers: [{ name: 'a' }] }), [wait('a')], 'Pending'), { type: 'Initialized', status: 'True' });
});

test('transition times change only with the status', () => {
  const old = [{ type: 'Ready', status: 'True', lastTransitionTime: 'then' }];
  assert.equal(withTransitionTime({ type: 'Ready', status: 'True' }, old, 'now').lastTransitionTime, 'then');
  assert.equal(withTransitionTime({ type: 'Ready', status: 'False' }, old, 'now').lastTransitionTime, 'now');
  assert.equal(withTransitionTime({ type: 'Initialized', status: 'True' }, old, 'now').lastTransitionTime, 'now');
});

test('podConditions puts foreign conditions first and the kubelet ones in upstream order', () => {
  const p = pod({ containers: [{ name: 'a' }] }, { conditions: [{ type: 'DisruptionTarget', status: 'True' }, { type: 'Ready', status: 'True' }] });
  const got = podConditions(p, [], [run('a')], 'Running', false, 'now');
  assert.deepEqual(got.map((c) => `${c.type}=${c.status}`), [
    'DisruptionTarget=True', 'PodReadyToStartContainers=False', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True',
  ]);
  assert.ok(got.slice(1).every((c) => c.lastProbeTime === null));
});
