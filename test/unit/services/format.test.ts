/**
 * The formatter: golden outputs, refusals, and its two promises checked over every sample rule and
 * a held-out corpus of tricky rules written here: it is idempotent, and the formatted rule parses
 * to the same tree (fully parenthesised, names compared case-insensitively as the language does)
 * with the same string literals and the same comment lines.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRuleDocument, formatRule, parseRule, printFullyParenthesized, walkExpr, type FormatOptions, type TextEdit, type Value } from '../../../grammar/src/index';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const MEGAN = 'c0a70500-0000-4000-8000-000000000101';

function formatted(text: string, options?: FormatOptions): string {
  const r = formatRule(createRuleDocument(text), options);
  assert.ok(r.ok, `refused: ${r.ok ? '' : r.reason}`);
  return r.text;
}

function apply(text: string, edits: readonly TextEdit[]): string {
  return [...edits].sort((a, b) => b.span.start - a.span.start).reduce((t, e) => t.slice(0, e.span.start) + e.newText + t.slice(e.span.end), text);
}

/** What a rule means: its fully parenthesised tree, its string literals exactly, its comment lines. */
function meaning(text: string): { tree: string; strings: string[]; comments: string[] } {
  const p = parseRule(text);
  const strings: string[] = [];
  const collect = (v: Value): void => {
    if (v.kind === 'string') strings.push(`${v.raw} = ${v.value}`);
    if (v.kind === 'array') v.items.forEach(collect);
  };
  if (p.expr) {
    walkExpr(p.expr, (e) => {
      if (e.kind === 'compare') collect(e.value);
      if (e.kind === 'directReports') collect(e.manager);
    });
  }
  return { tree: p.expr ? printFullyParenthesized(p.expr).toLowerCase() : '', strings, comments: p.comments.map((c) => c.text) };
}

/** The promises, for one document. */
function assertSafe(name: string, text: string, options?: FormatOptions): void {
  const r = formatRule(createRuleDocument(text), options);
  if (!r.ok) return;
  assert.deepEqual(meaning(r.text), meaning(text), `${name}: the meaning changed`);
  assert.equal(apply(text, r.edits), r.text, `${name}: the edits do not produce the text`);
  const again = formatRule(createRuleDocument(r.text), options);
  assert.ok(again.ok, `${name}: the formatted rule is refused`);
  assert.equal(again.text, r.text, `${name}: not idempotent`);
  assert.deepEqual(again.edits, [], `${name}: edits on formatted text`);
}

const GOLDEN: readonly { name: string; input: string; output: string; options?: FormatOptions }[] = [
  { name: 'canonical operators, connectives and keywords', input: 'user.department EQ "Sales" and user.accountEnabled -EQ TRUE', output: 'user.department -eq "Sales" -and user.accountEnabled -eq true' },
  { name: 'canonical operator casing with hyphen', input: 'user.department -startswith "S" -OR user.department notstartswith "T"', output: 'user.department -startsWith "S" -or user.department -notStartsWith "T"' },
  { name: 'canonical property casing from the catalogue', input: 'USER.DEPARTMENT -eq "x" -and User.mailNickName -ne null', output: 'user.department -eq "x" -and user.mailNickname -ne null' },
  { name: 'element properties too', input: "user.memberof -any (GROUP.OBJECTID -in ['a'])", output: "user.memberOf -any (group.objectId -in ['a'])" },
  { name: 'one space around operators', input: 'user.department-eq"Sales"   -and    user.city  -eq  "Oslo"', output: 'user.department -eq "Sales" -and user.city -eq "Oslo"' },
  { name: 'arrays: a space after each comma, none inside the brackets', input: 'user.country -in [ "US" ,"CA",  \'GB\' ]', output: 'user.country -in ["US", "CA", \'GB\']' },
  { name: 'parentheses kept, without inner spaces', input: '(  user.city -eq "Seattle"  )  -and ( ( user.state -eq "WA" ) )', output: '(user.city -eq "Seattle") -and ((user.state -eq "WA"))' },
  { name: 'no parentheses added to a quantifier', input: 'device.devicePhysicalIds -any _ -startsWith "[ZTDId]"', output: 'device.devicePhysicalIds -any _ -startsWith "[ZTDId]"' },
  { name: '-not before a group', input: '-NOT(user.department -eq "Sales")', output: '-not (user.department -eq "Sales")' },
  { name: 'Direct Reports for', input: `direct   reports FOR "${MEGAN}"`, output: `Direct Reports for "${MEGAN}"` },
  { name: 'system.now and durations', input: 'user.employeeHireDate -ge SYSTEM.NOW minus p30d -and user.employeeHireDate -le ( system.now -plus p7dt12h )', output: 'user.employeeHireDate -ge system.now -minus P30D\n  -and user.employeeHireDate -le (system.now -plus P7DT12H)' },
  { name: 'null and $null keep their spelling, in lower case', input: 'user.mail -ne NULL -and user.mobile -ne $Null', output: 'user.mail -ne null -and user.mobile -ne $null' },
  { name: 'strings verbatim', input: "user.companyName -eq \"Contoso `\"Labs`\" Ltd\" -or user.department -eq 'Women''s Health'", output: "user.companyName -eq \"Contoso `\"Labs`\" Ltd\" -or user.department -eq 'Women''s Health'" },
  { name: 'comment and directive lines untouched, CRLF kept', input: '# @group   Sales\r\n#   a  note  \r\nuser.department   -eq "Sales"\r\n', output: '# @group   Sales\r\n#   a  note  \r\nuser.department -eq "Sales"\r\n' },
  { name: 'a comment after the rule', input: 'user.department -eq "Sales"   \n\n# trailing\n', output: 'user.department -eq "Sales"\n\n# trailing\n' },
  { name: 'leading blank lines and indentation', input: '\n\n\tuser.department\t-eq\t"Sales"\t', output: '\n\nuser.department -eq "Sales"' },
  { name: 'a rule that fits joins one line', input: 'user.department -eq "Sales"\n  -and user.accountEnabled -eq true', output: 'user.department -eq "Sales" -and user.accountEnabled -eq true' },
  {
    name: 'long rules break at top-level -or first',
    input: 'user.department -eq "Sales" -and user.country -eq "US" -or user.department -eq "Marketing" -and user.country -eq "CA"',
    output: 'user.department -eq "Sales" -and user.country -eq "US"\n  -or user.department -eq "Marketing" -and user.country -eq "CA"',
  },
  {
    name: 'then at -and, deeper than -or',
    options: { maxLineLength: 40 },
    input: 'user.department -eq "Sales" -and user.country -eq "US" -or user.department -eq "Marketing" -and user.country -eq "CA"',
    output: 'user.department -eq "Sales"\n    -and user.country -eq "US"\n  -or user.department -eq "Marketing"\n    -and user.country -eq "CA"',
  },
  {
    name: 'a custom indent',
    options: { maxLineLength: 40, indent: '\t' },
    input: 'user.department -eq "Sales" -and user.country -eq "US" -and user.city -eq "Redmond"',
    output: 'user.department -eq "Sales"\n\t-and user.country -eq "US"\n\t-and user.city -eq "Redmond"',
  },
  {
    name: 'then inside a quantifier\'s parentheses',
    input: 'user.assignedPlans -any (assignedPlan.servicePlanId -eq "efb87545-963c-4e0d-99df-69c6916d9eb0" -and assignedPlan.capabilityStatus -eq "Enabled")',
    output: 'user.assignedPlans -any (\n  assignedPlan.servicePlanId -eq "efb87545-963c-4e0d-99df-69c6916d9eb0"\n    -and assignedPlan.capabilityStatus -eq "Enabled"\n)',
  },
  {
    name: 'long arrays one item a line',
    options: { maxLineLength: 50 },
    input: 'user.country -in ["United Kingdom", "Germany", "France", "Netherlands"]',
    output: 'user.country -in [\n  "United Kingdom",\n  "Germany",\n  "France",\n  "Netherlands"\n]',
  },
  {
    name: 'comments between clauses stay between them',
    input: 'user.department -eq "Sales"\n# and marketing\n-or user.department -eq "Marketing"',
    output: 'user.department -eq "Sales"\n  # and marketing\n  -or user.department -eq "Marketing"',
  },
  {
    name: 'comments at the start and end of a group',
    input: '(\n# first\nuser.city -eq "A"\n# last\n)',
    output: '(\n  # first\n  user.city -eq "A"\n  # last\n)',
  },
];

/** Held-out rules the formatter must format without changing their meaning. */
const CORPUS: readonly string[] = [
  'user.companyName -eq "Contoso `"Labs`" Ltd"',
  "user.department -eq 'Women''s Health' -or user.department -eq 'Men''s Health'",
  'user.department -eq "tick `` and quote `" inside"',
  'user.mail -ne $null -and user.mobile -ne $NULL -and user.city -ne null',
  'user.department eq "Sales" or user.department EQ "Marketing" and not user.city eq "Oslo"',
  'USER.DEPARTMENT -STARTSWITH "s" -AND user.ACCOUNTENABLED -EQ TRUE',
  'device.devicePhysicalIds -any _ -startsWith "[ZTDId]"',
  'device.devicePhysicalIds any _ startsWith "[OrderID]:K1" -or device.deviceOSType -eq "Windows"',
  'user.proxyAddresses -any (_ -startsWith "smtp:" -and _ -endsWith "@contoso.com")',
  '((user.city -eq "Seattle")) -and (((user.state -eq "WA")))',
  '-not (user.department -eq "Sales") -and not user.jobTitle -startsWith "Intern"',
  'user.employeeHireDate -ge system.now -minus p30d -and user.employeeHireDate -le (SYSTEM.NOW -plus P7DT12H)',
  'user.employeeHireDate -le 2020-06-10T18:13:20Z -or user.employeeHireDate -ge 2024-01-01',
  'user.country -in [ "US" ,\'CA\',"GB"  ] -and user.usageLocation -notIn ["CN"]',
  'user.department-eq"Sales"',
  'user.otherMails -endsWith"@contoso.com"',
  `direct reports FOR "${MEGAN}"`,
  "user.memberof -any (group.objectid -in ['c0a70500-0000-4000-8000-000000000201', 'c0a70500-0000-4000-8000-000000000202'])",
  'user.department -eq "Sales"\r\n  -and user.country -eq "US"\r\n',
  '# @group Sales\r\n# @licenses SPE_E3(-YAMMER_ENTERPRISE)\r\nuser.department -eq "Sales"\r\n',
  'user.extension_9f8e7d6c5b4a39281706f5e4d3c2b1a0_CostCenter -eq "CC-1" -and user.EXTENSIONATTRIBUTE7 -eq "FTE"',
  'user.userPrincipalName -match "^[a-z]+\\.[a-z]+@contoso\\.com$" -or user.displayName -notMatch "(?i)svc|adm"',
  '\n\n\tuser.department\t-eq\t"Sales"\t\n\n',
  'user.assignedPlans -all (assignedPlan.servicePlanId -eq null)',
  'user.accountEnabled -eq false -or (user.department -in ["A", "B"] -and -not (user.city -eq "X" -or user.city -eq "Y"))',
  'user.department -eq ""',
  'user.city -eq "Zürich" -or user.city -eq "東京" -or user.city -eq "Montréal"',
  'user.department -eq "Sales"\n# about marketing\n-or user.department -eq "Marketing"\n# trailing note\n',
  'user.department -eq "a" -or user.department -eq "b" -or user.department -eq "c" -or user.department -eq "d" -or user.department -eq "e" -and user.city -eq "x"',
  'user.assignedPlans -any (assignedPlan.servicePlanId -in ["41781fb2-bc02-4b7c-bd55-b576c07bb09d", "eec0eb4f-6444-4f95-aba0-50c24d67f998"] -and assignedPlan.capabilityStatus -eq "Enabled") -and user.accountEnabled -eq true',
  'user.department -eq "Sales" -and user.department -eq "Sales"',
  'user.department -eq `"Sales`"',
  'user.employeeId -ne "null" -and user.accountEnabled -eq "true"',
  `user.companyName -in [${Array.from({ length: 60 }, (_, i) => `"Store ${i}"`).join(',')}]`,
  'device.deviceOSVersion -startsWith "10.0" -and device.isRooted -eq false -and device.deviceOwnership -eq "Company" -and device.managementType -eq "MDM" -and device.enrollmentProfileName -ne null',
];

/** Held-out rules it must refuse: they have syntax errors, or a fix would change what Entra sees. */
const REFUSED: readonly string[] = [
  'user.department \u2013eq "Sales"',
  'user.department -eq \u201CSales\u201D',
  'user.department -eq "Sales" -and',
  '(user.department -eq "Sales"',
  'user.department -eq "Sales")',
  '(user.department -eq "Sales") (user.city -eq "Oslo")',
  'user.department -eq Sales',
  'user.department\u00A0-eq "Sales"',
  'user.department\n# inside a condition\n-eq "Sales"',
  'user.department -eq "Sales',
  'user.employeeHireDate -ge system.now -minus',
  `Direct Reports "${MEGAN}"`,
  'user.department -eq',
  'user.department -eq "Sales" @',
  'user.employeeHireDate -gt 2020-01-01',
];

describe('services: formatRule', () => {
  for (const g of GOLDEN) {
    it(g.name, () => {
      assert.equal(formatted(g.input, g.options), g.output);
      assertSafe(g.name, g.input, g.options);
    });
  }

  it(`formats every one of the ${CORPUS.length} held-out rules without changing its meaning, idempotently`, () => {
    CORPUS.forEach((text, i) => {
      const r = formatRule(createRuleDocument(text));
      assert.ok(r.ok, `corpus ${i} refused: ${r.ok ? '' : r.reason}`);
      assertSafe(`corpus ${i}`, text);
      assertSafe(`corpus ${i} at width 30`, text, { maxLineLength: 30 });
    });
  });

  it(`refuses every one of the ${REFUSED.length} broken rules, with a reason`, () => {
    for (const text of REFUSED) {
      const r = formatRule(createRuleDocument(text));
      assert.equal(r.ok, false, `formatted: ${JSON.stringify(text)}`);
      if (!r.ok) assert.ok(r.reason.length > 10);
    }
  });

  for (const folder of ['rules', 'invalid'] as const) {
    it(`keeps the meaning of every rule in samples/${folder}, idempotently`, () => {
      const dir = join(ROOT, 'samples', folder);
      const files = readdirSync(dir).filter((f) => f.endsWith('.dynrule'));
      assert.ok(files.length > 20);
      let formattedCount = 0;
      for (const f of files) {
        const text = readFileSync(join(dir, f), 'utf8');
        for (const width of [100, 40]) assertSafe(`${folder}/${f} at ${width}`, text, { maxLineLength: width });
        if (formatRule(createRuleDocument(text)).ok) formattedCount++;
      }
      if (folder === 'rules') assert.equal(formattedCount, files.length, 'a valid sample was refused');
    });
  }

  it('keeps lines within the limit wherever a break is allowed', () => {
    const text = CORPUS.find((t) => t.startsWith('user.department -eq "a" -or'))!;
    for (const l of formatted(text, { maxLineLength: 40 }).split('\n')) assert.ok(l.length <= 40, `too long: ${l}`);
  });

  it('leaves an empty or comment-only document alone', () => {
    assert.deepEqual(formatRule(createRuleDocument('')), { ok: true, text: '', edits: [] });
    assert.deepEqual(formatRule(createRuleDocument('# only a comment\n')), { ok: true, text: '# only a comment\n', edits: [] });
  });

  it('gives one minimal edit', () => {
    const r = formatRule(createRuleDocument('# c\nuser.department   -eq "Sales"'));
    assert.ok(r.ok);
    assert.deepEqual(r.edits, [{ span: { start: 20, end: 22 }, newText: '' }]);
  });

  it('ignores nonsense options', () => {
    assert.equal(formatted('user.department -eq "Sales"', { maxLineLength: -3, indent: 'xx' }), 'user.department -eq "Sales"');
    assert.equal(formatted('user.department -eq "Sales"', { maxLineLength: Number.NaN }), 'user.department -eq "Sales"');
  });
});
