import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster, until } from '../../server/test-cluster.ts';
import { createLogger } from '../../base/log.ts';
import { ControllerManager } from '../engine/manager.ts';
import type { KubeObject } from '../../client/api-client.ts';
import { CronJobController } from './cronjob-controller.ts';

const CRONJOBS = { group: 'batch', version: 'v1', plural: 'cronjobs', namespaced: true };
const JOBS = { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true };
const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };
const MIN = 60_000;

interface Env {
  cluster: TestCluster;
  /** Moves the controller's clock to the instant and makes it look at the CronJob again. */
  advanceTo(ms: number, cronJob: string): Promise<void>;
  stop(): Promise<void>;
}

async function start(): Promise<Env> {
  const cluster = await startTestCluster();
  const abort = new AbortController();
  let offset = 0;
  let pokes = 0;
  try {
    const config = await cluster.config('system:kube-controller-manager', []);
    const manager = new ControllerManager([{ name: 'cronjob', workers: 1, create: () => new CronJobController({ now: () => Date.now() + offset }) }], config, createLogger({ component: 'test' }));
    await manager.start(abort.signal);
  } catch (e) {
    abort.abort();
    await cluster.stop();
    throw e;
  }
  return {
    cluster,
    async advanceTo(ms, name) {
      offset = ms - Date.now();
      await cluster.client.patch(CRONJOBS, 'default', name, { metadata: { annotations: { 'test/poke': String(++pokes) } } });
    },
    stop: async () => { abort.abort(); await cluster.stop(); },
  };
}


function cronJob(name: string, spec: KubeObject = {}): KubeObject {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name },
    spec: {
      schedule: '* * * * *',
      jobTemplate: { metadata: { labels: { app: name } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
      ...spec,
    },
  };
}

/** The first minute boundary strictly after the CronJob's creation. */
const firstFire = (cj: KubeObject) => (Math.floor(Date.parse(cj.metadata.creationTimestamp) / MIN) + 1) * MIN;
const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const jobs = async (env: Env) => ((await env.cluster.client.list(JOBS, 'default')).items as KubeObject[]).map((j) => j.metadata.name).sort();
const events = async (env: Env, name: string) => ((await env.cluster.client.list(EVENTS, 'default')).items as KubeObject[]).filter((e) => e.involvedObject.name === name);
const job = (env: Env, name: string) => until(`job ${name}`, () => env.cluster.client.get(JOBS, 'default', name).catch(() => undefined));

/** Ends a Job as the Job controller would. */
async function finishJob(env: Env, name: string, type: 'Complete' | 'Failed', startedMs: number): Promise<void> {
  const t = stamp(startedMs + 10_000);
  await env.cluster.client.patch(JOBS, 'default', name, {
    status: {
      startTime: stamp(startedMs), ...(type === 'Complete' ? { completionTime: t, succeeded: 1 } : { failed: 1 }),
      conditions: [{ type, status: 'True', lastProbeTime: t, lastTransitionTime: t }],
    },
  }, 'merge', 'status');
}

test('a cronjob creates a job named for its scheduled time and records the run', async () => {
  const env = await start();
  try {
    const cj = await env.cluster.client.create(CRONJOBS, 'default', cronJob('hello', { timeZone: 'Asia/Kolkata' }));
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(await jobs(env), [], 'nothing runs before the first scheduled time');
    const t1 = firstFire(cj);
    await env.advanceTo(t1 + 5000, 'hello');
    const name = `hello-${t1 / MIN}`;
    const j = await job(env, name);
    assert.equal(j.metadata.labels.app, 'hello');
    assert.equal(j.metadata.ownerReferences[0].kind, 'CronJob');
    assert.equal(j.metadata.ownerReferences[0].uid, cj.metadata.uid);
    const ist = new Date(t1 + 5.5 * 3600_000).toISOString().replace(/\.\d+Z$/, '+05:30');
    assert.equal(j.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'], ist);
    const running = await until('active', async () => {
      const c = await env.cluster.client.get(CRONJOBS, 'default', 'hello');
      return c.status?.active?.length ? c : undefined;
    });
    assert.equal(running.status.active[0].name, name);
    assert.equal(running.status.active[0].uid, j.metadata.uid);
    assert.equal(running.status.lastScheduleTime, stamp(t1));

    await finishJob(env, name, 'Complete', t1);
    const done = await until('job seen complete', async () => {
      const c = await env.cluster.client.get(CRONJOBS, 'default', 'hello');
      return !c.status?.active && c.status?.lastSuccessfulTime ? c : undefined;
    });
    assert.equal(done.status.lastSuccessfulTime, stamp(t1 + 10_000));
    await until('events', async () => {
      const ev = await events(env, 'hello');
      return ev.some((e) => e.reason === 'SuccessfulCreate' && e.message === `Created job ${name}`)
        && ev.some((e) => e.reason === 'SawCompletedJob' && e.message === `Saw completed job: ${name}, condition: Complete`) ? true : undefined;
    });
  } finally {
    await env.stop();
  }
});

test('Forbid skips a run while the previous job is active, then runs the missed time', async () => {
  const env = await start();
  try {
    const cj = await env.cluster.client.create(CRONJOBS, 'default', cronJob('nodup', { concurrencyPolicy: 'Forbid' }));
    const t1 = firstFire(cj);
    await env.advanceTo(t1 + 1000, 'nodup');
    await job(env, `nodup-${t1 / MIN}`);
    await until('active', async () => ((await env.cluster.client.get(CRONJOBS, 'default', 'nodup')).status?.active ? true : undefined));
    await env.advanceTo(t1 + MIN + 1000, 'nodup');
    await until('JobAlreadyActive', async () => ((await events(env, 'nodup')).some((e) => e.reason === 'JobAlreadyActive' && e.message === 'Not starting job because prior execution is running and concurrency policy is Forbid') ? true : undefined));
    assert.deepEqual(await jobs(env), [`nodup-${t1 / MIN}`]);
    await finishJob(env, `nodup-${t1 / MIN}`, 'Complete', t1);
    await job(env, `nodup-${t1 / MIN + 1}`);
    assert.deepEqual(await jobs(env), [`nodup-${t1 / MIN}`, `nodup-${t1 / MIN + 1}`]);
  } finally {
    await env.stop();
  }
});

test('Replace deletes the running job before starting the next', async () => {
  const env = await start();
  try {
    const cj = await env.cluster.client.create(CRONJOBS, 'default', cronJob('swap', { concurrencyPolicy: 'Replace' }));
    const t1 = firstFire(cj);
    await env.advanceTo(t1 + 1000, 'swap');
    await job(env, `swap-${t1 / MIN}`);
    await until('active', async () => ((await env.cluster.client.get(CRONJOBS, 'default', 'swap')).status?.active ? true : undefined));
    await env.advanceTo(t1 + MIN + 1000, 'swap');
    await job(env, `swap-${t1 / MIN + 1}`);
    await until('old job deleted', async () => ((await jobs(env)).length === 1 ? true : undefined));
    const c = await until('active is the new job', async () => {
      const x = await env.cluster.client.get(CRONJOBS, 'default', 'swap');
      return x.status?.active?.length === 1 && x.status.active[0].name === `swap-${t1 / MIN + 1}` ? x : undefined;
    });
    assert.equal(c.status.lastScheduleTime, stamp(t1 + MIN));
    assert.ok((await events(env, 'swap')).some((e) => e.reason === 'SuccessfulDelete' && e.message === `Deleted job swap-${t1 / MIN}`));
  } finally {
    await env.stop();
  }
});

test('history limits delete the oldest finished jobs', async () => {
  const env = await start();
  try {
    const cj = await env.cluster.client.create(CRONJOBS, 'default', cronJob('hist', { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 }));
    const t1 = firstFire(cj);
    const outcomes: ('Complete' | 'Failed')[] = ['Complete', 'Complete', 'Failed', 'Failed'];
    for (let i = 0; i < outcomes.length; i++) {
      const t = t1 + i * MIN;
      await env.advanceTo(t + 1000, 'hist');
      await job(env, `hist-${t / MIN}`);
      await until('recorded', async () => ((await env.cluster.client.get(CRONJOBS, 'default', 'hist')).status?.lastScheduleTime === stamp(t) ? true : undefined));
      await finishJob(env, `hist-${t / MIN}`, outcomes[i]!, t);
    }
    const want = [`hist-${t1 / MIN + 1}`, `hist-${t1 / MIN + 3}`];
    await until('only the newest of each kind left', async () => (JSON.stringify(await jobs(env)) === JSON.stringify(want) ? true : undefined));
    const deleted = (await events(env, 'hist')).filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message).sort();
    assert.deepEqual(deleted, [`Deleted job hist-${t1 / MIN}`, `Deleted job hist-${t1 / MIN + 2}`]);
  } finally {
    await env.stop();
  }
});

test('a suspended cronjob starts nothing', async () => {
  const env = await start();
  try {
    const cj = await env.cluster.client.create(CRONJOBS, 'default', cronJob('paused', { suspend: true }));
    await env.advanceTo(firstFire(cj) + 1000, 'paused');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await jobs(env), []);
  } finally {
    await env.stop();
  }
});
