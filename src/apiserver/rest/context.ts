// What every REST handler works with. One per API server.
import type { Store } from '../../storage/store.ts';
import type { TypeDefs } from '../../api/schema/model.ts';
import type { Logger } from '../../base/log.ts';
import type { WatchCache } from '../watchcache/watch-cache.ts';
import type { ApiRegistry } from '../registry.ts';
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';

export interface UserInfo {
  username: string;
  groups: string[];
  uid?: string;
  /** What else the authenticator knows (e.g. the pod a service account token is bound to). */
  extra?: Record<string, string[]>;
}

/** What else an admission step may need to know about the write. */
export interface AdmissionAttributes {
  /** Nothing will be stored: check, but change nothing elsewhere (e.g. no quota charge). */
  dryRun: boolean;
  /** The subresource written ('status', 'finalize'), absent for the object itself. */
  subresource?: string;
}

/** An admission step run on every write after defaulting and validation, before storage. */
export interface Admission {
  name: string;
  admit(op: 'CREATE' | 'UPDATE' | 'DELETE', desc: ResourceDescription, obj: KubeObject, old: KubeObject | undefined, ctx: ApiContext, attrs?: AdmissionAttributes): Promise<void>;
}

/** What a write claimed from a shared pool, settled once the write's outcome is known. */
export interface Reservation {
  /** The write was stored: let go of what the object held before and no longer holds. */
  commit(): Promise<void>;
  /** The write failed: give back what was claimed for it. */
  rollback(): Promise<void>;
}

/**
 * Hands out values unique across the cluster that an object may leave to the server (service
 * cluster IPs and node ports), as upstream's service REST storage does around its writes.
 */
export interface Allocator {
  name: string;
  /** After validation and admission: fills in and claims what the object needs; a 422 when a requested value is taken or out of range. */
  reserve(op: 'CREATE' | 'UPDATE', desc: ResourceDescription, obj: KubeObject, old: KubeObject | undefined, dryRun: boolean): Promise<Reservation | undefined>;
  /** The object is gone from storage: release what it held. */
  release(desc: ResourceDescription, obj: KubeObject): Promise<void>;
}

export interface ApiContext {
  store: Store;
  cache: WatchCache;
  registry: ApiRegistry;
  defs: TypeDefs;
  log: Logger;
  admission: Admission[];
  /** Claim server-allocated values of objects (absent: nothing is allocated). */
  allocators?: Allocator[];
  now(): Date;
}

export interface RequestContext {
  user: UserInfo;
  query: URLSearchParams;
  /** Warnings to send as Warning headers. */
  warnings: string[];
}
