/**
 * The linear-time -match engine (server/src/regex): the same answers as JavaScript's RegExp on
 * every pattern it runs, linear time on the patterns that make RegExp backtrack for ever, and the
 * plan it makes for each kind of pattern.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  analyzeRegex, compileRule, defaultRegexEngine, nativeRegexEngine, parseRule, setDefaultRegexEngine, type RegexEngine,
} from '../../../grammar/src/index';
import { linearRegexEngine, nativeMaxLength, planRegex } from '../../../server/src/regex/engine';
import { translateToRe2 } from '../../../server/src/regex/translate';
import { matchString, pattern, runs } from './arbitraries';

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
      assert.ok(m, `a ${plan.kind} plan gives a matcher`);
      const re = new RegExp(a.source, a.flags);
      for (const s of strings) {
        const got = m(s);
        // The native fallback may decline a string too long to test safely: unknown, never wrong.
        if (got === undefined && plan.kind === 'native') continue;
        assert.equal(got, re.test(s), `${JSON.stringify(p)} (${plan.kind}${plan.kind === 're2' ? ` ${plan.source}` : ''}) on ${JSON.stringify(s)}`);
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

  it('plans each kind of pattern: RE2 where it can, native only where bounded, unknown otherwise', () => {
    const kind = (p: string): string => planRegex(analyzeRegex(p)).kind;
    // Catastrophic for a backtracking engine, linear for RE2.
    assert.equal(kind('(a+)+$'), 're2');
    assert.equal(kind('(.*a){20}'), 're2');
    assert.equal(kind('(a|aa)+b'), 're2');
    // Not flagged by the core's analysis, yet polynomial for RegExp: RE2 as well.
    assert.equal(kind('\\w*\\w*\\w*\\w*\\w*\\w*\\w*\\w*!'), 're2');
    assert.equal(kind('(?<=^Sales )Manager'), 're2');
    assert.equal(kind('(?i)^sales'), 're2');
    assert.equal(kind('\\p{Lu}\\p{Ll}+'), 're2');
    // RE2 has no lookahead or back-references: native, on strings short enough.
    assert.equal(kind('^(?!.*contractor).*$'), 'native');
    assert.equal(kind('^(\\w)\\1'), 'native');
    // Neither is safe: unknown.
    assert.equal(kind('(a+)+(?=b)'), 'none');
    assert.equal(kind('(?=x)\\w*\\w*\\w*\\w*\\w*!'), 'none');
    assert.equal(kind('(?>a)'), 'none');
    assert.equal(kind('^(?i)sales'), 'none');
    assert.equal(kind('[a'), 'none');
  });

  it('bounds the native fallback by the pattern\'s shape: longer strings are unknown, quickly', () => {
    assert.equal(nativeMaxLength('^(?!x)abc$'), 10_000_000 - 1);
    assert.ok(nativeMaxLength('^(?!.*contractor).*$') >= 150 && nativeMaxLength('^(?!.*contractor).*$') < 1000);
    assert.equal(nativeMaxLength('(?=a)a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?'), 0);
    const m = linearRegexEngine.compile(analyzeRegex('^(?!.*contractor).*$'))!;
    assert.equal(m('Sales'), true);
    assert.equal(m('a contractor'), false);
    const [r, ms] = time(() => m('x'.repeat(10_000_000)));
    assert.equal(r, undefined);
    assert.ok(ms < 50, `${ms} ms`);
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
      // The core's own default refuses catastrophic patterns: unknown.
      setDefaultRegexEngine(nativeRegexEngine);
      const n = compileRule(parsed);
      assert.ok(n.ok);
      assert.equal(n.rule.evaluate({ department: 'aaa' }), 'unknown');
      setDefaultRegexEngine(linearRegexEngine);
      const c = compileRule(parsed);
      assert.ok(c.ok);
      assert.equal(c.rule.evaluate({ department: 'aaa' }), true);
      assert.equal(c.rule.evaluate({ department: 'aab' }), false);
      // A budget that runs out turns the remaining results into unknown, and says so once.
      const slow: RegexEngine = { compile: () => (s) => { const end = Date.now() + 3; while (Date.now() < end); return s.length > 0; } };
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
