// The pod volume manager of the node agent: turns a pod's spec.volumes into directories under
// `<podsDir>/<uid>/volumes/<plugin>/<name>` (or host paths), keeps API-data volumes current, and
// tells the runtime which host path backs each container's volumeMount.
//
// Kinds: emptyDir (disk, or a tmpfs for medium Memory), configMap, secret, downwardAPI and
// projected (each on its own tmpfs, written by the atomic writer so nothing of a Secret ever
// reaches the node's disk), hostPath (with type checks), persistentVolumeClaim and ephemeral
// (the bound PV's local or hostPath directory).
import { chmod, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { mkdirSync, realpathSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { ApiClient, KubeObject, ResourceRef } from '../../client/api-client.ts';
import type { EventRecorder } from '../../client/event-recorder.ts';
import { createLogger, type Logger } from '../../base/log.ts';
import { Quantity } from '../../api/quantity/index.ts';
import { writeAtomically, type Payload } from './atomic-writer.ts';
import { containerResourceValue, podFieldValue, type NodeAllocatable } from './downward-api.ts';
import { checkHostPathType } from './host-path.ts';
import { isSeparateMount, mountTmpfs, mountsUnder, readMounts, unmount } from './host-mounts.ts';
import { applyOwnership, ownershipMatches } from './ownership.ts';
import { configMapPayload, DEFAULT_MODE, downwardApiPayload, projectedPayload, secretPayload, type Ownership, type PayloadSources } from './payloads.ts';
import { claimOf, resolveClaim, VolumeEventError } from './persistent-volume.ts';
import { ReferencedObjects, type ReferencedKind } from './referenced-objects.ts';
import { ServiceAccountTokens } from './service-account-tokens.ts';
import { expandReferences, expandSubPathExpr, prepareSubPath } from './sub-path.ts';
import { PLUGIN_DIRS, PodVolumesError, type ManagedVolumeKind, type Mount, type VolumeFailure, type VolumeManagerOptions } from './types.ts';

const NODES: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const ALLOCATABLE_TTL_MS = 60_000;
/** Kinds whose content comes from the API: always read-only in containers, always on tmpfs. */
const API_DATA_KINDS: readonly ManagedVolumeKind[] = ['configMap', 'secret', 'downwardAPI', 'projected'];

interface PodState {
  pod: KubeObject;
  /** Volumes set up at least once. */
  setUp: Set<string>;
  /** Resolved claims by pod volume name. */
  claims: Map<string, { path: string; readOnly: boolean }>;
  /**
   * The payload last written per volume name: a sync that computes the same one writes nothing
   * (every sync of a pod recomputes its API-data volumes; reading the files back to compare was
   * a dozen file operations per volume and sync).
   */
  written: Map<string, Payload>;
}

/** Same paths, bytes, modes and owners. */
function samePayload(a: Payload, b: Payload): boolean {
  if (a.size !== b.size) return false;
  for (const [path, f] of a) {
    const g = b.get(path);
    if (!g || g.mode !== f.mode || g.uid !== f.uid || !g.data.equals(f.data)) return false;
  }
  return true;
}

/** Which managed kind a volume is, if any. */
export function managedKindOf(volume: KubeObject): ManagedVolumeKind | undefined {
  for (const k of Object.keys(PLUGIN_DIRS) as ManagedVolumeKind[]) if (volume[k]) return k;
  return undefined;
}

function referencedObjects(pod: KubeObject): { kind: ReferencedKind; namespace: string; name: string }[] {
  const ns: string = pod.metadata.namespace;
  const out: { kind: ReferencedKind; namespace: string; name: string }[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.configMap?.name) out.push({ kind: 'configmap', namespace: ns, name: v.configMap.name });
    if (v.secret?.secretName) out.push({ kind: 'secret', namespace: ns, name: v.secret.secretName });
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name) out.push({ kind: 'configmap', namespace: ns, name: s.configMap.name });
      if (s.secret?.name) out.push({ kind: 'secret', namespace: ns, name: s.secret.name });
    }
  }
  return out;
}

/** Upper bound of a memory-backed emptyDir without sizeLimit: the pod's memory limit, when every container has one. */
function podMemoryLimit(pod: KubeObject): number | undefined {
  const limitOf = (c: KubeObject) => c.resources?.limits?.memory;
  const containers: KubeObject[] = pod.spec?.containers ?? [];
  if (containers.length === 0 || containers.some((c) => limitOf(c) === undefined)) return undefined;
  let sum = 0;
  for (const c of containers) sum += Quantity.fromJSON(limitOf(c)).value();
  for (const c of pod.spec?.initContainers ?? []) if (limitOf(c) !== undefined) sum = Math.max(sum, Quantity.fromJSON(limitOf(c)).value());
  return sum;
}

export class VolumeManager {
  readonly podsDir: string;
  readonly #client: ApiClient;
  readonly #nodeName: string;
  readonly #log: Logger;
  readonly #localPathRoot: string | undefined;
  readonly #recorder: EventRecorder | undefined;
  readonly #objects: ReferencedObjects;
  readonly #tokens: ServiceAccountTokens;
  readonly #pods = new Map<string, PodState>();
  /** Per pod uid, the tail of its serialized operations. */
  readonly #chains = new Map<string, Promise<unknown>>();
  readonly #refreshQueued = new Set<string>();
  #allocatable: { value: NodeAllocatable; at: number } | undefined;
  #closed = false;

  constructor(opts: VolumeManagerOptions) {
    mkdirSync(opts.podsDir, { recursive: true, mode: 0o750 });
    // Mount points in /proc/self/mountinfo are canonical paths.
    this.podsDir = realpathSync(opts.podsDir);
    this.#client = opts.client;
    this.#nodeName = opts.nodeName;
    this.#log = opts.logger ?? createLogger({ component: 'volume-manager' });
    this.#localPathRoot = opts.localPathRoot;
    this.#recorder = opts.recorder;
    this.#objects = new ReferencedObjects(this.#client, this.#log, (uids) => { for (const uid of uids) this.#queueRefresh(uid); });
    this.#tokens = new ServiceAccountTokens(this.#client, this.#log);
  }

  podDir(uid: string): string { return join(this.podsDir, uid); }

  volumeDir(uid: string, kind: ManagedVolumeKind, name: string): string {
    return join(this.podsDir, uid, 'volumes', PLUGIN_DIRS[kind], name);
  }

  /** Whether the API server issues service account tokens (false once it refused TokenRequest). */
  get tokenRequestSupported(): boolean { return this.#tokens.supported; }

  #serialize<T>(uid: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#chains.get(uid) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.#chains.set(uid, tail);
    void tail.then(() => { if (this.#chains.get(uid) === tail) this.#chains.delete(uid); });
    return run;
  }

  /**
   * Sets up (or refreshes) every volume of the pod. Idempotent: call it on every sync. Volumes
   * fail independently; a PodVolumesError lists those that did.
   */
  setUpPod(pod: KubeObject): Promise<void> {
    const uid: string = pod.metadata.uid;
    return this.#serialize(uid, () => this.#setUp(pod));
  }

  /** The same as setUpPod: re-reads the referenced objects and rewrites what changed. */
  resync(pod: KubeObject): Promise<void> { return this.setUpPod(pod); }

  async #setUp(pod: KubeObject): Promise<void> {
    if (this.#closed) throw new Error('volume manager is closed');
    const uid: string = pod.metadata.uid;
    let state = this.#pods.get(uid);
    if (!state) {
      await mkdir(join(this.podDir(uid), 'volumes'), { recursive: true, mode: 0o750 });
      state = { pod, setUp: new Set(), claims: new Map(), written: new Map() };
      this.#pods.set(uid, state);
    }
    state.pod = pod;
    this.#objects.track(uid, referencedObjects(pod));
    const failures: VolumeFailure[] = [];
    for (const volume of pod.spec?.volumes ?? []) {
      try {
        await this.#setUpVolume(state, volume);
        state.setUp.add(volume.name);
      } catch (e) {
        const cause = (e as Error).message;
        const message = e instanceof VolumeEventError ? e.eventMessage : `MountVolume.SetUp failed for volume "${volume.name}" : ${cause}`;
        failures.push({ volume: volume.name, cause, message });
      }
    }
    if (failures.length) {
      for (const f of failures) this.#recorder?.event(pod, 'Warning', 'FailedMount', f.message);
      throw new PodVolumesError(failures);
    }
  }

  #sources(): PayloadSources {
    return {
      configMap: (ns, name) => this.#objects.get('configmap', ns, name),
      secret: (ns, name) => this.#objects.get('secret', ns, name),
      serviceAccountToken: (pod, audience, ttl) => this.#tokens.token(pod, audience, ttl),
      allocatable: () => this.#nodeAllocatable(),
    };
  }

  async #nodeAllocatable(): Promise<NodeAllocatable> {
    const now = Date.now();
    if (this.#allocatable && now - this.#allocatable.at < ALLOCATABLE_TTL_MS) return this.#allocatable.value;
    let value: NodeAllocatable;
    try {
      const node = await this.#client.get(NODES, undefined, this.#nodeName);
      value = { ...(node.status?.allocatable ?? node.status?.capacity ?? {}) };
    } catch (e) {
      // No Node object yet: the machine itself is the best estimate of what a pod may use.
      this.#log.debug('node allocatable unavailable; using machine totals', { err: e });
      value = {};
    }
    value.cpu ??= String(cpus().length);
    value.memory ??= String(totalmem());
    this.#allocatable = { value, at: now };
    return value;
  }

  async #setUpVolume(state: PodState, volume: KubeObject): Promise<void> {
    const pod = state.pod;
    const uid: string = pod.metadata.uid;
    const fsGroup: number | undefined = pod.spec?.securityContext?.fsGroup;
    const kind = managedKindOf(volume);
    if (kind === 'emptyDir') return this.#setUpEmptyDir(pod, volume, fsGroup);
    if (kind) {
      const payload = await this.#payload(kind, pod, volume, { fsGroup });
      const last = state.written.get(volume.name);
      // Recorded only after a whole write: the volume is set up with exactly this content.
      if (last && samePayload(last, payload)) return;
      const dir = this.volumeDir(uid, kind, volume.name);
      // Mounted by this manager already (upstream's actual state of the world): no need to look again.
      if (!state.setUp.has(volume.name)) {
        await mkdir(dir, { recursive: true, mode: 0o750 });
        // The tmpfs goes on before any byte is written: the content must never reach the disk.
        if (!(await isSeparateMount(dir))) await mountTmpfs(dir);
      }
      await writeAtomically(dir, payload, fsGroup === undefined ? undefined : () => applyOwnership(dir, fsGroup, true));
      state.written.set(volume.name, payload);
      return;
    }
    if (volume.hostPath) return checkHostPathType(volume.hostPath.path ?? '', volume.hostPath.type);
    if (claimOf(pod, volume)) {
      const alreadySetUp = state.setUp.has(volume.name);
      const resolved = await resolveClaim(this.#client, pod, volume, { localPathRoot: this.#localPathRoot, alreadySetUp });
      // fsGroup once per pod start, on volumes whose plugin manages ownership (upstream's SetVolumeOwnership).
      if (fsGroup !== undefined && resolved.ownership && !resolved.readOnly && !alreadySetUp) {
        const onRootMismatch = pod.spec?.securityContext?.fsGroupChangePolicy === 'OnRootMismatch';
        if (!onRootMismatch || !(await ownershipMatches(resolved.path, fsGroup, false))) await applyOwnership(resolved.path, fsGroup, false);
      }
      state.claims.set(volume.name, { path: resolved.path, readOnly: resolved.readOnly });
      return;
    }
    throw new Error('no volume plugin matched');
  }

  #payload(kind: ManagedVolumeKind, pod: KubeObject, volume: KubeObject, owner: Ownership): Promise<Payload> {
    const src = this.#sources();
    const ns: string = pod.metadata.namespace;
    switch (kind) {
      case 'configMap': return configMapPayload(src, ns, volume.configMap, volume.configMap.defaultMode ?? DEFAULT_MODE);
      case 'secret': return secretPayload(src, ns, volume.secret, 'secretName', volume.secret.defaultMode ?? DEFAULT_MODE);
      case 'downwardAPI': return downwardApiPayload(src, pod, volume.downwardAPI.items, volume.downwardAPI.defaultMode ?? DEFAULT_MODE);
      case 'projected': return projectedPayload(src, pod, volume.projected, owner);
      default: throw new Error(`${kind} has no payload`);
    }
  }

  async #setUpEmptyDir(pod: KubeObject, volume: KubeObject, fsGroup: number | undefined): Promise<void> {
    const dir = this.volumeDir(pod.metadata.uid, 'emptyDir', volume.name);
    const medium: string = volume.emptyDir.medium ?? '';
    if (medium !== '' && medium !== 'Memory') throw new Error(`unsupported medium: ${medium}`);
    const existed = await stat(dir).then(() => true, () => false);
    if (!existed) {
      await mkdir(dir, { recursive: true, mode: 0o777 });
      await chmod(dir, 0o777);
    }
    let fresh = !existed;
    if (medium === 'Memory' && !(await isSeparateMount(dir))) {
      const limit = volume.emptyDir.sizeLimit !== undefined ? Quantity.fromJSON(volume.emptyDir.sizeLimit).value() : podMemoryLimit(pod);
      await mountTmpfs(dir, limit);
      fresh = true;
    }
    if (fresh && fsGroup !== undefined) await applyOwnership(dir, fsGroup, false);
  }

  /**
   * The mounts of one container: the host path of each volumeMount (subPath resolved and created
   * inside the volume), read-only when the mount or the volume kind says so, `file` for single
   * files. env (the container's resolved environment, `K=V` strings or a map) expands
   * subPathExpr; without it the spec's literal and downward API values are used.
   */
  async mountsFor(pod: KubeObject, container: KubeObject, env?: string[] | Record<string, string>): Promise<Mount[]> {
    const volumes = new Map<string, KubeObject>((pod.spec?.volumes ?? []).map((v: KubeObject) => [v.name, v]));
    const out: Mount[] = [];
    let envMap: Map<string, string> | undefined;
    for (const vm of container.volumeMounts ?? []) {
      const volume = volumes.get(vm.name);
      if (!volume) throw new Error(`cannot find volume "${vm.name}" to mount into container "${container.name}"`);
      const { path: volumePath, readOnly: volumeReadOnly } = await this.#volumePath(pod, volume, container);
      let hostPath = volumePath;
      let file = false;
      let subPath: string = vm.subPath ?? '';
      if (vm.subPathExpr) {
        envMap ??= this.#containerEnv(pod, container, env);
        subPath = expandSubPathExpr(vm.subPathExpr, envMap);
      }
      if (subPath) {
        const prepared = await prepareSubPath(volumePath, subPath, vm.name, container.name);
        hostPath = prepared.hostPath;
        file = !prepared.isDirectory;
      } else {
        const st = await stat(volumePath).catch(() => undefined);
        file = st !== undefined && !st.isDirectory();
      }
      const m: Mount = { hostPath, containerPath: vm.mountPath, readOnly: vm.readOnly === true || volumeReadOnly };
      if (file) m.file = true;
      if (vm.mountPropagation === 'HostToContainer') m.propagation = 'rslave';
      if (vm.mountPropagation === 'Bidirectional') m.propagation = 'rshared';
      out.push(m);
    }
    return out;
  }

  async #volumePath(pod: KubeObject, volume: KubeObject, container: KubeObject): Promise<{ path: string; readOnly: boolean }> {
    const kind = managedKindOf(volume);
    if (kind) return { path: this.volumeDir(pod.metadata.uid, kind, volume.name), readOnly: API_DATA_KINDS.includes(kind) };
    if (volume.hostPath) return { path: volume.hostPath.path, readOnly: false };
    if (claimOf(pod, volume)) {
      const known = this.#pods.get(pod.metadata.uid)?.claims.get(volume.name);
      if (known) return known;
      const resolved = await resolveClaim(this.#client, pod, volume, { localPathRoot: this.#localPathRoot, alreadySetUp: true });
      return { path: resolved.path, readOnly: resolved.readOnly };
    }
    throw new Error(`cannot find volume "${volume.name}" to mount into container "${container.name}"`);
  }

  #containerEnv(pod: KubeObject, container: KubeObject, env?: string[] | Record<string, string>): Map<string, string> {
    const m = new Map<string, string>();
    if (Array.isArray(env)) {
      for (const kv of env) { const i = kv.indexOf('='); if (i > 0) m.set(kv.slice(0, i), kv.slice(i + 1)); }
      return m;
    }
    if (env) return new Map(Object.entries(env));
    for (const e of container.env ?? []) {
      try {
        if (e.value !== undefined) m.set(e.name, expandReferences(e.value, (n) => m.get(n) ?? `$(${n})`));
        else if (e.valueFrom?.fieldRef) m.set(e.name, podFieldValue(pod, e.valueFrom.fieldRef.fieldPath, true));
        else if (e.valueFrom?.resourceFieldRef) {
          const r = e.valueFrom.resourceFieldRef;
          // Node allocatable is not at hand synchronously; limits unset read as the request path does.
          m.set(e.name, containerResourceValue(pod, r.containerName || container.name, r.resource, r.divisor, this.#allocatable?.value ?? {}));
        }
      } catch { /* left unset: subPathExpr reports it as missing */ }
    }
    return m;
  }

  /**
   * Unmounts and removes the pod's volumes (`<pod>/volumes`); works from the directory alone,
   * so pods known only by uid after a restart are cleaned up too. Idempotent.
   */
  tearDownPod(uid: string): Promise<void> {
    return this.#serialize(uid, async () => {
      this.#pods.delete(uid);
      this.#refreshQueued.delete(uid);
      this.#objects.forget(uid);
      this.#tokens.forget(uid);
      const volumesDir = join(this.podDir(uid), 'volumes');
      for (const mp of mountsUnder(await readMounts(), volumesDir)) await unmount(mp);
      const left = mountsUnder(await readMounts(), volumesDir);
      if (left.length) throw new Error(`volumes of pod ${uid} are still mounted: ${left.join(', ')}`);
      await rm(volumesDir, { recursive: true, force: true });
    });
  }

  /** tearDownPod, then the whole pod directory; refuses while anything is mounted below it. */
  async removePodDir(uid: string): Promise<void> {
    await this.tearDownPod(uid);
    await this.#serialize(uid, async () => {
      const dir = this.podDir(uid);
      const left = mountsUnder(await readMounts(), dir);
      if (left.length) throw new Error(`pod directory ${dir} still has mounts: ${left.join(', ')}`);
      await rm(dir, { recursive: true, force: true });
    });
  }

  /** The uids that have a directory under podsDir (for orphan cleanup). */
  async listPodDirs(): Promise<string[]> {
    const entries = await readdir(this.podsDir, { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  }

  /** Pods whose volumes this manager currently keeps up to date. */
  knownPods(): string[] { return [...this.#pods.keys()]; }

  #queueRefresh(uid: string): void {
    if (this.#refreshQueued.has(uid) || !this.#pods.has(uid)) return;
    this.#refreshQueued.add(uid);
    void this.#serialize(uid, async () => {
      this.#refreshQueued.delete(uid);
      const state = this.#pods.get(uid);
      if (!state || this.#closed) return;
      await this.#setUp(state.pod);
    }).catch((err) => this.#log.debug('volume refresh failed', { pod: uid, err }));
  }

  /** Stops the watches and waits for work in flight; leaves volumes in place (running containers use them). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#objects.close();
    await Promise.all([...this.#chains.values()]);
  }
}
