export { DisruptionController } from './disruption-controller.ts';
