import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerResourceValue, formatMap, goQuote, podFieldValue } from './downward-api.ts';

const pod = {
  metadata: { name: 'web', namespace: 'prod', uid: 'u-1', labels: { tier: 'front', app: 'web' }, annotations: { note: 'say "hi"\n' } },
  spec: {
    nodeName: 'n1',
    containers: [
      { name: 'app', resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi' } } },
      { name: 'bare' },
    ],
  },
  status: { podIP: '10.0.0.5' },
};

test('labels and annotations render as sorted key="value" lines quoted like Go', () => {
  assert.equal(podFieldValue(pod, 'metadata.labels'), 'app="web"\ntier="front"');
  assert.equal(podFieldValue(pod, 'metadata.annotations'), 'note="say \\"hi\\"\\n"');
  assert.equal(formatMap({}), '');
});

test('single fields and subscripted labels resolve; spec and status fields only for env', () => {
  assert.equal(podFieldValue(pod, 'metadata.name'), 'web');
  assert.equal(podFieldValue(pod, 'metadata.namespace'), 'prod');
  assert.equal(podFieldValue(pod, 'metadata.uid'), 'u-1');
  assert.equal(podFieldValue(pod, "metadata.labels['tier']"), 'front');
  assert.equal(podFieldValue(pod, "metadata.annotations['missing']"), '');
  assert.throws(() => podFieldValue(pod, 'spec.nodeName'), /^Error: unsupported fieldPath: spec.nodeName$/);
  assert.equal(podFieldValue(pod, 'spec.nodeName', true), 'n1');
  assert.equal(podFieldValue(pod, 'status.podIP', true), '10.0.0.5');
});

test('Go quoting escapes controls, keeps printable unicode', () => {
  assert.equal(goQuote('a\tb\x00\x7f'), '"a\\tb\\x00\\x7f"');
  assert.equal(goQuote('héllo ✓'), '"héllo ✓"');
  assert.equal(goQuote('\u00a0'), '"\\u00a0"');
  assert.equal(goQuote('back\\slash'), '"back\\\\slash"');
});

test('resources divide by the divisor rounding up; unset limits fall back to node allocatable', () => {
  const alloc = { cpu: '4', memory: '8Gi' };
  assert.equal(containerResourceValue(pod, 'app', 'limits.cpu', undefined, alloc), '1');
  assert.equal(containerResourceValue(pod, 'app', 'limits.cpu', '1m', alloc), '500');
  assert.equal(containerResourceValue(pod, 'app', 'requests.cpu', '0', alloc), '1');
  assert.equal(containerResourceValue(pod, 'app', 'requests.memory', '1Mi', alloc), '64');
  assert.equal(containerResourceValue(pod, 'app', 'limits.memory', undefined, alloc), String(128 * 1024 * 1024));
  assert.equal(containerResourceValue(pod, 'bare', 'limits.cpu', undefined, alloc), '4');
  assert.equal(containerResourceValue(pod, 'bare', 'limits.memory', '1Gi', alloc), '8');
  assert.equal(containerResourceValue(pod, 'bare', 'requests.cpu', undefined, alloc), '0');
  assert.throws(() => containerResourceValue(pod, 'app', 'limits.gpu', undefined, alloc), /unsupported container resource : limits.gpu/);
});
