// The node lifecycle controller: node health from leases and status, condition taints,
// rate-limited NoExecute tainting and taint-based pod eviction.
import type { ControllerDescriptor } from '../engine/controller.ts';
import { NodeLifecycleController, type NodeLifecycleOptions } from './node-lifecycle-controller.ts';

export { NodeLifecycleController, type NodeLifecycleOptions } from './node-lifecycle-controller.ts';
export { NOT_READY, UNREACHABLE, UNSCHEDULABLE, tolerates, tolerationSeconds, noScheduleTaints, type Taint } from './taints.ts';

/** The registry entry (upstream defaults: 40 s grace, 0.1 nodes/s tainting). */
export const nodeLifecycleDescriptor = (opts: NodeLifecycleOptions = {}): ControllerDescriptor => ({
  name: 'node-lifecycle', workers: 4, create: (env) => new NodeLifecycleController({ ...opts, ...(env?.nodeMonitorGracePeriodMs ? { nodeMonitorGracePeriodMs: env.nodeMonitorGracePeriodMs } : {}) }), eventComponent: 'node-controller',
});
