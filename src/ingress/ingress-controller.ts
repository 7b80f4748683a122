// The ingress controller as a runnable: informers on Ingresses, IngressClasses, Services,
// EndpointSlices and TLS Secrets feed the route table, the endpoint index and the certificate
// store; an HTTP and an HTTPS server (certificates by SNI) proxy requests through them; and,
// when given addresses, our Ingresses' status.loadBalancer shows them.
import { Agent, createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { isConflict, isNotFound } from '../api/status.ts';
import type { Logger } from '../base/log.ts';
import type { Runnable } from '../base/runnable.ts';
import type { ApiClient, KubeObject, ResourceRef } from '../client/api-client.ts';
import { Informer, keyOf } from '../client/informer.ts';
import { WorkQueue } from '../client/work-queue.ts';
import { CertificateStore, tlsBindings } from './certificate-store.ts';
import { selfSignedCertificate, type CertificatePem } from './default-certificate.ts';
import { EndpointIndex } from './endpoint-index.ts';
import { classInfo, DEFAULT_CLASS_NAME, DEFAULT_CONTROLLER_NAME, isOurIngress, type ClassConfig, type ClassInfo } from './ingress-class.ts';
import { IngressProxy, type Scheme } from './proxy.ts';
import { RouteTable } from './route-table.ts';
import { decide, type Decision } from './router.ts';
import { loadBalancerIngress, showsAddresses, withLoadBalancerStatus } from './status.ts';

export const INGRESSES: ResourceRef = { group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', namespaced: true };
export const INGRESS_CLASSES: ResourceRef = { group: 'networking.k8s.io', version: 'v1', plural: 'ingressclasses', namespaced: false };
export const SERVICES: ResourceRef = { group: '', version: 'v1', plural: 'services', namespaced: true };
export const ENDPOINT_SLICES: ResourceRef = { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true };
export const SECRETS: ResourceRef = { group: '', version: 'v1', plural: 'secrets', namespaced: true };
/** Only TLS secrets are watched: the controller never sees other secrets. */
export const TLS_SECRET_SELECTOR = 'type=kubernetes.io/tls';

export interface ListenAddress { host: string; port: number }

export interface IngressControllerOptions {
  /** Its own client identity; needs list/watch on ingresses, ingressclasses, services, endpointslices, secrets; update on ingresses/status. */
  client: ApiClient;
  /** Where plain HTTP is served (80 in production; port 0 picks a free one). Omitted: no HTTP listener. */
  http?: ListenAddress;
  /** Where HTTPS is served (443 in production; port 0 picks a free one). Omitted: no HTTPS listener. */
  https?: ListenAddress;
  /** Our IngressClass name; default `navarch`. */
  className?: string;
  /** Our IngressClass spec.controller; default `navarch.io/ingress-controller`. */
  controllerName?: string;
  /** Addresses to publish in status.loadBalancer.ingress of our Ingresses; undefined: status is left alone. */
  statusAddresses?: string[];
  /** The certificate for names without a secret; default: a self-signed one made at start. */
  defaultCertificate?: CertificatePem;
  /** Backend connect timeout (ms); default 5000. */
  connectTimeoutMs?: number;
  /** Backend idle read timeout (ms); default 60000. */
  readTimeoutMs?: number;
  log: Logger;
}

export class IngressController implements Runnable {
  readonly name = 'ingress-controller';
  readonly #opts: IngressControllerOptions;
  readonly #cfg: ClassConfig;
  readonly #index = new EndpointIndex();
  #table = new RouteTable([]);
  #classInfo: ClassInfo;
  #certs: CertificateStore | undefined;
  #statusAddresses: string[] | undefined;
  #ingresses: Informer | undefined;
  #classes: Informer | undefined;
  #queue: WorkQueue | undefined;
  #http: HttpServer | undefined;
  #https: HttpsServer | undefined;
  #addresses: { http?: ListenAddress; https?: ListenAddress } = {};
  #stopped: Promise<void> = Promise.resolve();
  #rebuildPending = false;
  #reportedProblems = new Map<string, string>();

  constructor(opts: IngressControllerOptions) {
    this.#opts = opts;
    this.#cfg = { className: opts.className ?? DEFAULT_CLASS_NAME, controllerName: opts.controllerName ?? DEFAULT_CONTROLLER_NAME };
    this.#classInfo = classInfo([], this.#cfg);
    this.#statusAddresses = opts.statusAddresses ? [...opts.statusAddresses] : undefined;
  }

  /** Where it listens, once `start` has resolved (the real ports when 0 was asked). */
  get addresses(): { http?: ListenAddress; https?: ListenAddress } { return { ...this.#addresses }; }

  /** The current route table (read-only use: tests, debugging). */
  get routes(): RouteTable { return this.#table; }

  /** The class name and controller name it serves. */
  get classConfig(): ClassConfig { return { ...this.#cfg }; }

  /** The routing decision for a Host header and request target, as the proxy makes it. */
  decide(host: string | undefined, target: string | undefined): Decision {
    return decide(this.#table, this.#index, host, target);
  }

  /** Changes the addresses published in status (undefined: stop managing status). */
  setStatusAddresses(addresses: string[] | undefined): void {
    this.#statusAddresses = addresses ? [...addresses] : undefined;
    this.#enqueueAllStatus();
  }

  #isOurs = (ing: KubeObject): boolean => isOurIngress(ing, this.#classInfo);

  #rebuild(): void {
    this.#rebuildPending = false;
    if (!this.#ingresses || !this.#classes) return;
    this.#classInfo = classInfo(this.#classes.list(), this.#cfg);
    this.#table = new RouteTable(this.#ingresses.list().filter(this.#isOurs));
    if (this.#certs) {
      this.#certs.setBindings(tlsBindings(this.#table.ingresses));
      this.#reportProblems();
    }
  }

  /** Coalesces a burst of changes into one rebuild, still before the next I/O. */
  #scheduleRebuild(): void {
    if (this.#rebuildPending) return;
    this.#rebuildPending = true;
    queueMicrotask(() => this.#rebuild());
  }

  #reportProblems(): void {
    const now = this.#certs!.problems();
    for (const [secret, why] of now) {
      if (this.#reportedProblems.get(secret) !== why) this.#opts.log.warn('tls secret cannot serve; using the default certificate', { secret, reason: why });
    }
    this.#reportedProblems = now;
  }

  #enqueueAllStatus(): void {
    if (!this.#queue || !this.#ingresses) return;
    for (const ing of this.#ingresses.list()) this.#queue.add(keyOf(ing));
  }

  async #syncStatus(key: string): Promise<void> {
    const addrs = this.#statusAddresses;
    const ing = this.#ingresses?.get(key);
    if (!ing || addrs === undefined) return;
    const wanted = loadBalancerIngress(addrs);
    let updated: KubeObject | undefined;
    if (this.#isOurs(ing) && !ing.metadata?.deletionTimestamp) updated = withLoadBalancerStatus(ing, wanted);
    else if (showsAddresses(ing, wanted)) updated = withLoadBalancerStatus(ing, []);
    if (!updated) return;
    try {
      await this.#opts.client.update(INGRESSES, ing.metadata.namespace, updated, 'status');
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }

  async #statusWorker(queue: WorkQueue, signal: AbortSignal): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined || signal.aborted) return;
      try {
        await this.#syncStatus(key);
        queue.forget(key);
      } catch (err) {
        if (!isConflict(err)) this.#opts.log.warn('writing ingress status failed; retrying', { ingress: key, err });
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  }

  /**
   * Starts the informers, waits for their first lists, then opens the listeners; resolves once
   * requests are served (rejects when an address cannot be bound). Runs until `signal` aborts;
   * `stopped()` resolves when the listeners are closed.
   */
  async start(signal: AbortSignal): Promise<void> {
    const { client, log } = this.#opts;
    const inner = new AbortController();
    const onAbort = () => inner.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) inner.abort();

    const ingresses = new Informer(client, INGRESSES, log.with({ informer: 'ingresses' }));
    const classes = new Informer(client, INGRESS_CLASSES, log.with({ informer: 'ingressclasses' }));
    const services = new Informer(client, SERVICES, log.with({ informer: 'services' }));
    const slices = new Informer(client, ENDPOINT_SLICES, log.with({ informer: 'endpointslices' }));
    const secrets = new Informer(client, SECRETS, log.with({ informer: 'secrets' }), { fieldSelector: TLS_SECRET_SELECTOR });
    this.#ingresses = ingresses;
    this.#classes = classes;
    const queue = new WorkQueue();
    this.#queue = queue;

    const ix = this.#index;
    services.addHandler({ add: (o) => ix.setService(o), update: (_o, n) => ix.setService(n), delete: (o) => ix.deleteService(o) });
    slices.addHandler({ add: (o) => ix.setSlice(o), update: (_o, n) => ix.setSlice(n), delete: (o) => ix.deleteSlice(o) });
    const onIngress = (o: KubeObject) => { this.#scheduleRebuild(); queue.add(keyOf(o)); };
    ingresses.addHandler({ add: onIngress, update: (_o, n) => onIngress(n), delete: () => this.#scheduleRebuild() });
    const onClass = () => { this.#scheduleRebuild(); queueMicrotask(() => this.#enqueueAllStatus()); };
    classes.addHandler({ add: onClass, update: onClass, delete: onClass });
    const pendingSecrets = new Map<string, KubeObject | null>();
    const onSecret = (o: KubeObject, gone = false) => {
      if (!this.#certs) { pendingSecrets.set(keyOf(o), gone ? null : o); return; }
      if (gone) this.#certs.deleteSecret(o); else this.#certs.setSecret(o);
      this.#reportProblems();
    };
    secrets.addHandler({ add: (o) => onSecret(o), update: (_o, n) => onSecret(n), delete: (o) => onSecret(o, true) });

    const certificate = this.#opts.defaultCertificate ? Promise.resolve(this.#opts.defaultCertificate) : selfSignedCertificate();
    const [defaultPem] = await Promise.all([
      certificate,
      ingresses.start(inner.signal), classes.start(inner.signal), services.start(inner.signal), slices.start(inner.signal), secrets.start(inner.signal),
    ]);
    if (inner.signal.aborted) { signal.removeEventListener('abort', onAbort); queue.shutDown(); return; }

    const certs = new CertificateStore(defaultPem);
    for (const o of pendingSecrets.values()) if (o) certs.setSecret(o);
    this.#certs = certs;
    this.#rebuild();

    const agent = new Agent({ keepAlive: true, keepAliveMsecs: 1000, maxSockets: Infinity, maxFreeSockets: 256, timeout: 60_000, scheduling: 'lifo' });
    const proxy = new IngressProxy({
      decide: (host, target) => this.decide(host, target), agent, log: log.with({ component: 'ingress-proxy' }),
      connectTimeoutMs: this.#opts.connectTimeoutMs, readTimeoutMs: this.#opts.readTimeoutMs,
    });
    const servers: (HttpServer | HttpsServer)[] = [];
    const wire = (server: HttpServer | HttpsServer, scheme: Scheme) => {
      server.keepAliveTimeout = 75_000;
      server.headersTimeout = 60_000;
      server.requestTimeout = 0;
      server.on('request', (req, res) => proxy.handle(req, res, scheme));
      server.on('upgrade', (req, socket: Duplex, head: Buffer) => proxy.upgrade(req, socket, head, scheme));
      server.on('clientError', (_err, socket: Duplex) => {
        if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        else socket.destroy();
      });
      servers.push(server);
    };
    const close = async () => {
      proxy.closeUpgraded();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => {
        if (!s.listening) { resolve(); return; }
        s.close(() => resolve());
        s.closeAllConnections();
      })));
      agent.destroy();
    };
    try {
      if (this.#opts.http) {
        const server = createHttpServer();
        wire(server, 'http');
        this.#addresses.http = await listen(server, this.#opts.http);
        this.#http = server;
      }
      if (this.#opts.https) {
        const server = createHttpsServer({ SNICallback: certs.sniCallback, cert: defaultPem.cert, key: defaultPem.key, minVersion: 'TLSv1.2', ALPNProtocols: ['http/1.1'] });
        server.on('tlsClientError', (err) => log.debug('tls handshake failed', { err }));
        wire(server, 'https');
        this.#addresses.https = await listen(server, this.#opts.https);
        this.#https = server;
      }
    } catch (err) {
      inner.abort();
      signal.removeEventListener('abort', onAbort);
      queue.shutDown();
      await close();
      throw err;
    }
    for (const s of servers) s.on('error', (err) => log.error('ingress listener failed', { err }));

    const worker = this.#statusWorker(queue, inner.signal);
    this.#enqueueAllStatus();
    this.#stopped = new Promise<void>((resolve) => {
      inner.signal.addEventListener('abort', () => {
        signal.removeEventListener('abort', onAbort);
        queue.shutDown();
        void Promise.all([close(), worker]).then(() => resolve(), () => resolve());
      }, { once: true });
    });
    const a = this.#addresses;
    log.info('ingress controller ready', {
      http: a.http ? `${a.http.host}:${a.http.port}` : undefined, https: a.https ? `${a.https.host}:${a.https.port}` : undefined,
      class: this.#cfg.className, controller: this.#cfg.controllerName, ingresses: this.#table.ingresses.length,
    });
  }

  stopped(): Promise<void> { return this.#stopped; }
}

function listen(server: HttpServer | HttpsServer, at: ListenAddress): Promise<ListenAddress> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      resolve({ host: a.address, port: a.port });
    });
  });
}
