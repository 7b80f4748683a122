// The local-path provisioner (k3s's default storage): hostPath volumes on the consumer's node.
import { LocalPathProvisioner, type LocalPathOptions } from './local-path-provisioner.ts';

export {
  LocalPathProvisioner, localPathStorageClass, PROVISIONER_NAME, STORAGE_CLASS_NAME, DEFAULT_BASE_DIR, NODE_AFFINITY_KEY, STORAGE_CLASSES,
  type LocalPathOptions,
} from './local-path-provisioner.ts';

export const newLocalPathProvisioner = (opts: LocalPathOptions = {}): LocalPathProvisioner => new LocalPathProvisioner(opts);
