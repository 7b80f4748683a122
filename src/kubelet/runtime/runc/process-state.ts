// A container's state read straight off the host, without spawning `runc state` (a fork of a
// large process per call): conmon writes the container's pid to <bundle>/pidfile after create and
// the exit code to <exit-dir>/<id> when it ends; /proc tells whether that pid is still the same
// live process (its start time guards against pid reuse).
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export type ProcessStatus = 'alive' | 'exited' | 'absent' | 'lost';

/** Field 22 of /proc/<pid>/stat (start time in clock ticks), or undefined for a gone or zombie process. */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

function readPid(path: string): number | undefined {
  try {
    const n = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

export class ProcessStates {
  /** The start time first seen per container pid, so a recycled pid is not taken for our process. */
  readonly #startTimes = new Map<string, number>();

  /**
   * alive: the container's process runs; exited: conmon recorded the exit; absent: never created; lost: gone without a record.
   * exitSeenAbsent: the caller just saw no exit file (the check is not repeated unless the process is gone).
   */
  status(id: string, bundle: string, exitDir: string, exitSeenAbsent = false): { status: ProcessStatus; pid?: number } {
    if (!exitSeenAbsent && existsSync(join(exitDir, id))) return { status: 'exited' };
    const pid = readPid(join(bundle, 'pidfile'));
    if (!pid) return { status: 'absent' };
    const start = processStartTime(pid);
    const known = this.#startTimes.get(id);
    if (start !== undefined && (known === undefined || known === start)) {
      if (known === undefined) this.#startTimes.set(id, start);
      return { status: 'alive', pid };
    }
    // The process is gone; conmon writes the exit file a moment later unless it is gone too.
    const conmon = readPid(join(bundle, 'conmon.pid'));
    if (conmon && processStartTime(conmon) !== undefined) return { status: 'alive', pid };
    return existsSync(join(exitDir, id)) ? { status: 'exited' } : { status: 'lost' };
  }

  forget(id: string): void { this.#startTimes.delete(id); }
}
