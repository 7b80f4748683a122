// The local-path provisioner as k3s ships it (rancher/local-path-provisioner over
// sig-storage-lib-external-provisioner): a default StorageClass `local-path`; for each claim of
// it that the PV binder handed to rancher.io/local-path and whose consumer's node is chosen
// (volume.kubernetes.io/selected-node), a hostPath PersistentVolume on that node, pre-bound to
// the claim; Released volumes of Delete policy are removed, with their directory when local.
// Directories are made by the node agent from the volume's hostPath (DirectoryOrCreate); this
// controller makes or removes them itself only for its own node.
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import type { KubeObject, ResourceRef } from '../../client/api-client.ts';
import { keyOf, type Informer } from '../../client/informer.ts';
import { ApiEventRecorder, type EventRecorder } from '../../client/event-recorder.ts';
import { isAlreadyExists, isNotFound } from '../../api/status.ts';

const PVS: ResourceRef = { group: '', version: 'v1', plural: 'persistentvolumes', namespaced: false };
const PVCS: ResourceRef = { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
export const STORAGE_CLASSES: ResourceRef = { group: 'storage.k8s.io', version: 'v1', plural: 'storageclasses', namespaced: false };

export const PROVISIONER_NAME = 'rancher.io/local-path';
export const STORAGE_CLASS_NAME = 'local-path';
export const DEFAULT_BASE_DIR = '/var/lib/navarch/storage';
export const NODE_AFFINITY_KEY = 'kubernetes.io/hostname';
const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
const ANN_NODE = 'local.path.provisioner/selected-node';
const CLASS_KEY = 'storageclass';

export interface LocalPathOptions {
  /** Where volumes live on a node (k3s: /var/lib/rancher/k3s/storage). */
  baseDir?: string;
  /** The Node this process runs on: its volumes' directories are made and removed here. */
  localNode?: string;
  /** Create the `local-path` StorageClass at start when it is missing (default true). */
  createStorageClass?: boolean;
}

/** The default StorageClass k3s installs. */
export function localPathStorageClass(): KubeObject {
  return {
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
    metadata: { name: STORAGE_CLASS_NAME, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: PROVISIONER_NAME, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer',
  };
}

const claimClass = (c: KubeObject): string => c.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] ?? c.spec?.storageClassName ?? '';

export class LocalPathProvisioner implements Controller {
  readonly name = 'local-path-provisioner';
  readonly #baseDir: string;
  readonly #localNode: string | undefined;
  readonly #createClass: boolean;
  /** The provisioner's identity as event source, like the original's `<name>_<host>_<uuid>`. */
  readonly #identity = `${PROVISIONER_NAME}_${hostname()}_${randomUUID()}`;
  #ctx!: ControllerContext;
  #recorder!: EventRecorder;
  #claims!: Informer;
  #volumes!: Informer;
  #classes!: Informer;
  #nodes!: Informer;

  constructor(opts: LocalPathOptions = {}) {
    this.#baseDir = opts.baseDir ?? DEFAULT_BASE_DIR;
    this.#localNode = opts.localNode;
    this.#createClass = opts.createStorageClass ?? true;
  }

  setup(ctx: ControllerContext, enqueue: (key: string) => void): void {
    this.#ctx = ctx;
    this.#recorder = new ApiEventRecorder(ctx.client, this.#identity, ctx.log);
    this.#claims = ctx.informers.informerFor(PVCS);
    this.#volumes = ctx.informers.informerFor(PVS);
    this.#classes = ctx.informers.informerFor(STORAGE_CLASSES);
    this.#nodes = ctx.informers.informerFor(NODES);
    this.#claims.addHandler({ add: (c) => enqueue(`claim:${keyOf(c)}`), update: (_o, c) => enqueue(`claim:${keyOf(c)}`) });
    this.#volumes.addHandler({ add: (v) => enqueue(`volume:${v.metadata.name}`), update: (_o, v) => enqueue(`volume:${v.metadata.name}`) });
    if (this.#createClass) enqueue(CLASS_KEY);
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    if (key === CLASS_KEY) return this.#ensureStorageClass();
    if (key.startsWith('claim:')) {
      const claim = this.#claims.get(key.slice(6));
      if (claim) await this.#provision(claim);
      return;
    }
    if (key.startsWith('volume:')) {
      const volume = this.#volumes.get(key.slice(7));
      if (volume) await this.#delete(volume);
    }
  }

  async #ensureStorageClass(): Promise<void> {
    if (this.#classes.get(STORAGE_CLASS_NAME)) return;
    await this.#ctx.client.create(STORAGE_CLASSES, undefined, localPathStorageClass()).catch((e) => { if (!isAlreadyExists(e)) throw e; });
  }

  /** The claim is ours to provision now (sig-storage-lib's shouldProvision). */
  #ours(claim: KubeObject): KubeObject | undefined {
    if (claim.spec?.volumeName || claim.metadata.deletionTimestamp) return undefined;
    const ann = claim.metadata.annotations ?? {};
    if ((ann[ANN_STORAGE_PROVISIONER] ?? ann[ANN_BETA_STORAGE_PROVISIONER]) !== PROVISIONER_NAME) return undefined;
    const cls = this.#classes.get(claimClass(claim));
    if (!cls || cls.provisioner !== PROVISIONER_NAME) return undefined;
    if (cls.volumeBindingMode === 'WaitForFirstConsumer' && !ann[ANN_SELECTED_NODE]) return undefined;
    return cls;
  }

  async #provision(claim: KubeObject): Promise<void> {
    const cls = this.#ours(claim);
    if (!cls) return;
    const pvName = `pvc-${claim.metadata.uid}`;
    if (this.#volumes.get(pvName)) return;
    const claimKey = keyOf(claim);
    this.#recorder.event(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${claimKey}"`);
    const fail = (message: string) => {
      this.#recorder.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${cls.metadata.name}": ${message}`);
      return new Error(message);
    };
    if (claim.spec?.selector) throw fail('claim.Spec.Selector is not supported');
    for (const m of claim.spec?.accessModes ?? []) {
      if (m !== 'ReadWriteOnce' && m !== 'ReadWriteOncePod') throw fail('NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes');
    }
    const nodeName: string = claim.metadata.annotations?.[ANN_SELECTED_NODE] ?? '';
    if (!nodeName) throw fail('configuration error, no node was specified');
    const node = this.#nodes.get(nodeName);
    if (!node) throw fail(`failed to get target node: nodes "${nodeName}" not found`);
    const requested = claim.spec?.resources?.requests?.storage;
    if (requested === undefined) throw fail('claim has no storage request');

    const basePath = cls.parameters?.nodePath ?? this.#baseDir;
    const path = join(basePath, [pvName, claim.metadata.namespace, claim.metadata.name].join('_'));
    const affinityKey = cls.parameters?.nodeAffinityKey || NODE_AFFINITY_KEY;
    const volume: KubeObject = {
      apiVersion: 'v1', kind: 'PersistentVolume',
      metadata: { name: pvName, annotations: { [ANN_NODE]: nodeName, [ANN_PROVISIONED_BY]: PROVISIONER_NAME } },
      spec: {
        accessModes: claim.spec.accessModes,
        capacity: { storage: requested },
        claimRef: {
          kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid,
          apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion,
        },
        hostPath: { path, type: 'DirectoryOrCreate' },
        ...(cls.mountOptions ? { mountOptions: cls.mountOptions } : {}),
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: affinityKey, operator: 'In', values: [node.metadata.labels?.[affinityKey] ?? nodeName] }] }] } },
        persistentVolumeReclaimPolicy: cls.reclaimPolicy ?? 'Delete',
        storageClassName: cls.metadata.name,
        volumeMode: 'Filesystem',
      },
    };
    if (nodeName === this.#localNode) await mkdir(path, { recursive: true, mode: 0o777 }).catch((e) => { throw fail(`failed to create volume directory ${path}: ${(e as Error).message}`); });
    try {
      await this.#ctx.client.create(PVS, undefined, volume);
    } catch (e) {
      if (isAlreadyExists(e)) return;
      throw fail((e as Error).message);
    }
    this.#recorder.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`);
  }

  /** Released volumes of ours with policy Delete: remove the data (when local) and the object. */
  async #delete(volume: KubeObject): Promise<void> {
    if (volume.metadata.annotations?.[ANN_PROVISIONED_BY] !== PROVISIONER_NAME) return;
    if (volume.status?.phase !== 'Released' || volume.spec?.persistentVolumeReclaimPolicy !== 'Delete' || volume.metadata.deletionTimestamp) return;
    const path: string | undefined = volume.spec?.hostPath?.path ?? volume.spec?.local?.path;
    const node = volume.metadata.annotations?.[ANN_NODE];
    if (path && node !== undefined && node === this.#localNode) {
      const base = resolve(this.#baseDir) + sep;
      // Only ever a directory this provisioner could have made.
      if (resolve(path).startsWith(base)) {
        try {
          await rm(path, { recursive: true, force: true });
        } catch (e) {
          this.#recorder.event(volume, 'Warning', 'VolumeFailedDelete', `failed to delete volume ${volume.metadata.name}: ${(e as Error).message}`);
          throw e;
        }
      }
    }
    await this.#ctx.client.delete(PVS, undefined, volume.metadata.name, { preconditions: { uid: volume.metadata.uid } }).catch((e) => { if (!isNotFound(e)) throw e; });
  }
}
