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

export interface ApiContext {
  store: Store;
  cache: WatchCache;
  registry: ApiRegistry;
  defs: TypeDefs;
  log: Logger;
  admission: Admission[];
  now(): Date;
}

export interface RequestContext {
  user: UserInfo;
  query: URLSearchParams;
  /** Warnings to send as Warning headers. */
  warnings: string[];
}
