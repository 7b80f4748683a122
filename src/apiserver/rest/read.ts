// get, list and watch, served from the watch cache (get reads storage, as a consistent read).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';
import { errors } from '../../api/status.ts';
import { LabelSelector, FieldSelector, SelectorError, FieldSelectorError } from '../../api/selectors/index.ts';
import { isStorageError } from '../../storage/store.ts';
import type { ApiContext, RequestContext } from './context.ts';
import { storagePrefix, fromStorage } from './storage-view.ts';
import { decodeObject, type CacheEvent } from '../watchcache/watch-cache.ts';
import { toTable, tableRow, columnDefinitions, partialMetadata, type IncludeObject } from '../table.ts';
import { parseAccept, wantsTable, wantsPartialMetadata } from '../http/negotiate.ts';
import { sendJSON } from '../http/respond.ts';
import type { ResourceStore } from './resource-store.ts';
import { isTrue } from '../http/request-info.ts';

export interface Filter {
  labels: LabelSelector;
  fields: FieldSelector;
  matches(obj: KubeObject): boolean;
}

/** Parses labelSelector/fieldSelector, rejecting fields the resource does not support, as upstream. */
export function parseFilter(desc: ResourceDescription, query: URLSearchParams): Filter {
  let labels: LabelSelector;
  let fields: FieldSelector;
  try { labels = LabelSelector.parse(query.get('labelSelector') ?? ''); } catch (e) {
    if (e instanceof SelectorError) throw errors.badRequest(e.message);
    throw e;
  }
  try { fields = FieldSelector.parse(query.get('fieldSelector') ?? ''); } catch (e) {
    if (e instanceof FieldSelectorError) throw errors.badRequest(e.message);
    throw e;
  }
  const selectable = desc.selectableFields ?? {};
  for (const f of fields.requirementsFields()) {
    if (f !== 'metadata.name' && f !== 'metadata.namespace' && !(f in selectable)) {
      throw errors.badRequest(`"${f}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    }
  }
  const fieldNames = fields.requirementsFields();
  return {
    labels, fields,
    matches(obj) {
      if (!labels.isEmpty() && !labels.matches(obj.metadata?.labels)) return false;
      if (fields.isEmpty()) return true;
      const values: Record<string, string> = { 'metadata.name': obj.metadata?.name ?? '', 'metadata.namespace': obj.metadata?.namespace ?? '' };
      for (const f of fieldNames) if (selectable[f]) values[f] = selectable[f](obj) ?? '';
      return fields.matches(values);
    },
  };
}

function includeObject(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

/** Converts an object to what the client's Accept asks for (Table, metadata only, or itself). */
export function render(desc: ResourceDescription, req: IncomingMessage, query: URLSearchParams, obj: KubeObject, now: Date): KubeObject {
  const accept = parseAccept(req.headers.accept);
  if (wantsTable(accept)) return toTable(desc, [obj], { resourceVersion: obj.metadata?.resourceVersion }, includeObject(query), now);
  if (wantsPartialMetadata(accept)) return partialMetadata(obj);
  return obj;
}

export async function handleGet(ctx: ApiContext, rs: ResourceStore, desc: ResourceDescription, ns: string, name: string, req: IncomingMessage, res: ServerResponse, rc: RequestContext): Promise<void> {
  const obj = await rs.get(desc, ns, name);
  sendJSON(res, 200, render(desc, req, rc.query, obj, ctx.now()));
}

interface ContinueToken { rv: number; start: string }

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64');
}

function decodeContinue(token: string, prefix: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad');
    return { rv: t.rv, start: prefix + t.start };
  } catch {
    throw errors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

export async function handleList(ctx: ApiContext, desc: ResourceDescription, ns: string, req: IncomingMessage, res: ServerResponse, rc: RequestContext): Promise<void> {
  const q = rc.query;
  const filter = parseFilter(desc, q);
  const prefix = storagePrefix(desc);
  const scanPrefix = desc.scope === 'Namespaced' && ns ? `${prefix}${ns}/` : prefix;
  const rvParam = q.get('resourceVersion') ?? '';
  const rvMatch = q.get('resourceVersionMatch') ?? '';
  const limit = Math.max(0, Number(q.get('limit') ?? 0) || 0);
  const cont = q.get('continue') ?? '';
  if (cont && rvParam) throw errors.badRequest('specifying resource version is not allowed when using continue');
  if (rvMatch && !rvParam) throw errors.badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (rvParam && !/^\d+$/.test(rvParam)) throw errors.badRequest(`invalid resource version: ${rvParam}`);

  let items: KubeObject[];
  let listRV: number;
  let nextStart: string | undefined;
  let remaining = 0;
  const take = (stored: { key: string; obj: KubeObject }[], startKey?: string) => {
    const all = desc.storedAs ? stored.map((c) => ({ key: c.key, obj: fromStorage(desc, c.obj) })) : stored;
    const out: KubeObject[] = [];
    let i = 0;
    if (startKey) while (i < all.length && all[i].key < startKey) i++;
    for (; i < all.length; i++) {
      const c = all[i];
      if (!filter.matches(c.obj)) continue;
      if (limit && out.length === limit) { nextStart = c.key; remaining = all.slice(i).filter((x) => filter.matches(x.obj)).length; break; }
      out.push(c.obj);
    }
    return out;
  };

  if (cont || rvMatch === 'Exact') {
    // A consistent page at an older revision: from the cache when nothing changed since, else storage.
    const token = cont ? decodeContinue(cont, scanPrefix) : { rv: Number(rvParam), start: '' };
    const cacheUnchanged = ctx.cache.revision >= token.rv && lastChange(ctx, prefix) <= token.rv;
    listRV = token.rv;
    if (cacheUnchanged) {
      items = take(ctx.cache.list(prefix, desc.scope === 'Namespaced' ? ns : undefined), token.start);
    } else {
      try {
        const out = await ctx.store.list(scanPrefix, { revision: token.rv });
        items = take(out.kvs.map((kv) => ({ key: kv.key, obj: decodeObject(kv) })), token.start);
      } catch (e) {
        if (isStorageError(e, 'Compacted')) {
          throw errors.gone('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
        }
        throw e;
      }
    }
  } else {
    if (rvParam === '') await ctx.cache.waitFresh();
    else if (rvParam !== '0') await ctx.cache.waitFor(Number(rvParam)).catch(() => {
      throw errors.timeout(`Too large resource version: ${rvParam}, current: ${ctx.cache.revision}`);
    });
    listRV = ctx.cache.revision;
    const all = ctx.cache.list(prefix, desc.scope === 'Namespaced' && ns ? ns : undefined);
    items = take(all, undefined);
    if (rvParam === '0' && nextStart) { items = all.map((c) => fromStorage(desc, c.obj)).filter((o) => filter.matches(o)); nextStart = undefined; remaining = 0; }
  }

  const listMeta: KubeObject = { resourceVersion: String(listRV) };
  if (nextStart !== undefined) {
    listMeta.continue = encodeContinue(listRV, nextStart.slice(scanPrefix.length));
    if (filter.labels.isEmpty() && filter.fields.isEmpty()) listMeta.remainingItemCount = remaining;
  }
  const accept = parseAccept(req.headers.accept);
  if (wantsTable(accept)) {
    sendJSON(res, 200, toTable(desc, items, listMeta, includeObject(q), ctx.now()));
    return;
  }
  const partial = wantsPartialMetadata(accept);
  if (partial) {
    sendJSON(res, 200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: listMeta, items: items.map(partialMetadata) });
    return;
  }
  const apiVersion = desc.group ? `${desc.group}/${desc.version}` : desc.version;
  // Objects are serialized once each and joined, to keep large lists cheap.
  const body = `{"kind":${JSON.stringify(desc.listKind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(listMeta)},"items":[${items.map((o) => JSON.stringify(o)).join(',')}]}`;
  sendJSON(res, 200, body);
}

function lastChange(ctx: ApiContext, prefix: string): number {
  const items = ctx.cache.list(prefix);
  let max = ctx.cache.oldestRevision(prefix);
  for (const c of items) if (c.rv > max) max = c.rv;
  return max;
}

const DEFAULT_WATCH_SECONDS = 1800;
const BOOKMARK_EVERY_MS = 30_000;

export async function handleWatch(ctx: ApiContext, desc: ResourceDescription, ns: string, name: string, req: IncomingMessage, res: ServerResponse, rc: RequestContext): Promise<void> {
  const q = rc.query;
  const filter = parseFilter(desc, q);
  const prefix = storagePrefix(desc);
  const nsPrefix = desc.scope === 'Namespaced' && ns ? `${prefix}${ns}/` : prefix;
  const rvParam = q.get('resourceVersion') ?? '';
  if (rvParam && !/^\d+$/.test(rvParam)) throw errors.badRequest(`invalid resource version: ${rvParam}`);
  const bookmarks = isTrue(q.get('allowWatchBookmarks'));
  const sendInitial = isTrue(q.get('sendInitialEvents'));
  const timeoutSeconds = Number(q.get('timeoutSeconds') ?? 0) || DEFAULT_WATCH_SECONDS * (1 + Math.random());
  const accept = parseAccept(req.headers.accept);
  const asTable = wantsTable(accept);
  const asPartial = !!wantsPartialMetadata(accept);
  const include = includeObject(q);
  const matchesName = (o: KubeObject) => !name || o.metadata?.name === name;

  let from: number;
  const initial: KubeObject[] = [];
  if (rvParam === '' || rvParam === '0' || sendInitial) {
    if (rvParam === '') await ctx.cache.waitFresh();
    from = ctx.cache.revision;
    for (const c of ctx.cache.list(prefix, desc.scope === 'Namespaced' && ns ? ns : undefined)) {
      const o = fromStorage(desc, c.obj);
      if (filter.matches(o) && matchesName(o)) initial.push(o);
    }
  } else {
    from = Number(rvParam);
    if (from > ctx.cache.revision) await ctx.cache.waitFor(from).catch(() => undefined);
  }

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  let headerSent = false;
  const encode = (type: string, obj: KubeObject) => {
    let out = obj;
    if (type !== 'BOOKMARK' && type !== 'ERROR') {
      if (asTable) {
        out = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: obj.metadata?.resourceVersion }, columnDefinitions: headerSent ? [] : columnDefinitions(desc), rows: [tableRow(desc, obj, ctx.now(), include)] };
        headerSent = true;
      } else if (asPartial) out = partialMetadata(obj);
    }
    return `{"type":"${type}","object":${JSON.stringify(out)}}\n`;
  };
  const write = (chunk: string) => { if (!res.writableEnded) res.write(chunk); };

  const apiVersion = desc.group ? `${desc.group}/${desc.version}` : desc.version;
  const bookmark = (rv: number) => ({ kind: desc.kind, apiVersion, metadata: { resourceVersion: String(rv) } });
  for (const o of initial) write(encode('ADDED', o));
  if (sendInitial && bookmarks) {
    const b = bookmark(from);
    b.metadata = { ...b.metadata, annotations: { 'k8s.io/initial-events-end': 'true' } } as any;
    write(encode('BOOKMARK', b));
  }

  let lastRV = from;
  const onEvent = (stored: CacheEvent) => {
    if (!stored.key.startsWith(nsPrefix)) return;
    const e = desc.storedAs ? { ...stored, obj: fromStorage(desc, stored.obj), prev: stored.prev && fromStorage(desc, stored.prev) } : stored;
    lastRV = e.rv;
    const now = filter.matches(e.obj) && matchesName(e.obj);
    const before = e.prev ? filter.matches(e.prev) && matchesName(e.prev) : false;
    if (e.type === 'ADDED') { if (now) write(encode('ADDED', e.obj)); }
    else if (e.type === 'DELETED') { if (before || now) write(encode('DELETED', e.obj)); }
    else if (now && before) write(encode('MODIFIED', e.obj));
    else if (now) write(encode('ADDED', e.obj));
    else if (before) write(encode('DELETED', e.obj));
  };
  const expired = () => {
    write(encode('ERROR', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${lastRV} (${ctx.cache.revision})`, reason: 'Expired', code: 410 }));
    res.end();
  };
  const stop = ctx.cache.watch(prefix, from, { onEvent, onExpired: expired });
  if (!stop) {
    write(encode('ERROR', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${from} (${ctx.cache.expiredBound(prefix)})`, reason: 'Expired', code: 410 }));
    res.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const finish = () => { for (const t of timers) clearTimeout(t), clearInterval(t); stop(); resolve(); };
    timers.push(setTimeout(() => { if (bookmarks) write(encode('BOOKMARK', bookmark(Math.max(lastRV, ctx.cache.revision)))); res.end(); }, timeoutSeconds * 1000));
    if (bookmarks) timers.push(setInterval(() => { write(encode('BOOKMARK', bookmark(Math.max(lastRV, ctx.cache.revision)))); }, BOOKMARK_EVERY_MS));
    res.on('close', finish);
    req.on('close', finish);
  });
}
