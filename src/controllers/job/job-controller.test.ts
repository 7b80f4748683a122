import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster, until } from '../../server/test-cluster.ts';
import { startFakeNode, type FakeNode } from '../../server/fake-node.ts';
import { createLogger } from '../../base/log.ts';
import { ControllerManager } from '../engine/manager.ts';
import type { KubeObject } from '../../client/api-client.ts';
import { JobController, type JobControllerOptions } from './job-controller.ts';

const JOBS = { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true };
const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };

interface Env { cluster: TestCluster; node: FakeNode; stop(): Promise<void> }

/** A cluster running only the Job controller (fast batching and backoff) and a fake node. */
async function start(finish: (pod: KubeObject) => 'Succeeded' | 'Failed' | undefined, opts: JobControllerOptions = {}, controllers: string[] = []): Promise<Env> {
  const cluster = await startTestCluster({ controllers });
  const abort = new AbortController();
  let node: FakeNode | undefined;
  try {
    const config = await cluster.config('system:kube-controller-manager', []);
    const manager = new ControllerManager([{ name: 'job', workers: 2, create: () => new JobController({ syncBatchPeriodMs: 50, podFailureBackoffMs: 50, ...opts }) }], config, createLogger({ component: 'test' }));
    await manager.start(abort.signal);
    node = await startFakeNode(cluster.client, { finish });
  } catch (e) {
    abort.abort();
    await cluster.stop();
    throw e;
  }
  return { cluster, node, stop: async () => { node!.stop(); abort.abort(); await cluster.stop(); } };
}


function jobSpec(name: string, spec: KubeObject = {}): KubeObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, ...spec },
  };
}

const condition = (job: KubeObject, type: string) => (job.status?.conditions ?? []).find((c: KubeObject) => c.type === type && c.status === 'True');
const finished = (name: string, env: Env) => async () => {
  const j = await env.cluster.client.get(JOBS, 'default', name);
  return condition(j, 'Complete') || condition(j, 'Failed') ? j : undefined;
};
const jobPods = async (env: Env, name: string) => (await env.cluster.client.list(PODS, 'default', { labelSelector: `batch.kubernetes.io/job-name=${name}` })).items as KubeObject[];
const eventsOf = async (env: Env, name: string) => ((await env.cluster.client.list(EVENTS, 'default')).items as KubeObject[]).filter((e) => e.involvedObject.name === name);

test('a job with completions 3 and parallelism 2 runs to completion', async () => {
  const env = await start(() => 'Succeeded');
  try {
    await env.cluster.client.create(JOBS, 'default', jobSpec('pi', { completions: 3, parallelism: 2 }));
    const job = await until('complete', finished('pi', env));
    assert.ok(condition(job, 'Complete'), 'Complete condition');
    assert.equal(condition(job, 'Complete').reason, 'CompletionsReached');
    assert.ok(condition(job, 'SuccessCriteriaMet'), 'SuccessCriteriaMet precedes Complete');
    assert.equal(job.status.succeeded, 3);
    assert.equal(job.status.failed, undefined);
    assert.equal(job.status.active, undefined);
    assert.equal(job.status.ready, 0);
    assert.equal(job.status.terminating, 0);
    assert.deepEqual(job.status.uncountedTerminatedPods, {});
    assert.ok(job.status.startTime && job.status.completionTime);
    const pods = await jobPods(env, 'pi');
    assert.equal(pods.length, 3, 'exactly three pods were created');
    for (const p of pods) {
      assert.deepEqual(p.metadata.finalizers ?? [], [], 'tracking finalizers are removed once counted');
      assert.equal(p.metadata.labels['job-name'], 'pi');
      assert.equal(p.metadata.labels['batch.kubernetes.io/controller-uid'], job.metadata.uid);
      assert.equal(p.metadata.ownerReferences[0].kind, 'Job');
      assert.ok(p.metadata.name.startsWith('pi-'));
    }
    await until('events', async () => {
      const ev = await eventsOf(env, 'pi');
      const created = ev.filter((e) => e.reason === 'SuccessfulCreate' && /^Created pod: pi-/.test(e.message)).length;
      return created === 3 && ev.some((e) => e.reason === 'Completed' && e.message === 'Job completed') ? true : undefined;
    });
  } finally {
    await env.stop();
  }
});

test('a job never runs more pods than parallelism at once', async () => {
  // Pods stay running until the test lets them finish.
  let release = false;
  const env = await start(() => (release ? 'Succeeded' : undefined));
  try {
    await env.cluster.client.create(JOBS, 'default', jobSpec('par', { completions: 5, parallelism: 2 }));
    const running = await until('two running', async () => {
      const j = await env.cluster.client.get(JOBS, 'default', 'par');
      return j.status?.active === 2 && j.status.ready === 2 ? j : undefined;
    });
    assert.equal(running.status.active, 2);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await jobPods(env, 'par')).length, 2, 'no third pod while two are active');
    release = true;
    // Touch the pods so the fake node sees them again and finishes them.
    for (const p of await jobPods(env, 'par')) await env.cluster.client.patch(PODS, 'default', p.metadata.name, { metadata: { annotations: { poke: '1' } } });
    const job = await until('complete', async () => {
      for (const p of await jobPods(env, 'par')) if (p.status?.phase === 'Running') await env.cluster.client.patch(PODS, 'default', p.metadata.name, { metadata: { annotations: { poke: String(Date.now()) } } }).catch(() => undefined);
      return finished('par', env)();
    });
    assert.equal(job.status.succeeded, 5);
  } finally {
    await env.stop();
  }
});

test('a failing job stops at its backoff limit with the Failed condition', async () => {
  const env = await start(() => 'Failed');
  try {
    await env.cluster.client.create(JOBS, 'default', jobSpec('fail', { backoffLimit: 2 }));
    const job = await until('failed', finished('fail', env));
    const failed = condition(job, 'Failed');
    assert.ok(failed, 'Failed condition');
    assert.equal(failed.reason, 'BackoffLimitExceeded');
    assert.equal(failed.message, 'Job has reached the specified backoff limit');
    assert.equal(condition(job, 'FailureTarget')?.reason, 'BackoffLimitExceeded', 'FailureTarget precedes Failed');
    assert.equal(job.status.failed, 3, 'backoffLimit + 1 pods failed');
    assert.equal(job.status.completionTime, undefined, 'a failed job has no completion time');
    assert.equal((await jobPods(env, 'fail')).length, 3);
    await until('event', async () => ((await eventsOf(env, 'fail')).some((e) => e.type === 'Warning' && e.reason === 'BackoffLimitExceeded' && e.message === 'Job has reached the specified backoff limit') ? true : undefined));
  } finally {
    await env.stop();
  }
});

test('the replacement of a failed pod waits for the backoff', async () => {
  const env = await start(() => 'Failed', { podFailureBackoffMs: 2000 });
  try {
    await env.cluster.client.create(JOBS, 'default', jobSpec('slow', { backoffLimit: 1 }));
    await until('first failure counted', async () => ((await env.cluster.client.get(JOBS, 'default', 'slow')).status?.failed === 1 ? true : undefined));
    // Finish times have second precision, so at least 1s of the 2s remains.
    await new Promise((r) => setTimeout(r, 700));
    assert.equal((await jobPods(env, 'slow')).length, 1, 'no replacement during the backoff');
    const job = await until('failed', finished('slow', env));
    assert.equal(job.status.failed, 2);
    assert.equal((await jobPods(env, 'slow')).length, 2);
  } finally {
    await env.stop();
  }
});

test('activeDeadlineSeconds fails a job that runs too long', async () => {
  const env = await start(() => undefined);
  try {
    await env.cluster.client.create(JOBS, 'default', jobSpec('slowpoke', { activeDeadlineSeconds: 1, parallelism: 2, completions: 2 }));
    const job = await until('failed', finished('slowpoke', env));
    const failed = condition(job, 'Failed');
    assert.equal(failed.reason, 'DeadlineExceeded');
    assert.equal(failed.message, 'Job was active longer than specified deadline');
    assert.equal(job.status.active, undefined);
    assert.equal(job.status.failed, 2, 'the killed pods count as failed');
    await until('pods gone', async () => ((await jobPods(env, 'slowpoke')).length === 0 ? true : undefined));
    const ev = await eventsOf(env, 'slowpoke');
    assert.ok(ev.some((e) => e.reason === 'SuccessfulDelete' && /^Deleted pod: slowpoke-/.test(e.message)));
    assert.ok(ev.some((e) => e.reason === 'DeadlineExceeded' && e.type === 'Warning'));
  } finally {
    await env.stop();
  }
});

test('an indexed job gives each pod its completion index', async () => {
  const env = await start(() => 'Succeeded');
  try {
    await env.cluster.client.create(JOBS, 'default', jobSpec('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    const job = await until('complete', finished('idx', env));
    assert.equal(job.status.completedIndexes, '0-2');
    assert.equal(job.status.succeeded, 3);
    const pods = await jobPods(env, 'idx');
    const indexes = pods.map((p) => Number(p.metadata.annotations['batch.kubernetes.io/job-completion-index'])).sort();
    assert.deepEqual(indexes, [0, 1, 2]);
    for (const p of pods) {
      const ix = p.metadata.annotations['batch.kubernetes.io/job-completion-index'];
      assert.equal(p.metadata.labels['batch.kubernetes.io/job-completion-index'], ix);
      assert.equal(p.spec.hostname, `idx-${ix}`);
      assert.ok(p.metadata.name.startsWith(`idx-${ix}-`));
      assert.deepEqual(p.spec.containers[0].env, [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } }]);
    }
  } finally {
    await env.stop();
  }
});

test('a pod failure policy rule with FailJob fails the job at once', async () => {
  const env = await start(() => 'Failed');
  try {
    await env.cluster.client.create(JOBS, 'default', jobSpec('pfp', {
      backoffLimit: 6,
      podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'c', operator: 'In', values: [1] } }] },
    }));
    const job = await until('failed', finished('pfp', env));
    const failed = condition(job, 'Failed');
    assert.equal(failed.reason, 'PodFailurePolicy');
    assert.match(failed.message, /^Container c for pod default\/pfp-\w+ failed with exit code 1 matching FailJob rule at index 0$/);
    assert.equal((await jobPods(env, 'pfp')).length, 1);
  } finally {
    await env.stop();
  }
});

test('a suspended job runs no pods until resumed', async () => {
  const env = await start(() => 'Succeeded');
  try {
    await env.cluster.client.create(JOBS, 'default', jobSpec('sus', { suspend: true }));
    const suspended = await until('Suspended', async () => {
      const j = await env.cluster.client.get(JOBS, 'default', 'sus');
      return condition(j, 'Suspended') ? j : undefined;
    });
    assert.equal(condition(suspended, 'Suspended').reason, 'JobSuspended');
    assert.equal(suspended.status.startTime, undefined);
    assert.equal((await jobPods(env, 'sus')).length, 0);
    await env.cluster.client.patch(JOBS, 'default', 'sus', { spec: { suspend: false } });
    const job = await until('complete', finished('sus', env));
    const resumed = job.status.conditions.find((c: KubeObject) => c.type === 'Suspended');
    assert.equal(resumed.status, 'False');
    assert.equal(resumed.reason, 'JobResumed');
  } finally {
    await env.stop();
  }
});

test('deleting a running job lets its pods go despite their tracking finalizers', async () => {
  const env = await start(() => undefined, {}, ['garbage-collector']);
  try {
    await env.cluster.client.create(JOBS, 'default', jobSpec('gone', { parallelism: 2, completions: 2 }));
    const pods = await until('two running pods', async () => {
      const ps = await jobPods(env, 'gone');
      return ps.length === 2 && ps.every((p) => p.status?.phase === 'Running') ? ps : undefined;
    });
    for (const p of pods) assert.deepEqual(p.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
    await env.cluster.client.delete(JOBS, 'default', 'gone', { propagationPolicy: 'Background' });
    await until('pods deleted', async () => ((await jobPods(env, 'gone')).length === 0 ? true : undefined));
  } finally {
    await env.stop();
  }
});
