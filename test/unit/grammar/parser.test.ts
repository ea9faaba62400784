/**
 * The parser: precedence and quantifier scope (shown by printFullyParenthesized), values, and
 * recovery — several errors per rule with exact spans, a partial tree, never an exception.
 */
import assert from 'node:assert/strict';
import { parseRule, printFullyParenthesized, walkExpr, type Expr, type Value } from '../../../grammar/src/index';

function tree(text: string): string {
  const r = parseRule(text);
  assert.deepEqual(r.issues.map((i) => `${i.code}: ${i.message}`), [], 'the rule should parse without syntax errors');
  assert.ok(r.expr);
  return printFullyParenthesized(r.expr);
}

const PRECEDENCE: [string, string, string][] = [
  ['-and binds tighter than -or', 'user.city -eq "a" -or user.state -eq "b" -and user.country -eq "c"', '((user.city -eq "a") -or ((user.state -eq "b") -and (user.country -eq "c")))'],
  ['-and before -or on the left too', 'user.city -eq "a" -and user.state -eq "b" -or user.country -eq "c"', '(((user.city -eq "a") -and (user.state -eq "b")) -or (user.country -eq "c"))'],
  ['chains are flat', 'user.city -eq "a" -and user.state -eq "b" -and user.country -eq "c"', '((user.city -eq "a") -and (user.state -eq "b") -and (user.country -eq "c"))'],
  ['-not binds looser than a comparison', '-not user.city -eq "a"', '(-not (user.city -eq "a"))'],
  ['-not binds tighter than -and', '-not user.city -eq "a" -and user.state -eq "b"', '((-not (user.city -eq "a")) -and (user.state -eq "b"))'],
  ['-not binds tighter than -or', 'user.city -eq "a" -or -not user.state -eq "b"', '((user.city -eq "a") -or (-not (user.state -eq "b")))'],
  ['-not -not', '-not -not user.city -eq "a"', '(-not (-not (user.city -eq "a")))'],
  ['-not before a group', '(user.department -eq "Sales") -and -not (user.jobTitle -startsWith "SDE")', '((user.department -eq "Sales") -and (-not (user.jobTitle -startsWith "SDE")))'],
  ['parentheses override precedence', '(user.city -eq "a" -or user.state -eq "b") -and user.country -eq "c"', '(((user.city -eq "a") -or (user.state -eq "b")) -and (user.country -eq "c"))'],
  ['redundant parentheses', '((user.city -eq "a"))', '(user.city -eq "a")'],
  ['hyphen-less and upper-case operators', 'user.city EQ "a" or user.state -EQ "b" AND user.country eq "c"', '((user.city -eq "a") -or ((user.state -eq "b") -and (user.country -eq "c")))'],
  // Quantifiers: the condition is the parenthesised group, or the single comparison after -any/-all.
  ['parenthesised condition', 'user.assignedPlans -any (assignedPlan.service -eq "SCO" -and assignedPlan.capabilityStatus -eq "Enabled")', '(user.assignedPlans -any ((assignedPlan.service -eq "SCO") -and (assignedPlan.capabilityStatus -eq "Enabled")))'],
  ['unparenthesised condition is one comparison', 'device.devicePhysicalIds -any _ -startsWith "[ZTDId]" -and device.accountEnabled -eq true', '((device.devicePhysicalIds -any (_ -startsWith "[ZTDId]")) -and (device.accountEnabled -eq true))'],
  ['unparenthesised condition before -or', 'user.proxyAddresses -any _ -endsWith "@a.com" -or user.city -eq "x"', '((user.proxyAddresses -any (_ -endsWith "@a.com")) -or (user.city -eq "x"))'],
  ['-all', 'user.assignedPlans -all (assignedPlan.servicePlanId -eq null)', '(user.assignedPlans -all (assignedPlan.servicePlanId -eq null))'],
  ['a quantifier inside -and', 'user.accountEnabled -eq true -and user.otherMails -any (_ -contains "x")', '((user.accountEnabled -eq true) -and (user.otherMails -any (_ -contains "x")))'],
  ['-not before a quantifier', '-not user.otherMails -any (_ -contains "x")', '(-not (user.otherMails -any (_ -contains "x")))'],
  ['-or inside a quantifier group', 'user.proxyAddresses -any (_ -startsWith "smtp:" -or _ -startsWith "sip:")', '(user.proxyAddresses -any ((_ -startsWith "smtp:") -or (_ -startsWith "sip:")))'],
  // Values.
  ['system.now -plus', 'user.employeeHireDate -ge system.now -plus P1D', '(user.employeeHireDate -ge system.now -plus P1D)'],
  ['parenthesised system.now', 'user.employeeHireDate -le (system.now -minus P30D)', '(user.employeeHireDate -le system.now -minus P30D)'],
  ['parenthesised system.now inside -and', 'user.employeeHireDate -ge (system.now -minus P7D) -and user.city -eq "x"', '((user.employeeHireDate -ge system.now -minus P7D) -and (user.city -eq "x"))'],
  ['bare system.now', 'user.employeeHireDate -ge system.now', '(user.employeeHireDate -ge system.now)'],
  ['arrays of both quote styles', "user.city -in [\"a\", 'b', \"c\"]", "(user.city -in [\"a\", 'b', \"c\"])"],
  ['empty array', 'user.city -notIn []', '(user.city -notIn [])'],
  ['Direct Reports', 'Direct Reports for "c0a70500-0000-4000-8000-000000000101"', '(Direct Reports for "c0a70500-0000-4000-8000-000000000101")'],
  ['memberOf', "user.memberOf -any (group.objectId -in ['c0a70500-0000-4000-8000-000000000201'])", "(user.memberOf -any (group.objectId -in ['c0a70500-0000-4000-8000-000000000201']))"],
  ['rule over several lines', 'user.city -eq "a"\r\n  -and user.state -eq "b"\n', '((user.city -eq "a") -and (user.state -eq "b"))'],
  ['comments before the rule', '# Sales\n# @group Sales team\nuser.department -eq "Sales"', '(user.department -eq "Sales")'],
];

describe('parser: precedence and scope', () => {
  for (const [name, text, expected] of PRECEDENCE) {
    it(name, () => assert.equal(tree(text), expected));
  }
});

function firstValue(text: string): Value {
  const r = parseRule(text);
  let v: Value | undefined;
  if (r.expr) walkExpr(r.expr, (e) => { if (!v && e.kind === 'compare') v = e.value; });
  assert.ok(v);
  return v;
}

describe('parser: values', () => {
  it('unescapes backticks in double-quoted strings', () => {
    const v = firstValue('user.companyName -eq "Contoso `"Labs`" Ltd"');
    assert.equal(v.kind === 'string' && v.value, 'Contoso "Labs" Ltd');
  });

  it('unescapes doubled single quotes', () => {
    const v = firstValue("user.department -eq 'Women''s Health'");
    assert.ok(v.kind === 'string');
    assert.equal(v.value, "Women's Health");
    assert.equal(v.quote, 'single');
  });

  it("reads the docs' `\"Sales`\" as the text \"Sales\" with its quotes", () => {
    const v = firstValue('user.department -eq `"Sales`"');
    assert.ok(v.kind === 'string');
    assert.equal(v.value, '"Sales"');
    assert.equal(v.raw, '`"Sales`"');
  });

  it('keeps a backslash as a plain character', () => {
    const v = firstValue('user.onPremisesDistinguishedName -contains "C:\\temp"');
    assert.equal(v.kind === 'string' && v.value, 'C:\\temp');
  });

  it('parses dates to UTC milliseconds, honouring offsets', () => {
    const v = firstValue('user.employeeHireDate -ge 2024-06-01T02:00:00+02:00');
    assert.equal(v.kind === 'datetime' && v.value, Date.UTC(2024, 5, 1));
    const bad = firstValue('user.employeeHireDate -ge 2024-02-30T00:00:00Z');
    assert.ok(bad.kind === 'datetime' && Number.isNaN(bad.value));
  });

  it('reads system.now steps and their durations', () => {
    const v = firstValue('user.employeeHireDate -ge system.now -minus P30D');
    assert.ok(v.kind === 'now');
    assert.deepEqual(v.steps.map((s) => [s.op.name, s.duration?.raw]), [['minus', 'P30D']]);
    assert.equal(v.parenthesized, false);
    const p = firstValue('user.employeeHireDate -ge (system.now -plus P1D)');
    assert.ok(p.kind === 'now' && p.parenthesized);
    assert.deepEqual(p.span, { start: 26, end: 48 });
  });

  it('gives every node the span of its text', () => {
    const text = 'user.department -eq "Sales" -and -not (user.city -in ["a", "b"])';
    const r = parseRule(text);
    assert.ok(r.expr);
    const seen: string[] = [];
    walkExpr(r.expr, (e: Expr) => seen.push(`${e.kind}:${text.slice(e.span.start, e.span.end)}`));
    assert.deepEqual(seen, [
      `and:${text}`,
      'compare:user.department -eq "Sales"',
      'not:-not (user.city -in ["a", "b"])',
      'paren:(user.city -in ["a", "b"])',
      'compare:user.city -in ["a", "b"]',
    ]);
  });
});

/** [code, start, end] of every syntax issue, in text order. */
const syntax = (text: string): [string, number, number][] =>
  parseRule(text).issues.map((i): [string, number, number] => [i.code, i.span.start, i.span.end]).sort((a, b) => a[1] - b[1]);

const RECOVERY: [string, string, [string, number, number][], string][] = [
  ['missing value, then an unclosed parenthesis', 'user.department -eq "Sales" -and (user.city -eq -or user.country -eq "US"',
    [['syntax/missing-value', 48, 51], ['syntax/unclosed-paren', 69, 73]],
    '((user.department -eq "Sales") -and ((user.city -eq ?) -or (user.country -eq "US")))'],
  ['missing operator and missing value in one rule', 'user.department -eq "a" -and user.city "b" -and user.jobTitle -eq',
    [['syntax/missing-operator', 39, 42], ['syntax/missing-value', 62, 65]],
    '((user.department -eq "a") -and (user.city ? ?) -and (user.jobTitle -eq ?))'],
  ['missing connective between groups', '(user.department -eq "Sales") (user.department -eq "Marketing")',
    [['syntax/missing-connective', 30, 30]],
    '((user.department -eq "Sales") -and (user.department -eq "Marketing"))'],
  ['two missing connectives and a missing space', '(user.department -eq "Sales") (user.department -eq "Sales")(user.department-eq"Sales")',
    [['syntax/missing-connective', 30, 30], ['syntax/missing-connective', 59, 59]],
    '((user.department -eq "Sales") -and (user.department -eq "Sales") -and (user.department -eq "Sales"))'],
  ['trailing connective', 'user.department -eq "Sales" -and', [['syntax/expected-condition', 28, 32]], '((user.department -eq "Sales") -and ?)'],
  ['doubled connective', 'user.department -eq "Sales" -and -and user.city -eq "x"', [['syntax/expected-condition', 33, 37]], '((user.department -eq "Sales") -and ? -and (user.city -eq "x"))'],
  ['unclosed bracket', 'user.department -in ["a", "b"', [['syntax/unclosed-bracket', 26, 29]], '(user.department -in ["a", "b"])'],
  ['array items without a comma', 'user.department -in ["a" "b"]', [['syntax/missing-comma', 25, 28]], '(user.department -in ["a"])'],
  ['stray ) then the rest of the rule is still parsed', 'user.city -eq "x" -or user.city -eq "y") -and user.jobTitle -eq "z"',
    [['syntax/unmatched-paren', 39, 40]],
    '(((user.city -eq "x") -or (user.city -eq "y")) -and (user.jobTitle -eq "z"))'],
  ['stray ) with no connective after it', 'user.city -eq "x") user.state -eq "WA"',
    [['syntax/unmatched-paren', 17, 18], ['syntax/missing-connective', 19, 19]],
    '((user.city -eq "x") -and (user.state -eq "WA"))'],
  ['stray ) at the end', 'user.city -eq "x")', [['syntax/unmatched-paren', 17, 18]], '(user.city -eq "x")'],
  ['stray ) then a dangling connective', 'user.city -eq "x") -and', [['syntax/unmatched-paren', 17, 18], ['syntax/expected-condition', 19, 23]], '((user.city -eq "x") -and ?)'],
  ['missing duration and leftover word', 'user.employeeHireDate -ge system.now -plus XYZ', [['syntax/unexpected-token', 43, 46]], '(user.employeeHireDate -ge system.now -plus ?)'],
  ['unterminated string', 'user.department -eq "Sales', [['syntax/unterminated-string', 20, 26]], '(user.department -eq "Sales)'],
  ['unexpected character, then a condition', 'user.city -eq "x" & user.state -eq "WA"',
    [['syntax/unexpected-character', 18, 19], ['syntax/missing-connective', 20, 20]],
    '((user.city -eq "x") -and (user.state -eq "WA"))'],
  ['missing for in Direct Reports', 'Direct Reports "c0a70500-0000-4000-8000-000000000101"', [['syntax/expected-token', 15, 53]], '(Direct Reports for "c0a70500-0000-4000-8000-000000000101")'],
  ['a word that is not a property', 'mail -ne null', [['syntax/expected-condition', 0, 4]], '?'],
];

describe('parser: recovery', () => {
  for (const [name, text, issues, partial] of RECOVERY) {
    it(name, () => {
      assert.deepEqual(syntax(text), issues);
      const r = parseRule(text);
      assert.equal(r.expr ? printFullyParenthesized(r.expr) : '?', partial);
    });
  }

  it('reports the issues of a broken prefix at every length of a rule, and never throws', () => {
    const text = 'user.assignedPlans -any (assignedPlan.servicePlanId -in ["efb87545-963c-4e0d-99df-69c6916d9eb0"] -and assignedPlan.capabilityStatus -eq "Enabled") -or -not (user.employeeHireDate -ge (system.now -minus P30D)) -and Direct Reports for "x"';
    for (let n = 0; n <= text.length; n++) {
      const r = parseRule(text.slice(0, n));
      for (const i of r.issues) {
        assert.ok(i.span.start >= 0 && i.span.start <= i.span.end && i.span.end <= n, `bad span ${i.span.start}-${i.span.end} at length ${n}`);
      }
      if (r.expr) walkExpr(r.expr, (e) => assert.ok(Number.isFinite(e.span.start) && Number.isFinite(e.span.end) && e.span.end <= n, `bad node span at length ${n}`));
    }
  });

  it('never throws on token soup', () => {
    // A fixed-seed generator: the same soup every run, so a failure can be reproduced.
    let seed = 20240601;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    const pieces = ['user.city', 'device.deviceOSType', '_', 'assignedPlan.service', '-eq', '-any', '-all', '-and', '-or', '-not', '(', ')', '[', ']', ',', '"a"', "'b'", '"open', 'null', 'true', '2024-01-01', 'system.now', '-plus', 'P1D', 'Direct', 'Reports', 'for', '–eq', '“x”', '`"y`"', '-gt', '#', '\n', '\\"', '@', '12'];
    for (let k = 0; k < 500; k++) {
      const n = 1 + rnd(12);
      const text = Array.from({ length: n }, () => pieces[rnd(pieces.length)]).join(rnd(3) === 0 ? '' : ' ');
      const r = parseRule(text);
      for (const i of r.issues) assert.ok(i.span.start <= i.span.end && i.span.end <= text.length, `bad span in ${JSON.stringify(text)}`);
    }
  });

  it('parses a document with no rule to no tree', () => {
    assert.equal(parseRule('').expr, undefined);
    assert.equal(parseRule('# only a comment\n').expr, undefined);
  });
});
