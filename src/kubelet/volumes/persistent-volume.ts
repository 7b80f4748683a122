// persistentVolumeClaim (and generic ephemeral) volumes: claim → bound PersistentVolume → the
// node directory it names (spec.local.path or spec.hostPath.path, what the local-path
// provisioner creates). Errors are worded as the kubelet's volume populator words them.
import { chmod, mkdir, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { ApiClient, KubeObject, ResourceRef } from '../../client/api-client.ts';
import { checkHostPathType } from './host-path.ts';

const PVCS: ResourceRef = { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true };
const PVS: ResourceRef = { group: '', version: 'v1', plural: 'persistentvolumes', namespaced: false };

export interface ResolvedClaim {
  /** The PersistentVolume's name: the "volume" of the kubelet's events for this mount. */
  pvName: string;
  path: string;
  readOnly: boolean;
  /** The volume plugin manages ownership (fsGroup): local volumes do, hostPath ones do not (as upstream). */
  ownership?: boolean;
}

/** An error whose event text is not the usual `MountVolume.SetUp failed ...`. */
export class VolumeEventError extends Error {
  readonly eventMessage: string;
  constructor(message: string, eventMessage: string) {
    super(message);
    this.eventMessage = eventMessage;
  }
}

/** The claim a pod volume refers to: its own for persistentVolumeClaim, `<pod>-<volume>` for ephemeral. */
export function claimOf(pod: KubeObject, volume: KubeObject): { name: string; readOnly: boolean; ephemeral: boolean } | undefined {
  if (volume.persistentVolumeClaim) return { name: volume.persistentVolumeClaim.claimName ?? '', readOnly: volume.persistentVolumeClaim.readOnly === true, ephemeral: false };
  if (volume.ephemeral) return { name: `${pod.metadata.name}-${volume.name}`, readOnly: volume.ephemeral.readOnly === true, ephemeral: true };
  return undefined;
}

export interface ResolveOptions {
  /** The local-path provisioner's base directory: its missing directories are made 0777. */
  localPathRoot?: string;
  /** The volume was set up before (a claim being deleted still serves a running pod). */
  alreadySetUp: boolean;
}

export async function resolveClaim(client: ApiClient, pod: KubeObject, volume: KubeObject, opts: ResolveOptions): Promise<ResolvedClaim> {
  const claim = claimOf(pod, volume)!;
  const ns: string = pod.metadata.namespace;
  const fail = (why: string) => new Error(`error processing PVC ${ns}/${claim.name}: ${why}`);
  let pvc: KubeObject;
  try {
    pvc = await client.get(PVCS, ns, claim.name);
  } catch (e) {
    throw fail(`failed to fetch PVC from API server: ${(e as Error).message}`);
  }
  if (claim.ephemeral && !(pvc.metadata.ownerReferences ?? []).some((r: KubeObject) => r.uid === pod.metadata.uid && r.controller === true)) {
    throw fail(`PVC ${ns}/${claim.name} was not created for pod ${ns}/${pod.metadata.name} (pod is not owner)`);
  }
  if (pvc.metadata.deletionTimestamp && !opts.alreadySetUp) throw fail('PVC is being deleted');
  if (pvc.status?.phase !== 'Bound' || !pvc.spec?.volumeName) throw fail('PVC is not bound');
  const pvName: string = pvc.spec.volumeName;
  let pv: KubeObject;
  try {
    pv = await client.get(PVS, undefined, pvName);
  } catch (e) {
    throw fail(`failed to fetch PV ${pvName} from API server: ${(e as Error).message}`);
  }
  if (!pv.spec?.claimRef) throw fail(`found PV object ${pvName} but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim`);
  if (pv.spec.claimRef.uid !== pvc.metadata.uid) {
    throw fail(`found PV object ${pvName} but its pv.Spec.ClaimRef.UID ${pv.spec.claimRef.uid} does not point to claim.UID ${pvc.metadata.uid}`);
  }
  const readOnly = claim.readOnly;
  if (pv.spec.local?.path) {
    const path: string = pv.spec.local.path;
    const st = await stat(path).catch(() => undefined);
    if (!st) {
      const why = `path "${path}" does not exist`;
      throw new VolumeEventError(why, `MountVolume.NewMounter initialization failed for volume "${pvName}" : ${why}`);
    }
    return { pvName, path, readOnly, ownership: true };
  }
  if (pv.spec.hostPath?.path) {
    const path: string = pv.spec.hostPath.path;
    const root = opts.localPathRoot ? resolve(opts.localPathRoot) + sep : undefined;
    // The local-path provisioner's helper makes its directories world-writable.
    if (root && resolve(path).startsWith(root) && !(await stat(path).catch(() => undefined))) {
      await mkdir(path, { recursive: true, mode: 0o777 });
      await chmod(path, 0o777);
    }
    await checkHostPathType(path, pv.spec.hostPath.type);
    return { pvName, path, readOnly };
  }
  throw new Error(`no volume plugin matched`);
}
