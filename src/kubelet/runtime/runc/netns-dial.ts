// Port-forward's connection to 127.0.0.1:<port> inside a pod's network namespace, so a server
// listening only on the pod's loopback is reached, as upstream's runtimes do. Node.js cannot
// enter a namespace; `nsenter --net=<path>` (util-linux) runs a small Python program there that
// connects and relays bytes both ways, keeping half-closes. Without a namespace (hostNetwork
// pods) the host's loopback is dialled directly.
import { createConnection } from 'node:net';
import type { Duplex } from 'node:stream';
import { nextStatus, startPythonHelper } from './python-helper.ts';

export const NSENTER = '/usr/bin/nsenter';

const SOURCE = String.raw`
import os, sys, socket, threading, json
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    s.connect(('127.0.0.1', port))
except OSError as e:
    reason = os.strerror(e.errno).lower() if e.errno else str(e)
    os.write(3, (json.dumps({'error': 'dial tcp4 127.0.0.1:%d: connect: %s' % (port, reason)}) + '\n').encode())
    os._exit(1)
os.write(3, b'{"ok": true}\n')
def upstream():
    try:
        while True:
            data = os.read(0, 65536)
            if not data:
                break
            s.sendall(data)
    except OSError:
        pass
    try:
        s.shutdown(socket.SHUT_WR)
    except OSError:
        pass
t = threading.Thread(target=upstream, daemon=True)
t.start()
try:
    while True:
        data = s.recv(65536)
        if not data:
            break
        while data:
            data = data[os.write(1, data):]
except OSError:
    pass
# The server is done: as upstream, the forwarded connection ends with it.
os.close(1)
os._exit(0)
`;

/**
 * Relays conn to 127.0.0.1:port in the namespace (the host's when netnsPath is undefined).
 * Rejects when the connection cannot be made; resolves once the server closed its side (or signal aborts).
 */
export function dialPodPort(netnsPath: string | undefined, port: number, conn: Duplex, signal: AbortSignal): Promise<void> {
  return netnsPath ? dialInNamespace(netnsPath, port, conn, signal) : dialHost(port, conn, signal);
}

async function dialInNamespace(netnsPath: string, port: number, conn: Duplex, signal: AbortSignal): Promise<void> {
  const helper = startPythonHelper(SOURCE, [String(port)], { prefix: [NSENTER, `--net=${netnsPath}`] });
  const { child } = helper;
  const onAbort = () => child.kill('SIGKILL');
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const status = await nextStatus(helper, `enter network namespace ${netnsPath}`);
    if (status.error) throw new Error(`failed to connect to localhost:${port} inside namespace "${netnsPath}": ${status.error}`);
    child.stdin!.on('error', () => undefined);
    conn.pipe(child.stdin!);
    child.stdout!.pipe(conn);
    await helper.exited;
    conn.unpipe(child.stdin!);
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await helper.exited;
  }
}

function dialHost(port: number, conn: Duplex, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = createConnection({ host: '127.0.0.1', port, allowHalfOpen: true });
    const onAbort = () => sock.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      signal.removeEventListener('abort', onAbort);
      const reason = e.code === 'ECONNREFUSED' ? 'connection refused' : e.message;
      reject(new Error(`dial tcp4 127.0.0.1:${port}: connect: ${reason}`));
    });
    sock.once('connect', () => {
      sock.removeAllListeners('error');
      sock.on('error', () => sock.destroy());
      conn.pipe(sock);
      sock.pipe(conn);
      const finish = () => { signal.removeEventListener('abort', onAbort); conn.unpipe(sock); sock.destroy(); resolve(); };
      // The server is done (its FIN, passed on to conn by the pipe) or the socket failed.
      sock.once('end', finish);
      sock.once('close', finish);
    });
  });
}
