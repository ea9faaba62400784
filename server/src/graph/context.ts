/** What a fetch and a refresh share: the client, progress and warnings, and the pieces both read. */
import { cancelled, GraphError } from './errors';
import { createGraphClient, type GraphClient, type JsonObject } from './http';
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
    onRetry: (notice) => progress({ kind: 'retry', notice }),
  });
  return {
    client,
    signal: controller.signal,
    abort: () => controller.abort(),
    progress,
    warn: (message) => {
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
  readonly missing: string[];
}

/**
 * The groups asked for, by object id (`/groups/{id}`) or display name (`$filter=displayName eq`;
 * names are not unique, so every match is kept), each with its direct member ids in `members`.
 * A group that does not exist is a warning, not a failure: the preview then says so.
 */
export async function readGroups(ctx: Context, requested: readonly string[]): Promise<GroupsRead> {
  const select = GROUP_FIELDS.join(',');
  const found = new Map<string, JsonObject>();
  const missing: string[] = [];
  await mapLimit(requested, 4, async (key) => {
    const matches: JsonObject[] = [];
    if (GUID.test(key)) {
      try {
        matches.push(await ctx.client.get(`/v1.0/groups/${key}${query({ $select: select })}`));
      } catch (e) {
        if (!(e instanceof GraphError && e.kind === 'not-found')) throw e;
      }
    } else {
      for await (const page of pages(ctx.client, `/v1.0/groups${query({ $filter: `displayName eq ${odataString(key)}`, $select: select })}`)) matches.push(...page.value);
      if (matches.length > 1) ctx.warn(`${matches.length} groups are named "${key}"; all of them are in the snapshot`);
    }
    if (matches.length === 0) {
      missing.push(key);
      ctx.warn(`group ${GUID.test(key) ? key : `"${key}"`} was not found in the tenant`);
    }
    for (const g of matches) if (typeof g['id'] === 'string') found.set(g['id'].toLowerCase(), g);
  });
  let memberCount = 0;
  let memberPages = 0;
  const groups = await mapLimit([...found.values()], 4, async (g) => {
    const members: string[] = [];
    for await (const page of pages(ctx.client, `/v1.0/groups/${String(g['id'])}/members${query({ $select: 'id', $top: PAGE_SIZE })}`)) {
      for (const m of page.value) if (typeof m['id'] === 'string') members.push(m['id']);
      memberCount += page.value.length;
      memberPages++;
      ctx.progress({ kind: 'count', collection: 'members', count: memberCount, pages: memberPages, done: false });
    }
    const out: JsonObject = {};
    for (const f of GROUP_FIELDS) if (f in g) out[f] = g[f];
    out['members'] = members;
    return out;
  });
  ctx.progress({ kind: 'count', collection: 'groups', count: groups.length, pages: requested.length, done: true });
  return { groups, missing };
}

export async function readSubscribedSkus(ctx: Context): Promise<JsonObject[]> {
  const skus: JsonObject[] = [];
  let n = 0;
  // subscribedSkus supports $select only: no $top, no $filter (spec §7.1).
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
