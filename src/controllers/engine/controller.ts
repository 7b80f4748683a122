// The one controller engine: a controller supplies its watches (events → keys) and a
// level-triggered reconcile(key); the engine owns workers, the queue, retries and logging.
import type { Logger } from '../../base/log.ts';
import type { ApiClient } from '../../client/api-client.ts';
import type { InformerFactory } from '../../client/informer-factory.ts';
import { WorkQueue } from '../../client/work-queue.ts';
import type { EventRecorder } from '../../client/event-recorder.ts';

export interface ReconcileResult {
  /** Check again after this long even if nothing changes. */
  requeueAfterMs?: number;
}

export interface ControllerContext {
  client: ApiClient;
  informers: InformerFactory;
  log: Logger;
  /** Records Events as this controller's component (e.g. "deployment-controller"). */
  recorder: EventRecorder;
}

export interface Controller {
  readonly name: string;
  /** Registers informer handlers that map events to keys. */
  setup(ctx: ControllerContext, enqueue: (key: string) => void): void | Promise<void>;
  reconcile(key: string): Promise<ReconcileResult | void>;
}

/** What the controller manager knows that some controllers need at construction. */
export interface ControllerEnv {
  /** The cluster CA (the root CA published into every namespace). */
  caPem: string;
  /** Where locally provisioned volumes live, and this machine's node name when it runs one. */
  localStorageDir?: string;
  localNode?: string;
  /** How long a node may stay silent before it is Unknown (upstream --node-monitor-grace-period). */
  nodeMonitorGracePeriodMs?: number;
}

export interface ControllerDescriptor {
  name: string;
  workers: number;
  create(env: ControllerEnv): Controller;
  /** The source component of its Events (default "<name>-controller"), as upstream names them. */
  eventComponent?: string;
}

/** A terminal error: logged once, not retried. */
export class TerminalError extends Error {}

export class ControllerRunner {
  readonly name: string;
  readonly #controller: Controller;
  readonly #workers: number;
  readonly #queue = new WorkQueue();
  readonly #log: Logger;

  constructor(controller: Controller, workers: number, log: Logger) {
    this.name = controller.name;
    this.#controller = controller;
    this.#workers = workers;
    this.#log = log.with({ controller: controller.name });
  }

  get queue(): WorkQueue { return this.#queue; }

  async setup(ctx: Omit<ControllerContext, 'recorder'>, recorder: EventRecorder): Promise<void> {
    await this.#controller.setup({ ...ctx, log: this.#log, recorder }, (key) => this.#queue.add(key));
  }

  start(signal: AbortSignal): void {
    signal.addEventListener('abort', () => this.#queue.shutDown(), { once: true });
    for (let i = 0; i < this.#workers; i++) void this.#work();
  }

  async #work(): Promise<void> {
    for (;;) {
      const key = await this.#queue.get();
      if (key === undefined) return;
      try {
        const result = await this.#controller.reconcile(key);
        this.#queue.forget(key);
        if (result?.requeueAfterMs) this.#queue.addAfter(key, result.requeueAfterMs);
      } catch (err) {
        if (err instanceof TerminalError) {
          this.#log.error('reconcile failed; not retrying', { key, err });
          this.#queue.forget(key);
        } else {
          const n = this.#queue.failures(key);
          (n > 3 ? this.#log.warn : this.#log.debug)('reconcile failed; retrying', { key, err, attempt: n + 1 });
          this.#queue.addRateLimited(key);
        }
      } finally {
        this.#queue.done(key);
      }
    }
  }
}
