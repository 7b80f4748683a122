// End-to-end harness: starts the built CLI's `navarch server` on a free port in a temporary
// data dir, and runs the real kubectl (oldest and newest supported) against it, each version
// with its own discovery cache. Everything it starts is stopped by PID, also on failure.
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, realpathSync, existsSync, readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { get, type IncomingHttpHeaders } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBusyboxImage, type BusyboxImageOptions } from '../../src/kubelet/images/testing/busybox-image.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const NAVARCH = join(ROOT, 'bin/navarch');

/** The kubectl binaries beside the machine's kubectl, e.g. kubectl.1.27. */
export function kubectlPath(version: string): string {
  const dir = dirname(realpathSync(execFileSync('sh', ['-c', 'command -v kubectl']).toString().trim()));
  const p = join(dir, `kubectl.${version}`);
  if (!existsSync(p)) throw new Error(`kubectl ${version} not found at ${p}`);
  return p;
}

export const KUBECTL_VERSIONS = ['1.27', '1.33'];

export interface RunResult { code: number; stdout: string; stderr: string }

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON (throws when it is not JSON). */
  json(): any;
}

export interface RawRequestOptions {
  body?: string | Buffer;
  /** Sent as Content-Type when a body is given; default application/json. */
  contentType?: string;
  headers?: Record<string, string>;
  /** Send no client certificate. */
  anonymous?: boolean;
  timeoutMs?: number;
}

/** The admin credentials in a kubeconfig written by `navarch server`. */
export interface AdminCredentials { server: string; ca: Buffer; cert: Buffer; key: Buffer }

export function readAdminCredentials(kubeconfigPath: string): AdminCredentials {
  const kc = parseYaml(readFileSync(kubeconfigPath, 'utf8'));
  const cluster = kc.clusters[0].cluster;
  const user = kc.users[0].user;
  const b64 = (s: string) => Buffer.from(s, 'base64');
  return { server: cluster.server, ca: b64(cluster['certificate-authority-data']), cert: b64(user['client-certificate-data']), key: b64(user['client-key-data']) };
}

export class TestServer {
  readonly dataDir: string;
  readonly #tmp: string;
  #proc: ChildProcess | undefined;
  #creds: AdminCredentials | undefined;
  /** Set while stop() ends the server, so an exit at any other time is reported. */
  #stopping = false;
  url = '';
  output = '';

  readonly extraArgs: string[];

  constructor(extraArgs: string[] = []) {
    this.extraArgs = extraArgs;
    this.#tmp = mkdtempSync(join(tmpdir(), 'navarch-e2e-'));
    this.dataDir = join(this.#tmp, 'data');
  }

  get kubeconfig(): string { return join(this.dataDir, 'kubeconfig'); }
  get pid(): number | undefined { return this.#proc?.pid; }

  async start(timeoutMs = 30_000): Promise<void> {
    this.output = '';
    this.url = '';
    this.#creds = undefined;
    this.output = '';
    const proc = spawn(NAVARCH, ['server', '--data-dir', this.dataDir, '--port', '0', ...this.extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#proc = proc;
    await new Promise<void>((resolveStart, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${this.output}`)), timeoutMs);
      const onData = (d: Buffer) => {
        this.output += d.toString();
        const m = /Navarch is running at (\S+)/.exec(this.output);
        if (m && this.output.includes('Kubeconfig written')) { this.url = m[1]; clearTimeout(timer); resolveStart(); }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', (d: Buffer) => { this.output += d.toString(); });
      proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${this.output}`)); });
    });
    // A server that dies under a test fails the test with "connection refused"; its last words say why.
    proc.on('exit', (code, sig) => {
      if (!this.#stopping) process.stderr.write(`\n== navarch server (${this.dataDir}) exited unexpectedly (${code ?? sig}); its last output:\n${this.output.slice(-6000)}\n`);
    });
  }

  /** Builds a busybox-based test image and imports it into this server's node with `navarch image import`. */
  async importImage(options: BusyboxImageOptions): Promise<void> {
    const archive = buildBusyboxImage(join(this.#tmp, `${options.name.replace(/[^a-z0-9.-]/gi, '_')}.tar`), options).file;
    const r = await run(NAVARCH, ['image', 'import', '--data-dir', this.dataDir, archive]);
    assert.equal(r.code, 0, r.stderr);
  }

  /** SIGTERM (or another signal) and wait for exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const proc = this.#proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return proc?.exitCode ?? null;
    this.#stopping = true;
    return new Promise((resolveStop) => {
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      proc.once('exit', (code) => { clearTimeout(timer); this.#stopping = false; resolveStop(code); });
      proc.kill(signal);
    });
  }

  /** kill -9: no chance to flush or close anything. */
  async kill9(): Promise<void> {
    await this.stop('SIGKILL');
  }

  /** Stops the server (if running) and starts it again on the same data dir (a new port). */
  async restart(timeoutMs = 30_000): Promise<void> {
    await this.stop();
    await this.start(timeoutMs);
  }

  /** A raw HTTPS request with the admin client certificate (or none), without keep-alive. */
  request(method: string, path: string, opts: RawRequestOptions = {}): Promise<RawResponse> {
    this.#creds ??= readAdminCredentials(this.kubeconfig);
    const creds = this.#creds;
    const url = new URL(path, this.url);
    const headers: Record<string, string | number> = { Accept: 'application/json', ...opts.headers };
    if (opts.body !== undefined) {
      headers['Content-Type'] ??= opts.contentType ?? 'application/json';
      headers['Content-Length'] = Buffer.byteLength(opts.body);
    }
    return new Promise((resolveReq, reject) => {
      const req = httpsRequest(url, {
        method, headers, agent: false, ca: creds.ca,
        ...(opts.anonymous ? {} : { cert: creds.cert, key: creds.key }),
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolveReq({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
        });
        res.on('error', reject);
      });
      req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(opts.body);
    });
  }

  /** Whether this server runs the node agent (real containers on this machine). */
  get runsAgent(): boolean { return !this.extraArgs.includes('--disable-agent'); }

  async cleanup(): Promise<void> {
    await this.stop();
    // The agent's pods outlive the server (as k3s's do); `navarch cleanup` removes them and the pod network.
    if (this.runsAgent) {
      const r = await run(NAVARCH, ['cleanup', '--data-dir', this.dataDir], { timeoutMs: 120_000 });
      if (r.code !== 0) throw new Error(`navarch cleanup failed: ${r.stderr}`);
    }
    rmSync(this.#tmp, { recursive: true, force: true });
  }

  /** Runs kubectl of a version against this server with its own cache dir. */
  kubectl(version: string, args: string[], opts: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunResult> {
    const cacheDir = join(this.#tmp, `kube-cache-${version}`);
    return run(kubectlPath(version), ['--kubeconfig', this.kubeconfig, '--cache-dir', cacheDir, ...args], opts);
  }
}

export function run(cmd: string, args: string[], opts: { input?: string; env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolveRun) => {
    const p = spawn(cmd, args, { env: { ...process.env, ...opts.env }, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (code) => { clearTimeout(timer); resolveRun({ code: code ?? -1, stdout, stderr }); });
    p.stdin.end(opts.input ?? '');
  });
}

/** Polls fn until it returns a truthy value (which is returned); fails after timeoutMs naming what. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** kubectl of one version in one namespace, for a suite's tests: `k` (the raw result), `ok` (exit 0 asserted, stdout), `json` (-o json parsed) and `apply` (an object through `apply -f -`). */
export function kubectlIn(server: TestServer | (() => TestServer), version: string, ns: string) {
  // A suite that makes its server in before() passes a getter.
  const k = (args: string[], input?: string) => (typeof server === 'function' ? server() : server).kubectl(version, ['-n', ns, ...args], { input, timeoutMs: 120_000 });
  const ok = async (args: string[], input?: string) => {
    const r = await k(args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };
  const json = async (args: string[]) => JSON.parse(await ok([...args, '-o', 'json']));
  const apply = (obj: object) => ok(['apply', '-f', '-'], JSON.stringify(obj));
  return { k, ok, json, apply };
}

/** Suites that run the node agent, each with cluster ranges of its own (suites run side by side on one host). */
const AGENT_SUITES = ['kubelet', 'kubelet-streaming', 'kubelet-top', 'kubelet-registry', 'services', 'network-policy'] as const;

/**
 * Server flags for a suite that runs the node agent: a /16 pod range and a service range no other agent
 * suite uses (eight per suite, one picked at random so that two runs of one suite rarely meet; all within
 * 10.200-247, clear of the host's own 10.255 resolver), node ports of its own (each suite's service proxy
 * answers node ports on every local address) and a free kubelet port.
 */
export function agentArgs(suite: (typeof AGENT_SUITES)[number]): string[] {
  const index = AGENT_SUITES.indexOf(suite);
  const pick = Math.floor(Math.random() * 8);
  const second = 200 + index * 8 + pick;
  const firstPort = 30000 + index * 200;
  return [
    '--cluster-cidr', `10.${second}.0.0/16`, '--service-cidr', `172.${16 + index}.${pick * 16}.0/20`,
    '--service-node-port-range', `${firstPort}-${firstPort + 199}`, '--kubelet-port', '0',
    '--ingress-http-port', '0', '--ingress-https-port', '0',
  ];
}

/** GET over plain HTTP from the host (pod IPs and cluster IPs are reachable through the node's bridge). */
export function httpGet(url: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolveGet, reject) => {
    const req = get(url, { timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolveGet(body));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}
