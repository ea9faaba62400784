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
import {
  addGroupChange, applyGroupChange, DELTA_FILTER_LIMIT, describeDynamic, extensionsInRules, groupInFieldOrder, isDynamicGroup, isDynamicNote, listDynamicGroupIds,
  readDynamicGroups, readDynamicUnits, readGroupRounds, UNIT_FIELDS, UNITS_NOT_READ, type GroupState,
} from './dynamic';
import { mergeGroups, writeUnits } from './fetch';

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
  // Like the groups asked for, every dynamic group once asked for stays in the snapshot.
  const allDynamic = options.allDynamicGroups === true || meta.allDynamicGroups === true;
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
    let written: { meta: LiveSnapshotMeta; changes?: Changes; extensions?: readonly string[] } | undefined;
    if (!fullReason) {
      try {
        written = await applyChanges(ctx, writer, dir, meta, groups, allDynamic);
        // A dynamic rule that now uses an extension the users were not read with: read again.
        const needed = extensionFields([...extensions, ...(written.extensions ?? [])]);
        const unread = needed.filter((x) => !meta.select.users.some((f) => f.toLowerCase() === x.toLowerCase()));
        if (unread.length) {
          fullReason = `dynamic groups' rules use ${unread.join(', ')}, which the snapshot's users were not read with`;
          extensions.push(...unread);
          written = undefined;
          await writer.discard();
          writer = await SnapshotWriter.create(dir);
          earlier = ctx.client.stats;
          ctx = createContext({ ...options, endpoint });
        }
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
      written = { meta: await readEverything(ctx, writer, { endpoint, extensions, groups, format, allDynamicGroups: allDynamic }) };
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

async function applyChanges(
  ctx: Context, writer: SnapshotWriter, dir: string, meta: LiveSnapshotMeta, groups: readonly string[], allDynamic: boolean,
): Promise<{ meta: LiveSnapshotMeta; changes: Changes; extensions: string[] }> {
  ctx.progress({ kind: 'phase', phase: 'delta', message: 'reading changes since the last snapshot' });
  const stored = await storedGroups(dir);
  // In a snapshot of every dynamic group, the dynamic ones are refreshed by refreshDynamic.
  const named = meta.allDynamicGroups ? stored.filter((g) => !isDynamicGroup(g)) : stored;
  const [users, devices, groupsRead, skus, dynamic] = await runAll<[DeltaRead, DeltaRead, GroupsRefreshed, JsonObject[], DynamicRefreshed | undefined]>(ctx, [
    () => readChanges(ctx, meta.deltaLinks.users, 'users'),
    () => readChanges(ctx, meta.deltaLinks.devices, 'devices'),
    () => refreshGroups(ctx, named, meta, groups),
    // Seat counts have no delta; one request.
    () => readSubscribedSkus(ctx),
    () => (allDynamic ? refreshDynamic(ctx, stored, meta) : Promise.resolve(undefined)),
  ]);
  await rereadLicenseStates(ctx, users.changes);
  checkCancelled(ctx);

  const userCounts = await rewrite(ctx, writer, dir, 'users', users.changes, (p) => snapshotUser(p, meta.select.users));
  const deviceCounts = await rewrite(ctx, writer, dir, 'devices', devices.changes, (p) => snapshotObject(p, meta.select.devices));
  const allGroups = mergeGroups(groupsRead.groups, dynamic?.groups);
  await writer.writeJson('groups.json', { '@odata.context': `${meta.endpoint}/v1.0/$metadata#groups`, value: allGroups });
  await writer.writeJson('subscribedSkus.json', { '@odata.context': `${meta.endpoint}/v1.0/$metadata#subscribedSkus`, value: skus });
  if (dynamic?.units) await writeUnits(writer, meta.endpoint, dynamic.units);
  const dynamicNotes = dynamic ? describeDynamic(allGroups, dynamic.units) : [];
  for (const n of dynamicNotes) ctx.warn(n);
  if (dynamic && !dynamic.units) dynamicNotes.push(UNITS_NOT_READ);
  const now = new Date().toISOString();
  const next: LiveSnapshotMeta = {
    ...meta,
    takenAt: now,
    refreshedAt: now,
    deltaLinks: { users: users.deltaLink, devices: devices.deltaLink, groups: groupsRead.deltaLinks, ...(dynamic ? { dynamicGroups: dynamic.deltaLinks } : {}) },
    ...(dynamic ? { allDynamicGroups: true, select: { ...meta.select, administrativeUnits: UNIT_FIELDS } } : {}),
    groupsRequested: [...groups],
    missingGroups: groupsRead.missing,
    counts: {
      users: userCounts.count, devices: deviceCounts.count, groups: allGroups.length, subscribedSkus: skus.length,
      ...(dynamic?.units ? { administrativeUnits: dynamic.units.length } : {}),
    },
    notes: [...meta.notes.filter((n) => !isDynamicNote(n)), ...dynamicNotes],
  };
  await writer.writeJson('snapshot.json', next);
  const counts = (c: ChangeCounts): ChangeCounts => ({ added: c.added, updated: c.updated, removed: c.removed });
  const groupCounts = dynamic
    ? { added: groupsRead.counts.added + dynamic.counts.added, updated: groupsRead.counts.updated + dynamic.counts.updated, removed: groupsRead.counts.removed + dynamic.counts.removed }
    : groupsRead.counts;
  const extensions = dynamic ? extensionsInRules([...dynamic.groups, ...(dynamic.units ?? [])]) : [];
  return { meta: next, changes: { users: counts(userCounts), devices: counts(deviceCounts), groups: groupCounts }, extensions };
}

interface DynamicRefreshed {
  readonly groups: JsonObject[];
  readonly deltaLinks: string[];
  readonly units: JsonObject[] | undefined;
  readonly counts: ChangeCounts;
}

/**
 * Every dynamic group brought up to date: the filtered list again (which groups are dynamic now),
 * each stored link's changes, and an initial round for groups that became dynamic or are new.
 * Without links, or when links of groups that left outnumber the rest, everything dynamic is read
 * again. Administrative units have no v1.0 delta: they are read in full (graph/dynamic.ts).
 */
async function refreshDynamic(ctx: Context, stored: readonly JsonObject[], meta: LiveSnapshotMeta): Promise<DynamicRefreshed> {
  const links = meta.allDynamicGroups ? meta.deltaLinks.dynamicGroups : undefined;
  const full = async (): Promise<DynamicRefreshed> => {
    const before = new Set(stored.filter(isDynamicGroup).map((g) => String(g['id']).toLowerCase()));
    const read = await readDynamicGroups(ctx);
    const units = await readDynamicUnits(ctx);
    const after = new Set(read.groups.map((g) => String(g['id']).toLowerCase()));
    const added = [...after].filter((id) => !before.has(id)).length;
    return { ...read, units: units.units, counts: { added, updated: after.size - added, removed: [...before].filter((id) => !after.has(id)).length } };
  };
  if (!links) return full();
  const ids = await listDynamicGroupIds(ctx);
  const current = new Set(ids);
  const rounds = await mapLimit(links, 4, async (link) => {
    const changes = new Map<string, GroupState>();
    let next: string | undefined;
    for await (const page of pages(ctx.client, link)) {
      for (const o of page.value) addGroupChange(changes, o);
      if (page.deltaLink) next = page.deltaLink;
    }
    if (!next) throw new GraphError('invalid-response', 'the /groups/delta round ended without an @odata.deltaLink');
    return { changes, next };
  });
  const changes = new Map<string, GroupState>();
  for (const r of rounds) for (const [k, v] of r.changes) changes.set(k, v);
  const deltaLinks = rounds.map((r) => r.next);
  const groups: JsonObject[] = [];
  const known = new Set<string>();
  let updated = 0;
  let removed = 0;
  for (const g of stored.filter(isDynamicGroup)) {
    const id = String(g['id']).toLowerCase();
    known.add(id);
    const c = changes.get(id);
    if (!current.has(id) || c?.removed) {
      removed++;
      continue;
    }
    if (c) {
      updated++;
      groups.push(groupInFieldOrder(applyGroupChange(g, c)));
    } else groups.push(g);
  }
  const fresh = ids.filter((id) => !known.has(id));
  let added = 0;
  if (fresh.length) {
    const read = await readGroupRounds(ctx, fresh);
    for (const id of fresh) {
      const s = read.states.get(id);
      if (!s || s.removed) continue;
      groups.push(groupInFieldOrder(applyGroupChange({ id }, s)));
      added++;
    }
    deltaLinks.push(...read.deltaLinks);
  }
  // Links keep tracking groups that left; when they are mostly such, start over.
  if (deltaLinks.length > 2 * Math.ceil(ids.length / DELTA_FILTER_LIMIT) + 1) return full();
  const units = await readDynamicUnits(ctx);
  ctx.progress({ kind: 'count', collection: 'groups', count: groups.length, pages: deltaLinks.length, done: true });
  return { groups, deltaLinks, units: units.units, counts: { added, updated, removed } };
}

interface GroupsRefreshed {
  readonly groups: JsonObject[];
  readonly missing: string[];
  readonly deltaLinks: string[];
  readonly counts: ChangeCounts;
}

/**
 * The snapshot's groups brought up to date through their `/groups/delta` links (properties and
 * `members@delta`). Groups asked for for the first time, or a snapshot without group links, mean
 * reading the groups in full (they are few) and taking new links.
 */
async function refreshGroups(ctx: Context, stored: readonly JsonObject[], meta: LiveSnapshotMeta, wanted: readonly string[]): Promise<GroupsRefreshed> {
  const asked = new Set(meta.groupsRequested.map((g) => g.toLowerCase()));
  const links = meta.deltaLinks.groups;
  if (!links || wanted.some((g) => !asked.has(g.toLowerCase()))) {
    const read = await readGroups(ctx, wanted);
    const before = new Set(stored.map((g) => String(g['id']).toLowerCase()));
    const after = new Set(read.groups.map((g) => String(g['id']).toLowerCase()));
    const added = [...after].filter((id) => !before.has(id)).length;
    return { ...read, counts: { added, updated: after.size - added, removed: [...before].filter((id) => !after.has(id)).length } };
  }

  const changes = new Map<string, GroupState>();
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
    groups.push(applyGroupChange(g, c));
  }
  ctx.progress({ kind: 'count', collection: 'groups', count: changes.size, pages: links.length, done: true });
  return { groups, missing: [...new Set(missing)], deltaLinks, counts: { added: 0, updated, removed } };
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
