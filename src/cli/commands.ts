// The subcommands and their flags: the list is the documentation `--help` prints.
import { createLogger } from '../base/log.ts';
import { cleanUpNode } from '../server/node-cleanup.ts';
import { ControlPlane } from '../server/control-plane.ts';
import { runSimulation, SIMULATE_FLAGS } from '../server/simulate.ts';
import { makeImageCommand } from './image-command.ts';

export interface Flag {
  name: string;
  type: 'string' | 'boolean';
  help: string;
  value?: string;
  default?: string;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  description?: string;
  flags: Flag[];
  positionals?: boolean;
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>;
}

export const DEFAULT_DATA_DIR = '/var/lib/navarch';
export const DEFAULT_PORT = 6443;

class UsageError extends Error {}

function portOf(v: string | boolean | undefined, flag = '--port'): number {
  if (v === undefined) return DEFAULT_PORT;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${flag} must be a number from 0 to 65535, got "${v}"`);
  return n;
}

function countOf(flag: string, v: string | boolean | undefined): number {
  if (v === undefined) return 0;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a whole number, got "${v}"`);
  return n;
}

/** An IPv4 CIDR whose prefix is at most maxPrefix (network address normalized). */
function cidrOf(flag: string, v: string, maxPrefix: number): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(v);
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : -1;
  if (!m || octets.some((o) => o > 255) || prefix < 8 || prefix > maxPrefix) throw new UsageError(`${flag} must be an IPv4 CIDR from /8 to /${maxPrefix}, like 10.244.0.0/16, got "${v}"`);
  const addr = octets.reduce((a, o) => (a << 8) | o, 0) >>> 0;
  const net = prefix === 0 ? 0 : (addr & (~0 << (32 - prefix))) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${prefix}`;
}

/** A port range FIRST-LAST such as 30000-32767. */
function portRangeOf(flag: string, v: string): { first: number; last: number } {
  const m = /^(\d{1,5})-(\d{1,5})$/.exec(v);
  const first = m ? Number(m[1]) : 0;
  const last = m ? Number(m[2]) : 0;
  if (!m || first < 1 || last > 65535 || first > last) throw new UsageError(`${flag} must be a port range like 30000-32767, got "${v}"`);
  return { first, last };
}

function durationOf(flag: string, v: string | boolean | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(String(v));
  if (!m) throw new UsageError(`${flag} must be a duration like 40s or 2m, got "${v}"`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

/** `--insecure-registry` values: comma-separated HOST, HOST:PORT or HOST:* (docker's daemon flag takes no scheme either). */
function registriesOf(v: string | boolean | undefined): string[] {
  const list = String(v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const r of list) {
    if (!/^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::(?:\d{1,5}|\*))?$/.test(r)) {
      throw new UsageError(`--insecure-registry must be HOST, HOST:PORT or HOST:* (no scheme), like registry.local:5000, got "${r}"`);
    }
  }
  return list;
}

/** Runs until SIGINT/SIGTERM; a second signal exits at once. */
function untilSignal(log: ReturnType<typeof createLogger>): AbortController {
  const abort = new AbortController();
  let signals = 0;
  const onSignal = () => {
    if (++signals > 1) process.exit(130);
    log.info('shutting down');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return abort;
}

const simulateCommand: Command = {
  name: 'simulate',
  summary: 'Join simulated nodes to a cluster (for tests and benchmarks)',
  usage: '--kubeconfig FILE [--nodes N] [--zones N] [--name-prefix P] [--cpu Q] [--memory Q] [--pods N]',
  description: 'Registers N nodes that keep their Leases and run the pods bound to them through\nrealistic statuses without containers. Ctrl-C or SIGTERM stops them (they then go NotReady).',
  flags: SIMULATE_FLAGS.map((f) => ({ name: f.name, type: 'string' as const, value: f.value, help: f.help, default: 'default' in f ? f.default : undefined })),
  async run(v) {
    if (!v.kubeconfig) throw new UsageError('--kubeconfig FILE is required');
    const log = createLogger({ component: 'simulate' });
    const abort = untilSignal(log);
    const capacity: Record<string, string> = {};
    for (const k of ['cpu', 'memory', 'pods'] as const) if (v[k] !== undefined) capacity[k] = String(v[k]);
    await runSimulation({
      kubeconfig: String(v.kubeconfig), nodes: countOf('--nodes', v.nodes ?? '3'), namePrefix: v['name-prefix'] as string | undefined,
      firstIndex: countOf('--first-index', v['first-index']), zones: countOf('--zones', v.zones) || undefined, capacity, log,
      onReady: (sim) => process.stdout.write(`Simulating ${sim.nodeNames.length} nodes: ${sim.nodeNames.join(' ')}\n`),
    }, abort.signal);
    return 0;
  },
};

const serverCommand: Command = {
  name: 'server',
  summary: 'Run a single-node control plane in the foreground',
  usage: '[--data-dir DIR] [--port N] [--store sqlite|etcd] [--etcd-endpoints URL,...]',
  description: 'Starts the API server and its storage. Writes an admin kubeconfig to DIR/kubeconfig;\nuse it with kubectl: KUBECONFIG=DIR/kubeconfig kubectl get nodes. Ctrl-C or SIGTERM stops it.',
  flags: [
    { name: 'data-dir', type: 'string', value: 'DIR', help: 'Directory for the database, certificates and kubeconfig', default: DEFAULT_DATA_DIR },
    { name: 'port', type: 'string', value: 'N', help: 'HTTPS port of the API server (0 picks a free port)', default: String(DEFAULT_PORT) },
    { name: 'bind-address', type: 'string', value: 'ADDR', help: 'Address the API server listens on (0.0.0.0: every address)', default: '0.0.0.0' },
    { name: 'advertise-address', type: 'string', value: 'ADDR', help: 'Address pods reach the API server at, the endpoint of the kubernetes service (default: the bind address, or this machine\'s primary address)' },
    { name: 'store', type: 'string', value: 'KIND', help: 'Storage backend: sqlite (embedded) or etcd', default: 'sqlite' },
    { name: 'etcd-endpoints', type: 'string', value: 'URL,...', help: 'etcd client URLs, comma-separated (with --store etcd)' },
    { name: 'simulated-nodes', type: 'string', value: 'N', help: 'Also run N simulated nodes in this process (pods on them run any image, no containers)', default: '0' },
    { name: 'simulated-zones', type: 'string', value: 'N', help: 'Spread the simulated nodes over N zones (topology.kubernetes.io/zone labels)', default: '0' },
    { name: 'node-monitor-grace-period', type: 'string', value: 'DURATION', help: 'A node silent this long turns NotReady (Unknown) and its pods start to be evicted, e.g. 40s, 2m', default: '40s' },
    { name: 'disable-agent', type: 'boolean', help: 'Run no node agent for this machine: the control plane only (as k3s\'s flag)' },
    { name: 'cluster-cidr', type: 'string', value: 'CIDR', help: 'Pod address range of the cluster; this machine\'s node takes its first /24', default: '10.244.0.0/16' },
    { name: 'service-cidr', type: 'string', value: 'CIDR', help: 'Service (ClusterIP) address range; its first address is the kubernetes service\'s', default: '10.96.0.0/12' },
    { name: 'service-node-port-range', type: 'string', value: 'FIRST-LAST', help: 'Port range NodePort and LoadBalancer services take their node ports from', default: '30000-32767' },
    { name: 'node-name', type: 'string', value: 'NAME', help: 'Name of this machine\'s node (default: the host name)' },
    { name: 'kubelet-port', type: 'string', value: 'N', help: 'Port of the node agent\'s streaming server (logs, exec, port-forward; 0 picks a free port)', default: '10250' },
    { name: 'ingress-http-port', type: 'string', value: 'N', help: 'Port of the ingress controller for HTTP on every address of this machine (0 picks a free port)', default: '80' },
    { name: 'ingress-https-port', type: 'string', value: 'N', help: 'Port of the ingress controller for HTTPS (0 picks a free port)', default: '443' },
    { name: 'disable-ingress', type: 'boolean', help: 'Run no ingress controller (as k3s\'s --disable traefik)' },
    { name: 'insecure-registry', type: 'string', value: 'HOST:PORT', help: 'Registries the node agent may pull from over plain HTTP or unverified HTTPS, comma-separated (loopback ones always)' },
  ],
  async run(v) {
    const store = (v.store as string | undefined) ?? 'sqlite';
    if (store !== 'sqlite' && store !== 'etcd') throw new UsageError(`--store must be "sqlite" or "etcd", got "${store}"`);
    const endpoints = String(v['etcd-endpoints'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (store === 'etcd' && endpoints.length === 0) throw new UsageError('--store etcd needs --etcd-endpoints URL[,URL...]');
    for (const e of endpoints) if (!/^https?:\/\/[^/]+/.test(e)) throw new UsageError(`--etcd-endpoints: "${e}" is not a URL like http://127.0.0.1:2379`);
    const simulatedNodes = countOf('--simulated-nodes', v['simulated-nodes']);
    const simulatedZones = countOf('--simulated-zones', v['simulated-zones']);
    const log = createLogger({ component: 'navarch' });
    const cp = new ControlPlane({
      serviceCIDR: cidrOf('--service-cidr', (v['service-cidr'] as string | undefined) ?? '10.96.0.0/12', 28),
      nodePortRange: portRangeOf('--service-node-port-range', (v['service-node-port-range'] as string | undefined) ?? '30000-32767'),
      agent: v['disable-agent'] ? undefined : {
        clusterCIDR: cidrOf('--cluster-cidr', (v['cluster-cidr'] as string | undefined) ?? '10.244.0.0/16', 23),
        nodeName: v['node-name'] as string | undefined,
        kubeletPort: v['kubelet-port'] === undefined ? undefined : portOf(v['kubelet-port'], '--kubelet-port'),
        insecureRegistries: registriesOf(v['insecure-registry']),
        ingress: v['disable-ingress'] ? undefined : {
          httpPort: portOf(v['ingress-http-port'] ?? '80', '--ingress-http-port'),
          httpsPort: portOf(v['ingress-https-port'] ?? '443', '--ingress-https-port'),
        },
      },
      simulatedNodes, simulatedZones, nodeMonitorGracePeriodMs: durationOf('--node-monitor-grace-period', v['node-monitor-grace-period']),
      dataDir: (v['data-dir'] as string | undefined) ?? DEFAULT_DATA_DIR,
      host: (v['bind-address'] as string | undefined) ?? '0.0.0.0',
      advertiseAddress: v['advertise-address'] as string | undefined,
      port: portOf(v.port),
      store, etcdEndpoints: endpoints, log,
    });
    const abort = untilSignal(log);
    await cp.start(abort.signal);
    process.stdout.write(`Navarch is running at ${cp.url}\nKubeconfig written to ${cp.kubeconfigPath}\n  export KUBECONFIG=${cp.kubeconfigPath}\n`);
    await cp.stopped();
    return 0;
  },
};

const cleanupCommand: Command = {
  name: 'cleanup',
  summary: 'Stop every pod of this machine\'s node and remove what the node agent made on the host',
  usage: '[--data-dir DIR]',
  description: 'Stops and removes the containers the node agent of DIR runs, and its pod network (network\nnamespaces, bridge, routes), cgroups and mounts, as k3s-killall.sh does. Run it after stopping the server.',
  flags: [
    { name: 'data-dir', type: 'string', value: 'DIR', help: 'The server\'s data directory', default: DEFAULT_DATA_DIR },
  ],
  async run(v) {
    const dataDir = (v['data-dir'] as string | undefined) ?? DEFAULT_DATA_DIR;
    const removed = await cleanUpNode(dataDir);
    process.stdout.write(`Removed ${removed.pods} pod sandboxes and ${removed.containers} containers; the pod network of ${dataDir} is gone\n`);
    return 0;
  },
};

export const commands: Command[] = [serverCommand, simulateCommand, makeImageCommand(DEFAULT_DATA_DIR), cleanupCommand];
