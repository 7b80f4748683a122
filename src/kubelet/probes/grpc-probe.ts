// grpc probes (pkg/probe/grpc): grpc.health.v1.Health/Check over HTTP/2 cleartext; SERVING
// succeeds, anything else fails with upstream's messages. Like grpc-go's blocking dial, a refused
// connection is retried until the timeout.
import * as http2 from 'node:http2';
import { STATUS_CODES } from 'node:http';
import {
  HEALTH_CHECK_PATH, SERVING_STATUS, codeName, decodeHealthCheckResponse, encodeHealthCheckRequest, frame, unframe,
} from './grpc-health-codec.ts';
import { goDuration, goQuote, joinHostPort } from './go-format.ts';
import { KUBE_MINOR_VERSION } from './http-probe.ts';
import type { ProbeOutcome } from './types.ts';

const RETRY_MS = 100;
/** grpc-go's mapping of a non-200 HTTP status to a gRPC code. */
const HTTP_TO_CODE: Record<number, number> = { 400: 13, 401: 16, 403: 7, 404: 12, 429: 14, 502: 14, 503: 14, 504: 14 };

class RpcError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

export async function probeGrpc(host: string, port: number, service: string, timeoutMs: number): Promise<ProbeOutcome> {
  const addr = joinHostPort(host, port);
  const deadline = Date.now() + timeoutMs;
  const session = await connectUntil(addr, deadline);
  if (!session) {
    return { result: 'failure', output: `timeout: failed to connect service ${goQuote(addr)} within ${goDuration(timeoutMs)}: context deadline exceeded` };
  }
  try {
    const status = await check(session, addr, service, deadline);
    if (status === 'timeout') return { result: 'failure', output: `timeout: health rpc did not complete within ${goDuration(timeoutMs)}` };
    if (status !== 1) {
      return { result: 'failure', output: `service unhealthy (responded with ${goQuote(SERVING_STATUS[status] ?? String(status))})` };
    }
    return { result: 'success', output: 'service healthy' };
  } catch (e) {
    if (e instanceof RpcError) {
      if (e.code === 12) return { result: 'failure', output: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${e.message}` };
      if (e.code === 4) return { result: 'failure', output: `timeout: health rpc did not complete within ${goDuration(timeoutMs)}` };
      return { result: 'failure', output: `error: health rpc probe failed: rpc error: code = ${codeName(e.code)} desc = ${e.message}` };
    }
    return { result: 'failure', output: `error: health rpc probe failed: ${(e as Error).message}` };
  } finally {
    session.destroy();
  }
}

async function connectUntil(addr: string, deadline: number): Promise<http2.ClientHttp2Session | undefined> {
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    const session = await connectOnce(addr, left);
    if (session) return session;
    const wait = Math.min(RETRY_MS, deadline - Date.now());
    if (wait <= 0) return undefined;
    await new Promise((r) => setTimeout(r, wait));
  }
}

function connectOnce(addr: string, timeoutMs: number): Promise<http2.ClientHttp2Session | undefined> {
  return new Promise((resolve) => {
    let session: http2.ClientHttp2Session;
    const timer = setTimeout(() => { session.destroy(); resolve(undefined); }, timeoutMs);
    try {
      session = http2.connect(`http://${addr}`);
    } catch {
      clearTimeout(timer);
      resolve(undefined);
      return;
    }
    session.once('connect', () => {
      clearTimeout(timer);
      session.removeAllListeners('error');
      // Later session errors surface on the stream; keep them from being unhandled.
      session.on('error', () => {});
      resolve(session);
    });
    session.once('error', () => { clearTimeout(timer); session.destroy(); resolve(undefined); });
  });
}

function check(session: http2.ClientHttp2Session, addr: string, service: string, deadline: number): Promise<number | 'timeout'> {
  return new Promise((resolve, reject) => {
    const left = Math.max(1, deadline - Date.now());
    let settled = false;
    const settle = (fn: () => void) => { if (!settled) { settled = true; clearTimeout(timer); fn(); } };
    const timer = setTimeout(() => settle(() => { stream.close(http2.constants.NGHTTP2_CANCEL); resolve('timeout'); }), left);
    const stream = session.request({
      ':method': 'POST',
      ':path': HEALTH_CHECK_PATH,
      ':scheme': 'http',
      ':authority': addr,
      'content-type': 'application/grpc',
      'te': 'trailers',
      'user-agent': `kube-probe/${KUBE_MINOR_VERSION}`,
      'grpc-timeout': `${left}m`,
    });
    let headers: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => { headers = h; });
    stream.on('trailers', (t) => { trailers = t; });
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', (e) => settle(() => reject(new RpcError(14, e.message))));
    stream.on('close', () => settle(() => {
      try {
        resolve(evaluate(headers, trailers, Buffer.concat(chunks)));
      } catch (e) {
        reject(e);
      }
    }));
    stream.end(frame(encodeHealthCheckRequest(service)));
  });
}

function evaluate(headers: http2.IncomingHttpHeaders, trailers: http2.IncomingHttpHeaders, body: Buffer): number {
  const grpcStatus = trailers['grpc-status'] ?? headers['grpc-status'];
  const grpcMessage = String(trailers['grpc-message'] ?? headers['grpc-message'] ?? '');
  const httpStatus = Number(headers[':status'] ?? 0);
  if (grpcStatus === undefined) {
    if (httpStatus === 0) throw new RpcError(14, 'error reading from server: EOF');
    if (httpStatus !== 200) {
      throw new RpcError(HTTP_TO_CODE[httpStatus] ?? 2, `unexpected HTTP status code received from server: ${httpStatus} (${STATUS_CODES[httpStatus] ?? ''})`);
    }
    throw new RpcError(13, 'server closed the stream without sending trailers');
  }
  const code = Number(grpcStatus);
  if (code !== 0) throw new RpcError(code, safeDecode(grpcMessage));
  try {
    return decodeHealthCheckResponse(unframe(body));
  } catch (e) {
    throw new RpcError(13, `grpc: failed to unmarshal the received message: ${(e as Error).message}`);
  }
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}
