export { ResourceQuotaController, type ResourceQuotaControllerOptions } from './resource-quota-controller.ts';
import type { ControllerDescriptor } from '../engine/controller.ts';
import { ResourceQuotaController } from './resource-quota-controller.ts';

/** The registry entry (src/controllers/index.ts). */
export const resourceQuotaDescriptor: ControllerDescriptor = { name: 'resourcequota', workers: 2, create: () => new ResourceQuotaController() };
