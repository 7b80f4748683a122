// subPath and subPathExpr of a volume mount: the expansion of $(VAR) references, upstream's
// checks, and a path inside the volume that is created when missing and may not escape it
// through symlinks.
import { chmod, lstat, mkdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Kubernetes' $(VAR) expansion: `$$` is a literal `$`, unknown names reported by `mapping`. */
export function expandReferences(input: string, mapping: (name: string) => string): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) { out += c; i++; continue; }
    const next = input[i + 1];
    if (next === '$') { out += '$'; i += 2; continue; }
    if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close >= 0) { out += mapping(input.slice(i + 2, close)); i = close + 1; continue; }
      out += '$('; i += 2; continue;
    }
    out += c + next;
    i += 2;
  }
  return out;
}

/** subPathExpr expanded with the container's environment (upstream: every name must have a value). */
export function expandSubPathExpr(expr: string, env: Map<string, string>): string {
  const missing = new Set<string>();
  const expanded = expandReferences(expr, (name) => {
    const v = env.get(name);
    if (!v) missing.add(name);
    return v ?? '';
  });
  if (missing.size) throw new Error(`missing value for ${[...missing].sort().join(', ')}`);
  return expanded;
}

const inside = (root: string, p: string) => p === root || p.startsWith(root.endsWith('/') ? root : `${root}/`);

/**
 * The host path of subPath inside volumePath: directories that are missing are made with the
 * volume's own mode; symlinks may not lead out of the volume. Returns the resolved path.
 */
export async function prepareSubPath(volumePath: string, subPath: string, mountName: string, containerName: string): Promise<{ hostPath: string; isDirectory: boolean }> {
  if (subPath.startsWith('/')) throw new Error(`error SubPath \`${subPath}\` must not be an absolute path`);
  if (subPath.split('/').includes('..')) throw new Error(`unable to provision SubPath \`${subPath}\`: must not contain '..'`);
  const prepareFailed = () => new Error(`failed to prepare subPath for volumeMount "${mountName}" of container "${containerName}"`);
  const createFailed = () => new Error(`failed to create subPath directory for volumeMount "${mountName}" of container "${containerName}"`);
  let root: string;
  try { root = await realpath(volumePath); } catch { throw prepareFailed(); }
  const mode = (await stat(root)).mode & 0o7777;
  const parts = subPath.split('/').filter((p) => p !== '' && p !== '.');
  let cur = root;
  for (let i = 0; i < parts.length; i++) {
    const p = join(cur, parts[i]);
    const st = await lstat(p).catch(() => undefined);
    if (!st) {
      try {
        await mkdir(p, { mode });
        await chmod(p, mode);
      } catch { throw createFailed(); }
      cur = p;
      continue;
    }
    const resolved = st.isSymbolicLink() ? await realpath(p).catch(() => undefined) : p;
    if (!resolved || !inside(root, resolved)) throw prepareFailed();
    const target = await stat(resolved);
    if (!target.isDirectory() && i < parts.length - 1) throw prepareFailed();
    cur = resolved;
  }
  const final = await realpath(cur).catch(() => undefined);
  if (!final || !inside(root, final)) throw prepareFailed();
  return { hostPath: final, isDirectory: (await stat(final)).isDirectory() };
}
