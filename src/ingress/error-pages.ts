// The pages the controller answers itself with: what went wrong in a sentence a user can act
// on, as HTML (ingress-nginx answers with nginx's bare pages; ours say why).
import { STATUS_CODES } from 'node:http';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function errorPage(status: number, detail: string): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>${title}</title></head>
<body>
<center><h1>${title}</h1></center>
<p style="text-align:center">${escapeHtml(detail)}</p>
<hr><center>navarch ingress</center>
</body>
</html>
`;
}

/** A whole HTTP/1.1 response (for sockets taken over by an upgrade), closing the connection. */
export function rawErrorResponse(status: number, detail: string): string {
  const body = errorPage(status, detail);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}
