// `kubectl exec -t`: the command must run on a real terminal whose size follows the client's.
// As conmon does for exec: `runc exec -d --console-socket S` starts the process on a new
// pseudo-terminal in the container and sends its master end over the unix socket S, then
// leaves; the caller, made child subreaper, inherits the process and reaps it for the exit code.
// (runc's foreground `exec -t` was tried first; runc 1.1 can hang in it when the exec fails.)
// Node.js can neither receive a file descriptor nor be a subreaper, so a small Python program
// (python3 from Debian) does this part: it relays the terminal and the session's stdio, resizes
// the terminal on request, and reports the exit code. The first size goes into the process spec
// (consoleSize), so the process starts with it.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { ExecIO, TerminalSize } from '../../server/streaming-runtime.ts';
import { RUNC } from './runc-cli.ts';
import { nextStatus, startPythonHelper } from './python-helper.ts';

// argv: console socket path, pid file path, runc argv. fd 0/1: the session's stdin/stdout;
// fd 2: runc's own errors; fd 3: status; fd 4: resize lines "rows cols".
const SOURCE = String.raw`
import os, sys, socket, select, fcntl, struct, termios, threading, json, ctypes, subprocess
sock_path, pid_file, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
def status(**kw):
    os.write(3, (json.dumps(kw) + '\n').encode())
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
    status(error='prctl(PR_SET_CHILD_SUBREAPER): ' + os.strerror(ctypes.get_errno()))
    os._exit(1)
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(sock_path)
listener.listen(1)
runc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
master = None
def take_console(timeout):
    global master
    if master is None and select.select([listener], [], [], timeout)[0]:
        conn, _ = listener.accept()
        _, fds, _, _ = socket.recv_fds(conn, 1024, 1)
        conn.close()
        if fds:
            master = fds[0]
while runc.poll() is None:
    take_console(0.05)
if runc.returncode != 0:
    status(error='runc exec exited with %d' % runc.returncode)
    os._exit(1)
take_console(1)
with open(pid_file) as f:
    pid = int(f.read().strip())
if master is None:
    status(error='runc sent no terminal')
    os._exit(1)
def write_all(fd, data):
    while data:
        try:
            data = data[os.write(fd, data):]
        except BlockingIOError:
            select.select([], [fd], [])
def pump_input():
    try:
        while True:
            data = os.read(0, 65536)
            if not data:
                return
            write_all(master, data)
    except OSError:
        pass
def pump_resize():
    buf = b''
    try:
        while True:
            data = os.read(4, 4096)
            if not data:
                return
            buf += data
            while b'\n' in buf:
                line, buf = buf.split(b'\n', 1)
                r, c = line.split()
                fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack('HHHH', int(r), int(c), 0, 0))
    except (OSError, ValueError):
        pass
threading.Thread(target=pump_input, daemon=True).start()
threading.Thread(target=pump_resize, daemon=True).start()
os.set_blocking(master, False)
def drain():
    while True:
        try:
            data = os.read(master, 65536)
        except (BlockingIOError, OSError):
            return
        if not data:
            return
        os.write(1, data)
code = None
while code is None:
    select.select([master], [], [], 0.1)
    drain()
    try:
        done, st = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        status(error='the process %d is not a child of the exec helper' % pid)
        os._exit(1)
    if done:
        code = os.waitstatus_to_exitcode(st)
drain()
status(exitCode=128 - code if code < 0 else code)
os._exit(0)
`;

export interface TerminalExecRequest {
  runcRoot: string;
  id: string;
  /** The container's bundle (its config.json gives user, env, cwd, capabilities of the process). */
  bundle: string;
  cmd: string[];
  io: ExecIO;
  signal: AbortSignal;
  /** How long to wait for the client's first terminal size before starting (ms). */
  firstSizeWaitMs?: number;
}

/** Runs cmd in the container on a new terminal; resolves with its exit code. */
export async function execWithTerminal(req: TerminalExecRequest): Promise<number> {
  const { io } = req;
  const sizes = io.resize?.[Symbol.asyncIterator]();
  // kubectl sends the size right after the session starts: wait for it briefly, so the
  // process starts with it. One that comes later is applied as a resize.
  let pending = sizes?.next();
  let first: TerminalSize | undefined;
  if (pending) {
    const r = await within(pending, req.firstSizeWaitMs ?? 1000);
    if (r) { pending = undefined; first = r.done ? undefined : r.value; }
  }
  const spec = JSON.parse(await readFile(join(req.bundle, 'config.json'), 'utf8')) as { process: { env?: string[] } & Record<string, unknown> };
  const env = spec.process.env ?? [];
  // As CRI-O does for a terminal session: programs need to know what kind of terminal it is.
  if (!env.some((e) => e.startsWith('TERM='))) env.push('TERM=xterm');
  const process = { ...spec.process, env, args: req.cmd, terminal: true, ...(first ? { consoleSize: { height: first.height, width: first.width } } : {}) };
  const dir = await mkdtemp(join(tmpdir(), 'navarch-exec-'));
  try {
    const processFile = join(dir, 'process.json');
    await writeFile(processFile, JSON.stringify(process));
    const consoleSocket = join(dir, 'console.sock');
    const pidFile = join(dir, 'pid');
    const helper = startPythonHelper(SOURCE, [
      consoleSocket, pidFile, RUNC, '--root', req.runcRoot, 'exec', '-d', '--console-socket', consoleSocket, '--pid-file', pidFile, '-p', processFile, req.id,
    ], { extraFds: 1 });
    const { child } = helper;
    const resizeIn = child.stdio[4] as Writable;
    resizeIn.on('error', () => undefined);
    child.stdin!.on('error', () => undefined);
    if (io.stdin) io.stdin.pipe(child.stdin!);
    child.stdout!.on('data', (d: Buffer) => io.stdout?.write(d));
    const outputDone = new Promise((r) => child.stdout!.once('close', r));
    if (sizes) {
      void (async () => {
        for (let r = await (pending ?? sizes.next()); !r.done; r = await sizes.next()) {
          if (!resizeIn.writable) break;
          resizeIn.write(`${r.value.height} ${r.value.width}\n`);
        }
      })().catch(() => undefined);
    }
    const onAbort = () => child.kill('SIGKILL');
    req.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const status = await nextStatus(helper, 'exec in a terminal');
      await outputDone;
      if (status.error) {
        // runc itself failing (no such command in the container...) says why on its stderr.
        const { stderr } = await helper.exited;
        throw new Error(`runc exec: ${runcFailure(stderr) ?? status.error}`);
      }
      return status.exitCode ?? 1;
    } finally {
      req.signal.removeEventListener('abort', onAbort);
      io.stdin?.unpipe(child.stdin!);
      child.stdin!.destroy();
      resizeIn.destroy();
      await helper.exited;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** runc's error message out of its logrus-formatted stderr, if it reported one. */
function runcFailure(stderr: string): string | undefined {
  const line = stderr.trim().split('\n').filter((l) => /level=(error|fatal)/.test(l)).at(-1);
  const m = line ? /msg="((?:[^"\\]|\\.)*)"/.exec(line) : undefined;
  return m ? m[1]!.replace(/\\"/g, '"') : undefined;
}

/** The promise's value, or undefined when it takes longer than ms. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((r) => { timer = setTimeout(() => r(undefined), ms); });
  try { return await Promise.race([p, timeout]); } finally { clearTimeout(timer); }
}
