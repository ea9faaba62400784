/**
 * The advice from Microsoft's current pages keeps the rule's meaning: for random rules that apply
 * a string operator to a string collection directly, or use `-contains`/`-match` where `-eq`/`-in`
 * would do, the rule after the quick fix gives every object exactly the result the rule gave
 * before (the reference interpreter, three-valued). Objects are Graph-shaped: collections are
 * arrays of strings, null, or missing, as Graph returns them.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkRule, parseRule } from '../../../grammar/src/index';
import { interpretResult, type GraphObject } from '../../../grammar/engine/src/index';
import { applyFix } from './helpers';

const NOW = Date.parse('2026-12-01T00:00:00Z');
const WORDS = ['smtp:a@contoso.com', 'SMTP:B@Contoso.com', 'sip:c@contoso.com', 'a@gmail.com', '', 'Sales', 'sales', 'Marketing', 'Legal', 'ü', '\u212A'];
const VALUES = ['smtp:', 'SMTP:b', '@contoso.com', 'gmail', '', 'sales', 'Sales', 'k', 'ü'];
const PATTERNS = ['^smtp:', 'contoso\\.com$', 's.*s', '^(Sales|Marketing)$', 'k'];

const collection = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.constantFrom(...WORDS), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
const scalar = fc.oneof(fc.constantFrom<unknown>(...WORDS, 'Company', 'company', 'Personal', 'Unknown', 'Member', 'Guest', 'guest', null), fc.constant(undefined));

/** A Graph object: keys with the value undefined are left out (data missing). */
const objectArb: fc.Arbitrary<GraphObject> = fc.record({
  proxyAddresses: collection, otherMails: collection, physicalIds: collection,
  department: scalar, userType: scalar, deviceOwnership: scalar,
}).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));

const str = (s: string): string => `"${s.replace(/"/g, '`"')}"`;
const userRule = fc.oneof(
  fc.tuple(fc.constantFrom('proxyAddresses', 'otherMails'),
    fc.constantFrom('-eq', '-ne', '-startsWith', '-notStartsWith', '-endsWith', '-notEndsWith', '-contains', '-notContains'), fc.constantFrom(...VALUES))
    .map(([p, o, v]) => `user.${p} ${o} ${str(v)}`),
  fc.tuple(fc.constantFrom('proxyAddresses', 'otherMails'), fc.constantFrom('-match', '-notMatch'), fc.constantFrom(...PATTERNS)).map(([p, o, v]) => `user.${p} ${o} ${str(v)}`),
  fc.tuple(fc.constantFrom('proxyAddresses', 'otherMails'), fc.constantFrom('-in', '-notIn'), fc.subarray(VALUES, { minLength: 1 })).map(([p, o, vs]) => `user.${p} ${o} [${vs.map(str).join(', ')}]`),
  fc.tuple(fc.constantFrom('-contains', '-notContains'), fc.constantFrom('mem', 'GU', 'e', 'x')).map(([o, v]) => `user.userType ${o} ${str(v)}`),
  fc.tuple(fc.constantFrom('-match', '-notMatch'), fc.constantFrom('^(Sales|Marketing)$', '^(?:sales|Legal)$', '^(Marketing|ü)$')).map(([o, v]) => `user.department ${o} ${str(v)}`),
);
const deviceRule = fc.oneof(
  fc.tuple(fc.constantFrom('-contains', '-notContains'), fc.constantFrom('comp', 'PERS', 'o', 'known')).map(([o, v]) => `device.deviceOwnership ${o} ${str(v)}`),
  fc.tuple(fc.constantFrom('-startsWith', '-notContains', '-in'), fc.constantFrom('[ZTDId]', 'smtp:')).map(([o, v]) => `device.devicePhysicalIds ${o} ${o === '-in' ? `[${str(v)}]` : str(v)}`),
);
/** The rule alone, or within an -and / -or / -not. */
const ruleArb = fc.tuple(fc.oneof(userRule, deviceRule), fc.constantFrom('', ' -and', ' -or', '-not')).map(([r, ctx]) => {
  const other = r.startsWith('device.') ? 'device.accountEnabled -eq true' : 'user.accountEnabled -eq true';
  return ctx === '' ? r : ctx === '-not' ? `-not (${r})` : `${r}${ctx} ${other}`;
});

const ADVICE = new Set(['style/collection-without-any', 'perf/cheaper-operator']);

describe('advice from the current pages: each fix keeps the rule\'s meaning', () => {
  it('gives every object the same result before and after the fix, on random rules and objects', () => {
    let fixed = 0;
    fc.assert(fc.property(ruleArb, fc.array(objectArb.map((o) => ({ ...o, accountEnabled: true })), { minLength: 1, maxLength: 12 }), (rule, objects) => {
      const issues = checkRule(parseRule(rule), { now: NOW }).filter((i) => ADVICE.has(i.code));
      for (const i of issues) {
        const after = applyFix(rule, i.fixes![0]!);
        const before = parseRule(rule);
        const changed = parseRule(after);
        assert.ok(!checkRule(changed, { now: NOW }).some((x) => x.code === i.code), `${after} keeps ${i.code}`);
        for (const o of objects) {
          assert.equal(interpretResult(after, changed.expr!, o, { now: NOW }), interpretResult(rule, before.expr!, o, { now: NOW }), `${rule} → ${after} on ${JSON.stringify(o)}`);
        }
        fixed++;
      }
    }), { seed: 20261204, numRuns: 400 });
    assert.ok(fixed > 300, `only ${fixed} fixes tried`);
  });

  it('leaves rules alone where the cheaper form would not be the same', () => {
    const codes = (rule: string): string[] => checkRule(parseRule(rule)).filter((i) => ADVICE.has(i.code)).map((i) => i.code);
    // Not a closed set of values, a pattern with metacharacters, empty-or-not on a collection, and
    // a substring that every (or no) documented value has.
    for (const rule of ['user.department -contains "Sal"', 'user.department -match "^(Sa.es|Legal)$"', 'user.proxyAddresses -eq null',
      'device.deviceOwnership -contains "n"', 'device.deviceOwnership -contains "z"', 'user.proxyAddresses -any (_ -startsWith "smtp:")']) {
      assert.deepEqual(codes(rule), [], rule);
    }
  });
});
