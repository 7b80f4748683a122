// What we must remember about each networked sandbox between ADD and DEL, across restarts: libcni's result
// cache plus the CNI_ARGS and port mappings (portmap's DEL needs the same mappings ADD got).
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CniResult } from './cni-invoker.ts';
import type { HostPortMapping } from './sandbox-network.ts';

export interface SandboxRecord {
  id: string;
  namespace: string;
  name: string;
  uid: string;
  netnsName: string;
  hostPorts: HostPortMapping[];
  /**
   * Whether the network list ran with portmap: only sandboxes with hostPorts need it, and DEL must
   * run the same list as ADD. Absent (records of older agents, or lost): assume it did.
   */
  portmap?: boolean;
  /** The final ADD result; absent while ADD runs or after it failed. */
  result?: CniResult;
}

export class SandboxStateStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  #file(id: string): string {
    return join(this.#dir, `${id}.json`);
  }

  async get(id: string): Promise<SandboxRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.#file(id), 'utf8')) as SandboxRecord;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Written whole through a rename, so a crash leaves the old record or the new one. */
  async put(record: SandboxRecord): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.#file(record.id)}.tmp`;
    await writeFile(tmp, JSON.stringify(record), { mode: 0o600 });
    await rename(tmp, this.#file(record.id));
  }

  async delete(id: string): Promise<void> {
    await rm(this.#file(id), { force: true });
  }

  async ids(): Promise<string[]> {
    try {
      return (await readdir(this.#dir)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}
