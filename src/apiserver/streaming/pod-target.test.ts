import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateContainer, kubeletEndpoint } from './pod-target.ts';
import { negotiateStreamProtocol } from './upgrade-response.ts';
import { REMOTE_COMMAND_PROTOCOLS } from './spdy-remote-command.ts';

const pod = (containers: string[], init: string[] = []) => ({
  metadata: { name: 'web' },
  spec: { initContainers: init.map((name) => ({ name })), containers: containers.map((name) => ({ name })) },
});

test('the only container is the default; several need a name, listed init containers first', () => {
  assert.equal(validateContainer(pod(['app']), ''), 'app');
  assert.throws(() => validateContainer(pod(['a', 'b'], ['setup']), ''), { code: 400, message: 'a container name must be specified for pod web, choose one of: [setup a b]' });
  assert.throws(() => validateContainer(pod([]), ''), { message: 'a container name must be specified for pod web' });
  assert.throws(() => validateContainer(pod(['app']), 'x'), { code: 400, message: 'container x is not valid for pod web' });
  assert.equal(validateContainer(pod(['app'], ['setup']), 'setup'), 'setup');
});

test('the kubelet is reached at the InternalIP (else Hostname) on the daemon endpoint port', () => {
  const node = (addresses: object[], port?: number) => ({ metadata: { name: 'n1' }, status: { addresses, daemonEndpoints: port ? { kubeletEndpoint: { Port: port } } : {} } });
  assert.deepEqual(kubeletEndpoint(node([{ type: 'Hostname', address: 'h' }, { type: 'InternalIP', address: '10.0.0.5' }], 11250)), { host: '10.0.0.5', port: 11250 });
  assert.deepEqual(kubeletEndpoint(node([{ type: 'Hostname', address: 'h' }])), { host: 'h', port: 10250 });
});

test('the stream protocol is the first the client offers that the server speaks', () => {
  assert.equal(negotiateStreamProtocol(['v4.channel.k8s.io', 'v3.channel.k8s.io'], REMOTE_COMMAND_PROTOCOLS), 'v4.channel.k8s.io');
  assert.equal(negotiateStreamProtocol(['v6.channel.k8s.io, v5.channel.k8s.io'], REMOTE_COMMAND_PROTOCOLS), 'v5.channel.k8s.io');
  assert.equal(negotiateStreamProtocol([], REMOTE_COMMAND_PROTOCOLS), undefined);
  assert.throws(() => negotiateStreamProtocol(['v9'], ['portforward.k8s.io']), { code: 403, message: 'unable to upgrade: unable to negotiate protocol: client supports [v9], server supports [portforward.k8s.io]' });
});
