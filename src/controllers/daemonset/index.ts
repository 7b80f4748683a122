// The DaemonSet controller (registry name 'daemonset').
import type { ControllerDescriptor } from '../engine/controller.ts';
import { DaemonSetController } from './daemonset-controller.ts';

export { DaemonSetController } from './daemonset-controller.ts';
export { DAEMONSETS } from './revisions.ts';
export { nodeShouldRunDaemonPod, targetNodeName } from './node-fit.ts';

export const daemonSetControllerDescriptor: ControllerDescriptor = { name: 'daemonset', workers: 2, create: () => new DaemonSetController(), eventComponent: 'daemonset-controller' };
