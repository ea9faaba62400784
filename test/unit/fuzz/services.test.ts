/**
 * The short, seeded fuzz run of the normal suite (the long one is `npm run fuzz`). Random token
 * soups and mutations of every sample rule go through every editor service: none throws, every
 * answer stays inside the document, each call stays within the bound stated below, the formatter
 * keeps its promises, and the three evaluators agree on random rules × random users.
 *
 * Replay a failure with the seed and path fast-check prints: FUZZ_SEED=… FUZZ_PATH=… npx mocha …
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { foldingRanges, type TenantData } from '../../../grammar/src/index';
import { type GraphObject } from '../../../grammar/engine/src/index';
import * as T from '../../../grammar/src/tokens';
import { BROKEN_TENANT, TENANT } from '../services/helpers';
import { documents, evaluableRule, graphUser, mutatedSample, runs, SAMPLES, standaloneRule } from './arbitraries';
import { exerciseDocument, formatterOutcomes, offsetsOf, sameEvaluations, Timings } from './harness';

/**
 * The bound this suite holds every call to, for documents up to 10 KB, in processor time (a
 * busy machine makes calls wait, not work more). Measured on a quiet machine the slowest call
 * is far below it (see SECURITY.md and `npm run fuzz`); the margin is for garbage collection.
 */
const BOUND_MS = 250;

const tenants = fc.constantFrom<TenantData | undefined>(undefined, TENANT, BROKEN_TENANT);

describe('fuzz: every editor service on random and mutated documents', function () {
  this.timeout(120_000);
  const timings = new Timings('cpu');

  after(() => {
    for (const [name, s] of timings.byFunction) assert.ok(s.maxMs < BOUND_MS, `${name}: ${s.maxMs.toFixed(1)} ms on ${s.maxInputLength} characters`);
  });

  it('token soups: no service throws, answers stay inside the document', () => {
    fc.assert(fc.property(documents, tenants, (text, data) => exerciseDocument(text, data, offsetsOf(text, 16, 80), timings)), runs(200));
  });

  it('mutations of every sample rule (deleted, duplicated, swapped, inserted tokens; typography)', () => {
    fc.assert(fc.property(mutatedSample, tenants, ({ text }, data) => exerciseDocument(text, data, offsetsOf(text, 12, 0), timings)), runs(200));
  });

  it('every sample rule as it is, at every offset of the short ones', () => {
    for (const s of SAMPLES) exerciseDocument(s.text, TENANT, offsetsOf(s.text, 60, 200), timings);
  });

  it('documents up to 10 KB: unbalanced brackets, unicode, long lines', () => {
    const big = fc.array(documents, { minLength: 5, maxLength: 40 }).map((parts) => parts.join(' ').slice(0, 10_240));
    fc.assert(fc.property(big, (text) => exerciseDocument(text, TENANT, offsetsOf(text, 8, 0), timings)), runs(20));
  });

  it('the formatter both formats and refuses along the way', () => {
    // About one document in ten is formattable; the share moves with the sample corpus the
    // mutations start from (comment-heavy samples leave more documents unchanged).
    assert.ok((formatterOutcomes.get('formatted') ?? 0) > 40, JSON.stringify([...formatterOutcomes]));
    assert.ok([...formatterOutcomes.keys()].some((k) => k.startsWith('refused')), JSON.stringify([...formatterOutcomes]));
  });
});

describe('fuzz: compiled evaluator, reference interpreter and columnar engine agree', function () {
  this.timeout(120_000);
  const users = fc.array(graphUser, { minLength: 1, maxLength: 12 }).map((us) => us.map((u, i) => ({ ...u, id: `u${i}` }) as GraphObject));

  it('on random rules × random users (nulls, missing keys, empty collections, unicode, case)', () => {
    let compiled = 0;
    fc.assert(fc.property(fc.array(fc.oneof({ weight: 9, arbitrary: evaluableRule }, { weight: 1, arbitrary: standaloneRule }), { minLength: 1, maxLength: 4 }), users, (rules, us) => {
      for (const r of rules) if (sameEvaluations(r, us)) compiled++;
    }), runs(250));
    assert.ok(compiled > 250, `only ${compiled} random rules compiled`);
  });
});

/** Folding regions as first written: the innermost open bracket of the same kind, by a search. */
function referenceRegions(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const open: { tokenType: unknown; startOffset: number }[] = [];
  for (const t of T.ruleLexer.tokenize(text).tokens) {
    if (t.tokenType === T.LParen || t.tokenType === T.LBracket) open.push(t);
    else if (t.tokenType === T.RParen || t.tokenType === T.RBracket) {
      const k = open.map((o) => o.tokenType).lastIndexOf(t.tokenType === T.RParen ? T.LParen : T.LBracket);
      if (k < 0) continue;
      const start = open[k]!.startOffset;
      open.length = k;
      if (/[\r\n]/.test(text.slice(start, t.startOffset))) out.push({ start, end: t.startOffset });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

describe('fuzz: regressions found by the fuzzers', () => {
  it('folding ranges: the same regions as the first version, in linear time on 64 KB of nesting', () => {
    const soup = fc.array(fc.constantFrom('(', ')', '[', ']', '\n', '\r\n', ' ', 'user.department -eq "a"', '"(["', '# (\n'), { maxLength: 60 }).map((p) => p.join(''));
    fc.assert(fc.property(soup, (text) => {
      assert.deepEqual(foldingRanges(text).filter((r) => r.kind === 'region').map(({ start, end }) => ({ start, end })), referenceRegions(text));
    }), runs(500));
    // Was 13 s: a search of the open brackets and a slice of the text per group.
    const deep = `${'('.repeat(32_000)}\n${')'.repeat(32_000)}`;
    const t0 = performance.now();
    assert.equal(foldingRanges(deep).length, 32_000);
    assert.ok(performance.now() - t0 < 1000, `${(performance.now() - t0).toFixed(0)} ms`);
  });

  it('a tenant value whose "toString" is data does not fail the evaluation', () => {
    // JSON can hold {"toString": 1}; String() of it throws, and did in every evaluator.
    const odd = JSON.parse('{"id": "u1", "department": {"toString": 1}, "proxyAddresses": [{"toString": 1}, "smtp:a@b.c"], "assignedPlans": [{"__proto__": null, "toString": 1}]}') as GraphObject;
    for (const rule of ['user.department -eq "Sales"', 'user.department -match "^S"', 'user.proxyAddresses -any (_ -startsWith "smtp:")', 'user.assignedPlans -any (assignedPlan.capabilityStatus -eq "Enabled")']) {
      assert.ok(sameEvaluations(rule, [odd, { id: 'u2' }]), rule);
    }
  });
});
