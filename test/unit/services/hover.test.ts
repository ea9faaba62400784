/**
 * Hover and inlay hints: the text at each `|` marker, what the hover says and what it covers; the
 * names shown after GUIDs.
 */
import assert from 'node:assert/strict';
import { createRuleDocument, hover, inlayHints, type TenantData } from '../../../grammar/src/index';
import { ALPHA, BETA, BROKEN_TENANT, EXCHANGE_PLAN, MEGAN, SPE_E3_SKU, TENANT, UNKNOWN_GUID, marked } from './helpers';

interface Row {
  readonly name: string;
  readonly at: string;
  readonly tenant?: boolean;
  readonly says?: readonly string[];
  readonly notSays?: readonly string[];
  /** The text the hover covers. */
  readonly covers?: string;
  readonly nothing?: boolean;
}

const ROWS: readonly Row[] = [
  // --- properties -----------------------------------------------------------------------------
  { name: 'property: type, nullable, operators, Graph field, docs', at: 'user.dep|artment -eq "Sales"',
    says: ['**user.department**', 'string', 'nullable', '`-startsWith`', 'Microsoft Graph: `department`', 'learn.microsoft.com'], covers: 'user.department' },
  { name: 'property values and canonical casing', at: 'user.USERT|YPE -eq "Guest"', says: ['Values: `Member`, `Guest`', 'Canonical spelling: `user.userType`'] },
  { name: 'renamed Graph field', at: 'user.mob|ile -eq null', says: ['Microsoft Graph: `mobilePhone`'] },
  { name: 'first of a Graph collection', at: 'user.telephoneNum|ber -eq null', says: ['the first item of `businessPhones`'] },
  { name: 'beta-only field', at: 'device.isRoo|ted -eq false', says: ['beta endpoint only'] },
  { name: 'a device field of Graph v1.0', at: 'device.deviceOwn|ership -eq "Company"', says: ['Microsoft Graph: `deviceOwnership`', 'Values: `Personal`, `Company`, `Unknown`'], notSays: ['beta'] },
  { name: 'datetime operators', at: 'user.employeeHire|Date -ge system.now', says: ['date/time', '`-ge` `-le` `-eq`'] },
  { name: 'collection operators', at: 'user.assignedPl|ans -any (assignedPlan.service -eq "SCO")', says: ['assigned plan collection', '`-any` `-all`'], notSays: ['`-eq`'] },
  { name: 'memberOf links its own docs', at: 'user.memb|erOf -any (group.objectId -in [\'x\'])', says: ['groups-dynamic-rule-member-of'] },
  { name: 'memberOf says it is retired and what to write instead', at: 'user.memb|erOf -any (group.objectId -in [\'x\'])',
    says: ['Retired (groups-dynamic-rule-member-of, 2026-08): from 3 November 2026', 'keeps its last known members', 'a rule on user properties', 'assigned group'] },
  { name: 'device memberOf too', at: 'device.memb|erOf -any (group.objectId -in [\'x\'])', says: ['Retired (groups-dynamic-rule-member-of, 2026-08): from 3 November 2026', 'a rule on device properties'] },
  { name: 'unsupported property explained', at: 'device.organizationalU|nit -eq "x"', says: ['not supported', 'organizationalUnit is no longer supported'] },
  { name: 'removed property explained', at: 'user.mana|ger -eq "x"', says: ['Direct Reports for'] },
  { name: 'unknown property with a suggestion', at: 'user.departmnt| -eq "x"', says: ['not a user property', 'Did you mean `department`'] },
  { name: 'property of the other object', at: 'user.deviceOS|Type -eq "x"', says: ['`deviceOSType` is a device property'] },
  { name: 'element property', at: 'user.assignedPlans -any (assignedPlan.capabilityS|tatus -eq "Enabled")', says: ['**assignedPlan.capabilityStatus**', 'LockedOut'] },
  { name: 'the _ placeholder', at: 'device.devicePhysicalIds -any (_| -startsWith "[ZTDId]")', says: ['each item of `device.devicePhysicalIds`'], covers: '_' },

  // --- operators ------------------------------------------------------------------------------
  { name: '-contains is a substring test', at: 'user.department -conta|ins "Sales"', says: ['substring', 'also on a collection'], covers: '-contains' },
  { name: 'what null does with a negated operator', at: 'user.department -n|e "Sales"', says: ['On a null or missing value: true'] },
  { name: 'what null does with a positive operator', at: 'user.department -startsW|ith "S"', says: ['On a null or missing value: false'] },
  { name: '-match: .NET against JavaScript', at: 'user.mail -mat|ch "^a"', says: ['.NET', 'JavaScript RegExp', 'unanchored'] },
  { name: 'hyphen-less spelling', at: 'user.department e|q "Sales"', says: ['**-eq**', 'Written `eq`'] },
  { name: '-gt does not exist', at: 'user.employeeHireDate -g|t 2020-01-01', says: ['not an operator', '-ge is greater than or equal'] },
  { name: 'typographic dash', at: 'user.department \u2013e|q "Sales"', says: ['typographic dash'] },
  { name: 'quantifier', at: 'user.otherMails -an|y (_ -eq "a")', says: ['false on an empty collection'] },

  // --- values ---------------------------------------------------------------------------------
  { name: 'service plan GUID: name, friendly name, products', at: `user.assignedPlans -any (assignedPlan.servicePlanId -eq "efb8|7545-963c-4e0d-99df-69c6916d9eb0")`,
    says: ['**EXCHANGE_S_ENTERPRISE** — Exchange Online (Plan 2)', 'Office 365 E3 (`ENTERPRISEPACK`)', 'and '], covers: `"${EXCHANGE_PLAN}"` },
  { name: 'service plan GUID in the tenant', at: `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${EXCHANGE_PLAN.slice(0, 5)}|${EXCHANGE_PLAN.slice(5)}")`, tenant: true,
    says: ["In this tenant's subscriptions: SPE_E3, ENTERPRISEPACK"] },
  { name: 'SKU GUID', at: `user.objectId -ne "${SPE_E3_SKU.slice(0, 3)}|${SPE_E3_SKU.slice(3)}"`, says: ['**SPE_E3** — Microsoft 365 E3', 'cannot test a license directly'] },
  { name: 'group GUID in a memberOf array', at: `user.memberOf -any (group.objectId -in ['${ALPHA}', '${BETA.slice(0, 4)}|${BETA.slice(4)}'])`, tenant: true, says: ['**Project Beta**'] },
  { name: 'manager GUID', at: `Direct Reports for "${MEGAN.slice(0, 2)}|${MEGAN.slice(2)}"`, tenant: true, says: ['**Megan Bowen** (meganb@contoso.com)'] },
  { name: 'unknown GUID', at: `user.objectId -eq "${UNKNOWN_GUID.slice(0, 2)}|${UNKNOWN_GUID.slice(2)}"`, says: ['names no known service plan', 'no tenant loaded'] },
  { name: 'escaped text spelled out', at: 'user.companyName -eq "Contoso `"La|bs`" Ltd"', says: ['The text: `Contoso "Labs" Ltd`'] },
  { name: 'doubled single quote spelled out', at: "user.department -eq 'Women''s He|alth'", says: ["The text: `Women's Health`"] },
  { name: 'how many in the tenant have a value', at: 'user.department -eq "Sa|les"', tenant: true, says: ['In the tenant: 42 users have this department.'] },
  { name: 'system.now', at: 'user.employeeHireDate -ge system.n|ow', says: ['date and time (UTC)', '-eq system.now` is an error'], covers: 'system.now' },
  { name: 'duration in days', at: 'user.employeeHireDate -ge system.now -minus P3|0D', says: ['**P30D** — 30 days'] },
  { name: 'duration with hours', at: 'user.employeeHireDate -ge system.now -minus P1DT1|2H', says: ['1.5 days (36 hours)'] },
  { name: 'calendar durations', at: 'user.employeeHireDate -ge system.now -minus P1|Y', says: ['365 days', 'Years and months vary'] },
  { name: 'a date literal', at: 'user.employeeHireDate -le 2024-07|-01T00:00:00Z', says: ['Mon, 01 Jul 2024 00:00:00 UTC'] },
  { name: 'a date without a zone', at: 'user.employeeHireDate -le 2024-07|-01', says: ['read as UTC'] },
  { name: 'not a real date', at: 'user.employeeHireDate -le 2024-02|-30T00:00:00Z', says: ['not a real date'] },
  { name: '$null', at: 'user.mail -ne $nu|ll', says: ['`$null` mean the same'] },
  { name: 'Direct Reports keywords', at: `Dir|ect Reports for "${MEGAN}"`, tenant: true, says: ['Direct reports only', 'Entra adds the manager to the group too', 'Manager: Megan Bowen'] },

  // --- directives -----------------------------------------------------------------------------
  { name: '@group', at: '# @gro|up Sales\nuser.department -eq "Sales"', says: ['**@group**', 'MutuallyExclusiveViolation', 'Not modelled', 'licensing-groups-resolve-problems'] },
  { name: '@licenses', at: '# @licen|ses SPE_E3\nuser.department -eq "Sales"', says: ['**@licenses**', 'CountViolation for that many members, and Entra picks which', 'Not modelled, for want of data: DependencyViolation'] },
  { name: '@licenses disabled plan in a conflicting set', at: '# @licenses SPE_E3(-SHAREPOINTENTER|PRISE)', says: ['**SHAREPOINTENTERPRISE**', 'the "sharepoint" set (MutuallyExclusiveViolation)'] },
  { name: '@group value by name', at: '# @group Project Al|pha', tenant: true, says: [`group \`${ALPHA}\``, '12 members'], covers: 'Project Alpha' },
  { name: '@group value by id', at: `# @group ${ALPHA.slice(0, 3)}|${ALPHA.slice(3)}`, tenant: true, says: ['**Project Alpha**'] },
  { name: '@group unknown', at: '# @group Nobo|dy', tenant: true, says: ['No group `Nobody`'] },
  { name: '@licenses SKU', at: '# @licenses SPE_E|3(-YAMMER_ENTERPRISE)', says: ['**SPE_E3** — Microsoft 365 E3'], covers: 'SPE_E3' },
  { name: '@licenses disabled plan', at: '# @licenses SPE_E3(-YAMMER_ENT|ERPRISE)', says: ['**YAMMER_ENTERPRISE**', 'disabled in SPE_E3'] },
  { name: '@licenses plan the SKU lacks', at: '# @licenses AAD_PREMIUM(-YAMMER_ENT|ERPRISE)', says: ['does not include it'] },
  { name: 'unknown directive', at: '# @grou|ps x', says: ['unknown directive'] },

  // --- nothing to say -------------------------------------------------------------------------
  { name: 'a plain comment', at: '# about th|is rule\nuser.department -eq "Sales"', nothing: true },
  { name: 'whitespace', at: 'user.department  | -eq "Sales"', nothing: true },
  { name: 'a plain string without a tenant', at: 'user.department -eq "Sa|les"', nothing: true },
  { name: 'an empty document', at: '|', nothing: true },
];

describe('services: hover', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const { text, offset } = marked(row.at);
      const data: TenantData | undefined = row.tenant ? TENANT : undefined;
      const h = hover(createRuleDocument(text), offset, data);
      if (row.nothing) {
        assert.equal(h, undefined);
        return;
      }
      assert.ok(h, 'no hover');
      for (const s of row.says ?? []) assert.ok(h.markdown.includes(s), `missing ${s} in:\n${h.markdown}`);
      for (const s of row.notSays ?? []) assert.ok(!h.markdown.includes(s), `unexpected ${s} in:\n${h.markdown}`);
      if (row.covers) assert.equal(text.slice(h.span.start, h.span.end), row.covers);
    });
  }

  it('hovers right after a token too (the cursor at its end)', () => {
    assert.match(hover(createRuleDocument('user.department'), 15)?.markdown ?? '', /user\.department/);
  });

  it('carries on when the tenant callbacks throw', () => {
    assert.match(hover(createRuleDocument(`Direct Reports for "${MEGAN}"`), 22, BROKEN_TENANT)?.markdown ?? '', /names no known/);
    assert.match(hover(createRuleDocument('# @group Project Alpha'), 12, BROKEN_TENANT)?.markdown ?? '', /No group/);
  });
});

describe('services: inlayHints', () => {
  const labels = (text: string, data?: TenantData): [string, string][] =>
    inlayHints(createRuleDocument(text), data).map((h) => [text.slice(Math.max(0, h.offset - 5), h.offset), h.label]);

  it('names a service plan after its closing quote', () => {
    const text = `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${EXCHANGE_PLAN}" -and assignedPlan.capabilityStatus -eq "Enabled")`;
    const hints = inlayHints(createRuleDocument(text));
    assert.equal(hints.length, 1);
    assert.equal(hints[0]!.label, 'EXCHANGE_S_ENTERPRISE');
    assert.equal(hints[0]!.offset, text.indexOf(EXCHANGE_PLAN) + EXCHANGE_PLAN.length + 1);
    assert.match(hints[0]!.tooltip ?? '', /Exchange Online \(Plan 2\)/);
  });

  it('names every array item', () => {
    const text = 'user.assignedPlans -any (assignedPlan.servicePlanId -in ["41781fb2-bc02-4b7c-bd55-b576c07bb09d", "eec0eb4f-6444-4f95-aba0-50c24d67f998"])';
    assert.deepEqual(inlayHints(createRuleDocument(text)).map((h) => h.label), ['AAD_PREMIUM', 'AAD_PREMIUM_P2']);
  });

  it('names groups and managers from the tenant, and nothing without it', () => {
    const memberOf = `user.memberOf -any (group.objectId -in ['${ALPHA}', '${BETA}'])`;
    assert.deepEqual(labels(memberOf, TENANT).map(([, l]) => l), ['Project Alpha', 'Project Beta']);
    assert.deepEqual(inlayHints(createRuleDocument(memberOf)), []);
    assert.deepEqual(inlayHints(createRuleDocument(`Direct Reports for "${MEGAN}"`), TENANT).map((h) => h.label), ['Megan Bowen']);
  });

  it('names a SKU id', () => {
    assert.deepEqual(inlayHints(createRuleDocument(`user.objectId -ne "${SPE_E3_SKU}"`)).map((h) => h.label), ['SPE_E3']);
  });

  it('gives nothing for unknown GUIDs and plain strings', () => {
    assert.deepEqual(inlayHints(createRuleDocument(`user.objectId -eq "${UNKNOWN_GUID}" -and user.department -eq "Sales"`), TENANT), []);
  });

  it('names GUIDs in directives', () => {
    const text = `# @group "${ALPHA}"\n# @licenses ${SPE_E3_SKU}, EMS\nuser.department -eq "Sales"`;
    const hints = inlayHints(createRuleDocument(text), TENANT);
    assert.deepEqual(hints.map((h) => h.label), ['Project Alpha', 'SPE_E3']);
    assert.equal(text[hints[0]!.offset - 1], '"');
  });

  it('names the samples\' service plans and skips broken rules without throwing', () => {
    assert.deepEqual(inlayHints(createRuleDocument('user.assignedPlans -any (assignedPlan.servicePlanId -eq "efb87545-963c')), []);
    assert.deepEqual(inlayHints(createRuleDocument(`user.objectId -eq "${EXCHANGE_PLAN}" -and`)).map((h) => h.label), ['EXCHANGE_S_ENTERPRISE']);
  });
});
