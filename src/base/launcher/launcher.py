# The process launcher: a small, long-lived python3 process that starts host commands on behalf of
# the server. Forking the server itself (hundreds of MiB mapped) blocks its event loop for several
# milliseconds per command; forking this process costs a fraction of that, off the main thread.
#
# Protocol: one JSON object per line on stdin, one answer per line on stdout, matched by "id".
#   request: {"id", "file", "args", "cwd"?, "env"? (whole environment; absent: ours), "stdin"? (text),
#             "timeoutMs"?, "detached"?, "sync"? (conmon's handshake, below)}
#   answer:  {"id", "code", "signal"?, "stdout", "stderr", "sync"?} or {"id", "error"} when it could not start.
# With "sync": {"env": NAME, "startEnv": NAME, "start": TEXT} the child gets a pipe to write to (its
# fd number in env NAME) and one to read TEXT from (in startEnv); the answer comes once the child has
# written a whole JSON value there (or closed it), without waiting for the child's exit: conmon
# daemonizes and its monitor lives on.
#
# A few host calls need no command at all and are made here, saving a process each (mount(8) alone
# reads the whole mount table and fstab per call):
#   {"id", "op": "mount", "source", "target", "fstype", "flags": [...], "data"?, "cwd"?}
#   {"id", "op": "umount", "target", "lazy"?}
#   {"id", "op": "pin", "ns": {"ipc"|"uts"|"net": FILE}, "hostname"?}: new namespaces of those kinds,
#       each bind-mounted on its (existing) FILE, the new UTS one named hostname, the new network
#       one's lo up (what the CNI loopback plugin would do).
#   answer: {"id", "code": 0} or {"id", "error", "errno", "errnoName"}.
import asyncio
import ctypes
import errno as errnos
import fcntl
import json
import os
import signal
import socket
import struct
import sys
import threading


def text(b):
    return b.decode('utf-8', 'replace')


async def wait_exit(proc, timeout):
    try:
        await asyncio.wait_for(proc.wait(), timeout)
    except asyncio.TimeoutError:
        try:
            proc.kill()
        except ProcessLookupError:
            pass
        await proc.wait()
        return 'SIGKILL'
    return None


async def run_plain(req, timeout):
    stdin = req.get('stdin')
    proc = await asyncio.create_subprocess_exec(
        req['file'], *req.get('args', []), cwd=req.get('cwd'), env=req.get('env'),
        stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        start_new_session=bool(req.get('detached')))
    comm = asyncio.ensure_future(proc.communicate(stdin.encode() if stdin is not None else None))
    try:
        out, err = await asyncio.wait_for(asyncio.shield(comm), timeout)
        killed = None
    except asyncio.TimeoutError:
        killed = 'SIGKILL'
        try:
            proc.kill()
        except ProcessLookupError:
            pass
        out, err = await comm
    answer = {'code': proc.returncode if proc.returncode is not None and proc.returncode >= 0 else 128 + (-(proc.returncode or 0)),
              'stdout': text(out), 'stderr': text(err)}
    if killed or (proc.returncode is not None and proc.returncode < 0):
        answer['signal'] = killed or signal.Signals(-proc.returncode).name
    return answer


async def run_synced(req, timeout):
    sync = req['sync']
    loop = asyncio.get_running_loop()
    sync_r, sync_w = os.pipe()
    start_r, start_w = os.pipe()
    env = dict(req.get('env') or os.environ)
    env[sync['env']] = str(sync_w)
    env[sync['startEnv']] = str(start_r)
    try:
        proc = await asyncio.create_subprocess_exec(
            req['file'], *req.get('args', []), cwd=req.get('cwd'), env=env,
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
            pass_fds=(sync_w, start_r), start_new_session=bool(req.get('detached')))
    finally:
        os.close(sync_w)
        os.close(start_r)
    try:
        os.write(start_w, sync.get('start', '').encode())
    except OSError:
        pass
    os.close(start_w)
    reader = asyncio.StreamReader()
    transport, _ = await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(sync_r, 'rb', 0))
    err_chunks = []

    async def drain_stderr():
        while True:
            chunk = await proc.stderr.read(65536)
            if not chunk:
                return
            err_chunks.append(chunk)
    stderr_task = asyncio.ensure_future(drain_stderr())

    async def read_answer():
        buf = b''
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                return buf, True
            buf += chunk
            try:
                json.loads(buf)
                return buf, False
            except ValueError:
                continue
    try:
        answer, eof = await asyncio.wait_for(read_answer(), timeout)
    except asyncio.TimeoutError:
        answer, eof = b'', True
    finally:
        transport.close()
    if eof:
        # No answer: what the child said on stderr explains why; give it a moment to finish saying it.
        try:
            await asyncio.wait_for(asyncio.shield(stderr_task), 0.2)
        except asyncio.TimeoutError:
            pass
    stderr_task.cancel()
    # The direct child (conmon's parent half) exits once its monitor is detached.
    asyncio.ensure_future(wait_exit(proc, 30))
    return {'code': 0 if not eof else (proc.returncode or 1), 'stdout': '', 'stderr': text(b''.join(err_chunks)), 'sync': text(answer)}


MOUNT_FLAGS = {'ro': 0x1, 'nosuid': 0x2, 'nodev': 0x4, 'noexec': 0x8, 'bind': 0x1000,
               'rec': 0x4000, 'private': 0x40000, 'slave': 0x80000, 'shared': 0x100000}
CLONE_FLAGS = {'ipc': 0x08000000, 'uts': 0x04000000, 'net': 0x40000000}
MNT_DETACH = 2
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
_libc = None


def libc():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
        _libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
        _libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
        _libc.unshare.argtypes = [ctypes.c_int]
        _libc.sethostname.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
    return _libc


def check(ret, what):
    if ret != 0:
        e = ctypes.get_errno()
        raise OSError(e, f'{what}: {os.strerror(e)}')


def b(s):
    return s.encode() if s is not None else None


def do_mount(req):
    flags = 0
    for f in req.get('flags', []):
        flags |= MOUNT_FLAGS[f]
    # Overlay lower dirs may be relative (the options must fit a page); they are resolved against
    # the cwd of the mount call. No await between the chdirs: no other request runs in between.
    cwd = req.get('cwd')
    if cwd:
        os.chdir(cwd)
    try:
        check(libc().mount(b(req.get('source')), b(req['target']), b(req.get('fstype')), flags, b(req.get('data'))),
              f"mount {req['target']}")
    finally:
        if cwd:
            os.chdir('/')


def do_umount(req):
    check(libc().umount2(b(req['target']), MNT_DETACH if req.get('lazy') else 0), f"umount {req['target']}")


def loopback_up():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        ifr = struct.pack('16sH22x', b'lo', 0)
        flags = struct.unpack('16sH22x', fcntl.ioctl(sock, SIOCGIFFLAGS, ifr))[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack('16sH22x', b'lo', flags | IFF_UP))
    finally:
        sock.close()


def pin_on_this_thread(req):
    # unshare(2) of IPC, UTS and network namespaces moves the calling thread alone; the bind mounts
    # land in the host's mount namespace (threads share it, it is not unshared) and keep the new
    # namespaces alive after the thread ends. /proc/thread-self, not /proc/self: the process's own
    # namespaces stay the host's.
    ns = req['ns']
    L = libc()
    flags = 0
    for kind in ns:
        flags |= CLONE_FLAGS[kind]
    check(L.unshare(flags), 'unshare')
    if 'uts' in ns and req.get('hostname'):
        name = req['hostname'].encode()
        check(L.sethostname(name, len(name)), 'sethostname')
    if 'net' in ns:
        loopback_up()
    for kind, path in ns.items():
        check(L.mount(f'/proc/thread-self/ns/{kind}'.encode(), path.encode(), None, MOUNT_FLAGS['bind'], None),
              f'pinning the {kind} namespace at {path}')


async def do_pin(req):
    # A thread of its own that then ends (never a pooled one, which would stay in the namespaces):
    # cheaper than forking this process, whose page tables a fork copies and whose exit unmaps them.
    loop = asyncio.get_running_loop()
    done = loop.create_future()

    def run():
        try:
            pin_on_this_thread(req)
            loop.call_soon_threadsafe(done.set_result, None)
        except BaseException as e:  # noqa: BLE001 — the caller reports it
            loop.call_soon_threadsafe(done.set_exception, e if isinstance(e, OSError) else OSError(errnos.EIO, str(e)))
    threading.Thread(target=run, name='pin', daemon=True).start()
    await done


async def run_op(req):
    op = req['op']
    if op == 'mount':
        do_mount(req)
    elif op == 'umount':
        do_umount(req)
    elif op == 'pin':
        await do_pin(req)
    else:
        raise ValueError(f'unknown op {op}')
    return {'code': 0}


async def handle(req, write):
    try:
        timeout = (req.get('timeoutMs') or 60000) / 1000
        if req.get('op'):
            result = await run_op(req)
        else:
            result = await (run_synced(req, timeout) if req.get('sync') else run_plain(req, timeout))
        result['id'] = req['id']
    except Exception as e:  # noqa: BLE001 — reported to the caller, who owns the error
        code = getattr(e, 'errno', None)
        message = e.strerror if isinstance(e, OSError) and e.strerror and req.get('op') else f'{type(e).__name__}: {e}'
        result = {'id': req.get('id'), 'error': message, 'errno': code,
                  'errnoName': errnos.errorcode.get(code) if isinstance(code, int) else None}
    write(result)


def use_pidfd_watcher(loop):
    # Python 3.11 waits for each child on a thread of its own; a pidfd in the event loop costs a
    # third less per command. 3.12 and later choose pidfds themselves.
    if sys.version_info >= (3, 12) or not hasattr(os, 'pidfd_open'):
        return
    try:
        os.close(os.pidfd_open(os.getpid()))
    except OSError:
        return  # a kernel before 5.3
    watcher = asyncio.PidfdChildWatcher()
    watcher.attach_loop(loop)
    asyncio.set_child_watcher(watcher)


async def main():
    # Ctrl-C in a terminal reaches the whole process group: the server shuts down and may still need us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    loop = asyncio.get_running_loop()
    use_pidfd_watcher(loop)
    reader = asyncio.StreamReader(limit=1 << 26)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    out = sys.stdout

    def write(obj):
        out.write(json.dumps(obj) + '\n')
        out.flush()
    tasks = set()
    while True:
        line = await reader.readline()
        if not line:
            # The server is gone: so are we, at once (children started detached live on; waiting
            # for the others would only hold their pipes).
            sys.stdout.flush()
            os._exit(0)
        try:
            req = json.loads(line)
        except ValueError:
            continue
        t = asyncio.ensure_future(handle(req, write))
        tasks.add(t)
        t.add_done_callback(tasks.discard)


asyncio.run(main())
