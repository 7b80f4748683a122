// Watch streams cut into their JSON documents. Servers (ours, kube-apiserver) end every event with
// a newline, and JSON has no raw newline inside a value: lines are cut with a native search. A
// stream that is not one document per line (pretty-printed) is scanned character by character
// from there on; several documents on one line are told apart when the line does not parse.
import { StringDecoder } from 'node:string_decoder';

/** Finds whole top-level objects in text fed piece by piece, whatever whitespace lies between them. */
export class ObjectScanner {
  #buf = '';
  #depth = 0;
  #inString = false;
  #escape = false;
  #scanned = 0;
  #start = -1;

  push(text: string): string[] {
    this.#buf += text;
    const out: string[] = [];
    const s = this.#buf;
    let i = this.#scanned;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (this.#inString) {
        if (this.#escape) this.#escape = false;
        else if (c === 92) this.#escape = true;
        else if (c === 34) this.#inString = false;
        continue;
      }
      if (c === 34) this.#inString = true;
      else if (c === 123) { if (this.#depth++ === 0) this.#start = i; }
      else if (c === 125) { if (--this.#depth === 0) out.push(s.slice(this.#start, i + 1)); }
    }
    if (this.#depth === 0) { this.#buf = ''; this.#scanned = 0; }
    else { this.#buf = s.slice(this.#start); this.#scanned = i - this.#start; this.#start = 0; }
    return out;
  }
}

const OPEN = 123; // {
const CLOSE = 125; // }

/** Splits a byte stream of JSON objects; returns each whole object's text as it completes. */
export class JsonStreamSplitter {
  /** Keeps a character whose bytes straddle two chunks whole. */
  readonly #decoder = new StringDecoder('utf8');
  #buf = '';
  /** Set once the stream proved not to be one object per line. */
  #scanner: ObjectScanner | undefined;

  push(chunk: Buffer): string[] {
    const text = this.#decoder.write(chunk);
    if (this.#scanner) return this.#scanner.push(text);
    this.#buf += text;
    const out: string[] = [];
    let start = 0;
    for (let nl = this.#buf.indexOf('\n'); nl >= 0; nl = this.#buf.indexOf('\n', start)) {
      const line = this.#buf.slice(start, nl).trim();
      if (line !== '' && !(line.charCodeAt(0) === OPEN && line.charCodeAt(line.length - 1) === CLOSE)) {
        this.#scanner = new ObjectScanner();
        const rest = this.#buf.slice(start);
        this.#buf = '';
        return out.concat(this.#scanner.push(rest));
      }
      if (line !== '') out.push(line);
      start = nl + 1;
    }
    this.#buf = this.#buf.slice(start);
    return out;
  }
}

/** The value of a document the splitter cut; a line holding several objects gives each of them. */
export function parseDocuments(doc: string): unknown[] {
  try {
    return [JSON.parse(doc)];
  } catch (err) {
    const parts = new ObjectScanner().push(doc);
    if (parts.length < 2) throw err;
    return parts.map((p) => JSON.parse(p));
  }
}
