// conntrack(8), which forgets flows whose rules changed (stale UDP flows).
import { spawn } from 'node:child_process';

/** Deletes conntrack entries (conntrack(8)); "no entry matched" is not an error. */
export function runConntrack(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('conntrack', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 || /0 flow entries have been deleted/.test(stderr)) resolve();
      else reject(new Error(`conntrack ${args.join(' ')} failed (exit ${code}): ${stderr.trim()}`));
    });
  });
}
