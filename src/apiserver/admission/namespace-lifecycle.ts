// Nothing can be created in a namespace that does not exist or is being deleted; the
// initial namespaces cannot be deleted (upstream's NamespaceLifecycle admission).
import type { Admission } from '../rest/context.ts';
import { errors } from '../../api/status.ts';
import { objectKey } from '../watchcache/keys.ts';
import { decodeObject } from '../watchcache/watch-cache.ts';

export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

export const namespaceLifecycle: Admission = {
  name: 'NamespaceLifecycle',
  async admit(op, desc, obj, _old, ctx) {
    if (op === 'DELETE' && desc.group === '' && desc.plural === 'namespaces' && IMMORTAL_NAMESPACES.includes(obj.metadata?.name)) {
      throw errors.forbidden('', 'namespaces', obj.metadata.name, 'this namespace may not be deleted');
    }
    if (op !== 'CREATE' || desc.scope !== 'Namespaced') return;
    const ns = obj.metadata?.namespace;
    const key = objectKey('', 'namespaces', '', ns);
    let nsObj = ctx.cache.get(key)?.obj;
    if (!nsObj) {
      const kv = await ctx.store.get(key);
      nsObj = kv ? decodeObject(kv) : undefined;
    }
    if (!nsObj) throw errors.notFound('', 'namespaces', ns);
    if (nsObj.metadata?.deletionTimestamp || nsObj.status?.phase === 'Terminating') {
      // Events about the namespace's own teardown are still allowed, as upstream.
      if (desc.plural === 'events') return;
      throw errors.forbidden(desc.group, desc.plural, obj.metadata?.name ?? '', `unable to create new content in namespace ${ns} because it is being terminated`);
    }
  },
};
