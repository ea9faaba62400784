/**
 * Deep nesting: the parser and every walk over the tree recurse once a level. Beyond
 * MAX_NESTING the core answers with one clear diagnostic instead of overflowing the stack, and
 * every service still answers on 10,000 levels.
 */
import assert from 'node:assert/strict';
import {
  checkRule, complete, documentSymbols, foldingRanges, formatRule, hover, inlayHints, MAX_NESTING, parseRule, printFullyParenthesized, ruleStatus, semanticTokens,
} from '../../../grammar/src/index';
import { compileRule, interpret } from '../../../grammar/engine/src/index';

const LEAF = 'user.department -eq "Sales"';
const SHAPES: Record<string, (n: number) => string> = {
  'parentheses': (n) => `${'('.repeat(n)}${LEAF}${')'.repeat(n)}`,
  '-not': (n) => `${'-not '.repeat(n)}${LEAF}`,
  '-not (': (n) => `${'-not ('.repeat(n)}${LEAF}${')'.repeat(n)}`,
  '-any (': (n) => `${'user.assignedPlans -any ('.repeat(n)}assignedPlan.capabilityStatus -eq "Enabled"${')'.repeat(n)}`,
  '-any without parentheses': (n) => `${'user.assignedPlans -any '.repeat(n)}assignedPlan.capabilityStatus -eq "Enabled"`,
  'unclosed parentheses': (n) => '('.repeat(n),
  'unopened parentheses': (n) => `${LEAF}${')'.repeat(n)}`,
  'stray parentheses between conditions': (n) => Array.from({ length: n + 1 }, () => LEAF).join(') -and '),
  'brackets': (n) => `user.department -in ${'['.repeat(n)}"a"${']'.repeat(n)}`,
  '-and chain': (n) => Array.from({ length: n }, () => LEAF).join(' -and '),
};

/** Every service on one text; none may throw. */
function everything(text: string): void {
  const p = parseRule(text);
  checkRule(p);
  if (p.expr) {
    printFullyParenthesized(p.expr);
    interpret(text, p.expr, { department: 'Sales', assignedPlans: [{ capabilityStatus: 'Enabled' }] });
  }
  const c = compileRule(p);
  if (c.ok) c.rule.test({ department: 'Sales', assignedPlans: [] });
  formatRule(text);
  documentSymbols(text);
  foldingRanges(text);
  semanticTokens(text);
  inlayHints(text, {});
  ruleStatus(text);
  for (const o of [0, text.length >> 1, text.length]) {
    complete(text, o, {});
    hover(text, o, {});
  }
}

describe('fuzz: deep nesting', () => {
  for (const [name, make] of Object.entries(SHAPES)) {
    // A chain is not nesting: 2,000 operands (66 KB) are enough to show it stays flat.
    const n = name === '-and chain' ? 2_000 : 10_000;
    it(`${name}: ${n.toLocaleString('en-US')} levels answer with at most one clear error, never an exception`, () => {
      const text = make(n);
      assert.doesNotThrow(() => everything(text));
      const codes = parseRule(text).issues.map((i) => i.code);
      if (codes.includes('syntax/too-deep')) assert.equal(codes.filter((c) => c === 'syntax/too-deep').length, 1);
    });
  }

  it(`accepts ${MAX_NESTING} levels and reports syntax/too-deep at the token one level deeper`, () => {
    for (const name of ['parentheses', '-not', '-any without parentheses', 'stray parentheses between conditions']) {
      const ok = SHAPES[name]!(MAX_NESTING);
      assert.ok(!parseRule(ok).issues.some((i) => i.code === 'syntax/too-deep'), name);
      assert.ok(parseRule(ok).expr, name);
      const deep = SHAPES[name]!(MAX_NESTING + 1);
      const issues = checkRule(parseRule(deep)).filter((i) => i.code !== 'syntax/unmatched-paren');
      assert.deepEqual(issues.map((i) => i.code), ['syntax/too-deep'], name);
      const at = issues[0]!.span.start;
      assert.ok(at > 0 && at < deep.length, `${name}: the issue points into the rule (${at})`);
    }
    for (const name of ['parentheses', '-not']) assert.ok(compileRule(parseRule(SHAPES[name]!(MAX_NESTING))).ok, name);
    // The 101st parenthesis is where it goes too deep.
    assert.equal(checkRule(parseRule(SHAPES['parentheses']!(MAX_NESTING + 1)))[0]!.span.start, MAX_NESTING);
  });

  it('keeps most of the stack free at the deepest accepted nesting', () => {
    // Burn stack frames before the call, as a deep caller (the LSP connection, a test runner) would.
    const burn = (n: number, f: () => void): void => (n === 0 ? f() : burn(n - 1, f));
    let free = 0;
    for (let lo = 0, hi = 200_000; lo < hi;) {
      const m = (lo + hi + 1) >> 1;
      try { burn(m, () => undefined); lo = m; free = m; } catch { hi = m - 1; }
    }
    const text = SHAPES['parentheses']!(MAX_NESTING);
    // With half of the stack already used, the deepest accepted rule still goes through everything.
    assert.doesNotThrow(() => burn(Math.floor(free / 2), () => everything(text)));
  });
});
