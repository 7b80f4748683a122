// Writing responses: JSON bodies, Status errors, Warning headers.
import type { ServerResponse } from 'node:http';
import { StatusError, errors } from '../../api/status.ts';

export function sendJSON(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const data = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data), 'Cache-Control': 'no-cache, private' });
  res.end(data);
}

export function sendStatusError(res: ServerResponse, err: unknown): void {
  const se = err instanceof StatusError ? err : errors.internal((err as Error)?.message ?? String(err));
  if (res.headersSent) { res.destroy(); return; }
  sendJSON(res, se.code, se.status);
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}

/** Warning headers as upstream writes them: 299 - "text". */
export function setWarnings(res: ServerResponse, warnings: string[]): void {
  if (!warnings.length) return;
  res.setHeader('Warning', [...new Set(warnings)].map((w) => `299 - ${JSON.stringify(w)}`));
}
