import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerHttp2Stream, IncomingHttpHeaders } from 'node:http2';
import { probeGrpc } from './grpc-probe.ts';
import { decodeHealthCheckRequest, encodeHealthCheckResponse, frame, unframe, decodeHealthCheckResponse, encodeHealthCheckRequest } from './grpc-health-codec.ts';
import { freePort, startH2c } from './test-servers.ts';

/** A grpc.health.v1 server: `statuses` by service name; unknown services answer NotFound. */
function healthServer(statuses: Record<string, number>, seen: IncomingHttpHeaders[] = []) {
  return startH2c((stream: ServerHttp2Stream, headers) => {
    seen.push(headers);
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      if (headers[':path'] !== '/grpc.health.v1.Health/Check') {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': 'unknown service grpc.health.v1.Health' }, { endStream: true });
        return;
      }
      const service = decodeHealthCheckRequest(unframe(Buffer.concat(chunks)));
      if (!(service in statuses)) {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '5', 'grpc-message': 'unknown%20service' }, { endStream: true });
        return;
      }
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(frame(encodeHealthCheckResponse(statuses[service])));
    });
  });
}

test('the health messages round-trip through the hand-written protobuf codec', () => {
  assert.equal(decodeHealthCheckRequest(unframe(frame(encodeHealthCheckRequest('payments')))), 'payments');
  assert.equal(decodeHealthCheckRequest(unframe(frame(encodeHealthCheckRequest('')))), '');
  assert.equal(decodeHealthCheckResponse(encodeHealthCheckResponse(2)), 2);
  // Unknown fields are skipped.
  assert.equal(decodeHealthCheckResponse(Buffer.from([0x12, 0x01, 0x41, 0x08, 0x01])), 1);
});

test('SERVING succeeds; the request names the service and carries kube-probe/1.33', async () => {
  const seen: IncomingHttpHeaders[] = [];
  const server = await healthServer({ '': 1, db: 1 }, seen);
  try {
    assert.deepEqual(await probeGrpc('127.0.0.1', server.port, '', 1000), { result: 'success', output: 'service healthy' });
    assert.deepEqual(await probeGrpc('127.0.0.1', server.port, 'db', 1000), { result: 'success', output: 'service healthy' });
    assert.equal(seen[0]['user-agent'], 'kube-probe/1.33');
    assert.equal(seen[0]['content-type'], 'application/grpc');
  } finally {
    await server.close();
  }
});

test('NOT_SERVING and an unknown service fail with upstream\'s messages', async () => {
  const server = await healthServer({ '': 2 });
  try {
    assert.deepEqual(await probeGrpc('127.0.0.1', server.port, '', 1000), { result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
    assert.deepEqual(await probeGrpc('127.0.0.1', server.port, 'other', 1000), {
      result: 'failure', output: 'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service',
    });
  } finally {
    await server.close();
  }
});

test('a server without the health service reports Unimplemented as upstream words it', async () => {
  const server = await startH2c((stream) => {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': 'unknown service grpc.health.v1.Health' }, { endStream: true });
  });
  try {
    assert.deepEqual(await probeGrpc('127.0.0.1', server.port, '', 1000), {
      result: 'failure',
      output: 'error: this server does not implement the grpc health protocol (grpc.health.v1.Health): unknown service grpc.health.v1.Health',
    });
  } finally {
    await server.close();
  }
});

test('nothing listening: retried until the timeout, then the connect timeout message', async () => {
  const port = await freePort();
  const started = Date.now();
  const out = await probeGrpc('127.0.0.1', port, '', 300);
  assert.deepEqual(out, { result: 'failure', output: `timeout: failed to connect service "127.0.0.1:${port}" within 300ms: context deadline exceeded` });
  assert.ok(Date.now() - started >= 250);
});

test('a health call that does not complete in time fails with the rpc timeout message', async () => {
  const server = await startH2c(() => { /* never answers */ });
  try {
    assert.deepEqual(await probeGrpc('127.0.0.1', server.port, '', 200), { result: 'failure', output: 'timeout: health rpc did not complete within 200ms' });
  } finally {
    await server.close();
  }
});
