// Every built-in type's schema, keyed by upstream definition name.
import type { TypeDefs } from './model.ts';
import { metaV1Types } from './meta-v1.ts';
import { coreV1Types } from './core-v1/index.ts';
import { groupTypes } from './groups/index.ts';

export * from './model.ts';
export const builtinTypes: TypeDefs = { ...metaV1Types, ...coreV1Types, ...groupTypes };
