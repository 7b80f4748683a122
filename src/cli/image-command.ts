// `navarch image import|ls|rm`: the node's image store from the command line, printed as
// `docker load` (import), `crictl images` (ls) and `docker rmi` (rm) print.
import type { Command } from './commands.ts';
import { openImageStore, type ImageRecord } from '../server/image-commands.ts';

/** Sizes as docker's units.HumanSizeWithPrecision(size, 3) writes them: 2.13MB, 146MB, 512B. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  let i = 0;
  while (size >= 1000 && i < units.length - 1) { size /= 1000; i++; }
  return `${Number(size.toPrecision(3))}${units[i]}`;
}

/** Columns as Go's tabwriter with minwidth 20 and padding 3 (crictl's) lays them out. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(20, ...rows.map((r) => r[c]!.length + 3)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('')).join('\n') + '\n';
}

function imageRows(images: ImageRecord[]): string[][] {
  const rows: string[][] = [];
  for (const img of images) {
    const id = img.id.slice(7, 19);
    const size = humanSize(img.size);
    const tags = img.repoTags.map((t) => [t.slice(0, t.lastIndexOf(':')), t.slice(t.lastIndexOf(':') + 1)]);
    if (tags.length === 0) {
      const repos = [...new Set(img.repoDigests.map((d) => d.slice(0, d.indexOf('@'))))];
      for (const repo of repos.length ? repos : ['<none>']) tags.push([repo, '<none>']);
    }
    for (const [repo, tag] of tags) rows.push([repo!, tag!, id, size]);
  }
  return rows.sort((a, b) => (a[0]! + '\0' + a[1] < b[0]! + '\0' + b[1] ? -1 : 1));
}

export function makeImageCommand(defaultDataDir: string): Command {
  return {
    name: 'image',
    summary: 'Import, list and remove the images of this node',
    usage: 'import|ls|rm [--data-dir DIR] [FILE...|REF...]',
    description: [
      'Subcommands:',
      '  import FILE...   Load image archives: docker save / podman save tarballs, OCI archives (skopeo oci-archive:)',
      '  ls               List the images: IMAGE, TAG, IMAGE ID, SIZE',
      '  rm REF...        Remove images by name[:tag], name@digest, id or unambiguous id prefix',
    ].join('\n'),
    flags: [{ name: 'data-dir', type: 'string', value: 'DIR', help: 'The data directory of the server; images live in DIR/images', default: defaultDataDir }],
    positionals: true,
    async run(v, positionals) {
      const [sub, ...args] = positionals;
      const store = openImageStore((v['data-dir'] as string | undefined) ?? defaultDataDir);
      switch (sub) {
        case 'import': {
          if (args.length === 0) throw new Error('import needs at least one FILE');
          for (const file of args) {
            for (const img of await store.importArchive(file)) {
              if (img.repoTags.length === 0) process.stdout.write(`Loaded image ID: ${img.id}\n`);
              for (const t of img.repoTags) process.stdout.write(`Loaded image: ${t}\n`);
            }
          }
          return 0;
        }
        case 'ls': {
          if (args.length) throw new Error(`ls takes no arguments, got "${args[0]}"`);
          process.stdout.write(table([['IMAGE', 'TAG', 'IMAGE ID', 'SIZE'], ...imageRows(await store.list())]));
          return 0;
        }
        case 'rm': {
          if (args.length === 0) throw new Error('rm needs at least one REF');
          let code = 0;
          // Like docker rmi: every reference is tried; each failure is reported on its own line.
          for (const ref of args) {
            try {
              const r = await store.remove(ref);
              for (const u of r.untagged) process.stdout.write(`Untagged: ${u}\n`);
              for (const d of r.deleted) process.stdout.write(`Deleted: ${d}\n`);
            } catch (e) {
              process.stderr.write(`navarch image: ${(e as Error).message.split('\n')[0]}\n`);
              code = 1;
            }
          }
          return code;
        }
        case undefined:
          throw new Error('missing subcommand: import, ls or rm; run "navarch image --help"');
        default:
          throw new Error(`unknown subcommand "${sub}"; run "navarch image --help"`);
      }
    },
  };
}
