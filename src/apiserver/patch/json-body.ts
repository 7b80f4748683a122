// Decoding of JSON patch bodies, with syntax errors worded like Go's encoding/json.

export function parseJsonBody(body: string | Uint8Array): unknown {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  return JSON.parse(text);
}

/** Go's wording for a JSON syntax error, as near as the JavaScript parser's report allows. */
export function describeJsonSyntaxError(body: string | Uint8Array, e: unknown): string {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  const message = e instanceof Error ? e.message : String(e);
  if (text.trim() === '' || /end of (JSON )?input|Unterminated/i.test(message)) return 'unexpected end of JSON input';
  const at = /position (\d+)/.exec(message);
  const ch = at ? text[Number(at[1])] : undefined;
  if (ch !== undefined) return `invalid character '${ch}' looking for beginning of value`;
  return message;
}
