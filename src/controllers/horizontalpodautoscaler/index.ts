export { HorizontalPodAutoscalerController, type HorizontalPodAutoscalerOptions } from './hpa-controller.ts';
import type { ControllerDescriptor } from '../engine/controller.ts';
import { HorizontalPodAutoscalerController } from './hpa-controller.ts';

/** The registry entry (src/controllers/index.ts). */
export const horizontalPodAutoscalerDescriptor: ControllerDescriptor = { name: 'horizontal-pod-autoscaler', workers: 5, create: () => new HorizontalPodAutoscalerController() };
