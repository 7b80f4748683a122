// Loopback HTTP backends for the ingress tests: a server counting its connections, and a port
// nothing listens on.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Backend { server: Server; port: number; connections: number; close(): Promise<void> }

export async function startBackend(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Backend> {
  const server = createServer(handler);
  const b: Backend = { server, port: 0, connections: 0, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
  server.on('connection', () => b.connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  b.port = (server.address() as AddressInfo).port;
  return b;
}

/** A port nothing listens on. */
export async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}
