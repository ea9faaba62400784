/**
 * How the byte reader predicts a line from the lines before it: keys expected at each position,
 * the layout of an object (the bytes between its values), and replays — an item, or the rest of
 * an array, byte for byte as last seen but for the values no rule reads ("holes"). A match is
 * exact: equal bytes, and holes that are valid JSON values.
 */
import { ValueDict } from '../../../grammar/engine/src/index';
import { BAIL, JsonBytes, QUOTE, validUtf8 } from './jsonBytes';

/** `a` with room for index `need`, new slots -1 ("none"). */
export function grow(a: Int32Array, need: number): Int32Array {
  if (need < a.length) return a;
  const b = new Int32Array(Math.max(need + 1, a.length * 2)).fill(-1);
  b.set(a);
  return b;
}

/** Keys of one kind of object, by position: the key expected at each position, and its id. */
export class Keys {
  readonly dict = new ValueDict();
  private expect: Int32Array = new Int32Array(64).fill(-1);

  /** The id of the key just scanned (at `pos` in its object). */
  id(j: JsonBytes, pos: number): number {
    if (j.escaped) throw BAIL;
    const b = j.b;
    const s = j.strStart;
    const e = j.strEnd;
    if (pos >= this.expect.length) this.expect = grow(this.expect, pos);
    const guess = this.expect[pos]!;
    if (guess >= 0 && this.dict.equalsView(guess, b, j.dv, s, e)) return guess;
    if (!j.ascii && !validUtf8(b, s, e)) throw BAIL;
    const id = this.dict.internBytes(b, s, e, j.ascii);
    this.expect[pos] = id;
    return id;
  }
}

/** A key → field index table for the items of a tuple dictionary. */
export class FieldKeys extends Keys {
  private readonly index: number[] = [];
  constructor(fields: readonly string[]) {
    super();
    for (let f = 0; f < fields.length; f++) this.index[this.dict.internString(fields[f]!)] = f;
  }
  field(j: JsonBytes, pos: number): number {
    return this.index[this.id(j, pos)] ?? -1;
  }
}

/**
 * The layout of the last object of a kind that was read the slow way: the bytes between its
 * values (keys, colons, commas, spaces) and what to do with each value. The next object of that
 * kind is read by comparing those bytes and reading only the values; any difference, and the
 * object is read the slow way (and its layout recorded instead).
 */
export class Template {
  readonly lv: DataView;
  /**
   * Array replays whose items each have one hole: for segment k (which ends at item k's hole),
   * the offset of item k's `{` in it, so a partial match can resume at an item.
   */
  braces: Int32Array | undefined;
  constructor(readonly lit: Uint8Array, readonly offs: Int32Array, readonly acts: Int32Array) {
    this.lv = new DataView(lit.buffer, lit.byteOffset, lit.byteLength);
  }
}

export class Recorder {
  private buf = new Uint8Array(4096);
  private used = 0;
  private readonly offs: number[] = [];
  private readonly acts: number[] = [];
  private from = 0;
  private b: Uint8Array = this.buf;

  begin(b: Uint8Array, at: number): void {
    this.b = b;
    this.used = 0;
    this.offs.length = 0;
    this.acts.length = 0;
    this.from = at;
  }
  private copy(to: number): void {
    const n = to - this.from;
    if (this.used + n > this.buf.length) {
      const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.used + n));
      bigger.set(this.buf.subarray(0, this.used));
      this.buf = bigger;
    }
    this.offs.push(this.used);
    for (let k = 0; k < n; k++) this.buf[this.used + k] = this.b[this.from + k]!;
    this.used += n;
  }
  /** A value starts at `at`; `act` says what to do with it. */
  value(at: number, act: number): void {
    this.copy(at);
    this.acts.push(act);
  }
  /** The value that started last ended at `at`. */
  valueEnd(at: number): void {
    this.from = at;
  }
  finish(at: number): Template {
    this.copy(at);
    this.offs.push(this.used);
    return new Template(this.buf.slice(0, this.used), Int32Array.from(this.offs), Int32Array.from(this.acts));
  }
}

/**
 * Reads an item that is byte for byte the recorded one of its tuple, except the values no rule
 * reads (the holes); false when it is not.
 */
export function matchReplay(j: JsonBytes, r: Template): boolean {
  const b = j.b;
  const { lit, lv, offs } = r;
  const n = r.acts.length;
  let p = j.i;
  for (let k = 0; ; k++) {
    const q = offs[k]!;
    const len = offs[k + 1]! - q;
    if (!j.same(p, lit, lv, q, len)) return false;
    p += len;
    j.i = p;
    if (k === n) return true;
    if (b[p] === QUOTE) j.string();
    else j.skip();
    p = j.i;
  }
}

/**
 * Matches the rest of an array against a sequence's replay. -1 when all of it matched (j.i
 * after the `]`); otherwise the number of whole items that matched, with j.i at the next
 * item's `{` (or, for 0, back at `from`).
 */
export function matchArrayReplay(j: JsonBytes, r: Template, from: number): number {
  const b = j.b;
  const { lit, lv, offs, braces } = r;
  const n = r.acts.length;
  let p = from;
  let prevStart = from;
  for (let k = 0; ; k++) {
    const q = offs[k]!;
    const len = offs[k + 1]! - q;
    if (!j.same(p, lit, lv, q, len)) {
      if (k <= 1 || !braces) { j.i = from; return 0; }
      // Segment k holds the tail of item k - 1: items before it matched whole.
      j.i = prevStart + braces[k - 1]!;
      return k - 1;
    }
    prevStart = p;
    p += len;
    j.i = p;
    if (k === n) return -1;
    if (b[p] === QUOTE) j.string();
    else j.skip();
    p = j.i;
  }
}

/** Records the item at `open` (which `t` reads) as the replay of its tuple: field values kept, others holes. */
export function recordReplay(j: JsonBytes, rec: Recorder, t: Template, open: number): Template {
  const { offs, acts } = t;
  rec.begin(j.b, open);
  let p = open;
  for (let k = 0; k < acts.length; k++) {
    p += offs[k + 1]! - offs[k]!;
    j.i = p;
    if (acts[k]! < 0) rec.value(p, -1);
    j.skip();
    if (acts[k]! < 0) rec.valueEnd(j.i);
    p = j.i;
  }
  p += offs[acts.length + 1]! - offs[acts.length]!;
  return rec.finish(p);
}

/**
 * Records the bytes of an array from after its first item to after its `]` as a replay: items
 * read by their kind's layout, with the values no rule reads as holes. Undefined when an item
 * does not follow the layout.
 */
export function recordArrayReplay(j: JsonBytes, rec: Recorder, t: Template | undefined, from: number, end: number): Template | undefined {
  if (!t) return undefined;
  const { lit, lv, offs, acts } = t;
  rec.begin(j.b, from);
  j.i = from;
  const holesPerItem = acts.reduce((n, a) => n + (a < 0 ? 1 : 0), 0);
  const braces: number[] = [];
  let segmentStart = from;
  try {
    for (;;) {
      const c = j.ws();
      if (c === 93) { j.i++; break; }
      if (c !== 44) return undefined;
      j.i++;
      j.ws();
      const itemStart = j.i;
      let p = j.i;
      for (let k = 0; ; k++) {
        const q = offs[k]!;
        const len = offs[k + 1]! - q;
        if (!j.same(p, lit, lv, q, len)) return undefined;
        p += len;
        j.i = p;
        if (k === acts.length) break;
        if (acts[k]! < 0) {
          if (holesPerItem === 1) braces.push(itemStart - segmentStart);
          rec.value(p, -1);
        }
        j.skip();
        if (acts[k]! < 0) {
          rec.valueEnd(j.i);
          segmentStart = j.i;
        }
        p = j.i;
      }
    }
  } catch (e) {
    if (e === BAIL) return undefined;
    throw e;
  }
  if (j.i !== end) return undefined;
  const replay = rec.finish(end);
  if (holesPerItem === 1) replay.braces = Int32Array.from(braces);
  return replay;
}
