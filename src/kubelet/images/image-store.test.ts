import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, lstatSync, readlinkSync, statSync, readdirSync, existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageStore } from './image-store.ts';
import { buildBusyboxImage } from './testing/busybox-image.ts';
import { writeTar } from './testing/tar-writer.ts';
import { isMountPoint } from './rootfs-mount.ts';

const tmp = mkdtempSync(join(tmpdir(), 'navarch-images-'));
const rootfsMounts: string[] = [];
after(() => {
  for (const r of rootfsMounts) {
    try { execFileSync('umount', [r], { stdio: 'ignore' }); } catch { /* not mounted */ }
  }
  rmSync(tmp, { recursive: true, force: true });
});

let n = 0;
function fresh(): { store: ImageStore; dir: string } {
  const dir = join(tmp, `case-${++n}`);
  mkdirSync(dir);
  return { store: new ImageStore(join(dir, 'images')), dir };
}
/** A container's rootfs mount point and writable layer, as the runtime lays them out (here in one directory). */
function containerPaths(dir: string, name: string): { rootfs: string; upper: string; work: string } {
  const d = join(dir, 'containers', name);
  rootfsMounts.push(join(d, 'rootfs'));
  return { rootfs: join(d, 'rootfs'), upper: join(d, 'upper'), work: join(d, 'work') };
}

test('imports a docker save archive: id, tags, config and an unpacked busybox layer', async () => {
  const { store, dir } = fresh();
  const built = buildBusyboxImage(join(dir, 'web.tar'), {
    name: 'web:v1', cmd: ['sleep', '3600'], entrypoint: ['/bin/sh', '-c'], env: ['PATH=/bin', 'A=1'], workingDir: '/tmp',
    user: '65534', exposedPorts: ['80/tcp'], labels: { app: 'web' }, extraFiles: { '/www/index.html': 'hello\n' },
  });
  const [rec, ...rest] = await store.importArchive(built.file);
  assert.equal(rest.length, 0);
  assert.equal(rec!.id, built.id);
  assert.deepEqual(rec!.repoTags, ['docker.io/library/web:v1']);
  assert.deepEqual(rec!.repoDigests, []);
  assert.deepEqual(rec!.config, {
    entrypoint: ['/bin/sh', '-c'], cmd: ['sleep', '3600'], env: ['PATH=/bin', 'A=1'], workingDir: '/tmp', user: '65534',
    exposedPorts: ['80/tcp'], labels: { app: 'web' },
  });
  assert.deepEqual(rec!.diffIDs, built.diffIDs);
  assert.deepEqual(rec!.chainIDs, built.diffIDs);
  assert.ok(rec!.size > 1_000_000, `size ${rec!.size}`);
  const layer = join(store.root, 'layers', built.diffIDs[0]!.slice(7));
  assert.equal(statSync(join(layer, 'bin/busybox')).mode & 0o7777, 0o755);
  assert.equal(readlinkSync(join(layer, 'bin/sh')), 'busybox');
  assert.equal(statSync(join(layer, 'tmp')).mode & 0o7777, 0o1777);
  assert.equal(statSync(join(layer, 'root')).mode & 0o7777, 0o700);
  assert.equal(readFileSync(join(layer, 'www/index.html'), 'utf8'), 'hello\n');
  assert.match(readFileSync(join(layer, 'etc/passwd'), 'utf8'), /^nobody:x:65534:65534:/m);
  assert.ok(existsSync(join(store.root, 'blobs/sha256', built.id.slice(7))));
  assert.ok(existsSync(join(store.root, 'blobs/sha256', built.diffIDs[0]!.slice(7))));
  assert.deepEqual(readdirSync(join(store.root, 'tmp')), [], 'the scratch dir is removed');
  assert.deepEqual(readdirSync(store.root).filter((f) => f.includes('.tmp')), []);
  assert.deepEqual(await store.list(), [rec]);
});

test('the same image in the docker 25 layout and as an OCI archive (gzip layers) gets the same id', async () => {
  const { store, dir } = fresh();
  const v25 = buildBusyboxImage(join(dir, 'v25.tar'), { name: 'web:v25', format: 'docker-archive-v25' });
  const oci = buildBusyboxImage(join(dir, 'oci.tar'), { name: 'localhost:5000/team/web:oci', format: 'oci-archive' });
  assert.equal(v25.id, oci.id);
  const [a] = await store.importArchive(v25.file);
  const [b] = await store.importArchive(oci.file);
  assert.equal(a!.id, v25.id);
  assert.equal(b!.id, v25.id);
  assert.deepEqual(b!.repoTags, ['docker.io/library/web:v25', 'localhost:5000/team/web:oci']);
  assert.equal(b!.repoDigests.length, 1);
  assert.match(b!.repoDigests[0]!, /^localhost:5000\/team\/web@sha256:[a-f0-9]{64}$/);
  assert.equal((await store.list()).length, 1);
  assert.equal(readdirSync(join(store.root, 'layers')).length, 1, 'the layer is unpacked once');
  // The OCI archive's layer blob is gzip: it replaces the plain one, which is deleted.
  assert.ok(b!.size > a!.size / 4 && b!.size < a!.size * 0.75, `${a!.size} ${b!.size}`);
  assert.ok(!existsSync(join(store.root, 'blobs/sha256', v25.diffIDs[0]!.slice(7))));
  assert.equal(readdirSync(join(store.root, 'blobs/sha256')).length, 3, 'config, manifest, gzip layer');
  const zstd = buildBusyboxImage(join(dir, 'zstd.tar'), { name: 'web:zstd', format: 'oci-archive', layerCompression: 'zstd', extraFiles: { z: 'z' } });
  const [z] = await store.importArchive(zstd.file);
  assert.equal(readFileSync(join(store.root, 'layers', z!.chainIDs[0]!.slice(7), 'z'), 'utf8'), 'z', 'zstd layers unpack too');
});

test('get finds an image by name:tag, familiar name, name@digest, id and unambiguous id prefix', async () => {
  const { store, dir } = fresh();
  const oci = buildBusyboxImage(join(dir, 'oci.tar'), { name: 'app:1.0', format: 'oci-archive', layerCompression: 'none' });
  const [rec] = await store.importArchive(oci.file);
  for (const ref of ['app:1.0', 'docker.io/library/app:1.0', rec!.repoDigests[0]!, `app@${rec!.repoDigests[0]!.split('@')[1]}`, rec!.id, rec!.id.slice(7), rec!.id.slice(7, 19), `sha256:${rec!.id.slice(7, 12)}`]) {
    assert.equal((await store.get(ref))?.id, rec!.id, ref);
  }
  for (const ref of ['app', 'app:2.0', 'other:1.0', `app@sha256:${'0'.repeat(64)}`, 'f'.repeat(64)]) assert.equal(await store.get(ref), undefined, ref);
  await assert.rejects(store.get('App:1.0'), { name: 'InvalidReferenceError' });
});

test('an id prefix shared by two images is ambiguous', async () => {
  const { store, dir } = fresh();
  const seen = new Map<string, string>();
  let pair: [string, string] | undefined;
  for (let i = 0; !pair; i++) {
    const b = buildBusyboxImage(join(dir, `i${i}.tar`), { name: `p${i}:v`, labels: { i: String(i) } });
    const first = b.id.slice(7, 8);
    if (seen.has(first)) pair = [seen.get(first)!, b.file]; else seen.set(first, b.file);
  }
  const [a] = await store.importArchive(pair[0]);
  const [b] = await store.importArchive(pair[1]);
  await assert.rejects(store.get(a!.id.slice(7, 8)), { name: 'AmbiguousImageError', message: `multiple IDs found with provided prefix: ${a!.id.slice(7, 8)}` });
  let common = 0;
  while (a!.id[7 + common] === b!.id[7 + common]) common++;
  assert.equal((await store.get(a!.id.slice(7, 8 + common)))?.id, a!.id);
});

test('whiteouts become overlayfs whiteouts and opaque directories', async () => {
  const { store, dir } = fresh();
  const built = buildBusyboxImage(join(dir, 'wh.tar'), {
    name: 'wh:v1', extraFiles: { '/data/a': 'a', '/data/b': 'b', '/keep/x': 'x' },
    extraLayers: [[
      { path: 'data', type: 'dir' }, { path: 'data/.wh..wh..opq', type: 'file' }, { path: 'data/c', type: 'file', content: 'c' },
      { path: 'etc', type: 'dir' }, { path: 'etc/.wh.group', type: 'file' },
      { path: 'keep', type: 'dir' }, { path: 'keep/y', type: 'file', content: 'y', uid: 65534, gid: 65534, mode: 0o600, xattrs: { 'user.navarch': 'test' } },
    ]],
  });
  const [rec] = await store.importArchive(built.file);
  assert.equal(rec!.chainIDs.length, 2);
  const top = join(store.root, 'layers', rec!.chainIDs[1]!.slice(7));
  const wh = lstatSync(join(top, 'etc/group'));
  assert.ok(wh.isCharacterDevice());
  assert.equal(wh.rdev, 0);
  assert.ok(!existsSync(join(top, 'etc/.wh.group')));
  assert.ok(!existsSync(join(top, 'data/.wh..wh..opq')));
  assert.equal(execFileSync('getfattr', ['--absolute-names', '--only-values', '-n', 'trusted.overlay.opaque', join(top, 'data')]).toString(), 'y');
  const y = statSync(join(top, 'keep/y'));
  assert.deepEqual([y.uid, y.gid, y.mode & 0o777], [65534, 65534, 0o600]);
  assert.equal(execFileSync('getfattr', ['--absolute-names', '--only-values', '-n', 'user.navarch', join(top, 'keep/y')]).toString(), 'test');

  const cdir = containerPaths(dir, 'c1');
  const rootfs = await store.mountRootfs(rec!.id, cdir);
  try {
    assert.deepEqual(readdirSync(join(rootfs, 'data')), ['c'], 'the opaque dir hides the lower a and b');
    assert.ok(!existsSync(join(rootfs, 'etc/group')), 'the whiteout hides etc/group');
    assert.ok(existsSync(join(rootfs, 'etc/passwd')));
    assert.deepEqual(readdirSync(join(rootfs, 'keep')).sort(), ['x', 'y']);
  } finally {
    await store.unmountRootfs(cdir.rootfs);
  }
});

test('a container rootfs is an overlay: reads the image, writes go to its own upper dir', async () => {
  const { store, dir } = fresh();
  const built = buildBusyboxImage(join(dir, 'web.tar'), { name: 'web:v1' });
  const [rec] = await store.importArchive(built.file);
  const c1 = containerPaths(dir, 'c1');
  const c2 = containerPaths(dir, 'c2');
  try {
    const [r1, r2] = await Promise.all([store.mountRootfs(rec!.id, c1), store.mountRootfs('web:v1', c2)]);
    assert.equal(r1, c1.rootfs);
    assert.ok(await isMountPoint(r1));
    assert.equal(await store.mountRootfs(rec!.id, c1), r1, 'mounting again returns the existing mount');
    assert.equal(execFileSync('chroot', [r1, '/bin/sh', '-c', 'echo hi > /tmp/f && cat /tmp/f && id -un']).toString(), 'hi\nroot\n');
    assert.equal(readFileSync(join(c1.upper, 'tmp/f'), 'utf8'), 'hi\n');
    assert.ok(!existsSync(join(r2, 'tmp/f')), 'containers do not see each other\'s writes');
    assert.ok(!existsSync(join(store.root, 'layers', rec!.chainIDs[0]!.slice(7), 'tmp/f')), 'the layer stays untouched');
    await store.unmountRootfs(c1.rootfs);
    assert.ok(!(await isMountPoint(r1)));
    await store.unmountRootfs(c1.rootfs);
    assert.equal(readFileSync(join(c1.upper, 'tmp/f'), 'utf8'), 'hi\n', 'the upper dir outlives the mount');
  } finally {
    await store.unmountRootfs(c1.rootfs);
    await store.unmountRootfs(c2.rootfs);
  }
  await assert.rejects(store.mountRootfs('nope:v1', containerPaths(dir, 'c3')), { name: 'ImageNotFoundError', message: 'No such image: nope:v1' });
});

test('remove untags, then deletes the image with the blobs and layers no other image uses', async () => {
  const { store, dir } = fresh();
  const base = buildBusyboxImage(join(dir, 'a.tar'), { name: 'a:v1' });
  const derived = buildBusyboxImage(join(dir, 'b.tar'), { name: 'b:v1', extraLayers: [[{ path: 'extra', type: 'file', content: 'b' }]] });
  const [a] = await store.importArchive(base.file);
  await store.importArchive(join(dir, 'a.tar'));
  const again = buildBusyboxImage(join(dir, 'a2.tar'), { name: 'a:v2' });
  await store.importArchive(again.file);
  const [b] = await store.importArchive(derived.file);
  assert.deepEqual((await store.get('a:v1'))!.repoTags, ['docker.io/library/a:v1', 'docker.io/library/a:v2']);
  assert.deepEqual(await store.remove('a:v1'), { untagged: ['docker.io/library/a:v1'], deleted: [] });
  assert.equal(await store.get('a:v1'), undefined);
  assert.equal((await store.get('a:v2'))?.id, a!.id);
  assert.deepEqual(await store.remove('a:v2'), { untagged: ['docker.io/library/a:v2'], deleted: [a!.id] });
  assert.ok(!existsSync(join(store.root, 'blobs/sha256', a!.id.slice(7))), 'the config blob is deleted');
  assert.ok(existsSync(join(store.root, 'layers', b!.chainIDs[0]!.slice(7))), 'the busybox layer stays: b uses it');
  const cdir = containerPaths(dir, 'c1');
  await store.mountRootfs(b!.id, cdir);
  try {
    await assert.rejects(store.remove('b:v1'), { name: 'ImageInUseError', message: /^conflict: unable to remove repository reference "b:v1"/ });
    assert.ok(await store.get('b:v1'), 'a refused remove changes nothing');
    // Another data dir's store holds the same layers by the same names: our mount is none of its business.
    const other = fresh();
    const [b2] = await other.store.importArchive(derived.file);
    assert.deepEqual(await other.store.remove('b:v1'), { untagged: ['docker.io/library/b:v1'], deleted: [b2!.id] });
  } finally {
    await store.unmountRootfs(cdir.rootfs);
  }
  assert.deepEqual(await store.remove(b!.id.slice(7, 19)), { untagged: ['docker.io/library/b:v1'], deleted: [b!.id] });
  assert.deepEqual(await store.list(), []);
  assert.deepEqual(readdirSync(join(store.root, 'blobs/sha256')), []);
  assert.deepEqual(readdirSync(join(store.root, 'layers')), []);
  await assert.rejects(store.remove('b:v1'), { name: 'ImageNotFoundError', message: 'No such image: b:v1' });
});

test('concurrent imports unpack each layer once and agree; a concurrent remove spares layers still needed', async () => {
  const { store, dir } = fresh();
  const built = buildBusyboxImage(join(dir, 'web.tar'), { name: 'web:v1', extraLayers: [[{ path: 'x', type: 'file', content: 'x' }]] });
  const results = await Promise.all([1, 2, 3].map(() => store.importArchive(built.file)));
  for (const r of results) assert.equal(r[0]!.id, built.id);
  assert.equal(readdirSync(join(store.root, 'layers')).length, 2);
  assert.deepEqual((await store.list()).map((i) => i.id), [built.id]);
  // Removing an image while another one sharing its base layer is imported leaves that layer.
  const other = buildBusyboxImage(join(dir, 'other.tar'), { name: 'other:v1' });
  await Promise.all([store.remove('web:v1'), store.importArchive(other.file)]);
  assert.deepEqual((await store.list()).map((i) => i.repoTags), [['docker.io/library/other:v1']]);
  assert.deepEqual(readdirSync(join(store.root, 'layers')), [other.diffIDs[0]!.slice(7)]);
  // A second store on the same directory (another process) sees the same images.
  assert.equal((await new ImageStore(store.root).get('other:v1'))?.id, other.id);
});

test('bad archives are refused with one-line reasons and leave nothing behind', async () => {
  const { store, dir } = fresh();
  await assert.rejects(store.importArchive(join(dir, 'missing.tar')), { name: 'ImageArchiveError', message: `open ${join(dir, 'missing.tar')}: no such file or directory` });
  writeFileSync(join(dir, 'text.tar'), 'not a tar at all\n'.repeat(100));
  await assert.rejects(store.importArchive(join(dir, 'text.tar')), { name: 'ImageArchiveError', message: new RegExp(`^${join(dir, 'text.tar')} is not an image archive: This does not look like a tar archive`) });
  writeFileSync(join(dir, 'plain.tar'), writeTar([{ path: 'hello.txt', type: 'file', content: 'hi' }]));
  await assert.rejects(store.importArchive(join(dir, 'plain.tar')), { message: `${join(dir, 'plain.tar')}: not an image archive (no manifest.json or index.json)` });
  // A layer whose content does not match the config's diffID.
  const built = buildBusyboxImage(join(dir, 'web.tar'), { name: 'web:v1' });
  const work = join(dir, 'tamper');
  mkdirSync(work);
  execFileSync('tar', ['-xf', built.file, '-C', work]);
  const layerTar = join(work, built.diffIDs[0]!.slice(7), 'layer.tar');
  writeFileSync(layerTar, writeTar([{ path: 'evil', type: 'file', content: 'x' }]));
  execFileSync('tar', ['-cf', join(dir, 'tampered.tar'), '-C', work, '.']);
  await assert.rejects(store.importArchive(join(dir, 'tampered.tar')), { message: /layer 0 has diffID sha256:[a-f0-9]{64} but the config says/ });
  // A manifest pointing outside the archive.
  writeFileSync(join(work, 'manifest.json'), JSON.stringify([{ Config: '../../../etc/passwd', RepoTags: ['x:y'], Layers: [] }]));
  execFileSync('tar', ['-cf', join(dir, 'escape.tar'), '-C', work, '.']);
  await assert.rejects(store.importArchive(join(dir, 'escape.tar')), { message: /points outside the archive/ });
  assert.deepEqual(await store.list(), []);
  assert.deepEqual(readdirSync(join(store.root, 'tmp')), []);
});
