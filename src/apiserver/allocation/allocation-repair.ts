// Claims and services can drift apart: a server killed between claiming a value and storing the
// service, or a store restored from a backup. Like upstream's repair controllers, this loop
// makes the claims match the services: a claim whose service is gone (seen so twice in a row,
// so a create under way is not robbed) is released; a service value without a claim gets one.
import type { Store } from '../../storage/store.ts';
import { isStorageError } from '../../storage/store.ts';
import type { WatchCache } from '../watchcache/watch-cache.ts';
import type { Logger } from '../../base/log.ts';
import { resourcePrefix } from '../watchcache/keys.ts';
import { clusterIPsOf, nodePortsOf } from '../../api/net/service-allocated-fields.ts';
import { SERVICE_IP_PREFIX, NODE_PORT_PREFIX } from './service-allocator.ts';

const SERVICES = resourcePrefix('', 'services');
const encoder = new TextEncoder();

export class AllocationRepair {
  readonly #store: Store;
  readonly #cache: WatchCache;
  readonly #log: Logger;
  readonly #intervalMs: number;
  /** Claim keys (at their revision) found without an owner in the last pass. */
  #suspects = new Map<string, number>();

  constructor(store: Store, cache: WatchCache, log: Logger, intervalMs = 60_000) {
    this.#store = store;
    this.#cache = cache;
    this.#log = log;
    this.#intervalMs = intervalMs;
  }

  /** Repairs now, then every interval until the signal aborts. */
  async start(signal: AbortSignal): Promise<void> {
    const loop = async () => {
      while (!signal.aborted) {
        try { await this.repairOnce(); } catch (err) { if (!signal.aborted) this.#log.warn('service allocation repair failed', { err }); }
        await new Promise<void>((r) => { const t = setTimeout(r, this.#intervalMs); t.unref(); signal.addEventListener('abort', () => { clearTimeout(t); r(); }, { once: true }); });
      }
    };
    void loop();
  }

  async repairOnce(): Promise<{ released: number; claimed: number }> {
    await this.#cache.waitFresh();
    const wanted = new Map<string, { namespace: string; name: string; uid: string }>();
    for (const { obj } of this.#cache.list(SERVICES)) {
      const owner = { namespace: obj.metadata.namespace, name: obj.metadata.name, uid: obj.metadata.uid };
      for (const ip of clusterIPsOf(obj)) wanted.set(SERVICE_IP_PREFIX + ip, owner);
      for (const port of nodePortsOf(obj)) wanted.set(NODE_PORT_PREFIX + port, owner);
    }
    let released = 0;
    let claimed = 0;
    const suspects = new Map<string, number>();
    for (const prefix of [SERVICE_IP_PREFIX, NODE_PORT_PREFIX]) {
      // The cache mirrors the claims; a claim that moved since is left to the delete's revision check.
      for (const { key, obj, rv } of this.#cache.list(prefix)) {
        const want = wanted.get(key);
        if (want && obj.owner?.uid === want.uid) continue;
        if (this.#suspects.get(key) === rv) {
          try {
            await this.#store.delete(key, rv);
            released++;
            this.#log.info('released a service allocation no service holds', { key });
          } catch (err) { if (!isStorageError(err, 'Conflict') && !isStorageError(err, 'NotFound')) throw err; }
        } else suspects.set(key, rv);
      }
    }
    this.#suspects = suspects;
    for (const [key, owner] of wanted) {
      if (this.#cache.get(key)) continue;
      try {
        await this.#store.create(key, encoder.encode(JSON.stringify({ kind: 'ServiceAllocation', metadata: { name: key.slice(key.lastIndexOf('/') + 1) }, owner })));
        claimed++;
      } catch (err) { if (!isStorageError(err, 'KeyExists')) throw err; }
    }
    return { released, claimed };
  }
}
