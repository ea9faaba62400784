/**
 * Completion, table-driven: the cursor is the `|` in each rule; a row names labels that must be
 * offered, labels that must not be, and the text after applying one item (replace span + insert
 * text, snippet placeholders at their defaults).
 */
import assert from 'node:assert/strict';
import { complete, createRuleDocument, type CompletionItem, type TenantData } from '../../../grammar/src/index';
import { AAD_P1_PLAN, ALPHA, BROKEN_TENANT, EXCHANGE_PLAN, MEGAN, TENANT, applyItem, marked } from './helpers';

interface Row {
  readonly name: string;
  readonly at: string;
  readonly tenant?: boolean;
  readonly offer?: readonly string[];
  readonly notOffer?: readonly string[];
  /** The labels, in order, that come first. */
  readonly first?: readonly string[];
  /** Apply the item with this label and expect this text. */
  readonly pick?: readonly [label: string, result: string];
  /** The detail of the item with this label. */
  readonly detail?: readonly [label: string, detail: string];
  readonly empty?: boolean;
}

const E3_SNIPPET = `user.assignedPlans -any (assignedPlan.servicePlanId -eq "" -and assignedPlan.capabilityStatus -eq "Enabled")`;

const ROWS: readonly Row[] = [
  // --- start of a condition -------------------------------------------------------------------
  { name: 'rule start: objects, -not, (, Direct Reports and rule snippets', at: '|',
    offer: ['user.', 'device.', '-not', '(', 'Direct reports of a manager', 'All users', 'Has a service plan enabled', 'Windows Autopilot devices', 'Hired in the last days'],
    // memberOf is retired: no snippet writes a rule that no longer updates its group.
    notOffer: ['Members of groups (memberOf)', 'Devices of groups (memberOf)'],
    pick: ['user.', 'user.'] },
  { name: 'rule snippet: has a service plan enabled', at: '|', pick: ['Has a service plan enabled', E3_SNIPPET.replace('user.assignedPlans -any ', 'user.assignedPlans -any ')] },
  { name: 'rule snippet: direct reports', at: '|', pick: ['Direct reports of a manager', 'Direct Reports for ""'] },
  { name: 'a typed object prefix is replaced', at: 'us|', pick: ['user.', 'user.'] },
  { name: 'after -and only the rule\'s object, no whole-rule snippets', at: 'user.department -eq "x" -and |',
    offer: ['user.', '-not', '('], notOffer: ['device.', 'All users', 'Direct reports of a manager'] },
  { name: 'after ( in a device rule', at: 'device.deviceOSType -eq "Windows" -or (|', offer: ['device.'], notOffer: ['user.'] },
  { name: 'after -not', at: 'user.department -eq "x" -and -not |', offer: ['user.', '('] },
  { name: 'the rule object comes from text after the cursor too', at: '| -and device.accountEnabled -eq true', offer: ['device.'], notOffer: ['user.', 'All users'] },

  // --- properties -----------------------------------------------------------------------------
  { name: 'user properties with extension attributes and the directory-extension snippet', at: 'user.|',
    offer: ['department', 'accountEnabled', 'employeeHireDate', 'extensionAttribute1', 'extensionAttribute15', 'extension_<appId>_<name>'],
    notOffer: ['deviceOSType', 'manager', 'employeeType'], pick: ['department', 'user.department'] },
  { name: 'the property name being typed is replaced', at: 'user.dep|', pick: ['department', 'user.department'] },
  { name: 'the whole name is replaced, mid-word', at: 'user.dep|artment -eq "x"', pick: ['jobTitle', 'user.jobTitle -eq "x"'] },
  { name: 'device properties', at: 'device.|', offer: ['deviceOSType', 'devicePhysicalIds', 'deviceTrustType'], notOffer: ['userType'] },
  { name: 'property detail names the type and the Graph field', at: 'user.|', detail: ['mobile', 'string, nullable · Graph mobilePhone'] },
  { name: 'directory extension snippet', at: 'user.|', pick: ['extension_<appId>_<name>', 'user.extension_appIdWithoutHyphens_attributeName'] },
  { name: 'assignedPlan element properties', at: 'user.assignedPlans -any (assignedPlan.|', offer: ['servicePlanId', 'service', 'capabilityStatus'], notOffer: ['department'],
    pick: ['capabilityStatus', 'user.assignedPlans -any (assignedPlan.capabilityStatus'] },

  // --- operators by type ----------------------------------------------------------------------
  { name: 'boolean: -eq and -ne only', at: 'user.accountEnabled |', offer: ['-eq', '-ne'], notOffer: ['-contains', '-startsWith', '-in', '-any', '-ge'],
    pick: ['-eq', 'user.accountEnabled -eq '] },
  { name: 'a typed hyphen is not doubled', at: 'user.accountEnabled -e|', pick: ['-eq', 'user.accountEnabled -eq '] },
  { name: 'a hyphen-less prefix gets the canonical spelling', at: 'user.accountEnabled e|', pick: ['-eq', 'user.accountEnabled -eq '] },
  { name: 'a typed operator is replaced in canonical case', at: 'user.department STARTSW|', pick: ['-startsWith', 'user.department -startsWith '] },
  { name: 'an en dash is replaced by a hyphen', at: 'user.department \u2013e|', pick: ['-eq', 'user.department -eq '] },
  { name: 'no space before the operator: one is added', at: 'user.department-e|', pick: ['-eq', 'user.department -eq '] },
  { name: 'a lone hyphen starts an operator', at: 'user.department -| "Sales"', pick: ['-ne', 'user.department -ne "Sales"'] },
  { name: 'string: the string operators', at: 'user.department |',
    offer: ['-eq', '-ne', '-startsWith', '-notStartsWith', '-endsWith', '-notEndsWith', '-contains', '-notContains', '-match', '-notMatch', '-in', '-notIn'],
    notOffer: ['-ge', '-le', '-any', '-all'] },
  { name: 'operator detail: one-line semantics and what null does', at: 'user.department |', detail: ['-contains', 'The value contains the string as a substring (case-insensitive). On null: false when the property is null.'] },
  { name: 'operator detail: negated operators are true on null', at: 'user.department |', detail: ['-notIn', 'The value equals none of the array items. On null: true when the property is null.'] },
  { name: 'datetime: -ge -le -eq', at: 'user.employeeHireDate |', offer: ['-ge', '-le', '-eq'], notOffer: ['-contains', '-ne', '-startsWith', '-any'] },
  { name: 'string collection: quantifiers and string operators', at: 'user.proxyAddresses |', offer: ['-any', '-all', '-startsWith', '-contains', '-notEndsWith'], notOffer: ['-ge'] },
  { name: 'assignedPlans: -any and -all only', at: 'user.assignedPlans |', offer: ['-any', '-all'], notOffer: ['-eq', '-contains', '-in'] },
  { name: 'memberOf: -any only', at: 'user.memberOf |', offer: ['-any'], notOffer: ['-all', '-eq', '-in'] },
  { name: 'element _: string operators', at: 'device.devicePhysicalIds -any (_ |', offer: ['-eq', '-startsWith'], notOffer: ['-any', '-ge'] },
  { name: 'unparenthesised _ predicate', at: 'device.devicePhysicalIds -any _ |', offer: ['-startsWith'], notOffer: ['-any'] },

  // --- values ---------------------------------------------------------------------------------
  { name: 'boolean values', at: 'user.accountEnabled -eq |', offer: ['true', 'false', 'null'], notOffer: ['"…"', 'system.now'], pick: ['true', 'user.accountEnabled -eq true'] },
  { name: 'enum values in quotes', at: 'device.deviceOwnership -eq |', offer: ['Personal', 'Company', 'Unknown', 'null'], pick: ['Company', 'device.deviceOwnership -eq "Company"'] },
  { name: 'enum values inside a string', at: 'device.deviceTrustType -eq "|"', offer: ['AzureAD', 'ServerAD', 'Workplace'], notOffer: ['null', 'true'],
    pick: ['ServerAD', 'device.deviceTrustType -eq "ServerAD"'] },
  { name: 'profileType values', at: 'device.profileType -eq |', offer: ['RegisteredDevice', 'SecureVM', 'Printer', 'Shared', 'IoT'] },
  { name: 'passwordPolicies values, with the combined one', at: 'user.passwordPolicies -eq |', offer: ['None', 'DisablePasswordExpiration, DisableStrongPassword'] },
  { name: 'capabilityStatus values', at: 'user.assignedPlans -any (assignedPlan.capabilityStatus -eq |', offer: ['Enabled', 'Suspended', 'LockedOut'], pick: ['Enabled', 'user.assignedPlans -any (assignedPlan.capabilityStatus -eq "Enabled"'] },
  { name: 'a string snippet for free text', at: 'user.extensionAttribute7 -eq |', offer: ['"…"', 'null'], pick: ['"…"', 'user.extensionAttribute7 -eq ""'] },
  { name: 'null only for -eq/-ne', at: 'user.department -startsWith |', notOffer: ['null'] },
  { name: 'tenant values by frequency with counts', at: 'user.department -eq |', tenant: true, first: ['Sales', 'Marketing', 'Engineering'], detail: ['Sales', '42 users'],
    pick: ['Sales', 'user.department -eq "Sales"'] },
  { name: 'tenant counts merge into enum values', at: 'user.userType -eq |', tenant: true, first: ['Member', 'Guest'], detail: ['Member', '300 users'] },
  { name: 'tenant-only values follow, ranked', at: 'device.deviceOSType -eq |', tenant: true, first: ['Windows', 'IPhone', 'iOS'] },
  { name: 'tenant values filtered by what is typed, closing quote kept', at: 'user.department -eq "Mar|"', tenant: true, offer: ['Marketing'], notOffer: ['Sales'],
    pick: ['Marketing', 'user.department -eq "Marketing"'] },
  { name: 'an unterminated string gets its closing quote', at: 'user.department -eq "Mar|', tenant: true, pick: ['Marketing', 'user.department -eq "Marketing"'] },
  { name: 'single-quoted strings double their quotes', at: "user.department -eq '|'", tenant: true, pick: ["Women's Health", "user.department -eq 'Women''s Health'"] },
  { name: 'double quotes are escaped with a backtick', at: 'user.companyName -eq |', tenant: true, pick: ['Contoso "Labs" Ltd', 'user.companyName -eq "Contoso `"Labs`" Ltd"'] },
  { name: '-in: an array snippet', at: 'user.department -in |', offer: ['["…"]'], notOffer: ['null', '"…"'], pick: ['["…"]', 'user.department -in [""]'] },
  { name: '-in: tenant values as arrays', at: 'user.department -in |', tenant: true, pick: ['Sales', 'user.department -in ["Sales"]'] },
  { name: 'array items after a comma', at: 'user.department -in ["Sales", |', tenant: true, pick: ['Marketing', 'user.department -in ["Sales", "Marketing"'] },
  { name: 'array items keep the array\'s quote style', at: "user.department -in ['Sales', |]", tenant: true, pick: ['Engineering', "user.department -in ['Sales', 'Engineering']"] },
  { name: '_ values come from the collection', at: 'device.devicePhysicalIds -any (_ -startsWith |', tenant: true, offer: ['[ZTDId]', '[OrderID]:', '[ZTDId]:1234'] },
  { name: 'dates: system.now and windows for -ge', at: 'user.employeeHireDate -ge |', offer: ['system.now', 'system.now -minus P…D', 'system.now -plus P…D', '2025-01-01T00:00:00Z'], notOffer: ['"…"', 'true'],
    pick: ['system.now -minus P…D', 'user.employeeHireDate -ge system.now -minus P30D'] },
  { name: 'dates: no system.now with -eq', at: 'user.employeeHireDate -eq |', offer: ['2025-01-01T00:00:00Z', 'null'], notOffer: ['system.now', 'system.now -minus P…D'] },
  { name: 'after system.now: -plus, -minus, connectives', at: 'user.employeeHireDate -ge system.now |', offer: ['-plus', '-minus', '-and', '-or'] },
  { name: 'inside (system.now …): no connectives', at: 'user.employeeHireDate -le (system.now |', offer: ['-plus', '-minus'], notOffer: ['-and'] },
  { name: 'durations with their days', at: 'user.employeeHireDate -ge system.now -minus |', offer: ['P7D', 'P30D', 'P…D'], detail: ['P30D', '30 days'],
    pick: ['P90D', 'user.employeeHireDate -ge system.now -minus P90D'] },
  { name: '(system.now …) forms after a parenthesis', at: 'user.employeeHireDate -le (|', offer: ['system.now -plus P…D'], notOffer: ['user.'] },

  // --- GUIDs with names -----------------------------------------------------------------------
  { name: 'service plans: the tenant\'s first, labelled by name, inserting the GUID', at: 'user.assignedPlans -any (assignedPlan.servicePlanId -eq "|")', tenant: true,
    first: ['EXCHANGE_S_ENTERPRISE', 'AAD_PREMIUM'], detail: ['AAD_PREMIUM', 'Microsoft Entra ID P1 · in your SPE_E3'],
    pick: ['EXCHANGE_S_ENTERPRISE', `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${EXCHANGE_PLAN}")`] },
  { name: 'service plans from the catalogue, filtered by name', at: 'user.assignedPlans -any (assignedPlan.servicePlanId -eq "exchange_s_ent|',
    offer: ['EXCHANGE_S_ENTERPRISE'], notOffer: ['AAD_PREMIUM'], pick: ['EXCHANGE_S_ENTERPRISE', `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${EXCHANGE_PLAN}"`] },
  { name: 'service plans filtered by friendly name', at: 'user.assignedPlans -any (assignedPlan.servicePlanId -eq "Entra ID P1|")', offer: ['AAD_PREMIUM'] },
  { name: 'service plans filtered by GUID prefix', at: 'user.assignedPlans -any (assignedPlan.servicePlanId -eq "efb87|")', offer: ['EXCHANGE_S_ENTERPRISE'], notOffer: ['AAD_PREMIUM'],
    pick: ['EXCHANGE_S_ENTERPRISE', `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${EXCHANGE_PLAN}")`] },
  { name: 'service plan without a quote yet', at: 'user.assignedPlans -any (assignedPlan.servicePlanId -eq |', tenant: true,
    pick: ['AAD_PREMIUM', `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${AAD_P1_PLAN}"`] },
  { name: 'service plans in an -in array', at: 'user.assignedPlans -any (assignedPlan.servicePlanId -in ["|"])', tenant: true, first: ['EXCHANGE_S_ENTERPRISE', 'AAD_PREMIUM'] },
  { name: 'memberOf group ids with names', at: "user.memberOf -any (group.objectId -in ['|", tenant: true, first: ['Project Alpha', 'Project Beta'],
    pick: ['Project Alpha', `user.memberOf -any (group.objectId -in ['${ALPHA}'`] },
  { name: 'memberOf groups filtered by name', at: "user.memberOf -any (group.objectId -in ['bet|'])", tenant: true, offer: ['Project Beta'], notOffer: ['Project Alpha'] },
  { name: 'memberOf array with a group', at: 'user.memberOf -any (group.objectId -in |', tenant: true, offer: ["['…']"],
    pick: ['Project Alpha', `user.memberOf -any (group.objectId -in ['${ALPHA}']`] },
  { name: 'managers after Direct Reports for "', at: 'Direct Reports for "|"', tenant: true, offer: ['Megan Bowen'], detail: ['Megan Bowen', '5 direct reports · meganb@contoso.com'],
    pick: ['Megan Bowen', `Direct Reports for "${MEGAN}"`] },
  { name: 'managers before the quote', at: 'Direct Reports for |', tenant: true, pick: ['Megan Bowen', `Direct Reports for "${MEGAN}"`] },
  { name: 'Direct then Reports for', at: 'Direct |', pick: ['Reports for "…"', 'Direct Reports for ""'] },

  // --- quantifiers ----------------------------------------------------------------------------
  { name: 'after -any on assignedPlans: the servicePlanId + Enabled form', at: 'user.assignedPlans -any |', offer: ['(assignedPlan.service -eq "…" -and …Enabled)'],
    pick: ['(assignedPlan.servicePlanId -eq "…" -and …Enabled)', E3_SNIPPET] },
  { name: 'after -all on assignedPlans', at: 'user.assignedPlans -all |', offer: ['(assignedPlan.capabilityStatus -ne "Enabled")', '(assignedPlan.servicePlanId -eq null)'] },
  { name: 'after -any on a string collection: (_ …)', at: 'device.devicePhysicalIds -any |', offer: ['(_ -eq "…")', '(_ -startsWith "[ZTDId]")'],
    pick: ['(_ -startsWith "[ZTDId]")', 'device.devicePhysicalIds -any (_ -startsWith "[ZTDId]")'] },
  { name: 'after -any on memberOf', at: 'user.memberOf -any |', pick: ["(group.objectId -in ['…'])", "user.memberOf -any (group.objectId -in [''])"] },
  { name: 'inside a string-collection predicate: _', at: 'user.proxyAddresses -any (|', offer: ['_'], notOffer: ['user.', 'assignedPlan.servicePlanId'] },
  { name: 'inside an assignedPlans predicate: its element properties', at: 'user.assignedPlans -any (|', offer: ['assignedPlan.servicePlanId', 'assignedPlan.service', 'assignedPlan.capabilityStatus'],
    notOffer: ['user.', '_'] },
  { name: 'after -and inside the predicate', at: `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${EXCHANGE_PLAN}" -and |`, offer: ['assignedPlan.capabilityStatus'], notOffer: ['user.'],
    pick: ['assignedPlan.capabilityStatus', `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${EXCHANGE_PLAN}" -and assignedPlan.capabilityStatus`] },
  { name: 'inside a memberOf predicate: group.objectId only', at: 'user.memberOf -any (|', offer: ['group.objectId'], notOffer: ['-not', 'user.'] },
  { name: 'after the predicate closes, the rule\'s objects again', at: 'user.proxyAddresses -any (_ -eq "a") -and |', offer: ['user.'], notOffer: ['_'] },

  // --- connectives ----------------------------------------------------------------------------
  { name: 'after a complete condition: -and, -or', at: 'user.department -eq "Sales" |', offer: ['-and', '-or'], notOffer: ['-not', '-eq', 'user.'] },
  { name: 'after a parenthesised group', at: '(user.department -eq "Sales") |', offer: ['-and', '-or'] },
  { name: '-and replaces what is typed', at: 'user.department -eq "Sales" -a|', pick: ['-and', 'user.department -eq "Sales" -and '] },
  { name: 'nothing after a memberOf rule', at: "user.memberOf -any (group.objectId -in ['x']) |", empty: true },
  { name: 'nothing after Direct Reports', at: 'Direct Reports for "x" |', empty: true },
  { name: 'nothing in the middle of a number', at: 'user.department -eq 12|34', empty: true },

  // --- directives -----------------------------------------------------------------------------
  { name: 'directive names after # @', at: '# @|\nuser.department -eq "x"', offer: ['group', 'licenses'], pick: ['group', '# @group \nuser.department -eq "x"'] },
  { name: 'a typed directive name is replaced', at: '# @lic|', pick: ['licenses', '# @licenses '] },
  { name: '@group: the tenant\'s groups by id or quoted name', at: '# @group |', tenant: true, offer: ['Project Alpha', '"Project Alpha"', 'Project Beta'],
    pick: ['Project Alpha', `# @group ${ALPHA}`] },
  { name: '@group by quoted name', at: '# @group Proj|', tenant: true, pick: ['"Project Beta"', '# @group "Project Beta"'] },
  { name: '@licenses: the tenant\'s SKUs first, then the catalogue', at: '# @licenses |', tenant: true, first: ['SPE_E3', 'ENTERPRISEPACK'] },
  { name: '@licenses filtered by part number', at: '# @licenses SPE_E|', offer: ['SPE_E3', 'SPE_E5'], notOffer: ['ENTERPRISEPACK'], pick: ['SPE_E5', '# @licenses SPE_E5'] },
  { name: '@licenses after a comma', at: '# @licenses SPE_E3, EMSPREM|', offer: ['EMSPREMIUM'] },
  { name: '@licenses: plans to disable inside the SKU\'s parentheses', at: '# @licenses SPE_E3(-YAM|)', offer: ['-YAMMER_ENTERPRISE'], notOffer: ['SPE_E3'],
    pick: ['-YAMMER_ENTERPRISE', '# @licenses SPE_E3(-YAMMER_ENTERPRISE)'] },
  { name: 'plain comments get nothing', at: '# a note about the rule|', empty: true },
];

function find(items: readonly CompletionItem[], label: string): CompletionItem {
  const it = items.find((i) => i.label === label);
  assert.ok(it, `no item ${label} in ${items.map((i) => i.label).join(', ')}`);
  return it;
}

describe('services: complete', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const { text, offset } = marked(row.at);
      const data: TenantData | undefined = row.tenant ? TENANT : undefined;
      const { items } = complete(createRuleDocument(text), offset, data);
      const labels = items.map((i) => i.label);
      if (row.empty) assert.deepEqual(labels, []);
      for (const l of row.offer ?? []) assert.ok(labels.includes(l), `${l} not offered; got ${labels.join(', ')}`);
      for (const l of row.notOffer ?? []) assert.ok(!labels.includes(l), `${l} offered but must not be`);
      if (row.first) assert.deepEqual(labels.slice(0, row.first.length), row.first);
      if (row.detail) assert.equal(find(items, row.detail[0]).detail, row.detail[1]);
      if (row.pick) assert.equal(applyItem(text, find(items, row.pick[0])), row.pick[1]);
      for (const i of items) {
        assert.ok(i.replace.start <= offset && offset <= i.replace.end, `${i.label}: the replace span ${i.replace.start}-${i.replace.end} must hold the cursor ${offset}`);
        assert.ok(!/[\r\n]/.test(text.slice(i.replace.start, i.replace.end)), `${i.label}: the replace span crosses a line`);
      }
    });
  }

  it('keeps its order through sortText', () => {
    const { items } = complete(createRuleDocument('user.department -eq '), 20, TENANT);
    const sorted = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.deepEqual(sorted.map((i) => i.label), items.map((i) => i.label));
  });

  it('says the list is incomplete where tenant or catalogue lists are filtered', () => {
    assert.equal(complete(createRuleDocument('user.department -eq "S'), 22, TENANT).incomplete, true);
    assert.equal(complete(createRuleDocument('user.accountEnabled '), 20).incomplete, false);
  });

  it('documents properties and operators', () => {
    const prop = find(complete(createRuleDocument('user.'), 5).items, 'department');
    assert.match(prop.documentation ?? '', /Operators: `-eq`/);
    assert.match(prop.documentation ?? '', /learn\.microsoft\.com/);
    // memberOf is offered, since existing rules use it, but it says it is retired and what instead.
    const memberOf = find(complete(createRuleDocument('user.'), 5).items, 'memberOf');
    assert.match(memberOf.documentation ?? '', /Retired \(groups-dynamic-rule-member-of, 2026-08\): from 3 November 2026 a group with a memberOf rule stops updating/);
    assert.match(memberOf.documentation ?? '', /Replace it with a rule on user properties, or make the group an assigned group/);
    const op = find(complete(createRuleDocument('user.department '), 16).items, '-notContains');
    assert.match(op.documentation ?? '', /null or missing value: true/);
  });

  it('carries on when the tenant callbacks throw', () => {
    const { items } = complete(createRuleDocument('user.department -eq '), 20, BROKEN_TENANT);
    assert.ok(items.some((i) => i.label === '"…"'));
    assert.ok(complete(createRuleDocument('# @group '), 9, BROKEN_TENANT).items.length === 0);
  });

  it('clamps offsets outside the text', () => {
    assert.ok(complete(createRuleDocument('user.'), 999).items.some((i) => i.label === 'department'));
    assert.ok(complete(createRuleDocument(''), -5).items.some((i) => i.label === 'user.'));
    assert.ok(complete(createRuleDocument('user.'), Number.NaN).items.some((i) => i.label === 'user.'));
  });
});
