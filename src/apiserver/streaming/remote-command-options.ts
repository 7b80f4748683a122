// PodExecOptions / PodAttachOptions from the query kubectl sends, and the kubelet path for them.
import { errors } from '../../api/status.ts';

export interface RemoteCommandOptions {
  kind: 'exec' | 'attach';
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

const TRUE = new Set(['true', '1', 't', 'T', 'TRUE', 'True']);
const FALSE = new Set(['false', '0', 'f', 'F', 'FALSE', 'False', '']);

function bool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return false;
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw errors.badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

export function parseRemoteCommandOptions(kind: 'exec' | 'attach', q: URLSearchParams): RemoteCommandOptions {
  const o: RemoteCommandOptions = {
    kind, container: q.get('container') ?? '', command: kind === 'exec' ? q.getAll('command') : [],
    stdin: bool(q, 'stdin'), stdout: bool(q, 'stdout'), stderr: bool(q, 'stderr'), tty: bool(q, 'tty'),
  };
  // A terminal carries stderr in stdout.
  if (o.tty) o.stderr = false;
  if (!o.stdin && !o.stdout && !o.stderr) throw errors.badRequest('you must specify at least 1 of stdin, stdout, stderr');
  return o;
}

/** /exec/{ns}/{pod}/{uid}/{container}?command=…&input=1&output=1&error=1&tty=1 (upstream's kubelet query names). */
export function kubeletRemoteCommandPath(o: RemoteCommandOptions, ns: string, pod: string, uid: string, container: string): string {
  const p = new URLSearchParams();
  if (o.stdin) p.append('input', '1');
  if (o.stdout) p.append('output', '1');
  if (o.stderr) p.append('error', '1');
  if (o.tty) p.append('tty', '1');
  for (const c of o.command) p.append('command', c);
  const seg = [ns, pod, uid, container].map(encodeURIComponent).join('/');
  return `/${o.kind}/${seg}?${p.toString()}`;
}
