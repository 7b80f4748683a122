export { ServiceAllocator, DEFAULT_NODE_PORT_RANGE, SERVICE_IP_PREFIX, NODE_PORT_PREFIX, type PortRange } from './service-allocator.ts';
export { AllocationRepair } from './allocation-repair.ts';
