// Defaulting of core/v1 kinds other than pods (upstream SetDefaults_Service, _Namespace, _Secret,
// _PersistentVolumeClaim, _PersistentVolume, _NodeStatus, _Endpoints…).
import type { KubeObject } from './pod.ts';

const isObject = (v: unknown): v is KubeObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function defaultService(svc: KubeObject): void {
  const spec = (svc.spec ??= {});
  spec.sessionAffinity ??= 'None';
  spec.type ??= 'ClusterIP';
  for (const port of spec.ports ?? []) {
    if (!isObject(port)) continue;
    port.protocol ??= 'TCP';
    // An unset (or zero) targetPort follows the port.
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'ClusterIP' || spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  if (spec.sessionAffinity === 'ClientIP') {
    spec.sessionAffinityConfig ??= {};
    spec.sessionAffinityConfig.clientIP ??= {};
    spec.sessionAffinityConfig.clientIP.timeoutSeconds ??= 10800;
  }
  svc.status ??= { loadBalancer: {} };
}

/** Finalizer `kubernetes`, phase Active and the kubernetes.io/metadata.name label. */
export function defaultNamespace(ns: KubeObject): void {
  ns.metadata ??= {};
  if (typeof ns.metadata.name === 'string' && ns.metadata.name !== '') {
    ns.metadata.labels ??= {};
    ns.metadata.labels['kubernetes.io/metadata.name'] = ns.metadata.name;
  }
  // The 'kubernetes' finalizer and the Active phase are set by the create strategy, not by
  // defaulting: defaulting also runs on /finalize, which must be able to remove the finalizer.
  ns.status ??= {};
  ns.status.phase ??= 'Active';
}

export function defaultSecret(secret: KubeObject): void {
  secret.type ??= 'Opaque';
}

export function defaultPersistentVolumeClaim(pvc: KubeObject): void {
  pvc.spec ??= {};
  pvc.spec.volumeMode ??= 'Filesystem';
  pvc.status ??= {};
  pvc.status.phase ??= 'Pending';
}

export function defaultPersistentVolume(pv: KubeObject): void {
  pv.spec ??= {};
  pv.spec.persistentVolumeReclaimPolicy ??= 'Retain';
  pv.spec.volumeMode ??= 'Filesystem';
  if (isObject(pv.spec.hostPath)) pv.spec.hostPath.type ??= '';
  pv.status ??= {};
  pv.status.phase ??= 'Pending';
}

export function defaultNode(node: KubeObject): void {
  const status = node.status;
  if (isObject(status) && isObject(status.capacity) && status.allocatable === undefined) status.allocatable = { ...status.capacity };
}

export function defaultEndpoints(ep: KubeObject): void {
  for (const subset of ep.subsets ?? []) {
    for (const port of subset?.ports ?? []) if (isObject(port)) port.protocol ??= 'TCP';
  }
}

export function defaultLimitRange(lr: KubeObject): void {
  for (const item of lr.spec?.limits ?? []) {
    if (!isObject(item) || item.type !== 'Container') continue;
    // A max without a default makes the max the default; a default without a request makes it the request.
    if (isObject(item.max)) {
      item.default ??= {};
      for (const [k, v] of Object.entries(item.max)) item.default[k] ??= v;
    }
    if (isObject(item.default)) {
      item.defaultRequest ??= {};
      for (const [k, v] of Object.entries(item.default)) item.defaultRequest[k] ??= v;
    }
    if (isObject(item.min)) {
      item.defaultRequest ??= {};
      for (const [k, v] of Object.entries(item.min)) item.defaultRequest[k] ??= v;
    }
  }
}
