// Domain-name and address helpers of the cluster DNS: names compared in one form (lower case,
// no trailing dot), IP addresses in one form, reverse names (in-addr.arpa, ip6.arpa) to
// addresses and back, and the dashed form of an address used as an endpoint or pod label.
import { isIP } from 'node:net';

/** A name as the index compares it: lower case, without the trailing dot ('' for the root). */
export function canonicalName(name: string): string {
  const n = name.toLowerCase();
  return n === '.' ? '' : n.endsWith('.') ? n.slice(0, -1) : n;
}

/** The labels of a canonical name ([] for the root). */
export const labelsOf = (name: string): string[] => (name === '' ? [] : name.split('.'));

/** Whether `name` is `zone` or below it (both canonical). */
export const inZone = (name: string, zone: string): boolean =>
  zone === '' || name === zone || name.endsWith(`.${zone}`);

/** The eight 16-bit groups of an IPv6 address, or undefined when it is not one. */
function ipv6Groups(ip: string): number[] | undefined {
  if (isIP(ip) !== 6) return undefined;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes its two groups first.
  const text = ip.toLowerCase().replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a, b, c, d) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`);
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const [head, rest] = text.split('::') as [string, string | undefined];
  const h = parse(head);
  if (rest === undefined) return h.length === 8 ? h : undefined;
  const r = parse(rest);
  return [...h, ...new Array(8 - h.length - r.length).fill(0), ...r];
}

/**
 * One spelling per address: IPv4 as is, IPv6 in RFC 5952 form (lower case, longest zero run
 * compressed), so `fd00:0::1` and `FD00::1` are the same key. Undefined when not an address.
 */
export function canonicalIP(ip: string): string | undefined {
  const family = isIP(ip);
  if (family === 4) return ip;
  if (family !== 6) return undefined;
  const g = ipv6Groups(ip);
  if (!g || g.length !== 8) return undefined;
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The address a reverse name stands for (canonical), or undefined when it names none. */
export function ipFromReverseName(name: string): string | undefined {
  const n = canonicalName(name);
  if (n.endsWith('.in-addr.arpa')) {
    const parts = labelsOf(n.slice(0, -'.in-addr.arpa'.length));
    if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
    return parts.reverse().join('.');
  }
  if (n.endsWith('.ip6.arpa')) {
    const nibbles = labelsOf(n.slice(0, -'.ip6.arpa'.length));
    if (nibbles.length !== 32 || !nibbles.every((x) => /^[0-9a-f]$/.test(x))) return undefined;
    const hex = nibbles.reverse().join('');
    const groups = hex.match(/.{4}/g)!;
    return canonicalIP(groups.join(':'));
  }
  return undefined;
}

/** Whether a name lies in one of the reverse zones. */
export const isReverseName = (name: string): boolean => {
  const n = canonicalName(name);
  return n === 'in-addr.arpa' || n === 'ip6.arpa' || n.endsWith('.in-addr.arpa') || n.endsWith('.ip6.arpa');
};

/** The reverse name of an address (without the trailing dot). */
export function reverseNameOf(ip: string): string {
  if (isIP(ip) === 4) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const g = ipv6Groups(ip);
  if (!g) throw new Error(`not an IP address: ${ip}`);
  const hex = g.map((x) => x.toString(16).padStart(4, '0')).join('');
  return `${[...hex].reverse().join('.')}.ip6.arpa`;
}

/**
 * An address as one DNS label, as CoreDNS spells it: dots (IPv4) or colons (IPv6) become
 * dashes, and an IPv6 label ending in a dash gets a trailing 0.
 */
export function dashedIP(ip: string): string {
  if (ip.includes('.') && !ip.includes(':')) return ip.replaceAll('.', '-');
  const d = ip.replaceAll(':', '-');
  return d.endsWith('-') ? `${d}0` : d;
}

/**
 * The address of a pod label (`10-244-0-5`, `fd00--5`), as CoreDNS's `pods insecure` reads it:
 * three dashes and no double dash is IPv4, anything else IPv6. Undefined when not an address.
 */
export function ipFromDashed(label: string): string | undefined {
  const ip = (label.split('-').length === 4 && !label.includes('--')) ? label.replaceAll('-', '.') : label.replaceAll('-', ':');
  return canonicalIP(ip);
}

export const isIPv4 = (ip: string): boolean => isIP(ip) === 4;
export const isIPv6 = (ip: string): boolean => isIP(ip) === 6;
