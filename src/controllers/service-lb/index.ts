// The service load balancer: LoadBalancer services exposed on the nodes' addresses (k3s's ServiceLB).
export { ServiceLoadBalancerController } from './service-lb-controller.ts';
