// Defaulting of pods and pod templates as the API server applies it on decode (upstream
// SetDefaults_Pod, _PodSpec, _Container, probes, volumes, env field refs…), mutating in place.
// Fields the Go serializer always writes (container `resources: {}`) are filled too, so objects
// read back the way a real cluster returns them.

export type KubeObject = Record<string, any>;

const isObject = (v: unknown): v is KubeObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * As upstream: the tag decides (an untagged, undigested image means `latest`); an empty or
 * unparsable image name gets IfNotPresent.
 */
export function defaultImagePullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image === '') return 'IfNotPresent';
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const lastSegment = named.slice(named.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const repository = colon >= 0 ? named.slice(0, named.length - (lastSegment.length - colon)) : named;
  // Reference names are lower case (a registry host aside); anything else fails to parse.
  const path = repository.includes('/') && /[.:]|^localhost$/.test(repository.split('/')[0]!) ? repository.slice(repository.indexOf('/') + 1) : repository;
  if (/[A-Z]/.test(path)) return 'IfNotPresent';
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : '';
  if (at >= 0) return tag === 'latest' ? 'Always' : 'IfNotPresent';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHandler(h: KubeObject | undefined): void {
  if (!isObject(h)) return;
  if (isObject(h.httpGet)) {
    h.httpGet.path ??= '/';
    h.httpGet.scheme ??= 'HTTP';
  }
  if (isObject(h.grpc)) h.grpc.service ??= '';
}

export function defaultProbe(p: KubeObject | undefined): void {
  if (!isObject(p)) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  defaultHandler(p);
}

function defaultFieldRef(ref: KubeObject | undefined): void {
  if (isObject(ref)) ref.apiVersion ??= 'v1';
}

export function defaultContainer(c: KubeObject, hostNetwork: boolean): void {
  if (c.imagePullPolicy === undefined || c.imagePullPolicy === '') c.imagePullPolicy = defaultImagePullPolicy(typeof c.image === 'string' ? c.image : '');
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  for (const port of c.ports ?? []) {
    if (!isObject(port)) continue;
    port.protocol ??= 'TCP';
    if (hostNetwork && port.hostPort === undefined && port.containerPort !== undefined) port.hostPort = port.containerPort;
  }
  for (const env of c.env ?? []) if (isObject(env) && isObject(env.valueFrom)) defaultFieldRef(env.valueFrom.fieldRef);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObject(c.lifecycle)) {
    defaultHandler(c.lifecycle.postStart);
    defaultHandler(c.lifecycle.preStop);
  }
  c.resources ??= {};
  // Requests missing for a limited resource take the limit's value.
  const limits = c.resources.limits;
  if (isObject(limits) && Object.keys(limits).length > 0) {
    c.resources.requests ??= {};
    for (const [name, q] of Object.entries(limits)) if (c.resources.requests[name] === undefined) c.resources.requests[name] = q;
  }
}

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi',
  'ephemeral', 'image',
];
const DEFAULT_MODE = 0o644;

export function defaultVolume(v: KubeObject): void {
  if (!VOLUME_SOURCES.some((s) => v[s] !== undefined && v[s] !== null)) v.emptyDir = {};
  if (isObject(v.secret)) v.secret.defaultMode ??= DEFAULT_MODE;
  if (isObject(v.configMap)) v.configMap.defaultMode ??= DEFAULT_MODE;
  if (isObject(v.downwardAPI)) {
    v.downwardAPI.defaultMode ??= DEFAULT_MODE;
    for (const item of v.downwardAPI.items ?? []) if (isObject(item)) defaultFieldRef(item.fieldRef);
  }
  if (isObject(v.hostPath)) v.hostPath.type ??= '';
  if (isObject(v.projected)) {
    v.projected.defaultMode ??= DEFAULT_MODE;
    for (const src of v.projected.sources ?? []) {
      if (!isObject(src)) continue;
      if (isObject(src.serviceAccountToken)) src.serviceAccountToken.expirationSeconds ??= 3600;
      if (isObject(src.downwardAPI)) for (const item of src.downwardAPI.items ?? []) if (isObject(item)) defaultFieldRef(item.fieldRef);
    }
  }
  if (isObject(v.iscsi)) v.iscsi.iscsiInterface ??= 'default';
  if (isObject(v.rbd)) {
    v.rbd.pool ??= 'rbd';
    v.rbd.user ??= 'admin';
    v.rbd.keyring ??= '/etc/ceph/keyring';
  }
  if (isObject(v.azureDisk)) {
    v.azureDisk.cachingMode ??= 'ReadWrite';
    v.azureDisk.fsType ??= 'ext4';
    v.azureDisk.readOnly ??= false;
    v.azureDisk.kind ??= 'Shared';
  }
  if (isObject(v.scaleIO)) {
    v.scaleIO.storageMode ??= 'ThinProvisioned';
    v.scaleIO.fsType ??= 'xfs';
  }
  if (isObject(v.ephemeral) && isObject(v.ephemeral.volumeClaimTemplate) && isObject(v.ephemeral.volumeClaimTemplate.spec)) {
    v.ephemeral.volumeClaimTemplate.spec.volumeMode ??= 'Filesystem';
  }
}

/**
 * SetDefaults_PodSpec and everything nested in it. Host-network host ports are defaulted for
 * pods only (templates keep them unset since DefaultHostNetworkHostPortsInPodTemplates went off).
 */
export function defaultPodSpec(spec: KubeObject, isPod = false): void {
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.restartPolicy ??= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ??= 'default-scheduler';
  const hostNetwork = isPod && spec.hostNetwork === true;
  for (const c of spec.containers ?? []) if (isObject(c)) defaultContainer(c, hostNetwork);
  for (const c of spec.initContainers ?? []) if (isObject(c)) defaultContainer(c, hostNetwork);
  for (const c of spec.ephemeralContainers ?? []) if (isObject(c)) defaultContainer(c, false);
  for (const v of spec.volumes ?? []) if (isObject(v)) defaultVolume(v);
}

/** A pod template (in workloads): Go writes `creationTimestamp: null` for its metadata. */
export function defaultPodTemplateSpec(template: KubeObject | undefined): void {
  if (!isObject(template)) return;
  template.metadata ??= {};
  if (isObject(template.metadata) && !('creationTimestamp' in template.metadata)) template.metadata.creationTimestamp = null;
  template.spec ??= {};
  defaultPodSpec(template.spec);
}

export function defaultPod(pod: KubeObject): void {
  pod.spec ??= {};
  defaultPodSpec(pod.spec, true);
  pod.spec.enableServiceLinks ??= true;
}

export function defaultPodTemplate(obj: KubeObject): void {
  defaultPodTemplateSpec((obj.template ??= {}));
}
