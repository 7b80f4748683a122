// ServiceAccount admission (upstream plugin/pkg/admission/serviceaccount): a new pod runs as a
// service account — `default` unless it names one — that must exist; unless the pod or the
// account opts out (automountServiceAccountToken: false) it gets the projected
// `kube-api-access-<suffix>` volume (a bound token, the cluster CA and the namespace) mounted
// read-only at /var/run/secrets/kubernetes.io/serviceaccount in every container without a mount
// there; and it inherits the account's imagePullSecrets when it has none. Mirror pods may
// reference neither service accounts nor secrets.
import type { Admission, ApiContext } from '../rest/context.ts';
import type { KubeObject } from '../../api/registry/resource.ts';
import { errors, StatusError } from '../../api/status.ts';
import { objectKey } from '../watchcache/keys.ts';
import { decodeObject } from '../watchcache/watch-cache.ts';
import { nameSuffix } from '../rest/object-meta.ts';
import { WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS } from '../serviceaccount/index.ts';

export const DEFAULT_SERVICE_ACCOUNT = 'default';
export const SERVICE_ACCOUNT_VOLUME_PREFIX = 'kube-api-access-';
export const DEFAULT_API_TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const PROJECTED_DEFAULT_MODE = 0o644;
/** The `default` account is made by a controller just after its namespace: look for it this many times. */
const DEFAULT_ACCOUNT_ATTEMPTS = 10;

/** The projected source of the kube-api-access volume, exactly as upstream writes it. */
export function tokenVolumeSource(): KubeObject {
  return {
    sources: [
      { serviceAccountToken: { expirationSeconds: WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
    defaultMode: PROJECTED_DEFAULT_MODE,
  };
}

export interface ServiceAccountAdmissionOptions {
  /** Pause between direct lookups of a missing account (default: one random 100–200 ms, as upstream). */
  retryIntervalMs?: () => number;
}

class LookupError extends Error {}

async function getServiceAccount(ctx: ApiContext, ns: string, name: string, intervalMs: () => number): Promise<KubeObject> {
  const key = objectKey('', 'serviceaccounts', ns, name);
  const cached = ctx.cache.get(key)?.obj;
  if (cached) return cached;
  const attempts = name === DEFAULT_SERVICE_ACCOUNT ? DEFAULT_ACCOUNT_ATTEMPTS : 1;
  const pause = intervalMs();
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, pause));
    const kv = await ctx.store.get(key);
    if (kv) return decodeObject(kv);
  }
  throw new LookupError(`serviceaccount "${name}" not found`);
}

function shouldAutomount(sa: KubeObject, pod: KubeObject): boolean {
  if (typeof pod.spec?.automountServiceAccountToken === 'boolean') return pod.spec.automountServiceAccountToken;
  if (typeof sa.automountServiceAccountToken === 'boolean') return sa.automountServiceAccountToken;
  return true;
}

const containersOf = (spec: KubeObject): KubeObject[] => [...(spec.initContainers ?? []), ...(spec.containers ?? [])];

function mountToken(spec: KubeObject): void {
  const volumes: KubeObject[] = spec.volumes ?? [];
  const existing = volumes.find((v) => typeof v?.name === 'string' && v.name.startsWith(SERVICE_ACCOUNT_VOLUME_PREFIX));
  const volumeName: string = existing?.name ?? `${SERVICE_ACCOUNT_VOLUME_PREFIX}${nameSuffix()}`;
  let needed = false;
  // Init containers first, then containers, as upstream; ephemeral containers are added later and not touched.
  for (const c of containersOf(spec)) {
    const mounts: KubeObject[] = c.volumeMounts ?? [];
    if (mounts.some((m) => m?.mountPath === DEFAULT_API_TOKEN_MOUNT_PATH)) continue;
    c.volumeMounts = [...mounts, { name: volumeName, readOnly: true, mountPath: DEFAULT_API_TOKEN_MOUNT_PATH }];
    needed = true;
  }
  if (!existing && needed) spec.volumes = [...volumes, { name: volumeName, projected: tokenVolumeSource() }];
}

/** Whether the pod names any secret (upstream's VisitPodSecretNames, for the mirror-pod rule). */
function referencesSecrets(spec: KubeObject): boolean {
  if ((spec.imagePullSecrets ?? []).length) return true;
  for (const v of spec.volumes ?? []) {
    if (v?.secret || v?.azureFile?.secretName) return true;
    for (const kind of ['cephfs', 'cinder', 'flexVolume', 'rbd', 'scaleIO', 'iscsi', 'storageos']) if (v?.[kind]?.secretRef) return true;
    if (v?.csi?.nodePublishSecretRef) return true;
    if ((v?.projected?.sources ?? []).some((s: KubeObject) => s?.secret)) return true;
  }
  for (const c of [...containersOf(spec), ...(spec.ephemeralContainers ?? [])]) {
    if ((c.envFrom ?? []).some((e: KubeObject) => e?.secretRef)) return true;
    if ((c.env ?? []).some((e: KubeObject) => e?.valueFrom?.secretKeyRef)) return true;
  }
  return false;
}

function checkMirrorPod(pod: KubeObject): void {
  const spec: KubeObject = pod.spec ?? {};
  const forbid = (why: string) => errors.forbidden('', 'pods', pod.metadata?.name ?? '', why);
  if (spec.serviceAccountName) throw forbid('a mirror pod may not reference service accounts');
  if (referencesSecrets(spec)) throw forbid('a mirror pod may not reference secrets');
  for (const v of spec.volumes ?? []) {
    if ((v?.projected?.sources ?? []).some((s: KubeObject) => s?.serviceAccountToken)) throw forbid('a mirror pod may not use ServiceAccountToken volume projections');
  }
}

export function newServiceAccountAdmission(opts: ServiceAccountAdmissionOptions = {}): Admission {
  const intervalMs = opts.retryIntervalMs ?? (() => 100 + Math.floor(Math.random() * 100));
  return {
    name: 'ServiceAccount',
    async admit(op, desc, obj, _old, ctx, attrs) {
      if (op !== 'CREATE' || desc.group !== '' || desc.plural !== 'pods' || attrs?.subresource) return;
      if (obj.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) { checkMirrorPod(obj); return; }
      const spec: KubeObject = (obj.spec ??= {});
      // spec.serviceAccount is the deprecated alias; the name wins when both are given.
      const name: string = spec.serviceAccountName || spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
      spec.serviceAccountName = name;
      spec.serviceAccount = name;
      const ns: string = obj.metadata?.namespace ?? '';
      let sa: KubeObject;
      try {
        sa = await getServiceAccount(ctx, ns, name, intervalMs);
      } catch (e) {
        const why = e instanceof LookupError || e instanceof StatusError ? e.message : String((e as Error)?.message ?? e);
        throw errors.forbidden('', 'pods', obj.metadata?.name ?? '', `error looking up service account ${ns}/${name}: ${why}`);
      }
      if (shouldAutomount(sa, obj)) mountToken(spec);
      if (!(spec.imagePullSecrets ?? []).length && (sa.imagePullSecrets ?? []).length) {
        spec.imagePullSecrets = sa.imagePullSecrets.map((s: KubeObject) => ({ name: s.name }));
      }
    },
  };
}

export const serviceAccountAdmission = newServiceAccountAdmission();
