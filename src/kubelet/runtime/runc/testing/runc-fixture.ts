// What the runc runtime's tests share: an image store with one busybox image, a RuncRuntime with
// its own state and run directories, a network namespace and a cgroup root of unique names, and
// a cleanup that removes all of it (also what a failed test left).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ImageStore } from '../../../images/index.ts';
import { buildBusyboxImage } from '../../../images/testing/busybox-image.ts';
import { createNetns, deleteNetns } from '../../../network/index.ts';
import { RuncRuntime } from '../runc-runtime.ts';
import { removeCgroupTree } from '../cgroups.ts';
import type { ContainerStatus } from '../../runtime.ts';

export class RuncFixture {
  readonly suffix = randomBytes(4).toString('hex');
  readonly tmp: string;
  readonly runDir: string;
  readonly cgroupRoot: string;
  readonly netns: string;
  readonly store: ImageStore;
  runtime!: RuncRuntime;
  imageId = '';
  netnsPath = '';

  /** Names start with `prefix` (short: network namespace names are limited). */
  constructor(prefix: string) {
    this.tmp = mkdtempSync(join(tmpdir(), `navarch-${prefix}-`));
    this.runDir = `/run/navarch-${prefix}-${this.suffix}`;
    this.cgroupRoot = `navarch-${prefix}-${this.suffix}`;
    this.netns = `navarch-${prefix}-${this.suffix}`;
    this.store = new ImageStore(join(this.tmp, 'images'));
  }

  /** Builds and imports the image, starts the runtime and makes the network namespace. */
  async start(image: { name: string; cmd: string[] }): Promise<this> {
    const archive = join(this.tmp, 'image.tar');
    await buildBusyboxImage(archive, image);
    this.imageId = (await this.store.importArchive(archive))[0]!.id;
    this.runtime = new RuncRuntime({ stateDir: join(this.tmp, 'runtime'), runDir: this.runDir, rootfs: this.store });
    await this.runtime.init();
    this.netnsPath = await createNetns(this.netns);
    return this;
  }

  /** Every sandbox (and so every container) goes, then the host state. */
  async cleanup(): Promise<void> {
    const rt = this.runtime;
    if (rt) {
      for (const s of await rt.listPodSandboxes().catch(() => [])) await rt.removePodSandbox(s.id).catch(() => undefined);
      for (const c of await rt.listContainers().catch(() => [])) await rt.removeContainer(c.id).catch(() => undefined);
    }
    await deleteNetns(this.netns).catch(() => undefined);
    await removeCgroupTree(this.cgroupRoot).catch(() => undefined);
    rmSync(this.runDir, { recursive: true, force: true });
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** Polls a container's status until `want` holds; fails after ms with the last status. */
export async function waitForContainer(rt: RuncRuntime, id: string, want: (s: ContainerStatus) => boolean, ms = 10_000): Promise<ContainerStatus> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await rt.containerStatus(id);
    if (s && want(s)) return s;
    if (Date.now() > deadline) throw new Error(`container ${id}: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
