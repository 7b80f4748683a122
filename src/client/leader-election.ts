// Leader election on a coordination.k8s.io Lease, as client-go's leaderelection: a candidate
// takes the lease when it is free or expired, renews it every retry period, and steps down
// when it cannot renew within the renew deadline. Two control planes over one store thereby
// run one controller manager and one scheduler between them.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { ApiClient, KubeObject, ResourceRef } from './api-client.ts';
import type { Logger } from '../base/log.ts';
import { isConflict, isNotFound, isAlreadyExists } from '../api/status.ts';

const LEASES: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true };

export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

const microTime = (d: Date) => d.toISOString().replace('Z', '000Z');

export class LeaderElector {
  readonly identity: string;
  readonly #client: ApiClient;
  readonly #opts: Required<LeaderElectionOptions>;
  readonly #log: Logger;

  constructor(client: ApiClient, opts: LeaderElectionOptions, log: Logger) {
    this.#client = client;
    this.identity = opts.identity ?? `${hostname()}_${randomUUID()}`;
    this.#opts = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, identity: this.identity, ...opts };
    this.#log = log.with({ lease: `${opts.namespace}/${opts.name}` });
  }

  /**
   * Campaigns until signal aborts. While leading, `lead(signal)` runs with a signal that aborts
   * when leadership is lost; then the candidate campaigns again.
   */
  async run(signal: AbortSignal, lead: (leading: AbortSignal) => Promise<void> | void): Promise<void> {
    while (!signal.aborted) {
      if (!(await this.#tryAcquireOrRenew())) { await sleep(this.#opts.retryPeriodMs, signal); continue; }
      this.#log.info('became leader', { identity: this.identity });
      const leading = new AbortController();
      const stop = () => leading.abort();
      signal.addEventListener('abort', stop, { once: true });
      void Promise.resolve(lead(leading.signal)).catch((err) => { this.#log.error('leader work failed', { err }); leading.abort(); });
      let lastRenew = Date.now();
      while (!leading.signal.aborted) {
        await sleep(this.#opts.retryPeriodMs, leading.signal);
        if (leading.signal.aborted) break;
        if (await this.#tryAcquireOrRenew()) lastRenew = Date.now();
        else if (Date.now() - lastRenew > this.#opts.renewDeadlineMs) {
          this.#log.warn('lost leadership', { identity: this.identity });
          leading.abort();
        }
      }
      signal.removeEventListener('abort', stop);
      if (signal.aborted) await this.#release();
    }
  }

  async #tryAcquireOrRenew(): Promise<boolean> {
    const now = new Date();
    let lease: KubeObject | undefined;
    try { lease = await this.#client.get(LEASES, this.#opts.namespace, this.#opts.name); } catch (e) {
      if (!isNotFound(e)) { this.#log.debug('reading the lease failed', { err: e }); return false; }
    }
    const spec = {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.ceil(this.#opts.leaseDurationMs / 1000),
      renewTime: microTime(now),
    };
    if (!lease) {
      try {
        await this.#client.create(LEASES, this.#opts.namespace, { metadata: { name: this.#opts.name, namespace: this.#opts.namespace }, spec: { ...spec, acquireTime: microTime(now), leaseTransitions: 0 } });
        return true;
      } catch (e) { if (!isAlreadyExists(e)) this.#log.debug('creating the lease failed', { err: e }); return false; }
    }
    const s = lease.spec ?? {};
    const mine = s.holderIdentity === this.identity;
    const expired = !s.holderIdentity || !s.renewTime || Date.parse(s.renewTime) + (s.leaseDurationSeconds ?? 15) * 1000 < now.getTime();
    if (!mine && !expired) return false;
    const next = {
      ...lease,
      spec: { ...s, ...spec, acquireTime: mine ? s.acquireTime : microTime(now), leaseTransitions: mine ? s.leaseTransitions ?? 0 : (s.leaseTransitions ?? 0) + 1 },
    };
    try {
      await this.#client.update(LEASES, this.#opts.namespace, next);
      return true;
    } catch (e) {
      if (!isConflict(e)) this.#log.debug('renewing the lease failed', { err: e });
      return false;
    }
  }

  /** Gives the lease up on shutdown so another candidate takes over at once. */
  async #release(): Promise<void> {
    try {
      const lease = await this.#client.get(LEASES, this.#opts.namespace, this.#opts.name);
      if (lease.spec?.holderIdentity !== this.identity) return;
      await this.#client.update(LEASES, this.#opts.namespace, { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(new Date()) } });
    } catch { /* best effort */ }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() { clearTimeout(t); signal.removeEventListener('abort', done); resolve(); }
    signal.addEventListener('abort', done, { once: true });
  });
}
