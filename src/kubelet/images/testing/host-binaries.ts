// A layer holding some of this machine's dynamically linked programs with every library `ldd`
// says they load, for test images that need more than busybox-static (glibc's resolver: a
// static busybox cannot resolve names through the pod's resolv.conf).
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TarEntry } from './tar-writer.ts';

export function hostBinariesLayer(programs: string[]): TarEntry[] {
  const files = new Set<string>();
  for (const program of programs) {
    files.add(program);
    for (const line of execFileSync('ldd', [program], { encoding: 'utf8' }).split('\n')) {
      // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)"
      const path = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line)?.[1];
      if (path) files.add(path);
    }
  }
  const dirs = new Set<string>();
  for (const f of files) for (let d = dirname(f); d !== '/'; d = dirname(d)) dirs.add(d);
  return [
    ...[...dirs].sort().map((d): TarEntry => ({ path: d.slice(1), type: 'dir' })),
    ...[...files].sort().map((f): TarEntry => ({ path: f.slice(1), type: 'file', content: readFileSync(f), mode: statSync(f).mode & 0o777 })),
  ];
}
