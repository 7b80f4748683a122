import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerEnvironment, ContainerConfigError, mergeImageEnv, type EnvironmentInput } from './environment.ts';
import type { EnvSources, KubeObject } from './types.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

const objects: Record<string, KubeObject> = {
  'cm/shop/settings': { data: { MODE: 'fast', 'log.level': 'debug', '1bad': 'x', URL: 'http://$(HOST)' } },
  'secret/shop/creds': { data: { PASSWORD: b64('s3cret'), 'bad key': b64('x') } },
};
const services: KubeObject[] = [
  { metadata: { namespace: 'default', name: 'kubernetes' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] } },
  { metadata: { namespace: 'shop', name: 'db' }, spec: { clusterIP: '10.96.0.7', ports: [{ port: 5432 }] } },
];
const sources: EnvSources = {
  configMap: (ns, name) => objects[`cm/${ns}/${name}`],
  secret: (ns, name) => objects[`secret/${ns}/${name}`],
  services: () => services,
};

const pod = (container: KubeObject, spec: KubeObject = {}): KubeObject => ({
  metadata: { name: 'web-0', namespace: 'shop', uid: 'uid-1', labels: { app: 'web' } },
  spec: { nodeName: 'node-a', serviceAccountName: 'default', containers: [container], ...spec },
});

function build(container: KubeObject, spec: KubeObject = {}, extra: Partial<EnvironmentInput> = {}) {
  return containerEnvironment({
    pod: pod(container, spec), container, sources, podIPs: ['10.244.0.9'], hostIPs: ['172.16.0.2'],
    nodeAllocatable: { cpu: '4', memory: '8Gi' }, ...extra,
  });
}
const asMap = (env: { name: string; value: string }[]) => Object.fromEntries(env.map((e) => [e.name, e.value]));

test('plain values expand against earlier variables and service variables, not later ones', () => {
  const { env } = build({
    name: 'c',
    env: [
      { name: 'A', value: 'a' },
      { name: 'B', value: '$(A)-$(DB_SERVICE_HOST)-$(C)' },
      { name: 'C', value: 'c' },
      { name: 'D', value: '$$(A)' },
    ],
  });
  const m = asMap(env);
  assert.equal(m.B, 'a-10.96.0.7-$(C)');
  assert.equal(m.D, '$(A)');
});

test('env vars come first in order, then service variables not already set', () => {
  const { env } = build({ name: 'c', env: [{ name: 'Z', value: '1' }, { name: 'DB_SERVICE_PORT', value: 'mine' }, { name: 'A', value: '2' }] });
  assert.deepEqual(env.slice(0, 3).map((e) => e.name), ['Z', 'DB_SERVICE_PORT', 'A']);
  assert.equal(env.filter((e) => e.name === 'DB_SERVICE_PORT').length, 1);
  assert.equal(asMap(env).DB_SERVICE_PORT, 'mine');
  assert.equal(asMap(env).KUBERNETES_SERVICE_HOST, '10.96.0.1');
});

test('enableServiceLinks false keeps only KUBERNETES_ variables', () => {
  const { env } = build({ name: 'c' }, { enableServiceLinks: false });
  assert.ok(env.length > 0);
  assert.ok(env.every((e) => e.name.startsWith('KUBERNETES_')));
});

test('configMapKeyRef and secretKeyRef read values; secrets are decoded', () => {
  const { env } = build({
    name: 'c',
    env: [
      { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'MODE' } } },
      { name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } },
      { name: 'RAW', valueFrom: { configMapKeyRef: { name: 'settings', key: 'URL' } } },
    ],
  });
  const m = asMap(env);
  assert.equal(m.MODE, 'fast');
  assert.equal(m.PW, 's3cret');
  assert.equal(m.RAW, 'http://$(HOST)', 'values from sources are not expanded');
});

const failures: [string, KubeObject, string][] = [
  ['missing config map', { configMapKeyRef: { name: 'nope', key: 'k' } }, 'configmap "nope" not found'],
  ['missing key in config map', { configMapKeyRef: { name: 'settings', key: 'k' } }, "couldn't find key k in ConfigMap shop/settings"],
  ['missing secret', { secretKeyRef: { name: 'nope', key: 'k' } }, 'secret "nope" not found'],
  ['missing key in secret', { secretKeyRef: { name: 'creds', key: 'k' } }, "couldn't find key k in Secret shop/creds"],
];
for (const [name, valueFrom, message] of failures) {
  test(`a ${name} fails with "${message}"`, () => {
    assert.throws(() => build({ name: 'c', env: [{ name: 'X', valueFrom }] }), (e: unknown) => e instanceof ContainerConfigError && e.message === message);
  });
  test(`a ${name} marked optional leaves the variable unset`, () => {
    const ref = Object.fromEntries(Object.entries(valueFrom).map(([k, v]) => [k, { ...v, optional: true }]));
    const { env } = build({ name: 'c', env: [{ name: 'X', valueFrom: ref }] });
    assert.equal(asMap(env).X, undefined);
  });
}

test('fieldRef and resourceFieldRef resolve through the downward API', () => {
  const { env } = build({
    name: 'c',
    resources: { limits: { memory: '128Mi' } },
    env: [
      { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
    ],
  });
  assert.deepEqual(
    env.slice(0, 8).map((e) => `${e.name}=${e.value}`),
    ['POD=web-0', 'NS=shop', 'APP=web', 'NODE=node-a', 'IP=10.244.0.9', 'HOST=172.16.0.2', 'CPU=4', 'MEM=128'],
  );
});

test('an unsupported fieldRef becomes a container config error', () => {
  assert.throws(() => build({ name: 'c', env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.bogus' } } }] }), ContainerConfigError);
});

test('envFrom imports all keys with the prefix; env overrides them', () => {
  const { env, events } = build({
    name: 'c',
    envFrom: [{ configMapRef: { name: 'settings' }, prefix: 'CFG_' }, { secretRef: { name: 'creds' } }],
    env: [{ name: 'CFG_MODE', value: 'slow' }],
  });
  const m = asMap(env);
  assert.equal(m.CFG_MODE, 'slow');
  assert.equal(m['CFG_log.level'], 'debug');
  assert.equal(m.CFG_1bad, 'x', 'the prefix makes 1bad a valid name');
  assert.equal(m.PASSWORD, 's3cret');
  assert.deepEqual(events, [{
    type: 'Warning', reason: 'InvalidEnvironmentVariableNames',
    message: 'Keys [bad key] from the EnvFrom secret shop/creds were skipped since they are considered invalid environment variable names.',
  }]);
});

test('envFrom skips invalid keys with upstream event text', () => {
  const { env, events } = build({ name: 'c', envFrom: [{ configMapRef: { name: 'settings' } }] });
  assert.equal(asMap(env)['1bad'], undefined);
  assert.equal(events[0].message, 'Keys [1bad] from the EnvFrom configMap shop/settings were skipped since they are considered invalid environment variable names.');
});

test('relaxed names accept keys starting with digits', () => {
  const { env, events } = build({ name: 'c', envFrom: [{ configMapRef: { name: 'settings' } }] }, {}, { relaxedNames: true });
  assert.equal(asMap(env)['1bad'], 'x');
  assert.deepEqual(events, []);
});

test('envFrom of a missing source fails unless optional', () => {
  assert.throws(() => build({ name: 'c', envFrom: [{ configMapRef: { name: 'gone' } }] }), /configmap "gone" not found/);
  assert.throws(() => build({ name: 'c', envFrom: [{ secretRef: { name: 'gone' } }] }), /secret "gone" not found/);
  assert.doesNotThrow(() => build({ name: 'c', envFrom: [{ configMapRef: { name: 'gone', optional: true } }] }));
});

test('mergeImageEnv puts the image Env underneath the pod variables', () => {
  assert.deepEqual(
    mergeImageEnv(['PATH=/usr/bin', 'LANG=C', 'EMPTY'], [{ name: 'LANG', value: 'en_US.UTF-8' }, { name: 'APP', value: '1' }]),
    ['PATH=/usr/bin', 'LANG=en_US.UTF-8', 'EMPTY', 'APP=1'],
  );
});
