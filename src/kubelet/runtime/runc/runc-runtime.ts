// The runc runtime: a pod sandbox holds the pod's IPC and UTS namespaces (beside the network
// namespace the pod network made) as bind-mounted files; containers join them. Only a pod whose
// containers share a PID namespace gets a pause process (catatonit -P) to hold them all and reap.
// Every container runs under conmon, so containers outlive restarts of the node agent.
// Layout, as containerd and CRI-O keep it: the records (what the agent needs to find its sandboxes
// and containers again) and each container's writable layer are on disk under stateDir; bundles
// (config.json, conmon's pid files, the rootfs mount point) are volatile, in the run directory's
// tmpfs, like runc's own state. Files on disk cost an inode allocation each; a bundle is half a
// dozen files per container.
import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile, rename, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type {
  ContainerConfig, ContainerRuntime, ContainerStatus, ExecOptions, PodFilter, SandboxConfig, SandboxStatus,
} from '../runtime.ts';
import { RuncCli } from './runc-cli.ts';
import { ProcessStates } from './process-state.ts';
import { launchConmon } from './conmon.ts';
import { buildSpec, capabilitySet, DEFAULT_PATH } from './oci-spec.ts';
import { resolveUser } from './user.ts';
import { pinNamespaces, unpinNamespaces } from './namespace-pins.ts';
import { checkMountPropagation } from './mount-propagation.ts';

/** Where a container's root filesystem is mounted, and its writable layer (two directories of one filesystem). */
export interface RootfsPaths {
  rootfs: string;
  upper: string;
  work: string;
}

/** How container root filesystems are made (the node's image store). */
export interface RootfsProvider {
  /** Mounts the image at paths.rootfs over the writable layer; returns the mount point. */
  mountRootfs(imageId: string, paths: RootfsPaths): Promise<string>;
  /** Unmounts rootfs when mounted. */
  unmountRootfs(rootfs: string): Promise<void>;
}

export interface RuncRuntimeOptions {
  /** Persistent state: records and writable layers (e.g. <data-dir>/kubelet/runtime). */
  stateDir: string;
  /** Volatile state on tmpfs: bundles, runc's root, conmon's sockets and exit files (short: unix socket paths). */
  runDir: string;
  rootfs: RootfsProvider;
  /** The pause binary (static) copied into the sandboxes' root filesystem. */
  pauseBinary?: string;
  /** Log rotation size for container logs. */
  logSizeMax?: number;
}

/**
 * What is kept of a sandbox: its config (but the hostname, which lives in its UTS namespace), and
 * its state. pinned: namespaces held by files (absent: by a pause process, as all were before).
 */
type SandboxRecord = Omit<SandboxConfig, 'hostname'> & { id: string; createdAt: number; stopped?: boolean; pinned?: boolean };

interface ContainerRecord {
  id: string;
  sandboxId: string;
  name: string;
  attempt: number;
  imageId: string;
  imageRef: string;
  createdAt: number;
  startedAt?: number;
  logPath: string;
  labels: Record<string, string>;
  /** How the container's stdio was set up (absent in records of older agents). */
  stdio?: ContainerStdio;
  /** Stop reason we caused, reported instead of the plain exit (none today besides OOM from conmon). */
}

/** A container's stdio as created: what attach may do with it. */
export interface ContainerStdio {
  stdin: boolean;
  /** The first attach session that ends closes stdin. */
  stdinOnce: boolean;
  tty: boolean;
}

const newId = () => randomBytes(16).toString('hex');

/** Absolute from each hierarchy's root: runc nests a relative path under the caller's own cgroup. */
const cgroupsPath = (parent: string, id: string) => `/${parent.replace(/^\/+|\/+$/g, '')}/${id}`;

async function writeJson(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, JSON.stringify(value));
  await rename(tmp, path);
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try { return JSON.parse(await readFile(path, 'utf8')) as T; } catch { return undefined; }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RuncRuntime implements ContainerRuntime {
  readonly #o: RuncRuntimeOptions;
  readonly #runc: RuncCli;
  /** Records: <id>.json per sandbox and per container. */
  readonly #sandboxDir: string;
  readonly #containerDir: string;
  /** Writable layers: <id>.upper and <id>.work per container (flat: a directory less to make per container). */
  readonly #writableDir: string;
  /** Bundles, on tmpfs: <id>/ per container and per pause process. */
  readonly #bundleDir: string;
  readonly #exitDir: string;
  readonly #socketDir: string;
  readonly #pauseRootfs: string;
  readonly #pinDir: string;
  readonly #processes = new ProcessStates();
  /** Records by id, read from disk once (the files are only rewritten by this process). */
  readonly #containers = new Map<string, ContainerRecord>();
  readonly #sandboxes = new Map<string, SandboxRecord>();
  #loaded = false;

  constructor(o: RuncRuntimeOptions) {
    this.#o = o;
    this.#runc = new RuncCli(join(o.runDir, 'runc'));
    this.#sandboxDir = join(o.stateDir, 'sandboxes');
    this.#containerDir = join(o.stateDir, 'containers');
    this.#writableDir = join(o.stateDir, 'writable');
    this.#bundleDir = join(o.runDir, 'bundles');
    this.#exitDir = join(o.runDir, 'exits');
    this.#socketDir = join(o.runDir, 's');
    this.#pauseRootfs = join(o.stateDir, 'pause-rootfs');
    this.#pinDir = join(o.runDir, 'ns');
  }

  /** Creates the directories and the pause root filesystem; call once before use. */
  async init(): Promise<void> {
    for (const d of [this.#sandboxDir, this.#containerDir, this.#writableDir, this.#bundleDir, this.#exitDir, this.#socketDir, this.#pinDir, join(this.#o.runDir, 'runc')]) await mkdir(d, { recursive: true });
    const pause = join(this.#pauseRootfs, 'pause');
    if (!existsSync(pause)) {
      await mkdir(join(this.#pauseRootfs, 'proc'), { recursive: true });
      for (const d of ['dev', 'sys', 'etc']) await mkdir(join(this.#pauseRootfs, d), { recursive: true });
      await copyFile(this.#o.pauseBinary ?? '/usr/bin/catatonit', `${pause}.tmp`);
      await chmod(`${pause}.tmp`, 0o755);
      await rename(`${pause}.tmp`, pause);
    }
  }

  get runc(): RuncCli { return this.#runc; }

  /**
   * conmon's socket directory (`--socket-dir-path`): per container a short link to its bundle,
   * holding the attach socket, the ctl fifo and conmon.pid.
   */
  get conmonSocketDir(): string { return this.#socketDir; }

  /** How the container's stdio was created; undefined for an unknown container or an older record. */
  async containerStdio(id: string): Promise<ContainerStdio | undefined> {
    return (await this.#container(id))?.stdio;
  }

  /** Reads the records of sandboxes and containers made before (by an earlier agent) once. */
  async #load(): Promise<void> {
    if (this.#loaded) return;
    for (const id of await this.#recordIds(this.#sandboxDir)) {
      const r = await readJson<SandboxRecord>(this.#sandboxRecord(id));
      if (r) this.#sandboxes.set(id, r);
    }
    for (const id of await this.#recordIds(this.#containerDir)) {
      const r = await readJson<ContainerRecord>(this.#containerRecord(id));
      if (r) this.#containers.set(id, r);
    }
    this.#loaded = true;
  }

  async #recordIds(dir: string): Promise<string[]> {
    return (await this.#ids(dir)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length));
  }

  #sandboxRecord(id: string): string { return join(this.#sandboxDir, `${id}.json`); }
  #containerRecord(id: string): string { return join(this.#containerDir, `${id}.json`); }
  #bundle(id: string): string { return join(this.#bundleDir, id); }

  #rootfsPaths(id: string): RootfsPaths {
    return { rootfs: join(this.#bundle(id), 'rootfs'), upper: join(this.#writableDir, `${id}.upper`), work: join(this.#writableDir, `${id}.work`) };
  }

  #state(id: string, exitSeenAbsent = false): { status: 'alive' | 'exited' | 'absent' | 'lost'; pid?: number } {
    return this.#processes.status(id, this.#bundle(id), this.#exitDir, exitSeenAbsent);
  }

  // ---- sandboxes ----

  async runPodSandbox(c: SandboxConfig): Promise<string> {
    const id = newId();
    const { hostname: _hostname, netnsReady, ...config } = c;
    const pinned = !(c.shareProcessNamespace && !c.hostPID);
    const record: SandboxRecord = { ...config, id, createdAt: Date.now(), ...(pinned ? { pinned } : {}) };
    await this.#load();
    await writeJson(this.#sandboxRecord(id), record);
    this.#sandboxes.set(id, record);
    try {
      if (pinned) await pinNamespaces(join(this.#pinDir, id), { ipc: !c.hostIPC, uts: !c.hostNetwork, hostname: c.hostname });
      else {
        await netnsReady;
        await this.#startPause(id, c);
      }
    } catch (e) {
      await this.removePodSandbox(id).catch(() => undefined);
      throw e;
    }
    return id;
  }

  /** The pause process holding the namespaces of a sandbox whose containers share a PID namespace. */
  async #startPause(id: string, c: SandboxConfig): Promise<void> {
    const dir = this.#bundle(id);
    await mkdir(dir, { recursive: true });
    const spec = buildSpec({
      rootfs: this.#pauseRootfs, readonlyRootfs: true, args: ['/pause', '-P'], env: [DEFAULT_PATH], cwd: '/',
      user: { uid: 0, gid: 0, additionalGids: [] }, terminal: false, hostname: c.hostNetwork ? undefined : c.hostname,
      namespaces: { network: c.netnsPath, hostNetwork: c.hostNetwork, hostPID: c.hostPID, hostIPC: c.hostIPC },
      mounts: [], resources: { cpuShares: 2 }, capabilities: [], noNewPrivileges: true, privileged: false,
      cgroupsPath: cgroupsPath(c.cgroupParent, id),
    });
    await writeJson(join(dir, 'config.json'), spec);
    await launchConmon({ id, bundle: dir, runcRoot: this.#runc.root, logPath: join(dir, 'pause.log'), exitDir: this.#exitDir, socketDir: this.#socketDir, persistDir: dir });
    await this.#runc.start(id);
  }

  /** The namespace files of a pinned sandbox (none for what it shares with the host). */
  #pins(r: SandboxRecord): { ipc?: string; uts?: string } {
    return {
      ipc: r.hostIPC ? undefined : join(this.#pinDir, r.id, 'ipc'),
      uts: r.hostNetwork ? undefined : join(this.#pinDir, r.id, 'uts'),
    };
  }

  /** A sandbox holds its namespaces: its pins are there (gone after a reboot), or its pause process runs. */
  #sandboxAlive(r: SandboxRecord): boolean {
    if (!r.pinned) return this.#state(r.id).status === 'alive';
    return Object.values(this.#pins(r)).every((f) => f === undefined || existsSync(f));
  }

  async #sandbox(id: string): Promise<SandboxRecord | undefined> {
    await this.#load();
    return this.#sandboxes.get(id);
  }

  /** The namespaces a container of the sandbox joins, by path (none: a new one, or the host's per the flags). */
  #sandboxNamespaces(r: SandboxRecord): { network?: string; ipc?: string; uts?: string; pid?: string } {
    if (r.pinned) {
      if (!this.#sandboxAlive(r)) throw new Error(`pod sandbox ${r.id} is not ready: its namespaces are gone`);
      return { network: r.netnsPath, ...this.#pins(r) };
    }
    const s = this.#state(r.id);
    if (s.status !== 'alive' || !s.pid) throw new Error(`pod sandbox ${r.id} is not running`);
    const ns = (kind: string) => `/proc/${s.pid}/ns/${kind}`;
    return { network: r.netnsPath ?? ns('net'), ipc: ns('ipc'), uts: ns('uts'), pid: r.shareProcessNamespace ? ns('pid') : undefined };
  }

  /** The containers of a sandbox (looked up through its pod when the sandbox is known). */
  async #containersOf(sandboxId: string): Promise<ContainerStatus[]> {
    const rec = await this.#sandbox(sandboxId);
    return (await this.listContainers(rec ? { podUid: rec.pod.uid } : undefined)).filter((c) => c.sandboxId === sandboxId);
  }

  async stopPodSandbox(id: string): Promise<void> {
    const containers = (await this.#containersOf(id)).filter((c) => c.state === 'running');
    await Promise.all(containers.map((c) => this.stopContainer(c.id, 0)));
    const rec = await this.#sandbox(id);
    if (!rec?.pinned) await this.#stopProcess(id, 0, true);
    if (rec && !rec.stopped) {
      const next = { ...rec, stopped: true };
      await writeJson(this.#sandboxRecord(id), next);
      this.#sandboxes.set(id, next);
    }
  }

  async removePodSandbox(id: string): Promise<void> {
    await this.stopPodSandbox(id);
    for (const c of await this.#containersOf(id)) await this.removeContainer(c.id);
    if ((await this.#sandbox(id))?.pinned) await unpinNamespaces(join(this.#pinDir, id));
    else await this.#runc.delete(id);
    await rm(join(this.#exitDir, id), { force: true });
    await rm(join(this.#socketDir, id), { recursive: true, force: true });
    await rm(this.#bundle(id), { recursive: true, force: true });
    // The record goes last: whatever is left after a crash here is still found through it.
    await rm(this.#sandboxRecord(id), { force: true });
    this.#sandboxes.delete(id);
    this.#processes.forget(id);
  }

  async listPodSandboxes(filter?: PodFilter): Promise<SandboxStatus[]> {
    await this.#load();
    const out: SandboxStatus[] = [];
    for (const [id, r] of this.#sandboxes) {
      if (filter && r.pod.uid !== filter.podUid) continue;
      const alive = this.#sandboxAlive(r);
      out.push({ id, pod: r.pod, attempt: r.attempt, createdAt: r.createdAt, netnsPath: r.netnsPath, labels: r.labels, state: alive && !r.stopped ? 'ready' : 'notready' });
    }
    return out;
  }

  // ---- containers ----

  async createContainer(c: ContainerConfig): Promise<string> {
    const sandbox = await this.#sandbox(c.sandboxId);
    if (!sandbox) throw new Error(`pod sandbox ${c.sandboxId} not found`);
    const joined = this.#sandboxNamespaces(sandbox);
    if (c.targetContainerId) {
      const target = this.#state(c.targetContainerId);
      if (target.status !== 'alive' || !target.pid) throw new Error(`target container ${c.targetContainerId} is not running`);
      joined.pid = `/proc/${target.pid}/ns/pid`;
    }
    const id = newId();
    const dir = this.#bundle(id);
    const record: ContainerRecord = {
      id, sandboxId: c.sandboxId, name: c.name, attempt: c.attempt, imageId: c.imageId, imageRef: c.imageRef,
      createdAt: Date.now(), logPath: c.logPath, labels: c.labels,
      stdio: { stdin: c.stdin, stdinOnce: c.stdin && c.stdinOnce === true, tty: c.tty },
    };
    await writeJson(this.#containerRecord(id), record);
    this.#containers.set(id, record);
    try {
      await checkMountPropagation(c.mounts);
      await mkdir(dir);
      const rootfs = await this.#o.rootfs.mountRootfs(c.imageId, this.#rootfsPaths(id));
      const user = await resolveUser(rootfs, c.imageUser, c.security.runAsUser, c.security.runAsGroup, c.security.supplementalGroups);
      const privileged = c.security.privileged === true;
      const spec = buildSpec({
        rootfs, readonlyRootfs: c.security.readOnlyRootFilesystem === true, args: c.args, env: c.env, cwd: c.workingDir,
        user, terminal: c.tty,
        namespaces: {
          ...joined,
          hostNetwork: sandbox.hostNetwork, hostPID: sandbox.hostPID, hostIPC: sandbox.hostIPC,
        },
        mounts: c.mounts, resources: c.resources,
        capabilities: capabilitySet(privileged, c.security.capabilitiesAdd, c.security.capabilitiesDrop),
        // allowPrivilegeEscalation defaults to true upstream; false sets no_new_privs.
        noNewPrivileges: !privileged && c.security.allowPrivilegeEscalation === false,
        privileged, cgroupsPath: cgroupsPath(sandbox.cgroupParent, id),
      });
      await writeJson(join(dir, 'config.json'), spec);
      await mkdir(join(c.logPath, '..'), { recursive: true });
      await launchConmon({
        id, bundle: dir, runcRoot: this.#runc.root, logPath: c.logPath, exitDir: this.#exitDir, socketDir: this.#socketDir,
        persistDir: dir, stdin: c.stdin, leaveStdinOpen: c.stdinOnce !== true, terminal: c.tty, logSizeMax: this.#o.logSizeMax,
      });
    } catch (e) {
      await this.removeContainer(id).catch(() => undefined);
      throw e;
    }
    return id;
  }

  async #container(id: string): Promise<ContainerRecord | undefined> {
    await this.#load();
    return this.#containers.get(id);
  }

  async startContainer(id: string): Promise<void> {
    const rec = await this.#container(id);
    if (!rec) throw new Error(`container ${id} not found`);
    await this.#runc.start(id);
    const next = { ...rec, startedAt: Date.now() };
    this.#containers.set(id, next);
    await writeJson(this.#containerRecord(id), next);
  }

  async stopContainer(id: string, gracePeriodSeconds: number): Promise<void> {
    await this.#stopProcess(id, gracePeriodSeconds);
  }

  /** SIGTERM, then SIGKILL after the grace period; resolves once conmon recorded the exit. */
  async #stopProcess(id: string, graceSeconds: number, isPause = false): Promise<void> {
    const st = this.#state(id);
    if (st.status !== 'alive') return;
    const started = isPause || (await this.#container(id))?.startedAt !== undefined;
    if (graceSeconds > 0 && started) {
      await this.#runc.kill(id, 'TERM');
      if (await this.#waitExit(id, graceSeconds * 1000)) return;
    }
    // Never started (runc init waits for start) or past its grace period.
    await this.#runc.kill(id, 'KILL', true);
    await this.#waitExit(id, 10_000);
  }

  async #waitExit(id: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      if (this.#state(id).status !== 'alive') return true;
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(delay, Math.max(1, deadline - Date.now())));
    }
  }

  async removeContainer(id: string): Promise<void> {
    if (this.#state(id).status === 'alive') await this.#stopProcess(id, 0);
    await this.#runc.delete(id);
    const paths = this.#rootfsPaths(id);
    await this.#o.rootfs.unmountRootfs(paths.rootfs);
    await rm(join(this.#exitDir, id), { force: true });
    await rm(join(this.#socketDir, id), { recursive: true, force: true });
    await rm(this.#bundle(id), { recursive: true, force: true });
    await rm(paths.upper, { recursive: true, force: true });
    await rm(paths.work, { recursive: true, force: true });
    // The record goes last: whatever is left after a crash here is still found through it.
    await rm(this.#containerRecord(id), { force: true });
    this.#containers.delete(id);
    this.#processes.forget(id);
  }

  async #ids(dir: string): Promise<string[]> {
    try { return await readdir(dir); } catch { return []; }
  }

  async listContainers(filter?: PodFilter): Promise<ContainerStatus[]> {
    await this.#load();
    let ids = [...this.#containers.keys()];
    if (filter) {
      const sandboxes = new Set([...this.#sandboxes.values()].filter((r) => r.pod.uid === filter.podUid).map((r) => r.id));
      ids = ids.filter((id) => sandboxes.has(this.#containers.get(id)!.sandboxId));
    }
    // One directory read tells which have exited, instead of a failing open per running container.
    const exited = new Set(await this.#ids(this.#exitDir));
    const out: ContainerStatus[] = [];
    for (const id of ids) {
      const s = await this.#containerStatus(id, exited.has(id));
      if (s) out.push(s);
    }
    return out;
  }

  containerStatus(id: string): Promise<ContainerStatus | undefined> {
    return this.#containerStatus(id, true);
  }

  /** mayHaveExited false: the exit file was absent a moment ago (it is read only when it may be there). */
  async #containerStatus(id: string, mayHaveExited: boolean): Promise<ContainerStatus | undefined> {
    const rec = await this.#container(id);
    if (!rec) return undefined;
    const st = this.#state(id, !mayHaveExited);
    const base: ContainerStatus = {
      id, sandboxId: rec.sandboxId, name: rec.name, attempt: rec.attempt, imageRef: rec.imageRef, imageId: rec.imageId,
      createdAt: rec.createdAt, startedAt: rec.startedAt, logPath: rec.logPath, labels: rec.labels, state: 'unknown',
    };
    const exitFile = join(this.#exitDir, id);
    let exit: { code: number; at: number } | undefined;
    if (mayHaveExited || st.status !== 'alive') try {
      const [text, info] = await Promise.all([readFile(exitFile, 'utf8'), stat(exitFile)]);
      exit = { code: Number(text.trim()), at: info.mtimeMs };
    } catch { /* not exited (or exit not yet recorded) */ }
    if (exit) {
      const oom = existsSync(join(this.#bundle(id), 'oom'));
      return {
        ...base, state: 'exited', exitCode: exit.code, finishedAt: Math.round(exit.at),
        reason: oom ? 'OOMKilled' : exit.code === 0 ? 'Completed' : 'Error',
      };
    }
    if (st.status === 'absent') {
      if (existsSync(this.#bundle(id))) return { ...base, state: 'unknown' };
      // The bundle went with the run directory's tmpfs (a reboot): the container is gone, its exit unknown.
      return { ...base, state: 'exited', exitCode: 255, reason: 'Error', message: 'container state lost', finishedAt: rec.startedAt ?? rec.createdAt };
    }
    if (st.status === 'lost') return { ...base, state: 'exited', exitCode: 255, reason: 'Error', message: 'container state lost', finishedAt: rec.startedAt ?? rec.createdAt };
    return { ...base, state: rec.startedAt ? 'running' : 'created', pid: st.pid };
  }

  exec(id: string, cmd: string[], opts: ExecOptions, signal?: AbortSignal): Promise<number> {
    return this.#runc.exec(id, cmd, { env: opts.env, stdin: opts.stdin, stdout: opts.stdout, stderr: opts.stderr, signal });
  }
}
