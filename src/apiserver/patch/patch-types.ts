// The patch content types an endpoint accepts. Custom resources have no strategic merge
// patch (no patch strategies without Go types), so their endpoints leave it out and a
// strategic merge patch to them is answered 415 listing these.
export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/** Accepted patch content types, in upstream's order; `typed` is false for custom resources. */
export function supportedPatchTypes(typed: boolean): string[] {
  return typed ? [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH] : [JSON_PATCH, MERGE_PATCH, APPLY_PATCH];
}

/** The patch type of a Content-Type (parameters ignored), if it is one this endpoint takes. */
export function patchTypeOf(contentType: string | undefined, typed: boolean): PatchType | undefined {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!supportedPatchTypes(typed).includes(mediaType)) return undefined;
  return mediaType === JSON_PATCH ? 'json' : mediaType === MERGE_PATCH ? 'merge' : mediaType === STRATEGIC_MERGE_PATCH ? 'strategic' : 'apply';
}
