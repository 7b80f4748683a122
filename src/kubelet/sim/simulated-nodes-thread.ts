// Simulated nodes on a component thread (src/base/thread): what `navarch server --simulated-nodes`
// runs, so that a thousand nodes' heartbeats and pod status writes are made on the other core
// while the API server serves them. Options: SimulatedNodesOptions without the logger.
import { serveComponent } from '../../base/thread/component-thread.ts';
import { createLogger } from '../../base/log.ts';
import { SimulatedNodes, type SimulatedNodesOptions } from './simulated-nodes.ts';

export type SimulatedNodesThreadOptions = Omit<SimulatedNodesOptions, 'log'>;

serveComponent<SimulatedNodesThreadOptions>(async (o, signal) => {
  const nodes = new SimulatedNodes({ ...o, log: createLogger({ component: 'simulated-nodes' }) });
  await nodes.start(signal);
  return nodes;
});
