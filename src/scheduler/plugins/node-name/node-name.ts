// Filter: a pod that names its node (spec.nodeName) fits only that node.
import type { Plugin, PluginFactory } from '../../framework/interface.ts';
import { Status } from '../../framework/status.ts';

export const NAME = 'NodeName';
export const ERR_REASON = "node(s) didn't match the requested node name";

export const newNodeName: PluginFactory = (): Plugin => ({
  name: NAME,
  events: () => [{ resource: 'Node', actions: ['Add', 'Update'] }],
  filter(_state, pod, node) {
    const wanted = pod.pod.spec?.nodeName;
    if (wanted && wanted !== node.name) return Status.unresolvable(ERR_REASON);
  },
});
