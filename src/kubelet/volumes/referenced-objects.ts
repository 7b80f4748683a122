// The ConfigMaps and Secrets the node's pods reference, kept current by one watch per object
// (upstream's watch-based manager: the kubelet never lists every Secret of the cluster). Each
// object is held while some pod references it; a change calls back with the pods to refresh.
import type { ApiClient, KubeObject, ResourceRef } from '../../client/api-client.ts';
import { Informer } from '../../client/informer.ts';
import { isNotFound } from '../../api/status.ts';
import type { Logger } from '../../base/log.ts';

export const CONFIG_MAPS: ResourceRef = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };
export const SECRETS: ResourceRef = { group: '', version: 'v1', plural: 'secrets', namespaced: true };

export type ReferencedKind = 'configmap' | 'secret';

interface Watched {
  informer: Informer;
  abort: AbortController;
  pods: Set<string>;
}

const refKey = (kind: ReferencedKind, namespace: string, name: string) => `${kind}/${namespace}/${name}`;

export class ReferencedObjects {
  readonly #client: ApiClient;
  readonly #log: Logger;
  readonly #onChange: (podUids: string[]) => void;
  readonly #watched = new Map<string, Watched>();
  /** Per pod, the keys it references. */
  readonly #byPod = new Map<string, Set<string>>();
  /** The resourceVersion each object had when last read ('' when it did not exist): events that bring nothing newer are ignored. */
  readonly #served = new Map<string, string>();
  #closed = false;

  constructor(client: ApiClient, log: Logger, onChange: (podUids: string[]) => void) {
    this.#client = client;
    this.#log = log;
    this.#onChange = onChange;
  }

  /** Makes exactly these objects the ones pod uid references (starting and ending watches). */
  track(uid: string, refs: { kind: ReferencedKind; namespace: string; name: string }[]): void {
    if (this.#closed) return;
    const next = new Set(refs.map((r) => refKey(r.kind, r.namespace, r.name)));
    const prev = this.#byPod.get(uid) ?? new Set<string>();
    for (const key of prev) if (!next.has(key)) this.#release(uid, key);
    for (const r of refs) {
      const key = refKey(r.kind, r.namespace, r.name);
      let w = this.#watched.get(key);
      if (!w) {
        const abort = new AbortController();
        const informer = new Informer(this.#client, r.kind === 'configmap' ? CONFIG_MAPS : SECRETS, this.#log.with({ watch: key }), {
          namespace: r.namespace, fieldSelector: `metadata.name=${r.name}`,
        });
        w = { informer, abort, pods: new Set() };
        const watched = w;
        const changed = (rv: string) => { if (this.#served.get(key) !== rv) this.#onChange([...watched.pods]); };
        informer.addHandler({
          add: (o) => changed(o.metadata?.resourceVersion ?? ''),
          update: (_o, n) => changed(n.metadata?.resourceVersion ?? ''),
          delete: () => changed(''),
        });
        this.#watched.set(key, w);
        void informer.start(abort.signal).catch((err) => this.#log.debug('watch ended', { key, err }));
      }
      w.pods.add(uid);
    }
    if (next.size) this.#byPod.set(uid, next); else this.#byPod.delete(uid);
  }

  forget(uid: string): void {
    for (const key of this.#byPod.get(uid) ?? []) this.#release(uid, key);
    this.#byPod.delete(uid);
  }

  #release(uid: string, key: string): void {
    const w = this.#watched.get(key);
    if (!w) return;
    w.pods.delete(uid);
    if (w.pods.size === 0) {
      w.abort.abort();
      this.#watched.delete(key);
      this.#served.delete(key);
    }
  }

  /** From the watch cache once it has synced, else straight from the API. */
  async get(kind: ReferencedKind, namespace: string, name: string): Promise<KubeObject | undefined> {
    const key = refKey(kind, namespace, name);
    const obj = await this.#read(key, kind, namespace, name);
    if (this.#watched.has(key)) this.#served.set(key, obj?.metadata?.resourceVersion ?? '');
    return obj;
  }

  async #read(key: string, kind: ReferencedKind, namespace: string, name: string): Promise<KubeObject | undefined> {
    const w = this.#watched.get(key);
    if (w?.informer.hasSynced) return w.informer.get(`${namespace}/${name}`);
    try {
      return await this.#client.get(kind === 'configmap' ? CONFIG_MAPS : SECRETS, namespace, name);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** How many objects are watched (for tests and metrics). */
  get size(): number { return this.#watched.size; }

  close(): void {
    this.#closed = true;
    for (const w of this.#watched.values()) w.abort.abort();
    this.#watched.clear();
    this.#byPod.clear();
    this.#served.clear();
  }
}
