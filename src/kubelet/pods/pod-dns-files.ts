// The files a kubelet writes for each pod and mounts into every container: /etc/hosts (localhost,
// the pod's own name and FQDN, hostAliases), /etc/resolv.conf from the pod's dnsPolicy and
// dnsConfig, and /etc/hostname. Pure: the caller writes them.
import type { KubeObject } from '../../client/api-client.ts';

export interface DnsSettings {
  /** Cluster DNS server addresses; none yet means ClusterFirst falls back to the host's resolver, as upstream. */
  clusterDNS: string[];
  clusterDomain: string;
  /** The host's /etc/resolv.conf text. */
  hostResolvConf: string;
}

export function etcHosts(pod: KubeObject, podIPs: string[], clusterDomain: string): string {
  const lines = [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
  ];
  const hostname = podHostname(pod);
  const subdomain = pod.spec?.subdomain;
  for (const ip of podIPs) {
    lines.push(subdomain ? `${ip}\t${hostname}.${subdomain}.${pod.metadata.namespace}.svc.${clusterDomain}\t${hostname}` : `${ip}\t${hostname}`);
  }
  const aliases: KubeObject[] = pod.spec?.hostAliases ?? [];
  if (aliases.length) {
    lines.push('', '# Entries added by HostAliases.');
    for (const a of aliases) lines.push(`${a.ip}\t${(a.hostnames ?? []).join('\t')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** spec.hostname, else the pod name, cut to 63 characters as upstream. */
export function podHostname(pod: KubeObject): string {
  const name: string = pod.spec?.hostname || pod.metadata.name;
  return name.length > 63 ? name.slice(0, 63).replace(/[-.]+$/, '') : name;
}

function parseResolv(text: string): { nameservers: string[]; searches: string[]; options: string[] } {
  const out = { nameservers: [] as string[], searches: [] as string[], options: [] as string[] };
  for (const line of text.split('\n')) {
    const f = line.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (f[0] === 'nameserver' && f[1]) out.nameservers.push(f[1]);
    else if (f[0] === 'search') out.searches = f.slice(1);
    else if (f[0] === 'options') out.options.push(...f.slice(1));
  }
  return out;
}

function mergeOptions(base: string[], extra: KubeObject[] = []): string[] {
  const byName = new Map<string, string>();
  for (const o of base) byName.set(o.split(':')[0]!, o);
  for (const o of extra) byName.set(o.name, o.value !== undefined ? `${o.name}:${o.value}` : o.name);
  return [...byName.values()];
}

export function resolvConf(pod: KubeObject, dns: DnsSettings): string {
  const host = parseResolv(dns.hostResolvConf);
  const policy: string = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const hostNetwork = pod.spec?.hostNetwork === true;
  const clusterFirst = (policy === 'ClusterFirst' && !hostNetwork) || policy === 'ClusterFirstWithHostNet';
  let nameservers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  if (clusterFirst && dns.clusterDNS.length) {
    const ns = pod.metadata.namespace;
    nameservers = [...dns.clusterDNS];
    searches = [`${ns}.svc.${dns.clusterDomain}`, `svc.${dns.clusterDomain}`, dns.clusterDomain, ...host.searches];
    options = ['ndots:5'];
  } else if (policy !== 'None') {
    nameservers = host.nameservers;
    searches = host.searches;
    options = host.options;
  }
  const cfg: KubeObject = pod.spec?.dnsConfig ?? {};
  nameservers = [...new Set([...nameservers, ...(cfg.nameservers ?? [])])].slice(0, 3);
  searches = [...new Set([...searches, ...(cfg.searches ?? [])])].slice(0, 32);
  options = mergeOptions(options, cfg.options);
  const lines: string[] = [];
  if (searches.length) lines.push(`search ${searches.join(' ')}`);
  for (const n of nameservers) lines.push(`nameserver ${n}`);
  if (options.length) lines.push(`options ${options.join(' ')}`);
  return `${lines.join('\n')}\n`;
}
