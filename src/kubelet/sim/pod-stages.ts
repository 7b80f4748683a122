// The lifecycle of a simulated pod as data: an ordered list of stages, each a predicate over
// the pod as last observed, when it is due, and what to write next (kwok's Stage idea). Every
// write is a whole status a real kubelet could have posted, so the pod walks Pending →
// (init containers) → Running → Ready → (Succeeded | Failed), and terminates when deleted.
// Pure: no I/O; the simulator owns the timer heap and the API writes.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../client/api-client.ts';

/** How long each transition takes. Defaults are a quick, realistic node. */
export interface SimTimings {
  /** The kubelet notices a newly bound pod and reports it Pending (ContainerCreating). */
  createMs: number;
  /** Each init container runs this long. */
  initContainerMs: number;
  /** Sandbox, image pull and start of the app containers. */
  startMs: number;
  /** A terminating pod's containers stop after this long (never later than its grace period). */
  terminateMs: number;
  /** A random extra delay up to this much on create and start, spreading load like real nodes. */
  jitterMs: number;
}

export const DEFAULT_TIMINGS: SimTimings = { createMs: 100, initContainerMs: 1000, startMs: 1000, terminateMs: 1000, jitterMs: 500 };

/** Annotations a pod can carry to script its simulated run (documented in src/kubelet/README.md). */
export const COMPLETE_AFTER = 'sim.navarch.io/complete-after';
export const FAIL_AFTER = 'sim.navarch.io/fail-after';

/** What the node contributes to a pod's status. */
export interface NodeFacts {
  name: string;
  hostIP: string;
  /** The pod's IP from the node's pod CIDR (stable for the pod). */
  podIP(pod: KubeObject): string;
}

export type Due = { afterMs: number; jitter?: boolean } | { at: number };
export type PodAction = { kind: 'status'; status: KubeObject } | { kind: 'delete' };

export interface PodStage {
  name: string;
  matches(pod: KubeObject): boolean;
  /** Relative to when the stage first matched, or an absolute time (ms since the epoch). */
  due(pod: KubeObject, t: SimTimings): Due;
  next(pod: KubeObject, node: NodeFacts, now: Date): PodAction;
}

type CS = KubeObject;

export const stamp = (d: Date): string => d.toISOString().replace(/\.\d+Z$/, 'Z');

/** Parses "500ms", "2s", "1.5m", "1h" into milliseconds; undefined when unparseable. */
export function parseDuration(s: unknown): number | undefined {
  const m = typeof s === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(s) : null;
  if (!m) return undefined;
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

const isSidecar = (c: KubeObject) => c.restartPolicy === 'Always';
const terminal = (pod: KubeObject) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const initStatuses = (pod: KubeObject): CS[] => pod.status?.initContainerStatuses ?? [];
const mainStatuses = (pod: KubeObject): CS[] => pod.status?.containerStatuses ?? [];
const statusFor = (list: CS[], name: string) => list.find((s) => s.name === name);
const initDone = (c: KubeObject, s: CS | undefined) => (isSidecar(c) ? !!s?.state?.running : s?.state?.terminated?.exitCode === 0);

/** The next init container to run, in order; undefined once all are done. */
function nextInit(pod: KubeObject): KubeObject | undefined {
  const st = initStatuses(pod);
  return (pod.spec?.initContainers ?? []).find((c: KubeObject) => !initDone(c, statusFor(st, c.name)));
}

/** Containers running now (app containers and started sidecars), with their spec. */
function running(pod: KubeObject): { spec: KubeObject; status: CS }[] {
  const out: { spec: KubeObject; status: CS }[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []).filter(isSidecar), ...(pod.spec?.containers ?? [])]) {
    const s = statusFor(isSidecar(c) ? initStatuses(pod) : mainStatuses(pod), c.name);
    if (s?.state?.running) out.push({ spec: c, status: s });
  }
  return out;
}

/**
 * When a container started, at the latest: startedAt has whole seconds, so the true start lies
 * within the second after it. Timing from the end of that second keeps delays at least as long
 * as asked (upstream probes are no more punctual: they also wait for their period).
 */
const startedBy = (status: CS) => Date.parse(status.state.running.startedAt) + 1000;
const readyAt = (spec: KubeObject, status: CS) => startedBy(status) + (spec.readinessProbe?.initialDelaySeconds ?? 0) * 1000;

/** docker.io/library/nginx:latest for "nginx", as the container runtime reports image names. */
export function normalizeImage(image: string): string {
  let name = image;
  const first = name.split('/')[0];
  if (!name.includes('/')) name = `docker.io/library/${name}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') name = `docker.io/${name}`;
  if (!name.includes('@') && !/:[^/]+$/.test(name)) name += ':latest';
  return name;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function imageFields(c: KubeObject, pod: KubeObject, restartCount: number): KubeObject {
  const image = normalizeImage(c.image ?? '');
  return {
    image,
    imageID: `${image.replace(/[:@][^/]*$/, '')}@sha256:${sha256(image)}`,
    containerID: `containerd://${sha256(`${pod.metadata.uid}/${c.name}/${restartCount}`)}`,
  };
}

function waiting(c: KubeObject, reason: string): CS {
  return { name: c.name, image: normalizeImage(c.image ?? ''), imageID: '', ready: false, started: false, restartCount: 0, lastState: {}, state: { waiting: { reason } } };
}

function runningStatus(c: KubeObject, pod: KubeObject, now: Date, restartCount = 0, lastState: KubeObject = {}): CS {
  return {
    name: c.name, ...imageFields(c, pod, restartCount), ready: !c.readinessProbe, started: true, restartCount, lastState,
    state: { running: { startedAt: stamp(now) } },
  };
}

function terminatedState(s: CS, exitCode: number, now: Date): KubeObject {
  return {
    terminated: {
      exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: s.state?.running?.startedAt ?? stamp(now), finishedAt: stamp(now),
      containerID: s.containerID,
    },
  };
}

/** Pod conditions as the kubelet computes them from the container statuses. */
function conditions(pod: KubeObject, init: CS[], main: CS[], phase: string, sandbox: boolean, now: Date): KubeObject[] {
  const old: KubeObject[] = pod.status?.conditions ?? [];
  const cond = (type: string, ok: boolean, reason?: string, message?: string): KubeObject => {
    const prev = old.find((c) => c.type === type);
    const status = ok ? 'True' : 'False';
    const c: KubeObject = { type, status, lastProbeTime: null, lastTransitionTime: prev?.status === status ? prev.lastTransitionTime : stamp(now) };
    if (reason) c.reason = reason;
    if (message) c.message = message;
    return c;
  };
  const initSpecs: KubeObject[] = pod.spec?.initContainers ?? [];
  const pendingInit = initSpecs.filter((c) => !initDone(c, statusFor(init, c.name))).map((c) => c.name);
  const wasInitialized = old.find((c) => c.type === 'Initialized')?.status === 'True';
  const initialized = pendingInit.length === 0 || (phase !== 'Pending' && wasInitialized);
  const unready = [
    ...initSpecs.filter((c) => isSidecar(c) && !statusFor(init, c.name)?.ready).map((c) => c.name),
    ...(pod.spec?.containers ?? []).filter((c: KubeObject) => !statusFor(main, c.name)?.ready).map((c: KubeObject) => c.name),
  ];
  const done = phase === 'Succeeded' ? 'PodCompleted' : phase === 'Failed' ? 'PodFailed' : undefined;
  const readyCond = (type: string) => done ? cond(type, false, done)
    : cond(type, unready.length === 0, unready.length ? 'ContainersNotReady' : undefined, unready.length ? `containers with unready status: [${unready.join(' ')}]` : undefined);
  const scheduled = old.find((c) => c.type === 'PodScheduled');
  return [
    cond('PodReadyToStartContainers', sandbox),
    initialized ? cond('Initialized', true) : cond('Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: [${pendingInit.join(' ')}]`),
    readyCond('Ready'),
    readyCond('ContainersReady'),
    scheduled?.status === 'True' ? scheduled : cond('PodScheduled', true),
  ];
}

/** A whole pod status: conditions follow from phase and container statuses. */
function status(pod: KubeObject, node: NodeFacts, now: Date, phase: string, init: CS[], main: CS[], sandbox: boolean): KubeObject {
  const st: KubeObject = {
    phase, hostIP: node.hostIP, hostIPs: [{ ip: node.hostIP }], startTime: pod.status?.startTime ?? stamp(now),
    conditions: conditions(pod, init, main, phase, sandbox, now), containerStatuses: main,
  };
  if (pod.status?.qosClass) st.qosClass = pod.status.qosClass;
  if (init.length) st.initContainerStatuses = init;
  if (sandbox) {
    const ip = pod.spec?.hostNetwork ? node.hostIP : node.podIP(pod);
    st.podIP = ip;
    st.podIPs = [{ ip }];
  }
  return st;
}

const notDeleted = (pod: KubeObject) => !pod.metadata?.deletionTimestamp;
const scriptedExit = (pod: KubeObject): { ms: number; code: number } | undefined => {
  const a = pod.metadata?.annotations ?? {};
  const fail = parseDuration(a[FAIL_AFTER]);
  if (fail !== undefined) return { ms: fail, code: 1 };
  const ok = parseDuration(a[COMPLETE_AFTER]);
  return ok !== undefined ? { ms: ok, code: 0 } : undefined;
};

/** The stages, first match wins except that the earliest due of all matching stages acts. */
export const POD_STAGES: PodStage[] = [
  {
    // Nothing runs any more: remove the pod for good, guarded by its uid.
    name: 'pod-remove',
    matches: (pod) => !notDeleted(pod) && running(pod).length === 0,
    due: () => ({ afterMs: 0 }),
    next: () => ({ kind: 'delete' }),
  },
  {
    // Graceful deletion: the containers get SIGTERM and stop within the grace period.
    name: 'pod-terminate',
    matches: (pod) => !notDeleted(pod) && running(pod).length > 0,
    due: (pod, t) => ({ afterMs: Math.min(t.terminateMs, (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000) }),
    next: (pod, node, now) => {
      const stop = (s: CS): CS => (s.state?.running ? { ...s, ready: false, started: false, state: terminatedState(s, 143, now) } : s);
      const init = initStatuses(pod).map(stop);
      const main = mainStatuses(pod).map(stop);
      const phase = terminal(pod) ? pod.status.phase : 'Failed';
      return { kind: 'status', status: status(pod, node, now, phase, init, main, true) };
    },
  },
  {
    name: 'pod-create',
    matches: (pod) => notDeleted(pod) && !terminal(pod) && !pod.status?.startTime,
    due: (_pod, t) => ({ afterMs: t.createMs, jitter: true }),
    next: (pod, node, now) => {
      const inits: KubeObject[] = pod.spec?.initContainers ?? [];
      const init = inits.map((c) => waiting(c, 'PodInitializing'));
      const main = (pod.spec?.containers ?? []).map((c: KubeObject) => waiting(c, inits.length ? 'PodInitializing' : 'ContainerCreating'));
      return { kind: 'status', status: status(pod, node, now, 'Pending', init, main, false) };
    },
  },
  {
    name: 'pod-init-container',
    matches: (pod) => notDeleted(pod) && pod.status?.phase === 'Pending' && !!pod.status?.startTime && nextInit(pod) !== undefined,
    due: (_pod, t) => ({ afterMs: t.initContainerMs }),
    next: (pod, node, now) => {
      const c = nextInit(pod)!;
      const prev = statusFor(initStatuses(pod), c.name);
      const started = new Date(Math.max(Date.parse(pod.status.startTime), now.getTime() - 1000));
      const done: CS = isSidecar(c)
        ? runningStatus(c, pod, now)
        : { name: c.name, ...imageFields(c, pod, 0), ready: false, started: false, restartCount: prev?.restartCount ?? 0, lastState: {}, state: terminatedState({ state: { running: { startedAt: stamp(started) } }, containerID: imageFields(c, pod, 0).containerID }, 0, now) };
      const init = (pod.spec.initContainers as KubeObject[]).map((x) => (x.name === c.name ? done : statusFor(initStatuses(pod), x.name) ?? waiting(x, 'PodInitializing')));
      return { kind: 'status', status: status(pod, node, now, 'Pending', init, mainStatuses(pod), true) };
    },
  },
  {
    name: 'pod-start',
    matches: (pod) => notDeleted(pod) && pod.status?.phase === 'Pending' && !!pod.status?.startTime && nextInit(pod) === undefined,
    due: (_pod, t) => ({ afterMs: t.startMs, jitter: true }),
    next: (pod, node, now) => {
      const main = (pod.spec.containers as KubeObject[]).map((c) => runningStatus(c, pod, now));
      return { kind: 'status', status: status(pod, node, now, 'Running', initStatuses(pod), main, true) };
    },
  },
  {
    // Readiness probes succeed once their initialDelaySeconds have passed.
    name: 'pod-ready',
    matches: (pod) => notDeleted(pod) && pod.status?.phase === 'Running' && running(pod).some((r) => !r.status.ready),
    due: (pod) => ({ at: Math.min(...running(pod).filter((r) => !r.status.ready).map((r) => readyAt(r.spec, r.status))) }),
    next: (pod, node, now) => {
      const mark = (s: CS, spec: KubeObject | undefined): CS => (spec && s.state?.running && !s.ready && readyAt(spec, s) <= now.getTime() ? { ...s, ready: true } : s);
      const init = initStatuses(pod).map((s) => mark(s, pod.spec.initContainers?.find((c: KubeObject) => c.name === s.name && isSidecar(c))));
      const main = mainStatuses(pod).map((s) => mark(s, pod.spec.containers.find((c: KubeObject) => c.name === s.name)));
      return { kind: 'status', status: status(pod, node, now, 'Running', init, main, true) };
    },
  },
  {
    // Someone else changed the Ready condition (the node lifecycle controller while this node
    // was unreachable): post the status again, as a kubelet does when it comes back.
    name: 'pod-status-sync',
    matches: (pod) => notDeleted(pod) && pod.status?.phase === 'Running' && running(pod).every((r) => r.status.ready)
      && (pod.status.conditions ?? []).find((c: KubeObject) => c.type === 'Ready')?.status !== 'True',
    due: () => ({ afterMs: 0 }),
    next: (pod, node, now) => ({ kind: 'status', status: status(pod, node, now, 'Running', initStatuses(pod), mainStatuses(pod), true) }),
  },
  {
    // Scripted exits (sim.navarch.io/complete-after, fail-after); restartPolicy decides what follows.
    name: 'pod-exit',
    matches: (pod) => notDeleted(pod) && pod.status?.phase === 'Running' && scriptedExit(pod) !== undefined
      && (pod.spec?.containers ?? []).every((c: KubeObject) => statusFor(mainStatuses(pod), c.name)?.state?.running),
    due: (pod) => ({ at: Math.max(...mainStatuses(pod).map(startedBy)) + scriptedExit(pod)!.ms }),
    next: (pod, node, now) => {
      const { code } = scriptedExit(pod)!;
      const policy = pod.spec.restartPolicy ?? 'Always';
      const restart = policy === 'Always' || (policy === 'OnFailure' && code !== 0);
      if (restart) {
        const main = mainStatuses(pod).map((s) => {
          const spec = pod.spec.containers.find((c: KubeObject) => c.name === s.name);
          return runningStatus(spec, pod, now, (s.restartCount ?? 0) + 1, terminatedState(s, code, now));
        });
        return { kind: 'status', status: status(pod, node, now, 'Running', initStatuses(pod), main, true) };
      }
      const stop = (s: CS, exitCode: number): CS => (s.state?.running ? { ...s, ready: false, started: false, state: terminatedState(s, exitCode, now) } : s);
      const main = mainStatuses(pod).map((s) => stop(s, code));
      const init = initStatuses(pod).map((s) => stop(s, 0));
      return { kind: 'status', status: status(pod, node, now, code === 0 ? 'Succeeded' : 'Failed', init, main, true) };
    },
  },
];

/** Every stage matching the pod as observed. */
export const matchingStages = (pod: KubeObject, stages: PodStage[] = POD_STAGES): PodStage[] => stages.filter((s) => s.matches(pod));
