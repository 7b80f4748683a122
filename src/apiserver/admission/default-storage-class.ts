// A PersistentVolumeClaim created without a storage class gets the default one (upstream's
// DefaultStorageClass admission). An explicit class, even "", is kept. With several classes
// marked default the newest wins (then the first by name), as upstream since 1.26.
import type { Admission } from '../rest/context.ts';
import { newestDefault } from './newest-default.ts';

const IS_DEFAULT = 'storageclass.kubernetes.io/is-default-class';
const BETA_IS_DEFAULT = 'storageclass.beta.kubernetes.io/is-default-class';
const BETA_CLASS = 'volume.beta.kubernetes.io/storage-class';

export const defaultStorageClass: Admission = {
  name: 'DefaultStorageClass',
  async admit(op, desc, obj, _old, ctx, attrs) {
    if (op !== 'CREATE' || desc.group !== '' || desc.plural !== 'persistentvolumeclaims' || attrs?.subresource) return;
    const spec = (obj.spec ??= {});
    if ((spec.storageClassName !== undefined && spec.storageClassName !== null) || obj.metadata?.annotations?.[BETA_CLASS] !== undefined) return;
    const name = newestDefault(ctx, 'storage.k8s.io', 'storageclasses', [IS_DEFAULT, BETA_IS_DEFAULT]);
    if (name) spec.storageClassName = name;
  },
};
