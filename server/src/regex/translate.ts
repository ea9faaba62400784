/**
 * Translates a JavaScript regular expression (the `source` and `flags` that the core's
 * analyzeRegex makes of a `-match` pattern) into RE2 syntax that matches exactly the same
 * strings, for re2js's linear-time engine.
 *
 * RE2 differs from JavaScript where it matters here, so nothing is passed through as written:
 * - JavaScript without the `u` flag works on UTF-16 code units, RE2 on code points: `.` and
 *   `[^…]` match half of an emoji in JavaScript, a whole one in RE2. Surrogate code units are
 *   therefore moved to a private range (see {@link mapSurrogates}) in the pattern and, when a
 *   string holds any, in the string, so that RE2 sees one code point per JavaScript code unit.
 * - Case-insensitive matching without `u` follows JavaScript's Canonicalize (toUpperCase, never
 *   mapping a non-ASCII character to ASCII: `ſ` is not `s`, the Kelvin sign is not `k`), RE2
 *   folds Unicode case orbits. Without `u`, every letter and class is expanded here to the
 *   characters JavaScript treats as equal, and RE2 matches case-sensitively.
 * - `.`, `\s` and `\S` are written out as JavaScript defines them (`.` excludes \r, U+2028 and
 *   U+2029 too; `\s` includes U+00A0, U+FEFF and the Unicode spaces).
 * What RE2 cannot do — lookahead, back-references, repeat counts over 1,000, a few legacy escapes —
 * is reported as untranslatable, and the engine decides what to do instead.
 */

import {
  closeOverCase, complement, DIGITS, folds, LINE_TERMINATORS, MAX_CODE_POINT, MAX_UNIT, normalize, spaces, SURROGATE_BASE, WORD,
  type Ranges,
} from './charSets';

export { HAS_SURROGATE, mapSurrogates } from './charSets';

export type Translation =
  | { readonly ok: true; readonly source: string; readonly caseInsensitive: boolean; readonly lookbehind: boolean; readonly units: boolean }
  | { readonly ok: false; readonly reason: string };

class Untranslatable extends Error {}

const hex = (c: number): string => `\\x{${c.toString(16).toUpperCase()}}`;

class Translator {
  private i = 0;
  private lookbehind = false;
  private readonly unicode: boolean;
  private readonly ignoreCase: boolean;
  private readonly namedGroups: boolean;

  constructor(private readonly src: string, flags: string) {
    this.unicode = flags.includes('u');
    this.ignoreCase = flags.includes('i');
    if (/[gmsyvd]/.test(flags)) throw new Untranslatable(`flags ${flags}`);
    this.namedGroups = /\(\?<[A-Za-z_$]/.test(src);
  }

  run(): Translation {
    const body = this.disjunction();
    if (this.i < this.src.length) throw new Untranslatable(`unexpected '${this.src[this.i]}'`);
    // With `u`, RE2's case folding is the Unicode simple case folding JavaScript uses too.
    return { ok: true, source: body, caseInsensitive: this.unicode && this.ignoreCase, lookbehind: this.lookbehind, units: !this.unicode };
  }

  private peek(k = 0): string | undefined {
    return this.src[this.i + k];
  }

  private disjunction(): string {
    const alts = [this.alternative()];
    while (this.peek() === '|') {
      this.i++;
      alts.push(this.alternative());
    }
    return alts.join('|');
  }

  private alternative(): string {
    let out = '';
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') out += this.term();
    return out;
  }

  private term(): string {
    const c = this.peek()!;
    if (c === '^' || c === '$') {
      this.i++;
      return c;
    }
    if (c === '\\' && (this.peek(1) === 'b' || this.peek(1) === 'B')) {
      // With `u` and `i`, JavaScript's word characters include ſ and the Kelvin sign; RE2's do not.
      if (this.unicode && this.ignoreCase) throw new Untranslatable('\\b with the u and i flags');
      const letter = this.peek(1)!;
      this.i += 2;
      return `\\${letter}`;
    }
    if (c === '(' && this.peek(1) === '?' && (this.peek(2) === '=' || this.peek(2) === '!')) throw new Untranslatable('lookahead');
    if (c === '(' && this.peek(1) === '?' && this.peek(2) === '<' && (this.peek(3) === '=' || this.peek(3) === '!')) {
      const neg = this.peek(3) === '!';
      this.i += 4;
      const inner = this.disjunction();
      this.expect(')');
      this.lookbehind = true;
      if (this.quantifierAhead()) throw new Untranslatable('quantified lookbehind');
      return `(?<${neg ? '!' : '='}${inner})`;
    }
    const atom = this.atom();
    return atom + this.quantifier();
  }

  private expect(ch: string): void {
    if (this.peek() !== ch) throw new Untranslatable(`expected '${ch}'`);
    this.i++;
  }

  private quantifierAhead(): boolean {
    const c = this.peek();
    return c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(?:,\d*)?\}/.test(this.src.slice(this.i)));
  }

  private quantifier(): string {
    const c = this.peek();
    let q: string;
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      q = c;
    } else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return '';
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (min > 1000 || (max !== Infinity && max > 1000)) throw new Untranslatable('a repeat count over 1,000');
      this.i += m[0].length;
      q = m[2] === undefined ? `{${min}}` : max === Infinity ? `{${min},}` : `{${min},${max}}`;
    } else return '';
    // Lazy or greedy matches the same strings; only the match found differs.
    if (this.peek() === '?') this.i++;
    if (this.quantifierAhead()) throw new Untranslatable('a quantifier after a quantifier');
    return q;
  }

  private atom(): string {
    const c = this.peek()!;
    switch (c) {
      case '.':
        this.i++;
        return this.set(complement(LINE_TERMINATORS, this.max()), false);
      case '(': {
        this.i++;
        if (this.peek() === '?') {
          if (this.peek(1) === ':') this.i += 2;
          else if (this.peek(1) === '<') {
            const m = /^\?<([A-Za-z_$][\w$]*)>/.exec(this.src.slice(this.i));
            if (!m) throw new Untranslatable('group syntax');
            this.i += m[0].length;
          } else throw new Untranslatable('group syntax');
        }
        const inner = this.disjunction();
        this.expect(')');
        // Captures are never read: a non-capturing group keeps RE2 on its fastest path.
        return `(?:${inner})`;
      }
      case '[':
        return this.characterClass();
      case '\\':
        return this.atomEscape();
      case '*':
      case '+':
      case '?':
      case ')':
        throw new Untranslatable(`'${c}' where a character belongs`);
      case '{':
        if (this.unicode || /^\{\d+(?:,\d*)?\}/.test(this.src.slice(this.i))) throw new Untranslatable('nothing to repeat');
        this.i++;
        return this.literal(0x7b);
      default: {
        const cp = this.readChar();
        return this.literal(cp);
      }
    }
  }

  private max(): number {
    return this.unicode ? MAX_CODE_POINT : MAX_UNIT;
  }

  /** The next source character: a code unit without `u`, a code point with it. */
  private readChar(): number {
    const cp = this.unicode ? this.src.codePointAt(this.i)! : this.src.charCodeAt(this.i);
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }

  private literal(cp: number): string {
    if (this.ignoreCase && !this.unicode) {
      const g = folds().groupOf.get(cp);
      if (g) return this.set(g.map((x) => [x, x]), false);
    }
    return this.char(cp);
  }

  /** One character in RE2 syntax, surrogate code units moved to their private code points. */
  private char(cp: number): string {
    if (!this.unicode && cp >= 0xd800 && cp <= 0xdfff) return hex(SURROGATE_BASE + cp - 0xd800);
    if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) return String.fromCharCode(cp);
    return hex(cp);
  }

  /**
   * A class from ranges, written out. Without `u` it is closed over case and complemented here
   * (JavaScript's [^…] excludes every character equal to a member ignoring case). With `u`, RE2
   * folds case itself and negates after folding, as JavaScript does; `extra` holds \p items.
   */
  private set(ranges: Ranges, negated: boolean, extra = ''): string {
    let r = normalize(ranges);
    if (!this.unicode) {
      if (this.ignoreCase) r = closeOverCase(r);
      if (negated) {
        r = complement(r, MAX_UNIT);
        negated = false;
      }
    }
    const parts: string[] = [];
    for (const [a, b] of r) {
      if (!this.unicode && a <= 0xdfff && b >= 0xd800) {
        // Split around the surrogates, which move to their private code points.
        if (a < 0xd800) parts.push(a === 0xd7ff ? hex(a) : `${hex(a)}-${hex(0xd7ff)}`);
        const sa = Math.max(a, 0xd800) - 0xd800 + SURROGATE_BASE;
        const sb = Math.min(b, 0xdfff) - 0xd800 + SURROGATE_BASE;
        parts.push(sa === sb ? hex(sa) : `${hex(sa)}-${hex(sb)}`);
        if (b > 0xdfff) parts.push(b === 0xe000 ? hex(b) : `${hex(0xe000)}-${hex(b)}`);
      } else parts.push(a === b ? hex(a) : `${hex(a)}-${hex(b)}`);
    }
    if (parts.length === 0 && !extra) return negated ? '[\\x{0}-\\x{10FFFF}]' : '[^\\x{0}-\\x{10FFFF}]';
    return `[${negated ? '^' : ''}${parts.join('')}${extra}]`;
  }

  /** `\d \D \w \W \s \S` as ranges, or undefined for another escape. */
  private classEscape(letter: string | undefined): Ranges | undefined {
    switch (letter) {
      case 'd': return DIGITS;
      case 'D': return complement(DIGITS, this.max());
      case 'w':
      case 'W': {
        // With `u` and `i`, JavaScript's word characters include ſ and the Kelvin sign (they fold to s and k).
        const word = this.unicode && this.ignoreCase ? normalize([...WORD, [0x17f, 0x17f], [0x212a, 0x212a]]) : WORD;
        return letter === 'w' ? word : complement(word, this.max());
      }
      case 's': return spaces();
      case 'S': return complement(spaces(), this.max());
      default: return undefined;
    }
  }

  private atomEscape(): string {
    const n = this.peek(1);
    if (n === undefined) throw new Untranslatable('a trailing backslash');
    const cls = this.classEscape(n);
    if (cls) {
      this.i += 2;
      return this.set(cls, false);
    }
    if (n === 'p' || n === 'P') {
      if (!this.unicode) {
        this.i += 2;
        return this.literal(n.charCodeAt(0));
      }
      return this.property();
    }
    if (/[1-9]/.test(n)) throw new Untranslatable('a back-reference');
    if (n === 'k' && (this.unicode || this.namedGroups)) throw new Untranslatable('a back-reference');
    return this.literal(this.characterEscape(false));
  }

  /** `\p{…}` / `\P{…}` (with `u`), as RE2 writes it; RE2 must know the name. */
  private property(): string {
    const m = /^\\([pP])\{([A-Za-z_]+)(?:=([A-Za-z_]+))?\}/.exec(this.src.slice(this.i));
    if (!m) throw new Untranslatable('a property escape');
    // \P is a set, and with `i` JavaScript closes it over case (\P{Ll} matches 'b', through 'B'): RE2 does not.
    if (m[1] === 'P' && this.ignoreCase) throw new Untranslatable('\\P with the u and i flags');
    this.i += m[0].length;
    let name = m[2]!;
    if (m[3] !== undefined) {
      if (!/^(General_Category|gc|Script|sc)$/.test(name)) throw new Untranslatable(`the property ${name}`);
      name = m[3];
    }
    // RE2 knows general categories by their short names and scripts by name; JavaScript's long
    // category names (Letter) and binary properties (Emoji) are not translated.
    if (!/^([A-Z][a-z]?|[A-Z][a-z]+(_[A-Z][a-z]+)*)$/.test(name) || /^(Any|ASCII|Assigned|Alphabetic|Emoji|Letter|Number|Punctuation|Symbol|Separator|Mark|Other)$/.test(name)) {
      throw new Untranslatable(`the property ${name}`);
    }
    return `\\${m[1]}{${name}}`;
  }

  /**
   * A character escape after the backslash at `i`: `\t \n \v \f \r \0 \cX \xHH \uHHHH \u{…}` or
   * an identity escape. Without `u`, JavaScript's legacy rules apply (`\x` alone is `x`).
   */
  private characterEscape(inClass: boolean): number {
    const n = this.peek(1)!;
    const rest = this.src.slice(this.i + 2);
    switch (n) {
      case 't': this.i += 2; return 0x09;
      case 'n': this.i += 2; return 0x0a;
      case 'v': this.i += 2; return 0x0b;
      case 'f': this.i += 2; return 0x0c;
      case 'r': this.i += 2; return 0x0d;
      case '0':
        if (/^[0-9]/.test(rest)) throw new Untranslatable('a legacy octal escape');
        this.i += 2;
        return 0;
      case 'c':
        if (/^[A-Za-z]/.test(rest)) {
          this.i += 3;
          return rest.charCodeAt(0) % 32;
        }
        throw new Untranslatable('\\c without a letter');
      case 'x': {
        const m = /^[0-9A-Fa-f]{2}/.exec(rest);
        if (m) {
          this.i += 4;
          return parseInt(m[0], 16);
        }
        if (this.unicode) throw new Untranslatable('\\x');
        this.i += 2;
        return 0x78;
      }
      case 'u': {
        const braced = this.unicode ? /^\{([0-9A-Fa-f]{1,6})\}/.exec(rest) : null;
        if (braced) {
          this.i += 2 + braced[0].length;
          return parseInt(braced[1]!, 16);
        }
        const m = /^[0-9A-Fa-f]{4}/.exec(rest);
        if (!m) {
          if (this.unicode) throw new Untranslatable('\\u');
          this.i += 2;
          return 0x75;
        }
        this.i += 6;
        const unit = parseInt(m[0], 16);
        // With `u`, an escaped surrogate pair is one code point.
        const low = this.unicode && unit >= 0xd800 && unit <= 0xdbff ? /^\\u(d[c-f][0-9a-f]{2})/i.exec(this.src.slice(this.i)) : null;
        if (low) {
          this.i += 6;
          return 0x10000 + ((unit - 0xd800) << 10) + (parseInt(low[1]!, 16) - 0xdc00);
        }
        return unit;
      }
      case 'b':
        if (inClass) {
          this.i += 2;
          return 0x08;
        }
        throw new Untranslatable('\\b');
      case '-':
        if (inClass) {
          this.i += 2;
          return 0x2d;
        }
        break;
      default:
        break;
    }
    if (this.unicode && !/[\^$\\.*+?()[\]{}|/]/.test(n)) throw new Untranslatable(`\\${n}`);
    this.i += 1;
    return this.readChar();
  }

  private characterClass(): string {
    this.i++;
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    const ranges: Ranges = [];
    let props = '';
    // One class atom: a character, or a set (a class escape such as \d).
    const classAtom = (): number | Ranges => {
      const c = this.peek();
      if (c === undefined) throw new Untranslatable('an unterminated class');
      if (c !== '\\') return this.readChar();
      const n = this.peek(1);
      const cls = this.classEscape(n);
      if (cls) {
        this.i += 2;
        return cls;
      }
      if (n === 'p' || n === 'P') {
        if (!this.unicode) {
          this.i += 2;
          return n.charCodeAt(0);
        }
        props += this.property();
        return [];
      }
      if (n !== undefined && /[1-9]/.test(n)) throw new Untranslatable('an octal escape in a class');
      if (n === 'k' && this.unicode) throw new Untranslatable('\\k in a class');
      return this.characterEscape(true);
    };
    while (this.peek() !== ']') {
      const a = classAtom();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        this.i++;
        const b = classAtom();
        if (typeof a === 'number' && typeof b === 'number') {
          if (a > b) throw new Untranslatable('a range out of order');
          ranges.push([a, b]);
          continue;
        }
        // Without `u`, a class escape at either end makes the '-' a plain character.
        if (this.unicode) throw new Untranslatable('a class escape in a range');
        for (const x of [a, b]) {
          if (typeof x === 'number') ranges.push([x, x]);
          else ranges.push(...x);
        }
        ranges.push([0x2d, 0x2d]);
        continue;
      }
      if (typeof a === 'number') ranges.push([a, a]);
      else ranges.push(...a);
    }
    this.i++;
    return this.set(ranges, negated, props);
  }
}

/** RE2 syntax for a JavaScript pattern, or why it has none. Never throws. */
export function translateToRe2(source: string, flags: string): Translation {
  try {
    return new Translator(source, flags).run();
  } catch (e) {
    if (e instanceof Untranslatable) return { ok: false, reason: e.message };
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}
