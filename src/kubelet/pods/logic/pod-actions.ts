// What one sync of a pod must do (upstream's computePodActions): whether a (new) sandbox is
// needed, which init container starts next (sequentially; sidecars, init containers with
// restartPolicy Always, start in order and are kept running), which app containers start
// (restartPolicy Always/OnFailure/Never) and which running containers die (changed spec,
// failed liveness or startup probe). Back-off is checked when starting (checkBackoff).
import type { ContainerStatus, SandboxStatus } from '../../runtime/runtime.ts';
import type { ContainerToKill, KillReason, KubeObject, PodActions, ProbeResults } from './types.ts';
import { containerChanged } from './container-labels.ts';

export interface PodActionsInput {
  pod: KubeObject;
  /** The pod's sandboxes (any order). */
  sandboxes: SandboxStatus[];
  /** The pod's runtime containers, every attempt, exited ones included (any order). */
  containers: ContainerStatus[];
  probeResults?: ProbeResults;
  /** False when the newest sandbox has no pod IP (network setup failed): it is replaced. */
  sandboxHasIP?: boolean;
}

const MINIMUM_GRACE_PERIOD_SECONDS = 2;

export const isRestartableInit = (c: KubeObject | undefined) => c?.restartPolicy === 'Always';
const restartPolicy = (pod: KubeObject): string => pod.spec?.restartPolicy ?? 'Always';
export const shouldRestartOnFailure = (pod: KubeObject) => restartPolicy(pod) !== 'Never';

/** Newest first, so that the first match by name is the latest attempt. */
export const newestFirst = <T extends { createdAt: number }>(xs: T[]): T[] => [...xs].sort((a, b) => b.createdAt - a.createdAt);
const latest = (statuses: ContainerStatus[], name: string) => statuses.find((s) => s.name === name);

/** Whether the pod needs a new sandbox, the attempt of that (or the current) one and the newest sandbox's id. */
export function podSandboxChanged(pod: KubeObject, sandboxes: SandboxStatus[], sandboxHasIP = true): { changed: boolean; attempt: number; sandboxId?: string } {
  if (sandboxes.length === 0) return { changed: true, attempt: 0 };
  const sorted = newestFirst(sandboxes);
  const newest = sorted[0];
  const ready = sorted.filter((s) => s.state === 'ready').length;
  if (ready > 1 || newest.state !== 'ready') return { changed: true, attempt: newest.attempt + 1, sandboxId: newest.id };
  if (!pod.spec?.hostNetwork && !sandboxHasIP) return { changed: true, attempt: newest.attempt + 1, sandboxId: newest.id };
  return { changed: false, attempt: newest.attempt, sandboxId: newest.id };
}

/** Whether a container that is not running should be (re)started (upstream's ShouldContainerBeRestarted). */
export function shouldContainerBeRestarted(container: KubeObject, pod: KubeObject, statuses: ContainerStatus[]): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  const s = latest(newestFirst(statuses), container.name);
  if (!s) return true;
  if (s.state === 'running') return false;
  if (s.state === 'unknown' || s.state === 'created') return true;
  if (restartPolicy(pod) === 'Never') return false;
  if (restartPolicy(pod) === 'OnFailure' && s.exitCode === 0) return false;
  return true;
}

/** Failed: OOM killed, exited non-zero, or lost (unknown). */
export const isInitContainerFailed = (s: ContainerStatus) =>
  s.reason === 'OOMKilled' || (s.state === 'exited' && s.exitCode !== 0) || s.state === 'unknown';

/** The grace period to stop a container with (upstream's setTerminationGracePeriod). */
export function terminationGracePeriod(pod: KubeObject, container: KubeObject | undefined, reason: KillReason): number {
  if (pod.metadata?.deletionGracePeriodSeconds != null) return pod.metadata.deletionGracePeriodSeconds;
  const podGrace = pod.spec?.terminationGracePeriodSeconds;
  if (podGrace == null) return MINIMUM_GRACE_PERIOD_SECONDS;
  const probe = reason === 'LivenessProbe' ? container?.livenessProbe : reason === 'StartupProbe' ? container?.startupProbe : undefined;
  return probe?.terminationGracePeriodSeconds ?? podGrace;
}

/** Whether any regular container was ever created in the runtime: the pod has been initialized. */
export function hasAnyRegularContainerCreated(pod: KubeObject, statuses: ContainerStatus[]): boolean {
  const sorted = newestFirst(statuses);
  return (pod.spec?.containers ?? []).some((c: KubeObject) => {
    const s = latest(sorted, c.name);
    return s !== undefined && s.state !== 'unknown';
  });
}

export function computePodActions(input: PodActionsInput): PodActions {
  const { pod } = input;
  const statuses = newestFirst(input.containers);
  const probe: ProbeResults = input.probeResults ?? (() => undefined);
  const sandbox = podSandboxChanged(pod, input.sandboxes, input.sandboxHasIP);
  const actions: PodActions = {
    killPod: sandbox.changed, createSandbox: sandbox.changed, sandboxId: sandbox.sandboxId, attempt: sandbox.attempt,
    initContainersToStart: [], containersToStart: [], ephemeralContainersToStart: [], containersToKill: [],
  };
  const containers: KubeObject[] = pod.spec?.containers ?? [];
  const inits: KubeObject[] = pod.spec?.initContainers ?? [];
  const kill = (s: ContainerStatus, c: KubeObject, message: string, reason: KillReason) => {
    const k: ContainerToKill = { id: s.id, name: c.name, message, reason, gracePeriodSeconds: terminationGracePeriod(pod, c, reason) };
    actions.containersToKill.push(k);
  };

  if (sandbox.changed) {
    // A pod that must not restart and already ran: just make sure everything is stopped.
    if (!shouldRestartOnFailure(pod) && sandbox.attempt !== 0 && statuses.length !== 0) {
      actions.createSandbox = false;
      return actions;
    }
    const toStart: number[] = [];
    containers.forEach((c, i) => {
      const s = latest(statuses, c.name);
      if (restartPolicy(pod) === 'OnFailure' && s?.state === 'exited' && s.exitCode === 0) return;
      toStart.push(i);
    });
    if (toStart.length === 0 && hasAnyRegularContainerCreated(pod, statuses)) {
      actions.createSandbox = false;
      return actions;
    }
    if (inits.length > 0) {
      actions.initContainersToStart = [0];
      return actions;
    }
    actions.containersToStart = toStart;
    return actions;
  }

  (pod.spec?.ephemeralContainers ?? []).forEach((c: KubeObject, i: number) => {
    if (!latest(statuses, c.name)) actions.ephemeralContainersToStart.push(i);
  });

  const initialized = computeInitContainerActions(pod, statuses, probe, actions, kill);
  if (actions.killPod || !initialized) return actions;

  let keep = 0;
  containers.forEach((c, i) => {
    const s = latest(statuses, c.name);
    if (!s || s.state !== 'running') {
      if (shouldContainerBeRestarted(c, pod, statuses)) {
        actions.containersToStart.push(i);
        if (s?.state === 'unknown') kill(s, c, `Container is in "unknown" state, try killing it before restart`, 'Unknown');
      }
      return;
    }
    let message: string;
    let reason: KillReason = '';
    let restart = shouldRestartOnFailure(pod);
    if (containerChanged(c, s)) {
      message = `Container ${c.name} definition changed`;
      restart = true;
    } else if (probe('liveness', s.id) === 'Failure') {
      message = `Container ${c.name} failed liveness probe`;
      reason = 'LivenessProbe';
    } else if (probe('startup', s.id) === 'Failure') {
      message = `Container ${c.name} failed startup probe`;
      reason = 'StartupProbe';
    } else {
      keep++;
      return;
    }
    if (restart) {
      message = `${message}, will be restarted`;
      actions.containersToStart.push(i);
    }
    kill(s, c, message, reason);
  });

  if (keep === 0 && actions.containersToStart.length === 0) {
    actions.killPod = true;
    // Sidecars alone must not keep a finished pod alive.
    actions.initContainersToStart = [];
  }
  return actions;
}

/** Init containers' part of the actions; true once the pod is initialized. */
function computeInitContainerActions(
  pod: KubeObject, statuses: ContainerStatus[], probe: ProbeResults, actions: PodActions,
  kill: (s: ContainerStatus, c: KubeObject, message: string, reason: KillReason) => void,
): boolean {
  const inits: KubeObject[] = pod.spec?.initContainers ?? [];
  if (inits.length === 0) return true;
  // A created or running app container means initialization finished at some point, even if
  // the runtime has since removed the init containers' records.
  let initialized = (pod.spec?.containers ?? []).some((c: KubeObject) => {
    const st = latest(statuses, c.name)?.state;
    return st === 'created' || st === 'running';
  });
  let previouslyInitialized = initialized;
  const restartOnFailure = shouldRestartOnFailure(pod);
  const start: number[] = [];

  // Backwards: the last init container with a record tells how far initialization got.
  for (let i = inits.length - 1; i >= 0; i--) {
    const c = inits[i];
    const sidecar = isRestartableInit(c);
    const s = latest(statuses, c.name);
    if (!s) {
      if (previouslyInitialized && sidecar) start.push(i);
      continue;
    }
    if (previouslyInitialized && !sidecar) continue;

    if (s.state === 'created') {
      start.push(i);
    } else if (s.state === 'running') {
      if (sidecar) sidecarRunning(i, c, s);
    } else if (s.state === 'exited') {
      if (sidecar) {
        start.push(i);
      } else if (isInitContainerFailed(s)) {
        if (!restartOnFailure) {
          actions.killPod = true;
          actions.initContainersToStart = [];
          return false;
        }
        start.push(i);
      } else if (i === inits.length - 1) {
        initialized = true;
      } else {
        start.push(i + 1);
      }
    } else {
      if (!sidecar && !restartOnFailure) {
        actions.killPod = true;
        actions.initContainersToStart = [];
        return false;
      }
      kill(s, c, `Init container is in "unknown" state, try killing it before restart`, 'Unknown');
      start.push(i);
    }
    previouslyInitialized = true;
  }
  if (!previouslyInitialized) start.push(0);
  actions.initContainersToStart = start.reverse();
  return initialized;

  function sidecarRunning(i: number, c: KubeObject, s: ContainerStatus): void {
    if (c.startupProbe) {
      const startup = probe('startup', s.id);
      if (startup === undefined) return;
      if (startup === 'Failure') {
        kill(s, c, `Init container ${c.name} failed startup probe`, 'StartupProbe');
        start.push(i);
        return;
      }
    }
    if (i === inits.length - 1) initialized = true;
    else if (!previouslyInitialized) start.push(i + 1);
    if (containerChanged(c, s)) {
      kill(s, c, `Init container ${c.name} definition changed`, '');
      start.push(i);
      return;
    }
    if (c.livenessProbe && probe('liveness', s.id) === 'Failure') {
      kill(s, c, `Init container ${c.name} failed liveness probe`, 'LivenessProbe');
      start.push(i);
    }
  }
}
