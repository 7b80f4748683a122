// One DNS message in, one out: decodes the query (malformed → FORMERR, or dropped when not
// even the header is there), asks the answerer, forwards what the cluster does not own,
// chases an ExternalName's target upstream, and fits the response to the transport: EDNS0
// payload size honoured on UDP (512 bytes without EDNS0), larger answers truncated with TC.
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, OptAnswer, Packet } from 'dns-packet';
import type { Logger } from '../base/log.ts';
import { FLAG, RCODE, type Answerer } from './answerer.ts';

export type Transport = 'udp' | 'tcp';

/** What this server accepts over UDP with EDNS0 (the DNS flag day 2020 size). */
export const EDNS_PAYLOAD_SIZE = 1232;
const MAX_UDP = 4096;
const MIN_UDP = 512;

/** Where names outside the cluster go (a Forwarder): the upstream's answer with the query's id, or undefined. */
export interface Forwarding { forward(query: Buffer): Promise<Buffer | undefined> }

export interface QueryHandlerOptions {
  answerer: Answerer;
  /** Names outside the cluster; without one they get SERVFAIL. */
  forwarder?: Forwarding;
  log: Logger;
}

export class QueryHandler {
  readonly #answerer: Answerer;
  readonly #forwarder: Forwarding | undefined;
  readonly #log: Logger;

  constructor(opts: QueryHandlerOptions) {
    this.#answerer = opts.answerer;
    this.#forwarder = opts.forwarder;
    this.#log = opts.log;
  }

  /** The response to one message, or undefined when there is nothing to answer (not a query, no header). */
  async handle(msg: Buffer, transport: Transport): Promise<Buffer | undefined> {
    if (msg.length < 12 || (msg.readUInt16BE(2) & 0x8000) !== 0) return undefined;
    try {
      return await this.#handle(msg, transport);
    } catch (err) {
      // A question the encoder cannot write back (a label too long, …): a bug or a hostile query; never a crash.
      this.#log.debug('query failed', { err });
      return headerOnly(msg, RCODE.SERVFAIL);
    }
  }

  async #handle(msg: Buffer, transport: Transport): Promise<Buffer | undefined> {
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return headerOnly(msg, RCODE.FORMERR);
    }
    const opts = (query.additionals ?? []).filter((a): a is OptAnswer => a.type === 'OPT');
    if (opts.length > 1) return headerOnly(msg, RCODE.FORMERR);
    const opt = opts[0];
    const limit = transport === 'tcp' ? 0xffff : opt ? Math.min(MAX_UDP, Math.max(MIN_UDP, opt.udpPayloadSize)) : MIN_UDP;
    if (opt && opt.ednsVersion > 0) {
      // BADVERS (16): the upper 8 bits in the OPT record, the lower 4 in the header.
      return this.#encode({ id: query.id, type: 'response', flags: query.flags! & FLAG.RD, questions: query.questions, answers: [], authorities: [], additionals: [] }, opt, limit, 1);
    }

    const res = this.#answerer.answer(query);
    if (res.forward) return this.#forward(msg, query, opt, limit);
    const response = res.response;
    if (res.chase && this.#forwarder) {
      const more = await this.#chase(res.chase.name, res.chase.type, query.flags! & FLAG.RD);
      response.answers = [...response.answers ?? [], ...more];
    }
    return this.#encode(response, opt, limit);
  }

  async #forward(msg: Buffer, query: DecodedPacket, opt: OptAnswer | undefined, limit: number): Promise<Buffer> {
    const reply = this.#forwarder ? await this.#forwarder.forward(msg) : undefined;
    if (!reply) {
      return this.#encode({ id: query.id, type: 'response', flags: (query.flags! & (FLAG.RD | FLAG.CD)) | FLAG.RA | RCODE.SERVFAIL, questions: query.questions, answers: [], authorities: [], additionals: [] }, opt, limit);
    }
    if (reply.length <= limit) return reply;
    try {
      return this.#encode(dnsPacket.decode(reply), opt, limit);
    } catch {
      return this.#encode({ id: query.id, type: 'response', flags: (query.flags! & FLAG.RD) | FLAG.RA | FLAG.TC, questions: query.questions, answers: [], authorities: [], additionals: [] }, opt, limit);
    }
  }

  /** The target's A/AAAA records from upstream (nothing when it does not answer). */
  async #chase(name: string, type: 'A' | 'AAAA', rd: number): Promise<Answer[]> {
    const q = dnsPacket.encode({ id: 0, type: 'query', flags: rd || FLAG.RD, questions: [{ name, type, class: 'IN' }] });
    const reply = await this.#forwarder!.forward(q);
    if (!reply) return [];
    try {
      const decoded = dnsPacket.decode(reply);
      return (reply.readUInt16BE(2) & 0xf) === RCODE.NOERROR ? decoded.answers ?? [] : [];
    } catch (err) {
      this.#log.debug('undecodable upstream answer', { name, err });
      return [];
    }
  }

  /**
   * The response's bytes within `limit`: with our OPT when the query had one; without the
   * additional section when only that does not fit; else the question alone with TC set.
   */
  #encode(p: Packet, queryOpt: OptAnswer | undefined, limit: number, extendedRcode = 0): Buffer {
    const others = (p.additionals ?? []).filter((a) => a.type !== 'OPT');
    const opt: Answer[] = queryOpt
      ? [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_PAYLOAD_SIZE, extendedRcode, ednsVersion: 0, flags: queryOpt.flags & dnsPacket.DNSSEC_OK, flag_do: false, options: [] } as OptAnswer]
      : [];
    const full = dnsPacket.encode({ ...p, type: 'response', additionals: [...others, ...opt] });
    if (full.length <= limit) return full;
    const noExtra = dnsPacket.encode({ ...p, type: 'response', additionals: opt });
    if (noExtra.length <= limit) return noExtra;
    return dnsPacket.encode({ ...p, type: 'response', flags: (p.flags ?? 0) | FLAG.TC, answers: [], authorities: [], additionals: opt });
  }
}

/** A response of only the query's header (no sections) with this rcode: for queries too broken to decode. */
function headerOnly(msg: Buffer, rcode: number): Buffer {
  const out = Buffer.alloc(12);
  out.writeUInt16BE(msg.readUInt16BE(0), 0);
  const flags = msg.readUInt16BE(2);
  out.writeUInt16BE(0x8000 | (flags & 0x7800) | (flags & FLAG.RD) | rcode, 2);
  return out;
}
