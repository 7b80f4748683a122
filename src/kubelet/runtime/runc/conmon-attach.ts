// Talking to the conmon of a running container, as CRI-O does for attach:
// - input goes into conmon's attach socket (`attach` in the container's socket directory), a
//   SOCK_SEQPACKET socket Node.js cannot open, so a small Python program carries it. When the
//   input ends, the program shuts down its sending side, and conmon closes the container's stdin
//   (unless it was started with --leave-stdin-open). conmon also sends the container's output to
//   every attached socket ([1 or 2][bytes] packets); that copy is drained and dropped, since the
//   output is read from the log file (where nothing can be missed or block the container).
// - terminal size changes go into conmon's control fifo (`ctl`) as `1 <height> <width>\n`
//   (message type 1 is a resize; conmon passes it on to the terminal).
import { open, constants } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { TerminalSize } from '../../server/streaming-runtime.ts';
import { nextStatus, startPythonHelper } from './python-helper.ts';

const SOURCE = String.raw`
import os, sys, socket, threading, json
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
try:
    s.connect(sys.argv[1])
except OSError as e:
    os.write(3, (json.dumps({'error': 'connect to %s: %s' % (sys.argv[1], e.strerror or e)}) + '\n').encode())
    os._exit(1)
os.write(3, b'{"ok": true}\n')
def pump_input():
    try:
        while True:
            # conmon reads packets of at most 32767 bytes.
            data = os.read(0, 32767)
            if not data:
                break
            s.sendall(data)
    except OSError:
        pass
    try:
        s.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    os.write(3, b'{"inputDone": true}\n')
threading.Thread(target=pump_input, daemon=True).start()
while True:
    try:
        if not s.recv(65536):
            break
    except OSError:
        break
os._exit(0)
`;

export interface AttachedInput {
  /** Resolves once conmon closed the connection (the container is gone) or stop() was called. */
  done: Promise<void>;
  /** Resolves once the input ended and all of it went to conmon (or the connection is gone). */
  inputDone: Promise<void>;
  /** Disconnects (conmon then closes the container's stdin unless told to leave it open). */
  stop(): Promise<void>;
}

/** Connects input to the container's stdin through conmon's attach socket. */
export async function attachInput(socketPath: string, input: Readable): Promise<AttachedInput> {
  const helper = startPythonHelper(SOURCE, [socketPath]);
  const { child } = helper;
  const status = await nextStatus(helper, 'attach to the container').catch((e: Error) => ({ error: e.message }));
  if (status.error) {
    child.kill('SIGKILL');
    await helper.exited;
    throw new Error(status.error);
  }
  child.stdin!.on('error', () => undefined);
  child.stdout!.resume();
  input.pipe(child.stdin!);
  const done = helper.exited.then(() => { input.unpipe(child.stdin!); });
  const inputDone = Promise.race([nextStatus(helper, 'attach input').then(() => undefined, () => undefined), done]);
  return {
    done,
    inputDone,
    async stop() {
      input.unpipe(child.stdin!);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await done;
    },
  };
}

/** Asks conmon to resize the container's terminal; false when conmon is not listening. */
export async function resizeTerminal(ctlFifo: string, size: TerminalSize): Promise<boolean> {
  let fh;
  try {
    // Non-blocking: a fifo nobody reads (conmon gone) fails at once instead of hanging.
    fh = await open(ctlFifo, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch {
    return false;
  }
  try {
    await fh.write(`1 ${size.height} ${size.width}\n`);
    return true;
  } catch {
    return false;
  } finally {
    await fh.close();
  }
}
