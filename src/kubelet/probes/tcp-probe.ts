// tcpSocket probes (pkg/probe/tcp): success when a connection opens within the timeout.
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { goNetError } from './http-get.ts';
import { joinHostPort } from './go-format.ts';
import type { ProbeOutcome } from './types.ts';

export function probeTcp(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  const addr = joinHostPort(host, port);
  return new Promise((resolve) => {
    let done = false;
    let socket: Socket;
    const finish = (outcome: ProbeOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ result: 'failure', output: `dial tcp ${addr}: i/o timeout` }), timeoutMs);
    try {
      socket = connect({ host, port });
    } catch (e) {
      clearTimeout(timer);
      resolve({ result: 'failure', output: `dial tcp ${addr}: ${(e as Error).message}` });
      return;
    }
    socket.once('connect', () => finish({ result: 'success', output: '' }));
    socket.once('error', (e) => finish({ result: 'failure', output: goNetError(e, addr, false, undefined, host) }));
  });
}
