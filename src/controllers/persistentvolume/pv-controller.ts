// The PersistentVolume binder (upstream pkg/controller/volume/persistentvolume, pv_controller.go):
// binds claims to volumes (Pending → Bound; Available → Bound), honours pre-binding from either
// side, waits for the first consumer's node under WaitForFirstConsumer, hands dynamic
// provisioning to external provisioners through the storage-provisioner annotations, marks
// claims Lost when their volume goes, and releases volumes whose claim went (Released, then
// the reclaim policy: Retain keeps, Delete is done by the volume's provisioner).
// Keys: "claim:<namespace>/<name>" and "volume:<name>". Runs with one worker: binding two
// claims at once could give both the same volume (the API's conflicts would catch it, slower).
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import type { KubeObject, ResourceRef } from '../../client/api-client.ts';
import { keyOf, type Informer } from '../../client/informer.ts';
import { ApiEventRecorder, type EventRecorder } from '../../client/event-recorder.ts';
import { isNotFound } from '../../api/status.ts';
import {
  ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE, ANN_DYNAMICALLY_PROVISIONED, ANN_STORAGE_PROVISIONER,
  ANN_BETA_STORAGE_PROVISIONER, claimClass, claimHasClass, defaultClass, findBestMatch, isVolumeBoundToClaim, volumeMismatch,
  volumeModeMismatch,
} from './volume-matching.ts';

export const PVS: ResourceRef = { group: '', version: 'v1', plural: 'persistentvolumes', namespaced: false };
export const PVCS: ResourceRef = { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true };
const CLASSES: ResourceRef = { group: 'storage.k8s.io', version: 'v1', plural: 'storageclasses', namespaced: false };
const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };

/** Upstream re-syncs every claim and volume this often; unfinished ones are rechecked as often. */
export const RESYNC_MS = 15_000;

const isPodTerminated = (p: KubeObject) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const claimNamesOf = (pod: KubeObject): string[] =>
  (pod.spec?.volumes ?? []).map((v: KubeObject) => v.persistentVolumeClaim?.claimName).filter((n: unknown): n is string => typeof n === 'string');

export class PersistentVolumeController implements Controller {
  readonly name = 'persistentvolume-binder';
  #ctx!: ControllerContext;
  #recorder!: EventRecorder;
  #volumes!: Informer;
  #claims!: Informer;
  #classes!: Informer;
  #nodes!: Informer;
  /** Our own writes, newer than the informers until they catch up. */
  readonly #written = new Map<string, KubeObject>();
  /** Pods by the claims they use ("ns/claim" → pod keys). */
  readonly #podsByClaim = new Map<string, Map<string, KubeObject>>();

  setup(ctx: ControllerContext, enqueue: (key: string) => void): void {
    this.#ctx = ctx;
    this.#recorder = new ApiEventRecorder(ctx.client, 'persistentvolume-controller', ctx.log);
    this.#volumes = ctx.informers.informerFor(PVS);
    this.#claims = ctx.informers.informerFor(PVCS);
    this.#classes = ctx.informers.informerFor(CLASSES);
    this.#nodes = ctx.informers.informerFor(NODES);
    const pods = ctx.informers.informerFor(PODS);

    this.#claims.addHandler({
      add: (c) => enqueue(`claim:${keyOf(c)}`),
      update: (_o, c) => enqueue(`claim:${keyOf(c)}`),
      delete: (c) => {
        this.#written.delete(`claim:${keyOf(c)}`);
        // The claim's volume is released now rather than at the next resync.
        if (c.spec?.volumeName) enqueue(`volume:${c.spec.volumeName}`);
      },
    });
    this.#volumes.addHandler({
      add: (v) => enqueue(`volume:${v.metadata.name}`),
      update: (_o, v) => enqueue(`volume:${v.metadata.name}`),
      delete: (v) => {
        this.#written.delete(`volume:${v.metadata.name}`);
        const ref = v.spec?.claimRef;
        if (ref?.namespace && ref.name) enqueue(`claim:${ref.namespace}/${ref.name}`);
      },
    });
    const indexPod = (p: KubeObject, present: boolean) => {
      for (const claim of claimNamesOf(p)) {
        const k = `${p.metadata.namespace}/${claim}`;
        let m = this.#podsByClaim.get(k);
        if (present) {
          if (!m) this.#podsByClaim.set(k, (m = new Map()));
          m.set(keyOf(p), p);
        } else if (m) {
          m.delete(keyOf(p));
          if (!m.size) this.#podsByClaim.delete(k);
        }
      }
    };
    pods.addHandler({ add: (p) => indexPod(p, true), update: (o, p) => { indexPod(o, false); indexPod(p, true); }, delete: (p) => indexPod(p, false) });
  }

  /** The newest copy we know of: the informer's, or our own write if the informer lags. */
  #latest(informer: Informer, key: string, cacheKey: string): KubeObject | undefined {
    const cached = informer.get(cacheKey);
    const mine = this.#written.get(key);
    if (!mine) return cached;
    if (!cached || Number(cached.metadata.resourceVersion) >= Number(mine.metadata.resourceVersion)) {
      this.#written.delete(key);
      return cached;
    }
    return mine;
  }
  #claim(nsName: string) { return this.#latest(this.#claims, `claim:${nsName}`, nsName); }
  #volume(name: string) { return this.#latest(this.#volumes, `volume:${name}`, name); }
  #remember(kind: 'claim' | 'volume', obj: KubeObject): KubeObject {
    this.#written.set(kind === 'claim' ? `claim:${keyOf(obj)}` : `volume:${obj.metadata.name}`, obj);
    return obj;
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    if (key.startsWith('claim:')) {
      const claim = this.#claim(key.slice(6));
      if (!claim) return;
      return claim.metadata.annotations?.[ANN_BIND_COMPLETED] === undefined ? this.#syncUnboundClaim(claim) : this.#syncBoundClaim(claim);
    }
    if (key.startsWith('volume:')) {
      const volume = this.#volume(key.slice(7));
      if (volume) return this.#syncVolume(volume);
    }
  }

  // ---- claims ----

  async #syncUnboundClaim(claim: KubeObject): Promise<ReconcileResult | void> {
    if (!claim.spec?.volumeName) {
      const cls = claimClass(claim) ? this.#classes.get(claimClass(claim)) : undefined;
      const delayBinding = cls?.volumeBindingMode === 'WaitForFirstConsumer';
      const selectedNode: string | undefined = claim.metadata.annotations?.[ANN_SELECTED_NODE];
      // The scheduler's part of delayed binding: once a consumer has a node, static volumes that node can reach qualify.
      const node = delayBinding && selectedNode ? this.#nodes.get(selectedNode) : undefined;
      const volume = findBestMatch(claim, this.#volumes.list().map((v) => this.#volume(v.metadata.name) ?? v), delayBinding, node);
      if (volume) { await this.#bind(volume, claim); return; }
      if (await this.#assignDefaultClass(claim)) return;
      if (delayBinding && !selectedNode) this.#eventForUnboundDelayBindingClaim(claim);
      else if (claimClass(claim) !== '') { await this.#provision(claim); return { requeueAfterMs: RESYNC_MS }; }
      else this.#recorder.event(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      await this.#updateClaimStatus(claim, 'Pending', undefined);
      return { requeueAfterMs: RESYNC_MS };
    }
    const volume = this.#volume(claim.spec.volumeName);
    if (!volume) {
      // Asked for a volume that does not exist (yet): wait for it.
      await this.#updateClaimStatus(claim, 'Pending', undefined);
      return { requeueAfterMs: RESYNC_MS };
    }
    if (!volume.spec?.claimRef) {
      const why = volumeMismatch(volume, claim);
      if (why) {
        this.#recorder.event(claim, 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${volume.metadata.name}": ${why}`);
        await this.#updateClaimStatus(claim, 'Pending', undefined);
        return { requeueAfterMs: RESYNC_MS };
      }
      await this.#bind(volume, claim);
      return;
    }
    if (isVolumeBoundToClaim(volume, claim)) { await this.#bind(volume, claim); return; }
    this.#recorder.event(claim, 'Warning', 'FailedBinding', `volume "${volume.metadata.name}" already bound to a different claim.`);
    if (claim.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined) {
      await this.#updateClaimStatus(claim, 'Pending', undefined);
      return { requeueAfterMs: RESYNC_MS };
    }
    const ref = volume.spec.claimRef;
    throw new Error(`invalid binding of claim "${keyOf(claim)}" to volume "${claim.spec.volumeName}": volume already claimed by "${ref.namespace}/${ref.name}"`);
  }

  async #syncBoundClaim(claim: KubeObject): Promise<ReconcileResult | void> {
    if (!claim.spec?.volumeName) {
      await this.#claimLost(claim, 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
      return;
    }
    const volume = this.#volume(claim.spec.volumeName);
    if (!volume) {
      await this.#claimLost(claim, 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
      return;
    }
    if (!volume.spec?.claimRef || volume.spec.claimRef.uid === claim.metadata.uid) { await this.#bind(volume, claim); return; }
    await this.#claimLost(claim, 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
  }

  async #claimLost(claim: KubeObject, reason: string, message: string): Promise<void> {
    if (claim.status?.phase === 'Lost') return;
    const updated = await this.#updateClaimStatus(claim, 'Lost', undefined);
    this.#recorder.event(updated, 'Warning', reason, message);
  }

  /** Upstream's retroactive default class: an unbound claim with no class at all gets today's default. */
  async #assignDefaultClass(claim: KubeObject): Promise<boolean> {
    if (claimHasClass(claim)) return false;
    const def = defaultClass(this.#classes.list());
    if (!def) return false;
    const copy = structuredClone(claim) as KubeObject;
    copy.spec.storageClassName = def.metadata.name;
    this.#remember('claim', await this.#ctx.client.update(PVCS, claim.metadata.namespace, copy));
    return true;
  }

  #eventForUnboundDelayBindingClaim(claim: KubeObject): void {
    const waiting = [...(this.#podsByClaim.get(keyOf(claim))?.values() ?? [])]
      .filter((p) => !isPodTerminated(p) && !p.spec?.nodeName).map((p) => p.metadata.name as string);
    if (!waiting.length) this.#recorder.event(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
    else if (waiting.length === 1) this.#recorder.event(claim, 'Normal', 'WaitForPodScheduled', `waiting for pod ${waiting[0]} to be scheduled`);
    else this.#recorder.event(claim, 'Normal', 'WaitForPodScheduled', `waiting for pods ${waiting.join(',')} to be scheduled`);
  }

  /** Dynamic provisioning is external here: name the provisioner on the claim and say so. */
  async #provision(claim: KubeObject): Promise<void> {
    const name = claimClass(claim);
    const cls = this.#classes.get(name);
    if (!cls) {
      this.#recorder.event(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${name}" not found`);
      return;
    }
    const provisioner: string = cls.provisioner;
    if (provisioner.startsWith('kubernetes.io/')) {
      // No in-tree volume plugins exist here (kubernetes.io/no-provisioner included).
      this.#recorder.event(claim, 'Warning', 'ProvisioningFailed', `no volume plugin matched name: ${provisioner}`);
      return;
    }
    const ann = claim.metadata.annotations ?? {};
    let current = claim;
    if (ann[ANN_STORAGE_PROVISIONER] !== provisioner || ann[ANN_BETA_STORAGE_PROVISIONER] !== provisioner) {
      const copy = structuredClone(claim) as KubeObject;
      copy.metadata.annotations = { ...ann, [ANN_BETA_STORAGE_PROVISIONER]: provisioner, [ANN_STORAGE_PROVISIONER]: provisioner };
      try {
        current = this.#remember('claim', await this.#ctx.client.update(PVCS, claim.metadata.namespace, copy));
      } catch (e) {
        this.#recorder.event(claim, 'Warning', 'ProvisioningFailed', `Error saving claim: ${(e as Error).message}`);
        throw e;
      }
    }
    this.#recorder.event(current, 'Normal', 'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. `
      + 'If volume creation is delayed, please verify that the provisioner is running and correctly registered.');
  }

  async #updateClaimStatus(claim: KubeObject, phase: string, volume: KubeObject | undefined): Promise<KubeObject> {
    const status: KubeObject = { ...(claim.status ?? {}) };
    let dirty = status.phase !== phase;
    status.phase = phase;
    if (!volume) {
      if (status.accessModes !== undefined) { delete status.accessModes; dirty = true; }
      if (status.capacity !== undefined) { delete status.capacity; dirty = true; }
    } else {
      if (JSON.stringify(status.accessModes ?? null) !== JSON.stringify(volume.spec.accessModes ?? null)) { status.accessModes = volume.spec.accessModes; dirty = true; }
      // Capacity is taken when the claim becomes Bound, not later: a resize may differ on purpose.
      if (claim.status?.phase !== phase && volume.spec.capacity?.storage !== undefined && status.capacity?.storage !== volume.spec.capacity.storage) {
        status.capacity = { ...volume.spec.capacity };
        dirty = true;
      }
    }
    if (!dirty) return claim;
    return this.#remember('claim', await this.#ctx.client.update(PVCS, claim.metadata.namespace, { ...claim, status }, 'status'));
  }

  // ---- binding ----

  /** Volume first (claimRef, then phase Bound), then the claim (volumeName + annotations, then phase Bound). */
  async #bind(volume: KubeObject, claim: KubeObject): Promise<void> {
    const client = this.#ctx.client;
    const ref = volume.spec?.claimRef;
    if (!ref || ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace || ref.uid !== claim.metadata.uid) {
      const copy = structuredClone(volume) as KubeObject;
      copy.spec.claimRef = {
        kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid,
        apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion,
      };
      if (!isVolumeBoundToClaim(volume, claim)) copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [ANN_BOUND_BY_CONTROLLER]: 'yes' };
      volume = this.#remember('volume', await client.update(PVS, undefined, copy));
    }
    volume = await this.#updateVolumePhase(volume, 'Bound', '');

    if (claim.spec?.volumeName !== volume.metadata.name || claim.metadata.annotations?.[ANN_BIND_COMPLETED] === undefined) {
      const copy = structuredClone(claim) as KubeObject;
      const annotations: Record<string, string> = { ...(copy.metadata.annotations ?? {}) };
      if (copy.spec.volumeName !== volume.metadata.name) {
        copy.spec.volumeName = volume.metadata.name;
        annotations[ANN_BOUND_BY_CONTROLLER] ??= 'yes';
      }
      annotations[ANN_BIND_COMPLETED] ??= 'yes';
      copy.metadata.annotations = annotations;
      claim = this.#remember('claim', await client.update(PVCS, claim.metadata.namespace, copy));
    }
    await this.#updateClaimStatus(claim, 'Bound', volume);
  }

  async #updateVolumePhase(volume: KubeObject, phase: string, message: string): Promise<KubeObject> {
    if (volume.status?.phase === phase) return volume;
    const status: KubeObject = { ...(volume.status ?? {}), phase };
    if (message) status.message = message; else delete status.message;
    return this.#remember('volume', await this.#ctx.client.update(PVS, undefined, { ...volume, status }, 'status'));
  }

  async #volumeFailed(volume: KubeObject, reason: string, message: string): Promise<void> {
    if (volume.status?.phase === 'Failed') return;
    const updated = await this.#updateVolumePhase(volume, 'Failed', message);
    this.#recorder.event(updated, 'Warning', reason, message);
  }

  // ---- volumes ----

  async #syncVolume(volume: KubeObject): Promise<ReconcileResult | void> {
    const ref = volume.spec?.claimRef;
    if (!ref || !ref.uid) {
      // Unused, or reserved for a claim that has not bound yet (the claim's sync does that).
      await this.#updateVolumePhase(volume, 'Available', '');
      return;
    }
    let claim = this.#claim(`${ref.namespace}/${ref.name}`);
    if (!claim && volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') {
      // A claim made by a provisioner or binder may not have reached the cache yet: ask before releasing.
      claim = await this.#ctx.client.get(PVCS, ref.namespace, ref.name).catch((e) => { if (isNotFound(e)) return undefined; throw e; });
    }
    if (claim && claim.metadata.uid !== ref.uid) {
      claim = await this.#ctx.client.get(PVCS, ref.namespace, ref.name).catch((e) => { if (isNotFound(e)) return undefined; throw e; });
      if (claim && claim.metadata.uid !== ref.uid) claim = undefined;
    }
    if (!claim) {
      if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') volume = await this.#updateVolumePhase(volume, 'Released', '');
      return this.#reclaim(volume);
    }
    if (!claim.spec?.volumeName) {
      if (volumeModeMismatch(claim, volume)) {
        this.#recorder.event(volume, 'Warning', 'VolumeMismatch', `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${claim.metadata.name}" due to incompatible volumeMode.`);
        this.#recorder.event(claim, 'Warning', 'VolumeMismatch', `Cannot bind PersistentVolume "${volume.metadata.name}" to requested PersistentVolumeClaim due to incompatible volumeMode.`);
        return;
      }
      // Bound on this side only (e.g. just provisioned): the claim's sync finishes the binding.
      return this.#syncClaimNow(claim);
    }
    if (claim.spec.volumeName === volume.metadata.name) {
      await this.#updateVolumePhase(volume, 'Bound', '');
      return;
    }
    // The claim went to another volume.
    if (volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] !== undefined && volume.spec.persistentVolumeReclaimPolicy === 'Delete') {
      if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') volume = await this.#updateVolumePhase(volume, 'Released', '');
      return this.#reclaim(volume);
    }
    await this.#unbind(volume);
  }

  async #syncClaimNow(claim: KubeObject): Promise<ReconcileResult | void> {
    return claim.metadata.annotations?.[ANN_BIND_COMPLETED] === undefined ? this.#syncUnboundClaim(claim) : this.#syncBoundClaim(claim);
  }

  /** Undo a binding: one the controller made is removed, a user's pre-binding keeps its claim name. */
  async #unbind(volume: KubeObject): Promise<void> {
    const copy = structuredClone(volume) as KubeObject;
    if (volume.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined) {
      delete copy.spec.claimRef;
      delete copy.metadata.annotations[ANN_BOUND_BY_CONTROLLER];
      if (!Object.keys(copy.metadata.annotations).length) delete copy.metadata.annotations;
    } else copy.spec.claimRef.uid = '';
    const updated = this.#remember('volume', await this.#ctx.client.update(PVS, undefined, copy));
    await this.#updateVolumePhase(updated, 'Available', '');
  }

  async #reclaim(volume: KubeObject): Promise<ReconcileResult | void> {
    switch (volume.spec?.persistentVolumeReclaimPolicy) {
      case 'Retain':
        return;
      case 'Recycle':
        await this.#volumeFailed(volume, 'VolumeFailedRecycle', 'No recycler plugin found for the volume!');
        return { requeueAfterMs: RESYNC_MS };
      case 'Delete': {
        const by: string | undefined = volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED];
        // The provisioner that made it deletes it (external deleter); so do CSI drivers.
        if ((by && !by.startsWith('kubernetes.io/')) || volume.spec?.csi) return;
        await this.#volumeFailed(volume, 'VolumeFailedDelete', `error getting deleter volume plugin for volume "${volume.metadata.name}": no deletable volume plugin matched`);
        return { requeueAfterMs: RESYNC_MS };
      }
      default:
        await this.#volumeFailed(volume, 'VolumeUnknownReclaimPolicy', 'Volume has unrecognized PersistentVolumeReclaimPolicy');
    }
  }
}
