// Test-only fixtures for the root integration tests of this folder: unique names, processes in a network
// namespace, host probes. Everything a fixture starts is recorded so cleanup can end it by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt, randomBytes } from 'node:crypto';
import { runCommand } from './run-command.ts';

export const NODE = process.execPath;
export const BUSYBOX = '/bin/busybox';

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export function suffix(): string {
  return randomBytes(4).toString('hex');
}

/** A /24 for a test node, inside the given /16's third octets 200-250, picked at random. */
export function testPodCIDR(): { podCIDR: string; third: number } {
  const third = randomInt(200, 251);
  return { podCIDR: `10.244.${third}.0/24`, third };
}

/** The /22 holding a test /24: stands in for the cluster's pod range. */
export function clusterRangeAround(third: number): string {
  return `10.244.${third & ~3}.0/22`;
}

/** A /24 standing in for a service range, out of 10.160.0.0 - 10.199.255.255, which no default install uses. */
export function testServiceCIDR(): string {
  return `10.${randomInt(160, 200)}.${randomInt(0, 256)}.0/24`;
}

/** A /22 standing in for a cluster pod range, away from the /24s of testPodCIDR (10.200.0.0 - 10.243.255.255). */
export function testClusterCIDR(): string {
  return `10.${randomInt(200, 244)}.${randomInt(0, 64) * 4}.0/22`;
}

/** The address with last octet n in a range whose prefix is /24 or shorter. */
export function addressIn(cidr: string, n: number): string {
  return `${cidr.split('/')[0]!.split('.').slice(0, 3).join('.')}.${n}`;
}

export async function inNetns(ns: string, file: string, args: string[], timeoutMs = 10_000) {
  return runCommand('ip', ['netns', 'exec', ns, file, ...args], { timeoutMs });
}

export async function ping(ns: string | undefined, ip: string): Promise<boolean> {
  const args = ['ping', '-c1', '-W1', ip];
  const r = ns ? await inNetns(ns, BUSYBOX, args) : await runCommand(BUSYBOX, args, { timeoutMs: 10_000 });
  return r.code === 0;
}

const SERVER = `
const net = require('node:net');
const [port, reply] = process.argv.slice(1);
net.createServer((c) => c.end(reply)).listen(Number(port), '0.0.0.0', () => console.log('listening'));
`;

const CLIENT = `
const net = require('node:net');
const [host, port] = process.argv.slice(1);
const c = net.connect(Number(port), host);
let got = '';
c.setTimeout(3000, () => { console.error('timeout'); process.exit(2); });
c.on('data', (d) => { got += d; });
c.on('end', () => { process.stdout.write(got); process.exit(0); });
c.on('error', (e) => { console.error(e.code); process.exit(1); });
`;

/** Processes started by fixtures, ended by PID in cleanup. */
export class Processes {
  readonly #children: ChildProcess[] = [];

  /** A TCP server inside ns answering every connection with reply; resolves once it listens. */
  async listen(ns: string, port: number, reply: string): Promise<void> {
    // `ip netns exec` execs the command, so the PID we hold is the server's.
    const child = spawn('ip', ['netns', 'exec', ns, NODE, '-e', SERVER, String(port), reply], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#children.push(child);
    await new Promise<void>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`listener in ${ns} did not start: ${err}`)), 10_000);
      child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('listening')) { clearTimeout(timer); resolve(); } });
      child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`listener in ${ns} exited ${code}: ${err}`)); });
    });
  }

  stopAll(): void {
    for (const child of this.#children) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    }
  }
}

/** Connects to host:port (from inside ns when given) and returns what the server sent. */
export async function fetchTcp(ns: string | undefined, host: string, port: number): Promise<string> {
  const args = ['-e', CLIENT, host, String(port)];
  const r = ns ? await inNetns(ns, NODE, args) : await runCommand(NODE, args, { timeoutMs: 10_000 });
  if (r.code !== 0) throw new Error(`connect ${host}:${port}${ns ? ` from ${ns}` : ''}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** This machine's address on the interface of its default route, if it has one. */
export async function nodeAddress(): Promise<string | undefined> {
  const route = JSON.parse((await runCommand('ip', ['-j', '-4', 'route', 'show', 'default'])).stdout || '[]') as { dev?: string }[];
  const dev = route[0]?.dev;
  if (!dev) return undefined;
  const links = JSON.parse((await runCommand('ip', ['-j', '-4', 'addr', 'show', 'dev', dev])).stdout || '[]') as { addr_info?: { local?: string }[] }[];
  return links[0]?.addr_info?.[0]?.local;
}

export async function linkExists(name: string): Promise<boolean> {
  return (await runCommand('ip', ['link', 'show', 'dev', name])).code === 0;
}

export async function iptablesNat(): Promise<string> {
  return (await runCommand('iptables-save', ['-t', 'nat'])).stdout;
}
