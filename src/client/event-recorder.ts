// Records Kubernetes Events about objects, as client-go's recorder does: one core/v1 Event per
// (object, type, reason, message), its count and lastTimestamp bumped when it happens again,
// so `kubectl describe` and `kubectl get events` show what a component did and why.
import type { ApiClient, KubeObject, ResourceRef } from './api-client.ts';
import type { Logger } from '../base/log.ts';
import { isNotFound } from '../api/status.ts';

const EVENTS: ResourceRef = { group: '', version: 'v1', plural: 'events', namespaced: true };
const CACHE_LIMIT = 4096;

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  event(obj: KubeObject, type: EventType, reason: string, message: string): void;
}

const stamp = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

export class ApiEventRecorder implements EventRecorder {
  readonly #client: ApiClient;
  readonly #component: string;
  readonly #host: string;
  readonly #log: Logger;
  /** Recent events by their identity, to aggregate repeats into one Event with a count. */
  readonly #recent = new Map<string, { name: string; namespace: string; count: number }>();
  #chain: Promise<void> = Promise.resolve();

  constructor(client: ApiClient, component: string, log: Logger, host = '') {
    this.#client = client;
    this.#component = component;
    this.#host = host;
    this.#log = log;
  }

  /** Fire and forget: events are best effort and never fail the caller. Writes are serialized. */
  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    this.#chain = this.#chain.then(() => this.#record(obj, type, reason, message)).catch((err) => {
      this.#log.debug('could not record event', { reason, err });
    });
  }

  /** Resolves when every event recorded so far has been written (tests). */
  flush(): Promise<void> { return this.#chain; }

  async #record(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const m = obj.metadata ?? {};
    const namespace = m.namespace || 'default';
    const key = `${m.uid}|${type}|${reason}|${message}`;
    const now = stamp(new Date());
    const seen = this.#recent.get(key);
    if (seen) {
      seen.count++;
      try {
        await this.#client.patch(EVENTS, seen.namespace, seen.name, { count: seen.count, lastTimestamp: now }, 'strategic');
        return;
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    const name = `${m.name}.${(Date.now() * 1e6 + Math.floor(Math.random() * 1e6)).toString(16)}`;
    await this.#client.create(EVENTS, namespace, {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name, namespace },
      involvedObject: { kind: obj.kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: obj.apiVersion, resourceVersion: m.resourceVersion },
      reason, message, type,
      source: { component: this.#component, ...(this.#host ? { host: this.#host } : {}) },
      firstTimestamp: now, lastTimestamp: now, count: 1,
      reportingComponent: this.#component, reportingInstance: this.#host,
    });
    if (this.#recent.size >= CACHE_LIMIT) this.#recent.delete(this.#recent.keys().next().value!);
    this.#recent.set(key, { name, namespace, count: 1 });
  }
}
