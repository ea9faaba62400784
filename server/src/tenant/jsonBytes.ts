/**
 * A validating JSON reader over bytes, for the streaming loader: strings are scanned in place (so
 * they can be interned without ever becoming JavaScript strings) and any value
 * can be skipped while still being checked (escapes as JSON.parse checks them, and non-ASCII
 * bytes as UTF-8). Whatever it does not expect, it gives up on with
 * {@link BAIL}; the loader then reads that line with JSON.parse, which decides (and reports
 * errors) exactly as before.
 */

/** Thrown to give up on a line. */
export const BAIL: unique symbol = Symbol('bail');

export const QUOTE = 34;
const BACKSLASH = 92;

/** Bytes that end the fast loop inside a string: quote, backslash, control characters, non-ASCII. */
const STOP = new Uint8Array(256);
for (let c = 0; c < 256; c++) STOP[c] = c < 32 || c === QUOTE || c === BACKSLASH || c >= 0x80 ? 1 : 0;

/** Characters that may follow a backslash (but `u`, which takes four hex digits), and hex digits. */
const ESCAPE = new Uint8Array(256);
for (const c of '"\\/bfnrt') ESCAPE[c.charCodeAt(0)] = 1;
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

/** Whether a byte is JSON whitespace. */
export const isWs = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * Cursor over one line. The byte after the line's end must be below 32 (the loader puts a line
 * break there), so scanning a string never runs past the line.
 */
export class JsonBytes {
  b: Uint8Array = new Uint8Array(0);
  i = 0;
  end = 0;
  /** After `string()`: ASCII-ness and escapes of the string just scanned. */
  ascii = true;
  escaped = false;
  /** After `string()`: the content is `b[strStart, strEnd)` (raw, escapes not decoded). */
  strStart = 0;
  strEnd = 0;

  /** The same bytes, for reading four at a time. */
  dv: DataView = new DataView(new ArrayBuffer(0));

  reset(b: Uint8Array, start: number, end: number): void {
    if (b !== this.b) {
      this.b = b;
      this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    this.i = start;
    this.end = end;
  }

  /**
   * Whether the input at `p` starts with `lit[q, q + n)` (`lv` is a view of `lit`), compared
   * four bytes at a time. Never reads past the line's end.
   */
  same(p: number, lit: Uint8Array, lv: DataView, q: number, n: number): boolean {
    if (p + n > this.end) return false;
    const dv = this.dv;
    let k = 0;
    // Eight bytes at a time as doubles: equal doubles are equal bytes but for +0/-0 (bytes no
    // JSON text holds: seven zero bytes) and NaN, which never equals itself, so unequal doubles
    // are compared again as two words.
    for (; k + 8 <= n; k += 8) {
      if (dv.getFloat64(p + k, true) !== lv.getFloat64(q + k, true)
        && (dv.getInt32(p + k, true) !== lv.getInt32(q + k, true) || dv.getInt32(p + k + 4, true) !== lv.getInt32(q + k + 4, true))) return false;
    }
    if (k + 4 <= n) {
      if (dv.getInt32(p + k, true) !== lv.getInt32(q + k, true)) return false;
      k += 4;
    }
    const b = this.b;
    for (; k < n; k++) if (b[p + k] !== lit[q + k]) return false;
    return true;
  }

  ws(): number {
    const b = this.b;
    const end = this.end;
    let i = this.i;
    let c = b[i]!;
    while ((c === 32 || c === 10 || c === 13 || c === 9) && i < end) c = b[++i]!;
    this.i = i;
    return i < end ? c : -1;
  }

  expect(c: number): void {
    if (this.ws() !== c) throw BAIL;
    this.i++;
  }

  /** Scans a string starting at the opening quote at `i`; leaves `i` after the closing quote. */
  string(): void {
    const b = this.b;
    const dv = this.dv;
    let j = this.i + 1;
    this.strStart = j;
    // Four bytes at a time while none is a quote, a backslash, a control character or non-ASCII
    // (exact tests for "some byte is"; the byte loop finds which). Reads stop at the sentinel.
    const last = this.end - 3;
    let ascii = true;
    for (;;) {
      while (j <= last) {
        const w = dv.getInt32(j, true);
        const q = w ^ 0x22222222;
        const s = w ^ 0x5c5c5c5c;
        if (((((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s) | ((w - 0x20202020) & ~w) | w) & 0x80808080) !== 0) break;
        j += 4;
      }
      let c = b[j]!;
      while (STOP[c] === 0) c = b[++j]!;
      if (c === QUOTE) break;
      if (c >= 0x80) { ascii = false; j++; continue; }
      if (c === BACKSLASH) { this.escapedString(j); return; }
      throw BAIL; // a control character: invalid JSON
    }
    if (j >= this.end) throw BAIL;
    // Bytes that are not UTF-8: JSON.parse of the line's decoded text would not see them.
    if (!ascii && !validUtf8(b, this.strStart, j)) throw BAIL;
    this.strEnd = j;
    this.i = j + 1;
    this.ascii = ascii;
    this.escaped = false;
  }

  /**
   * The rest of a string from its first backslash at `from`: every escape checked as JSON.parse
   * checks it, and non-ASCII bytes checked to be UTF-8 (a skipped value is still validated).
   */
  private escapedString(from: number): void {
    const b = this.b;
    let j = from;
    let ascii = true;
    for (;;) {
      const c = b[j]!;
      if (c === QUOTE) break;
      if (c < 32) throw BAIL;
      if (c === BACKSLASH) {
        const e = b[j + 1]!;
        if (e === 117) { // \uXXXX
          for (let k = 2; k < 6; k++) if (HEX[b[j + k]!] === 0) throw BAIL;
          j += 6;
        } else if (ESCAPE[e] === 1) j += 2;
        else throw BAIL;
        continue;
      }
      if (c >= 0x80) ascii = false;
      j++;
    }
    if (j >= this.end) throw BAIL;
    if (!ascii && !validUtf8(b, this.strStart, j)) throw BAIL;
    this.strEnd = j;
    this.i = j + 1;
    this.escaped = true;
    this.ascii = false;
  }

  /** Checks that the literal `word` (true, false, null) is at `i`, and moves past it. */
  literal(word: Uint8Array): void {
    const b = this.b;
    const i = this.i;
    for (let k = 0; k < word.length; k++) if (b[i + k] !== word[k]) throw BAIL;
    const after = b[i + word.length]!;
    if (!(after === 44 || after === 125 || after === 93 || isWs(after) || i + word.length >= this.end)) throw BAIL;
    this.i = i + word.length;
  }

  /** Scans a JSON number at `i` (strictly); returns its text's end. */
  number(): number {
    const b = this.b;
    let j = this.i;
    if (b[j] === 45) j++;
    if (b[j] === 48) j++;
    else if (b[j]! >= 49 && b[j]! <= 57) while (b[j]! >= 48 && b[j]! <= 57) j++;
    else throw BAIL;
    if (b[j] === 46) {
      j++;
      if (!(b[j]! >= 48 && b[j]! <= 57)) throw BAIL;
      while (b[j]! >= 48 && b[j]! <= 57) j++;
    }
    if (b[j] === 101 || b[j] === 69) {
      j++;
      if (b[j] === 43 || b[j] === 45) j++;
      if (!(b[j]! >= 48 && b[j]! <= 57)) throw BAIL;
      while (b[j]! >= 48 && b[j]! <= 57) j++;
    }
    if (j > this.end) throw BAIL;
    const start = this.i;
    this.i = j;
    return start;
  }

  /** Skips any value at `i`, checking its syntax. */
  skip(depth = 0): void {
    if (depth > 64) throw BAIL;
    const c = this.ws();
    const b = this.b;
    switch (c) {
      case QUOTE: this.string(); return;
      case 123: { // {
        this.i++;
        if (this.ws() === 125) { this.i++; return; }
        for (;;) {
          if (this.ws() !== QUOTE) throw BAIL;
          this.string();
          this.expect(58);
          this.skip(depth + 1);
          const d = this.ws();
          this.i++;
          if (d === 44) continue;
          if (d === 125) return;
          throw BAIL;
        }
      }
      case 91: { // [
        this.i++;
        if (this.ws() === 93) { this.i++; return; }
        for (;;) {
          this.skip(depth + 1);
          const d = this.ws();
          this.i++;
          if (d === 44) continue;
          if (d === 93) return;
          throw BAIL;
        }
      }
      case 116: this.literal(TRUE); return;
      case 102: this.literal(FALSE); return;
      case 110: this.literal(NULL); return;
      default:
        if (c === 45 || (c >= 48 && c <= 57)) { this.number(); return; }
        void b;
        throw BAIL;
    }
  }

  /** After a member value: moves past ',' (true) or the closing `close` (false). */
  next(close: number): boolean {
    const d = this.ws();
    this.i++;
    if (d === 44) return true;
    if (d === close) return false;
    throw BAIL;
  }
}

export const TRUE = Uint8Array.from([116, 114, 117, 101]);
export const FALSE = Uint8Array.from([102, 97, 108, 115, 101]);
export const NULL = Uint8Array.from([110, 117, 108, 108]);

/**
 * The offset of the first byte in `b[s, e)` that does not begin a well-formed UTF-8 sequence (an
 * overlong, a surrogate, a code point past U+10FFFF, a stray continuation byte, a sequence cut
 * short), or -1 when all of it is well-formed.
 */
export function firstInvalidUtf8(b: Uint8Array, s: number, e: number): number {
  let i = s;
  while (i < e) {
    const c = b[i]!;
    if (c < 0x80) { i++; continue; }
    if (c >= 0xc2 && c <= 0xdf) {
      if (i + 1 >= e || (b[i + 1]! & 0xc0) !== 0x80) return i;
      i += 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      const c1 = b[i + 1]!;
      if (i + 2 >= e || (c1 & 0xc0) !== 0x80 || (b[i + 2]! & 0xc0) !== 0x80) return i;
      if (c === 0xe0 && c1 < 0xa0) return i;
      if (c === 0xed && c1 >= 0xa0) return i;
      i += 3;
    } else if (c >= 0xf0 && c <= 0xf4) {
      const c1 = b[i + 1]!;
      if (i + 3 >= e || (c1 & 0xc0) !== 0x80 || (b[i + 2]! & 0xc0) !== 0x80 || (b[i + 3]! & 0xc0) !== 0x80) return i;
      if (c === 0xf0 && c1 < 0x90) return i;
      if (c === 0xf4 && c1 >= 0x90) return i;
      i += 4;
    } else return i;
  }
  return -1;
}

/** Whether `b[s, e)` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF). */
export function validUtf8(b: Uint8Array, s: number, e: number): boolean {
  return firstInvalidUtf8(b, s, e) < 0;
}
