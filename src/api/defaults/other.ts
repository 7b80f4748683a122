// Defaulting of kinds outside core and workloads: networking, RBAC, autoscaling.
import type { KubeObject } from './pod.ts';

const isObject = (v: unknown): v is KubeObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function defaultNetworkPolicy(np: KubeObject): void {
  const spec = (np.spec ??= {});
  for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) {
    for (const port of rule?.ports ?? []) if (isObject(port)) port.protocol ??= 'TCP';
  }
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    spec.policyTypes = Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
}

export function defaultIngress(ing: KubeObject): void {
  ing.status ??= { loadBalancer: {} };
}

/** Users and groups belong to the RBAC API group, service accounts to the core one. */
export function defaultRoleBinding(rb: KubeObject): void {
  for (const s of rb.subjects ?? []) {
    if (!isObject(s) || s.apiGroup !== undefined) continue;
    if (s.kind === 'ServiceAccount') s.apiGroup = '';
    else if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = 'rbac.authorization.k8s.io';
  }
}

export function defaultHorizontalPodAutoscaler(hpa: KubeObject): void {
  const spec = (hpa.spec ??= {});
  spec.minReplicas ??= 1;
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  // Scaling rules are filled in only when the user gave a behavior at all.
  const behavior = spec.behavior;
  if (!isObject(behavior)) return;
  const up = (behavior.scaleUp ??= {});
  up.stabilizationWindowSeconds ??= 0;
  up.selectPolicy ??= 'Max';
  up.policies ??= [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ];
  const down = (behavior.scaleDown ??= {});
  down.stabilizationWindowSeconds ??= 300;
  down.selectPolicy ??= 'Max';
  down.policies ??= [{ type: 'Percent', value: 100, periodSeconds: 15 }];
}

/** PriorityClass: preemptionPolicy PreemptLowerPriority (SetDefaults_PriorityClass). */
export function defaultPriorityClass(pc: KubeObject): void {
  pc.preemptionPolicy ??= 'PreemptLowerPriority';
}
