// A WebSocket as a byte stream: binary messages in, each write one binary message out. This is
// how kubectl 1.31+ tunnels port-forward's SPDY through a WebSocket (no channel byte).
import { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { toBuffer } from './channel-frames.ts';

export function webSocketDuplex(ws: WebSocket): Duplex {
  const duplex = new Duplex({
    allowHalfOpen: false,
    read() { if (ws.isPaused) ws.resume(); },
    write(chunk: Buffer, _enc, cb) {
      if (ws.readyState !== ws.OPEN) { cb(); return; }
      ws.send(chunk, { binary: true }, (err) => cb(err ?? null));
    },
    final(cb) {
      if (ws.readyState === ws.OPEN) ws.close(1000);
      cb();
    },
    destroy(err, cb) {
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.terminate();
      cb(err);
    },
  });
  ws.on('message', (data, isBinary) => {
    if (!isBinary) { duplex.destroy(new Error('invalid message type received')); return; }
    if (!duplex.push(toBuffer(data))) ws.pause();
  });
  ws.on('close', () => duplex.push(null));
  ws.on('error', (e) => duplex.destroy(e));
  return duplex;
}
