// The cluster DNS server as a runnable: informers on Services, EndpointSlices and Namespaces
// feed the record index; once they have synced, UDP and TCP sockets open on the given
// address and every query goes through the answerer, names outside the cluster to the
// host's resolvers.
import { readFileSync } from 'node:fs';
import type { Logger } from '../base/log.ts';
import type { Runnable } from '../base/runnable.ts';
import type { ApiClient, KubeObject, ResourceRef } from '../client/api-client.ts';
import { Informer } from '../client/informer.ts';
import { Answerer, DEFAULT_TTL, DEFAULT_ZONE } from './answerer.ts';
import { DnsServer, type BoundAddress } from './dns-server.ts';
import { Forwarder, upstreamsFromResolvConf, type Upstream } from './forwarder.ts';
import { QueryHandler } from './query-handler.ts';
import { RecordIndex } from './record-index.ts';

export const SERVICES: ResourceRef = { group: '', version: 'v1', plural: 'services', namespaced: true };
export const ENDPOINT_SLICES: ResourceRef = { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true };
export const NAMESPACES: ResourceRef = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };

export interface ClusterDNSOptions {
  /** Its own client identity; needs list/watch on services, endpointslices and namespaces. */
  client: ApiClient;
  /** Address to listen on (UDP and TCP), e.g. 0.0.0.0, 127.0.0.1 or a node address. */
  host: string;
  /** Port (53 in production; 0 picks a free one, see `address`). */
  port: number;
  /** Cluster domain; default cluster.local. */
  zone?: string;
  /** Resolvers for names outside the cluster; default: the nameservers of `resolvConfPath`. */
  upstreams?: Upstream[];
  /** Where the host's resolvers are read from when `upstreams` is not given; default /etc/resolv.conf. */
  resolvConfPath?: string;
  /** Give up on upstreams after this long (ms) and answer SERVFAIL; default 2000. */
  forwardTimeoutMs?: number;
  /** What `ns.dns.<zone>` (the zone's NS) resolves to: the kube-dns Service IP(s). */
  nameserverAddresses?: string[];
  /** Answer TTL in seconds; default 5. */
  ttl?: number;
  log: Logger;
}

export class ClusterDNS implements Runnable {
  readonly name = 'cluster-dns';
  readonly #opts: ClusterDNSOptions;
  readonly #index = new RecordIndex();
  #server: DnsServer | undefined;
  #stopped: Promise<void> = Promise.resolve();

  constructor(opts: ClusterDNSOptions) {
    this.#opts = opts;
  }

  /** Where it listens (UDP and TCP on the same port), once `start` has resolved. */
  get address(): BoundAddress | undefined { return this.#server?.address; }

  /** The records it serves from (read-only use: tests, debugging). */
  get index(): RecordIndex { return this.#index; }

  /**
   * Starts the informers, waits for their first lists, then opens the sockets; resolves once
   * it answers (rejects when the address cannot be bound). Runs until `signal` aborts;
   * `stopped()` resolves when the sockets are closed.
   */
  async start(signal: AbortSignal): Promise<void> {
    const log = this.#opts.log;
    const inner = new AbortController();
    const onAbort = () => inner.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) inner.abort();
    const ix = this.#index;
    const services = new Informer(this.#opts.client, SERVICES, log.with({ informer: 'services' }));
    const slices = new Informer(this.#opts.client, ENDPOINT_SLICES, log.with({ informer: 'endpointslices' }));
    const namespaces = new Informer(this.#opts.client, NAMESPACES, log.with({ informer: 'namespaces' }));
    services.addHandler({ add: (o) => ix.setService(o), update: (_o, n) => ix.setService(n), delete: (o) => ix.deleteService(o) });
    slices.addHandler({ add: (o) => ix.setSlice(o), update: (_o, n) => ix.setSlice(n), delete: (o) => ix.deleteSlice(o) });
    namespaces.addHandler({ add: (o: KubeObject) => ix.setNamespace(o.metadata.name), update: (_o, n) => ix.setNamespace(n.metadata.name), delete: (o) => ix.deleteNamespace(o.metadata.name) });
    await Promise.all([services.start(inner.signal), slices.start(inner.signal), namespaces.start(inner.signal)]);
    if (inner.signal.aborted) { signal.removeEventListener('abort', onAbort); return; }

    const answerer = new Answerer(ix, { zone: this.#opts.zone ?? DEFAULT_ZONE, ttl: this.#opts.ttl ?? DEFAULT_TTL, nameserverAddresses: this.#opts.nameserverAddresses });
    // A port-0 server can't be its own upstream; a fixed port can (0.0.0.0:53 and 127.0.0.1 in resolv.conf).
    const upstreams = withoutSelf(this.#opts.upstreams ?? upstreamsFromResolvConf(readResolvConf(this.#opts.resolvConfPath ?? '/etc/resolv.conf')), this.#opts);
    const forwarder = new Forwarder({ upstreams, timeoutMs: this.#opts.forwardTimeoutMs, log: log.with({ component: 'dns-forwarder' }) });
    const handler = new QueryHandler({ answerer, forwarder, log });
    const server = new DnsServer({ host: this.#opts.host, port: this.#opts.port, handler: (m, t) => handler.handle(m, t), log });
    try {
      await server.listen();
    } catch (err) {
      inner.abort();
      signal.removeEventListener('abort', onAbort);
      throw err;
    }
    this.#server = server;
    const bound = server.address!;
    this.#stopped = new Promise<void>((resolve) => {
      inner.signal.addEventListener('abort', () => {
        signal.removeEventListener('abort', onAbort);
        void server.close().then(resolve, resolve);
      }, { once: true });
    });
    log.info('cluster dns ready', { address: `${bound.host}:${bound.port}`, zone: answerer.zone, upstreams: upstreams.map((u) => `${u.host}:${u.port}`).join(',') });
  }

  stopped(): Promise<void> { return this.#stopped; }
}

function readResolvConf(path: string): string {
  try { return readFileSync(path, 'utf8'); } catch { return ''; }
}

const LOOPBACK = /^(127\.|::1$)/;
const ANY = new Set(['0.0.0.0', '::', '']);

/** Upstreams that are not this server itself (no forwarding loop). */
function withoutSelf(upstreams: Upstream[], self: { host: string; port: number }): Upstream[] {
  return upstreams.filter((u) => !(u.port === self.port && (u.host === self.host || (ANY.has(self.host) && LOOPBACK.test(u.host)))));
}
