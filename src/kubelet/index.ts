// Node agents. sim/: many simulated nodes in one process (registration, leases, status, pod
// lifecycle stages); the real runc-backed kubelet will live beside it.
export { SimulatedNodes, type SimulatedNodesOptions } from './sim/simulated-nodes.ts';
export { runSimulation, SIMULATE_FLAGS, type SimulationOptions } from './sim/run-simulation.ts';
export { DelayQueue } from './sim/delay-queue.ts';
export { DEFAULT_TIMINGS, COMPLETE_AFTER, FAIL_AFTER, POD_STAGES, type SimTimings, type PodStage } from './sim/pod-stages.ts';
export { DEFAULT_CAPACITY, KUBELET_VERSION, type NodeCapacity } from './sim/node-shape.ts';
export { podUsage, nodeUsage, CPU_USAGE, MEMORY_USAGE, type Usage, type ContainerUsage } from './sim/usage.ts';
export { NodeAgent, nodePodCIDR, hostTag, cleanUpNodeAgent, type NodeAgentOptions } from './agent/node-agent.ts';
export { primaryIPv4 } from './node/host-node.ts';
