// The only place that touches nftables: one `nft -f -` per transaction (atomic: all of
// the script applies or none of it), and the table's removal.
import { spawn } from 'node:child_process';

export interface Nft {
  /** Applies the script as one transaction; rejects with nft's message when any line fails. */
  apply(script: string): Promise<void>;
}

export class NftCli implements Nft {
  apply(script: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn('nft', ['-f', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) resolve();
        else reject(new Error(`nft -f failed (exit ${code}): ${stderr.trim().split('\n').slice(0, 6).join(' | ')}`));
      });
      child.stdin.end(script);
    });
  }
}

/** Deletes table `ip name` if it is there (the `add` first makes the delete safe either way). */
export function removeTableScript(name: string): string {
  return `add table ip ${name}\ndelete table ip ${name}\n`;
}
