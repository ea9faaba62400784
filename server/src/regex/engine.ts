/**
 * The `-match` engine of the server and the CLI: re2js, whose running time is linear in the
 * length of the string whatever the pattern, so that no pattern and no tenant value can hang an
 * evaluation over 100,000 users.
 *
 * Each pattern gets a plan:
 * - `re2`: the pattern translated to RE2 syntax with JavaScript's exact meaning (translate.ts).
 *   Catastrophic patterns such as `(a+)+$` run here too, in linear time.
 * - `native`: what RE2 cannot express (lookahead, back-references, repeat counts over 1,000)
 *   runs on JavaScript's RegExp, but only when the core's analysis finds no nested repetition
 *   and only on strings short enough that even the worst backtracking the pattern's shape allows
 *   stays under {@link NATIVE_WORK} steps; a longer string gets unknown.
 * - `none`: results are unknown (.NET-only constructs, invalid patterns, or a backtracking-only
 *   pattern that is not safe).
 * The time budget of the core's matcher (EvalOptions.regexBudgetMs) applies on top of all three.
 */
import { RE2JS } from 're2js';
import type { RegexAnalysis, RegexEngine } from '../../../grammar/src/index';
import { HAS_SURROGATE, mapSurrogates, translateToRe2 } from './translate';

export type RegexPlan =
  | { readonly kind: 're2'; readonly source: string }
  | { readonly kind: 'native'; readonly reason: string; readonly maxLength: number }
  | { readonly kind: 'none'; readonly reason: string };

/**
 * The backtracking steps a native fallback may take on one string, as estimated by
 * {@link nativeMaxLength}: about 10 ms of matching. Longer strings are unknown rather than slow.
 */
export const NATIVE_WORK = 1e7;

/**
 * The longest string a backtracking engine can test within {@link NATIVE_WORK} steps, for a
 * pattern without nested repetition: with k repeating quantifiers and back-references in
 * sequence, a search tries at most (n+1)^(k+1) paths (n start positions, each loop stopping at
 * one of n+1 places), times the product of the alternatives and optional parts it can also take.
 * 0 when even a short string could exceed the budget.
 */
export function nativeMaxLength(source: string): number {
  let loops = 0;
  let branching = 1;
  const alternatives: number[] = [1];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const n = source[i + 1] ?? '';
      if (/[1-9]/.test(n) || (n === 'k' && source[i + 2] === '<')) loops++;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') alternatives.push(1);
    else if (c === '|') alternatives[alternatives.length - 1]!++;
    else if (c === ')' && alternatives.length > 1) branching *= alternatives.pop()!;
    else if (c === '*' || c === '+') loops++;
    else if (c === '?' && !/[*+?}(]/.test(source[i - 1] ?? '(')) branching *= 2;
    else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(source.slice(i));
      if (!m) continue;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max > 1 && max !== min) loops++;
      else if (max === 1 && min === 0) branching *= 2;
      i += m[0].length - 1;
    }
    if (branching > NATIVE_WORK) return 0;
  }
  branching *= alternatives[0]!;
  if (branching > NATIVE_WORK) return 0;
  const n = Math.floor(Math.pow(NATIVE_WORK / branching, 1 / (loops + 1))) - 1;
  return n >= 16 ? n : 0;
}

/** How the engine runs a pattern. Never throws. */
export function planRegex(a: RegexAnalysis): RegexPlan {
  return preparedFor(a).plan;
}

type Matcher = (s: string) => boolean | undefined;

function prepare(a: RegexAnalysis): { plan: RegexPlan; matcher: Matcher | undefined } {
  if (a.error) return { plan: { kind: 'none', reason: `invalid pattern (${a.error})` }, matcher: undefined };
  if (a.dotnetOnly.length > 0) return { plan: { kind: 'none', reason: 'a .NET-only construct' }, matcher: undefined };
  const t = translateToRe2(a.source, a.flags);
  let reason: string;
  if (t.ok) {
    try {
      const re = RE2JS.compile(t.source, (t.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0) | (t.lookbehind ? RE2JS.LOOKBEHINDS : 0));
      const matcher: Matcher = t.units ? (s) => re.test(HAS_SURROGATE.test(s) ? mapSurrogates(s) : s) : (s) => re.test(s);
      return { plan: { kind: 're2', source: t.source }, matcher };
    } catch (e) {
      reason = e instanceof Error ? e.message : String(e);
    }
  } else reason = t.reason;
  if (a.catastrophic) return { plan: { kind: 'none', reason: `${reason}, and nested repetition makes backtracking unsafe` }, matcher: undefined };
  const maxLength = nativeMaxLength(a.source);
  if (maxLength === 0) return { plan: { kind: 'none', reason: `${reason}, and the pattern could backtrack too long` }, matcher: undefined };
  const re = new RegExp(a.source, a.flags);
  return { plan: { kind: 'native', reason, maxLength }, matcher: (s) => (s.length > maxLength ? undefined : re.test(s)) };
}

/**
 * Prepared patterns, by pattern. The tracing interpreter compiles its comparisons for every
 * object it explains, and compiling for RE2 takes about a millisecond: explaining 100,000 users
 * must not compile the same pattern 100,000 times. Matchers hold no state, so sharing is safe.
 */
const prepared = new Map<string, ReturnType<typeof prepare>>();
const MAX_PREPARED = 500;

function preparedFor(a: RegexAnalysis): ReturnType<typeof prepare> {
  const key = `${a.flags}/${a.pattern}`;
  let p = prepared.get(key);
  if (!p) {
    if (prepared.size >= MAX_PREPARED) prepared.clear();
    p = prepare(a);
    prepared.set(key, p);
  }
  return p;
}

/**
 * The linear-time engine. Register it once per process with the core's setDefaultRegexEngine
 * (server.ts and cli.ts do); every evaluation then uses it.
 */
export const linearRegexEngine: RegexEngine = {
  compile: (a) => preparedFor(a).matcher,
};
