// The whole status the kubelet posts for a pod (upstream's generateAPIPodStatus and the status
// manager's touches): phase, conditions, host and pod IPs, start time, QoS class and the
// container statuses. `kubectl get pods` derives READY, STATUS and RESTARTS from it.
import type { ContainerStatus, SandboxStatus } from '../../runtime/runtime.ts';
import type { KubeObject, PodPhase, ProbeResults, StartFailure } from './types.ts';
import { containerStatuses, stamp } from './container-statuses.ts';
import { podPhase } from './phase.ts';
import { podConditions } from './conditions.ts';
import { podQOS } from './qos.ts';
import { newestFirst, podSandboxChanged } from './pod-actions.ts';

export interface PodStatusInput {
  pod: KubeObject;
  /** The pod's sandboxes and runtime containers (all attempts). */
  sandboxes: SandboxStatus[];
  containers: ContainerStatus[];
  /** The pod's IPs from its current sandbox (empty for none, e.g. before the network is up). */
  podIPs: string[];
  /** The node's IPs, primary first. */
  hostIPs: string[];
  probeResults?: ProbeResults;
  /** Why the last start of a container failed (CrashLoopBackOff, ErrImagePull...). */
  startFailure?: (containerName: string) => StartFailure | undefined;
  /** The pod will run no more containers: deleted and stopped, or finished for good. */
  podIsTerminal?: boolean;
  /** The status last posted; defaults to the pod's status. */
  previousStatus?: KubeObject;
  /** Scheme of container IDs, default `runc`. */
  runtimeName?: string;
  /** How an image shows in statuses; default the reference and id the runtime recorded. */
  imageInfo?: (s: ContainerStatus) => { image: string; imageID: string };
  sandboxHasIP?: boolean;
  supportsRecursiveReadOnly?: boolean;
  now: Date;
}

const TERMINAL = (p: unknown) => p === 'Succeeded' || p === 'Failed';

const isIPv6 = (ip: string) => ip.includes(':');

/** The pod's IPs: the first of the node's family first, then the first of the other family. */
export function sortPodIPs(podIPs: string[], hostIPs: string[]): string[] {
  const v6First = hostIPs.length > 0 && isIPv6(hostIPs[0]);
  const primary = podIPs.find((ip) => isIPv6(ip) === v6First);
  const secondary = podIPs.find((ip) => isIPv6(ip) !== v6First);
  return [primary, secondary].filter((x): x is string => x !== undefined);
}

export function generatePodStatus(input: PodStatusInput): KubeObject {
  const { pod } = input;
  const now = stamp(input.now.getTime())!;
  const old: KubeObject = input.previousStatus ?? pod.status ?? {};
  const spec = pod.spec ?? {};
  const runtime = newestFirst(input.containers);
  const common = {
    pod, runtime, probeResults: input.probeResults ?? (() => undefined),
    startFailure: input.startFailure ?? (() => undefined), runtimeName: input.runtimeName ?? 'runc',
    imageInfo: input.imageInfo ?? ((s: ContainerStatus) => ({ image: s.imageRef, imageID: s.imageId })),
    supportsRecursiveReadOnly: input.supportsRecursiveReadOnly,
  };
  const initStatuses = containerStatuses({ ...common, specs: spec.initContainers ?? [], isInit: true, previous: old.initContainerStatuses ?? [] });
  const mainStatuses = containerStatuses({ ...common, specs: spec.containers ?? [], isInit: false, previous: old.containerStatuses ?? [] });
  const ephemeralSpecs: KubeObject[] = spec.ephemeralContainers ?? [];
  const ephemeralStatuses = ephemeralSpecs.length
    // Never probed, so never ready, and without `started` (upstream's prober leaves them alone).
    ? containerStatuses({ ...common, specs: ephemeralSpecs, isInit: false, previous: old.ephemeralContainerStatuses ?? [] })
      .map(({ started: _started, ...s }) => ({ ...s, ready: false }))
    : undefined;

  const sandbox = newestFirst(input.sandboxes)[0];
  const activeRegular = sandbox !== undefined && runtime.some((c) => c.sandboxId === sandbox.id && (spec.containers ?? []).some((s: KubeObject) => s.name === c.name));
  let phase: PodPhase = podPhase(pod, [...mainStatuses, ...initStatuses], input.podIsTerminal === true, activeRegular);
  // Once terminal, a pod stays so.
  if (!TERMINAL(phase)) {
    if (TERMINAL(old.phase)) phase = old.phase;
    else if (TERMINAL(pod.status?.phase)) phase = pod.status.phase;
  }
  if (TERMINAL(pod.status?.phase)) phase = pod.status.phase;

  const sandboxReady = !podSandboxChanged(pod, input.sandboxes, input.sandboxHasIP).changed;
  const all = [...initStatuses, ...mainStatuses];

  const status: KubeObject = { phase, conditions: podConditions(pod, old.conditions ?? [], all, phase, sandboxReady, now) };
  if (phase === old.phase) {
    const reason = old.reason || pod.status?.reason;
    const message = old.message || pod.status?.message;
    if (message) status.message = message;
    if (reason) status.reason = reason;
  }
  if (input.hostIPs.length > 0) {
    status.hostIP = input.hostIPs[0];
    status.hostIPs = input.hostIPs.slice(0, 2).map((ip) => ({ ip }));
  }
  let podIPs = sortPodIPs(input.podIPs, input.hostIPs);
  if (spec.hostNetwork && podIPs.length === 0) podIPs = input.hostIPs.slice(0, 2);
  // A sandbox that is gone takes its IPs along, but the pod keeps showing the ones it had.
  if (podIPs.length === 0 && Array.isArray(old.podIPs)) podIPs = old.podIPs.map((p: KubeObject) => p.ip);
  if (podIPs.length > 0) {
    status.podIP = podIPs[0];
    status.podIPs = podIPs.map((ip) => ({ ip }));
  }
  status.startTime = old.startTime ?? pod.status?.startTime ?? now;
  if (initStatuses.length > 0) status.initContainerStatuses = initStatuses;
  status.containerStatuses = mainStatuses;
  status.qosClass = podQOS(pod);
  if (ephemeralStatuses) status.ephemeralContainerStatuses = ephemeralStatuses;
  return status;
}
