/**
 * No input takes a service down: random documents built from rule fragments and arbitrary
 * characters, every offset, with and without a tenant (and with one whose callbacks throw). The
 * formatter keeps its promises on every random document it accepts. And the services stay fast on
 * a rule of the maximum length.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  complete, createRuleDocument, documentSymbols, foldingRanges, formatRule, hover, inlayHints, parseRule, printFullyParenthesized, ruleStatus, semanticTokens,
  type TenantData,
} from '../../../grammar/src/index';
import { BROKEN_TENANT, EXCHANGE_PLAN, TENANT } from './helpers';

const FRAGMENTS = [
  'user.', 'device.', 'department', 'assignedPlans', 'memberOf', 'devicePhysicalIds', 'accountEnabled', 'employeeHireDate', 'x',
  ' ', '  ', '\n', '\r\n', '\t', '\u00A0', '-eq', 'eq', '-EQ', '-ne', '-in', '-notIn', '-contains', '-match', '-ge', '-gt', '-any', '-all',
  '-and', 'and', '-or', '-not', '(', ')', '[', ']', ',', '"', "'", '`', '`"', '"Sales"', "'a''b'", '#', '# @group ', '# @licenses ', '@',
  '_', '_ ', 'system.now', '-plus', '-minus', 'P30D', 'p1y', 'null', '$null', 'true', 'Direct', 'Reports', 'for', `"${EXCHANGE_PLAN}"`,
  '\u2013eq', '\u201C', '\u201D', 'assignedPlan.servicePlanId', 'assignedPlan.', 'group.objectId', 'SPE_E3(', '-YAMMER_ENTERPRISE', ')',
  '2024-01-01T00:00:00Z', '2024-02-30', '12', '-5', '$', '.', '\\', '|',
];

const documents = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 4 })), { maxLength: 24 }).map((parts) => parts.join(''));
const tenants = fc.constantFrom<TenantData | undefined>(undefined, TENANT, BROKEN_TENANT);

function meaning(text: string): string {
  const p = parseRule(text);
  return `${p.expr ? printFullyParenthesized(p.expr).toLowerCase() : ''}|${p.comments.map((c) => c.text).join('\n')}`;
}

describe('services: robustness', () => {
  it('never throws, at any offset, with any tenant', () => {
    fc.assert(fc.property(documents, tenants, (text, data) => {
      const doc = createRuleDocument(text);
      for (let o = -1; o <= text.length + 1; o++) {
        const c = complete(doc, o, data);
        for (const i of c.items) assert.ok(i.replace.start >= 0 && i.replace.end <= text.length && i.replace.start <= i.replace.end);
        const h = hover(doc, o, data);
        if (h) assert.ok(h.span.start >= 0 && h.span.end <= text.length);
      }
      for (const h of inlayHints(doc, data)) assert.ok(h.offset >= 0 && h.offset <= text.length);
      for (const t of semanticTokens(doc)) assert.ok(t.span.start >= 0 && t.span.end <= text.length && t.span.start < t.span.end);
      for (const r of foldingRanges(doc)) assert.ok(r.start >= 0 && r.end <= text.length && r.start <= r.end);
      documentSymbols(doc);
      ruleStatus(doc);
    }), { numRuns: 300 });
  });

  it('formats random documents only when it can keep their meaning, idempotently', () => {
    fc.assert(fc.property(documents, fc.integer({ min: 10, max: 120 }), (text, width) => {
      const r = formatRule(createRuleDocument(text), { maxLineLength: width });
      if (!r.ok) return;
      assert.equal(meaning(r.text), meaning(text));
      const again = formatRule(createRuleDocument(r.text), { maxLineLength: width });
      assert.ok(again.ok);
      assert.equal(again.text, r.text);
    }), { numRuns: 500 });
  });

  // A bound against accidental superlinear work, not a speed target (npm run bench measures
  // those): each service answers a maximal rule in well under a millisecond on a quiet machine.
  it('answers on a 3,072-character rule within a bounded time (the outline within the parse time)', () => {
    let rule = '# @group Sales\n# @licenses SPE_E3\nuser.accountEnabled -eq true -and (';
    for (let i = 0; rule.length < 3000; i++) {
      rule += `${i ? ' -or ' : ''}user.assignedPlans -any (assignedPlan.servicePlanId -eq "${EXCHANGE_PLAN}" -and assignedPlan.capabilityStatus -eq "Enabled") -or user.department -eq "Dept ${i}"`;
    }
    rule = `${rule.slice(0, 3071)})`;
    // Two texts in turn, so that no service answers from the last document it saw.
    const texts = [rule, rule.replace('Dept 0', 'Dept X')];
    let n = 0;
    // The lower quartile: the machine may be busy with other work, which only ever adds time.
    const typical = (f: (t: string) => unknown): number => {
      for (let k = 0; k < 20; k++) f(texts[n++ % 2]!);
      const times: number[] = [];
      for (let k = 0; k < 41; k++) {
        const t = texts[n++ % 2]!;
        const start = performance.now();
        f(t);
        times.push(performance.now() - start);
      }
      return times.sort((a, b) => a - b)[10]!;
    };
    const inString = rule.indexOf(EXCHANGE_PLAN) + 3;
    const fast: Record<string, (t: string) => unknown> = {
      'complete at the end': (t) => complete(createRuleDocument(t), t.length, TENANT),
      'complete a service plan': (t) => complete(createRuleDocument(t), inString, TENANT),
      'complete a property': (t) => complete(createRuleDocument(`${t} -and user.`), t.length + 11, TENANT),
      hover: (t) => hover(createRuleDocument(t), inString, TENANT),
      inlayHints: (t) => inlayHints(createRuleDocument(t), TENANT),
      semanticTokens: (t) => semanticTokens(createRuleDocument(t)),
      foldingRanges: (t) => foldingRanges(createRuleDocument(t)),
      ruleStatus: (t) => ruleStatus(createRuleDocument(t)),
    };
    for (const [name, f] of Object.entries(fast)) {
      const ms = typical(f);
      assert.ok(ms < 20, `${name}: ${ms.toFixed(3)} ms`);
    }
    const parse = typical((t) => parseRule(t));
    const outline = typical((t) => documentSymbols(createRuleDocument(t)));
    assert.ok(outline < parse * 3 + 2, `documentSymbols ${outline.toFixed(3)} ms against a parse of ${parse.toFixed(3)} ms`);
  });
});
