import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readFile, readlink, readdir, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCluster, until, type TestCluster } from '../../server/test-cluster.ts';
import type { KubeObject, ResourceRef } from '../../client/api-client.ts';
import { VolumeManager } from './volume-manager.ts';
import { PodVolumesError } from './types.ts';
import { mountsUnder, readMounts } from './host-mounts.ts';

const CONFIG_MAPS: ResourceRef = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };
const SECRETS: ResourceRef = { group: '', version: 'v1', plural: 'secrets', namespaced: true };
const PVCS: ResourceRef = { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true };
const PVS: ResourceRef = { group: '', version: 'v1', plural: 'persistentvolumes', namespaced: false };

let cluster: TestCluster;
before(async () => { cluster = await startTestCluster({ controllers: ['root-ca-cert-publisher', 'serviceaccount'] }); });
after(async () => { await cluster?.stop(); });

const suffix = () => randomUUID().slice(0, 8);

function podWith(volumes: KubeObject[], containers: KubeObject[] = [{ name: 'app', image: 'busybox' }], extra: KubeObject = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `p-${suffix()}`, namespace: 'default', uid: randomUUID(), labels: { app: 'web' }, ...(extra.metadata ?? {}) },
    spec: { nodeName: 'node-1', serviceAccountName: 'default', volumes, containers, ...(extra.spec ?? {}) },
  };
}

/** A pods dir and a manager; everything mounted below is unmounted and the dir removed afterwards, also on failure. */
async function withManager(fn: (vm: VolumeManager, podsDir: string) => Promise<void>): Promise<void> {
  const podsDir = await realpath(await mkdtemp(join(tmpdir(), 'navarch-vol-')));
  const vm = new VolumeManager({ podsDir, client: cluster.client, nodeName: 'node-1' });
  try {
    await fn(vm, podsDir);
  } finally {
    await vm.close();
    for (const mp of mountsUnder(await readMounts(), podsDir)) spawnSync('umount', ['-l', mp]);
    await rm(podsDir, { recursive: true, force: true });
  }
}

async function mountOf(dir: string) {
  return (await readMounts()).find((m) => m.mountPoint === dir);
}

const mode = async (p: string) => (await stat(p)).mode & 0o7777;

async function setUpError(vm: VolumeManager, pod: KubeObject): Promise<string[]> {
  try {
    await vm.setUpPod(pod);
  } catch (e) {
    assert.ok(e instanceof PodVolumesError);
    return e.failures.map((f) => f.message);
  }
  assert.fail('setUpPod succeeded');
}

test('configMap volumes hold every key or the listed items, with default and item modes, on a tmpfs', () => withManager(async (vm) => {
  const name = `cm-${suffix()}`;
  await cluster.client.create(CONFIG_MAPS, 'default', { metadata: { name }, data: { 'a.conf': 'alpha', b: 'beta' }, binaryData: { bin: Buffer.from([0, 1, 2]).toString('base64') } });
  const pod = podWith([
    { name: 'all', configMap: { name, defaultMode: 0o640 } },
    { name: 'some', configMap: { name, items: [{ key: 'b', path: 'dir/b.txt', mode: 0o600 }, { key: 'a.conf', path: 'a' }] } },
  ]);
  await vm.setUpPod(pod);
  const all = vm.volumeDir(pod.metadata.uid, 'configMap', 'all');
  assert.deepEqual((await readdir(all)).filter((n) => !n.startsWith('..')).sort(), ['a.conf', 'b', 'bin']);
  assert.equal(await readFile(join(all, 'a.conf'), 'utf8'), 'alpha');
  assert.deepEqual([...await readFile(join(all, 'bin'))], [0, 1, 2]);
  assert.equal(await mode(join(all, 'b')), 0o640);
  assert.equal(await readlink(join(all, 'b')), '..data/b');
  assert.equal((await mountOf(all))?.fsType, 'tmpfs');
  const some = vm.volumeDir(pod.metadata.uid, 'configMap', 'some');
  assert.deepEqual((await readdir(some)).filter((n) => !n.startsWith('..')).sort(), ['a', 'dir']);
  assert.equal(await readFile(join(some, 'dir/b.txt'), 'utf8'), 'beta');
  assert.equal(await mode(join(some, 'dir/b.txt')), 0o600);
  assert.equal(await mode(join(some, 'a')), 0o644);
  // Idempotent: a second sync keeps the same data directory.
  const data = await readlink(join(all, '..data'));
  await vm.setUpPod(pod);
  assert.equal(await readlink(join(all, '..data')), data);
}));

test('missing objects and keys fail with the kubelet wording unless optional', () => withManager(async (vm) => {
  const name = `cm-${suffix()}`;
  await cluster.client.create(CONFIG_MAPS, 'default', { metadata: { name }, data: { a: '1' } });
  const pod = podWith([
    { name: 'cfg', configMap: { name: 'nope' } },
    { name: 'key', configMap: { name, items: [{ key: 'missing', path: 'm' }] } },
    { name: 'sec', secret: { secretName: 'absent' } },
    { name: 'opt', configMap: { name: 'nope', optional: true } },
    { name: 'optkey', configMap: { name, optional: true, items: [{ key: 'missing', path: 'm' }, { key: 'a', path: 'a' }] } },
  ]);
  assert.deepEqual(await setUpError(vm, pod), [
    'MountVolume.SetUp failed for volume "cfg" : configmap "nope" not found',
    'MountVolume.SetUp failed for volume "key" : configmap references non-existent config key: missing',
    'MountVolume.SetUp failed for volume "sec" : secret "absent" not found',
  ]);
  const opt = vm.volumeDir(pod.metadata.uid, 'configMap', 'opt');
  assert.deepEqual((await readdir(opt)).filter((n) => !n.startsWith('..')), []);
  const optkey = vm.volumeDir(pod.metadata.uid, 'configMap', 'optkey');
  assert.deepEqual((await readdir(optkey)).filter((n) => !n.startsWith('..')), ['a']);
  // The missing ConfigMap appears: the watch sets the volume up without another sync.
  await cluster.client.create(CONFIG_MAPS, 'default', { metadata: { name: 'nope' }, data: { late: 'yes' } }).catch(() => undefined);
  try {
    await until('late configmap in the optional volume', async () => (await readFile(join(opt, 'late'), 'utf8').catch(() => undefined)) === 'yes', 10_000);
  } finally {
    await cluster.client.delete(CONFIG_MAPS, 'default', 'nope').catch(() => undefined);
  }
}));

test('an edited ConfigMap appears in the volume through a swap of ..data, without a resync', () => withManager(async (vm) => {
  const name = `cm-${suffix()}`;
  await cluster.client.create(CONFIG_MAPS, 'default', { metadata: { name }, data: { k: 'v1', gone: 'x' } });
  const pod = podWith([{ name: 'cfg', configMap: { name } }]);
  await vm.setUpPod(pod);
  const dir = vm.volumeDir(pod.metadata.uid, 'configMap', 'cfg');
  const before = await readlink(join(dir, '..data'));
  const cm = await cluster.client.get(CONFIG_MAPS, 'default', name);
  await cluster.client.update(CONFIG_MAPS, 'default', { ...cm, data: { k: 'v2' } });
  await until('new content', async () => (await readFile(join(dir, 'k'), 'utf8')) === 'v2', 10_000);
  assert.notEqual(await readlink(join(dir, '..data')), before);
  await assert.rejects(lstat(join(dir, 'gone')));
  // The old timestamped directory is gone too.
  assert.deepEqual((await readdir(dir)).filter((n) => n.startsWith('..2')).length, 1);
}));

test('secret volumes decode data onto a tmpfs and no byte of it lies on the node disk', () => withManager(async (vm, podsDir) => {
  const name = `sec-${suffix()}`;
  const value = `s3cr3t-${suffix()}`;
  await cluster.client.create(SECRETS, 'default', { metadata: { name }, data: { password: Buffer.from(value).toString('base64'), user: Buffer.from('admin').toString('base64') } });
  const pod = podWith([{ name: 'creds', secret: { secretName: name, defaultMode: 0o400, items: [{ key: 'password', path: 'pw' }] } }]);
  await vm.setUpPod(pod);
  const dir = vm.volumeDir(pod.metadata.uid, 'secret', 'creds');
  assert.match(dir, /\/volumes\/kubernetes\.io~secret\/creds$/);
  const mount = await mountOf(dir);
  assert.equal(mount?.fsType, 'tmpfs');
  assert.equal(await readFile(join(dir, 'pw'), 'utf8'), value);
  assert.equal(await mode(join(dir, 'pw')), 0o400);
  await assert.rejects(lstat(join(dir, 'user')));
  // The file's filesystem is the tmpfs, not the one holding the pods directory.
  const fileDev = (await stat(join(dir, 'pw'))).dev;
  assert.equal(fileDev, (await stat(dir)).dev);
  assert.notEqual(fileDev, (await stat(podsDir)).dev);
  // Once unmounted, nothing of the secret remains below the pods directory.
  await vm.tearDownPod(pod.metadata.uid);
  const grep = spawnSync('grep', ['-r', '-l', value, podsDir]);
  assert.equal(grep.stdout.toString(), '');
}));

test('downwardAPI volumes render fields, labels and resources, and follow label changes on sync', () => withManager(async (vm) => {
  const pod = podWith(
    [{ name: 'info', downwardAPI: { items: [
      { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
      { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
      { path: 'cpu', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu', divisor: '1m' } },
      { path: 'mem', resourceFieldRef: { containerName: 'app', resource: 'requests.memory', divisor: '1Mi' }, mode: 0o600 },
    ] } }],
    [{ name: 'app', image: 'busybox', resources: { limits: { cpu: '250m', memory: '64Mi' }, requests: { cpu: '250m', memory: '32Mi' } } }],
  );
  pod.metadata.labels = { zone: 'b', app: 'web' };
  await vm.setUpPod(pod);
  const dir = vm.volumeDir(pod.metadata.uid, 'downwardAPI', 'info');
  assert.equal(await readFile(join(dir, 'name'), 'utf8'), pod.metadata.name);
  assert.equal(await readFile(join(dir, 'labels'), 'utf8'), 'app="web"\nzone="b"');
  assert.equal(await readFile(join(dir, 'cpu'), 'utf8'), '250');
  assert.equal(await readFile(join(dir, 'mem'), 'utf8'), '32');
  assert.equal(await mode(join(dir, 'mem')), 0o600);
  await vm.setUpPod({ ...pod, metadata: { ...pod.metadata, labels: { app: 'web', zone: 'c' } } });
  assert.equal(await readFile(join(dir, 'labels'), 'utf8'), 'app="web"\nzone="c"');
}));

test('the default kube-api-access projected volume carries a pod-bound token, ca.crt and namespace', () => withManager(async (vm) => {
  const root = await until('kube-root-ca.crt', () => cluster.client.get(CONFIG_MAPS, 'default', 'kube-root-ca.crt'));
  // The token is bound to the pod, so the pod must exist in the API.
  const draft = podWith([{
    name: 'kube-api-access-x1y2z',
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  }]);
  delete draft.metadata.uid;
  const pod = await cluster.client.create({ group: '', version: 'v1', plural: 'pods', namespaced: true }, 'default', draft);
  await vm.setUpPod(pod);
  const dir = vm.volumeDir(pod.metadata.uid, 'projected', 'kube-api-access-x1y2z');
  assert.equal((await mountOf(dir))?.fsType, 'tmpfs');
  assert.equal(await readFile(join(dir, 'ca.crt'), 'utf8'), root.data['ca.crt']);
  assert.equal(await readFile(join(dir, 'namespace'), 'utf8'), 'default');
  assert.equal(await mode(join(dir, 'ca.crt')), 0o644);
  const token = await readFile(join(dir, 'token'), 'utf8');
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
  assert.equal(claims.sub, 'system:serviceaccount:default:default');
  assert.equal(claims['kubernetes.io'].pod.uid, pod.metadata.uid);
  const [m] = await vm.mountsFor(pod, { name: 'app', volumeMounts: [{ name: 'kube-api-access-x1y2z', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] });
  assert.deepEqual(m, { hostPath: dir, containerPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true });
}));

test('emptyDir volumes are world-writable directories, tmpfs of sizeLimit for medium Memory', () => withManager(async (vm) => {
  const pod = podWith([
    { name: 'scratch', emptyDir: {} },
    { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
  ]);
  await vm.setUpPod(pod);
  const scratch = vm.volumeDir(pod.metadata.uid, 'emptyDir', 'scratch');
  assert.equal(await mode(scratch), 0o777);
  assert.equal(await mountOf(scratch), undefined);
  const shm = vm.volumeDir(pod.metadata.uid, 'emptyDir', 'shm');
  const m = await mountOf(shm);
  assert.equal(m?.fsType, 'tmpfs');
  assert.match(m?.superOptions ?? '', /size=16384k/);
  await vm.setUpPod(pod);
  assert.equal(mountsUnder(await readMounts(), shm).length, 1, 'a second sync must not stack another tmpfs');
}));

test('hostPath volumes are checked by type with the kubelet messages', () => withManager(async (vm, podsDir) => {
  const made = join(podsDir, 'host', 'made');
  const pod = podWith([
    { name: 'create', hostPath: { path: made, type: 'DirectoryOrCreate' } },
    { name: 'dir', hostPath: { path: '/etc/hostname', type: 'Directory' } },
    { name: 'sock', hostPath: { path: '/etc', type: 'Socket' } },
  ]);
  assert.deepEqual(await setUpError(vm, pod), [
    'MountVolume.SetUp failed for volume "dir" : hostPath type check failed: /etc/hostname is not a directory',
    'MountVolume.SetUp failed for volume "sock" : hostPath type check failed: /etc is not a socket file',
  ]);
  assert.ok((await stat(made)).isDirectory());
}));

test('mountsFor resolves subPath, subPathExpr, read-only rules and single files', () => withManager(async (vm) => {
  const name = `cm-${suffix()}`;
  await cluster.client.create(CONFIG_MAPS, 'default', { metadata: { name }, data: { 'app.conf': 'x=1' } });
  const container = {
    name: 'app', image: 'busybox',
    env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
    volumeMounts: [
      { name: 'data', mountPath: '/data', subPath: 'nested/dir' },
      { name: 'data', mountPath: '/logs', subPathExpr: 'logs/$(POD)' },
      { name: 'cfg', mountPath: '/etc/app.conf', subPath: 'app.conf' },
      { name: 'cfg', mountPath: '/cfg' },
      { name: 'host', mountPath: '/host', readOnly: true },
      { name: 'hostfile', mountPath: '/etc/host-hostname' },
    ],
  };
  const pod = podWith([
    { name: 'data', emptyDir: {} },
    { name: 'cfg', configMap: { name } },
    { name: 'host', hostPath: { path: '/etc', type: 'Directory' } },
    { name: 'hostfile', hostPath: { path: '/etc/hostname', type: 'File' } },
  ], [container]);
  await vm.setUpPod(pod);
  const data = vm.volumeDir(pod.metadata.uid, 'emptyDir', 'data');
  const cfg = vm.volumeDir(pod.metadata.uid, 'configMap', 'cfg');
  const mounts = await vm.mountsFor(pod, container);
  assert.deepEqual(mounts[0], { hostPath: join(data, 'nested/dir'), containerPath: '/data', readOnly: false });
  assert.equal(await mode(join(data, 'nested/dir')), 0o777);
  assert.deepEqual(mounts[1], { hostPath: join(data, 'logs', pod.metadata.name), containerPath: '/logs', readOnly: false });
  assert.equal(mounts[2].containerPath, '/etc/app.conf');
  assert.equal(mounts[2].readOnly, true);
  assert.equal(mounts[2].file, true);
  assert.equal(await readFile(mounts[2].hostPath, 'utf8'), 'x=1');
  assert.deepEqual(mounts[3], { hostPath: cfg, containerPath: '/cfg', readOnly: true });
  assert.deepEqual(mounts[4], { hostPath: '/etc', containerPath: '/host', readOnly: true });
  assert.deepEqual(mounts[5], { hostPath: '/etc/hostname', containerPath: '/etc/host-hostname', readOnly: false, file: true });
  await assert.rejects(vm.mountsFor(pod, { name: 'x', volumeMounts: [{ name: 'nope', mountPath: '/n' }] }), { message: 'cannot find volume "nope" to mount into container "x"' });
  await assert.rejects(vm.mountsFor(pod, { name: 'x', volumeMounts: [{ name: 'data', mountPath: '/n', subPathExpr: '$(NOPE)' }] }), { message: 'missing value for NOPE' });
}));

test('persistentVolumeClaim volumes resolve to the bound PV directory, and fail while unbound', () => withManager(async (vm, podsDir) => {
  const claim = `claim-${suffix()}`;
  const pvName = `pv-${suffix()}`;
  const path = join(podsDir, 'storage', `${pvName}_default_${claim}`);
  const pvc = await cluster.client.create(PVCS, 'default', {
    metadata: { name: claim },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'local-path' },
  });
  const pod = podWith([{ name: 'data', persistentVolumeClaim: { claimName: claim } }]);
  assert.deepEqual(await setUpError(vm, pod), [`MountVolume.SetUp failed for volume "data" : error processing PVC default/${claim}: PVC is not bound`]);

  await cluster.client.create(PVS, undefined, {
    metadata: { name: pvName },
    spec: {
      accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, storageClassName: 'local-path', persistentVolumeReclaimPolicy: 'Delete',
      claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: claim, uid: pvc.metadata.uid, apiVersion: 'v1' },
      hostPath: { path, type: 'DirectoryOrCreate' },
    },
  });
  try {
    const bound = await cluster.client.patch(PVCS, 'default', claim, { spec: { volumeName: pvName } });
    await cluster.client.update(PVCS, 'default', { ...bound, status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } }, 'status');
    const vm2 = new VolumeManager({ podsDir: join(podsDir, 'pods2'), client: cluster.client, nodeName: 'node-1', localPathRoot: join(podsDir, 'storage') });
    try {
      await vm2.setUpPod(pod);
      assert.equal(await mode(path), 0o777);
      const mounts = await vm2.mountsFor(pod, { name: 'app', volumeMounts: [{ name: 'data', mountPath: '/data' }] });
      assert.deepEqual(mounts, [{ hostPath: path, containerPath: '/data', readOnly: false }]);
      await vm2.tearDownPod(pod.metadata.uid);
      assert.ok((await stat(path)).isDirectory(), 'tearing down a pod keeps the persistent data');
    } finally {
      await vm2.close();
    }
  } finally {
    await cluster.client.delete(PVCS, 'default', claim).catch(() => undefined);
    await cluster.client.delete(PVS, undefined, pvName).catch(() => undefined);
  }
}));

test('fsGroup gives the volume files the group and group read permission', () => withManager(async (vm) => {
  const name = `sec-${suffix()}`;
  await cluster.client.create(SECRETS, 'default', { metadata: { name }, data: { k: Buffer.from('v').toString('base64') } });
  const pod = podWith([{ name: 's', secret: { secretName: name, defaultMode: 0o400 } }, { name: 'e', emptyDir: {} }], undefined, { spec: { securityContext: { fsGroup: 2345 } } });
  await vm.setUpPod(pod);
  const file = join(vm.volumeDir(pod.metadata.uid, 'secret', 's'), 'k');
  assert.equal((await stat(file)).gid, 2345);
  assert.equal(await mode(file), 0o440);
  const e = await stat(vm.volumeDir(pod.metadata.uid, 'emptyDir', 'e'));
  assert.equal(e.gid, 2345);
  assert.equal(e.mode & 0o2000, 0o2000);
}));

test('fsGroup owns a local PersistentVolume (files included) once per pod start; OnRootMismatch skips a volume already owned', () => withManager(async (vm, podsDir) => {
  const claim = `claim-${suffix()}`;
  const pvName = `pv-${suffix()}`;
  const path = join(podsDir, 'local', pvName);
  await mkdir(join(path, 'sub'), { recursive: true });
  await writeFile(join(path, 'sub', 'old.txt'), 'x', { mode: 0o600 });
  const pvc = await cluster.client.create(PVCS, 'default', {
    metadata: { name: claim }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: '' },
  });
  await cluster.client.create(PVS, undefined, {
    metadata: { name: pvName },
    spec: {
      accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, storageClassName: '', persistentVolumeReclaimPolicy: 'Retain',
      claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: claim, uid: pvc.metadata.uid, apiVersion: 'v1' }, local: { path },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }] }] } },
    },
  });
  try {
    const bound = await cluster.client.patch(PVCS, 'default', claim, { spec: { volumeName: pvName } });
    await cluster.client.update(PVCS, 'default', { ...bound, status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } }, 'status');
    const pod = podWith([{ name: 'data', persistentVolumeClaim: { claimName: claim } }], undefined, { spec: { securityContext: { fsGroup: 3456 } } });
    await vm.setUpPod(pod);
    for (const p of [path, join(path, 'sub'), join(path, 'sub', 'old.txt')]) assert.equal((await stat(p)).gid, 3456, p);
    assert.equal(await mode(join(path, 'sub', 'old.txt')), 0o660, 'group read and write');
    assert.equal((await stat(path)).mode & 0o2000, 0o2000, 'setgid: new files get the group');
    await vm.tearDownPod(pod.metadata.uid);
    // OnRootMismatch: the root already matches, so a file changed since is left alone.
    await chmod(join(path, 'sub', 'old.txt'), 0o600);
    const again = podWith([{ name: 'data', persistentVolumeClaim: { claimName: claim } }], undefined, { spec: { securityContext: { fsGroup: 3456, fsGroupChangePolicy: 'OnRootMismatch' } } });
    await vm.setUpPod(again);
    assert.equal(await mode(join(path, 'sub', 'old.txt')), 0o600);
    await vm.tearDownPod(again.metadata.uid);
  } finally {
    await cluster.client.delete(PVCS, 'default', claim).catch(() => undefined);
    await cluster.client.delete(PVS, undefined, pvName).catch(() => undefined);
  }
}));

test('tearDownPod unmounts and removes every volume, also for a pod known only by uid after a restart', () => withManager(async (vm, podsDir) => {
  const name = `cm-${suffix()}`;
  await cluster.client.create(CONFIG_MAPS, 'default', { metadata: { name }, data: { a: '1' } });
  const pod = podWith([
    { name: 'cfg', configMap: { name } },
    { name: 'mem', emptyDir: { medium: 'Memory' } },
    { name: 'disk', emptyDir: {} },
  ]);
  await vm.setUpPod(pod);
  const podDir = vm.podDir(pod.metadata.uid);
  assert.equal(mountsUnder(await readMounts(), podDir).length, 2);
  assert.deepEqual(await vm.listPodDirs(), [pod.metadata.uid]);

  // A new manager (the node agent restarted) knows nothing of the pod but its directory. The old
  // one goes first: its refresh of the pod (on the ConfigMap's watch event) would mount again.
  await vm.close();
  const restarted = new VolumeManager({ podsDir, client: cluster.client, nodeName: 'node-1' });
  try {
    await restarted.tearDownPod(pod.metadata.uid);
    assert.deepEqual(mountsUnder(await readMounts(), podDir), []);
    await assert.rejects(stat(join(podDir, 'volumes')));
    await restarted.tearDownPod(pod.metadata.uid);
    await restarted.removePodDir(pod.metadata.uid);
    assert.deepEqual(await restarted.listPodDirs(), []);
  } finally {
    await restarted.close();
  }
}));
