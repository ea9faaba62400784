/** What a fetch and a refresh share: the client, progress and warnings, and the pieces both read. */
import { cancelled, GraphError } from './errors';
import { redact } from './secrets';
import { createGraphClient, type GraphClient, type JsonObject } from './http';
import { isUserOrDevice } from './dynamic';
import { pages, stripAnnotations } from './paging';
import { GROUP_FIELDS, GUID, odataString, PAGE_SIZE, query } from './select';
import { DEFAULT_ENDPOINT, type SnapshotOptions, type SnapshotProgress } from './types';

export interface Context {
  readonly client: GraphClient;
  readonly signal: AbortSignal;
  /** Cancels everything still running (after the first failure). */
  abort(): void;
  progress(p: SnapshotProgress): void;
  /** Tells the user now (progress) and keeps it for the result. */
  warn(message: string): void;
  readonly warnings: string[];
  /** The last token handed to the client (for its `tid`); never logged. */
  lastToken(): string | undefined;
}

export function createContext(options: SnapshotOptions): Context {
  const controller = new AbortController();
  const outer = options.signal;
  if (outer?.aborted) controller.abort();
  else outer?.addEventListener('abort', () => controller.abort(), { once: true });
  let token: string | undefined;
  const warnings: string[] = [];
  const progress = (p: SnapshotProgress): void => {
    try {
      options.onProgress?.(p);
    } catch {
      // A broken progress callback must not break the fetch.
    }
  };
  const client = createGraphClient({
    endpoint: options.endpoint ?? DEFAULT_ENDPOINT,
    getToken: async (r) => (token = await options.getToken(r)),
    signal: controller.signal,
    ...(options.log ? { log: options.log } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    onRetry: (notice) => progress({ kind: 'retry', notice }),
  });
  return {
    client,
    signal: controller.signal,
    abort: () => controller.abort(),
    progress,
    warn: (text) => {
      const message = redact(text);
      warnings.push(message);
      progress({ kind: 'warning', message });
    },
    warnings,
    lastToken: () => token,
  };
}

/**
 * Runs tasks side by side; on the first failure cancels the rest and waits for them to stop
 * (so none writes into a folder being removed), then rethrows that failure.
 */
export async function runAll<T extends readonly unknown[]>(ctx: Context, tasks: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  let first: unknown;
  const wrapped = tasks.map((t) => t().catch((e: unknown) => {
    if (first === undefined || (isCancelError(first) && !isCancelError(e))) first = e;
    ctx.abort();
    throw e;
  }));
  const settled = await Promise.allSettled(wrapped);
  if (first !== undefined) throw first;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

const isCancelError = (e: unknown): boolean => e instanceof GraphError && e.kind === 'cancelled';

export function checkCancelled(ctx: Context): void {
  if (ctx.signal.aborted) throw cancelled();
}

/** Up to `limit` at a time, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export interface GroupsRead {
  readonly groups: JsonObject[];
  /** Requested ids or names that Graph did not find. */
  readonly missing: string[];
  /** `/groups/delta` links tracking these groups (one per 50 groups). */
  readonly deltaLinks: string[];
}

/**
 * The object ids of the requested groups: ids as given, display names through
 * `$filter=displayName eq` (names are not unique, so every match is kept).
 */
export async function resolveGroupIds(ctx: Context, requested: readonly string[]): Promise<{ ids: string[]; missing: string[] }> {
  const ids = new Map<string, string>();
  const missing: string[] = [];
  await mapLimit(requested, 4, async (key) => {
    if (GUID.test(key)) {
      ids.set(key.toLowerCase(), key.toLowerCase());
      return;
    }
    const matches: string[] = [];
    for await (const page of pages(ctx.client, `/v1.0/groups${query({ $filter: `displayName eq ${odataString(key)}`, $select: 'id,displayName' })}`)) {
      for (const g of page.value) {
        // The id goes into the next request's path: only a GUID may.
        if (typeof g['id'] !== 'string' || !GUID.test(g['id'])) throw new GraphError('invalid-response', `GET /v1.0/groups returned a group whose id is not a GUID`);
        matches.push(g['id'].toLowerCase());
      }
    }
    if (matches.length > 1) ctx.warn(`${matches.length} groups are named "${key}"; all of them are in the snapshot`);
    if (matches.length === 0) {
      missing.push(key);
      ctx.warn(`group "${key}" was not found in the tenant`);
    }
    for (const id of matches) ids.set(id, id);
  });
  return { ids: [...ids.values()], missing };
}

/** Graph tracks at most 50 objects in one filtered delta query. */
const DELTA_FILTER_LIMIT = 50;

/**
 * Delta links "from now on" for the given groups, their properties and members, taken before
 * the groups are read so that no membership change in between is lost.
 */
export async function latestGroupDeltaLinks(ctx: Context, ids: readonly string[]): Promise<string[]> {
  const links: string[] = [];
  for (let i = 0; i < ids.length; i += DELTA_FILTER_LIMIT) {
    const filter = ids.slice(i, i + DELTA_FILTER_LIMIT).map((id) => `id eq ${odataString(id)}`).join(' or ');
    let link: string | undefined;
    for await (const page of pages(ctx.client, `/v1.0/groups/delta${query({ $filter: filter, $select: [...GROUP_FIELDS, 'members'].join(','), $deltatoken: 'latest' })}`)) {
      if (page.deltaLink) link = page.deltaLink;
    }
    if (!link) throw new GraphError('invalid-response', 'GET /v1.0/groups/delta ended without an @odata.deltaLink');
    links.push(link);
  }
  return links;
}

/** Each group (`/groups/{id}`) with its direct member ids in `members`; a 404 is a missing group. */
export async function readGroupsById(ctx: Context, ids: readonly string[]): Promise<{ groups: JsonObject[]; missing: string[] }> {
  const select = GROUP_FIELDS.join(',');
  const missing: string[] = [];
  let memberCount = 0;
  let memberPages = 0;
  const read = await mapLimit(ids, 4, async (id): Promise<JsonObject | undefined> => {
    let g: JsonObject;
    try {
      g = await ctx.client.get(`/v1.0/groups/${id}${query({ $select: select })}`);
    } catch (e) {
      if (!(e instanceof GraphError && e.kind === 'not-found')) throw e;
      missing.push(id);
      ctx.warn(`group ${id} was not found in the tenant`);
      return undefined;
    }
    const members: string[] = [];
    const others: JsonObject[] = [];
    for await (const page of pages(ctx.client, `/v1.0/groups/${id}/members${query({ $select: 'id', $top: PAGE_SIZE })}`)) {
      for (const m of page.value) {
        if (typeof m['id'] !== 'string') continue;
        // Members that are neither users nor devices are kept apart (graph/dynamic.ts).
        if (isUserOrDevice(m)) members.push(m['id']);
        else others.push({ '@odata.type': m['@odata.type'], id: m['id'] });
      }
      memberCount += page.value.length;
      memberPages++;
      ctx.progress({ kind: 'count', collection: 'members', count: memberCount, pages: memberPages, done: false });
    }
    return { ...groupFields(g), members, ...(others.length ? { otherMembers: others } : {}) };
  });
  const groups = read.filter((g): g is JsonObject => g !== undefined);
  ctx.progress({ kind: 'count', collection: 'groups', count: groups.length, pages: ids.length, done: true });
  return { groups, missing };
}

/** A group as the snapshot stores it: the fields asked for, in that order, no annotations. */
export function groupFields(g: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const f of GROUP_FIELDS) if (f in g) out[f] = g[f];
  return out;
}

/**
 * The requested groups in full: ids resolved, delta links taken, then each group and its members
 * read. Used by full reads and when a refresh is asked for groups it does not track yet.
 */
export async function readGroups(ctx: Context, requested: readonly string[]): Promise<GroupsRead> {
  const resolved = await resolveGroupIds(ctx, requested);
  const deltaLinks = await latestGroupDeltaLinks(ctx, resolved.ids);
  const read = await readGroupsById(ctx, resolved.ids);
  return { groups: read.groups, missing: [...resolved.missing, ...read.missing], deltaLinks };
}

export async function readSubscribedSkus(ctx: Context): Promise<JsonObject[]> {
  const skus: JsonObject[] = [];
  let n = 0;
  // subscribedSkus supports $select only: no $top, no $filter (docs/semantics.md, Microsoft Graph).
  for await (const page of pages(ctx.client, '/v1.0/subscribedSkus')) {
    skus.push(...page.value.map(stripAnnotations));
    ctx.progress({ kind: 'count', collection: 'subscribedSkus', count: skus.length, pages: ++n, done: false });
  }
  ctx.progress({ kind: 'count', collection: 'subscribedSkus', count: skus.length, pages: n, done: true });
  return skus;
}

/**
 * A delta link for "changes from now on" (`$deltatoken=latest`: no data, one request). Taken
 * before the full read, so a change made while we read is seen again by the next refresh
 * (applying it twice is harmless) rather than lost.
 */
export async function latestDeltaLink(ctx: Context, collection: 'users' | 'devices', select: readonly string[]): Promise<string> {
  for await (const page of pages(ctx.client, `/v1.0/${collection}/delta${query({ $select: select.join(','), $deltatoken: 'latest' })}`)) {
    if (page.deltaLink) return page.deltaLink;
  }
  throw new GraphError('invalid-response', `GET /v1.0/${collection}/delta ended without an @odata.deltaLink`);
}
