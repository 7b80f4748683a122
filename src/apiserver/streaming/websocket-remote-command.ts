// exec/attach for WebSocket clients (kubectl 1.30+ speaks v5.channel.k8s.io): the kubelet link
// uses the same framing, so messages are relayed both ways as they are, with backpressure.
// The kubelet's closing (after its Status on channel 3) closes the client's socket normally.
import type { WebSocket } from 'ws';
import { CHANNEL_V4, CHANNEL_V5, Channel, toBuffer } from './channel-frames.ts';

export const WEBSOCKET_REMOTE_COMMAND_PROTOCOLS = [CHANNEL_V5, CHANNEL_V4] as const;

const HIGH_WATER = 1 << 20;

/** Sends what `from` receives to `to`, pausing `from` while `to` is behind. */
function relay(from: WebSocket, to: WebSocket, keep: (channel: number) => boolean): void {
  from.on('message', (data, isBinary) => {
    const buf = toBuffer(data as Buffer);
    if (!isBinary || buf.length === 0 || !keep(buf[0]) || to.readyState !== to.OPEN) return;
    to.send(buf, { binary: true }, () => { if (to.bufferedAmount < HIGH_WATER && from.isPaused) from.resume(); });
    if (to.bufferedAmount >= HIGH_WATER) from.pause();
  });
}

export function bridgeWebSocketRemoteCommand(client: WebSocket, backend: WebSocket): Promise<void> {
  // v4 clients have no close signal; everything else passes as is.
  const v5 = client.protocol === CHANNEL_V5;
  relay(client, backend, (ch) => ch === Channel.stdin || ch === Channel.resize || (v5 && ch === Channel.close));
  relay(backend, client, (ch) => ch === Channel.stdout || ch === Channel.stderr || ch === Channel.error);
  return new Promise((resolve) => {
    // A side paused for backpressure is read again so the closing handshake completes.
    backend.once('close', () => { client.resume(); if (client.readyState === client.OPEN) client.close(1000); resolve(); });
    client.once('close', () => { backend.resume(); if (backend.readyState === backend.OPEN) backend.close(1000); resolve(); });
    backend.resume();
  });
}
