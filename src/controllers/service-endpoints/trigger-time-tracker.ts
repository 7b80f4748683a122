// The endpoints.kubernetes.io/last-change-trigger-time annotation: the earliest change (pod
// readiness transition or Service creation) not yet reflected in a Service's endpoints.
// First sync of a Service reports its creation time. Calls for one key never overlap (the
// work queue guarantees it).
import type { KubeObject } from '../../client/api-client.ts';

export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

interface ServiceState { serviceTime: number; podTimes: Map<string, number> }

const readyTransition = (pod: KubeObject): number => {
  const c = (pod.status?.conditions ?? []).find((x: KubeObject) => x.type === 'Ready');
  const t = c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isNaN(t) ? 0 : t;
};

export class TriggerTimeTracker {
  readonly #states = new Map<string, ServiceState>();

  /**
   * Milliseconds since the epoch, or 0 when nothing changed (the annotation is then removed).
   * The observation is kept only once `commit` is called, after the write succeeded, so a
   * failed write reports the same time again on retry.
   */
  compute(key: string, svc: KubeObject, pods: KubeObject[]): { time: number; commit(): void } {
    const state = this.#states.get(key);
    let min = 0;
    const podTimes = new Map<string, number>();
    for (const p of pods) {
      const t = readyTransition(p);
      if (!t) continue;
      podTimes.set(p.metadata.name, t);
      if (t > (state?.podTimes.get(p.metadata.name) ?? 0) && (min === 0 || t < min)) min = t;
    }
    const serviceTime = Date.parse(svc.metadata.creationTimestamp ?? '') || 0;
    if (serviceTime > (state?.serviceTime ?? 0) && (min === 0 || serviceTime < min)) min = serviceTime;
    return { time: state ? min : serviceTime, commit: () => { this.#states.set(key, { serviceTime, podTimes }); } };
  }

  delete(key: string): void { this.#states.delete(key); }
}
