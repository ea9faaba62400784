/**
 * What the fuzzers run on each input, shared by the short runs in the normal suite and the long
 * run (scripts/fuzz.ts): every editor service on a document, with its invariants checked and
 * each call timed; the formatter's promises; the evaluators against the reference interpreter.
 */
import assert from 'node:assert/strict';
import {
  analyzeRegex, checkRule, complete, documentSymbols, foldingRanges, formatRule, hover, inlayHints, parseRule, printFullyParenthesized, ruleStatus, semanticTokens, walkExpr, type ParsedRule, type TenantData, type Value,
} from '../../../grammar/src/index';
import {
  buildTable, compileRule, evaluateColumnar, interpretResult, regexRefusal, toTri, type GraphObject, type Tri,
} from '../../../grammar/engine/src/index';

/** The slowest call of one function, and how many calls were timed. */
export interface Slowest {
  calls: number;
  totalMs: number;
  maxMs: number;
  maxInputLength: number;
  maxInput: string;
}

/** Call timings per function. */
/**
 * How a call is timed. `wall`: the time that passed (what a user waits on a quiet machine).
 * `cpu`: the processor time the process spent, which other processes on a busy machine do not
 * inflate: a bound on it is a bound on the work a call does, so a test of it tells a slow
 * algorithm from a shared machine.
 */
export type Clock = 'wall' | 'cpu';

const now = (clock: Clock): number => {
  if (clock === 'wall') return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export class Timings {
  readonly byFunction = new Map<string, Slowest>();

  constructor(readonly clock: Clock = 'wall') {}

  time<T>(name: string, input: string, f: () => T): T {
    const t0 = now(this.clock);
    const r = f();
    this.record(name, input, now(this.clock) - t0);
    return r;
  }

  /** Records a call timed elsewhere. */
  record(name: string, input: string, ms: number): void {
    let s = this.byFunction.get(name);
    if (!s) this.byFunction.set(name, (s = { calls: 0, totalMs: 0, maxMs: 0, maxInputLength: 0, maxInput: '' }));
    s.calls++;
    s.totalMs += ms;
    if (ms > s.maxMs) {
      s.maxMs = ms;
      s.maxInputLength = input.length;
      s.maxInput = input;
    }
  }

  /** One line per function: calls, mean and slowest call with the size of its input. */
  report(): string[] {
    return [...this.byFunction].sort(([a], [b]) => a.localeCompare(b)).map(([name, s]) =>
      `${name.padEnd(16)} ${String(s.calls).padStart(9)} calls  mean ${(s.totalMs / s.calls).toFixed(3).padStart(8)} ms  slowest ${s.maxMs.toFixed(1).padStart(7)} ms (input of ${s.maxInputLength.toLocaleString('en-US')} chars)`);
  }
}

const within = (text: string, start: number, end: number): boolean => start >= 0 && end <= text.length && start <= end;

/**
 * Every service on one document, its answers checked for shape. `offsets` are where completion
 * and hover are asked (every offset of a short document, a sample of a long one).
 */
export function exerciseDocument(text: string, data: TenantData | undefined, offsets: readonly number[], t: Timings): void {
  const parsed = t.time('parseRule', text, () => parseRule(text));
  for (const i of parsed.issues) assert.ok(within(text, i.span.start, i.span.end), `issue ${i.code} at ${i.span.start}-${i.span.end}`);
  const issues = t.time('checkRule', text, () => checkRule(parsed));
  for (const i of issues) {
    assert.ok(within(text, i.span.start, i.span.end), `issue ${i.code} at ${i.span.start}-${i.span.end}`);
    assert.match(i.code, /^[a-z]+\/[a-z0-9-]+$/);
    assert.notEqual(i.code, 'internal/check-failed', i.message);
    for (const f of i.fixes ?? []) for (const e of f.edits) assert.ok(within(text, e.span.start, e.span.end), `fix of ${i.code}`);
  }
  for (const o of offsets) {
    const c = t.time('complete', text, () => complete(text, o, data));
    for (const item of c.items) assert.ok(within(text, item.replace.start, item.replace.end), `completion ${item.label} at ${o}`);
    const h = t.time('hover', text, () => hover(text, o, data));
    if (h) assert.ok(within(text, h.span.start, h.span.end), `hover at ${o}`);
  }
  for (const h of t.time('inlayHints', text, () => inlayHints(text, data))) assert.ok(h.offset >= 0 && h.offset <= text.length);
  for (const s of t.time('semanticTokens', text, () => semanticTokens(text))) assert.ok(within(text, s.span.start, s.span.end) && s.span.start < s.span.end);
  for (const r of t.time('foldingRanges', text, () => foldingRanges(text))) assert.ok(within(text, r.start, r.end));
  t.time('documentSymbols', text, () => documentSymbols(text));
  t.time('ruleStatus', text, () => ruleStatus(text));
  checkFormatter(text, parsed, t);
}

/** Offsets to complete and hover at: all of a short document, `sample` spread over a long one. */
export function offsetsOf(text: string, sample = 24, all = 400): number[] {
  if (text.length <= all) return Array.from({ length: text.length + 3 }, (_, i) => i - 1);
  const out = [0, text.length];
  for (let k = 1; k < sample; k++) out.push(Math.floor((text.length * k) / sample));
  return out;
}

function valueMeaning(v: Value, out: string[]): void {
  switch (v.kind) {
    case 'string': out.push(`s:${v.value}`); break;
    case 'number': out.push(`n:${v.value}`); break;
    case 'bool': out.push(`b:${v.value}`); break;
    case 'datetime': out.push(`d:${v.value}`); break;
    case 'null': out.push('null'); break;
    case 'array': for (const i of v.items) valueMeaning(i, out); break;
    case 'now': out.push(`now:${v.steps.map((s) => `${s.op.name}${s.duration?.raw.toUpperCase() ?? ''}`).join('')}`); break;
    default: out.push(`${v.kind}:${'raw' in v ? v.raw : ''}`);
  }
}

/** What a document means: its structure with canonical operators, every literal value exactly, its comments. */
export function meaning(parsed: ParsedRule): string {
  const values: string[] = [];
  if (parsed.expr) {
    walkExpr(parsed.expr, (e) => {
      if (e.kind === 'compare') valueMeaning(e.value, values);
      if (e.kind === 'directReports') valueMeaning(e.manager, values);
    });
  }
  return JSON.stringify([parsed.expr ? printFullyParenthesized(parsed.expr).toLowerCase() : '', values, parsed.comments.map((c) => c.text)]);
}

/** Counts of what the formatter did, for the report. */
export const formatterOutcomes = new Map<string, number>();

/**
 * On a document without syntax errors the formatter answers, keeps the meaning (structure and
 * every literal value) and is idempotent; on one with syntax errors it refuses.
 */
function checkFormatter(text: string, parsed: ParsedRule, t: Timings): void {
  const r = t.time('formatRule', text, () => formatRule(text));
  // What the formatter refuses by design: syntax errors (typographic dashes and quotes included)
  // and Unicode spaces.
  const syntaxProblem = checkRule(parsed).some((i) => i.code.startsWith('syntax/') && (i.severity === 'error' || i.code === 'syntax/unicode-space'));
  const outcome = r.ok ? (r.text === text ? 'unchanged' : 'formatted') : `refused: ${r.reason.replace(/:.*$/s, '')}`;
  formatterOutcomes.set(outcome, (formatterOutcomes.get(outcome) ?? 0) + 1);
  if (!r.ok) {
    // A rule without syntax problems is formatted, unless a comment line sits inside a condition.
    if (!syntaxProblem && parsed.expr) assert.match(r.reason, /comment/i, `the formatter refused a rule without syntax errors: ${r.reason}`);
    return;
  }
  assert.ok(!syntaxProblem, 'the formatter accepted a document with syntax errors');
  const after = parseRule(r.text);
  assert.deepEqual(after.issues.filter((i) => i.severity === 'error' && i.code.startsWith('syntax/')).map((i) => i.code), [], 'the formatted text has syntax errors');
  assert.equal(meaning(after), meaning(parsed), 'formatting changed the meaning');
  const again = formatRule(r.text);
  assert.ok(again.ok, 'the formatter refused its own output');
  assert.equal(again.text, r.text, 'formatting is not idempotent');
  // The edits turn the old text into the new one.
  let applied = text;
  for (const e of [...r.edits].sort((a, b) => b.span.start - a.span.start)) applied = applied.slice(0, e.span.start) + e.newText + applied.slice(e.span.end);
  assert.equal(applied, r.text, 'the edits do not give the formatted text');
}

const NOW = Date.parse('2026-06-01T00:00:00Z');

/**
 * A rule over users: the compiled evaluator, the reference interpreter and the columnar engine
 * give the same three-valued result for every user. Returns false when the rule does not compile.
 */
export function sameEvaluations(rule: string, users: readonly GraphObject[], t?: Timings): boolean {
  const parsed = parseRule(rule);
  const compiled = compileRule(parsed, { now: NOW });
  if (!compiled.ok || !parsed.expr) return false;
  const reference: Tri[] = users.map((u) => interpretResult(parsed.text, parsed.expr!, u, { now: NOW }));
  const fast = users.map((u) => (t ? t.time('evaluate', rule, () => compiled.rule.evaluate(u)) : compiled.rule.evaluate(u)));
  assert.deepEqual(fast, reference, `compiled vs interpreter: ${rule}`);
  if (compiled.rule.object === 'user') {
    const { table } = buildTable('user', users);
    const bits = t ? t.time('columnar', rule, () => evaluateColumnar(parsed.expr!, table, { now: NOW })) : evaluateColumnar(parsed.expr!, table, { now: NOW });
    const columnar = Array.from({ length: table.rows }, (_, r) => toTri(bits.get(r)));
    assert.deepEqual(columnar, reference, `columnar vs interpreter: ${rule}`);
  }
  return true;
}

/**
 * The most one evaluation of a hostile -match pattern may take here. The bound that matters is the
 * engine's (linear time, or the pattern is not run); this one only has to tell a hang from a busy
 * machine: a backtracking search over these names would take years.
 */
export const MATCH_BOUND_MS = 10_000;

/**
 * `user.displayName -match "<pattern>"` over users with the given (long, matching) names, by the
 * closures, the interpreter and the columnar engine: the same answers, every evaluation within
 * {@link MATCH_BOUND_MS}, no JavaScript RegExp ever run with the pattern, and a pattern that is not
 * run gives unknown for every name and is reported by the checks. Returns what happened.
 */
export function boundedMatch(pattern: string, names: readonly string[], t?: Timings): 'ran' | 'refused' | 'invalid' {
  const rule = `user.displayName -match "${pattern}"`;
  const parsed = parseRule(rule);
  const compiled = compileRule(parsed, { now: NOW });
  if (!compiled.ok || !parsed.expr) return 'invalid';
  const users: GraphObject[] = names.map((displayName, i) => ({ id: `u${i}`, displayName }));
  const source = analyzeRegex(pattern).source;
  // Every RegExp run while evaluating is watched (test, match and replace go through exec): none may be the pattern.
  let native = 0;
  const exec = RegExp.prototype.exec;
  RegExp.prototype.exec = function (this: RegExp, s: string) {
    if (this.source === source) native++;
    return exec.call(this, s);
  };
  const results: Tri[] = [];
  try {
    for (const u of users) {
      const t0 = performance.now();
      results.push(compiled.rule.evaluate(u));
      const ms = performance.now() - t0;
      assert.ok(ms < MATCH_BOUND_MS, `${rule} took ${ms.toFixed(0)} ms on a name of ${String(u['displayName']).length} characters`);
      t?.record('hostile -match', String(u['displayName']), ms);
    }
    sameEvaluations(rule, users, t);
  } finally {
    RegExp.prototype.exec = exec;
  }
  assert.equal(native, 0, `${rule}: JavaScript's backtracking RegExp ran the pattern`);
  const refusal = regexRefusal(pattern);
  if (refusal === undefined) {
    assert.ok(!results.includes('unknown'), `${rule}: the engine runs it, so every name is decided`);
    return 'ran';
  }
  assert.ok(results.every((r) => r === 'unknown'), `${rule}: not run (${refusal}), so every name is unknown`);
  const codes = checkRule(parsed).map((i) => i.code);
  assert.ok(codes.some((c) => c === 'regex/refused' || c === 'regex/dotnet-only'), `${rule}: the checks say it is not run (${codes.join(', ')})`);
  return 'refused';
}
