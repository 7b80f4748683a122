import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CgroupReader, locateController } from './cgroup-reader.ts';
import { cgroupDir, parseCgroupMounts, parseFlatKeyed, parseProcessCgroups, parseSingleValue } from './cgroup-files.ts';

/** A temp tree of fixture files; removed after the test. */
function fixtures(t: { after(fn: () => void): void }, files: (root: string) => Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'navarch-stats-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const [rel, text] of Object.entries(files(root))) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return root;
}

const V1_MEMORY_STAT = [
  'cache 2097152', 'rss 1048576', 'inactive_file 65536',
  'total_cache 8388608', 'total_rss 3145728', 'total_inactive_file 4194304', 'total_active_file 1048576', '',
].join('\n');

test('mountinfo lists v1 hierarchies with their controllers and the v2 hierarchy, decoding escaped mount points', () => {
  const mounts = parseCgroupMounts([
    '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
    '32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct',
    '35 31 0:32 /kubepods /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
    '40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd',
    '41 31 0:38 / /mnt/my\\040cgroups rw,relatime - cgroup2 cgroup2 rw,nsdelegate',
    '',
  ].join('\n'));
  assert.deepEqual(mounts, [
    { version: 1, mountPoint: '/sys/fs/cgroup/cpu,cpuacct', root: '/', controllers: ['rw', 'cpu', 'cpuacct'] },
    { version: 1, mountPoint: '/sys/fs/cgroup/memory', root: '/kubepods', controllers: ['rw', 'memory'] },
    { version: 1, mountPoint: '/sys/fs/cgroup/systemd', root: '/', controllers: ['rw', 'name=systemd'] },
    { version: 2, mountPoint: '/mnt/my cgroups', root: '/', controllers: [] },
  ]);
});

test('a process cgroup file gives each hierarchy its controllers and path, the v2 line with none', () => {
  assert.deepEqual(parseProcessCgroups('4:memory:/a/b\n2:cpu,cpuacct:/a/b\n1:name=systemd:/\n0::/x\n'), [
    { hierarchyId: 4, controllers: ['memory'], path: '/a/b' },
    { hierarchyId: 2, controllers: ['cpu', 'cpuacct'], path: '/a/b' },
    { hierarchyId: 1, controllers: ['name=systemd'], path: '/' },
    { hierarchyId: 0, controllers: [], path: '/x' },
  ]);
});

test('flat keyed and single value files parse to numbers; "max" is no number', () => {
  assert.deepEqual([...parseFlatKeyed('usage_usec 12\nuser_usec 7\nbogus\nsome avg10=0.00\n')], [['usage_usec', 12], ['user_usec', 7]]);
  assert.equal(parseSingleValue('123456789\n'), 123456789);
  assert.equal(parseSingleValue('max\n'), undefined);
});

test('a cgroup path maps into its mount, below the mount root when the mount shows a subtree', () => {
  assert.equal(cgroupDir({ version: 1, mountPoint: '/sys/fs/cgroup/memory', root: '/', controllers: [] }, '/a/b'), '/sys/fs/cgroup/memory/a/b');
  assert.equal(cgroupDir({ version: 1, mountPoint: '/sys/fs/cgroup/memory', root: '/', controllers: [] }, '/'), '/sys/fs/cgroup/memory');
  assert.equal(cgroupDir({ version: 2, mountPoint: '/sys/fs/cgroup', root: '/kubepods', controllers: [] }, '/kubepods/pod1/c'), '/sys/fs/cgroup/pod1/c');
  assert.equal(cgroupDir({ version: 2, mountPoint: '/sys/fs/cgroup', root: '/kubepods', controllers: [] }, '/kubepodsx/c'), '/sys/fs/cgroup/kubepodsx/c');
});

test('each controller is read from the v1 hierarchy that carries it, else from the unified one', () => {
  const mounts = parseCgroupMounts([
    '33 31 0:30 / /cg/cpuacct rw - cgroup cgroup rw,cpuacct',
    '41 31 0:38 / /cg/unified rw - cgroup2 cgroup2 rw',
  ].join('\n'));
  const cgroups = parseProcessCgroups('3:cpuacct:/n/pod1/c1\n4:memory:/n/pod1/c1\n0::/n/pod1/c1\n');
  assert.deepEqual(locateController(mounts, cgroups, 'cpuacct'), { version: 1, dir: '/cg/cpuacct/n/pod1/c1' });
  // The memory hierarchy the process names is not mounted: the unified one stands in.
  assert.deepEqual(locateController(mounts, cgroups, 'memory'), { version: 2, dir: '/cg/unified/n/pod1/c1' });
  assert.equal(locateController([], cgroups, 'memory'), undefined);
});

test('on cgroup v1 a container uses cpuacct.usage and usage_in_bytes less total_inactive_file, each in its own nested hierarchy', async (t) => {
  const root = fixtures(t, (r) => ({
    'proc/self/mountinfo': [
      `32 31 0:29 / ${r}/cg/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct`,
      `35 31 0:32 / ${r}/cg/memory rw,relatime - cgroup cgroup rw,memory`,
      `41 31 0:38 / ${r}/cg/unified rw,relatime - cgroup2 cgroup2 rw`,
    ].join('\n'),
    // runc nested the memory cgroup under its own (as on hosts where the caller is not at the root).
    'proc/4242/cgroup': '9:name=systemd:/\n4:memory:/outer/navarch-ab/podu1/c1\n2:cpu,cpuacct:/navarch-ab/podu1/c1\n0::/\n',
    'cg/cpu,cpuacct/navarch-ab/podu1/c1/cpuacct.usage': '1500000000\n',
    'cg/memory/outer/navarch-ab/podu1/c1/memory.usage_in_bytes': '10485760\n',
    'cg/memory/outer/navarch-ab/podu1/c1/memory.stat': V1_MEMORY_STAT,
    // Decoys: the v2 files of the root must not be read for a v1 host.
    'cg/unified/cpu.stat': 'usage_usec 999\n',
  }));
  const reader = new CgroupReader({ procDir: join(root, 'proc') });
  assert.deepEqual(await reader.locate(4242), {
    cpu: { version: 1, dir: `${root}/cg/cpu,cpuacct/navarch-ab/podu1/c1` },
    memory: { version: 1, dir: `${root}/cg/memory/outer/navarch-ab/podu1/c1` },
  });
  assert.deepEqual(await reader.usageOf(4242), { cpuNs: 1_500_000_000, workingSetBytes: 10485760 - 4194304 });
});

test('on pure cgroup v2 a container uses cpu.stat usage_usec and memory.current less inactive_file', async (t) => {
  const root = fixtures(t, (r) => ({
    'proc/self/mountinfo': `25 20 0:23 / ${r}/cg rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot`,
    'proc/77/cgroup': '0::/navarch-ab/podu2/c2\n',
    'cg/navarch-ab/podu2/c2/cpu.stat': 'usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n',
    'cg/navarch-ab/podu2/c2/memory.current': '8388608\n',
    'cg/navarch-ab/podu2/c2/memory.stat': 'anon 4194304\nfile 4194304\nactive_file 1048576\ninactive_file 3145728\n',
  }));
  const reader = new CgroupReader({ procDir: join(root, 'proc') });
  assert.deepEqual(await reader.usageOf(77), { cpuNs: 2_500_000_000, workingSetBytes: 8388608 - 3145728 });
});

test('the working set never goes below zero', async (t) => {
  const root = fixtures(t, (r) => ({
    'proc/self/mountinfo': `25 20 0:23 / ${r}/cg rw - cgroup2 cgroup2 rw`,
    'proc/5/cgroup': '0::/c\n',
    'cg/c/cpu.stat': 'usage_usec 1\n',
    'cg/c/memory.current': '4096\n',
    'cg/c/memory.stat': 'inactive_file 8192\n',
  }));
  assert.deepEqual(await new CgroupReader({ procDir: join(root, 'proc') }).usageOf(5), { cpuNs: 1000, workingSetBytes: 0 });
});

test('a gone process or a cgroup without the memory controller has no usage', async (t) => {
  const root = fixtures(t, (r) => ({
    'proc/self/mountinfo': `25 20 0:23 / ${r}/cg rw - cgroup2 cgroup2 rw`,
    'proc/6/cgroup': '0::/nomem\n',
    'cg/nomem/cpu.stat': 'usage_usec 10\n',
  }));
  const reader = new CgroupReader({ procDir: join(root, 'proc') });
  assert.equal(await reader.usageOf(6), undefined);
  assert.equal(await reader.usageOf(999999), undefined);
});

test('the cgroup of this very process on this machine yields cpu time and a working set', async () => {
  const u = await new CgroupReader().usageOf(process.pid);
  assert.ok(u, 'usage read from the host cgroups');
  assert.ok(u.cpuNs > 0);
  assert.ok(u.workingSetBytes > 0);
});
