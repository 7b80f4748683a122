// Which of several objects marked default wins (default StorageClass, default IngressClass):
// the newest, then the first by name, as upstream since 1.26.
import type { KubeObject } from '../../api/registry/resource.ts';
import type { ApiContext } from '../rest/context.ts';
import { resourcePrefix } from '../watchcache/keys.ts';

/** The name of the newest object of group/plural with one of the annotations set to "true". */
export function newestDefault(ctx: ApiContext, group: string, plural: string, annotations: string[]): string | undefined {
  const marked = ctx.cache.list(resourcePrefix(group, plural)).map((c) => c.obj as KubeObject)
    .filter((o) => annotations.some((a) => o.metadata?.annotations?.[a] === 'true'));
  marked.sort((a, b) => {
    const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
    const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
    return ta !== tb ? tb - ta : a.metadata.name < b.metadata.name ? -1 : 1;
  });
  return marked[0]?.metadata.name;
}
