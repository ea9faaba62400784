/**
 * `-match` patterns: Entra runs them with .NET's regex engine, unanchored and case-insensitive
 * (docs/semantics.md, Evaluation). We run them with JavaScript's. This module translates the constructs that have a
 * JavaScript equivalent, reports those that do not (the result is then `unknown`), reports the
 * differences in behaviour that remain, and spots patterns whose backtracking can explode.
 */
import * as l10n from './l10n';

export interface RegexFinding {
  /** What the construct does, in the installed language. */
  readonly message: string;
  /** Offset of the construct inside the pattern text. */
  readonly index: number;
  readonly length: number;
}

export interface RegexAnalysis {
  readonly pattern: string;
  /** JavaScript source equivalent to the .NET pattern (when `dotnetOnly` is empty). */
  readonly source: string;
  readonly flags: string;
  /** The pattern is invalid in both flavours: the service rejects the rule. */
  readonly error: string | undefined;
  /** .NET constructs with no JavaScript equivalent: results are `unknown`. */
  readonly dotnetOnly: readonly RegexFinding[];
  /** Constructs that work in both but can match differently. */
  readonly differences: readonly RegexFinding[];
  /** Nested or overlapping quantifiers that can take exponential time on a backtracking engine. */
  readonly catastrophic: RegexFinding | undefined;
  /** Uses lookaround or back-references (needs a backtracking engine). */
  readonly backtrackingOnly: boolean;
  /**
   * When the pattern is a plain literal with optional anchors, the cheaper operator that does the
   * same job (docs/semantics.md, Advice): `^abc` → startsWith, `abc$` → endsWith, `^abc$` → eq, `abc` → contains.
   */
  readonly literal: { readonly operator: 'startsWith' | 'endsWith' | 'eq' | 'contains'; readonly text: string } | undefined;
}

const INLINE_OPTIONS = /^\(\?([imsxn]+)(?:-[imsxn]+)?\)/;

/** Analyses a `-match` pattern. Pure and fast; never throws. */
export function analyzeRegex(pattern: string): RegexAnalysis {
  const dotnetOnly: RegexFinding[] = [];
  const differences: RegexFinding[] = [];
  let source = '';
  let unicode = false;
  let backtrackingOnly = false;

  let i = 0;
  // Leading `(?i)` is a no-op (we already ignore case); other inline options are .NET-only.
  const lead = INLINE_OPTIONS.exec(pattern);
  if (lead) {
    const opts = lead[1]!.replace(/i/g, '');
    if (opts.length > 0 || lead[0].includes('-')) dotnetOnly.push({ message: l10n.t('Inline options {0} have no JavaScript equivalent.', lead[0]), index: 0, length: lead[0].length });
    i = lead[0].length;
  }

  let inClass = false;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) { source += '\\'; i++; continue; }
      if (!inClass && n === 'A') { source += '^'; i += 2; continue; }
      if (!inClass && n === 'z') { source += '$'; i += 2; continue; }
      if (!inClass && n === 'Z') { source += '(?=\\n?$)'; i += 2; continue; }
      if (n === 'G') { dotnetOnly.push({ message: l10n.t('\\G (contiguous match) has no JavaScript equivalent.'), index: i, length: 2 }); source += '\\G'; i += 2; continue; }
      if (n === 'k' && pattern[i + 2] === "'") {
        const end = pattern.indexOf("'", i + 3);
        if (end > 0) { source += `\\k<${pattern.slice(i + 3, end)}>`; backtrackingOnly = true; i = end + 1; continue; }
      }
      if (n === 'p' || n === 'P') {
        const m = /^\\[pP]\{([A-Za-z_]+)\}/.exec(pattern.slice(i));
        if (m && /^Is/.test(m[1]!)) {
          dotnetOnly.push({ message: l10n.t('The Unicode block {0} has no JavaScript equivalent.', m[0]), index: i, length: m[0].length });
        }
        unicode = true;
      }
      if (!inClass && /[1-9]/.test(n)) backtrackingOnly = true;
      if (n === 'k') backtrackingOnly = true;
      if ((n === 'w' || n === 'W' || n === 'd' || n === 'D' || n === 'b' || n === 'B') && !differences.some((d) => pattern[d.index + 1] === n)) {
        differences.push({ message: l10n.t('{0} also matches non-ASCII letters and digits in .NET (é, ß, ٣…); JavaScript matches ASCII only.', `\\${n}`), index: i, length: 2 });
      }
      source += c + n;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '-' && pattern[i + 1] === '[') {
        dotnetOnly.push({ message: l10n.t('Character class subtraction [a-z-[aeiou]] has no JavaScript equivalent.'), index: i, length: 2 });
      }
      if (c === ']') inClass = false;
      source += c;
      i++;
      continue;
    }
    if (c === '[') { inClass = true; source += c; i++; if (pattern[i] === '^') { source += '^'; i++; } if (pattern[i] === ']') { source += '\\]'; i++; } continue; }
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      if (rest.startsWith('>')) { dotnetOnly.push({ message: l10n.t('Atomic groups (?>…) have no JavaScript equivalent.'), index: i, length: 3 }); }
      else if (rest.startsWith('(')) { dotnetOnly.push({ message: l10n.t('Conditional groups (?(…)…) have no JavaScript equivalent.'), index: i, length: 3 }); }
      else if (rest.startsWith("'")) {
        const end = rest.indexOf("'", 1);
        if (end > 0) { source += `(?<${rest.slice(1, end)}>`; i += 2 + end + 1; continue; }
      } else if (/^[imsxn-]+[:)]/.test(rest)) {
        dotnetOnly.push({ message: l10n.t('Inline options inside the pattern have no JavaScript equivalent.'), index: i, length: 2 + rest.search(/[:)]/) + 1 });
      } else if (rest.startsWith('=') || rest.startsWith('!') || rest.startsWith('<=') || rest.startsWith('<!')) backtrackingOnly = true;
    }
    source += c;
    i++;
  }

  const flags = unicode ? 'iu' : 'i';
  let error: string | undefined;
  if (dotnetOnly.length === 0) {
    try {
      new RegExp(source, flags);
    } catch (e) {
      error = cleanError(e instanceof Error ? e.message : String(e));
    }
  }

  const catastrophic = error || dotnetOnly.length ? undefined : findCatastrophic(source);
  return {
    pattern, source, flags, error, dotnetOnly, differences, catastrophic, backtrackingOnly,
    literal: error || dotnetOnly.length ? undefined : literalOf(pattern),
  };
}

function cleanError(msg: string): string {
  // "Invalid regular expression: /*@x/i: Nothing to repeat" → "Nothing to repeat"
  const m = /: ([^:]+)$/.exec(msg);
  return m ? m[1]!.trim() : msg;
}

const META = /[\\^$.|?*+()[\]{}]/;

function literalOf(pattern: string): RegexAnalysis['literal'] {
  const starts = pattern.startsWith('^');
  const ends = pattern.endsWith('$') && !pattern.endsWith('\\$');
  const core = pattern.slice(starts ? 1 : 0, ends ? -1 : undefined);
  // Allow escaped metacharacters such as \. in the literal.
  let text = '';
  for (let i = 0; i < core.length; i++) {
    const c = core[i]!;
    if (c === '\\') {
      const n = core[i + 1];
      if (n === undefined || /[A-Za-z0-9]/.test(n)) return undefined;
      text += n;
      i++;
      continue;
    }
    if (META.test(c)) return undefined;
    text += c;
  }
  if (text.length === 0) return undefined;
  if (starts && ends) return { operator: 'eq', text };
  if (starts) return { operator: 'startsWith', text };
  if (ends) return { operator: 'endsWith', text };
  return { operator: 'contains', text };
}

interface Group { start: number; hasQuantifier: boolean; hasAlternation: boolean; alternatives: string[]; current: string }

/**
 * Finds a quantified group that contains a quantifier or overlapping alternatives: `(a+)+`,
 * `(.*a){20}`, `(a|aa)*`. These are the classic shapes of exponential backtracking.
 */
function findCatastrophic(src: string): RegexFinding | undefined {
  const stack: Group[] = [{ start: 0, hasQuantifier: false, hasAlternation: false, alternatives: [], current: '' }];
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    const top = stack[stack.length - 1]!;
    if (c === '\\') { top.current += src.slice(i, i + 2); i++; continue; }
    if (inClass) { if (c === ']') inClass = false; top.current += c; continue; }
    if (c === '[') { inClass = true; top.current += c; continue; }
    if (c === '(') { stack.push({ start: i, hasQuantifier: false, hasAlternation: false, alternatives: [], current: '' }); continue; }
    if (c === '|') { top.hasAlternation = true; top.alternatives.push(top.current); top.current = ''; continue; }
    if (c === ')' && stack.length > 1) {
      const g = stack.pop()!;
      g.alternatives.push(g.current);
      const q = quantifierAt(src, i + 1);
      const parent = stack[stack.length - 1]!;
      if (q && q.repeats) {
        if (g.hasQuantifier) return { message: l10n.t('A repeated group contains a repetition (like (a+)+): matching can take exponential time.'), index: g.start, length: i + 1 + q.length - g.start };
        if (g.hasAlternation && overlapping(g.alternatives)) return { message: l10n.t('A repeated group has alternatives that can match the same text (like (a|aa)+): matching can take exponential time.'), index: g.start, length: i + 1 + q.length - g.start };
      }
      if (g.hasQuantifier || (q && q.repeats)) parent.hasQuantifier = true;
      parent.current += `(${g.alternatives.join('|')})`;
      continue;
    }
    const q = quantifierAt(src, i);
    if (q) {
      if (q.repeats) top.hasQuantifier = true;
      top.current += src.slice(i, i + q.length);
      i += q.length - 1;
      continue;
    }
    top.current += c;
  }
  return undefined;
}

function quantifierAt(src: string, i: number): { length: number; repeats: boolean } | undefined {
  const c = src[i];
  if (c === '*' || c === '+') return { length: src[i + 1] === '?' ? 2 : 1, repeats: true };
  if (c === '?') return { length: src[i + 1] === '?' ? 2 : 1, repeats: false };
  if (c === '{') {
    const m = /^\{(\d*)(,(\d*))?\}\??/.exec(src.slice(i));
    if (!m) return undefined;
    const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
    return { length: m[0].length, repeats: max > 1 };
  }
  return undefined;
}

/**
 * Whether two alternatives can start with the same character (a conservative test): each
 * alternative's possible first characters are collected past optional atoms (`b?a` can start with
 * b or a); a class, `.`, a group, a class escape or an alternative that can be empty counts as
 * overlapping everything.
 */
function overlapping(alternatives: string[]): boolean {
  const seen = new Set<string>();
  for (const alt of alternatives) {
    const firsts = firstCharacters(alt);
    if (firsts === undefined) return true;
    for (const f of firsts) {
      if (seen.has(f)) return true;
    }
    for (const f of firsts) seen.add(f);
  }
  return false;
}

/** The characters (lower case) an alternative can start with; undefined when that could be anything or nothing. */
function firstCharacters(alt: string): Set<string> | undefined {
  const out = new Set<string>();
  let i = 0;
  while (i < alt.length) {
    const c = alt[i]!;
    let atom: string | undefined;
    if (c === '\\') {
      const n = alt[i + 1];
      if (n === undefined || /[A-Za-z0-9]/.test(n)) return undefined;
      atom = n.toLowerCase();
      i += 2;
    } else if (c === '[' || c === '.' || c === '(' || c === '^' || c === '$' || c === '|') return undefined;
    else {
      atom = c.toLowerCase();
      i++;
    }
    out.add(atom);
    const q = quantifierAt(alt, i);
    const optional = q !== undefined && /^(?:[*?]|\{0*(?:,|\}))/.test(alt.slice(i));
    if (q) i += q.length;
    if (!optional) return out;
  }
  return undefined;
}

/**
 * Runs `-match` patterns. The core itself runs none: a process registers an engine whose matching
 * time is bounded by construction (the server and the CLI register a linear-time one), and a
 * pattern that engine cannot run is refused before it runs (results unknown, with the reason).
 */
export interface RegexEngine {
  /** A matcher, or undefined when the pattern is refused (results are then unknown). */
  compile(analysis: RegexAnalysis): ((s: string) => boolean) | undefined;
  /** Why {@link compile} refuses the pattern, as a phrase for a message; undefined when it runs. */
  refusal(analysis: RegexAnalysis): string | undefined;
}

/** The engine of a process that registered none: it refuses every pattern. */
export const noRegexEngine: RegexEngine = {
  compile: () => undefined,
  refusal: () => 'no linear-time regular expression engine is available',
};

let defaultEngine: RegexEngine = noRegexEngine;

/**
 * Sets the engine `-match` uses wherever an evaluation is given no engine of its own (the
 * engine's `EvalOptions.regex`). A process sets it once, at start: the server and the CLI register
 * a linear-time engine, so that every evaluation path (preview, eval, explain, rule tests, the
 * columnar engine, the checks) uses it without passing it on.
 */
export function setDefaultRegexEngine(engine: RegexEngine): void {
  defaultEngine = engine;
}

/** The engine `-match` uses when none is given: {@link noRegexEngine} unless a process set another. */
export function defaultRegexEngine(): RegexEngine {
  return defaultEngine;
}
