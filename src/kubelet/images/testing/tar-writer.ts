// A small deterministic tar (ustar + pax extended headers) writer for building test images:
// same entries in, same bytes out (no timestamps or host owners leak in).

export interface TarEntry {
  /** Path inside the archive, without a leading slash; directories may end with `/`. */
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'hardlink' | 'char';
  content?: Buffer | string;
  /** Target of a symlink or hard link. */
  linkname?: string;
  /** Permission bits; defaults 0o755 for dirs, 0o644 for files, 0o777 for symlinks. */
  mode?: number;
  uid?: number;
  gid?: number;
  /** Seconds since the epoch; default 0. */
  mtime?: number;
  devmajor?: number;
  devminor?: number;
  /** Extended attributes, as GNU tar's --xattrs stores them (SCHILY.xattr.*). */
  xattrs?: Record<string, string>;
}

const TYPEFLAG = { file: '0', hardlink: '1', symlink: '2', char: '3', dir: '5' } as const;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(fields: { name: string; prefix: string; mode: number; uid: number; gid: number; size: number; mtime: number; type: string; linkname: string; devmajor: number; devminor: number }): Buffer {
  const h = Buffer.alloc(512);
  h.write(fields.name, 0, 100, 'utf8');
  h.write(octal(fields.mode, 8), 100);
  h.write(octal(fields.uid, 8), 108);
  h.write(octal(fields.gid, 8), 116);
  h.write(octal(fields.size, 12), 124);
  h.write(octal(fields.mtime, 12), 136);
  h.write('        ', 148);
  h.write(fields.type, 156);
  h.write(fields.linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.write(octal(fields.devmajor, 8), 329);
  h.write(octal(fields.devminor, 8), 337);
  h.write(fields.prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148);
  return h;
}

function splitName(path: string): { name: string; prefix: string } | undefined {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name) return { name, prefix };
  }
  return undefined;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

function pad(size: number): Buffer {
  return Buffer.alloc((512 - (size % 512)) % 512);
}

/** The archive's bytes: the entries in the order given, then two zero blocks. */
export function writeTar(entries: TarEntry[]): Buffer {
  const out: Buffer[] = [];
  for (const e of entries) {
    const content = e.type === 'file' ? Buffer.from(e.content ?? '') : Buffer.alloc(0);
    const path = e.type === 'dir' && !e.path.endsWith('/') ? `${e.path}/` : e.path;
    const linkname = e.linkname ?? '';
    const pax: string[] = [];
    let split = splitName(path);
    if (!split) { pax.push(paxRecord('path', path)); split = { name: path.slice(0, 99), prefix: '' }; }
    if (Buffer.byteLength(linkname) > 100) pax.push(paxRecord('linkpath', linkname));
    for (const [k, v] of Object.entries(e.xattrs ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) pax.push(paxRecord(`SCHILY.xattr.${k}`, v));
    const common = { mode: 0, uid: e.uid ?? 0, gid: e.gid ?? 0, mtime: e.mtime ?? 0, linkname: '', devmajor: 0, devminor: 0 };
    if (pax.length) {
      const body = Buffer.from(pax.join(''));
      out.push(header({ ...common, name: 'PaxHeaders/entry', prefix: '', mode: 0o644, size: body.length, type: 'x' }), body, pad(body.length));
    }
    const mode = e.mode ?? (e.type === 'dir' ? 0o755 : e.type === 'symlink' ? 0o777 : 0o644);
    out.push(header({
      ...common, ...split, mode, size: content.length, type: TYPEFLAG[e.type], linkname: linkname.slice(0, 100),
      devmajor: e.devmajor ?? 0, devminor: e.devminor ?? 0,
    }));
    if (content.length) out.push(content, pad(content.length));
  }
  out.push(Buffer.alloc(1024));
  return Buffer.concat(out);
}
