// A pod's phase from its container statuses (upstream's getPhase): Pending while an init
// container or any container has yet to run, Running while something runs or restarts,
// Succeeded/Failed once everything stopped for good (by restartPolicy, or because the pod is
// terminal); a failed init container under restartPolicy Never fails the pod.
import type { KubeObject, PodPhase } from './types.ts';

const isSidecar = (c: KubeObject) => c.restartPolicy === 'Always';

/**
 * @param statuses API container statuses, init and regular.
 * @param podIsTerminal the pod will run no more containers (deleted and stopped, or finished).
 * @param podHasInitialized a regular container exists in the current sandbox.
 */
export function podPhase(pod: KubeObject, statuses: KubeObject[], podIsTerminal: boolean, podHasInitialized: boolean): PodPhase {
  const spec = pod.spec ?? {};
  const find = (name: string) => statuses.find((s) => s.name === name);
  let pendingInit = 0;
  let pendingSidecars = 0;
  let failedInit = 0;
  for (const c of spec.initContainers ?? []) {
    if (isSidecar(c)) continue;
    const s = find(c.name);
    if (!s) { pendingInit++; continue; }
    const st = s.state ?? {};
    if (st.running) pendingInit++;
    else if (st.terminated) { if (st.terminated.exitCode !== 0) failedInit++; }
    else if (st.waiting) {
      if (s.lastState?.terminated) { if (s.lastState.terminated.exitCode !== 0) failedInit++; }
      else pendingInit++;
    } else pendingInit++;
  }

  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.initContainers ?? []) {
    if (!isSidecar(c)) continue;
    const s = find(c.name);
    if (!s) { unknown++; continue; }
    const st = s.state ?? {};
    if (st.running) {
      if (!s.started) pendingSidecars++;
      running++;
    } else if (st.terminated) {
      // Stopped sidecars do not decide the phase.
    } else if (st.waiting) {
      if (!s.lastState?.terminated) { pendingSidecars++; waiting++; }
    } else {
      pendingSidecars++;
      unknown++;
    }
  }
  for (const c of spec.containers ?? []) {
    const s = find(c.name);
    if (!s) { unknown++; continue; }
    const st = s.state ?? {};
    if (st.running) running++;
    else if (st.terminated) { stopped++; if (st.terminated.exitCode === 0) succeeded++; }
    else if (st.waiting) { if (s.lastState?.terminated) stopped++; else waiting++; }
    else unknown++;
  }

  const policy = spec.restartPolicy ?? 'Always';
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  if (pendingInit > 0 || (pendingSidecars > 0 && !podHasInitialized) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
