/**
 * The sample corpus as a golden test: every valid sample is free of errors and warnings (the
 * checker has no false positives on realistic rules), and every broken sample produces exactly the
 * codes its `# expect:` line names.
 */
import assert from 'node:assert/strict';
import { checkRule, parseRule, ruleBody } from '../../../grammar/src/index';
import { compileRule } from '../../../grammar/engine/src/index';
import { expectedCodes, problems, samples } from './helpers';

const valid = samples('rules');
const invalid = samples('invalid');

describe('samples/rules', () => {
  it('holds at least 25 samples', () => {
    assert.ok(valid.length >= 25, `only ${valid.length} samples`);
  });

  for (const s of valid) {
    it(`${s.name} has no error or warning and compiles`, () => {
      const parsed = parseRule(s.text);
      const found = problems(checkRule(parsed)).map((i) => `${i.code} at ${i.span.start}: ${i.message}`);
      assert.deepEqual(found, []);
      assert.ok(compileRule(parsed).ok);
    });

    it(`${s.name} starts with a comment that says what the group is for`, () => {
      const parsed = parseRule(s.text);
      assert.ok(parsed.comments.length >= 1);
      assert.equal(parsed.comments[0]!.span.start, 0);
      assert.ok(parsed.comments[0]!.text.length > 20, 'the description is too short');
      assert.deepEqual(parsed.directives, []);
      assert.ok(ruleBody(parsed).length > 0);
    });
  }

  it('together use every comparison operator, spelled canonically', () => {
    const written = new Set<string>();
    for (const s of valid) for (const t of parseRule(s.text).tokens) if (t.tokenType.name.startsWith('Op_')) written.add(t.image);
    for (const op of ['-eq', '-ne', '-startsWith', '-notStartsWith', '-endsWith', '-notEndsWith', '-contains', '-notContains', '-match', '-notMatch', '-in', '-notIn', '-ge', '-le', '-and', '-or', '-not', '-any', '-all', '-plus', '-minus']) {
      assert.ok(written.has(op), `no sample uses ${op}`);
    }
  });

  it('together use every literal form and property family', () => {
    const all = valid.map((s) => ruleBody(parseRule(s.text))).join('\n');
    const wanted: [string, RegExp][] = [
      ['double-quoted array', /\[\s*"/],
      ['single-quoted array', /\[\s*'/],
      ['true', /\btrue\b/],
      ['false', /\bfalse\b/],
      ['null', /-ne null\b/],
      ['$null', /\$null\b/],
      ['backtick escape', /`"/],
      ['doubled single quote', /''/],
      ['_ on proxyAddresses', /proxyAddresses -any \(_/],
      ['_ on otherMails', /otherMails -any \(_/],
      ['_ on devicePhysicalIds', /devicePhysicalIds -any \(_/],
      ['assignedPlan.servicePlanId', /assignedPlan\.servicePlanId/],
      ['assignedPlan.service', /assignedPlan\.service -/],
      ['assignedPlan.capabilityStatus', /assignedPlan\.capabilityStatus/],
      ['Direct Reports', /^Direct Reports for "[0-9a-f-]{36}"$/m],
      ['ISO date-time', /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/],
      ['system.now -plus', /system\.now -plus P/],
      ['system.now -minus', /system\.now -minus P/],
      ['parenthesised system.now', /\(system\.now/],
      ['extensionAttribute', /extensionAttribute\d+/],
      ['directory extension', /extension_[0-9a-f]{32}_\w+/],
      ['device property', /\bdevice\./],
    ];
    for (const [what, re] of wanted) assert.match(all, re, `no sample uses ${what}`);
  });

  it('show the retired memberOf rules in comments, next to the rules that replace them', () => {
    const retired = valid.flatMap((s) => parseRule(s.text).comments.map((c) => c.text.replace(/^#\s*/, '')).filter((t) => /^(user|device)\.memberOf -any \(group\.objectId -in \[/.test(t)));
    assert.deepEqual(retired.map((t) => t.split('.')[0]).sort(), ['device', 'user']);
    for (const rule of retired) {
      assert.deepEqual(problems(checkRule(parseRule(rule))).map((i) => i.code), ['rule/member-of-retired'], rule);
    }
  });
});

describe('samples/invalid', () => {
  it('holds at least 15 samples', () => {
    assert.ok(invalid.length >= 15, `only ${invalid.length} samples`);
  });

  for (const s of invalid) {
    it(`${s.name} gives exactly the codes it expects`, () => {
      const expected = expectedCodes(s.text);
      assert.ok(expected && expected.length > 0, 'the first line must be # expect: <code>[, <code>...]');
      const issues = checkRule(parseRule(s.text));
      const codes = new Set(issues.map((i) => i.code));
      for (const code of expected) assert.ok(codes.has(code), `${code} not reported; got ${[...codes].join(', ') || 'nothing'}`);
      const unexpected = problems(issues).filter((i) => !expected.includes(i.code)).map((i) => `${i.code}: ${i.message}`);
      assert.deepEqual(unexpected, []);
    });
  }

  it('three-mistakes.dynrule reports its three errors with exact ranges', () => {
    const s = invalid.find((x) => x.name === 'three-mistakes.dynrule');
    assert.ok(s);
    const errors = checkRule(parseRule(s.text)).filter((i) => i.severity === 'error');
    const rule = s.text.indexOf('user.departmnet');
    assert.deepEqual(
      errors.map((i) => [i.code, i.span.start - rule, i.span.end - rule, s.text.slice(i.span.start, i.span.end)]),
      [
        ['type/unknown-property', 0, 15, 'user.departmnet'],
        ['type/operator-not-allowed', 53, 62, '-contains'],
        ['syntax/unknown-operator', 95, 98, '-gt'],
      ],
    );
  });
});
