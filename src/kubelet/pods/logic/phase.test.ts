import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podPhase } from './phase.ts';
import type { KubeObject } from './types.ts';

const running = (name: string, started = true) => ({ name, state: { running: { startedAt: 'x' } }, started });
const exited = (name: string, exitCode: number) => ({ name, state: { terminated: { exitCode } } });
const waiting = (name: string, lastExit?: number) => ({ name, state: { waiting: { reason: 'X' } }, ...(lastExit !== undefined ? { lastState: { terminated: { exitCode: lastExit } } } : {}) });

const pod = (spec: KubeObject) => ({ spec: { restartPolicy: 'Always', ...spec } });
const two = { containers: [{ name: 'a' }, { name: 'b' }] };
const withInit = { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] };
const withSidecar = { initContainers: [{ name: 's', restartPolicy: 'Always' }], containers: [{ name: 'a' }] };

const cases: [string, KubeObject, KubeObject[], string, { terminal?: boolean; initialized?: boolean }?][] = [
  ['no statuses yet', pod(two), [], 'Pending'],
  ['one container waiting', pod(two), [running('a'), waiting('b')], 'Pending'],
  ['all running', pod(two), [running('a'), running('b')], 'Running'],
  ['one running one exited', pod(two), [running('a'), exited('b', 1)], 'Running'],
  ['crash-looping (waiting after a failure) with Always', pod(two), [running('a'), waiting('b', 1)], 'Running'],
  ['all exited under Always (restarting)', pod(two), [exited('a', 0), exited('b', 1)], 'Running'],
  ['all exited 0 under OnFailure', pod({ ...two, restartPolicy: 'OnFailure' }), [exited('a', 0), exited('b', 0)], 'Succeeded'],
  ['one failure under OnFailure (restarting)', pod({ ...two, restartPolicy: 'OnFailure' }), [exited('a', 0), exited('b', 1)], 'Running'],
  ['all exited 0 under Never', pod({ ...two, restartPolicy: 'Never' }), [exited('a', 0), exited('b', 0)], 'Succeeded'],
  ['one failure under Never', pod({ ...two, restartPolicy: 'Never' }), [exited('a', 0), exited('b', 1)], 'Failed'],
  ['terminal pod with a failure under Always', pod(two), [exited('a', 0), exited('b', 143)], 'Failed', { terminal: true }],
  ['terminal pod all succeeded under Always', pod(two), [exited('a', 0), exited('b', 0)], 'Succeeded', { terminal: true }],
  ['init container running', pod(withInit), [running('i'), waiting('a')], 'Pending'],
  ['init container done, app waiting', pod(withInit), [exited('i', 0), waiting('a')], 'Pending'],
  ['init container done, app running', pod(withInit), [exited('i', 0), running('a')], 'Running'],
  ['init container failed under Always (retrying)', pod(withInit), [exited('i', 1), waiting('a')], 'Pending'],
  ['init container failed under Never', pod({ ...withInit, restartPolicy: 'Never' }), [exited('i', 1), waiting('a')], 'Failed'],
  ['init container in back-off after failure under Never', pod({ ...withInit, restartPolicy: 'Never' }), [waiting('i', 2), waiting('a')], 'Failed'],
  ['sidecar not started yet', pod(withSidecar), [running('s', false), waiting('a')], 'Pending'],
  ['sidecar started, app running', pod(withSidecar), [running('s'), running('a')], 'Running'],
  ['sidecar restarting after initialization stays Running', pod(withSidecar), [running('s', false), running('a')], 'Running', { initialized: true }],
  ['app completed under Never while the sidecar runs', pod({ ...withSidecar, restartPolicy: 'Never' }), [running('s'), exited('a', 0)], 'Running'],
  ['app completed, sidecar stopped, terminal', pod({ ...withSidecar, restartPolicy: 'Never' }), [exited('s', 143), exited('a', 0)], 'Succeeded', { terminal: true }],
];

for (const [name, p, statuses, want, opts] of cases) {
  test(`phase: ${name} → ${want}`, () => {
    assert.equal(podPhase(p, statuses, opts?.terminal ?? false, opts?.initialized ?? false), want);
  });
}
