/**
 * Semantic tokens (the type at each `|` marker), folding ranges, the outline and the rule status.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRuleDocument, documentSymbols, foldingRanges, ruleStatus, semanticTokens, type DocumentSymbol, type SemanticToken } from '../../../grammar/src/index';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const sample = (name: string): string => readFileSync(join(ROOT, 'samples', 'rules', name), 'utf8');

/** `covered text → type[+modifiers]` for every token. */
function tokens(text: string): string[] {
  return semanticTokens(createRuleDocument(text)).map((t) => `${text.slice(t.span.start, t.span.end)} → ${t.type}${t.modifiers?.length ? `+${t.modifiers.join('+')}` : ''}`);
}

describe('services: semanticTokens', () => {
  it('marks objects, properties, operators, strings and keywords', () => {
    assert.deepEqual(tokens('user.department -eq "Sales" -and user.accountEnabled -eq TRUE'), [
      'user → type', 'department → property', '-eq → operator', '"Sales" → string', '-and → operator',
      'user → type', 'accountEnabled → property', '-eq → operator', 'TRUE → keyword',
    ]);
  });

  it('marks element objects and _ as read-only variables, dates and durations as numbers', () => {
    assert.deepEqual(tokens('user.assignedPlans -any (assignedPlan.service -eq "SCO")').slice(3, 5), ['assignedPlan → variable+readonly', 'service → property']);
    assert.deepEqual(tokens('device.devicePhysicalIds -any (_ -eq "x")')[3], '_ → variable+readonly');
    assert.deepEqual(tokens('user.employeeHireDate -ge system.now -minus P30D -or user.employeeHireDate -le 2020-01-01T00:00:00Z').filter((t) => !/operator|type|property/.test(t)),
      ['system.now → keyword', 'P30D → number', '2020-01-01T00:00:00Z → number']);
  });

  it('marks unsupported properties deprecated', () => {
    assert.ok(tokens('device.isManaged -eq true').includes('isManaged → property+deprecated'));
    assert.ok(tokens('device.deviceOSType -eq "x"').includes('deviceOSType → property'));
  });

  it('marks Direct Reports for, null and unknown operators', () => {
    assert.deepEqual(tokens('Direct Reports for "x"'), ['Direct → keyword', 'Reports → keyword', 'for → keyword', '"x" → string']);
    assert.deepEqual(tokens('user.mail -ne $null')[3], '$null → keyword');
    assert.deepEqual(tokens('user.mail -gt 1')[2], '-gt → operator');
  });

  it('splits directive lines into comment, directive name and values', () => {
    assert.deepEqual(tokens('# @group Sales Team\n# @licenses SPE_E3(-YAMMER_ENTERPRISE), EMS\n# a note\nuser.city -eq "x"').slice(0, 9), [
      '#  → comment', '@group → macro', 'Sales Team → string',
      '#  → comment', '@licenses → macro', 'SPE_E3 → enumMember', 'YAMMER_ENTERPRISE → enumMember', 'EMS → enumMember',
      '# a note → comment',
    ]);
  });

  it('gives sorted, non-overlapping, non-empty tokens for every sample', () => {
    for (const folder of ['rules', 'invalid']) {
      const dir = join(ROOT, 'samples', folder);
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.dynrule'))) {
        const list: readonly SemanticToken[] = semanticTokens(createRuleDocument(readFileSync(join(dir, f), 'utf8')));
        list.forEach((t, i) => {
          assert.ok(t.span.end > t.span.start, `${f}: empty token`);
          if (i > 0) assert.ok(t.span.start >= list[i - 1]!.span.end, `${f}: overlapping tokens at ${t.span.start}`);
        });
      }
    }
  });
});

describe('services: foldingRanges', () => {
  it('folds comment blocks and multi-line groups', () => {
    const text = sample('entra-premium-users.dynrule');
    const ranges = foldingRanges(createRuleDocument(`# one\n# two\n${text}`));
    assert.deepEqual(ranges.map((r) => r.kind), ['comment', 'region']);
    const full = `# one\n# two\n${text}`;
    assert.equal(full.slice(ranges[0]!.start, ranges[0]!.end), `# one\n# two\n${text.split('\n')[0]}`);
    assert.equal(full[ranges[1]!.start], '(');
    assert.equal(full[ranges[1]!.end], ')');
  });

  it('folds multi-line arrays but not one-line groups or single comments', () => {
    assert.deepEqual(foldingRanges(createRuleDocument('# one\nuser.city -in [\n  "a",\n  "b"\n] -and (user.state -eq "x")')).map((r) => r.kind), ['region']);
  });
});

const outline = (symbols: readonly DocumentSymbol[]): unknown =>
  symbols.map((s) => ({ [`${s.kind}: ${s.name}${s.detail ? ` (${s.detail})` : ''}`]: s.children.length ? outline(s.children) : [] }));

describe('services: documentSymbols', () => {
  it('outlines top-level clauses with their connective, and groups with theirs', () => {
    assert.deepEqual(outline(documentSymbols(createRuleDocument(sample('seattle-office.dynrule')))), [
      { 'rule: user rule (105 of 3,072 characters)': [
        { 'group: (user.city -eq "Seattle" -or user.physicalDeliveryOfficeName -startsWith "SEA-") (-and)': [
          { 'condition: user.city -eq "Seattle" (-or)': [] },
          { 'condition: user.physicalDeliveryOfficeName -startsWith "SEA-" (-or)': [] },
        ] },
        { 'condition: user.state -eq "WA" (-and)': [] },
      ] },
    ]);
  });

  it('outlines a quantifier with its condition, and directives', () => {
    const text = '# @group Sales\n# @licenses SPE_E3\nuser.accountEnabled -eq true -and user.assignedPlans -any (assignedPlan.service -eq "SCO" -and assignedPlan.capabilityStatus -eq "Enabled")';
    const symbols = documentSymbols(createRuleDocument(text));
    assert.deepEqual(symbols.map((s) => `${s.kind}: ${s.name}`), ['directive: @group Sales', 'directive: @licenses SPE_E3', 'rule: user rule']);
    const q = symbols[2]!.children[1]!;
    assert.equal(q.name.slice(0, 24), 'user.assignedPlans -any ');
    assert.deepEqual(q.children.map((c) => c.name), ['assignedPlan.service -eq "SCO"', 'assignedPlan.capabilityStatus -eq "Enabled"']);
    assert.equal(text.slice(q.selection.start, q.selection.end), 'user.assignedPlans');
  });

  it('names Direct Reports and memberOf rules', () => {
    assert.equal(documentSymbols(createRuleDocument(sample('cfo-direct-reports.dynrule')))[0]!.name, 'Direct Reports rule');
    assert.equal(documentSymbols(createRuleDocument('device.memberOf -any (group.objectId -in ["c0a70500-0000-4000-8000-000000000211"])'))[0]!.name, 'memberOf rule (device)');
    assert.deepEqual(documentSymbols(createRuleDocument('# only a comment')), []);
  });

  it('keeps every span inside the document for every sample', () => {
    const dir = join(ROOT, 'samples', 'invalid');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.dynrule'))) {
      const text = readFileSync(join(dir, f), 'utf8');
      const visit = (s: DocumentSymbol): void => {
        assert.ok(s.span.start >= 0 && s.span.end <= text.length && s.selection.start >= s.span.start && s.selection.end <= s.span.end, `${f}: ${s.name}`);
        s.children.forEach(visit);
      };
      documentSymbols(createRuleDocument(text)).forEach(visit);
    }
  });
});

describe('services: ruleStatus', () => {
  it('counts the rule without its comment lines, and knows its object', () => {
    assert.deepEqual(ruleStatus(createRuleDocument('# a long comment that does not count\nuser.city -eq "x"\n')), { length: 17, limit: 3072, over: false, object: 'user', kind: 'expression' });
    assert.deepEqual(ruleStatus(createRuleDocument(sample('autopilot-devices.dynrule'))).object, 'device');
    assert.deepEqual(ruleStatus(createRuleDocument(sample('cfo-direct-reports.dynrule'))).kind, 'directReports');
    assert.deepEqual(ruleStatus(createRuleDocument("# a retired rule\nuser.memberOf -any (group.objectId -in ['c0a70500-0000-4000-8000-000000000201'])")).kind, 'memberOf');
    assert.deepEqual(ruleStatus(createRuleDocument('# nothing yet')), { length: 0, limit: 3072, over: false, object: undefined, kind: 'empty' });
  });

  it('flags a rule over 3,072 characters', () => {
    const long = `user.companyName -in [${Array.from({ length: 150 }, (_, i) => `"Contoso Retail Store ${i}"`).join(', ')}]`;
    const s = ruleStatus(createRuleDocument(long));
    assert.equal(s.length, long.length);
    assert.equal(s.over, true);
  });
});
