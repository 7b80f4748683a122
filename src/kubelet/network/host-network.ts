// Node-wide preparation for pod networking: forwarding sysctls, the pod bridge, and routes that keep traffic
// for the cluster's pod and service ranges on this machine. Remembers what it added so shutdown removes only that.
import { access, mkdir, readFile, rm, writeFile, rename } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import type { Logger } from '../../base/index.ts';
import { runCommand, runChecked } from './run-command.ts';

export interface HostNetworkOptions {
  bridgeName: string;
  clusterCIDR: string;
  serviceCIDR: string;
  serviceRoute: 'bridge' | 'unreachable';
  /** JSON file recording what ensure() added. */
  stateFile: string;
  logger?: Logger;
}

/** A route in the main table, in `ip route` words. */
export interface HostRoute {
  type: 'unreachable' | 'unicast';
  dst: string;
  dev?: string;
}

interface HostState {
  routes: HostRoute[];
}

type NatFamily = 'ip' | 'ip6';

const PORTMAP_CHAINS = ['CNI-HOSTPORT-DNAT', 'CNI-HOSTPORT-MASQ', 'CNI-HOSTPORT-SETMARK'];
const BRIDGE_SYSCTL = '/proc/sys/net/bridge/bridge-nf-call-iptables';

export class HostNetwork {
  readonly #opts: HostNetworkOptions;

  constructor(opts: HostNetworkOptions) {
    this.#opts = opts;
  }

  /** The routes ensure() wants in place. */
  desiredRoutes(): HostRoute[] {
    const o = this.#opts;
    return [
      { type: 'unreachable', dst: o.clusterCIDR },
      o.serviceRoute === 'bridge' ? { type: 'unicast', dst: o.serviceCIDR, dev: o.bridgeName } : { type: 'unreachable', dst: o.serviceCIDR },
    ];
  }

  async ensure(): Promise<void> {
    const log = this.#opts.logger;
    await writeFile('/proc/sys/net/ipv4/ip_forward', '1');
    if (await this.#brNetfilter()) await writeFile(BRIDGE_SYSCTL, '1');
    else log?.info('br_netfilter not loaded; bridged pod traffic bypasses iptables');

    const state = await this.#load();
    await this.#ensureBridge();
    for (const route of this.desiredRoutes()) {
      const present = await findRoute(route.dst);
      if (present.length === 0) {
        // Recorded before it is added: a crash in between leaves a record whose removal is harmless.
        if (!state.routes.some((r) => sameRoute(r, route))) state.routes.push(route);
        await this.#save(state);
        await runChecked('ip', ['route', 'add', ...routeArgs(route)]);
      } else if (!present.some((p) => sameRoute(p, route))) {
        log?.warn('route for range exists with another target; leaving it', { dst: route.dst });
      }
    }
    await this.#save(state);
  }

  /** Removes the routes we added, the bridge, and portmap's shared chains and nat tables once nothing uses them. */
  async remove(): Promise<void> {
    const state = await this.#load();
    for (const route of state.routes) {
      const present = await findRoute(route.dst);
      if (present.some((p) => sameRoute(p, route))) await runChecked('ip', ['route', 'del', ...routeArgs(route)]);
    }
    if (await isBridge(this.#opts.bridgeName)) await runChecked('ip', ['link', 'del', this.#opts.bridgeName]);
    // Whoever leaves last clears what portmap left behind: its shared chains once no pod maps a port,
    // then the nat tables iptables-nft made for them once they hold nothing (both come back on demand).
    await removeUnusedPortmapChains();
    for (const family of ['ip', 'ip6'] as const) await removeNatTableIfEmpty(family);
    await rm(this.#opts.stateFile, { force: true });
  }

  async #brNetfilter(): Promise<boolean> {
    if (await exists(BRIDGE_SYSCTL)) return true;
    await runCommand('modprobe', ['br_netfilter']).catch(() => undefined);
    return exists(BRIDGE_SYSCTL);
  }

  async #ensureBridge(): Promise<void> {
    const name = this.#opts.bridgeName;
    if (!(await linkExists(name))) {
      // A MAC of its own, set explicitly: otherwise the kernel gives the bridge the lowest MAC of
      // its ports, which changes as pods come and go, and CNI CHECK of the earlier pods then fails
      // ("Bridge interface ... Mac doesn't match").
      const r = await runCommand('ip', ['link', 'add', name, 'address', localMac(), 'type', 'bridge']);
      if (r.code !== 0 && !(await linkExists(name))) throw new Error(`create bridge ${name}: ${r.stderr.trim()}`);
    }
    await runChecked('ip', ['link', 'set', name, 'up']);
  }

  async #load(): Promise<HostState> {
    try {
      return JSON.parse(await readFile(this.#opts.stateFile, 'utf8')) as HostState;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { routes: [] };
      throw err;
    }
  }

  async #save(state: HostState): Promise<void> {
    await mkdir(dirname(this.#opts.stateFile), { recursive: true, mode: 0o700 });
    const tmp = `${this.#opts.stateFile}.tmp`;
    await writeFile(tmp, JSON.stringify(state), { mode: 0o600 });
    await rename(tmp, this.#opts.stateFile);
  }
}

function routeArgs(route: HostRoute): string[] {
  return route.type === 'unreachable' ? ['unreachable', route.dst] : [route.dst, 'dev', route.dev ?? ''];
}

function sameRoute(a: HostRoute, b: HostRoute): boolean {
  return a.type === b.type && a.dst === b.dst && (a.type === 'unreachable' || a.dev === b.dev);
}

/** Routes in the main table for exactly this prefix. */
export async function findRoute(dst: string): Promise<HostRoute[]> {
  const out = await runChecked('ip', ['-j', 'route', 'show', 'table', 'main', 'exact', dst]);
  const rows = JSON.parse(out || '[]') as { type?: string; dst: string; dev?: string }[];
  return rows.map((r) => ({
    type: r.type === 'unreachable' ? 'unreachable' : 'unicast',
    dst: r.dst === 'default' ? '0.0.0.0/0' : r.dst.includes('/') ? r.dst : `${r.dst}/32`,
    ...(r.dev ? { dev: r.dev } : {}),
  }));
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function linkExists(name: string): Promise<boolean> {
  return (await runCommand('ip', ['link', 'show', 'dev', name])).code === 0;
}

async function isBridge(name: string): Promise<boolean> {
  const r = await runCommand('ip', ['-j', '-d', 'link', 'show', 'dev', name]);
  if (r.code !== 0) return false;
  const links = JSON.parse(r.stdout) as { linkinfo?: { info_kind?: string } }[];
  return links[0]?.linkinfo?.info_kind === 'bridge';
}

async function chainExists(chain: string): Promise<boolean> {
  return (await runCommand('iptables', ['-w', '-t', 'nat', '-S', chain])).code === 0;
}

/** Deletes a nat table that holds nothing but iptables-nft's empty base chains. */
async function removeNatTableIfEmpty(family: NatFamily): Promise<void> {
  const listed = await runCommand('nft', ['-j', 'list', 'table', family, 'nat']);
  if (listed.code !== 0) return;
  const items: Record<string, { hook?: string }>[] = JSON.parse(listed.stdout).nftables ?? [];
  const inUse = items.some((i) => i.rule || i.set || i.map || (i.chain && !i.chain.hook));
  if (!inUse) await runCommand('nft', ['delete', 'table', family, 'nat']);
}

/** portmap never removes its shared chains; we do, once no sandbox's chain hangs off the DNAT chain. */
async function removeUnusedPortmapChains(): Promise<void> {
  const dnat = await runCommand('iptables', ['-w', '-t', 'nat', '-S', 'CNI-HOSTPORT-DNAT']);
  if (dnat.code === 0 && dnat.stdout.split('\n').some((l) => l.startsWith('-A '))) return;
  for (const entry of ['PREROUTING', 'OUTPUT', 'POSTROUTING']) {
    const rules = (await runCommand('iptables', ['-w', '-t', 'nat', '-S', entry])).stdout.split('\n');
    for (const rule of rules) {
      const words = splitRule(rule);
      const target = words[words.indexOf('-j') + 1];
      if (words[0] === '-A' && target && PORTMAP_CHAINS.includes(target)) {
        await runCommand('iptables', ['-w', '-t', 'nat', '-D', ...words.slice(1)]);
      }
    }
  }
  for (const chain of PORTMAP_CHAINS) {
    if (!(await chainExists(chain))) continue;
    await runCommand('iptables', ['-w', '-t', 'nat', '-F', chain]);
    await runCommand('iptables', ['-w', '-t', 'nat', '-X', chain]);
  }
}

/** Splits one line of `iptables -S` into words, honouring its double quotes. */
export function splitRule(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return words;
}

/** A random unicast, locally administered MAC address. */
function localMac(): string {
  const b = randomBytes(6);
  b[0] = (b[0]! & 0xfe) | 0x02;
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}
