import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMeminfoWorkingSet, parseProcStatBusyNs, readHostUsage } from './host-usage.ts';

const STAT = [
  //    user  nice system idle    iowait irq softirq steal guest guest_nice
  'cpu  1000  20   300    900000  5000   7   13      400   50    0',
  'cpu0 500 10 150 450000 2500 3 6 200 25 0',
  'intr 12345',
  '',
].join('\n');

const MEMINFO = [
  'MemTotal:       16384000 kB',
  'MemFree:         8192000 kB',
  'MemAvailable:   12000000 kB',
  'Active(file):    1000000 kB',
  'Inactive(file):  2048000 kB',
  'HugePages_Total:       0',
  '',
].join('\n');

test('node cpu counts user, nice, system, irq and softirq but not idle, iowait, steal or guest twice', () => {
  assert.equal(parseProcStatBusyNs(STAT), (1000 + 20 + 300 + 7 + 13) * 10_000_000);
  assert.equal(parseProcStatBusyNs('intr 1\n'), undefined);
});

test('node working set is MemTotal less MemFree less inactive file pages', () => {
  assert.equal(parseMeminfoWorkingSet(MEMINFO), (16384000 - 8192000 - 2048000) * 1024);
  assert.equal(parseMeminfoWorkingSet('MemTotal: 1 kB\n'), undefined);
});

test('host usage is read from a proc directory', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'navarch-hostusage-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'stat'), STAT);
  writeFileSync(join(dir, 'meminfo'), MEMINFO);
  assert.deepEqual(await readHostUsage(dir), { cpuNs: 13_400_000_000, workingSetBytes: 6144000 * 1024 });
  assert.equal(await readHostUsage(join(dir, 'missing')), undefined);
});

test('the /proc of this machine yields busy cpu time and a working set', async () => {
  const u = await readHostUsage();
  assert.ok(u, 'usage read from /proc');
  assert.ok(u.cpuNs > 0);
  assert.ok(u.workingSetBytes > 0);
});
