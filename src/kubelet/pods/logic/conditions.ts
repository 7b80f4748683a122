// The pod conditions the kubelet owns (upstream's status/generate.go), with transition times
// kept while a condition's status does not change (as the status manager does).
import type { KubeObject, PodPhase } from './types.ts';

export const KUBELET_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers']);

type Condition = { type: string; status: 'True' | 'False'; reason?: string; message?: string };

const isSidecar = (c: KubeObject) => c.restartPolicy === 'Always';
const list = (names: string[]) => `[${names.join(' ')}]`;

/** Whether a regular container ever ran: the pod was initialized before. */
export function hasAnyRegularContainerStarted(pod: KubeObject, statuses: KubeObject[]): boolean {
  const names = new Set((pod.spec?.containers ?? []).map((c: KubeObject) => c.name));
  return statuses.some((s) => names.has(s.name) && (s.state?.running || s.state?.terminated));
}

export function containersReadyCondition(pod: KubeObject, statuses: KubeObject[], phase: PodPhase): Condition {
  const unknown: string[] = [];
  const unready: string[] = [];
  const check = (c: KubeObject) => {
    const s = statuses.find((x) => x.name === c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  };
  (pod.spec?.initContainers ?? []).filter(isSidecar).forEach(check);
  (pod.spec?.containers ?? []).forEach(check);
  if ((phase === 'Succeeded' && unknown.length === 0) || phase === 'Failed') {
    return { type: 'ContainersReady', status: 'False', reason: phase === 'Failed' ? 'PodFailed' : 'PodCompleted' };
  }
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${list(unknown)}`);
  if (unready.length) messages.push(`containers with unready status: ${list(unready)}`);
  if (messages.length) return { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: messages.join(', ') };
  return { type: 'ContainersReady', status: 'True' };
}

export function readyCondition(pod: KubeObject, conditions: KubeObject[], statuses: KubeObject[], phase: PodPhase): Condition {
  const cr = containersReadyCondition(pod, statuses, phase);
  if (cr.status !== 'True') return { ...cr, type: 'Ready' };
  const messages: string[] = [];
  for (const gate of pod.spec?.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === gate.conditionType);
    if (!c) messages.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (c.status !== 'True') messages.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`);
  }
  if (messages.length) return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: messages.join(', ') };
  return { type: 'Ready', status: 'True' };
}

export function initializedCondition(pod: KubeObject, statuses: KubeObject[], phase: PodPhase): Condition {
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of pod.spec?.initContainers ?? []) {
    const s = statuses.find((x) => x.name === c.name);
    if (!s) { unknown.push(c.name); continue; }
    if (isSidecar(c) ? !s.started : !s.ready) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  if (hasAnyRegularContainerStarted(pod, statuses)) return { type: 'Initialized', status: 'True' };
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${list(unknown)}`);
  if (incomplete.length) messages.push(`containers with incomplete status: ${list(incomplete)}`);
  if (messages.length) return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: messages.join(', ') };
  return { type: 'Initialized', status: 'True' };
}

export function readyToStartContainersCondition(sandboxReady: boolean): Condition {
  return { type: 'PodReadyToStartContainers', status: sandboxReady ? 'True' : 'False' };
}

/** As the API shows it: lastProbeTime null, lastTransitionTime kept while the status stays. */
export function withTransitionTime(c: Condition, old: KubeObject[], now: string): KubeObject {
  const prev = old.find((x) => x.type === c.type);
  const out: KubeObject = {
    type: c.type, status: c.status, lastProbeTime: null,
    lastTransitionTime: prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : now,
  };
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  return out;
}

/**
 * All conditions of the new status: those the kubelet does not own kept as they are, then
 * PodReadyToStartContainers, Initialized, Ready, ContainersReady and PodScheduled.
 */
export function podConditions(pod: KubeObject, old: KubeObject[], statuses: KubeObject[], phase: PodPhase, sandboxReady: boolean, now: string): KubeObject[] {
  const kept = (pod.status?.conditions ?? []).filter((c: KubeObject) => !KUBELET_CONDITIONS.has(c.type));
  const out: KubeObject[] = [...kept];
  const owned: Condition[] = [
    readyToStartContainersCondition(sandboxReady),
    initializedCondition(pod, statuses, phase),
    readyCondition(pod, kept, statuses, phase),
    containersReadyCondition(pod, statuses, phase),
    { type: 'PodScheduled', status: 'True' },
  ];
  for (const c of owned) out.push(withTransitionTime(c, old, now));
  return out;
}
