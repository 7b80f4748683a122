// Starts a throwaway single-member etcd for tests and benchmarks: loopback only, free client and
// peer ports, a temporary data dir. stop() kills it by PID and removes the dir; a test process
// that exits without calling stop still kills it.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestEtcd {
  /** Client URL, e.g. http://127.0.0.1:41234. */
  readonly endpoint: string;
  readonly pid: number;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export interface TestEtcdOptions {
  /** Default /usr/bin/etcd (Debian's etcd-server). */
  binary?: string;
  /** How long to wait for it to serve; default 30 s. */
  readyTimeoutMs?: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitHealthy(endpoint: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`etcd exited early:\n${output()}`);
    try {
      const response = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
      if (response.ok && ((await response.json()) as { health?: string }).health === 'true') return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`etcd did not become healthy in ${timeoutMs} ms:\n${output()}`);
}

export async function startTestEtcd(options: TestEtcdOptions = {}): Promise<TestEtcd> {
  const dataDir = await mkdtemp(join(tmpdir(), 'navarch-etcd-'));
  let child: ChildProcess | undefined;
  const killOnExit = (): void => { child?.kill('SIGKILL'); };
  try {
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    const endpoint = `http://127.0.0.1:${clientPort}`;
    const peer = `http://127.0.0.1:${peerPort}`;
    child = spawn(options.binary ?? '/usr/bin/etcd', [
      '--name', 'navarch-test',
      '--data-dir', join(dataDir, 'data'),
      '--listen-client-urls', endpoint, '--advertise-client-urls', endpoint,
      '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer,
      '--initial-cluster', `navarch-test=${peer}`, '--initial-cluster-state', 'new',
      '--logger', 'zap', '--log-level', 'error',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    process.once('exit', killOnExit);
    let output = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => { output = (output + chunk).slice(-8000); });
    await waitHealthy(endpoint, child, () => output, options.readyTimeoutMs ?? 30_000);
    const running = child;
    let stopping: Promise<void> | undefined;
    return {
      endpoint, pid: running.pid!, dataDir,
      stop: () => stopping ??= (async () => {
        running.kill('SIGTERM');
        const killer = setTimeout(() => running.kill('SIGKILL'), 5000);
        await exited(running);
        clearTimeout(killer);
        process.removeListener('exit', killOnExit);
        await rm(dataDir, { recursive: true, force: true });
      })(),
    };
  } catch (err) {
    if (child) {
      child.kill('SIGKILL');
      await exited(child);
    }
    process.removeListener('exit', killOnExit);
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}
