// Content negotiation: what the client sent (Content-Type) and what it accepts (Accept).
export interface MediaType { type: string; params: Record<string, string> }

export function parseMediaType(value: string): MediaType {
  const [type, ...params] = value.split(';').map((s) => s.trim());
  const out: MediaType = { type: (type ?? '').toLowerCase(), params: {} };
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq > 0) out.params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
  }
  return out;
}

/** The media types of an Accept header, in order. */
export function parseAccept(header: string | undefined): MediaType[] {
  if (!header) return [];
  return header.split(',').map((s) => parseMediaType(s)).filter((m) => m.type);
}

/** True when the client asks for a meta.k8s.io Table rendering. */
export function wantsTable(accept: MediaType[]): boolean {
  for (const m of accept) {
    if (m.params.as === 'Table' && (m.params.g === 'meta.k8s.io') && (m.type === 'application/json' || m.type === '*/*')) return true;
    if (m.type === 'application/json' && !m.params.as) return false;
  }
  return false;
}

/** True when the client asks for PartialObjectMetadata(List). */
export function wantsPartialMetadata(accept: MediaType[]): string | undefined {
  for (const m of accept) {
    if (m.params.g === 'meta.k8s.io' && (m.params.as === 'PartialObjectMetadata' || m.params.as === 'PartialObjectMetadataList')) return m.params.as;
    if (m.type === 'application/json' && !m.params.as) return undefined;
  }
  return undefined;
}
