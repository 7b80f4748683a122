// Root integration tests: real netns, bridge, host-local and portmap plugins from /usr/lib/cni.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, access, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { PodNetwork } from './pod-network.ts';
import { CniPluginError } from './cni-error.ts';
import { deleteNetns, listNetns, netnsExists } from './network-namespaces.ts';
import { findRoute } from './host-network.ts';
import { runCommand, runChecked } from './run-command.ts';
import type { PodNetworkOptions } from './sandbox-network.ts';
import {
  addressIn, clusterRangeAround, fetchTcp, inNetns, iptablesNat, isRoot, linkExists, nodeAddress, ping, Processes, suffix,
  testPodCIDR, testServiceCIDR,
} from './test-fixtures.ts';

const skip = isRoot() ? false : 'needs root';

interface Bed {
  net: PodNetwork;
  prefix: string;
  bridge: string;
  stateDir: string;
  podCIDR: string;
  clusterCIDR: string;
  procs: Processes;
  id(name: string): string;
}

/** A PodNetwork on its own random bridge, /24, netns prefix and state dir, all removed after the test. */
async function bed(t: TestContext, over: Partial<PodNetworkOptions> = {}): Promise<Bed> {
  const sfx = suffix();
  const { podCIDR, third } = testPodCIDR();
  const b: Bed = {
    prefix: `nvt${sfx}-`,
    bridge: `nvt${sfx}`,
    stateDir: await mkdtemp(join(tmpdir(), 'navarch-net-')),
    podCIDR,
    clusterCIDR: clusterRangeAround(third),
    procs: new Processes(),
    id: (name) => `${name}${sfx}`,
    net: undefined as unknown as PodNetwork,
  };
  b.net = new PodNetwork({
    podCIDR, bridgeName: b.bridge, stateDir: b.stateDir, netnsPrefix: b.prefix,
    clusterCIDR: b.clusterCIDR, serviceCIDR: testServiceCIDR(), ...over,
  });
  t.after(async () => {
    b.procs.stopAll();
    for (const id of await b.net.listSandboxes()) await b.net.tearDown(id).catch(() => undefined);
    await b.net.removeHost().catch(() => undefined);
    // Last resort for a failed teardown: only names carrying this test's random suffix.
    for (const name of await listNetns(b.prefix)) await deleteNetns(name).catch(() => undefined);
    if (await linkExists(b.bridge)) await runCommand('ip', ['link', 'del', b.bridge]);
    await rm(b.stateDir, { recursive: true, force: true });
  });
  return b;
}

function inCIDR(ip: string, cidr: string): boolean {
  // Test ranges are /24s: the first three octets decide.
  return ip.split('.').slice(0, 3).join('.') === cidr.split('.').slice(0, 3).join('.');
}

async function leaseExists(b: Bed, ip: string): Promise<boolean> {
  try {
    await access(join(b.stateDir, 'ipam', 'navarch', ip));
    return true;
  } catch {
    return false;
  }
}

async function bridgePorts(bridge: string): Promise<string[]> {
  const out = (await runCommand('ip', ['-j', 'link', 'show', 'master', bridge])).stdout;
  return (JSON.parse(out || '[]') as { ifname: string }[]).map((l) => l.ifname);
}

test('two sandboxes on one bridge get distinct addresses and reach each other, the gateway and the host', { skip, timeout: 120_000 }, async (t) => {
  const b = await bed(t);
  await b.net.ensureHost();
  const [a, c] = [b.id('a'), b.id('c')];
  let started = performance.now();
  const [sa, sc] = await Promise.all([
    b.net.setUp({ id: a, namespace: 'default', name: 'pod-a', uid: 'uid-a' }),
    b.net.setUp({ id: c, namespace: 'default', name: 'pod-c', uid: 'uid-c' }),
  ]);
  t.diagnostic(`setUp of 2 sandboxes in parallel: ${(performance.now() - started).toFixed(0)} ms`);

  assert.equal(sa.ips.length, 1);
  assert.equal(sc.ips.length, 1);
  const [ipA, ipC] = [sa.ips[0]!, sc.ips[0]!];
  assert.notEqual(ipA, ipC);
  assert.ok(inCIDR(ipA, b.podCIDR) && inCIDR(ipC, b.podCIDR), `${ipA} ${ipC} in ${b.podCIDR}`);
  const gateway = addressIn(b.podCIDR, 1);
  assert.equal(sa.gateway, gateway);
  assert.equal(sa.netnsPath, `/run/netns/${b.prefix}${a}`);
  assert.deepEqual(await b.net.listSandboxNetns(), [b.prefix + a, b.prefix + c].sort());
  assert.deepEqual(await b.net.status(a), sa);

  // The cluster range is unreachable as a whole, yet the node's own /24 on the bridge is more specific.
  assert.deepEqual((await findRoute(b.clusterCIDR)).map((r) => r.type), ['unreachable']);
  assert.ok(await ping(b.prefix + a, ipC), 'a pings c');
  assert.ok(await ping(b.prefix + c, ipA), 'c pings a');
  assert.ok(await ping(b.prefix + a, gateway), 'a pings the gateway');
  assert.ok(await ping(undefined, ipA), 'the host pings a');
  assert.ok(await ping(undefined, ipC), 'the host pings c');
  // lo came up with the namespace.
  assert.ok(await ping(b.prefix + a, '127.0.0.1'), 'a pings its own loopback');

  await b.procs.listen(b.prefix + a, 8080, 'hello from a');
  assert.equal(await fetchTcp(b.prefix + c, ipA, 8080), 'hello from a');
  assert.equal(await fetchTcp(undefined, ipA, 8080), 'hello from a');

  await b.net.check(a);
  b.procs.stopAll();

  started = performance.now();
  await b.net.tearDown(a);
  t.diagnostic(`tearDown of 1 sandbox: ${(performance.now() - started).toFixed(0)} ms`);
  await b.net.tearDown(c);
  assert.deepEqual(await b.net.listSandboxNetns(), []);
  assert.deepEqual(await b.net.listSandboxes(), []);
  assert.equal(await leaseExists(b, ipA), false);
  assert.deepEqual(await bridgePorts(b.bridge), []);
});

test('a hostPort forwards to the sandbox from the node address and from 127.0.0.1', { skip, timeout: 120_000 }, async (t) => {
  const b = await bed(t);
  await b.net.ensureHost();
  const [web, other] = [b.id('web'), b.id('other')];
  const hostPort = randomInt(30000, 32768);
  const s = await b.net.setUp({ id: web, namespace: 'ns1', name: 'web', uid: 'uid-web', hostPorts: [{ containerPort: 80, hostPort, protocol: 'TCP' }] });
  await b.net.setUp({ id: other, namespace: 'ns1', name: 'other', uid: 'uid-other' });
  await b.procs.listen(b.prefix + web, 80, 'hello from web');

  assert.equal(await fetchTcp(undefined, '127.0.0.1', hostPort), 'hello from web');
  const node = await nodeAddress();
  if (node) {
    assert.equal(await fetchTcp(undefined, node, hostPort), 'hello from web');
    assert.equal(await fetchTcp(b.prefix + other, node, hostPort), 'hello from web', 'another pod through the node address');
    assert.equal(await fetchTcp(b.prefix + web, node, hostPort), 'hello from web', 'the pod itself (hairpin)');
  } else {
    t.diagnostic('no default route: node address part skipped');
  }
  assert.match(await iptablesNat(), new RegExp(`--to-destination ${s.ips[0]!.replace(/\./g, '\\.')}:80`));

  await b.net.tearDown(web);
  const nat = await iptablesNat();
  assert.ok(!nat.includes(`id: \\"${web}\\"`), 'the sandbox\'s portmap rules are gone');
  assert.ok(!nat.includes(`${s.ips[0]}:80`));
});

test('a host process reaches a pod through a DNAT-ed service address', { skip, timeout: 60_000 }, async (t) => {
  const serviceCIDR = testServiceCIDR();
  const b = await bed(t, { serviceCIDR });
  await b.net.ensureHost();
  const id = b.id('svc');
  const s = await b.net.setUp({ id, namespace: 'default', name: 'backend', uid: 'uid-svc' });
  await b.procs.listen(b.prefix + id, 8080, 'hello via service');
  const serviceIP = addressIn(serviceCIDR, 10);
  // Stands in for the service proxy's rule; the host route must let the connect reach the OUTPUT hook.
  const rule = ['-t', 'nat', 'OUTPUT', '-d', `${serviceIP}/32`, '-p', 'tcp', '--dport', '80', '-m', 'comment', '--comment', `navarch-test-${id}`, '-j', 'DNAT', '--to-destination', `${s.ips[0]}:8080`];
  await runChecked('iptables', ['-w', '-t', 'nat', '-A', ...rule.slice(2)]);
  t.after(() => runCommand('iptables', ['-w', '-t', 'nat', '-D', ...rule.slice(2)]));
  assert.equal(await fetchTcp(undefined, serviceIP, 80), 'hello via service');
});

test('tearDown releases the address and the veth and can be repeated', { skip, timeout: 60_000 }, async (t) => {
  const b = await bed(t);
  await b.net.ensureHost();
  const id = b.id('del');
  const s = await b.net.setUp({ id, namespace: 'default', name: 'p', uid: 'u' });
  assert.equal(await leaseExists(b, s.ips[0]!), true);
  assert.equal((await bridgePorts(b.bridge)).length, 1);

  await b.net.tearDown(id);
  assert.equal(await leaseExists(b, s.ips[0]!), false);
  assert.deepEqual(await bridgePorts(b.bridge), []);
  assert.equal(await netnsExists(b.prefix + id), false);
  await b.net.tearDown(id);
  assert.equal(await b.net.status(id), undefined);
});

test('tearDown after the namespace vanished still releases the address and port mappings', { skip, timeout: 60_000 }, async (t) => {
  const b = await bed(t);
  await b.net.ensureHost();
  const id = b.id('gone');
  const s = await b.net.setUp({ id, namespace: 'default', name: 'p', uid: 'u', hostPorts: [{ containerPort: 80, hostPort: randomInt(30000, 32768) }] });
  await deleteNetns(b.prefix + id);

  await b.net.tearDown(id);
  assert.equal(await leaseExists(b, s.ips[0]!), false);
  assert.deepEqual(await bridgePorts(b.bridge), []);
  assert.ok(!(await iptablesNat()).includes(`${s.ips[0]}:80`));
  assert.deepEqual(await b.net.listSandboxes(), []);
});

test('check passes for a healthy sandbox and reports a missing interface', { skip, timeout: 60_000 }, async (t) => {
  const b = await bed(t);
  await b.net.ensureHost();
  const id = b.id('chk');
  await b.net.setUp({ id, namespace: 'default', name: 'p', uid: 'u', hostPorts: [{ containerPort: 80, hostPort: randomInt(30000, 32768) }] });
  await b.net.check(id);
  await runChecked('ip', ['netns', 'exec', b.prefix + id, 'ip', 'link', 'del', 'eth0']);
  await assert.rejects(b.net.check(id), (err: unknown) => {
    assert.ok(err instanceof CniPluginError);
    assert.equal(err.command, 'CHECK');
    assert.equal(err.pluginType, 'bridge');
    return true;
  });
});

test('setUp of a sandbox already set up returns its recorded status', { skip, timeout: 60_000 }, async (t) => {
  const b = await bed(t);
  await b.net.ensureHost();
  const id = b.id('again');
  const first = await b.net.setUp({ id, namespace: 'default', name: 'p', uid: 'u' });
  assert.deepEqual(await b.net.setUp({ id, namespace: 'default', name: 'p', uid: 'u' }), first);
  assert.equal((await bridgePorts(b.bridge)).length, 1);
});

test('a plugin error surfaces the plugin\'s message and leaves no namespace behind', { skip, timeout: 60_000 }, async (t) => {
  const b = await bed(t, { podCIDR: '10.244.300.0/24' });
  await assert.rejects(b.net.setUp({ id: b.id('bad'), namespace: 'default', name: 'p', uid: 'u' }), (err: unknown) => {
    assert.ok(err instanceof CniPluginError);
    assert.equal(err.pluginType, 'bridge');
    assert.equal(err.command, 'ADD');
    assert.equal(err.msg, 'invalid CIDR address: 10.244.300.0/24');
    assert.equal(err.message, 'plugin type="bridge" name="navarch" failed (add): invalid CIDR address: 10.244.300.0/24');
    return true;
  });
  assert.deepEqual(await b.net.listSandboxNetns(), []);
});

test('netns of a sandbox is visible to another command under /run/netns', { skip, timeout: 60_000 }, async (t) => {
  const b = await bed(t);
  await b.net.ensureHost();
  const id = b.id('ns');
  const s = await b.net.setUp({ id, namespace: 'default', name: 'p', uid: 'u' });
  const r = await inNetns(b.prefix + id, 'ip', ['-j', '-4', 'addr', 'show', 'dev', 'eth0']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes(`"local":"${s.ips[0]}"`));
});

test('portmap runs only for sandboxes that map hostPorts, on ADD and DEL alike', { skip }, async (t) => {
  // A CNI bin dir of the real plugins, with portmap wrapped to log each command it is run with.
  const bin = await mkdtemp(join(tmpdir(), 'navarch-cni-bin-'));
  t.after(() => rm(bin, { recursive: true, force: true }));
  const log = join(bin, 'portmap.log');
  for (const p of ['bridge', 'host-local']) await runChecked('ln', ['-s', `/usr/lib/cni/${p}`, join(bin, p)]);
  await writeFile(join(bin, 'portmap'), `#!/bin/sh\necho "$CNI_COMMAND" >> ${log}\nexec /usr/lib/cni/portmap\n`, { mode: 0o755 });
  const b = await bed(t, { cniBinDir: bin });
  await b.net.ensureHost();
  const plain = b.id('plain');
  await b.net.setUp({ id: plain, namespace: 'default', name: 'plain', uid: 'u1' });
  await b.net.tearDown(plain);
  assert.equal(await readFile(log, 'utf8').catch(() => ''), '', 'no portmap for a sandbox without hostPorts');
  const mapped = b.id('mapped');
  await b.net.setUp({ id: mapped, namespace: 'default', name: 'mapped', uid: 'u2', hostPorts: [{ containerPort: 80, hostPort: 30000 + randomInt(2000) }] });
  await b.net.tearDown(mapped);
  assert.deepEqual((await readFile(log, 'utf8')).trim().split('\n'), ['ADD', 'DEL']);
});

test('removeHost clears portmap\'s shared chains and the nat tables they needed, but not a nat table others use', { skip }, async (t) => {
  const natTable = async () => {
    const r = await runCommand('nft', ['-j', 'list', 'table', 'ip', 'nat']);
    return r.code === 0 ? JSON.stringify(JSON.parse(r.stdout).nftables) : undefined;
  };
  const b = await bed(t);
  await b.net.ensureHost();
  const mapped = b.id('mapped');
  await b.net.setUp({ id: mapped, namespace: 'default', name: 'mapped', uid: 'u3', hostPorts: [{ containerPort: 80, hostPort: 30000 + randomInt(2000) }] });
  assert.match((await natTable()) ?? '', /CNI-HOSTPORT-DNAT/, 'portmap made its chains in the nat table');
  await b.net.tearDown(mapped);
  await b.net.removeHost();
  assert.equal(await natTable(), undefined, 'nothing of portmap is left, not even the nat table');

  // A nat table holding someone else's chain stays.
  const other = `navarch-test-${suffix()}`;
  await runChecked('nft', ['add', 'table', 'ip', 'nat']);
  await runChecked('nft', ['add', 'chain', 'ip', 'nat', other]);
  t.after(async () => {
    await runCommand('nft', ['delete', 'chain', 'ip', 'nat', other]);
    const left = await natTable();
    if (left && !/"chain":\{[^}]*"name":"(?!PREROUTING|POSTROUTING|OUTPUT|INPUT)/.test(left)) await runCommand('nft', ['delete', 'table', 'ip', 'nat']);
  });
  const again = await bed(t);
  await again.net.ensureHost();
  await again.net.removeHost();
  assert.match((await natTable()) ?? '', new RegExp(other), 'a table with other chains is left alone');
});
