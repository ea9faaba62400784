/**
 * String operators tested on a dictionary's UTF-8 bytes, for dictionaries too large to decode
 * every entry (ids, UPNs, mail addresses). Only pure-ASCII entries are tested here: for them
 * `toLowerCase()` is ASCII lower-casing, and comparing UTF-8 bytes is comparing the strings. Other
 * entries go through the core's comparator as usual.
 */
import { isNegated, positiveOf, type Comparison, type ComparisonOperator, type PropertyType } from '../../../src/index';
import { scalarText } from '../evaluate/semantics';
import { hashBytes, hashBytesLower, utf8Encode } from './bytes';

export interface BytePattern {
  readonly op: 'eq' | 'startsWith' | 'endsWith' | 'contains' | 'in';
  readonly negated: boolean;
  /** The lower-cased comparison value (all but `in`). */
  readonly bytes: Uint8Array;
  /** `in`: lower-cased items by hash. */
  readonly set: ReadonlyMap<number, readonly Uint8Array[]>;
}

const BYTE_OPS = new Set<ComparisonOperator>(['eq', 'startsWith', 'endsWith', 'contains', 'in']);

/**
 * The byte form of a comparison of a string value, or undefined when the comparison is not one
 * of the plain string operators (then the comparator is used for every entry).
 */
export function bytePattern(e: Comparison, type: PropertyType): BytePattern | undefined {
  if (type !== 'string' && type !== 'stringCollection') return undefined;
  const op = e.op.name as ComparisonOperator | undefined;
  if (!op || e.value.kind === 'null') return undefined;
  const pos = positiveOf(op);
  if (!BYTE_OPS.has(pos)) return undefined;
  const negated = isNegated(op);
  if (pos === 'in') {
    if (e.value.kind !== 'array') return undefined;
    const set = new Map<number, Uint8Array[]>();
    for (const item of e.value.items) {
      const text = scalarText(item);
      if (text === undefined) continue;
      const b = utf8Encode(text.toLowerCase());
      if (!b) return undefined;
      const h = hashBytes(b, 0, b.length);
      const list = set.get(h);
      if (list) list.push(b);
      else set.set(h, [b]);
    }
    return { op: 'in', negated, bytes: new Uint8Array(0), set };
  }
  const text = scalarText(e.value);
  if (text === undefined) return undefined;
  const bytes = utf8Encode(text.toLowerCase());
  if (!bytes) return undefined;
  return { op: pos as BytePattern['op'], negated, bytes, set: new Map() };
}

const lower = (c: number): number => (c >= 65 && c <= 90 ? c | 32 : c);

function sameAt(b: Uint8Array, at: number, p: Uint8Array): boolean {
  for (let k = 0; k < p.length; k++) if (lower(b[at + k]!) !== p[k]) return false;
  return true;
}

/** The positive operator on ASCII bytes `b[s, e)`, compared lower-cased. */
export function testBytes(p: BytePattern, b: Uint8Array, s: number, e: number): boolean {
  const len = e - s;
  const pat = p.bytes;
  switch (p.op) {
    case 'eq': return len === pat.length && sameAt(b, s, pat);
    case 'startsWith': return len >= pat.length && sameAt(b, s, pat);
    case 'endsWith': return len >= pat.length && sameAt(b, e - pat.length, pat);
    case 'contains': {
      if (pat.length === 0) return true;
      const first = pat[0]!;
      for (let i = s, last = e - pat.length; i <= last; i++) if (lower(b[i]!) === first && sameAt(b, i, pat)) return true;
      return false;
    }
    case 'in': {
      const list = p.set.get(hashBytesLower(b, s, e));
      if (!list) return false;
      for (const q of list) if (q.length === len && sameAt(b, s, q)) return true;
      return false;
    }
  }
}
