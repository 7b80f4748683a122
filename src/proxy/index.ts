export { ServiceProxy, type ServiceProxyOptions } from './service-proxy.ts';
export { servicePorts, type ServicePort, type Endpoint } from './service-ports.ts';
