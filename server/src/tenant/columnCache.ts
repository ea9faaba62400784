/**
 * A cache of a large collection's columns, so a snapshot read once from JSON Lines loads in
 * seconds the next time: a million users are about 9 GB of JSON, and their columns a few
 * hundred megabytes of typed arrays that are read back as they are (no parsing).
 *
 * One file per source file and object type, in a cache folder (the platform's user cache by
 * default), owner-only like the snapshots it is read from. It is used only when the source file's
 * path, size, modification time, change time and inode, and the cache format, are the ones it was
 * written for; anything else and the JSON is read again.
 *
 * The modification time alone is not enough: `tar -x`, `cp -p` and `rsync -t` set it to the
 * source's, so a file edited to the same size and copied back looked unchanged and its stale
 * columns were used. The change time (ctime) is set by the system on every write and every
 * change of metadata — setting the modification time changes it too — and no copy can keep it;
 * a file replaced by another (rename, `rsync`) has a new inode. Both come with the one `stat`
 * the key needs, so checking them costs nothing, where hashing the content would read the whole
 * file (gigabytes) on every load the cache exists to make fast.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import type { RuleObject } from '../../../grammar/src/index';
import {
  CollectionColumn, RowIndex, ScalarColumn, SetDict, Table, TupleDict, ValueDict,
  type BuildResult, type DictState, type IdArray, type SetState, type TupleState,
} from '../../../grammar/engine/src/index';

/** Bumped whenever the columns' layout or what the loader puts in them changes. */
const FORMAT = 3;
const MAGIC = 'DYNRCOL1';

export interface CacheKey {
  readonly source: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** The status change time: set by the system on every write or metadata change; no copy keeps it. */
  readonly ctimeMs: number;
  readonly ino: number;
  readonly object: RuleObject;
}

/** The key of a source file, from its `stat`. */
export function cacheKeyOf(source: string, st: { size: number; mtimeMs: number; ctimeMs: number; ino: number }, object: RuleObject): CacheKey {
  return { source, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, object };
}

const sameKey = (a: CacheKey, b: CacheKey): boolean =>
  a.source === b.source && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.object === b.object;

/** The user's cache folder for dynrule (XDG, macOS and Windows conventions; DYNRULE_CACHE_DIR overrides). */
export function defaultCacheDir(): string {
  if (process.env['DYNRULE_CACHE_DIR']) return process.env['DYNRULE_CACHE_DIR'];
  if (process.platform === 'win32' && process.env['LOCALAPPDATA']) return path.join(process.env['LOCALAPPDATA'], 'dynrule', 'cache');
  if (process.platform === 'darwin') return path.join(homedir(), 'Library', 'Caches', 'dynrule');
  return path.join(process.env['XDG_CACHE_HOME'] || path.join(homedir(), '.cache'), 'dynrule');
}

export function cacheFile(dir: string, key: CacheKey): string {
  const h = createHash('sha256').update(path.resolve(key.source)).digest('hex').slice(0, 24);
  return path.join(dir, 'columns', `${h}-${key.object}.columns`);
}

type ArrayType = 'u8' | 'u16' | 'i32';
interface Ref { readonly at: number; readonly length: number; readonly type: ArrayType }
interface DictRef { readonly size: number; readonly kinds: Ref; readonly ascii: Ref; readonly plain: Ref; readonly offs: Ref; readonly bytes: Ref; readonly extra: readonly (readonly [number, unknown])[]; readonly lookups: number; readonly stringEntries: number }
interface SetRef { readonly size: number; readonly kinds: Ref; readonly offs: Ref; readonly items: Ref; readonly other: readonly (readonly [number, unknown])[] }
interface TupleRef { readonly fields: readonly string[]; readonly size: number; readonly parts: readonly DictRef[]; readonly tuples: Ref; readonly other: readonly (readonly [number, unknown])[] }
interface ColumnRef { readonly key: string; readonly ids: Ref; readonly dict?: DictRef; readonly sets?: SetRef; readonly items?: DictRef | TupleRef }
interface Header {
  readonly format: number;
  readonly key: CacheKey;
  readonly rows: number;
  readonly withoutId: number;
  readonly duplicates: number;
  readonly scalars: readonly ColumnRef[];
  readonly collections: readonly ColumnRef[];
  readonly extras: readonly ColumnRef[];
}

const typeOf = (a: ArrayBufferView): ArrayType => (a instanceof Uint16Array ? 'u16' : a instanceof Int32Array ? 'i32' : 'u8');
const align = (n: number): number => (n + 7) & ~7;

/** Writes the columns of a freshly loaded (not yet frozen) table. Errors are the caller's to ignore. */
export async function writeColumnCache(file: string, key: CacheKey, result: BuildResult): Promise<void> {
  const chunks: ArrayBufferView[] = [];
  let at = 0;
  const ref = (a: ArrayBufferView): Ref => {
    const r = { at, length: a.byteLength / (typeOf(a) === 'u8' ? 1 : typeOf(a) === 'u16' ? 2 : 4), type: typeOf(a) };
    chunks.push(a);
    at = align(at + a.byteLength);
    return r;
  };
  const dict = (st: DictState): DictRef => ({
    size: st.size, kinds: ref(st.kinds), ascii: ref(st.ascii), plain: ref(st.plain), offs: ref(st.offs), bytes: ref(st.bytes),
    extra: st.extra, lookups: st.lookups, stringEntries: st.stringEntries,
  });
  const sets = (st: SetState): SetRef => ({ size: st.size, kinds: ref(st.kinds), offs: ref(st.offs), items: ref(st.items), other: st.other });
  const tuple = (st: TupleState): TupleRef => ({ fields: st.fields, size: st.size, parts: st.parts.map(dict), tuples: ref(st.tuples), other: st.other });
  const column = (c: ScalarColumn | CollectionColumn): ColumnRef => c instanceof ScalarColumn
    ? { key: c.key, ids: ref(c.ids), dict: dict(c.dict.exportState()) }
    : { key: c.key, ids: ref(c.setIds), sets: sets(c.sets.exportState()), items: c.items instanceof TupleDict ? tuple(c.items.exportState()) : dict((c.items as ValueDict).exportState()) };
  const t = result.table;
  const { manager, licenseStates, assignedLicenses } = t.extras;
  const header: Header = {
    format: FORMAT, key, rows: t.rows, withoutId: result.withoutId, duplicates: result.duplicates,
    scalars: [...t.scalars.values()].map(column),
    collections: [...t.collections.values()].map(column),
    extras: [manager, licenseStates, assignedLicenses].filter((c): c is ScalarColumn | CollectionColumn => c !== undefined).map(column),
  };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(align(MAGIC.length + 4 + head.length));
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(head.length, MAGIC.length);
  head.copy(prefix, MAGIC.length + 4);
  // Directory data, as the snapshots are: owner-only, like them (SECURITY.md).
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const fh = await fs.open(tmp, 'w', 0o600);
  try {
    await fh.write(prefix);
    let pos = prefix.length;
    const pad = Buffer.alloc(8);
    for (const c of chunks) {
      const b = new Uint8Array(c.buffer, c.byteOffset, c.byteLength);
      if (b.byteLength) await fh.write(b, 0, b.byteLength, pos);
      pos += b.byteLength;
      const gap = align(pos - prefix.length) - (pos - prefix.length);
      if (gap) { await fh.write(pad, 0, gap, pos); pos += gap; }
    }
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, file);
}

/** The columns cached for `key`, or undefined when there is no cache or it is for another file or format. */
export async function readColumnCache(file: string, key: CacheKey): Promise<BuildResult | undefined> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = (await fh.stat()).size;
    const probe = Buffer.alloc(MAGIC.length + 4);
    await fh.read(probe, 0, probe.length, 0);
    if (probe.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
    const headLen = probe.readUInt32LE(MAGIC.length);
    const headBuf = Buffer.alloc(headLen);
    await fh.read(headBuf, 0, headLen, MAGIC.length + 4);
    const header = JSON.parse(headBuf.toString('utf8')) as Header;
    if (header.format !== FORMAT || !sameKey(header.key, key)) return undefined;
    const base = align(MAGIC.length + 4 + headLen);
    // One buffer for all the arrays, which become views of it (8-byte aligned).
    const data = new ArrayBuffer(size - base);
    const view = new Uint8Array(data);
    for (let off = 0; off < view.length;) {
      const { bytesRead } = await fh.read(view, off, Math.min(view.length - off, 64 << 20), base + off);
      if (bytesRead === 0) return undefined;
      off += bytesRead;
    }
    return rebuild(header, data);
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}

function rebuild(h: Header, data: ArrayBuffer): BuildResult {
  const arr = (r: Ref): IdArray => (r.type === 'u16' ? new Uint16Array(data, r.at, r.length) : r.type === 'i32' ? new Int32Array(data, r.at, r.length) : new Uint8Array(data, r.at, r.length));
  const u8 = (r: Ref): Uint8Array => new Uint8Array(data, r.at, r.length);
  const i32 = (r: Ref): Int32Array => new Int32Array(data, r.at, r.length);
  const dict = (d: DictRef): ValueDict => ValueDict.fromState({
    size: d.size, kinds: u8(d.kinds), ascii: u8(d.ascii), plain: u8(d.plain), offs: i32(d.offs), bytes: u8(d.bytes),
    extra: d.extra, dedup: false, lookups: d.lookups, stringEntries: d.stringEntries,
  }, false);
  const sets = (s: SetRef): SetDict => SetDict.adopt({ size: s.size, kinds: u8(s.kinds), offs: i32(s.offs), items: i32(s.items), other: s.other, dedup: false });
  const items = (x: DictRef | TupleRef): ValueDict | TupleDict => ('fields' in x
    ? TupleDict.fromState({ fields: x.fields, size: x.size, parts: x.parts.map((p) => dict(p).exportState()), tuples: i32(x.tuples), other: x.other })
    : dict(x));
  const scalar = (c: ColumnRef): ScalarColumn => {
    const col = new ScalarColumn(c.key, dict(c.dict!));
    col.ids = arr(c.ids);
    col.vec = undefined;
    return col;
  };
  const collection = (c: ColumnRef): CollectionColumn => {
    const col = new CollectionColumn(c.key, items(c.items!), sets(c.sets!));
    col.setIds = arr(c.ids);
    col.vec = undefined;
    return col;
  };
  const scalars = new Map(h.scalars.map((c) => [c.key, scalar(c)]));
  const collections = new Map(h.collections.map((c) => [c.key, collection(c)]));
  const extra = new Map(h.extras.map((c) => [c.key, c.dict ? scalar(c) : collection(c)]));
  const manager = extra.get('manager');
  const licenseStates = extra.get('licenseAssignmentStates');
  const assignedLicenses = extra.get('assignedLicenses');
  const table = new Table(h.key.object, h.rows, scalars, collections, {
    ...(manager instanceof ScalarColumn ? { manager } : {}),
    ...(licenseStates instanceof CollectionColumn ? { licenseStates } : {}),
    ...(assignedLicenses instanceof CollectionColumn ? { assignedLicenses } : {}),
  }, new RowIndex(scalars.get('id')!, h.rows, false), undefined);
  return { table, withoutId: h.withoutId, duplicates: h.duplicates };
}
