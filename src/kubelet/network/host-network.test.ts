import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { findRoute, HostNetwork, splitRule } from './host-network.ts';
import { runCommand, runChecked } from './run-command.ts';
import { addressIn, isRoot, linkExists, suffix, testClusterCIDR, testServiceCIDR } from './test-fixtures.ts';

const skip = isRoot() ? false : 'needs root';

function connectError(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, host);
    s.setTimeout(5000, () => { s.destroy(); resolve('timeout'); });
    s.on('connect', () => { s.destroy(); resolve('connected'); });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

test('ensure sets up routes for the pod and service ranges and the bridge; remove takes them away', { skip, timeout: 60_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'navarch-host-'));
  const bridge = `nvt${suffix()}`;
  const clusterCIDR = testClusterCIDR();
  const serviceCIDR = testServiceCIDR();
  const host = new HostNetwork({ bridgeName: bridge, clusterCIDR, serviceCIDR, serviceRoute: 'bridge', stateFile: join(dir, 'host.json') });
  t.after(async () => {
    await host.remove().catch(() => undefined);
    if (await linkExists(bridge)) await runCommand('ip', ['link', 'del', bridge]);
    await rm(dir, { recursive: true, force: true });
  });

  await host.ensure();
  await host.ensure();
  assert.equal(await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8'), '1\n');
  assert.deepEqual(await findRoute(clusterCIDR), [{ type: 'unreachable', dst: clusterCIDR }]);
  assert.deepEqual(await findRoute(serviceCIDR), [{ type: 'unicast', dst: serviceCIDR, dev: bridge }]);
  assert.ok(await linkExists(bridge));
  // The kernel refuses at once: nothing for the pod range is sent anywhere.
  assert.equal(await connectError(addressIn(clusterCIDR, 77), 80), 'EHOSTUNREACH');

  await host.remove();
  await host.remove();
  assert.deepEqual(await findRoute(clusterCIDR), []);
  assert.deepEqual(await findRoute(serviceCIDR), []);
  assert.equal(await linkExists(bridge), false);
});

test('an unreachable service range is refused at once', { skip, timeout: 60_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'navarch-host-'));
  const bridge = `nvt${suffix()}`;
  const serviceCIDR = testServiceCIDR();
  const host = new HostNetwork({ bridgeName: bridge, clusterCIDR: testClusterCIDR(), serviceCIDR, serviceRoute: 'unreachable', stateFile: join(dir, 'host.json') });
  t.after(async () => {
    await host.remove().catch(() => undefined);
    if (await linkExists(bridge)) await runCommand('ip', ['link', 'del', bridge]);
    await rm(dir, { recursive: true, force: true });
  });
  await host.ensure();
  assert.deepEqual(await findRoute(serviceCIDR), [{ type: 'unreachable', dst: serviceCIDR }]);
  assert.equal(await connectError(addressIn(serviceCIDR, 10), 443), 'EHOSTUNREACH');
  await host.remove();
  assert.deepEqual(await findRoute(serviceCIDR), []);
});

test('a route that was there before ensure is left in place by remove', { skip, timeout: 60_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'navarch-host-'));
  const bridge = `nvt${suffix()}`;
  const serviceCIDR = testServiceCIDR();
  const clusterCIDR = testClusterCIDR();
  const host = new HostNetwork({ bridgeName: bridge, clusterCIDR, serviceCIDR, serviceRoute: 'unreachable', stateFile: join(dir, 'host.json') });
  await runChecked('ip', ['route', 'add', 'unreachable', serviceCIDR]);
  t.after(async () => {
    await host.remove().catch(() => undefined);
    await runCommand('ip', ['route', 'del', 'unreachable', serviceCIDR]);
    if (await linkExists(bridge)) await runCommand('ip', ['link', 'del', bridge]);
    await rm(dir, { recursive: true, force: true });
  });
  await host.ensure();
  await host.remove();
  assert.deepEqual(await findRoute(serviceCIDR), [{ type: 'unreachable', dst: serviceCIDR }]);
  assert.deepEqual(await findRoute(clusterCIDR), []);
});

test('iptables -S lines split into words with quoted comments kept whole', () => {
  assert.deepEqual(
    splitRule('-A POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ'),
    ['-A', 'POSTROUTING', '-m', 'comment', '--comment', 'CNI portfwd requiring masquerade', '-j', 'CNI-HOSTPORT-MASQ'],
  );
  assert.deepEqual(splitRule('--comment "dnat name: \\"n\\" id: \\"x\\"" -j A'), ['--comment', 'dnat name: "n" id: "x"', '-j', 'A']);
});

test('the bridge keeps its own MAC when a port with a lower one joins (CNI CHECK compares it)', { skip, timeout: 60_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'navarch-host-'));
  const bridge = `nvt${suffix()}`;
  const veth = `nvv${suffix()}`;
  const host = new HostNetwork({ bridgeName: bridge, clusterCIDR: testClusterCIDR(), serviceCIDR: testServiceCIDR(), serviceRoute: 'bridge', stateFile: join(dir, 'host.json') });
  t.after(async () => {
    if (await linkExists(veth)) await runCommand('ip', ['link', 'del', veth]);
    await host.remove().catch(() => undefined);
    if (await linkExists(bridge)) await runCommand('ip', ['link', 'del', bridge]);
    await rm(dir, { recursive: true, force: true });
  });
  await host.ensure();
  const mac = async () => (await readFile(`/sys/class/net/${bridge}/address`, 'utf8')).trim();
  const before = await mac();
  await runChecked('ip', ['link', 'add', veth, 'address', '00:00:00:00:00:01', 'type', 'veth', 'peer', 'name', `${veth}p`]);
  await runChecked('ip', ['link', 'set', veth, 'master', bridge]);
  assert.equal(await mac(), before);
});
