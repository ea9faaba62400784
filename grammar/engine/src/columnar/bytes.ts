/**
 * UTF-8 helpers for the columnar store, which keeps strings as bytes: a snapshot's strings arrive
 * as bytes from the file, and most are never needed as JavaScript strings. Pure: no Node APIs.
 */

/** FNV-1a offset basis; hashes in this module are 32-bit FNV-1a. */
export const HASH_SEED = 0x811c9dc5 | 0;

/** FNV-1a over `b[start, end)`. */
export function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = HASH_SEED;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h;
}

/** The same hash over ASCII-lower-cased bytes, for case-insensitive lookups. */
export function hashBytesLower(b: Uint8Array, start: number, end: number): number {
  let h = HASH_SEED;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    h = Math.imul(h ^ (c >= 65 && c <= 90 ? c | 32 : c), 0x01000193);
  }
  return h;
}

/**
 * Encodes a string as UTF-8. Undefined when the string holds a lone surrogate, which UTF-8 cannot
 * represent: the caller keeps such a string as a JavaScript value instead, so nothing is altered.
 */
export function utf8Encode(s: string): Uint8Array | undefined {
  let ascii = true;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) { ascii = false; break; }
  if (ascii) {
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) return undefined;
      c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      i++;
      out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    } else out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

interface Decoder { decode(b: Uint8Array): string }
const platformDecoder: Decoder | undefined = (() => {
  const TD = (globalThis as { TextDecoder?: new (label: string) => Decoder }).TextDecoder;
  return TD ? new TD('utf-8') : undefined;
})();

/**
 * Decodes well-formed UTF-8 (the store only holds bytes it encoded itself or validated).
 * Uses the platform's decoder where there is one.
 */
export function utf8Decode(b: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 24) {
    let ascii = true;
    for (let i = start; i < end; i++) if (b[i]! > 0x7f) { ascii = false; break; }
    if (ascii) {
      let s = '';
      for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
      return s;
    }
  }
  if (platformDecoder) return platformDecoder.decode(b.subarray(start, end));
  let s = '';
  for (let i = start; i < end;) {
    const c = b[i]!;
    let cp: number;
    if (c < 0x80) { cp = c; i += 1; }
    else if (c < 0xe0) { cp = ((c & 31) << 6) | (b[i + 1]! & 63); i += 2; }
    else if (c < 0xf0) { cp = ((c & 15) << 12) | ((b[i + 1]! & 63) << 6) | (b[i + 2]! & 63); i += 3; }
    else { cp = ((c & 7) << 18) | ((b[i + 1]! & 63) << 12) | ((b[i + 2]! & 63) << 6) | (b[i + 3]! & 63); i += 4; }
    s += String.fromCodePoint(cp);
  }
  return s;
}
