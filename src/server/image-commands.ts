// `navarch image` works on the node's image store, DATA_DIR/images (the same directory the node
// agent uses); the CLI reaches the store through the composition root.
import { join } from 'node:path';
import { ImageStore } from '../kubelet/images/index.ts';

export { ImageStore, familiarName, type ImageRecord, type RemoveResult } from '../kubelet/images/index.ts';

/** Where the image store of a server's data dir lives. */
export function imageStoreDir(dataDir: string): string {
  return join(dataDir, 'images');
}

export function openImageStore(dataDir: string): ImageStore {
  return new ImageStore(imageStoreDir(dataDir));
}
