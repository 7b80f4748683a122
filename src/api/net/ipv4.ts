// IPv4 addresses and CIDR ranges as numbers: what the service IP allocator, the proxy and the
// DNS server need to compare, count and step through addresses. The cluster is IPv4 single-stack.

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
  /** Number of addresses in the range, network and broadcast included. */
  size: number;
}

/** The address as a number, or undefined when it is not dotted-quad IPv4 (no leading zeros, as Go's parser). */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function formatIpv4(n: number): string {
  return `${Math.floor(n / 2 ** 24) & 255}.${Math.floor(n / 2 ** 16) & 255}.${Math.floor(n / 2 ** 8) & 255}.${n & 255}`;
}

/** A CIDR such as 10.96.0.0/12 (host bits are masked off), or undefined when malformed. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseIpv4(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (addr === undefined || !/^\d{1,2}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return { base: addr - (addr % size), prefix, size };
}

export function formatIpv4Cidr(c: Ipv4Cidr): string {
  return `${formatIpv4(c.base)}/${c.prefix}`;
}

export function cidrContains(c: Ipv4Cidr, ip: number): boolean {
  return ip >= c.base && ip < c.base + c.size;
}

/** The nth address of the range (0 is the network address). */
export function nthAddress(c: Ipv4Cidr, n: number): string {
  return formatIpv4(c.base + n);
}
