// Matching a failed pod against spec.podFailurePolicy: the first rule whose exit codes or pod
// conditions match decides whether the failure fails the Job, is ignored, or counts.
import type { KubeObject } from '../../client/api-client.ts';

export type PolicyAction = 'FailJob' | 'Ignore' | 'Count' | 'FailIndex';

export interface PolicyMatch {
  /** Set when a FailJob rule matched: the Job's failure message. */
  failJobMessage?: string;
  /** Whether the failure counts towards backoffLimit. */
  countFailed: boolean;
  action?: PolicyAction;
}

export function matchPodFailurePolicy(policy: KubeObject | undefined | null, pod: KubeObject): PolicyMatch {
  if (!policy) return { countFailed: true };
  const rules: KubeObject[] = policy.rules ?? [];
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index]!;
    const action = rule.action as PolicyAction;
    if (rule.onExitCodes) {
      const cs = matchOnExitCodes(pod.status ?? {}, rule.onExitCodes);
      if (!cs) continue;
      if (action === 'FailJob') {
        const msg = `Container ${cs.name} for pod ${pod.metadata.namespace}/${pod.metadata.name} failed with exit code ${cs.state.terminated.exitCode} matching ${action} rule at index ${index}`;
        return { failJobMessage: msg, countFailed: true, action };
      }
      if (action === 'Ignore') return { countFailed: false, action };
      if (action === 'Count' || action === 'FailIndex') return { countFailed: true, action };
    } else if (rule.onPodConditions) {
      const cond = matchOnPodConditions(pod.status ?? {}, rule.onPodConditions);
      if (!cond) continue;
      if (action === 'FailJob') {
        const msg = `Pod ${pod.metadata.namespace}/${pod.metadata.name} has condition ${cond.type} matching ${action} rule at index ${index}`;
        return { failJobMessage: msg, countFailed: true, action };
      }
      if (action === 'Ignore') return { countFailed: false, action };
      if (action === 'Count' || action === 'FailIndex') return { countFailed: true, action };
    }
  }
  return { countFailed: true };
}

function matchOnExitCodes(status: KubeObject, req: KubeObject): KubeObject | undefined {
  return matchingContainer(status.containerStatuses ?? [], req) ?? matchingContainer(status.initContainerStatuses ?? [], req);
}

function matchingContainer(statuses: KubeObject[], req: KubeObject): KubeObject | undefined {
  for (const cs of statuses) {
    const t = cs.state?.terminated;
    // Still running or terminating: no exit code to match; exit code 0 never matches.
    if (!t || !t.exitCode) continue;
    if (req.containerName && req.containerName !== cs.name) continue;
    const values: number[] = req.values ?? [];
    const inValues = values.includes(t.exitCode);
    if ((req.operator === 'In' && inValues) || (req.operator === 'NotIn' && !inValues)) return cs;
  }
  return undefined;
}

function matchOnPodConditions(status: KubeObject, patterns: KubeObject[]): KubeObject | undefined {
  for (const c of status.conditions ?? []) {
    for (const p of patterns) if (c.type === p.type && c.status === (p.status ?? 'True')) return c;
  }
  return undefined;
}
