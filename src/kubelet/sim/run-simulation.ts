// `navarch simulate`: simulated nodes joined to a cluster given by a kubeconfig, running in the
// foreground until the signal aborts. The CLI parses flags and calls this.
import { loadKubeconfig } from '../../client/api-client.ts';
import type { Logger } from '../../base/log.ts';
import { SimulatedNodes } from './simulated-nodes.ts';
import type { NodeCapacity } from './node-shape.ts';

export interface SimulationOptions {
  kubeconfig: string;
  nodes: number;
  namePrefix?: string;
  firstIndex?: number;
  zones?: number;
  capacity?: Partial<NodeCapacity>;
  labels?: Record<string, string>;
  log: Logger;
  /** Called once every node has registered (e.g. to print a line). */
  onReady?(sim: SimulatedNodes): void;
}

/** The flags `navarch simulate` takes, for the CLI's command table and --help. */
export const SIMULATE_FLAGS = [
  { name: 'kubeconfig', value: 'FILE', help: 'Kubeconfig of the cluster the nodes join (an identity allowed to write nodes, leases and pods)' },
  { name: 'nodes', value: 'N', help: 'How many nodes to simulate', default: '3' },
  { name: 'name-prefix', value: 'PREFIX', help: 'Node names are PREFIX0, PREFIX1, …', default: 'sim-node-' },
  { name: 'first-index', value: 'N', help: 'Number of the first node (distinct ranges for several simulators)', default: '0' },
  { name: 'zones', value: 'N', help: 'Spread the nodes over N zones (topology.kubernetes.io/zone=zone-a, …)', default: '0' },
  { name: 'cpu', value: 'Q', help: 'CPU capacity of each node', default: '8' },
  { name: 'memory', value: 'Q', help: 'Memory capacity of each node', default: '32Gi' },
  { name: 'pods', value: 'N', help: 'Pod capacity of each node', default: '110' },
] as const;

/** Starts the nodes; resolves once they have stopped after signal aborted. */
export async function runSimulation(opts: SimulationOptions, signal: AbortSignal): Promise<void> {
  if (!Number.isInteger(opts.nodes) || opts.nodes < 1) throw new RangeError(`--nodes must be a positive whole number, got "${opts.nodes}"`);
  const sim = new SimulatedNodes({
    client: loadKubeconfig(opts.kubeconfig), count: opts.nodes, namePrefix: opts.namePrefix, firstIndex: opts.firstIndex,
    zones: opts.zones, capacity: opts.capacity, labels: opts.labels, log: opts.log,
  });
  await sim.start(signal);
  if (!signal.aborted) opts.onReady?.(sim);
  await sim.stopped();
}
