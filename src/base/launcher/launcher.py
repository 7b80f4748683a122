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
import asyncio
import json
import os
import signal
import sys


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


async def handle(req, write):
    try:
        timeout = (req.get('timeoutMs') or 60000) / 1000
        result = await (run_synced(req, timeout) if req.get('sync') else run_plain(req, timeout))
        result['id'] = req['id']
    except Exception as e:  # noqa: BLE001 — reported to the caller, who owns the error
        result = {'id': req.get('id'), 'error': f'{type(e).__name__}: {e}', 'errno': getattr(e, 'errno', None)}
    write(result)


async def main():
    # Ctrl-C in a terminal reaches the whole process group: the server shuts down and may still need us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    loop = asyncio.get_running_loop()
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
            return  # the server is gone: so are we (children started detached live on)
        try:
            req = json.loads(line)
        except ValueError:
            continue
        t = asyncio.ensure_future(handle(req, write))
        tasks.add(t)
        t.add_done_callback(tasks.discard)


asyncio.run(main())
