// Job conditions: finished means a True Complete or Failed condition. Conditions carry
// second-precision times like metav1.Time, and empty reasons and messages are left out.
import type { KubeObject } from '../../client/api-client.ts';

export interface JobCondition {
  type: string;
  status: 'True' | 'False';
  reason?: string;
  message?: string;
  lastProbeTime: string;
  lastTransitionTime: string;
}

export const stamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export function findCondition(job: KubeObject, type: string): JobCondition | undefined {
  return (job.status?.conditions ?? []).find((c: JobCondition) => c.type === type);
}

export function finishedConditionOf(job: KubeObject): 'Complete' | 'Failed' | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  }
  return undefined;
}

export const isFinished = (job: KubeObject): boolean => finishedConditionOf(job) !== undefined;

export function newCondition(type: string, status: 'True' | 'False', reason: string, message: string, now: number): JobCondition {
  const c: JobCondition = { type, status, lastProbeTime: stamp(now), lastTransitionTime: stamp(now) };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/**
 * Sets a condition of the type to the status, reason and message; never adds a False condition
 * that was absent. Returns whether the list changed.
 */
export function ensureCondition(job: KubeObject, type: string, status: 'True' | 'False', reason: string, message: string, now: number): boolean {
  const list: JobCondition[] = (job.status.conditions ??= []);
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i]!;
    if (c.status === status && (c.reason ?? '') === reason && (c.message ?? '') === message) return false;
    list[i] = newCondition(type, status, reason, message, now);
    return true;
  }
  if (status === 'False') return false;
  list.push(newCondition(type, status, reason, message, now));
  return true;
}
