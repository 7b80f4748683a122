// Bind: POST the pod's Binding to the API server (pods/binding), which sets spec.nodeName.
import type { Handle, Plugin, PluginFactory } from '../../framework/interface.ts';
import { Status } from '../../framework/status.ts';

export const NAME = 'DefaultBinder';

export const newDefaultBinder: PluginFactory = (_args, handle: Handle): Plugin => ({
  name: NAME,
  async bind(_state, pod, nodeName) {
    const { namespace, name, uid } = pod.pod.metadata;
    try {
      await handle.client.request('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/binding`, {
        apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace, uid }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
      });
      return Status.success();
    } catch (err) {
      return Status.error(err);
    }
  },
});
