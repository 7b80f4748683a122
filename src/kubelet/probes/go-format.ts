// How upstream's Go code prints the values that end up in probe and hook messages (%q, %v of a
// time.Duration and of a []string, net.JoinHostPort, format.Pod): users match these texts.
import type { KubeObject } from '../../client/api-client.ts';

/** Go's %q of a string: double quotes, backslash escapes. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** Go's time.Duration String() for a whole number of milliseconds: 1s, 1.5s, 100ms, 1m30s, 0s. */
export function goDuration(ms: number): string {
  ms = Math.round(ms);
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const secMs = ms % 60_000;
  const sec = secMs % 1000 === 0 ? String(secMs / 1000) : (secMs / 1000).toFixed(3).replace(/0+$/, '');
  if (h > 0) return `${h}h${m}m${sec}s`;
  if (m > 0) return `${m}m${sec}s`;
  return `${sec}s`;
}

/** Go's %v of a []string: `[sh -c echo hi]`. */
export function goStringSlice(items: string[]): string {
  return `[${items.join(' ')}]`;
}

/** net.JoinHostPort: IPv6 literals get brackets. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The kubelet's format.Pod: `name_namespace(uid)`. */
export function formatPod(pod: KubeObject): string {
  const md = pod.metadata ?? {};
  return `${md.name ?? ''}_${md.namespace ?? ''}(${md.uid ?? ''})`;
}

/** Upstream's probe type names as they appear in events: Liveness, Readiness, Startup. */
export function probeKindTitle(kind: 'liveness' | 'readiness' | 'startup'): string {
  return kind[0].toUpperCase() + kind.slice(1);
}
