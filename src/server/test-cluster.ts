// An in-process control plane for integration tests: API server on a free loopback port over
// an in-memory SQLite store, with only the controllers a test asks for. Components under test
// talk to it through the API like they do in production.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../base/log.ts';
import { ApiClient, type ClientConfig } from '../client/api-client.ts';
import { ControlPlane } from './control-plane.ts';

export interface TestCluster {
  /** Admin client (system:masters). */
  client: ApiClient;
  /** Connection settings for the admin, or for another identity. */
  config(user?: string, groups?: string[]): Promise<ClientConfig>;
  kubeconfig: string;
  url: string;
  stop(): Promise<void>;
}

export async function startTestCluster(opts: { controllers?: string[]; scheduler?: boolean } = {}): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'navarch-it-'));
  const abort = new AbortController();
  const cp = new ControlPlane({
    dataDir: dir, host: '127.0.0.1', port: 0, store: 'memory', etcdEndpoints: [],
    log: createLogger({ component: 'test-cluster' }), controllers: opts.controllers ?? [], scheduler: opts.scheduler ?? false,
  });
  try {
    await cp.start(abort.signal);
  } catch (e) {
    abort.abort();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const admin = await cp.clientConfig('admin', ['system:masters']);
  const client = new ApiClient({ ...admin, userAgent: 'navarch-test' });
  return {
    client,
    config: async (user = 'admin', groups = ['system:masters']) => cp.clientConfig(user, groups),
    kubeconfig: cp.kubeconfigPath,
    url: cp.url,
    async stop() {
      client.close();
      abort.abort();
      await cp.stopped();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Polls fn (every 50 ms) until it returns something other than undefined or false, and returns
 * that; a throw counts as "not yet" (objects may not exist yet). Fails after timeoutMs naming
 * what it waited for and the last error. Shared by the integration tests.
 */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const v = await fn().catch((e) => { lastError = e; return undefined; });
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message ?? lastError}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
