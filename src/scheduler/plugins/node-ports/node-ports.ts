// Filter: the pod's host ports must be free on the node (same protocol and port, on the same
// IP or either side binding all addresses).
import type { Plugin, PluginFactory } from '../../framework/interface.ts';
import type { NodeInfo } from '../../framework/node-info.ts';
import type { HostPort } from '../../framework/pod-info.ts';
import { Status } from '../../framework/status.ts';

export const NAME = 'NodePorts';
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";
const ANY = '0.0.0.0';

export function portsConflict(wanted: HostPort[], node: NodeInfo): boolean {
  for (const w of wanted) {
    if (w.hostIP === ANY) {
      const suffix = `|${w.protocol}|${w.port}`;
      for (const k of node.usedPorts.keys()) if (k.endsWith(suffix)) return true;
    } else if (node.usedPorts.has(`${ANY}|${w.protocol}|${w.port}`) || node.usedPorts.has(`${w.hostIP}|${w.protocol}|${w.port}`)) {
      return true;
    }
  }
  return false;
}

export const newNodePorts: PluginFactory = (): Plugin => ({
  name: NAME,
  events: () => [{ resource: 'AssignedPod', actions: ['Delete'] }, { resource: 'Node', actions: ['Add'] }],
  preFilter(_state, pod) { if (pod.hostPorts.length === 0) return Status.skip(); },
  filter(_state, pod, node) { if (portsConflict(pod.hostPorts, node)) return Status.unschedulable(ERR_REASON); },
});
