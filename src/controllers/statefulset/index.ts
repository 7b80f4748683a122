// The StatefulSet controller (registry name 'statefulset').
import type { ControllerDescriptor } from '../engine/controller.ts';
import { StatefulSetController } from './statefulset-controller.ts';

export { StatefulSetController, STATEFULSETS } from './statefulset-controller.ts';

export const statefulSetControllerDescriptor: ControllerDescriptor = { name: 'statefulset', workers: 5, create: () => new StatefulSetController(), eventComponent: 'statefulset-controller' };
