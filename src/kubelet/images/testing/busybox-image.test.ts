import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBusyboxImage } from './busybox-image.ts';

const tmp = mkdtempSync(join(tmpdir(), 'navarch-busybox-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('the same options give the same bytes and id; other options another id', () => {
  const a = buildBusyboxImage(join(tmp, 'a.tar'), { name: 'web:v1', cmd: ['sleep', '1'] });
  const b = buildBusyboxImage(join(tmp, 'b.tar'), { name: 'web:v1', cmd: ['sleep', '1'] });
  const c = buildBusyboxImage(join(tmp, 'c.tar'), { name: 'web:v1', cmd: ['sleep', '2'] });
  assert.equal(a.id, b.id);
  assert.ok(readFileSync(a.file).equals(readFileSync(b.file)));
  assert.notEqual(a.id, c.id);
  assert.deepEqual(a.diffIDs, c.diffIDs, 'the config differs, the layer does not');
  assert.equal(a.reference, 'docker.io/library/web:v1');
});

test('the archive is docker save\'s layout and the layer holds busybox, its applets, passwd, group and tmp', () => {
  const built = buildBusyboxImage(join(tmp, 'web.tar'), { name: 'team/web:v2', extraFiles: { 'srv/run.sh': '#!/bin/sh\n', 'srv/data': 'd' } });
  const manifest = JSON.parse(execFileSync('tar', ['-xOf', built.file, 'manifest.json']).toString());
  assert.deepEqual(manifest[0].RepoTags, ['team/web:v2']);
  const layer = join(tmp, 'layer.tar');
  execFileSync('sh', ['-c', `tar -xOf "$1" "$2" > "$3"`, 'sh', built.file, manifest[0].Layers[0], layer]);
  const listing = execFileSync('tar', ['-tvf', layer, '--numeric-owner']).toString();
  assert.match(listing, /^-rwxr-xr-x 0\/0 +\d+ 1970-01-01 00:00 bin\/busybox$/m);
  assert.match(listing, /^lrwxrwxrwx 0\/0 +0 1970-01-01 00:00 bin\/sh -> busybox$/m);
  assert.match(listing, /^drwxrwxrwt 0\/0 +0 1970-01-01 00:00 tmp\/$/m);
  assert.match(listing, /^-rwxr-xr-x .* srv\/run\.sh$/m);
  assert.match(listing, /^-rw-r--r-- .* srv\/data$/m);
  assert.equal(execFileSync('tar', ['-xOf', layer, 'etc/group']).toString(), 'root:x:0:\nnobody:x:65534:\n');
  const applets = execFileSync('/bin/busybox', ['--list']).toString().trim().split('\n');
  assert.equal((listing.match(/ -> busybox$/gm) ?? []).length, applets.filter((a) => a !== 'busybox').length);
});

test('the OCI archive made by skopeo keeps the image id, with gzip, zstd or plain layers', () => {
  const docker = buildBusyboxImage(join(tmp, 'd.tar'), { name: 'web:v1', user: '65534', exposedPorts: ['8080/tcp', '53/udp'], labels: { b: '2', a: '1' }, workingDir: '/tmp', entrypoint: ['sh'] });
  for (const layerCompression of ['gzip', 'zstd', 'none'] as const) {
    const oci = buildBusyboxImage(join(tmp, `o-${layerCompression}.tar`), { name: 'web:v1', format: 'oci-archive', layerCompression, user: '65534', exposedPorts: ['8080/tcp', '53/udp'], labels: { b: '2', a: '1' }, workingDir: '/tmp', entrypoint: ['sh'] });
    assert.equal(oci.id, docker.id, layerCompression);
    const index = JSON.parse(execFileSync('tar', ['-xOf', oci.file, 'index.json']).toString());
    assert.equal(index.manifests[0].annotations['org.opencontainers.image.ref.name'], 'docker.io/library/web:v1');
  }
});
