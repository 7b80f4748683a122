// Keeps one nftables table equal to a desired state that changes over time: each change
// schedules a sync, bursts coalesce into one transaction, a sync applies only the difference
// from the last applied state, a failed apply rebuilds the table whole, and stopping removes it.
import type { Logger } from '../base/log.ts';
import { NftCli, removeTableScript, type Nft } from './nft.ts';
import { diffScript, type TableState } from './table-state.ts';

export interface DesiredTable {
  state: TableState;
  /** Runs once `state` is in the kernel (e.g. forgetting flows the old rules allowed). */
  applied?: () => Promise<void>;
}

export interface TableSyncerOptions {
  /** The table (`ip` family) this syncer owns. */
  table: string;
  /** The fixed part: the table with its hooks and (empty) maps, as `nft -f` text. */
  baseScript: string;
  /** The fixed part as state: the empty maps `baseScript` declares. */
  emptyState: () => TableState;
  /** The state the table should have now. */
  desired: () => DesiredTable;
  log: Logger;
  nft?: Nft;
  /** Least time between two syncs, so bursts of changes make one transaction. */
  minSyncIntervalMs?: number;
}

export interface SyncStats { syncs: number; lastSyncMs: number; lastScriptLines: number }

export class TableSyncer {
  readonly #o: TableSyncerOptions;
  readonly #nft: Nft;
  #applied: TableState | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #dirty = false;
  #lastSync = 0;
  #stopped = false;
  #removed: Promise<void> | undefined;
  readonly stats: SyncStats = { syncs: 0, lastSyncMs: 0, lastScriptLines: 0 };

  constructor(o: TableSyncerOptions) {
    this.#o = o;
    this.#nft = o.nft ?? new NftCli();
  }

  /** A sync soon (at most one per minSyncIntervalMs). */
  schedule(): void {
    if (this.#stopped) return;
    this.#dirty = true;
    if (this.#timer || this.#running) return;
    const wait = Math.max(0, this.#lastSync + (this.#o.minSyncIntervalMs ?? 20) - Date.now());
    this.#timer = setTimeout(() => { this.#timer = undefined; void this.syncNow(); }, wait);
  }

  /** A sync now, or after the one running; resolves when it is done. */
  async syncNow(): Promise<void> {
    if (this.#running) { this.#dirty = true; return this.#running; }
    this.#dirty = false;
    this.#running = this.#sync().finally(() => {
      this.#running = undefined;
      this.#lastSync = Date.now();
      if (this.#dirty) this.schedule();
    });
    return this.#running;
  }

  async #sync(): Promise<void> {
    if (this.#stopped) return;
    const started = performance.now();
    const { state, applied } = this.#o.desired();
    const { table } = this.#o;
    const script = this.#applied
      ? diffScript(table, this.#applied, state)
      : `${removeTableScript(table)}${this.#o.baseScript}\n${diffScript(table, this.#o.emptyState(), state)}`;
    try {
      if (script) await this.#nft.apply(script);
      this.#applied = state;
    } catch (err) {
      // The kernel's table may differ from what we believe: rebuild it whole, a second from now.
      this.#o.log.error('applying nftables rules failed; rebuilding the table', { table, err });
      this.#applied = undefined;
      setTimeout(() => this.schedule(), 1000).unref();
      return;
    }
    await applied?.();
    this.stats.syncs++;
    this.stats.lastSyncMs = performance.now() - started;
    this.stats.lastScriptLines = script.split('\n').length - 1;
  }

  /** Stops syncing and removes the table (once, however often called). */
  remove(): Promise<void> {
    this.#removed ??= (async () => {
      this.#stopped = true;
      if (this.#timer) clearTimeout(this.#timer);
      await this.#running?.catch(() => undefined);
      await this.#nft.apply(removeTableScript(this.#o.table)).catch((err) => this.#o.log.warn('removing the nftables table failed', { table: this.#o.table, err }));
    })();
    return this.#removed;
  }
}
