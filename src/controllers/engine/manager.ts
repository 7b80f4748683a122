// The controller manager: builds every registered controller on one shared informer factory,
// waits for caches to sync, then starts the workers.
import type { Logger } from '../../base/log.ts';
import { ApiClient, type ClientConfig } from '../../client/api-client.ts';
import { InformerFactory } from '../../client/informer-factory.ts';
import { ApiEventRecorder } from '../../client/event-recorder.ts';
import { ControllerRunner, type ControllerDescriptor, type ControllerEnv } from './controller.ts';

export class ControllerManager {
  readonly name = 'controller-manager';
  readonly #descriptors: ControllerDescriptor[];
  readonly #config: ClientConfig;
  readonly #log: Logger;
  #client: ApiClient | undefined;

  readonly #env: Omit<ControllerEnv, 'caPem'>;

  constructor(descriptors: ControllerDescriptor[], config: ClientConfig, log: Logger, env: Omit<ControllerEnv, 'caPem'> = {}) {
    this.#descriptors = descriptors;
    this.#env = env;
    this.#config = config;
    this.#log = log;
  }

  async start(signal: AbortSignal): Promise<void> {
    const client = new ApiClient({ ...this.#config, userAgent: 'navarch-controller-manager' });
    this.#client = client;
    signal.addEventListener('abort', () => client.close(), { once: true });
    const informers = new InformerFactory(client, this.#log);
    const runners = this.#descriptors.map((d) => ({ d, runner: new ControllerRunner(d.create({ ...this.#env, caPem: this.#config.caPem }), d.workers, this.#log) }));
    for (const { d, runner } of runners) await runner.setup({ client, informers, log: this.#log }, new ApiEventRecorder(client, d.eventComponent ?? `${d.name}-controller`, this.#log));
    await informers.start(signal);
    for (const { runner } of runners) runner.start(signal);
  }
}
