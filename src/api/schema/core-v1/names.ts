// Reference constructors for the two packages core/v1 types point into.
import type { TypeRef } from '../model.ts';
import { META, ref } from '../model.ts';

export const CORE = 'io.k8s.api.core.v1';
/** A reference to a core/v1 type by its short name, e.g. core('PodSpec'). */
export const core = (name: string): TypeRef => ref(`${CORE}.${name}`);
/** A reference to a meta/v1 type by its short name, e.g. meta('LabelSelector'). */
export const meta = (name: string): TypeRef => ref(`${META}.${name}`);
