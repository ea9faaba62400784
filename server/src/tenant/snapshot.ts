/**
 * Loads a tenant snapshot folder (README, Files; samples/tenant/README.md): `users`, `devices`, `groups`,
 * `subscribedSkus` and the optional `administrativeUnits`, each as `.json` (a Graph page `{"value": [...]}` or a plain array) or `.jsonl`
 * (one object a line, read as a stream). Builds the indexes evaluation and preview need, and the
 * users and devices as columns (`tables`), over which rules are evaluated.
 *
 * Small collections keep every object as read. A large `.jsonl` collection (a million users is
 * gigabytes of JSON) is streamed into columns on every core and its objects are not kept: the
 * `users`/`devices` arrays and the maps then build each object from the columns when it is read,
 * with every field a rule, a trace, a rule test or the licence preview needs.
 *
 * A malformed file (or one that is not UTF-8) fails with its name and position; unknown fields are
 * kept (in objects mode); a missing optional file is fine and is listed in `notes` with what it
 * means.
 */
import { constants as bufferConstants } from 'node:buffer';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RuleObject } from '../../../grammar/src/index';
import { freezeTable, TableBuilder, type BuildResult, type GraphObject, type Table } from '../../../grammar/engine/src/index';
import { lineColumn, locateJsonError } from './jsonError';
import { lineTooLong, MAX_LINE_BYTES, MAX_MEMBERS_LINE_BYTES, openSnapshotFile, parseJsonLine } from './jsonLine';
import { FileReadError, readTextFile } from '../files';
import { cacheFile, cacheKeyOf, defaultCacheDir, readColumnCache, writeColumnCache, type CacheKey } from './columnCache';
import { deriveMemberOf, type Side } from './memberOf';
import { loadJsonLinesTable } from './parallel';
import { SnapshotError, readFailure } from './snapshotError';
import { byIdMap, byUpnMap, objectList } from './views';

export { SnapshotError };

/** The longest text a `.json` file can be read as (one JavaScript string). */
const MAX_STRING_LENGTH = bufferConstants.MAX_STRING_LENGTH;

export interface SnapshotMeta {
  readonly tenantId?: string;
  readonly tenantName?: string;
  readonly takenAt?: string;
  readonly source?: string;
  readonly [key: string]: unknown;
}

export interface GraphGroup extends GraphObject {
  readonly id: string;
  readonly displayName?: string;
  readonly membershipRule?: string | null;
  readonly members?: readonly string[];
  readonly assignedLicenses?: readonly { readonly skuId: string; readonly disabledPlans?: readonly string[] }[];
}

/**
 * An administrative unit (samples/tenant/README.md, administrativeUnits): Graph's fields, and
 * `members` as for groups. `membershipType` is `"Dynamic"` for a dynamic one.
 */
export interface GraphAdministrativeUnit extends GraphObject {
  readonly id: string;
  readonly displayName?: string;
  readonly membershipType?: string | null;
  readonly membershipRule?: string | null;
  readonly membershipRuleProcessingState?: string | null;
  readonly members?: readonly string[];
}

export interface SubscribedSku extends GraphObject {
  readonly skuId: string;
  readonly skuPartNumber?: string;
  readonly consumedUnits?: number;
  readonly prepaidUnits?: { readonly enabled?: number; readonly suspended?: number; readonly warning?: number; readonly lockedOut?: number };
}

export type Collection = 'users' | 'devices' | 'groups' | 'subscribedSkus' | 'administrativeUnits';

const ALL_COLLECTIONS: readonly Collection[] = ['users', 'devices', 'groups', 'subscribedSkus', 'administrativeUnits'];

export interface Snapshot {
  readonly dir: string;
  /** The folder name, used as the tenant's label. */
  readonly name: string;
  readonly meta: SnapshotMeta | undefined;
  readonly users: readonly GraphObject[] | undefined;
  readonly devices: readonly GraphObject[] | undefined;
  readonly groups: readonly GraphGroup[] | undefined;
  readonly skus: readonly SubscribedSku[] | undefined;
  /** Empty when the folder has no administrativeUnits file (`notes` says so) or it was not asked for. */
  readonly administrativeUnits: readonly GraphAdministrativeUnit[];
  readonly administrativeUnitById: ReadonlyMap<string, GraphAdministrativeUnit>;
  /** Lower-cased id → object. */
  readonly userById: ReadonlyMap<string, GraphObject>;
  /** Lower-cased userPrincipalName → user. */
  readonly userByUpn: ReadonlyMap<string, GraphObject>;
  readonly deviceById: ReadonlyMap<string, GraphObject>;
  readonly groupById: ReadonlyMap<string, GraphGroup>;
  /** Human-readable notes: missing files and what cannot be computed, duplicates skipped. */
  readonly notes: readonly string[];
  /** The users and devices as columns, in the same order as `users` and `devices`. */
  readonly tables: { readonly users?: Table; readonly devices?: Table };
}

export interface LoadOptions {
  /**
   * Which collections to read; all by default. `administrativeUnits` is optional: by default it is
   * read when present, and its absence is noted only when `only` names it (for the commands that
   * use administrative units; others would only be told about a file they do not need).
   */
  readonly only?: readonly Collection[];
  /** Called with a count as objects are read (for progress). */
  readonly onProgress?: (collection: Collection, count: number) => void;
  /** Stops loading when aborted. */
  readonly signal?: AbortSignal;
  /**
   * Keep users and devices as the objects read (true), or as columns only (false). By default
   * objects are kept unless the collection is a `.jsonl` file of at least {@link COLUMNS_ONLY_BYTES}.
   */
  readonly keepObjects?: boolean;
  /** Worker threads for large files (default: one per core). */
  readonly workers?: number;
  /**
   * Where columns streamed from a large file are cached for the next load (see columnCache.ts);
   * false for no cache. Default: the user's cache folder.
   */
  readonly cacheDir?: string | false;
}

/** From this size on, a `.jsonl` collection is kept as columns only. */
export const COLUMNS_ONLY_BYTES = 64 << 20;

const WHAT_IF_MISSING: Record<Collection, string> = {
  users: 'no users.json: user rules cannot be evaluated',
  devices: 'no devices.json: device rules cannot be evaluated',
  groups: 'no groups.json: current members, memberOf and group licenses are unknown',
  subscribedSkus: 'no subscribedSkus.json: seat counts are unknown',
  administrativeUnits: 'no administrativeUnits.json: no administrative units (dynamic administrative units are unknown)',
};

async function exists(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}

/** Finds `<name>.json` or `<name>.jsonl` in the folder. */
async function findFile(dir: string, name: string): Promise<string | undefined> {
  for (const ext of ['.jsonl', '.json']) {
    const p = path.join(dir, name + ext);
    if (await exists(p)) return p;
  }
  return undefined;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SnapshotError('snapshot', 'loading was cancelled');
}

/** Reads the objects of one file: a Graph page, an array, or JSON Lines. */
export async function readObjects(file: string, options: { signal?: AbortSignal; onCount?: (n: number) => void; maxLineBytes?: number } = {}): Promise<GraphObject[]> {
  const label = path.basename(file);
  if (file.endsWith('.jsonl')) return readJsonLines(file, label, options);
  const text = await readJsonText(file, label);
  checkAborted(options.signal);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    const loc = locateJsonError(text);
    throw new SnapshotError(label, loc ? `invalid JSON: ${loc.message}` : 'invalid JSON', loc?.line, loc?.column);
  }
  const list = Array.isArray(data) ? data : isPage(data) ? data.value : undefined;
  if (!list) {
    // Where the value that is not a page or an array begins (a page without "value" is an object).
    const at = /\S/.exec(text)?.index ?? 0;
    const { line, column } = lineColumn(text, at);
    throw new SnapshotError(label, 'expected a Microsoft Graph page {"value": [...]} or a JSON array of objects', line, column);
  }
  list.forEach((o, i) => {
    if (o === null || typeof o !== 'object' || Array.isArray(o)) {
      throw new SnapshotError(label, `item ${i + 1} is not a JSON object`, ...positionOfItem(text, i));
    }
  });
  options.onCount?.(list.length);
  return list as GraphObject[];
}

/**
 * `buildTable` in slices of about 10 ms, giving the event loop a turn between them: a language
 * server building the table of 200,000 users read from a JSON file answers the editor meanwhile.
 */
async function buildTableInSlices(object: RuleObject, objects: readonly GraphObject[], options: { keepObjects?: boolean }, signal?: AbortSignal): Promise<BuildResult> {
  const b = new TableBuilder(object, options);
  let slice = performance.now();
  for (let i = 0; i < objects.length; i++) {
    b.addObject(objects[i]!);
    if ((i & 255) === 255 && performance.now() - slice >= 10) {
      await new Promise((resolve) => setImmediate(resolve));
      checkAborted(signal);
      slice = performance.now();
    }
  }
  return b.finish();
}

function isPage(d: unknown): d is { value: unknown[] } {
  return d !== null && typeof d === 'object' && Array.isArray((d as { value?: unknown }).value);
}

/** Best-effort position of the i-th array item, for messages. */
function positionOfItem(text: string, i: number): [number?, number?] {
  const start = text.indexOf('[');
  if (start < 0) return [];
  let depth = 0;
  let count = 0;
  let inString = false;
  for (let k = start + 1; k < text.length; k++) {
    const c = text[k];
    if (inString) {
      if (c === '\\') k++;
      else if (c === '"') inString = false;
      continue;
    }
    // The item's first character (checked before an opening bracket counts as depth).
    if (count === i && depth === 0 && c !== ',' && !/\s/.test(c!)) {
      const { line, column } = lineColumn(text, k);
      return [line, column];
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 0) count++;
  }
  return [];
}

/**
 * The text of a `.json` file: a regular file no longer than a JavaScript string can be (larger
 * collections are `.jsonl`), its bytes checked to be UTF-8 (the first bad byte fails with its
 * line, column and offset), without a byte-order mark.
 */
async function readJsonText(file: string, label: string): Promise<string> {
  try {
    return await readTextFile(file, MAX_STRING_LENGTH);
  } catch (e) {
    if (e instanceof FileReadError) throw new SnapshotError(label, e.reason, e.line, e.column);
    throw e;
  }
}

/**
 * JSON Lines read as objects: lines end at `\n` (a `\r` before it is dropped), and each line is
 * read by {@link parseJsonLine}, as the streaming loader reads a line its scanner gives up on.
 */
async function readJsonLines(file: string, label: string, options: { signal?: AbortSignal; onCount?: (n: number) => void; maxLineBytes?: number }): Promise<GraphObject[]> {
  const maxLine = options.maxLineBytes ?? MAX_LINE_BYTES;
  const out: GraphObject[] = [];
  const fh = await openSnapshotFile(file, label);
  let buf = Buffer.allocUnsafe(1 << 20);
  let len = 0;
  /** The file offset of `buf[0]`. */
  let base = 0;
  let lineNo = 0;
  const lineAt = (s: number, e: number): void => {
    lineNo++;
    if (e > s && buf[e - 1] === 13) e--;
    const o = parseJsonLine(label, buf, s, e, lineNo, base + s);
    if (!o) return;
    out.push(o as GraphObject);
    if ((out.length & 0xffff) === 0) options.onCount?.(out.length);
  };
  try {
    for (;;) {
      if (options.signal?.aborted) throw new SnapshotError(label, 'loading was cancelled');
      if (len === buf.length) {
        // A line longer than the buffer: make room.
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, len);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, len, buf.length - len, base + len);
      const from = len;
      len += bytesRead;
      const data = buf.subarray(0, len);
      let s = 0;
      // Only the bytes just read can hold a line break the last search did not see.
      for (let nl = data.indexOf(10, from); nl >= 0; nl = data.indexOf(10, s)) {
        lineAt(s, nl);
        s = nl + 1;
      }
      if (bytesRead === 0) {
        if (s < len) lineAt(s, len);
        break;
      }
      if (len - s > maxLine) throw lineTooLong(label, lineNo + 1, maxLine);
      buf.copyWithin(0, s, len);
      len -= s;
      base += s;
    }
  } catch (e) {
    if (e instanceof SnapshotError) throw e;
    throw new SnapshotError(label, readFailure(e));
  } finally {
    await fh.close();
  }
  options.onCount?.(out.length);
  return out;
}

function indexById<T extends GraphObject>(list: readonly T[], label: string, notes: string[]): Map<string, T> {
  const m = new Map<string, T>();
  let missing = 0;
  let dup = 0;
  for (const o of list) {
    const id = o['id'];
    if (typeof id !== 'string' || id === '') { missing++; continue; }
    const key = id.toLowerCase();
    if (m.has(key)) { dup++; continue; }
    m.set(key, o);
  }
  if (missing) notes.push(`${label}: ${missing} object${missing === 1 ? '' : 's'} without an "id" ignored`);
  if (dup) notes.push(`${label}: ${dup} duplicate id${dup === 1 ? '' : 's'}; the first occurrence of each is used`);
  return m;
}

/** A collection read as objects, or streamed into columns. */
type Loaded = { readonly objects: GraphObject[] } | {
  readonly table: Table;
  readonly withoutId: number;
  readonly duplicates: number;
  /** Read from the column cache. */
  readonly cached?: boolean;
  /** Where to cache the columns once the table is final. */
  readonly cacheTo?: { readonly file: string; readonly key: CacheKey };
};

/** Loads a snapshot folder. Throws SnapshotError for a missing folder or a broken file. */
export async function loadSnapshot(dir: string, options: LoadOptions = {}): Promise<Snapshot> {
  let st;
  try {
    st = await fs.stat(dir);
  } catch {
    throw new SnapshotError(dir, 'no such tenant folder');
  }
  if (!st.isDirectory()) throw new SnapshotError(dir, 'is not a folder');
  const wanted = new Set<Collection>(options.only ?? ALL_COLLECTIONS);
  const notes: string[] = [];
  const read = async (c: Collection): Promise<GraphObject[] | undefined> => {
    if (!wanted.has(c)) return undefined;
    const file = await findFile(dir, c);
    if (!file) {
      if (c !== 'administrativeUnits' || options.only) notes.push(WHAT_IF_MISSING[c]);
      return undefined;
    }
    checkAborted(options.signal);
    // Groups and units list their members on their own line.
    const members = c === 'groups' || c === 'administrativeUnits' ? { maxLineBytes: MAX_MEMBERS_LINE_BYTES } : {};
    return readObjects(file, { signal: options.signal, onCount: (n) => options.onProgress?.(c, n), ...members });
  };
  const load = async (c: 'users' | 'devices'): Promise<Loaded | undefined> => {
    if (!wanted.has(c)) return undefined;
    const file = await findFile(dir, c);
    if (!file) { notes.push(WHAT_IF_MISSING[c]); return undefined; }
    checkAborted(options.signal);
    const lines = file.endsWith('.jsonl');
    const big = lines && (await fs.stat(file)).size >= COLUMNS_ONLY_BYTES;
    const object: RuleObject = c === 'users' ? 'user' : 'device';
    if (options.keepObjects ?? !big) return { objects: await readObjects(file, { signal: options.signal, onCount: (n) => options.onProgress?.(c, n) }) };
    if (!lines) return buildTableInSlices(object, await readObjects(file, { signal: options.signal, onCount: (n) => options.onProgress?.(c, n) }), {}, options.signal);
    const st = await fs.stat(file);
    const key: CacheKey = cacheKeyOf(path.resolve(file), st, object);
    const where = options.cacheDir === false ? undefined : cacheFile(options.cacheDir ?? defaultCacheDir(), key);
    const cached = where ? await readColumnCache(where, key) : undefined;
    if (cached) {
      options.onProgress?.(c, cached.table.rows);
      return { ...cached, cached: true };
    }
    const builder = await loadJsonLinesTable(file, object, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.workers !== undefined ? { workers: options.workers } : {}),
      onCount: (n) => options.onProgress?.(c, n),
    });
    return { ...builder.finish(), ...(where ? { cacheTo: { file: where, key } } : {}) };
  };

  let meta: SnapshotMeta | undefined;
  const metaFile = path.join(dir, 'snapshot.json');
  if (await exists(metaFile)) {
    const text = await readJsonText(metaFile, 'snapshot.json');
    try {
      const m: unknown = JSON.parse(text);
      if (m && typeof m === 'object' && !Array.isArray(m)) meta = m as SnapshotMeta;
      else notes.push('snapshot.json is not a JSON object; ignored');
    } catch {
      const loc = locateJsonError(text);
      throw new SnapshotError('snapshot.json', `invalid JSON: ${loc?.message ?? 'syntax error'}`, loc?.line, loc?.column);
    }
  }

  // DYNRULE_TRACE_LOAD=1 prints how long each step takes (stderr).
  const trace = typeof process !== 'undefined' && process.env['DYNRULE_TRACE_LOAD'] ? (what: string, t0: number): void => { process.stderr.write(`load: ${what} ${(performance.now() - t0).toFixed(0)} ms\n`); } : undefined;
  let t0 = performance.now();
  const users = await load('users');
  trace?.('users', t0);
  t0 = performance.now();
  const devices = await load('devices');
  trace?.('devices', t0);
  t0 = performance.now();
  const groups = (await read('groups')) as GraphGroup[] | undefined;
  const skus = (await read('subscribedSkus')) as SubscribedSku[] | undefined;
  const units = (await read('administrativeUnits')) as GraphAdministrativeUnit[] | undefined;
  trace?.('groups and SKUs', t0);
  t0 = performance.now();

  const collection = (loaded: Loaded | undefined, label: string): Side & { readonly list: GraphObject[] | undefined } => {
    if (!loaded) return { list: undefined, byId: new Map<string, GraphObject>(), table: undefined };
    if ('objects' in loaded) return { list: loaded.objects, byId: indexById(loaded.objects, label, notes), table: undefined };
    idNotes(label, loaded.withoutId, loaded.duplicates, notes);
    return { list: undefined, byId: byIdMap(loaded.table), table: loaded.table };
  };
  const u = collection(users, 'users');
  const d = collection(devices, 'devices');
  const groupById = indexById(checkMembers(groups ?? [], 'groups', notes), 'groups', notes);
  const unitById = indexById(checkMembers(units ?? [], 'administrativeUnits', notes), 'administrativeUnits', notes);
  const derived = groups ? deriveMemberOf(groups, u, d) : new Set<Table>();

  const userTable = u.table ?? (u.list ? (await buildTableInSlices('user', [...u.byId.values()], { keepObjects: true }, options.signal)).table : undefined);
  const deviceTable = d.table ?? (d.list ? (await buildTableInSlices('device', [...d.byId.values()], { keepObjects: true }, options.signal)).table : undefined);
  // The id index too (0.3 s at a million users): the groups' member lists, which the audit, the
  // what-if and every preview of a group look up, name millions of ids.
  for (const t of [userTable, deviceTable]) if (t) { freezeTable(t); t.idRows(); }
  trace?.('indexes, memberOf, tables', t0);
  // Columns read from JSON Lines are cached for the next load, unless memberOf was derived from
  // this groups.json (the cache would not follow a change to it). Written in the background.
  for (const l of [users, devices]) {
    if (l && 'table' in l && l.cacheTo && !derived.has(l.table)) void writeColumnCache(l.cacheTo.file, l.cacheTo.key, l).catch(() => undefined);
  }

  let userByUpn: ReadonlyMap<string, GraphObject>;
  if (u.table) userByUpn = byUpnMap(u.table);
  else {
    const m = new Map<string, GraphObject>();
    for (const o of u.byId.values()) {
      const upn = o['userPrincipalName'];
      if (typeof upn === 'string') m.set(upn.toLowerCase(), o);
    }
    userByUpn = m;
  }

  return {
    dir, name: path.basename(path.resolve(dir)), meta,
    users: u.table ? objectList(u.table) : u.list ? [...u.byId.values()] : undefined,
    devices: d.table ? objectList(d.table) : d.list ? [...d.byId.values()] : undefined,
    groups: groups ? [...groupById.values()] : undefined,
    administrativeUnits: [...unitById.values()], administrativeUnitById: unitById,
    skus, userById: u.byId, userByUpn, deviceById: d.byId, groupById, notes,
    tables: { ...(userTable ? { users: userTable } : {}), ...(deviceTable ? { devices: deviceTable } : {}) },
  };
}

/**
 * `members` must be an array of ids. Anything else is not guessed at: a `members` that is not an
 * array leaves that object's members unknown, and an item that is not an id string is left out;
 * both are counted in `notes`. Objects are copied, not changed.
 */
function checkMembers<T extends GraphGroup | GraphAdministrativeUnit>(list: readonly T[], label: string, notes: string[]): T[] {
  let notArray = 0;
  let notId = 0;
  const out = list.map((o) => {
    const members: unknown = o.members;
    if (members === undefined) return o;
    if (!Array.isArray(members)) {
      notArray++;
      const { members: _, ...rest } = o;
      return rest as T;
    }
    const ids = members.filter((m): m is string => typeof m === 'string' && m !== '');
    if (ids.length === members.length) return o;
    notId += members.length - ids.length;
    return { ...o, members: ids };
  });
  if (notArray) notes.push(`${label}: ${notArray} object${notArray === 1 ? '' : 's'} whose "members" is not an array of ids; their members are unknown`);
  if (notId) notes.push(`${label}: ${notId} item${notId === 1 ? '' : 's'} of "members" that ${notId === 1 ? 'is' : 'are'} not an id left out`);
  return out;
}

function idNotes(label: string, missing: number, dup: number, notes: string[]): void {
  if (missing) notes.push(`${label}: ${missing} object${missing === 1 ? '' : 's'} without an "id" ignored`);
  if (dup) notes.push(`${label}: ${dup} duplicate id${dup === 1 ? '' : 's'}; the first occurrence of each is used`);
}

/** Finds a user by UPN or object id (case-insensitive). */
export function findUser(s: Snapshot, key: string): GraphObject | undefined {
  const k = key.toLowerCase();
  return s.userById.get(k) ?? s.userByUpn.get(k);
}
