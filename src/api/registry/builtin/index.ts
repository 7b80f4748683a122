import type { ResourceDescription } from '../resource.ts';
import { coreResources } from './core.ts';
import { groupResources } from './groups.ts';

/** Every built-in resource served by the API server. */
export const builtinResources: ResourceDescription[] = [...coreResources, ...groupResources];
