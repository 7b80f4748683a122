import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, appendFileSync, renameSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { writeContainerLog } from './container-log-output.ts';
import type { LogOptions } from '../../server/streaming-runtime.ts';

function collect(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  return { stream: new Writable({ write(c, _e, cb) { chunks.push(Buffer.from(c)); cb(); } }), text: () => Buffer.concat(chunks).toString() };
}

const base: LogOptions = { follow: false, previous: false, timestamps: false };
const rec = (sec: number, stream: string, tag: string, text: string) => `2026-11-23T22:47:${String(sec).padStart(2, '0')}.500000000+00:00 ${stream} ${tag} ${text}\n`;

function withLog(content: string): { path: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'navarch-crilog-'));
  const path = join(dir, 'c.log');
  writeFileSync(path, content);
  return { path, done: () => rmSync(dir, { recursive: true, force: true }) };
}

async function read(path: string, opts: Partial<LogOptions>): Promise<string> {
  const out = collect();
  await writeContainerLog({ path, opts: { ...base, ...opts }, out: out.stream });
  return out.text();
}

test('partial records join into one line per stream; both streams are kept in order', async (t) => {
  const log = withLog(rec(1, 'stdout', 'P', 'hel') + rec(1, 'stderr', 'F', 'oops') + rec(2, 'stdout', 'F', 'lo') + rec(3, 'stdout', 'F', ''));
  t.after(log.done);
  assert.equal(await read(log.path, {}), 'oops\nhello\n\n');
});

test('tailLines, sinceTime, timestamps and limitBytes shape the output as the kubelet does', async (t) => {
  const log = withLog([1, 2, 3, 4].map((i) => rec(i, 'stdout', 'F', `line ${i}`)).join(''));
  t.after(log.done);
  assert.equal(await read(log.path, { tailLines: 2 }), 'line 3\nline 4\n');
  assert.equal(await read(log.path, { tailLines: 0 }), '');
  assert.equal(await read(log.path, { tailLines: 10 }), 'line 1\nline 2\nline 3\nline 4\n');
  assert.equal(await read(log.path, { sinceTime: new Date('2026-11-23T22:47:03Z') }), 'line 3\nline 4\n');
  assert.equal(await read(log.path, { timestamps: true, tailLines: 1 }), '2026-11-23T22:47:04.5Z line 4\n');
  assert.equal(await read(log.path, { limitBytes: 10 }), 'line 1\nlin');
});

test('following writes new lines as they come, across rotation and truncation, until the writer is gone', async (t) => {
  const log = withLog(rec(1, 'stdout', 'F', 'old 1') + rec(2, 'stdout', 'F', 'old 2'));
  t.after(log.done);
  const out = collect();
  const abort = new AbortController();
  let writing = true;
  const done = writeContainerLog({
    path: log.path, opts: { ...base, follow: true, tailLines: 1 }, out: out.stream,
    follow: { signal: abort.signal, isWriting: async () => writing, pollMs: 20, writerCheckMs: 0 },
  });
  const until = async (want: string) => {
    for (let i = 0; i < 200 && !out.text().includes(want); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(out.text().includes(want), `${JSON.stringify(out.text())} lacks ${want}`);
  };
  await until('old 2\n');
  appendFileSync(log.path, rec(3, 'stdout', 'P', 'new ') + rec(3, 'stdout', 'F', '3'));
  await until('new 3\n');
  // conmon's rotation: a new file renamed over the old path.
  writeFileSync(`${log.path}.tmp`, rec(4, 'stderr', 'F', 'rotated 4'));
  renameSync(`${log.path}.tmp`, log.path);
  await until('rotated 4\n');
  truncateSync(log.path, 0);
  await new Promise((r) => setTimeout(r, 100));
  appendFileSync(log.path, rec(5, 'stdout', 'F', 'after truncate'));
  await until('after truncate\n');
  writing = false;
  appendFileSync(log.path, rec(6, 'stdout', 'F', 'last words'));
  await done;
  assert.equal(out.text(), 'old 2\nnew 3\nrotated 4\nafter truncate\nlast words\n');
});

test('following stops when the request is cancelled', async (t) => {
  const log = withLog(rec(1, 'stdout', 'F', 'only'));
  t.after(log.done);
  const out = collect();
  const abort = new AbortController();
  const done = writeContainerLog({ path: log.path, opts: { ...base, follow: true }, out: out.stream, follow: { signal: abort.signal, isWriting: async () => true, pollMs: 20 } });
  await new Promise((r) => setTimeout(r, 100));
  abort.abort();
  await done;
  assert.equal(out.text(), 'only\n');
});

test('a followed log stops once limitBytes is used up, even while nothing new is written', async (t) => {
  const log = withLog(rec(1, 'stdout', 'F', 'abcdef'));
  t.after(log.done);
  const out = collect();
  const abort = new AbortController();
  t.after(() => abort.abort());
  await writeContainerLog({ path: log.path, opts: { ...base, follow: true, tailLines: 5, limitBytes: 3 }, out: out.stream, follow: { signal: abort.signal, isWriting: async () => true, pollMs: 20 } });
  assert.equal(out.text(), 'abc');
});
