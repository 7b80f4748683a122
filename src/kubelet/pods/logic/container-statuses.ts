// Container statuses as the API shows them (upstream's convertToAPIContainerStatuses plus the
// probe manager's started/ready): one per spec container, from the latest runtime attempt, the
// attempt before it as lastState, a waiting reason (CrashLoopBackOff, ErrImagePull...) when
// the container failed to (re)start, and ContainerCreating/PodInitializing before any attempt.
import type { ContainerStatus } from '../../runtime/runtime.ts';
import type { KubeObject, ProbeResults, StartFailure } from './types.ts';
import { shouldContainerBeRestarted, hasAnyRegularContainerCreated } from './pod-actions.ts';

export interface ContainerStatusesInput {
  pod: KubeObject;
  /** spec.containers or spec.initContainers. */
  specs: KubeObject[];
  isInit: boolean;
  /** The pod's runtime containers (all attempts). */
  runtime: ContainerStatus[];
  /** The same list in the previous API status. */
  previous: KubeObject[];
  probeResults: ProbeResults;
  startFailure: (containerName: string) => StartFailure | undefined;
  /** Shown as the scheme of container IDs: `runc://<id>`. */
  runtimeName: string;
  imageInfo: (s: ContainerStatus) => { image: string; imageID: string };
  /** Whether read-only mounts can be made recursively read-only. */
  supportsRecursiveReadOnly?: boolean;
}

/** RFC 3339 with whole seconds, as metav1.Time serializes. */
export const stamp = (ms: number | undefined): string | null =>
  ms === undefined ? null : new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

const clone = <T>(x: T): T => structuredClone(x);

function runtimeState(cs: ContainerStatus, cid: string, old: KubeObject | undefined): { state: KubeObject; restartBump: boolean } {
  switch (cs.state) {
    case 'running':
      return { state: { running: { startedAt: stamp(cs.startedAt ?? cs.createdAt) } }, restartBump: false };
    case 'created':
      return { state: { waiting: {} }, restartBump: false };
    case 'exited': {
      const t: KubeObject = { exitCode: cs.exitCode ?? 0, reason: cs.reason || ((cs.exitCode ?? 0) === 0 ? 'Completed' : 'Error') };
      if (cs.message) t.message = cs.message;
      t.startedAt = stamp(cs.startedAt);
      t.finishedAt = stamp(cs.finishedAt);
      t.containerID = cid;
      return { state: { terminated: t }, restartBump: false };
    }
    default:
      if (old?.state?.running) {
        // It ran and vanished: say so rather than pretend it never started.
        return {
          state: { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' } },
          restartBump: true,
        };
      }
      return { state: { waiting: {} }, restartBump: false };
  }
}

function volumeMountStatuses(spec: KubeObject, rro: boolean): KubeObject[] | undefined {
  const mounts: KubeObject[] = spec.volumeMounts ?? [];
  if (mounts.length === 0) return undefined;
  return mounts.map((m) => {
    const v: KubeObject = { name: m.name, mountPath: m.mountPath };
    if (m.readOnly) {
      v.readOnly = true;
      const wanted = m.recursiveReadOnly === 'Enabled' || m.recursiveReadOnly === 'IfPossible';
      v.recursiveReadOnly = wanted && rro ? 'Enabled' : 'Disabled';
    }
    return v;
  });
}

/** The fields in the order the API writes them. */
function ordered(s: KubeObject): KubeObject {
  const out: KubeObject = {};
  for (const k of ['name', 'state', 'lastState', 'ready', 'restartCount', 'image', 'imageID', 'containerID', 'started', 'allocatedResources', 'resources', 'volumeMounts']) {
    if (s[k] !== undefined) out[k] = s[k];
  }
  return out;
}

export function containerStatuses(input: ContainerStatusesInput): KubeObject[] {
  const { pod, specs, isInit } = input;
  const hasInit = (pod.spec?.initContainers ?? []).length > 0;
  const runtime = [...input.runtime].sort((a, b) => b.createdAt - a.createdAt);
  const oldByName = new Map<string, KubeObject>(input.previous.map((s) => [s.name, s]));
  const defaultWaiting = { waiting: { reason: hasInit ? 'PodInitializing' : 'ContainerCreating' } };
  const statuses = new Map<string, KubeObject>();

  for (const c of specs) {
    let s: KubeObject = { name: c.name, state: clone(defaultWaiting), lastState: {}, ready: false, restartCount: 0, image: c.image ?? '', imageID: '' };
    const old = oldByName.get(c.name);
    if (old) {
      if (old.state?.terminated) s = clone(old);
      else { s.restartCount = old.restartCount ?? 0; s.lastState = clone(old.lastState ?? {}); }
    }
    const mounts = volumeMountStatuses(c, input.supportsRecursiveReadOnly === true);
    if (mounts) s.volumeMounts = mounts;
    statuses.set(c.name, s);
  }

  // A container that was running and left no record: it terminated, we do not know how.
  for (const c of specs) {
    if (runtime.some((r) => r.name === c.name)) continue;
    const old = oldByName.get(c.name);
    if (!old || old.state?.terminated || !old.state?.running) continue;
    const s = statuses.get(c.name)!;
    if (s.state?.waiting?.reason !== defaultWaiting.waiting.reason || s.lastState?.terminated) continue;
    s.lastState = {
      terminated: {
        exitCode: 137, reason: 'ContainerStatusUnknown',
        message: 'The container could not be located when the pod was deleted.  The container used to be Running',
      },
    };
    if (!pod.metadata?.deletionTimestamp) s.restartCount += 1;
  }

  // The latest attempt gives the state, the one before it the last state.
  const seen = new Map<string, number>();
  for (const cs of runtime) {
    const s = statuses.get(cs.name);
    const n = seen.get(cs.name) ?? 0;
    if (!s || n >= 2) continue;
    seen.set(cs.name, n + 1);
    const cid = `${input.runtimeName}://${cs.id}`;
    const { state, restartBump } = runtimeState(cs, cid, oldByName.get(cs.name));
    if (n === 1) { s.lastState = state; continue; }
    const { image, imageID } = input.imageInfo(cs);
    const old = oldByName.get(cs.name);
    const fresh: KubeObject = {
      name: cs.name, state, lastState: {}, ready: false,
      restartCount: restartBump ? (old?.restartCount ?? 0) + 1 : cs.attempt,
      image, imageID, containerID: cid,
    };
    if (s.volumeMounts) fresh.volumeMounts = s.volumeMounts;
    statuses.set(cs.name, fresh);
  }

  // Containers that failed to (re)start wait, saying why.
  for (const c of specs) {
    const latest = runtime.find((r) => r.name === c.name);
    if (isInit) {
      if (latest?.state === 'exited' && latest.exitCode === 0) continue;
      const s = statuses.get(c.name)!;
      if (!latest && c.restartPolicy !== 'Always' && s.state?.waiting && hasAnyRegularContainerCreated(pod, runtime)) {
        s.state = { terminated: { exitCode: 0, reason: 'Completed', message: 'Unable to get init container status from container runtime and pod has been initialized, treat it as exited normally' } };
        continue;
      }
    }
    if (!shouldContainerBeRestarted(c, pod, runtime)) continue;
    const failure = input.startFailure(c.name);
    if (!failure) continue;
    const s = statuses.get(c.name)!;
    if (s.state?.terminated) s.lastState = s.state;
    s.state = { waiting: { reason: failure.reason, message: failure.message } };
  }

  // started and ready, as the probe manager sets them.
  for (const c of specs) {
    const s = statuses.get(c.name)!;
    const id = typeof s.containerID === 'string' ? s.containerID.replace(/^[^:]*:\/\//, '') : '';
    const isRunning = !!s.state?.running;
    const startup = id ? input.probeResults('startup', id) : undefined;
    const started = isRunning && (startup !== undefined ? startup === 'Success' : !c.startupProbe);
    s.started = started;
    if (isInit && c.restartPolicy !== 'Always') {
      s.ready = !!s.state?.terminated && s.state.terminated.exitCode === 0;
      continue;
    }
    if (!started) { s.ready = false; continue; }
    const readiness = input.probeResults('readiness', id);
    s.ready = readiness === 'Success' || (readiness === undefined && !c.readinessProbe);
  }

  // In-place resize (on by default since 1.33) reports the resources in effect.
  for (const c of specs) {
    const s = statuses.get(c.name)!;
    const resources = c.resources ?? {};
    const shown: KubeObject = {};
    if (resources.limits && Object.keys(resources.limits).length) shown.limits = clone(resources.limits);
    if (resources.requests && Object.keys(resources.requests).length) shown.requests = clone(resources.requests);
    if (s.containerID) {
      s.resources = shown;
      if (shown.requests) s.allocatedResources = clone(shown.requests);
    }
  }

  const out = specs.map((c) => ordered(statuses.get(c.name)!));
  // Init containers keep spec order; the others are sorted by name, as upstream sorts them.
  return isInit ? out : out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
