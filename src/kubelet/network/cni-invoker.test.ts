// The invocation protocol against fake plugins (shell scripts) that record what they were given.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CniInvoker, pluginStdin, type CniRuntimeConfig } from './cni-invoker.ts';
import { CniPluginError, pluginFailure } from './cni-error.ts';
import type { CniNetworkConfigList } from './cni-config.ts';

/** A plugin that logs its env and stdin as <files so far>-<command>-<name> and prints a result naming itself. */
function recordingPlugin(logDir: string, name: string): string {
  return `#!/bin/sh
in=$(cat)
n=$(ls "${logDir}" | wc -l)
printf '%s' "$in" > "${logDir}/$n-$CNI_COMMAND-${name}.stdin"
env | grep '^CNI_' | sort > "${logDir}/$n-$CNI_COMMAND-${name}.env"
printf '{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.%s/24"}],"by":"${name}"}' "$n"
`;
}

const FAILING = `#!/bin/sh
cat >/dev/null
echo '{"cniVersion":"1.0.0","code":11,"msg":"failed to frobnicate","details":"the frob is stuck"}'
exit 1
`;

async function pluginDir(t: TestContext, plugins: Record<string, string>): Promise<{ bin: string; log: string }> {
  const bin = await mkdtemp(join(tmpdir(), 'navarch-cni-bin-'));
  const log = await mkdtemp(join(tmpdir(), 'navarch-cni-log-'));
  t.after(() => Promise.all([rm(bin, { recursive: true, force: true }), rm(log, { recursive: true, force: true })]));
  for (const [name, text] of Object.entries(plugins)) {
    await writeFile(join(bin, name), text.replaceAll('@LOG@', log));
    await chmod(join(bin, name), 0o755);
  }
  return { bin, log };
}

async function logged(log: string): Promise<{ file: string; text: string }[]> {
  const files = (await readdir(log)).sort((a, b) => parseInt(a) - parseInt(b) || a.localeCompare(b));
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(join(log, file), 'utf8') })));
}

const LIST: CniNetworkConfigList = {
  cniVersion: '1.0.0',
  name: 'testnet',
  plugins: [{ type: 'first', answer: 42 }, { type: 'second', capabilities: { portMappings: true, bandwidth: false } }],
};

const RT: CniRuntimeConfig = {
  containerId: 'sandbox1',
  netns: '/run/netns/x',
  ifName: 'eth0',
  args: [['IgnoreUnknown', '1'], ['K8S_POD_NAMESPACE', 'ns'], ['K8S_POD_NAME', 'p']],
  capabilityArgs: { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }], bandwidth: { x: 1 } },
};

test('ADD runs the plugins in order, each given the previous result, and returns the last one', async (t) => {
  const { bin, log } = await pluginDir(t, { first: recordingPlugin('@LOG@', 'first'), second: recordingPlugin('@LOG@', 'second') });
  const result = await new CniInvoker({ binDirs: [bin] }).add(LIST, RT);
  assert.equal(result.by, 'second');

  const files = await logged(log);
  assert.deepEqual(files.map((f) => f.file), ['0-ADD-first.env', '0-ADD-first.stdin', '2-ADD-second.env', '2-ADD-second.stdin']);
  const first = JSON.parse(files[1]!.text) as Record<string, unknown>;
  assert.deepEqual(first, { type: 'first', answer: 42, name: 'testnet', cniVersion: '1.0.0' });
  const second = JSON.parse(files[3]!.text) as Record<string, unknown>;
  assert.deepEqual((second.prevResult as Record<string, unknown>).by, 'first');
  assert.deepEqual(second.runtimeConfig, { portMappings: RT.capabilityArgs.portMappings }, 'only enabled capabilities');
  assert.deepEqual(files[0]!.text.trim().split('\n').filter((l) => !l.startsWith('CNI_PATH')), [
    'CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p',
    'CNI_COMMAND=ADD',
    'CNI_CONTAINERID=sandbox1',
    'CNI_IFNAME=eth0',
    'CNI_NETNS=/run/netns/x',
  ]);
  assert.ok(files[0]!.text.includes(`CNI_PATH=${bin}\n`));
});

test('DEL runs the plugins in reverse order with the cached result as prevResult', async (t) => {
  const { bin, log } = await pluginDir(t, { first: recordingPlugin('@LOG@', 'first'), second: recordingPlugin('@LOG@', 'second') });
  await new CniInvoker({ binDirs: [bin] }).del(LIST, RT, { cached: true });
  const files = await logged(log);
  assert.deepEqual(files.filter((f) => f.file.endsWith('.stdin')).map((f) => f.file), ['0-DEL-second.stdin', '2-DEL-first.stdin']);
  for (const f of files.filter((f) => f.file.endsWith('.stdin'))) assert.deepEqual(JSON.parse(f.text).prevResult, { cached: true });
});

test('CHECK runs the plugins in order with the cached result', async (t) => {
  const { bin, log } = await pluginDir(t, { first: recordingPlugin('@LOG@', 'first'), second: recordingPlugin('@LOG@', 'second') });
  await new CniInvoker({ binDirs: [bin] }).check(LIST, RT, { cached: 1 });
  const stdins = (await logged(log)).filter((f) => f.file.endsWith('.stdin'));
  assert.deepEqual(stdins.map((f) => f.file), ['0-CHECK-first.stdin', '2-CHECK-second.stdin']);
  assert.deepEqual(JSON.parse(stdins[0]!.text).prevResult, { cached: 1 });
});

test('a failing plugin stops ADD and its error object surfaces', async (t) => {
  const { bin, log } = await pluginDir(t, { first: FAILING, second: recordingPlugin('@LOG@', 'second') });
  await assert.rejects(new CniInvoker({ binDirs: [bin] }).add(LIST, RT), (err: unknown) => {
    assert.ok(err instanceof CniPluginError);
    assert.equal(err.code, 11);
    assert.equal(err.msg, 'failed to frobnicate');
    assert.equal(err.details, 'the frob is stuck');
    assert.equal(err.message, 'plugin type="first" name="testnet" failed (add): failed to frobnicate; the frob is stuck');
    return true;
  });
  assert.deepEqual(await logged(log), [], 'the second plugin never ran');
});

test('a missing plugin binary is reported with the search path', async (t) => {
  const { bin } = await pluginDir(t, {});
  await assert.rejects(new CniInvoker({ binDirs: [bin] }).add(LIST, RT), { message: `failed to find plugin "first" in path [${bin}]` });
});

test('container ids and interface names that plugins would reject are refused before running them', async () => {
  const cni = new CniInvoker({ binDirs: ['/nonexistent'] });
  await assert.rejects(cni.add(LIST, { ...RT, containerId: '../x' }), /invalid characters in containerID/);
  await assert.rejects(cni.add(LIST, { ...RT, ifName: 'a-very-long-interface' }), /invalid interface name/);
});

test('plugin output that is not an error object is described as libcni does', () => {
  assert.deepEqual(pluginFailure({ code: 1, stdout: '', stderr: '' }), { code: 0, msg: 'netplugin failed with no error message: exit status 1', details: '' });
  assert.deepEqual(pluginFailure({ code: 2, stdout: '', stderr: 'boom' }), { code: 0, msg: 'netplugin failed: "boom": exit status 2', details: '' });
  assert.match(pluginFailure({ code: 1, stdout: 'nope', stderr: '' }).msg, /^netplugin failed but error parsing its diagnostic message "nope"/);
});

test('runtimeConfig is left out when no declared capability has a value', () => {
  const conf = pluginStdin(LIST, LIST.plugins[1]!, undefined, { bandwidth: {} });
  assert.equal('runtimeConfig' in conf, false);
  assert.equal('prevResult' in conf, false);
});
