// `navarch simulate` lives with the node agents; the CLI reaches it through the composition root.
export { runSimulation, SIMULATE_FLAGS, type SimulationOptions } from '../kubelet/index.ts';
