// The cluster DNS's answers: a query and the record index in, a response out — or "forward",
// for names the cluster does not own. Pure. It answers as upstream's DNS specification
// (kubernetes/dns docs/specification.md) and CoreDNS's kubernetes plugin do: services and
// their endpoints under `svc.<zone>`, pod addresses under `pod.<zone>` (`pods insecure`),
// PTR for cluster IPs and endpoint addresses, SRV for ports, ExternalName as CNAME,
// NXDOMAIN/NODATA with the zone's SOA.
import type { Answer, DecodedPacket, Packet, Question, RecordType, SrvAnswer } from 'dns-packet';
import type { RecordIndex, ServiceRecord } from './record-index.ts';
import { canonicalName, canonicalIP, dashedIP, inZone, ipFromDashed, ipFromReverseName, isIPv4, isIPv6, isReverseName, labelsOf } from './names.ts';

export const DEFAULT_ZONE = 'cluster.local';
/** CoreDNS's kubernetes plugin default. */
export const DEFAULT_TTL = 5;
/** The schema version of upstream's DNS specification this follows (the `dns-version` TXT). */
export const DNS_SCHEMA_VERSION = '1.1.0';

export interface AnswerOptions {
  /** The cluster domain, e.g. cluster.local. */
  zone: string;
  ttl?: number;
  /** The addresses the zone's NS record `ns.dns.<zone>` resolves to (the kube-dns Service IP). */
  nameserverAddresses?: string[];
}

export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';
export const RCODE: Record<Rcode, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };
export const FLAG = { AA: 0x0400, TC: 0x0200, RD: 0x0100, RA: 0x0080, CD: 0x0010 } as const;

/**
 * What to do with a query: answer it with `response`, or forward it upstream. An answer that
 * ends in a CNAME to a name outside the zone (an ExternalName Service) names it in `chase`:
 * the caller may resolve it upstream and append what it gets, as CoreDNS does.
 */
export type Resolution =
  | { forward: true }
  | { forward: false; response: Packet; chase?: { name: string; type: 'A' | 'AAAA' } };

/** One thing a name stands for, as CoreDNS's msg.Service: an address or a CNAME target, with a port and the name SRV targets. */
interface Entry { host: string; cname: boolean; port: number; target: string }
type Lookup = { exists: false } | { exists: true; entries: Entry[] };
const NX: Lookup = { exists: false };
const exists = (entries: Entry[] = []): Lookup => ({ exists: true, entries });

/** How the answer sections and rcode come out, before they are put in a message. */
interface Sections { rcode: Rcode; answers: Answer[]; authorities: Answer[]; additionals: Answer[]; chase?: { name: string; type: 'A' | 'AAAA' } }

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export class Answerer {
  readonly #index: RecordIndex;
  readonly #zone: string;
  readonly #ttl: number;
  readonly #ns: string[];

  constructor(index: RecordIndex, opts: AnswerOptions) {
    this.#index = index;
    this.#zone = canonicalName(opts.zone);
    this.#ttl = opts.ttl ?? DEFAULT_TTL;
    this.#ns = (opts.nameserverAddresses ?? []).map((a) => canonicalIP(a)).filter((a): a is string => !!a);
  }

  get zone(): string { return this.#zone; }

  /** The response to a decoded query, or the instruction to forward it. */
  answer(query: DecodedPacket | Packet): Resolution {
    const questions = query.questions ?? [];
    const opcode = (query.flags ?? 0) >> 11 & 0xf;
    if (opcode !== 0) return this.#reply(query, { rcode: 'NOTIMP', answers: [], authorities: [], additionals: [] }, false);
    if (questions.length !== 1) return this.#reply(query, { rcode: 'FORMERR', answers: [], authorities: [], additionals: [] }, false);
    const q = questions[0]!;
    const name = canonicalName(q.name);
    const klass = q.class ?? 'IN';
    if (!inZone(name, this.#zone)) {
      if (isReverseName(name) && q.type === 'PTR' && (klass === 'IN' || klass === 'ANY')) {
        const answers = this.#reverse(q);
        if (answers.length) return this.#reply(query, { rcode: 'NOERROR', answers, authorities: [], additionals: [] }, true);
      }
      return { forward: true };
    }
    if (klass !== 'IN' && klass !== 'ANY') return this.#reply(query, { rcode: 'REFUSED', answers: [], authorities: [], additionals: [] }, false);
    return this.#reply(query, this.#resolve(q, name), true);
  }

  #reply(query: Packet, s: Sections, authoritative: boolean): Resolution {
    const flags = ((query.flags ?? 0) & (FLAG.RD | FLAG.CD)) | (authoritative ? FLAG.AA : 0) | RCODE[s.rcode];
    const response: Packet = {
      id: query.id ?? 0, type: 'response', flags,
      questions: (query.questions ?? []).slice(0, 1),
      answers: s.answers, authorities: s.authorities, additionals: s.additionals,
    };
    return s.chase ? { forward: false, response, chase: s.chase } : { forward: false, response };
  }

  // ---- names in the zone -------------------------------------------------------------

  #resolve(q: Question, name: string): Sections {
    const type = q.type;
    const owner = q.name.replace(/\.$/, '');
    if (type === 'AXFR' || type === 'IXFR') return { rcode: 'REFUSED', answers: [], authorities: [], additionals: [] };
    if (name === this.#zone && type === 'SOA') return this.#ok([this.#soa()]);
    if (name === this.#zone && type === 'NS') {
      const target = this.#nsName();
      return { rcode: 'NOERROR', answers: [{ type: 'NS', name: this.#zone, ttl: this.#ttl, data: target }], authorities: [], additionals: this.#ns.map((ip) => this.#address(target, ip)), };
    }
    if (name === `dns-version.${this.#zone}` && type === 'TXT') {
      return this.#ok([{ type: 'TXT', name: owner, ttl: 28800, data: [DNS_SCHEMA_VERSION] }]);
    }

    const found = this.#lookup(name);
    if (!found.exists) return this.#negative('NXDOMAIN');
    const cnames = found.entries.filter((e) => e.cname);
    if (cnames.length) return this.#cname(owner, type, cnames, 0);

    let answers: Answer[] = [];
    let additionals: Answer[] = [];
    if (type === 'A' || type === 'AAAA' || isAny(type)) answers = this.#addresses(owner, found.entries, type);
    else if (type === 'SRV') ({ answers, additionals } = this.#srv(owner, found.entries));
    return answers.length ? { rcode: 'NOERROR', answers, authorities: [], additionals } : this.#negative('NOERROR');
  }

  #ok(answers: Answer[]): Sections { return { rcode: 'NOERROR', answers, authorities: [], additionals: [] }; }

  /** NXDOMAIN, or NOERROR without answers (NODATA), with the zone's SOA for negative caching. */
  #negative(rcode: 'NXDOMAIN' | 'NOERROR'): Sections {
    return { rcode, answers: [], authorities: [this.#soa()], additionals: [] };
  }

  #nsName(): string { return this.#zone ? `ns.dns.${this.#zone}` : 'ns.dns'; }

  #soa(): Answer {
    const zone = this.#zone || '.';
    return {
      type: 'SOA', name: zone, ttl: this.#ttl,
      data: { mname: this.#nsName(), rname: this.#zone ? `hostmaster.${this.#zone}` : 'hostmaster', serial: this.#index.serial >>> 0, refresh: 7200, retry: 1800, expire: 86400, minimum: this.#ttl },
    };
  }

  #address(name: string, ip: string): Answer {
    return isIPv6(ip) ? { type: 'AAAA', name, ttl: this.#ttl, data: ip } : { type: 'A', name, ttl: this.#ttl, data: ip };
  }

  #addresses(owner: string, entries: Entry[], type: RecordType): Answer[] {
    const seen = new Set<string>();
    const out: Answer[] = [];
    for (const e of entries) {
      const fits = isAny(type) || (type === 'A' ? isIPv4(e.host) : isIPv6(e.host));
      if (!fits || seen.has(e.host)) continue;
      seen.add(e.host);
      out.push(this.#address(owner, e.host));
    }
    return out;
  }

  /** SRV records as CoreDNS writes them: priority 0, the weight shared evenly, each target's address in the additional section. */
  #srv(owner: string, entries: Entry[]): { answers: Answer[]; additionals: Answer[] } {
    const weight = Math.max(1, Math.floor(100 / entries.length));
    const answers: SrvAnswer[] = [];
    const additionals: Answer[] = [];
    const seen = new Set<string>();
    for (const e of entries) {
      if (e.port < 0) continue;
      const srvKey = `${e.target}|${e.port}`;
      if (!seen.has(srvKey)) {
        seen.add(srvKey);
        answers.push({ type: 'SRV', name: owner, ttl: this.#ttl, data: { priority: 0, weight, port: e.port, target: e.target } });
      }
      const addrKey = `${e.target}|${e.host}`;
      if (!seen.has(addrKey)) {
        seen.add(addrKey);
        additionals.push(this.#address(e.target, e.host));
      }
    }
    return { answers, additionals };
  }

  /**
   * An ExternalName Service: the CNAME, then what its target resolves to when the target is in
   * the zone; otherwise the caller is asked to chase the target upstream (A/AAAA only).
   */
  #cname(owner: string, type: RecordType, cnames: Entry[], depth: number): Sections {
    const target = cnames[0]!.host.replace(/\.$/, '');
    const answers: Answer[] = [{ type: 'CNAME', name: owner, ttl: this.#ttl, data: target }];
    if (type === 'CNAME') return this.#ok(answers);
    const t = canonicalName(target);
    if (!inZone(t, this.#zone)) {
      const s = this.#ok(answers);
      if (type === 'A' || type === 'AAAA') s.chase = { name: target, type };
      return s;
    }
    const next = this.#lookup(t);
    if (!next.exists) return { ...this.#negative('NXDOMAIN'), answers };
    const nextCnames = next.entries.filter((e) => e.cname);
    if (nextCnames.length && depth < 8) {
      const rest = this.#cname(target, type, nextCnames, depth + 1);
      return { ...rest, answers: [...answers, ...rest.answers] };
    }
    if (type === 'A' || type === 'AAAA') answers.push(...this.#addresses(target, next.entries, type));
    return this.#ok(answers);
  }

  /**
   * What a name in the zone stands for. Existing names without entries (the apex, `svc`, `pod`,
   * a namespace) give NODATA; anything else unknown NXDOMAIN.
   */
  #lookup(name: string): Lookup {
    const base = name === this.#zone ? '' : this.#zone ? name.slice(0, -this.#zone.length - 1) : name;
    if (base === '' || base === 'svc' || base === 'pod' || base === 'dns' || base === 'dns-version') return exists();
    if (base === 'ns.dns') return exists(this.#ns.map((ip) => ({ host: ip, cname: false, port: -1, target: name })));
    const segs = labelsOf(base);
    let last = segs.length - 1;
    const kind = segs[last--]!;
    if (kind !== 'svc' && kind !== 'pod') return NX;
    const namespace = segs[last--]!;
    if (!this.#index.namespaceExists(namespace)) return NX;
    if (last < 0) return exists();
    const svcOrPod = segs[last--]!;
    if (kind === 'pod') {
      if (last >= 0) return NX;
      const ip = ipFromDashed(svcOrPod);
      return ip ? exists([{ host: ip, cname: false, port: -1, target: name }]) : NX;
    }
    let endpoint = '', port = '', protocol = '';
    if (last === 0) endpoint = segs[0]!;
    else if (last === 1) { port = stripUnderscore(segs[0]!); protocol = stripUnderscore(segs[1]!); }
    else if (last > 1) return NX;
    const svc = this.#index.service(namespace, svcOrPod);
    if (!svc) return NX;
    const entries = this.#findService(svc, endpoint, port, protocol);
    return entries ? exists(entries) : NX;
  }

  /** CoreDNS's findServices for one Service: its entries, or undefined when the name does not exist. */
  #findService(svc: ServiceRecord, endpoint: string, port: string, protocol: string): Entry[] | undefined {
    const svcName = `${svc.name}.${svc.namespace}.svc${this.#zone ? `.${this.#zone}` : ''}`;
    const portMatches = (p: { name: string; protocol: string }) => (port === '' || eq(port, p.name)) && (protocol === '' || eq(protocol, p.protocol));
    if (svc.kind === 'ExternalName') {
      if (endpoint || port || protocol) return undefined;
      // An IP address (or nothing) is no CNAME target: CoreDNS serves no record for it.
      if (!svc.externalName || canonicalIP(svc.externalName)) return undefined;
      return [{ host: svc.externalName, cname: true, port: -1, target: svcName }];
    }
    if (svc.kind === 'Headless' || endpoint) {
      const out: Entry[] = [];
      for (const slice of this.#index.slicesOf(svc.namespace, svc.name)) {
        for (const ep of slice.endpoints) {
          if (!ep.ready && !svc.publishNotReadyAddresses) continue;
          for (const addr of ep.addresses) {
            const host = ep.hostname || dashedIP(addr);
            if (endpoint && !eq(endpoint, host)) continue;
            for (const p of slice.ports) {
              if (!portMatches(p)) continue;
              out.push({ host: addr, cname: false, port: p.port, target: `${host}.${svcName}` });
            }
          }
        }
      }
      return out.length ? out : undefined;
    }
    let matched = false;
    const out: Entry[] = [];
    for (const p of svc.ports) {
      if (!portMatches(p)) continue;
      matched = true;
      for (const ip of svc.clusterIPs) out.push({ host: ip, cname: false, port: p.port, target: svcName });
    }
    return matched ? out : undefined;
  }

  // ---- reverse names -----------------------------------------------------------------

  /** PTR records for a cluster IP (its Service) or, failing that, an endpoint address. */
  #reverse(q: Question): Answer[] {
    const ip = ipFromReverseName(q.name);
    if (!ip) return [];
    const owner = q.name.replace(/\.$/, '');
    const zone = this.#zone ? `.${this.#zone}` : '';
    const ptr = (target: string): Answer => ({ type: 'PTR', name: owner, ttl: this.#ttl, data: target });
    const svc = this.#index.servicesWithClusterIP(ip)[0];
    if (svc) return [ptr(`${svc.name}.${svc.namespace}.svc${zone}`)];
    const seen = new Set<string>();
    const out: Answer[] = [];
    for (const slice of this.#index.slicesWithAddress(ip)) {
      const owning = this.#index.service(slice.namespace, slice.service);
      for (const ep of slice.endpoints) {
        if (!ep.addresses.includes(ip) || (!ep.ready && !owning?.publishNotReadyAddresses)) continue;
        const target = `${ep.hostname || dashedIP(ip)}.${slice.service}.${slice.namespace}.svc${zone}`;
        if (!seen.has(target)) { seen.add(target); out.push(ptr(target)); }
      }
    }
    return out;
  }
}

/** QTYPE * (255), which the packet types leave out. */
const isAny = (t: RecordType): boolean => (t as string) === 'ANY';

function stripUnderscore(s: string): string { return s.startsWith('_') ? s.slice(1) : s; }
