/**
 * `refreshSnapshot`: brings a live snapshot up to date by reading only what changed, through the
 * `/users/delta` and `/devices/delta` links stored in its snapshot.json.
 *
 * The snapshot's groups are refreshed through their own `/groups/delta` links (properties and
 * `members@delta`). Graph's change tracking has gaps we close here: `licenseAssignmentStates`
 * changes are not tracked (we re-read that field for every user that changed), and seat counts
 * have no delta (subscribedSkus, one request, is read again).
 * A delta link Graph no longer knows (410), or new extension properties (delta links cannot
 * change their `$select`), turn the refresh into a full fetch, said so in the result.
 */
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { readObjects } from '../tenant/snapshot';
import { checkCancelled, createContext, mapLimit, readGroups, readSubscribedSkus, runAll, type Context } from './context';
import { GraphError } from './errors';
import { asGraphError, dedupe, readEverything } from './fetch';
import { askToken, normalizeEndpoint, type JsonObject } from './http';
import { carriedGroups, readLiveMeta } from './meta';
import { tenantIdFromToken } from './organization';
import { managerRef, pages, snapshotObject, snapshotUser, stripAnnotations } from './paging';
import { extensionFields, odataString, query } from './select';
import type { ChangeCounts, LiveSnapshotMeta, SnapshotOptions, SnapshotResult } from './types';
import { CollectionWriter, SnapshotWriter } from './writer';

interface Change {
  readonly id: string;
  removed: boolean;
  patch: JsonObject;
}

/** Reads the changes since the snapshot was taken and writes the updated snapshot in its place. */
export async function refreshSnapshot(dir: string, options: SnapshotOptions): Promise<SnapshotResult> {
  const started = Date.now();
  const meta = await readLiveMeta(dir);
  const endpoint = normalizeEndpoint(options.endpoint ?? meta.endpoint);
  if (endpoint !== meta.endpoint) {
    throw new GraphError('bad-request', `${dir} was read from ${meta.endpoint}, not ${endpoint}: take a new snapshot into another folder`);
  }
  const extensions = extensionFields([...meta.extensionProperties, ...(options.extensionProperties ?? [])]);
  const groups = dedupe([...carriedGroups(meta), ...(options.groups ?? [])]);
  let ctx = createContext({ ...options, endpoint });
  const token = await askToken(options.getToken, { forceRefresh: false, ...(options.signal ? { signal: options.signal } : {}) });
  const tid = tenantIdFromToken(token);
  if (tid && tid !== meta.tenantId.toLowerCase()) {
    throw new GraphError('bad-request', `${dir} is a snapshot of tenant ${meta.tenantId}, but the token is for tenant ${tid}`);
  }

  const newExtensions = extensions.filter((x) => !meta.select.users.includes(x));
  let fullReason = newExtensions.length ? `the rules use ${newExtensions.join(', ')}, which the snapshot's change tracking does not select` : undefined;
  let writer = await SnapshotWriter.create(dir);
  let earlier = { requests: 0, retries: 0 };
  try {
    let written: { meta: LiveSnapshotMeta; changes?: Changes } | undefined;
    if (!fullReason) {
      try {
        written = await applyChanges(ctx, writer, dir, meta, groups);
      } catch (e) {
        if (!(e instanceof GraphError && e.kind === 'delta-expired')) throw e;
        fullReason = 'Graph no longer has the change-tracking state of this snapshot (410)';
        await writer.discard();
        writer = await SnapshotWriter.create(dir);
        // The failed round cancelled its context; the full read gets its own.
        earlier = ctx.client.stats;
        ctx = createContext({ ...options, endpoint });
      }
    }
    if (!written) {
      ctx.warn(`reading everything again: ${fullReason}`);
      const format = (await collectionFile(dir, 'users'))?.format ?? 'jsonl';
      written = { meta: await readEverything(ctx, writer, { endpoint, extensions, groups, format }) };
    }
    checkCancelled(ctx);
    ctx.progress({ kind: 'phase', phase: 'writing', message: `moving the snapshot into ${writer.out}` });
    await writer.commit();
    const m = written.meta;
    ctx.progress({ kind: 'phase', phase: 'done', message: `${m.counts.users} users, ${m.counts.devices} devices, ${m.counts.groups} groups, ${m.counts.subscribedSkus} SKUs` });
    return {
      dir: writer.out, mode: written.changes ? 'delta' : 'full', ...(fullReason ? { fullReason } : {}), meta: m,
      ...(written.changes ? { changes: written.changes } : {}),
      warnings: ctx.warnings, requests: earlier.requests + ctx.client.stats.requests, retries: earlier.retries + ctx.client.stats.retries,
      durationMs: Date.now() - started,
    };
  } catch (e) {
    ctx.abort();
    await writer.discard();
    throw asGraphError(e);
  }
}

type Changes = { users: ChangeCounts; devices: ChangeCounts; groups: ChangeCounts };

async function applyChanges(ctx: Context, writer: SnapshotWriter, dir: string, meta: LiveSnapshotMeta, groups: readonly string[]): Promise<{ meta: LiveSnapshotMeta; changes: Changes }> {
  ctx.progress({ kind: 'phase', phase: 'delta', message: 'reading changes since the last snapshot' });
  const [users, devices, groupsRead, skus] = await runAll<[DeltaRead, DeltaRead, GroupsRefreshed, JsonObject[]]>(ctx, [
    () => readChanges(ctx, meta.deltaLinks.users, 'users'),
    () => readChanges(ctx, meta.deltaLinks.devices, 'devices'),
    () => refreshGroups(ctx, dir, meta, groups),
    // Seat counts have no delta; one request.
    () => readSubscribedSkus(ctx),
  ]);
  await rereadLicenseStates(ctx, users.changes);
  checkCancelled(ctx);

  const userCounts = await rewrite(ctx, writer, dir, 'users', users.changes, (p) => snapshotUser(p, meta.select.users));
  const deviceCounts = await rewrite(ctx, writer, dir, 'devices', devices.changes, (p) => snapshotObject(p, meta.select.devices));
  await writer.writeJson('groups.json', { '@odata.context': `${meta.endpoint}/v1.0/$metadata#groups`, value: groupsRead.groups });
  await writer.writeJson('subscribedSkus.json', { '@odata.context': `${meta.endpoint}/v1.0/$metadata#subscribedSkus`, value: skus });
  const now = new Date().toISOString();
  const next: LiveSnapshotMeta = {
    ...meta,
    takenAt: now,
    refreshedAt: now,
    deltaLinks: { users: users.deltaLink, devices: devices.deltaLink, groups: groupsRead.deltaLinks },
    groupsRequested: [...groups],
    missingGroups: groupsRead.missing,
    counts: { users: userCounts.count, devices: deviceCounts.count, groups: groupsRead.groups.length, subscribedSkus: skus.length },
  };
  await writer.writeJson('snapshot.json', next);
  const counts = (c: ChangeCounts): ChangeCounts => ({ added: c.added, updated: c.updated, removed: c.removed });
  return { meta: next, changes: { users: counts(userCounts), devices: counts(deviceCounts), groups: groupsRead.counts } };
}

interface GroupsRefreshed {
  readonly groups: JsonObject[];
  readonly missing: string[];
  readonly deltaLinks: string[];
  readonly counts: ChangeCounts;
}

interface GroupChange {
  removed: boolean;
  patch: JsonObject;
  /** Lower-cased id → id, members added. */
  added: Map<string, string>;
  /** Lower-cased ids of members removed. */
  gone: Set<string>;
}

/**
 * The snapshot's groups brought up to date through their `/groups/delta` links (properties and
 * `members@delta`). Groups asked for for the first time, or a snapshot without group links, mean
 * reading the groups in full (they are few) and taking new links.
 */
async function refreshGroups(ctx: Context, dir: string, meta: LiveSnapshotMeta, wanted: readonly string[]): Promise<GroupsRefreshed> {
  const stored = await storedGroups(dir);
  const asked = new Set(meta.groupsRequested.map((g) => g.toLowerCase()));
  const links = meta.deltaLinks.groups;
  if (!links || wanted.some((g) => !asked.has(g.toLowerCase()))) {
    const read = await readGroups(ctx, wanted);
    const before = new Set(stored.map((g) => String(g['id']).toLowerCase()));
    const after = new Set(read.groups.map((g) => String(g['id']).toLowerCase()));
    const added = [...after].filter((id) => !before.has(id)).length;
    return { ...read, counts: { added, updated: after.size - added, removed: [...before].filter((id) => !after.has(id)).length } };
  }

  const changes = new Map<string, GroupChange>();
  const deltaLinks: string[] = [];
  for (const link of links) {
    let next: string | undefined;
    for await (const page of pages(ctx.client, link)) {
      for (const o of page.value) addGroupChange(changes, o);
      if (page.deltaLink) next = page.deltaLink;
    }
    if (!next) throw new GraphError('invalid-response', 'the /groups/delta round ended without an @odata.deltaLink');
    deltaLinks.push(next);
  }
  const missing = [...meta.missingGroups];
  const groups: JsonObject[] = [];
  let updated = 0;
  let removed = 0;
  for (const g of stored) {
    const id = String(g['id']).toLowerCase();
    const c = changes.get(id);
    if (!c) {
      groups.push(g);
      continue;
    }
    if (c.removed) {
      removed++;
      const name = String(g['displayName'] ?? '').toLowerCase();
      missing.push(...meta.groupsRequested.filter((k) => k.toLowerCase() === id || k.toLowerCase() === name));
      ctx.warn(`group ${String(g['displayName'] ?? g['id'])} was deleted`);
      continue;
    }
    updated++;
    const members = ((g['members'] as string[] | undefined) ?? []).filter((m) => !c.gone.has(m.toLowerCase()));
    const present = new Set(members.map((m) => m.toLowerCase()));
    for (const [key, m] of c.added) if (!present.has(key)) members.push(m);
    groups.push({ ...g, ...c.patch, members });
  }
  ctx.progress({ kind: 'count', collection: 'groups', count: changes.size, pages: links.length, done: true });
  return { groups, missing: [...new Set(missing)], deltaLinks, counts: { added: 0, updated, removed } };
}

function addGroupChange(changes: Map<string, GroupChange>, o: JsonObject): void {
  const id = o['id'];
  if (typeof id !== 'string' || !id) return;
  const key = id.toLowerCase();
  if (o['@removed'] !== undefined) {
    changes.set(key, { removed: true, patch: {}, added: new Map(), gone: new Set() });
    return;
  }
  let c = changes.get(key);
  if (!c || c.removed) changes.set(key, (c = { removed: false, patch: {}, added: new Map(), gone: new Set() }));
  for (const [k, v] of Object.entries(stripAnnotations(o))) {
    if (k === 'members@delta' && Array.isArray(v)) {
      for (const m of v as JsonObject[]) {
        if (!m || typeof m['id'] !== 'string') continue;
        const mid = m['id'];
        const mkey = mid.toLowerCase();
        if (m['@removed'] !== undefined) {
          c.gone.add(mkey);
          c.added.delete(mkey);
        } else {
          c.added.set(mkey, mid);
          c.gone.delete(mkey);
        }
      }
    } else if (!k.includes('@') && k !== 'members') c.patch[k] = v;
  }
}

async function storedGroups(dir: string): Promise<JsonObject[]> {
  const ref = await collectionFile(dir, 'groups');
  return ref ? ((await readObjects(ref.file)) as JsonObject[]) : [];
}

interface DeltaRead {
  readonly changes: Map<string, Change>;
  readonly deltaLink: string;
}

/** One delta round: every page until the new deltaLink; the same object may come more than once. */
async function readChanges(ctx: Context, link: string, collection: 'users' | 'devices'): Promise<DeltaRead> {
  const changes = new Map<string, Change>();
  let deltaLink: string | undefined;
  let n = 0;
  for await (const page of pages(ctx.client, link)) {
    for (const o of page.value) addChange(changes, o);
    if (page.deltaLink) deltaLink = page.deltaLink;
    ctx.progress({ kind: 'count', collection, count: changes.size, pages: ++n, done: false });
  }
  if (!deltaLink) throw new GraphError('invalid-response', `the /${collection}/delta round ended without an @odata.deltaLink`);
  ctx.progress({ kind: 'count', collection, count: changes.size, pages: n, done: true });
  return { changes, deltaLink };
}

/** Folds one delta entry into the changes: `@removed` deletes, anything else is merged. */
function addChange(changes: Map<string, Change>, o: JsonObject): void {
  const id = o['id'];
  if (typeof id !== 'string' || !id) return;
  const key = id.toLowerCase();
  if (o['@removed'] !== undefined) {
    changes.set(key, { id, removed: true, patch: {} });
    return;
  }
  let c = changes.get(key);
  if (!c || c.removed) changes.set(key, (c = { id, removed: false, patch: {} }));
  for (const [k, v] of Object.entries(stripAnnotations(o))) {
    if (k === 'manager@delta') c.patch['manager'] = managerFromDelta(v);
    else if (k === 'manager') c.patch['manager'] = managerRef(v);
    else if (!k.includes('@')) c.patch[k] = v;
  }
}

/** `manager@delta`: the current manager, or a `@removed` entry when the manager was unset. */
function managerFromDelta(v: unknown): { id: string } | null {
  const list = Array.isArray(v) ? v : [v];
  for (const m of list) {
    if (m && typeof m === 'object' && (m as JsonObject)['@removed'] === undefined) {
      const ref = managerRef(m);
      if (ref) return ref;
    }
  }
  return null;
}

/** Graph's `in` filter takes at most 15 values (Graph known issue, `$filter` limits). */
const IN_LIMIT = 15;

/**
 * Delta does not track licenseAssignmentStates, so for every user that changed we read that field
 * again (15 users a request): a user who gained a group license also shows its new state.
 */
async function rereadLicenseStates(ctx: Context, changes: Map<string, Change>): Promise<void> {
  const ids = [...changes.values()].filter((c) => !c.removed).map((c) => c.id);
  if (!ids.length) return;
  ctx.progress({ kind: 'phase', phase: 'licenseStates', message: `reading license states of ${ids.length} changed users` });
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += IN_LIMIT) batches.push(ids.slice(i, i + IN_LIMIT));
  await mapLimit(batches, 4, async (batch) => {
    const filter = `id in (${batch.map(odataString).join(',')})`;
    for await (const page of pages(ctx.client, `/v1.0/users${query({ $filter: filter, $select: 'id,licenseAssignmentStates' })}`)) {
      for (const u of page.value) {
        const c = typeof u['id'] === 'string' ? changes.get(u['id'].toLowerCase()) : undefined;
        if (c && !c.removed && 'licenseAssignmentStates' in u) c.patch['licenseAssignmentStates'] = u['licenseAssignmentStates'];
      }
    }
  });
}

interface FileRef {
  readonly file: string;
  readonly format: 'jsonl' | 'json';
}

async function collectionFile(dir: string, name: string): Promise<FileRef | undefined> {
  for (const format of ['jsonl', 'json'] as const) {
    const file = path.join(dir, `${name}.${format}`);
    if (await fs.stat(file).then((s) => s.isFile(), () => false)) return { file, format };
  }
  return undefined;
}

/** The id at the start of a JSON Lines object as we write them, to skip parsing unchanged ones. */
const ID_PREFIX = /^\{"id":"([^"\\]+)"/;

/**
 * Streams the old collection into the new folder with the changes applied, new objects last.
 * Unchanged JSON Lines are copied as text: a refresh of 100,000 users parses only the changed.
 */
async function rewrite(
  ctx: Context, writer: SnapshotWriter, dir: string, name: 'users' | 'devices', changes: Map<string, Change>,
  shapeNew: (patch: JsonObject) => JsonObject,
): Promise<ChangeCounts & { count: number }> {
  const existing = await collectionFile(dir, name);
  const out = await CollectionWriter.open(writer, name, existing?.format ?? 'jsonl', `${ctx.client.endpoint}/v1.0/$metadata#${name}`);
  const applied = new Set<string>();
  let updated = 0;
  let removed = 0;
  let added = 0;
  let batch: string[] = [];
  try {
    if (existing) {
      for await (const item of readExisting(existing)) {
        let text = typeof item === 'string' ? item : undefined;
        let o = typeof item === 'string' ? undefined : item;
        const id = text !== undefined ? ID_PREFIX.exec(text)?.[1] ?? String((o = parseLine(text, existing.file))['id'] ?? '') : String(o!['id'] ?? '');
        const key = id.toLowerCase();
        const c = changes.get(key);
        if (c) {
          applied.add(key);
          if (c.removed) {
            removed++;
            continue;
          }
          updated++;
          o ??= parseLine(text!, existing.file);
          text = JSON.stringify({ ...o, ...c.patch });
        }
        batch.push(text ?? JSON.stringify(o));
        if (batch.length >= 2000) {
          checkCancelled(ctx);
          await out.addSerialized(batch);
          batch = [];
        }
      }
    }
    for (const [key, c] of changes) {
      if (applied.has(key) || c.removed) continue;
      added++;
      batch.push(JSON.stringify(shapeNew(c.patch)));
    }
    await out.addSerialized(batch);
  } finally {
    await out.close();
  }
  return { added, updated, removed, count: out.written };
}

function parseLine(line: string, file: string): JsonObject {
  try {
    return JSON.parse(line) as JsonObject;
  } catch {
    throw new GraphError('io', `${path.basename(file)}: a line is not valid JSON; take a full snapshot instead of refreshing this one`);
  }
}

/** The objects of a collection file: raw lines of JSON Lines, parsed objects of a Graph page. */
async function* readExisting(ref: FileRef): AsyncGenerator<JsonObject | string> {
  if (ref.format === 'json') {
    yield* (await readObjects(ref.file)) as JsonObject[];
    return;
  }
  const stream = createReadStream(ref.file, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) if (line.trim()) yield line;
  } finally {
    lines.close();
    stream.destroy();
  }
}
