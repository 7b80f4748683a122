// The EndpointSlice controller: discovery.k8s.io/v1 EndpointSlices for Services with selectors.
import { EndpointSliceController, type EndpointSliceControllerOptions } from './endpointslice-controller.ts';

export { EndpointSliceController, ENDPOINT_SLICES, type EndpointSliceControllerOptions } from './endpointslice-controller.ts';
export {
  planSlices, newSlice, sliceLabels, SERVICE_NAME_LABEL, MANAGED_BY_LABEL, CONTROLLER_NAME, DEFAULT_MAX_ENDPOINTS_PER_SLICE, type SlicePlan,
} from './slice-plan.ts';
export { podToEndpoint, endpointPorts, ZONE_LABEL, type AddressType, type SlicePort } from './endpoint-from-pod.ts';

export const newEndpointSliceController = (opts: EndpointSliceControllerOptions = {}): EndpointSliceController => new EndpointSliceController(opts);
