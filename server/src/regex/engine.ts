/**
 * The `-match` engine of the server and the CLI: re2js, whose running time is linear in the
 * length of the string whatever the pattern (an automaton, never backtracking), so that no pattern
 * and no tenant value can hang an evaluation over 100,000 users.
 *
 * Each pattern gets a plan:
 * - `re2`: the pattern translated to RE2 syntax with JavaScript's exact meaning (translate.ts).
 *   Catastrophic patterns such as `(a+)+$` run here too, in linear time.
 * - `none`: the pattern is refused before it runs and its results are unknown, with the reason:
 *   invalid, .NET-only, or beyond what a linear-time engine can do (lookahead, back-references,
 *   repeat counts over 1,000). Nothing falls back to JavaScript's backtracking RegExp: the bound
 *   is a property of the engine, not of a clock.
 * The time budget of the core's matcher (EvalOptions.regexBudgetMs) applies on top.
 */
import { RE2JS } from 're2js';
import type { RegexAnalysis, RegexEngine } from '../../../grammar/src/index';
import { HAS_SURROGATE, mapSurrogates, translateToRe2 } from './translate';

export type RegexPlan =
  | { readonly kind: 're2'; readonly source: string }
  | { readonly kind: 'none'; readonly reason: string };

/** How the engine runs a pattern. Never throws. */
export function planRegex(a: RegexAnalysis): RegexPlan {
  return preparedFor(a).plan;
}

type Matcher = (s: string) => boolean;

/** RE2's own refusals, in the words of the rest of the messages. */
function re2Reason(message: string): string {
  if (/invalid repeat count|bad repetition operator/i.test(message)) return 'repeat counts nested to over 1,000 in all';
  return message.replace(/^error parsing regexp: /, '');
}

function prepare(a: RegexAnalysis): { plan: RegexPlan; matcher: Matcher | undefined } {
  if (a.error) return { plan: { kind: 'none', reason: `invalid pattern: ${a.error}` }, matcher: undefined };
  if (a.dotnetOnly.length > 0) return { plan: { kind: 'none', reason: 'a .NET-only construct' }, matcher: undefined };
  const t = translateToRe2(a.source, a.flags);
  if (!t.ok) return { plan: { kind: 'none', reason: `the linear-time engine cannot run ${t.reason}` }, matcher: undefined };
  try {
    const re = RE2JS.compile(t.source, (t.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0) | (t.lookbehind ? RE2JS.LOOKBEHINDS : 0));
    const matcher: Matcher = t.units ? (s) => re.test(HAS_SURROGATE.test(s) ? mapSurrogates(s) : s) : (s) => re.test(s);
    return { plan: { kind: 're2', source: t.source }, matcher };
  } catch (e) {
    return { plan: { kind: 'none', reason: `the linear-time engine cannot run ${re2Reason(e instanceof Error ? e.message : String(e))}` }, matcher: undefined };
  }
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
  refusal: (a) => {
    const { plan } = preparedFor(a);
    return plan.kind === 'none' ? plan.reason : undefined;
  },
};
