// A PersistentVolumeClaim created without a storage class gets the default one (upstream's
// DefaultStorageClass admission). An explicit class, even "", is kept. With several classes
// marked default the newest wins (then the first by name), as upstream since 1.26.
import type { Admission } from '../rest/context.ts';
import { resourcePrefix } from '../watchcache/keys.ts';

const IS_DEFAULT = 'storageclass.kubernetes.io/is-default-class';
const BETA_IS_DEFAULT = 'storageclass.beta.kubernetes.io/is-default-class';
const BETA_CLASS = 'volume.beta.kubernetes.io/storage-class';

export const defaultStorageClass: Admission = {
  name: 'DefaultStorageClass',
  async admit(op, desc, obj, _old, ctx, attrs) {
    if (op !== 'CREATE' || desc.group !== '' || desc.plural !== 'persistentvolumeclaims' || attrs?.subresource) return;
    const spec = (obj.spec ??= {});
    if ((spec.storageClassName !== undefined && spec.storageClassName !== null) || obj.metadata?.annotations?.[BETA_CLASS] !== undefined) return;
    const defaults = ctx.cache.list(resourcePrefix('storage.k8s.io', 'storageclasses')).map((c) => c.obj)
      .filter((c) => c.metadata?.annotations?.[IS_DEFAULT] === 'true' || c.metadata?.annotations?.[BETA_IS_DEFAULT] === 'true');
    if (!defaults.length) return;
    defaults.sort((a, b) => {
      const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
      const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
      return ta !== tb ? tb - ta : a.metadata.name < b.metadata.name ? -1 : 1;
    });
    spec.storageClassName = defaults[0]!.metadata.name;
  },
};
