// Answers written straight onto a socket that asked for an upgrade (Node hands such requests
// over as raw sockets): errors as Status JSON or relayed text, and the SPDY 101.
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { StatusError, errors } from '../../api/status.ts';

export function writeResponse(socket: Duplex, code: number, contentType: string, body: string): void {
  const bytes = Buffer.from(body);
  socket.end(`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}\r\nContent-Type: ${contentType}\r\nContent-Length: ${bytes.length}\r\n` +
    `Cache-Control: no-cache, private\r\nConnection: close\r\n\r\n${body}`);
}

/** A failed upgrade as a Status document, which kubectl prints as `Error from server (…)`. */
export function writeStatusError(socket: Duplex, err: unknown): void {
  const se = err instanceof StatusError ? err : errors.internal((err as Error)?.message ?? String(err));
  writeResponse(socket, se.code, 'application/json', JSON.stringify(se.status));
}

export function writeSpdySwitch(socket: Duplex, protocol: string | undefined): void {
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n` +
    `${protocol ? `X-Stream-Protocol-Version: ${protocol}\r\n` : ''}\r\n`);
}

/**
 * Picks the client's first offered protocol this side supports (upstream's httpstream.Handshake).
 * undefined: the client offered none (the oldest protocol applies); throws 403 when none match.
 */
export function negotiateStreamProtocol(offered: string[], supported: readonly string[]): string | undefined {
  const list = offered.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (list.length === 0) return undefined;
  const chosen = list.find((p) => supported.includes(p));
  if (!chosen) throw new StatusError(403, 'Forbidden', `unable to upgrade: unable to negotiate protocol: client supports [${list.join(' ')}], server supports [${supported.join(' ')}]`);
  return chosen;
}
