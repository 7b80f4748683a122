// A loopback HTTP stub that answers just enough (version, legacy discovery, optional extra
// routes) for a real kubectl to run one command against it, and records every request.
import http from 'node:http';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export type Route = (req: RecordedRequest) => { status: number; contentType: string; body: string | Uint8Array } | undefined;

/** The path of kubectl.<version> (e.g. '1.33'), or undefined when it is not installed. */
export function findKubectl(version: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = path.join(dir, 'kubectl');
    if (!existsSync(candidate)) continue;
    const real = path.join(path.dirname(realpathSync(candidate)), `kubectl.${version}`);
    if (existsSync(real)) return real;
  }
  return undefined;
}

const coreResources = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    { name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['cm'] },
    { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ns'] },
    { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['po'] },
  ],
};

export interface KubectlStub {
  requests: RecordedRequest[];
  /** Runs kubectl with a kubeconfig pointing at the stub; resolves with its output, never rejects. */
  run(kubectl: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

export async function startKubectlStub(extra: Route = () => undefined): Promise<KubectlStub> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(recorded);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const custom = extra(recorded);
      if (custom) {
        res.writeHead(custom.status, { 'content-type': custom.contentType });
        res.end(custom.body);
        return;
      }
      const p = recorded.url.split('?')[0];
      if (p === '/version') return json(200, { major: '1', minor: '33', gitVersion: 'v1.33.1', platform: 'linux/amd64' });
      if (p === '/api') return json(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
      if (p === '/apis') return json(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
      if (p === '/api/v1') return json(200, coreResources);
      if (recorded.method === 'POST') return json(400, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'recorded by stub', reason: 'BadRequest', code: 400 });
      json(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'not found', reason: 'NotFound', code: 404 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const dir = await mkdtemp(path.join(tmpdir(), 'navarch-kubectl-stub-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: stub, cluster: {server: "http://127.0.0.1:${port}"}}]\n` +
      `users: [{name: stub, user: {token: stub}}]\ncontexts: [{name: stub, context: {cluster: stub, user: stub, namespace: default}}]\ncurrent-context: stub\n`,
  );
  return {
    requests,
    run(kubectl, args) {
      return new Promise((resolve) => {
        execFile(
          kubectl,
          [`--kubeconfig=${kubeconfig}`, `--cache-dir=${path.join(dir, 'cache')}`, ...args],
          { env: { ...process.env, HOME: dir, KUBECONFIG: kubeconfig }, timeout: 60_000 },
          (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
        );
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
