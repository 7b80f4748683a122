// Shared by the Endpoints and EndpointSlice controllers: which pods back a Service and how
// each becomes an endpoint (upstream's k8s.io/endpointslice/util). Not a controller.
export {
  isPodReady, podIPs, shouldPodBeInEndpoints, shouldSetHostname, isServiceIPSet, serviceSelector, selectorMatches,
  findPort, isIPv6, podEndpointsChanged, formatTime,
} from './pod-rules.ts';
export { ServicePodIndex } from './service-pod-index.ts';
export { TriggerTimeTracker, LAST_CHANGE_TRIGGER_TIME } from './trigger-time-tracker.ts';
