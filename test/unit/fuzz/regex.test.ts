/**
 * The linear-time -match engine (server/src/regex): the same answers as JavaScript's RegExp on
 * every pattern it runs, linear time on the patterns that make RegExp backtrack for ever, the
 * patterns it refuses (never run by a backtracking engine), and the plan it makes for each kind.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  analyzeRegex, defaultRegexEngine, noRegexEngine, parseRule, setDefaultRegexEngine, type RegexEngine,
} from '../../../grammar/src/index';
import { compileRule } from '../../../grammar/engine/src/index';
import { linearRegexEngine, planRegex } from '../../../server/src/regex/engine';
import { translateToRe2 } from '../../../server/src/regex/translate';
import { hostilePattern, longMatchingName, matchString, pattern, runs } from './arbitraries';
import { boundedMatch } from './harness';

/** Times one call in milliseconds. */
function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

describe('fuzz: the linear-time regex engine', () => {
  it('answers exactly as JavaScript RegExp on every pattern it translates (random patterns × strings)', () => {
    let compared = 0;
    fc.assert(fc.property(pattern, fc.array(matchString, { minLength: 1, maxLength: 8 }), (p, strings) => {
      const a = analyzeRegex(p);
      // Invalid and .NET-only patterns have no JavaScript answer; catastrophic ones would not finish natively.
      if (a.error || a.dotnetOnly.length > 0 || a.catastrophic) return;
      const plan = planRegex(a);
      const m = linearRegexEngine.compile(a);
      if (plan.kind === 'none') {
        assert.equal(m, undefined);
        return;
      }
      assert.ok(m, 'a re2 plan gives a matcher');
      const re = new RegExp(a.source, a.flags);
      for (const s of strings) {
        const got = m(s);
        assert.equal(got, re.test(s), `${JSON.stringify(p)} (re2 ${plan.source}) on ${JSON.stringify(s)}`);
        compared++;
      }
    }), runs(1500));
    assert.ok(compared > 3000, `only ${compared} comparisons`);
  });

  it('answers as RegExp on long strings too (repeated random pieces up to 2,000 characters)', () => {
    fc.assert(fc.property(pattern, matchString, fc.integer({ min: 50, max: 200 }), (p, piece, times) => {
      const a = analyzeRegex(p);
      if (a.error || a.dotnetOnly.length > 0 || a.catastrophic || planRegex(a).kind !== 're2') return;
      const s = piece.repeat(times).slice(0, 2000);
      assert.equal(linearRegexEngine.compile(a)!(s), new RegExp(a.source, a.flags).test(s), `${JSON.stringify(p)} on ${JSON.stringify(s.slice(0, 40))}…`);
    }), runs(300));
  });

  it('plans each kind of pattern: RE2 where it can, refused (unknown, with the reason) otherwise', () => {
    const plan = (p: string) => planRegex(analyzeRegex(p));
    const kind = (p: string): string => plan(p).kind;
    // Catastrophic for a backtracking engine, linear for RE2.
    assert.equal(kind('(a+)+$'), 're2');
    assert.equal(kind('(.*a){20}'), 're2');
    assert.equal(kind('(a|aa)+b'), 're2');
    // Not flagged by the core's analysis, yet polynomial for RegExp: RE2 as well.
    assert.equal(kind('\\w*\\w*\\w*\\w*\\w*\\w*\\w*\\w*!'), 're2');
    assert.equal(kind('(?<=^Sales )Manager'), 're2');
    assert.equal(kind('(?i)^sales'), 're2');
    assert.equal(kind('\\p{Lu}\\p{Ll}+'), 're2');
    // What RE2 cannot do is refused, with the reason: never handed to a backtracking engine.
    const reason = (p: string): string => {
      const r = plan(p);
      assert.equal(r.kind, 'none', p);
      return r.kind === 'none' ? r.reason : '';
    };
    assert.match(reason('^(?!.*contractor).*$'), /linear-time engine cannot run lookahead/);
    assert.match(reason('(?=C)(\\p{L}|x?\\p{L}|=|,| )*\\x00'), /lookahead/);
    assert.match(reason('^(\\w)\\1'), /back-reference/);
    assert.match(reason('(a|b?a){0,5000}c'), /repeat count over 1,000/);
    assert.match(reason('((a{100}){100}){2}'), /repeat counts nested to over 1,000/);
    assert.match(reason('(?>a)'), /\.NET-only/);
    assert.match(reason('[a'), /invalid pattern/);
    assert.equal(kind('^(?i)sales'), 'none');
  });

  it('refuses the patterns that hang a backtracking engine, at once, and the rule gives unknown', () => {
    const parsed = parseRule('user.displayName -match "(a|b?a){0,5000}c"');
    const c = compileRule(parsed);
    assert.ok(c.ok);
    assert.equal(c.rule.evaluate({ displayName: 'a'.repeat(45) }), 'unknown');
    const dn = compileRule(parseRule('user.onPremisesDistinguishedName -match "(?=C)(\\p{L}|x?\\p{L}|=|,| )*\\x00"'));
    assert.ok(dn.ok);
    assert.equal(dn.rule.evaluate({ onPremisesDistinguishedName: `CN=${'a'.repeat(40)},OU=${'b'.repeat(40)},DC=contoso,DC=com` }), 'unknown');
    // Null still gives what it gives for any pattern.
    assert.equal(dn.rule.evaluate({ onPremisesDistinguishedName: null }), false);
  });

  it('fuzz: hostile patterns (nested quantifiers over overlapping alternatives, lookarounds, large counts) over long matching names return within a bound, never on RegExp', () => {
    const seen = { ran: 0, refused: 0, invalid: 0 };
    fc.assert(fc.property(hostilePattern, fc.array(longMatchingName, { minLength: 1, maxLength: 4 }), (p, names) => {
      seen[boundedMatch(p, names)]++;
    }), runs(100));
    assert.ok(seen.ran >= 5 && seen.refused >= 20, JSON.stringify(seen));
  });

  it('runs catastrophic patterns in linear time on long strings', () => {
    for (const [p, s] of [
      ['(a+)+$', `${'a'.repeat(100_000)}!`],
      ['(.*a){20}', 'a'.repeat(100_000)],
      ['\\w*\\w*\\w*\\w*\\w*\\w*\\w*\\w*!', 'a'.repeat(100_000)],
      ['(x+x+)+y', 'x'.repeat(100_000)],
    ] as const) {
      const m = linearRegexEngine.compile(analyzeRegex(p))!;
      const [, ms] = time(() => m(s));
      assert.ok(ms < 1000, `${p}: ${ms.toFixed(0)} ms on ${s.length} characters`);
    }
  });

  it('keeps JavaScript\'s meaning where RE2\'s differs: case, dot, \\s, surrogates', () => {
    const test = (p: string, s: string): boolean | undefined => linearRegexEngine.compile(analyzeRegex(p))!(s);
    assert.equal(test('^k$', '\u212A'), false, 'the Kelvin sign is not k in JavaScript (RE2 folds it)');
    assert.equal(test('^s$', 'ſ'), false, 'the long s is not s in JavaScript');
    assert.equal(test('^σ$', 'ς'), true);
    assert.equal(test('^.$', '\r'), false, '. does not match \\r in JavaScript');
    assert.equal(test('^.$', '😀'), false, 'without u, . is one UTF-16 code unit');
    assert.equal(test('^..$', '😀'), true);
    assert.equal(test('^[^a]$', '\uD800'), true);
    assert.equal(test('\\s', '\u00A0'), true, 'JavaScript\'s \\s includes no-break space');
    assert.equal(test('\\s', '\uFEFF'), true);
    assert.equal(test('a$', 'a\n'), false, '$ is the end of the text only');
    assert.equal(test('^[\\d-z]+$', '1-z'), true, 'a class escape makes - a plain character');
    assert.equal(translateToRe2('(?=a)', 'i').ok, false);
  });

  it('the core evaluates with the engine a process registers, and keeps the time budget', () => {
    const parsed = parseRule('user.department -match "(a+)+$"');
    const before = defaultRegexEngine();
    try {
      // The core alone runs no pattern: unknown, and the reason says so.
      setDefaultRegexEngine(noRegexEngine);
      const n = compileRule(parsed);
      assert.ok(n.ok);
      assert.equal(n.rule.evaluate({ department: 'aaa' }), 'unknown');
      setDefaultRegexEngine(linearRegexEngine);
      const c = compileRule(parsed);
      assert.ok(c.ok);
      assert.equal(c.rule.evaluate({ department: 'aaa' }), true);
      assert.equal(c.rule.evaluate({ department: 'aab' }), false);
      // A budget that runs out turns the remaining results into unknown, and says so once.
      const slow: RegexEngine = { compile: () => (s) => { const end = Date.now() + 3; while (Date.now() < end); return s.length > 0; }, refusal: () => undefined };
      const spent: string[] = [];
      const b = compileRule(parsed, { regex: slow, regexBudgetMs: 10, onRegexBudgetSpent: (p) => spent.push(p) });
      assert.ok(b.ok);
      const results = Array.from({ length: 20 }, (_, i) => b.rule.evaluate({ department: `x${i}` }));
      assert.equal(results[0], true);
      assert.equal(results[19], 'unknown');
      assert.deepEqual(spent, ['(a+)+$']);
    } finally {
      setDefaultRegexEngine(before);
    }
  });
});
