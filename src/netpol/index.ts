export { NetworkPolicyEnforcer, type NetworkPolicyEnforcerOptions } from './network-policy-enforcer.ts';
