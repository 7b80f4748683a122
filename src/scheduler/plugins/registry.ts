// The plugin registry: name → factory. Adding a plugin is adding an entry here.
import type { PluginFactory, Profile } from '../framework/interface.ts';
import { NAME as PRIORITY_SORT, newPrioritySort } from './priority-sort/priority-sort.ts';
import { NAME as NODE_UNSCHEDULABLE, newNodeUnschedulable } from './node-unschedulable/node-unschedulable.ts';
import { NAME as NODE_NAME, newNodeName } from './node-name/node-name.ts';
import { NAME as TAINT_TOLERATION, newTaintToleration } from './taint-toleration/taint-toleration.ts';
import { NAME as NODE_AFFINITY, newNodeAffinity } from './node-affinity/node-affinity.ts';
import { NAME as NODE_PORTS, newNodePorts } from './node-ports/node-ports.ts';
import { NAME as NODE_RESOURCES_FIT, newNodeResourcesFit } from './node-resources-fit/node-resources-fit.ts';
import { NAME as POD_TOPOLOGY_SPREAD, newPodTopologySpread } from './pod-topology-spread/pod-topology-spread.ts';
import { NAME as INTER_POD_AFFINITY, newInterPodAffinity } from './inter-pod-affinity/inter-pod-affinity.ts';
import { NAME as DEFAULT_PREEMPTION, newDefaultPreemption } from './default-preemption/default-preemption.ts';
import { NAME as BALANCED_ALLOCATION, newBalancedAllocation } from './balanced-allocation/balanced-allocation.ts';
import { NAME as DEFAULT_BINDER, newDefaultBinder } from './default-binder/default-binder.ts';

export const pluginRegistry: ReadonlyMap<string, PluginFactory> = new Map([
  [PRIORITY_SORT, newPrioritySort],
  [NODE_UNSCHEDULABLE, newNodeUnschedulable],
  [NODE_NAME, newNodeName],
  [TAINT_TOLERATION, newTaintToleration],
  [NODE_AFFINITY, newNodeAffinity],
  [NODE_PORTS, newNodePorts],
  [NODE_RESOURCES_FIT, newNodeResourcesFit],
  [POD_TOPOLOGY_SPREAD, newPodTopologySpread],
  [INTER_POD_AFFINITY, newInterPodAffinity],
  [DEFAULT_PREEMPTION, newDefaultPreemption],
  [BALANCED_ALLOCATION, newBalancedAllocation],
  [DEFAULT_BINDER, newDefaultBinder],
]);

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/**
 * Upstream's default profile (v1 MultiPoint order and score weights), less the volume plugins
 * and ImageLocality; filters run in this order and the first rejection on a node counts.
 */
export const defaultProfile: Profile = {
  schedulerName: DEFAULT_SCHEDULER_NAME,
  plugins: [
    { name: PRIORITY_SORT },
    { name: NODE_UNSCHEDULABLE },
    { name: NODE_NAME },
    { name: TAINT_TOLERATION, weight: 3 },
    { name: NODE_AFFINITY, weight: 2 },
    { name: NODE_PORTS },
    { name: NODE_RESOURCES_FIT, weight: 1 },
    { name: POD_TOPOLOGY_SPREAD, weight: 2 },
    { name: INTER_POD_AFFINITY, weight: 2 },
    { name: DEFAULT_PREEMPTION },
    { name: BALANCED_ALLOCATION, weight: 1 },
    { name: DEFAULT_BINDER },
  ],
};
