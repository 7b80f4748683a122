// Reads the records of a CRI log file in order, optionally following it while its writer
// (conmon) lives. conmon rotates by writing a fresh file and renaming it over the path, so a
// follower that sees a new inode drains the old file and continues with the new one from its
// start; a file shrunk in place (truncated) is read again from its start.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { parseCriLine, type CriLogRecord } from './cri-log.ts';

export interface FollowOptions {
  signal: AbortSignal;
  /** False once nothing more will be written (conmon gone): the reader drains the file and ends. */
  isWriting(): Promise<boolean>;
  /** Longest wait between checks for new data (ms); file events wake the reader earlier. */
  pollMs?: number;
  /** How often at most isWriting is asked (ms). */
  writerCheckMs?: number;
}

export interface ReadOptions {
  /** 'end': only what is written from now on. */
  from?: 'start' | 'end';
  follow?: FollowOptions;
  /** Called once, the first time the reader has read all the file held (before waiting for more). */
  onCaughtUp?: () => void;
}

const CHUNK = 64 * 1024;

async function openIfExists(path: string): Promise<FileHandle | undefined> {
  try { return await open(path, 'r'); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function inodeOf(path: string): Promise<number | undefined> {
  try { return (await stat(path)).ino; } catch { return undefined; }
}

/** Wakes a waiting follower on any change in the log's directory, or after a timeout. */
class ChangeSignal {
  #watcher: FSWatcher | undefined;
  #wake: (() => void) | undefined;
  #changed = false;

  constructor(dir: string) {
    try {
      this.#watcher = watch(dir, { persistent: false }, () => this.#fire());
      this.#watcher.on('error', () => { this.#watcher?.close(); this.#watcher = undefined; });
    } catch { /* no watch: polling alone */ }
  }

  #fire(): void {
    this.#changed = true;
    const w = this.#wake;
    this.#wake = undefined;
    w?.();
  }

  wait(ms: number, signal: AbortSignal): Promise<void> {
    if (this.#changed || signal.aborted) { this.#changed = false; return Promise.resolve(); }
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); signal.removeEventListener('abort', done); this.#wake = undefined; this.#changed = false; resolve(); };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.#wake = done;
    });
  }

  close(): void { this.#watcher?.close(); }
}

/** Yields the file's records (partial ones as they are: see joinPartials). */
export async function* readCriRecords(path: string, opts: ReadOptions = {}): AsyncGenerator<CriLogRecord> {
  const follow = opts.follow;
  const changes = follow ? new ChangeSignal(dirname(path)) : undefined;
  let fh: FileHandle | undefined;
  try {
    let writerCheckedAt = 0;
    let writing = true;
    /** After the writer is gone: one more pass to the end of the file, then stop. */
    const writerGone = async (): Promise<boolean> => {
      if (!follow) return true;
      const now = Date.now();
      if (now - writerCheckedAt >= (follow.writerCheckMs ?? 500)) {
        writerCheckedAt = now;
        writing = await follow.isWriting();
      }
      return !writing;
    };

    let caughtUp = false;
    fh = await openIfExists(path);
    if (!fh) { caughtUp = true; opts.onCaughtUp?.(); }
    while (!fh) {
      if (!follow || follow.signal.aborted || (await writerGone())) return;
      await changes!.wait(follow.pollMs ?? 250, follow.signal);
      fh = await openIfExists(path);
    }
    let ino = (await fh.stat()).ino;
    let position = 0;
    let carry: Buffer = Buffer.alloc(0);
    // Starting at the end may land inside a line still being written: skip to the next one.
    let skipFirst = false;
    if (opts.from === 'end') {
      position = (await fh.stat()).size;
      if (position > 0) {
        const last = Buffer.alloc(1);
        await fh.read(last, 0, 1, position - 1);
        skipFirst = last[0] !== 0x0a;
      }
    }
    const buf = Buffer.alloc(CHUNK);
    let finalPass = false;
    let oldDrained = false;
    for (;;) {
      if (follow?.signal.aborted) return;
      const { bytesRead } = await fh.read(buf, 0, CHUNK, position);
      if (bytesRead > 0) {
        position += bytesRead;
        carry = carry.length ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : Buffer.from(buf.subarray(0, bytesRead));
        let start = 0;
        for (let nl = carry.indexOf(0x0a); nl >= 0; nl = carry.indexOf(0x0a, start)) {
          const line = carry.subarray(start, nl);
          start = nl + 1;
          if (skipFirst) { skipFirst = false; continue; }
          const rec = parseCriLine(line);
          if (rec) yield rec;
        }
        carry = carry.subarray(start);
        continue;
      }
      // End of the file as it is now.
      if (!caughtUp) { caughtUp = true; opts.onCaughtUp?.(); }
      if (!follow || finalPass) {
        // A last line without its newline (a writer killed mid-write) still counts.
        const rec = carry.length && !skipFirst ? parseCriLine(carry) : undefined;
        if (rec) yield rec;
        return;
      }
      const nowIno = await inodeOf(path);
      if (nowIno !== undefined && nowIno !== ino) {
        // Rotated: conmon closed the old file before replacing it, so one more pass reads all of it.
        if (!oldDrained) { oldDrained = true; continue; }
        oldDrained = false;
        const next = await openIfExists(path);
        if (next) {
          await fh.close();
          fh = next;
          ino = (await fh.stat()).ino;
          position = 0;
          carry = Buffer.alloc(0);
          skipFirst = false;
          continue;
        }
      } else if (nowIno !== undefined && (await fh.stat()).size < position) {
        // Truncated in place: start over.
        position = 0;
        carry = Buffer.alloc(0);
        skipFirst = false;
        continue;
      }
      if (await writerGone()) { finalPass = true; continue; }
      await changes!.wait(follow.pollMs ?? 250, follow.signal);
    }
  } finally {
    changes?.close();
    await fh?.close();
  }
}

/** A log line: the records of one stream from the first partial up to its full record, joined. */
export interface LogLine {
  stream: CriLogRecord['stream'];
  /** Timestamp of the line's first record. */
  time: string;
  timeMs: number;
  content: Buffer;
  /** True for a line the writer never finished (only at the end of a log). */
  incomplete?: boolean;
}

/** Joins partial records into whole lines, per stream (stdout and stderr may interleave). */
export async function* joinPartials(records: AsyncIterable<CriLogRecord>): AsyncGenerator<LogLine> {
  const pending = new Map<string, { first: CriLogRecord; parts: Buffer[] }>();
  for await (const rec of records) {
    const open = pending.get(rec.stream);
    if (rec.partial) {
      if (open) open.parts.push(rec.content);
      else pending.set(rec.stream, { first: rec, parts: [rec.content] });
      continue;
    }
    if (open) {
      pending.delete(rec.stream);
      yield { stream: rec.stream, time: open.first.time, timeMs: open.first.timeMs, content: Buffer.concat([...open.parts, rec.content]) };
    } else yield { stream: rec.stream, time: rec.time, timeMs: rec.timeMs, content: rec.content };
  }
  for (const { first, parts } of pending.values()) {
    yield { stream: first.stream, time: first.time, timeMs: first.timeMs, content: Buffer.concat(parts), incomplete: true };
  }
}
