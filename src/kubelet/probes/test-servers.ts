// Local servers for the probe tests (127.0.0.1, ephemeral ports), closed with every connection.
import * as http from 'node:http';
import * as https from 'node:https';
import * as http2 from 'node:http2';
import * as net from 'node:net';

export interface Running {
  port: number;
  close(): Promise<void>;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () => new Promise((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
}

function tracked(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  // TLS servers report the raw socket through 'connection' too.
  return sockets;
}

export async function startHttp(handler: http.RequestListener): Promise<Running> {
  const server = http.createServer(handler);
  const sockets = tracked(server);
  return { port: await listen(server), close: closer(server, sockets) };
}

export async function startHttps(handler: http.RequestListener, cert: string, key: string): Promise<Running> {
  const server = https.createServer({ cert, key }, handler);
  const sockets = tracked(server);
  return { port: await listen(server), close: closer(server, sockets) };
}

export async function startTcp(onConnection: (s: net.Socket) => void = () => {}): Promise<Running> {
  const server = net.createServer(onConnection);
  const sockets = tracked(server);
  return { port: await listen(server), close: closer(server, sockets) };
}

export async function startH2c(onStream: (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void): Promise<Running> {
  const server = http2.createServer();
  const sockets = tracked(server);
  server.on('stream', onStream);
  return { port: await listen(server), close: closer(server, sockets) };
}

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
