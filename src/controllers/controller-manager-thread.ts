// The controller manager on a component thread (src/base/thread): what `navarch server` runs, so
// that reconciling (and decoding every watched object into the controllers' informers) uses the
// other core while the API server answers the writes it makes. Controllers are picked by name:
// descriptors are code, and a thread gets only cloneable options.
import { serveComponent } from '../base/thread/component-thread.ts';
import { createLogger } from '../base/log.ts';
import type { ClientConfig } from '../client/api-client.ts';
import type { ControllerEnv } from './engine/controller.ts';
import { ControllerManager } from './engine/manager.ts';
import { controllers } from './index.ts';

export interface ControllerManagerThreadOptions {
  config: ClientConfig;
  /** Names of the controllers to run (absent: all). */
  controllers?: string[];
  env?: Omit<ControllerEnv, 'caPem'>;
}

serveComponent<ControllerManagerThreadOptions>(async (o, signal) => {
  const enabled = o.controllers ? controllers.filter((c) => o.controllers!.includes(c.name)) : controllers;
  const manager = new ControllerManager(enabled, o.config, createLogger({ component: 'controller-manager' }), o.env);
  await manager.start(signal);
});
