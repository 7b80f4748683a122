// One informer per resource (and options), shared by every controller of a process.
import type { ApiClient, ResourceRef } from './api-client.ts';
import { Informer, type InformerOptions } from './informer.ts';
import type { Logger } from '../base/log.ts';

export class InformerFactory {
  readonly #client: ApiClient;
  readonly #log: Logger;
  readonly #informers = new Map<string, Informer>();
  #signal: AbortSignal | undefined;

  constructor(client: ApiClient, log: Logger) {
    this.#client = client;
    this.#log = log;
  }

  get client(): ApiClient { return this.#client; }

  informerFor(ref: ResourceRef, opts: InformerOptions = {}): Informer {
    const key = `${ref.group}/${ref.version}/${ref.plural}?${JSON.stringify(opts)}`;
    let inf = this.#informers.get(key);
    if (!inf) {
      inf = new Informer(this.#client, ref, this.#log.with({ informer: ref.plural }), opts);
      this.#informers.set(key, inf);
      if (this.#signal) void inf.start(this.#signal);
    }
    return inf;
  }

  /** Starts every informer (and any created later); resolves when all have synced. */
  async start(signal: AbortSignal): Promise<void> {
    this.#signal = signal;
    await Promise.all([...this.#informers.values()].map((i) => i.start(signal)));
  }

  waitForSync(): Promise<void> {
    return Promise.all([...this.#informers.values()].map((i) => i.waitForSync())).then(() => undefined);
  }
}
