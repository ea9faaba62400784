/**
 * Character sets for the RE2 translation: ranges of code units (or code points), JavaScript's
 * own \s, word and digit sets, ECMAScript's case-insensitive equivalence without the `u` flag,
 * and the mapping of surrogate code units to private code points.
 */

/** A set of code units (or code points with `u`) as sorted, disjoint, inclusive ranges. */
export type Ranges = [number, number][];

export const MAX_UNIT = 0xffff;
export const MAX_CODE_POINT = 0x10ffff;
/** Surrogate code unit u stands for code point SURROGATE_BASE + (u − 0xD800) in RE2's input. */
export const SURROGATE_BASE = 0xf0000;

/** Replaces each surrogate code unit by a private code point, so RE2 sees code units (no `u` flag). */
export function mapSurrogates(s: string): string {
  return s.replace(/[\uD800-\uDFFF]/g, (c) => String.fromCodePoint(SURROGATE_BASE + c.charCodeAt(0) - 0xd800));
}

export const HAS_SURROGATE = /[\uD800-\uDFFF]/;

export function normalize(r: Ranges): Ranges {
  const sorted = r.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: Ranges = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export function complement(r: Ranges, max: number): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (const [a, b] of normalize(r)) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= max) out.push([next, max]);
  return out;
}

function contains(r: Ranges, c: number): boolean {
  let lo = 0;
  let hi = r.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = r[mid]!;
    if (c < a) hi = mid - 1;
    else if (c > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The characters JavaScript's own `\s` matches, read from the running engine once. */
let whitespace: Ranges | undefined;
export function spaces(): Ranges {
  if (!whitespace) {
    const out: Ranges = [];
    const re = /\s/;
    for (let c = 0; c <= MAX_UNIT; c++) if (re.test(String.fromCharCode(c))) out.push([c, c]);
    whitespace = normalize(out);
  }
  return whitespace;
}
export const DIGITS: Ranges = [[0x30, 0x39]];
export const WORD: Ranges = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
export const LINE_TERMINATORS: Ranges = [[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]];

/**
 * Case-insensitive equivalence without `u` (ECMA-262 Canonicalize): the code units whose
 * canonical form is shared by another unit, grouped. Built once, lazily.
 */
let foldGroups: { groupOf: Map<number, number[]>; all: number[][] } | undefined;
export function folds(): { groupOf: Map<number, number[]>; all: number[][] } {
  if (!foldGroups) {
    const byCanon = new Map<number, number[]>();
    for (let c = 0; c <= MAX_UNIT; c++) {
      const up = String.fromCharCode(c).toUpperCase();
      let canon = c;
      if (up.length === 1) {
        const cu = up.charCodeAt(0);
        if (!(c >= 128 && cu < 128)) canon = cu;
      }
      let g = byCanon.get(canon);
      if (!g) byCanon.set(canon, (g = []));
      g.push(c);
    }
    const groupOf = new Map<number, number[]>();
    const all: number[][] = [];
    for (const g of byCanon.values()) {
      if (g.length < 2) continue;
      all.push(g);
      for (const c of g) groupOf.set(c, g);
    }
    foldGroups = { groupOf, all };
  }
  return foldGroups;
}

/** Adds every unit that JavaScript's case-insensitive matching treats as equal to a member. */
export function closeOverCase(r: Ranges): Ranges {
  const set = normalize(r);
  const extra: Ranges = [];
  for (const g of folds().all) {
    if (g.some((c) => contains(set, c))) for (const c of g) extra.push([c, c]);
  }
  return normalize([...set, ...extra]);
}

