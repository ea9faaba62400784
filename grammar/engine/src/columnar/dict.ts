/**
 * A dictionary of the distinct raw values one column holds — every value a property reader can
 * return: missing, null, booleans, numbers, strings, and (rarely) arrays or objects where a
 * scalar was expected. Rows hold entry ids; a rule is evaluated once per entry, not once per row.
 *
 * Strings are kept as UTF-8 bytes in one arena and decoded only when needed. Equal strings share
 * an entry while deduplication pays; a column whose values are nearly all distinct (ids, UPNs)
 * stops deduplicating and simply appends, which is still correct: entries are evaluated, never
 * compared for identity.
 */
import { utf8Decode, utf8Encode } from './bytes';

/**
 * The hash of a dictionary's strings: their bytes read four at a time (little-endian, the last
 * word zero-padded), mixed, and finished so that every byte reaches the low bits the table uses.
 * Four times fewer multiplications than byte-wise FNV-1a; only the dictionary stores it.
 */
export function dictHash(b: Uint8Array, start: number, end: number): number {
  let h = end - start;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    h = Math.imul(h ^ (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)), 0x01000193);
    h ^= h >>> 15;
  }
  return dictHashTail(h, b, i, end);
}

/** The last 1–3 bytes of a {@link dictHash}, and its finish. */
function dictHashTail(h: number, b: Uint8Array, i: number, end: number): number {
  if (i < end) {
    let w = b[i]!;
    if (i + 1 < end) w |= b[i + 1]! << 8;
    if (i + 2 < end) w |= b[i + 2]! << 16;
    h = Math.imul(h ^ w, 0x01000193);
    h ^= h >>> 15;
  }
  return dictHashFinish(h);
}

/** {@link dictHash} over a DataView of the same bytes (`dv` views `b`), for a caller that has one. */
export function dictHashView(dv: DataView, b: Uint8Array, start: number, end: number): number {
  let h = end - start;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    h = Math.imul(h ^ dv.getInt32(i, true), 0x01000193);
    h ^= h >>> 15;
  }
  return dictHashTail(h, b, i, end);
}

function dictHashFinish(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export const E_MISSING = 0;
export const E_NULL = 1;
export const E_FALSE = 2;
export const E_TRUE = 3;

export const K_MISSING = 0;
export const K_NULL = 1;
export const K_BOOL = 2;
export const K_STRING = 3;
export const K_NUMBER = 4;
export const K_OTHER = 5;

/**
 * Deduplication stops when nearly every value looked up so far was new: after 4,096 lookups if
 * 95% were, after 65,536 if 75% were (a column of dates has thousands of values in its first
 * rows, then mostly repeats).
 */
const LATE_CHECK = 1 << 16;
/** Lookups between two checks of whether deduplication still pays. */
export const CHECK_EVERY = 1 << 12;

/** The largest dictionary whose strings {@link ValueDict.raw} keeps once decoded. */
const KEEP_DECODED_MAX = 1 << 16;

/** Whether a dictionary of `entries` after `lookups` lookups should go on deduplicating. */
export function worthDeduplicating(entries: number, lookups: number): boolean {
  return entries <= lookups * (lookups < LATE_CHECK ? 0.95 : 0.75);
}

/** The lookup state interning left behind: its table, or none once deduplication stopped. */
export interface Interned {
  readonly table: Int32Array | undefined;
  readonly hashes: Int32Array | undefined;
  readonly lookups: number;
  readonly nextCheck: number;
}

/**
 * What interning entries `first..n-1` one by one into a new, empty dictionary leaves behind, for
 * a dictionary that adopts them with their ids (value and set dictionaries alike). Entries
 * `isKeyed` rejects are not looked up; entry `id`'s key is `data[offs[id], offs[id + 1])`, hashed
 * by `hash`. `entriesAt(id, keyed)` is the entry count the deduplication check sees when `id` is
 * added, `keyed` being the keyed entries so far. Undefined when two keys are equal: interning
 * would have merged them, so the ids could not be kept.
 */
export function replayInterning(
  n: number, first: number, isKeyed: (id: number) => boolean, offs: Int32Array, data: Uint8Array | Int32Array,
  hash: (start: number, end: number) => number, hashesLength: number, entriesAt: (id: number, keyed: number) => number,
): Interned | undefined {
  let lookups = 0;
  let nextCheck = CHECK_EVERY;
  let live = true;
  let cap = 64;
  while (cap < n * 2) cap *= 2;
  const table = new Int32Array(cap);
  const hashes = new Int32Array(hashesLength);
  const mask = cap - 1;
  for (let id = first; id < n && live; id++) {
    if (!isKeyed(id)) continue;
    const s = offs[id]!;
    const len = offs[id + 1]! - s;
    const h = hash(s, s + len);
    let i = h & mask;
    for (; table[i] !== 0; i = (i + 1) & mask) {
      const other = table[i]! - 1;
      if (hashes[other] !== h) continue;
      const os = offs[other]!;
      if (offs[other + 1]! - os !== len) continue;
      let k = 0;
      while (k < len && data[os + k] === data[s + k]) k++;
      if (k === len) return undefined;
    }
    table[i] = id + 1;
    hashes[id] = h;
    lookups++;
    if (lookups >= nextCheck) {
      nextCheck += CHECK_EVERY;
      if (!worthDeduplicating(entriesAt(id, lookups), lookups)) live = false;
    }
  }
  return live ? { table, hashes, lookups, nextCheck } : { table: undefined, hashes: undefined, lookups, nextCheck };
}

function grow8(a: Uint8Array, need: number): Uint8Array {
  if (need <= a.length) return a;
  const b = new Uint8Array(Math.max(need, a.length * 2, 16));
  b.set(a);
  return b;
}
/** Whether a byte keeps a string's bytes from being its JSON text: a control character, `"` or `\`. */
const notPlain = (c: number): boolean => c < 32 || c === 34 || c === 92;

/** `a` with exactly `n` slots when it has fewer (no doubling: for capacity known ahead). */
export function resized<A extends Uint8Array | Int32Array>(a: A, n: number): A {
  if (n <= a.length) return a;
  const b = new (a.constructor as new (n: number) => A)(n);
  b.set(a);
  return b;
}

/** A dictionary as plain data, to move it between threads (typed arrays are transferable). */
export interface DictState {
  readonly size: number;
  readonly kinds: Uint8Array;
  readonly ascii: Uint8Array;
  readonly plain: Uint8Array;
  readonly offs: Int32Array;
  readonly bytes: Uint8Array;
  readonly extra: readonly (readonly [number, unknown])[];
  readonly dedup: boolean;
  readonly lookups: number;
  readonly stringEntries: number;
}

/** The first `n` values, copied only when the array has room to spare (or is shared). */
export function trim<A extends Uint8Array | Int32Array>(a: A, n: number): A {
  return (a.length === n ? a : a.slice(0, n)) as A;
}

/** `internString`'s buffer for ASCII strings (grown to the longest). */
let asciiScratch = new Uint8Array(256);

export class ValueDict {
  /** Number of entries, including the four fixed ones. */
  size = 4;
  /** Entry kinds (K_*). */
  kinds: Uint8Array = new Uint8Array(64);
  /** 1 when a string entry is pure ASCII. */
  ascii: Uint8Array = new Uint8Array(64);
  /** 1 when a string entry's bytes are also its JSON text (no quote, backslash or control character). */
  plain: Uint8Array = new Uint8Array(64);
  /** Entry i's bytes are `bytes[offs[i], offs[i + 1])`; empty for non-strings. */
  offs: Int32Array = new Int32Array(65);
  bytes: Uint8Array = new Uint8Array(1024);
  private used = 0;
  private table: Int32Array | undefined = new Int32Array(64);
  private hashes: Int32Array | undefined = new Int32Array(64);
  private lookups = 0;
  private nextCheck = CHECK_EVERY;
  private stringEntries = 0;
  private readonly numIds = new Map<number, number>();
  /** Numbers and non-scalar values, by entry. */
  private readonly extra = new Map<number, unknown>();
  private cache: (string | undefined)[] | undefined;

  constructor() {
    this.kinds[0] = K_MISSING;
    this.kinds[1] = K_NULL;
    this.kinds[2] = K_BOOL;
    this.kinds[3] = K_BOOL;
  }

  /** Room for `cap` entries in the per-entry arrays (the hashes too, while there is a table). */
  private growEntries(cap: number): void {
    this.kinds = resized(this.kinds, cap);
    this.ascii = resized(this.ascii, cap);
    this.plain = resized(this.plain, cap);
    this.offs = resized(this.offs, cap + 1);
    if (this.hashes) this.hashes = resized(this.hashes, cap);
  }

  private newEntry(kind: number, byteLen: number): number {
    const id = this.size++;
    if (id + 1 >= this.kinds.length) this.growEntries(this.kinds.length * 2);
    this.kinds[id] = kind;
    this.used += byteLen;
    this.offs[id + 1] = this.used;
    return id;
  }

  /**
   * Room for `scale` times the entries and bytes held now, for a dictionary that grows with the
   * rows (it stopped deduplicating): a loader that can tell how many rows are coming calls it
   * once, so the arrays are not grown and copied again and again.
   */
  reserveScaled(scale: number): void {
    if (this.table || !(scale > 1)) return;
    this.growEntries(Math.ceil(this.size * scale) + 2);
    this.bytes = resized(this.bytes, Math.ceil(this.used * scale) + 1024);
  }

  private dv: DataView | undefined;
  private dvOf: Uint8Array | undefined;
  /** A view of the arena (for comparing four bytes at a time); valid until the next intern. */
  view(): DataView {
    const b = this.bytes;
    if (this.dvOf !== b) {
      this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      this.dvOf = b;
    }
    return this.dv!;
  }

  /** As {@link equals}, four bytes at a time (`bv` views `b`). */
  equalsView(id: number, b: Uint8Array, bv: DataView, start: number, end: number): boolean {
    const s = this.offs[id]!;
    const len = end - start;
    if (this.offs[id + 1]! - s !== len || this.kinds[id] !== K_STRING) return false;
    const av = this.view();
    let k = 0;
    for (; k + 4 <= len; k += 4) if (av.getInt32(s + k, true) !== bv.getInt32(start + k, true)) return false;
    const bytes = this.bytes;
    for (; k < len; k++) if (bytes[s + k] !== b[start + k]) return false;
    return true;
  }

  /** Whether entry `id` is the string with UTF-8 bytes `b[start, end)`. */
  equals(id: number, b: Uint8Array, start: number, end: number): boolean {
    const s = this.offs[id]!;
    const len = end - start;
    if (this.offs[id + 1]! - s !== len || this.kinds[id] !== K_STRING) return false;
    const bytes = this.bytes;
    for (let k = 0; k < len; k++) if (bytes[s + k] !== b[start + k]) return false;
    return true;
  }

  /**
   * As {@link internBytes}, for a string the byte scanner read: `bv` views `b`, and the bytes hold
   * no quote, backslash or control character (they are their JSON text). Hashes and compares
   * four bytes at a time.
   */
  internScanned(b: Uint8Array, bv: DataView, start: number, end: number, isAscii: boolean): number {
    const len = end - start;
    const table = this.table;
    if (!table) return this.append(b, bv, start, len, isAscii);
    this.lookups++;
    const hash = dictHashView(bv, b, start, end);
    const hashes = this.hashes!;
    const mask = table.length - 1;
    const offs = this.offs;
    let i = hash & mask;
    for (;;) {
      const e = table[i]!;
      if (e === 0) break;
      const id = e - 1;
      if (hashes[id] === hash) {
        const s = offs[id]!;
        if (offs[id + 1]! - s === len) {
          const av = this.view();
          let k = 0;
          while (k + 4 <= len && av.getInt32(s + k, true) === bv.getInt32(start + k, true)) k += 4;
          if (k + 4 > len) {
            const bytes = this.bytes;
            while (k < len && bytes[s + k] === b[start + k]) k++;
            if (k === len) return id;
          }
        }
      }
      i = (i + 1) & mask;
    }
    const id = this.append(b, bv, start, len, isAscii);
    this.indexNew(id, i, hash);
    return id;
  }

  /** A new string entry of plain bytes (no quote, backslash or control character). */
  private append(b: Uint8Array, bv: DataView, start: number, len: number, isAscii: boolean): number {
    if (this.used + len > this.bytes.length) this.bytes = grow8(this.bytes, this.used + len);
    const arena = this.bytes;
    const av = this.view();
    const o = this.used;
    let k = 0;
    for (; k + 4 <= len; k += 4) av.setInt32(o + k, bv.getInt32(start + k, true), true);
    for (; k < len; k++) arena[o + k] = b[start + k]!;
    const id = this.newEntry(K_STRING, len);
    this.ascii[id] = isAscii ? 1 : 0;
    this.plain[id] = 1;
    this.stringEntries++;
    return id;
  }

  /** Puts new entry `id` (hash `hash`) in the table at free slot `slot`; may stop deduplicating. */
  private indexNew(id: number, slot: number, hash: number): void {
    const table = this.table!;
    this.hashes![id] = hash;
    table[slot] = id + 1;
    if (this.size * 2 > table.length) this.rehash(table.length * 2);
    if (this.lookups >= this.nextCheck) {
      this.nextCheck += CHECK_EVERY;
      if (!worthDeduplicating(this.stringEntries, this.lookups)) {
        // Nearly every value is new: stop paying for the table.
        this.table = undefined;
        this.hashes = undefined;
      }
    }
  }

  /**
   * Interns the bytes `b[start, end)`, a well-formed UTF-8 string whose ASCII-ness is `isAscii`.
   */
  internBytes(b: Uint8Array, start: number, end: number, isAscii: boolean, knownHash?: number): number {
    const len = end - start;
    const table = this.table;
    let slot = -1;
    let hash = 0;
    if (table) {
      this.lookups++;
      hash = knownHash ?? dictHash(b, start, end);
      const hashes = this.hashes!;
      const mask = table.length - 1;
      const offs = this.offs;
      const bytes = this.bytes;
      let i = hash & mask;
      for (;;) {
        const e = table[i]!;
        if (e === 0) break;
        const id = e - 1;
        if (hashes[id] === hash) {
          const s = offs[id]!;
          if (offs[id + 1]! - s === len) {
            let k = 0;
            while (k < len && bytes[s + k] === b[start + k]) k++;
            if (k === len) return id;
          }
        }
        i = (i + 1) & mask;
      }
      slot = i;
    }
    if (this.used + len > this.bytes.length) this.bytes = grow8(this.bytes, this.used + len);
    const arena = this.bytes;
    let plain = 1;
    for (let k = 0, o = this.used; k < len; k++) {
      const c = b[start + k]!;
      arena[o + k] = c;
      if (notPlain(c)) plain = 0;
    }
    const id = this.newEntry(K_STRING, len);
    this.ascii[id] = isAscii ? 1 : 0;
    this.plain[id] = plain;
    this.stringEntries++;
    if (table) this.indexNew(id, slot, hash);
    return id;
  }

  private rehash(capacity: number): void {
    const table = new Int32Array(capacity);
    const mask = capacity - 1;
    const hashes = this.hashes!;
    for (let id = 4; id < this.size; id++) {
      if (this.kinds[id] !== K_STRING) continue;
      let i = hashes[id]! & mask;
      while (table[i] !== 0) i = (i + 1) & mask;
      table[i] = id + 1;
    }
    this.table = table;
  }

  /** Interns a JavaScript string. */
  internString(s: string): number {
    // ASCII, the common case, is written into a scratch buffer (internBytes copies what it keeps):
    // a table built from objects interns millions of strings, most of them already held.
    const n = s.length;
    if (n > asciiScratch.length) asciiScratch = new Uint8Array(Math.max(n, asciiScratch.length * 2));
    const scratch = asciiScratch;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) break;
      scratch[i] = c;
    }
    if (i === n) return this.internBytes(scratch, 0, n, true);
    const b = utf8Encode(s);
    if (!b) return this.internOther(s);
    let ascii = true;
    for (let i = 0; i < b.length; i++) if (b[i]! > 0x7f) { ascii = false; break; }
    return this.internBytes(b, 0, b.length, ascii);
  }

  internNumber(n: number): number {
    const hit = this.numIds.get(n);
    if (hit !== undefined) return hit;
    const id = this.newEntry(K_NUMBER, 0);
    this.numIds.set(n, id);
    this.extra.set(id, n);
    return id;
  }

  /** A value kept as it is (an array or object where a scalar was expected): one entry each. */
  internOther(v: unknown): number {
    const id = this.newEntry(K_OTHER, 0);
    this.extra.set(id, v);
    return id;
  }

  /** Interns any value a property reader can return. */
  intern(v: unknown): number {
    if (v === undefined) return E_MISSING;
    if (v === null) return E_NULL;
    if (v === true) return E_TRUE;
    if (v === false) return E_FALSE;
    if (typeof v === 'string') return this.internString(v);
    if (typeof v === 'number') return this.internNumber(v);
    return this.internOther(v);
  }

  kind(id: number): number {
    return this.kinds[id]!;
  }

  /**
   * The value of an entry, as the property reader returned it. Strings are kept once decoded in a
   * dictionary of up to {@link KEEP_DECODED_MAX} entries (departments, cities); in a larger one
   * (ids, names: nearly one entry a row) they are decoded each time, so that reading every user of
   * a million does not keep millions of strings.
   */
  raw(id: number): unknown {
    switch (this.kinds[id]) {
      case K_MISSING: return undefined;
      case K_NULL: return null;
      case K_BOOL: return id === E_TRUE;
      case K_STRING: return this.size <= KEEP_DECODED_MAX ? this.string(id) : this.peek(id);
      default: return this.extra.get(id);
    }
  }

  /** The value of an entry, without keeping a decoded string (for one-off scans of large columns). */
  peek(id: number): unknown {
    if (this.kinds[id] !== K_STRING) return this.raw(id);
    return this.cache?.[id] ?? utf8Decode(this.bytes, this.offs[id]!, this.offs[id + 1]!);
  }

  /** A string entry as a JavaScript string (decoded once, then cached). */
  string(id: number): string {
    const cache = (this.cache ??= []);
    let s = cache[id];
    if (s === undefined) {
      s = utf8Decode(this.bytes, this.offs[id]!, this.offs[id + 1]!);
      cache[id] = s;
    }
    return s;
  }

  private importedDedup = false;
  /** Whether equal strings share an entry (still, or in the thread that built the entries). */
  get deduplicating(): boolean {
    return this.table !== undefined || this.importedDedup;
  }

  /** The dictionary as plain data (views of its arrays: transfer them, then drop this dictionary). */
  exportState(): DictState {
    return {
      size: this.size,
      kinds: this.kinds.subarray(0, this.size),
      ascii: this.ascii.subarray(0, this.size),
      plain: this.plain.subarray(0, this.size),
      offs: this.offs.subarray(0, this.size + 1),
      bytes: this.bytes.subarray(0, this.used),
      extra: [...this.extra],
      dedup: this.table !== undefined,
      lookups: this.lookups,
      stringEntries: this.stringEntries,
    };
  }

  /** A dictionary over exported data (the arrays are used, not copied). */
  static fromState(st: DictState, index = true): ValueDict {
    const d = new ValueDict();
    d.size = st.size;
    d.kinds = st.kinds;
    d.ascii = st.ascii;
    d.plain = st.plain;
    d.offs = st.offs;
    d.bytes = st.bytes;
    d.used = st.bytes.length;
    d.lookups = st.lookups;
    d.stringEntries = st.stringEntries;
    d.importedDedup = st.dedup;
    for (const [id, v] of st.extra) {
      d.extra.set(id, v);
      if (typeof v === 'number' && d.kinds[id] === K_NUMBER) d.numIds.set(v, id);
    }
    if (st.dedup && index) {
      d.hashes = new Int32Array(Math.max(64, st.size));
      for (let id = 4; id < st.size; id++) if (d.kinds[id] === K_STRING) d.hashes[id] = dictHash(d.bytes, d.offs[id]!, d.offs[id + 1]!);
      let cap = 64;
      while (cap < st.size * 2) cap *= 2;
      d.rehash(cap);
    } else {
      d.table = undefined;
      d.hashes = undefined;
    }
    return d;
  }

  /**
   * Adds every entry of `src` (a dictionary of the same column, read from another part of the
   * file) and returns the map from its entry ids to ids here. Without deduplication, strings are
   * appended in one block.
   */
  appendFrom(src: ValueDict): Int32Array {
    const map = new Int32Array(src.size);
    for (let id = 0; id < 4; id++) map[id] = id;
    if (this.size === 4 && !src.deduplicating && this.numIds.size === 0) {
      // Empty here, and the source stopped deduplicating: so do we.
      this.table = undefined;
      this.hashes = undefined;
      this.lookups = src.lookups;
    }
    if (!this.table && src.size > 4) {
      // One block: the arena, and each entry's arrays, shifted.
      const base = this.size;
      const shift = this.used;
      const n = src.size - 4;
      const need = base + n + 1;
      if (need > this.kinds.length) {
        let cap = this.kinds.length;
        while (cap < need) cap *= 2;
        this.growEntries(cap);
      }
      this.kinds.set(src.kinds.subarray(4, src.size), base);
      this.ascii.set(src.ascii.subarray(4, src.size), base);
      this.plain.set(src.plain.subarray(4, src.size), base);
      const srcBytes = src.bytes.subarray(src.offs[4]!, src.used);
      if (this.used + srcBytes.length > this.bytes.length) this.bytes = grow8(this.bytes, this.used + srcBytes.length);
      this.bytes.set(srcBytes, this.used);
      const delta = shift - src.offs[4]!;
      for (let k = 0; k < n; k++) {
        this.offs[base + k + 1] = src.offs[4 + k + 1]! + delta;
        map[4 + k] = base + k;
      }
      this.size += n;
      this.used += srcBytes.length;
      this.stringEntries += src.stringEntries;
      for (const [id, v] of src.extra) {
        this.extra.set(map[id]!, v);
        if (typeof v === 'number' && src.kinds[id] === K_NUMBER && !this.numIds.has(v)) this.numIds.set(v, map[id]!);
      }
      return map;
    }
    for (let id = 4; id < src.size; id++) {
      const k = src.kinds[id];
      if (k === K_STRING) map[id] = this.internBytes(src.bytes, src.offs[id]!, src.offs[id + 1]!, src.ascii[id] === 1);
      else if (k === K_NUMBER) map[id] = this.internNumber(src.extra.get(id) as number);
      else map[id] = this.internOther(src.extra.get(id));
    }
    return map;
  }

  /**
   * Makes exported entries the whole content of this dictionary, which must be new, taking
   * ownership of their arrays: the dictionary is then exactly what
   * `appendFrom(ValueDict.fromState(st, false))` would make of it — same entries, same
   * deduplication state — but every entry keeps its id, so the rows' ids need no remapping, and
   * nothing is copied or re-hashed beyond what that state needs. Returns false, having changed
   * nothing, where appendFrom would not keep every id (the caller then appends as usual).
   */
  adoptState(st: DictState): boolean {
    if (this.size !== 4 || this.used !== 0 || this.numIds.size !== 0 || this.extra.size !== 0
      || !this.table || this.lookups !== 0 || this.stringEntries !== 0 || this.nextCheck !== CHECK_EVERY) return false;
    const n = st.size;
    const { kinds, ascii, plain, offs, bytes } = st;
    if (n < 4 || kinds.length < n || ascii.length < n || plain.length < n || offs.length < n + 1) return false;
    if (kinds[0] !== K_MISSING || kinds[1] !== K_NULL || kinds[2] !== K_BOOL || kinds[3] !== K_BOOL) return false;
    for (let id = 0; id <= 4; id++) if (offs[id] !== 0) return false;
    for (let id = 0; id < 4; id++) if (ascii[id] !== 0 || plain[id] !== 0) return false;
    if (!st.dedup) {
      // appendFrom's one-block path: the source stopped deduplicating, so this one does too.
      this.adoptArrays(st);
      this.table = undefined;
      this.hashes = undefined;
      this.lookups = st.lookups;
      this.stringEntries = st.stringEntries;
      for (const [id, v] of st.extra) {
        this.extra.set(id, v);
        if (typeof v === 'number' && kinds[id] === K_NUMBER && !this.numIds.has(v)) this.numIds.set(v, id);
      }
      return true;
    }
    // appendFrom interns the entries one by one: each is new (the source deduplicated them), so
    // each keeps its id, until the lookups (all misses) stop deduplication. Checked, not assumed:
    // the arena holds the strings in entry order, and no two strings looked up are equal.
    if (offs[n] !== bytes.length) return false;
    for (let id = 4; id < n; id++) {
      const k = kinds[id]!;
      const len = offs[id + 1]! - offs[id]!;
      if (k === K_STRING ? len < 0 : (len !== 0 || (k !== K_NUMBER && k !== K_OTHER))) return false;
    }
    const extra = new Map(st.extra);
    const numIds = new Map<number, number>();
    for (let id = 4; id < n; id++) {
      if (kinds[id] !== K_NUMBER) continue;
      const v = extra.get(id) as number;
      if (numIds.has(v)) return false;
      numIds.set(v, id);
    }
    // Every string is looked up (and counted) while deduplicating.
    const interned = replayInterning(n, 4, (id) => kinds[id] === K_STRING, offs, bytes, (s, e) => dictHash(bytes, s, e), Math.max(64, n), (_, strings) => strings);
    if (!interned) return false;
    let strings = 0;
    for (let id = 4; id < n; id++) if (kinds[id] === K_STRING) strings++;
    this.adoptArrays(st);
    // internBytes recomputes these flags; entries that are not strings have none.
    for (let id = 4; id < n; id++) {
      if (kinds[id] !== K_STRING) { ascii[id] = 0; plain[id] = 0; continue; }
      ascii[id] = ascii[id] === 1 ? 1 : 0;
      let p = 1;
      for (let k = offs[id]!, e = offs[id + 1]!; k < e; k++) {
        const c = bytes[k]!;
        if (notPlain(c)) { p = 0; break; }
      }
      plain[id] = p;
    }
    for (let id = 4; id < n; id++) if (kinds[id] !== K_STRING) this.extra.set(id, extra.get(id));
    for (const [v, id] of numIds) this.numIds.set(v, id);
    this.lookups = interned.lookups;
    this.nextCheck = interned.nextCheck;
    this.stringEntries = strings;
    this.table = interned.table;
    this.hashes = interned.hashes;
    return true;
  }

  private adoptArrays(st: DictState): void {
    this.size = st.size;
    this.kinds = st.kinds;
    this.ascii = st.ascii;
    this.plain = st.plain;
    this.offs = st.offs;
    this.bytes = st.bytes;
    this.used = st.bytes.length;
    this.cache = undefined;
  }

  /** Drops what only interning needs and trims the arrays; the dictionary is read-only after. */
  freeze(): void {
    this.table = undefined;
    this.hashes = undefined;
    this.numIds.clear();
    this.kinds = trim(this.kinds, this.size);
    this.ascii = trim(this.ascii, this.size);
    this.plain = trim(this.plain, this.size);
    this.offs = trim(this.offs, this.size + 1);
    this.bytes = trim(this.bytes, this.used);
  }

  /** Approximate bytes held. */
  get memory(): number {
    return this.kinds.length * 2 + this.offs.byteLength + this.bytes.byteLength + (this.table?.byteLength ?? 0) + (this.hashes?.byteLength ?? 0);
  }
}
