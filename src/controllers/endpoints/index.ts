// The Endpoints controller: Endpoints objects from Services' selectors and their pods.
import { EndpointsController } from './endpoints-controller.ts';

export { EndpointsController, HEADLESS_LABEL, OVER_CAPACITY } from './endpoints-controller.ts';
export { desiredSubsets, repackSubsets, truncateSubsets, MAX_CAPACITY, type EndpointSubset, type EndpointAddress, type EndpointPort } from './subsets.ts';

export const newEndpointsController = (): EndpointsController => new EndpointsController();
