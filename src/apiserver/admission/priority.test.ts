import { test } from 'node:test';
import assert from 'node:assert/strict';
import { priorityAdmission } from './priority.ts';
import type { ApiContext } from '../rest/context.ts';

const PODS = { group: '', plural: 'pods' } as never;
const CLASSES = { group: 'scheduling.k8s.io', plural: 'priorityclasses' } as never;

function ctxWith(classes: Record<string, unknown>[]): ApiContext {
  return { cache: { waitFresh: async () => {}, list: () => classes.map((obj) => ({ obj, rv: 1 })) } } as unknown as ApiContext;
}
const pod = (spec: Record<string, unknown> = {}): { metadata: Record<string, string>; spec: Record<string, any> } => ({ metadata: { name: 'p', namespace: 'default' }, spec: { containers: [], ...spec } });

test('a pod gets the priority and preemption policy of its class', async () => {
  const p = pod({ priorityClassName: 'high' });
  await priorityAdmission.admit('CREATE', PODS, p, undefined, ctxWith([{ metadata: { name: 'high' }, value: 1000, preemptionPolicy: 'Never' }]));
  assert.equal(p.spec.priority, 1000);
  assert.equal(p.spec.preemptionPolicy, 'Never');
});

test('a pod without a class gets the global default, or priority 0', async () => {
  const p = pod();
  await priorityAdmission.admit('CREATE', PODS, p, undefined, ctxWith([{ metadata: { name: 'def' }, value: 7, globalDefault: true }, { metadata: { name: 'other' }, value: 9 }]));
  assert.deepEqual([p.spec.priorityClassName, p.spec.priority, p.spec.preemptionPolicy], ['def', 7, 'PreemptLowerPriority']);
  const q = pod();
  await priorityAdmission.admit('CREATE', PODS, q, undefined, ctxWith([]));
  assert.deepEqual([q.spec.priorityClassName, q.spec.priority], [undefined, 0]);
});

test('system classes resolve without stored objects; unknown classes are forbidden', async () => {
  const p = pod({ priorityClassName: 'system-node-critical' });
  await priorityAdmission.admit('CREATE', PODS, p, undefined, ctxWith([]));
  assert.equal(p.spec.priority, 2000001000);
  await assert.rejects(priorityAdmission.admit('CREATE', PODS, pod({ priorityClassName: 'nope' }), undefined, ctxWith([])),
    { code: 403, message: 'pods "p" is forbidden: no PriorityClass with name nope was found' });
});

test('a pod may not state a priority other than its class gives', async () => {
  await assert.rejects(priorityAdmission.admit('CREATE', PODS, pod({ priorityClassName: 'high', priority: 5 }), undefined, ctxWith([{ metadata: { name: 'high' }, value: 1000 }])),
    { message: 'pods "p" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name' });
});

test('only one PriorityClass may be the global default', async () => {
  await assert.rejects(priorityAdmission.admit('CREATE', CLASSES, { metadata: { name: 'b' }, value: 1, globalDefault: true }, undefined, ctxWith([{ metadata: { name: 'a' }, value: 2, globalDefault: true }])),
    { message: 'priorityclasses.scheduling.k8s.io "b" is forbidden: PriorityClass a is already marked as default. Only one default can exist' });
});
