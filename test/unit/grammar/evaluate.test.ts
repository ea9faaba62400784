/**
 * The evaluator, table-driven: rule × Microsoft Graph object → true / false / 'unknown'. Every row
 * runs through both engines — the compiled closures and the tracing reference interpreter — and
 * they must agree with the expected result and with each other.
 *
 * Conventions (docs/semantics.md, "Evaluation"): a key absent from the object means the data
 * is missing (unknown); null means null. Positive operators are false on null, negated ones true.
 */
import assert from 'node:assert/strict';
import { parseRule } from '../../../grammar/src/index';
import {
  compileRule, interpret, interpretResult, type EvalOptions, type GraphObject, type Tri,
} from '../../../grammar/engine/src/index';

const NOW = Date.parse('2025-06-01T00:00:00Z');
const OPTIONS: EvalOptions = { now: NOW };

type Row = readonly [rule: string, object: GraphObject, expected: Tri];

function evaluateBoth(rule: string, obj: GraphObject, options: EvalOptions = OPTIONS): { compiled: Tri; interpreted: Tri } {
  const parsed = parseRule(rule);
  const compiled = compileRule(parsed, options);
  assert.ok(compiled.ok, `does not compile: ${compiled.issues.filter((i) => i.severity === 'error').map((i) => i.code).join(', ')}`);
  assert.ok(parsed.expr);
  return { compiled: compiled.rule.evaluate(obj), interpreted: interpretResult(parsed.text, parsed.expr, obj, options) };
}

function table(title: string, rows: readonly Row[], options: EvalOptions = OPTIONS): void {
  describe(title, () => {
    for (const [rule, obj, expected] of rows) {
      it(`${rule}  on ${JSON.stringify(obj)}  → ${String(expected)}`, () => {
        const { compiled, interpreted } = evaluateBoth(rule, obj, options);
        assert.equal(compiled, expected, 'compiled evaluator');
        assert.equal(interpreted, expected, 'reference interpreter');
      });
    }
  });
}

const dept = (department: unknown): GraphObject => ({ department });
const MISSING: GraphObject = {};

table('string operators on a string property', [
  ['user.department -eq "Sales"', dept('Sales'), true],
  ['user.department -eq "Sales"', dept('SALES'), true],
  ['user.department -eq "Sales"', dept('Sales Ops'), false],
  ['user.department -eq "Sales"', dept(null), false],
  ['user.department -eq "Sales"', MISSING, 'unknown'],
  ['user.department -ne "Sales"', dept('Marketing'), true],
  ['user.department -ne "Sales"', dept('sales'), false],
  ['user.department -ne "Sales"', dept(null), true],
  ['user.department -ne "Sales"', MISSING, 'unknown'],
  ['user.department -startsWith "Sal"', dept('sales'), true],
  ['user.department -startsWith "Sal"', dept('Presales'), false],
  ['user.department -startsWith "Sal"', dept(null), false],
  ['user.department -notStartsWith "Sal"', dept('Presales'), true],
  ['user.department -notStartsWith "Sal"', dept('SALES'), false],
  ['user.department -notStartsWith "Sal"', dept(null), true],
  ['user.department -endsWith "ops"', dept('Sales Ops'), true],
  ['user.department -endsWith "ops"', dept('Opsec'), false],
  ['user.department -endsWith "ops"', dept(null), false],
  ['user.department -notEndsWith "ops"', dept('Opsec'), true],
  ['user.department -notEndsWith "ops"', dept('DevOps'), false],
  ['user.department -notEndsWith "ops"', dept(null), true],
  ['user.department -contains "ale"', dept('SALES'), true],
  ['user.department -contains "ale"', dept('Legal'), false],
  ['user.department -contains "ale"', dept(null), false],
  ['user.department -notContains "ale"', dept('Legal'), true],
  ['user.department -notContains "ale"', dept('Sales'), false],
  ['user.department -notContains "ale"', dept(null), true],
  ['user.department -in ["Sales", "Marketing"]', dept('marketing'), true],
  ['user.department -in ["Sales", "Marketing"]', dept('Legal'), false],
  ['user.department -in ["Sales", "Marketing"]', dept(null), false],
  ['user.department -in ["Sales", "Marketing"]', MISSING, 'unknown'],
  ["user.department -in ['Sales', 'Marketing']", dept('SALES'), true],
  ['user.department -notIn ["Sales", "Marketing"]', dept('Legal'), true],
  ['user.department -notIn ["Sales", "Marketing"]', dept('Sales'), false],
  ['user.department -notIn ["Sales", "Marketing"]', dept(null), true],
  ['user.department -notIn ["Sales", "Marketing"]', MISSING, 'unknown'],
  ['user.department -match "^Sal"', dept('sales'), true],
  ['user.department -match "^Sal"', dept(null), false],
  ['user.department -notMatch "^Sal"', dept('Legal'), true],
  ['user.department -notMatch "^Sal"', dept(null), true],
  ['user.department -notMatch "^Sal"', MISSING, 'unknown'],
]);

table('null and $null', [
  ['user.department -eq null', dept(null), true],
  ['user.department -eq null', dept('Sales'), false],
  ['user.department -eq null', MISSING, 'unknown'],
  ['user.department -ne null', dept('Sales'), true],
  ['user.department -ne null', dept(null), false],
  ['user.department -eq $null', dept(null), true],
  ['user.department -ne $null', dept('Sales'), true],
  ['user.department -ne $null', MISSING, 'unknown'],
  // "null" in quotes is the four-letter text (a warning, but it runs).
  ['user.department -eq "null"', dept(null), false],
  ['user.department -eq "null"', dept('NULL'), true],
  ['user.department -ne "null"', dept(null), true],
]);

table('booleans', [
  ['user.accountEnabled -eq true', { accountEnabled: true }, true],
  ['user.accountEnabled -eq true', { accountEnabled: false }, false],
  ['user.accountEnabled -eq false', { accountEnabled: false }, true],
  ['user.accountEnabled -ne true', { accountEnabled: false }, true],
  ['user.accountEnabled -ne true', { accountEnabled: true }, false],
  ['user.accountEnabled -eq true', { accountEnabled: null }, false],
  ['user.accountEnabled -ne true', { accountEnabled: null }, true],
  ['user.accountEnabled -eq true', MISSING, 'unknown'],
  ['user.accountEnabled -eq TRUE', { accountEnabled: true }, true],
  // A quoted boolean is a warning; it still compares as the boolean.
  ['user.accountEnabled -eq "true"', { accountEnabled: true }, true],
  ['user.accountEnabled -eq null', { accountEnabled: null }, true],
  ['device.isRooted -eq false', { isRooted: false }, true],
]);

const hired = (employeeHireDate: unknown): GraphObject => ({ employeeHireDate });

table('dates, durations and system.now (now = 2025-06-01T00:00:00Z)', [
  ['user.employeeHireDate -ge 2024-01-01T00:00:00Z', hired('2024-03-01T09:00:00Z'), true],
  ['user.employeeHireDate -ge 2024-01-01T00:00:00Z', hired('2023-12-31T23:59:59Z'), false],
  ['user.employeeHireDate -ge 2024-01-01T00:00:00Z', hired('2024-01-01T00:00:00Z'), true],
  ['user.employeeHireDate -le 2024-01-01T00:00:00Z', hired('2024-01-01T00:00:00Z'), true],
  ['user.employeeHireDate -le 2024-01-01T00:00:00Z', hired('2024-01-01T00:00:01Z'), false],
  ['user.employeeHireDate -le 2024-01-01', hired('2023-12-31T12:00:00Z'), true],
  ['user.employeeHireDate -ge 2024-01-01T02:00:00+02:00', hired('2024-01-01T00:00:00Z'), true],
  ['user.employeeHireDate -ge 2024-01-01T00:00:00Z', hired(null), false],
  ['user.employeeHireDate -le 2024-01-01T00:00:00Z', hired(null), false],
  ['user.employeeHireDate -ge 2024-01-01T00:00:00Z', MISSING, 'unknown'],
  ['user.employeeHireDate -eq 2024-05-01T08:00:00Z', hired('2024-05-01T08:00:00Z'), true],
  ['user.employeeHireDate -eq 2024-05-01T08:00:00Z', hired('2024-05-01T08:00:01Z'), false],
  ['user.employeeHireDate -eq "2024-05-01T08:00:00Z"', hired('2024-05-01T08:00:00Z'), true],
  ['user.employeeHireDate -ge system.now -minus P30D', hired('2025-05-10T00:00:00Z'), true],
  ['user.employeeHireDate -ge system.now -minus P30D', hired('2025-05-01T00:00:00Z'), false],
  ['user.employeeHireDate -ge system.now -minus P30D', hired('2025-05-02T00:00:00Z'), true],
  ['user.employeeHireDate -ge system.now -minus p30d', hired('2025-05-02T00:00:00Z'), true],
  ['user.employeeHireDate -le system.now -plus P14D', hired('2025-06-15T00:00:00Z'), true],
  ['user.employeeHireDate -le system.now -plus P14D', hired('2025-06-15T00:00:01Z'), false],
  ['user.employeeHireDate -le (system.now -plus P14D)', hired('2025-06-10T00:00:00Z'), true],
  ['user.employeeHireDate -ge system.now -plus P7DT12H', hired('2025-06-08T12:00:00Z'), true],
  ['user.employeeHireDate -ge system.now -plus P7DT12H', hired('2025-06-08T11:59:59Z'), false],
  ['user.employeeHireDate -ge system.now -minus PT36H', hired('2025-05-30T12:00:00Z'), true],
  ['user.employeeHireDate -ge system.now -minus P2W', hired('2025-05-18T00:00:00Z'), true],
  ['user.employeeHireDate -ge system.now', hired('2025-06-01T00:00:00Z'), true],
  ['user.employeeHireDate -ge system.now -minus P30D', hired(null), false],
]);

const mails = (otherMails: unknown): GraphObject => ({ otherMails });

table('string operators applied directly to a collection: any element (positive), no element (negated)', [
  ['user.otherMails -endsWith "@fabrikam.com"', mails(['a@contoso.com', 'a@FABRIKAM.com']), true],
  ['user.otherMails -endsWith "@fabrikam.com"', mails(['a@contoso.com']), false],
  ['user.otherMails -endsWith "@fabrikam.com"', mails([]), false],
  ['user.otherMails -endsWith "@fabrikam.com"', MISSING, 'unknown'],
  ['user.otherMails -notEndsWith "@fabrikam.com"', mails(['a@contoso.com', 'b@outlook.com']), true],
  ['user.otherMails -notEndsWith "@fabrikam.com"', mails(['a@contoso.com', 'a@fabrikam.com']), false],
  ['user.otherMails -notEndsWith "@fabrikam.com"', mails([]), true],
  ['user.otherMails -notEndsWith "@fabrikam.com"', MISSING, 'unknown'],
  // -contains is always a substring test, never "the collection has this element".
  ['user.otherMails -contains "fabrikam"', mails(['a@fabrikam.com']), true],
  ['user.otherMails -contains "a@fabrikam.com"', mails(['xa@fabrikam.com']), true],
  ['user.otherMails -notContains "fabrikam"', mails(['a@fabrikam.com']), false],
  ['user.otherMails -notContains "fabrikam"', mails(['a@contoso.com']), true],
  ['user.otherMails -startsWith "alias@"', mails(['x@contoso.com', 'Alias@contoso.com']), true],
  ['user.otherMails -notStartsWith "alias@"', mails(['x@contoso.com', 'Alias@contoso.com']), false],
  ['user.otherMails -eq "a@contoso.com"', mails(['b@contoso.com', 'A@Contoso.com']), true],
  ['user.otherMails -ne "a@contoso.com"', mails(['b@contoso.com', 'A@Contoso.com']), false],
  ['user.otherMails -in ["a@contoso.com", "b@contoso.com"]', mails(['c@contoso.com', 'b@contoso.com']), true],
  ['user.otherMails -notIn ["a@contoso.com", "b@contoso.com"]', mails(['c@contoso.com']), true],
  ['user.otherMails -match "^[a-z]@contoso"', mails(['ab@contoso.com', 'b@contoso.com']), true],
  ['user.otherMails -notMatch "^[a-z]@contoso"', mails(['ab@contoso.com', 'b@contoso.com']), false],
  ['user.otherMails -eq null', mails([]), true],
  ['user.otherMails -ne null', mails(['a@contoso.com']), true],
  ['user.proxyAddresses -startsWith "SMTP:"', { proxyAddresses: ['smtp:alias@contoso.com'] }, true],
  ['device.systemLabels -startsWith "M365Managed"', { systemLabels: ['M365Managed'] }, true],
]);

const plans = (...items: unknown[]): GraphObject => ({ assignedPlans: items });
const EXO = 'efb87545-963c-4e0d-99df-69c6916d9eb0';
const exo = (capabilityStatus: string): GraphObject => ({ servicePlanId: EXO, service: 'exchange', capabilityStatus, assignedDateTime: '2024-01-01T00:00:00Z' });
const intune = { servicePlanId: 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5', service: 'SCO', capabilityStatus: 'Enabled' };
const EXO_ENABLED = `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${EXO}" -and assignedPlan.capabilityStatus -eq "Enabled")`;

table('-any and -all', [
  [EXO_ENABLED, plans(intune, exo('Enabled')), true],
  [EXO_ENABLED, plans(exo('Suspended'), intune), false],
  [EXO_ENABLED, plans(), false],
  [EXO_ENABLED, MISSING, 'unknown'],
  // GUIDs compare as case-insensitive strings.
  [`user.assignedPlans -any (assignedPlan.servicePlanId -eq "${EXO.toUpperCase()}")`, plans(exo('Enabled')), true],
  ['user.assignedPlans -any (assignedPlan.service -eq "SCO" -and assignedPlan.capabilityStatus -eq "Enabled")', plans(exo('Enabled'), intune), true],
  ['user.assignedPlans -any (assignedPlan.service -eq "sco")', plans(exo('Enabled')), false],
  ['user.assignedPlans -all (assignedPlan.capabilityStatus -eq "Enabled")', plans(exo('Enabled'), intune), true],
  ['user.assignedPlans -all (assignedPlan.capabilityStatus -eq "Enabled")', plans(exo('Deleted'), intune), false],
  ['user.assignedPlans -all (assignedPlan.capabilityStatus -eq "Enabled")', plans(), true],
  ['user.assignedPlans -all (assignedPlan.servicePlanId -eq null)', plans(), true],
  ['user.assignedPlans -all (assignedPlan.servicePlanId -eq null)', plans(intune), false],
  ['user.assignedPlans -all (assignedPlan.capabilityStatus -eq "Enabled")', MISSING, 'unknown'],
  // An item whose field is missing: unknown for that item.
  ['user.assignedPlans -any (assignedPlan.service -eq "SCO")', plans({ servicePlanId: EXO }), 'unknown'],
  ['user.assignedPlans -any (assignedPlan.service -eq "SCO")', plans({ servicePlanId: EXO }, intune), true],
  ['user.assignedPlans -all (assignedPlan.service -eq "SCO")', plans({ servicePlanId: EXO }, exo('Enabled')), false],
  ['user.proxyAddresses -any (_ -startsWith "smtp:")', { proxyAddresses: ['x500:/o=contoso', 'SMTP:a@contoso.com'] }, true],
  ['user.proxyAddresses -any (_ -startsWith "smtp:")', { proxyAddresses: [] }, false],
  ['user.proxyAddresses -all (_ -endsWith "@contoso.com")', { proxyAddresses: ['SMTP:a@contoso.com', 'smtp:a@fabrikam.com'] }, false],
  ['user.proxyAddresses -all (_ -endsWith "@contoso.com")', { proxyAddresses: [] }, true],
  ['user.otherMails -any (_ -contains "@partners.")', mails(['a@partners.contoso.com']), true],
  ['user.otherMails -any (_ -eq null)', mails([]), false],
  ['device.devicePhysicalIds -any (_ -startsWith "[ZTDId]")', { physicalIds: ['[USER-GID]:abc', '[ZTDId]:xyz'] }, true],
  ['device.devicePhysicalIds -any _ -startsWith "[ZTDId]"', { physicalIds: ['[GID]:abc'] }, false],
  ['device.devicePhysicalIds -any _ -eq "[OrderID]:179887111881"', { physicalIds: ['[OrderID]:179887111881'] }, true],
  ['-not user.otherMails -any (_ -endsWith "@fabrikam.com")', mails(['a@contoso.com']), true],
]);

table('three-valued logic', [
  ['user.department -eq "Sales" -and user.city -eq "Oslo"', { department: 'Sales' }, 'unknown'],
  ['user.department -eq "Sales" -and user.city -eq "Oslo"', { department: 'Legal' }, false],
  ['user.department -eq "Sales" -or user.city -eq "Oslo"', { department: 'Sales' }, true],
  ['user.department -eq "Sales" -or user.city -eq "Oslo"', { department: 'Legal' }, 'unknown'],
  ['-not (user.city -eq "Oslo")', MISSING, 'unknown'],
  ['-not (user.city -eq "Oslo")', { city: 'Bergen' }, true],
  ['-not (user.city -eq "Oslo")', { city: null }, true],
  ['user.department -eq "Sales" -and -not (user.jobTitle -startsWith "Intern")', { department: 'Sales', jobTitle: 'Intern (summer)' }, false],
  ['user.department -eq "Sales" -and -not (user.jobTitle -startsWith "Intern")', { department: 'Sales', jobTitle: null }, true],
  ['(user.city -eq "a" -or user.city -eq "b") -and user.state -eq "WA"', { city: 'B', state: 'wa' }, true],
]);

table('escapes and case', [
  ['user.companyName -eq "Contoso `"Labs`" Ltd"', { companyName: 'Contoso "Labs" Ltd' }, true],
  ['user.companyName -eq "Contoso `"Labs`" Ltd"', { companyName: 'Contoso Labs Ltd' }, false],
  ["user.department -eq 'Women''s Health'", { department: "women's health" }, true],
  ["user.surname -in ['O''Brien', 'O''Neill']", { surname: "O'Neill" }, true],
  ["user.department -eq 'Women’s Health'", { department: 'women’s health' }, true],
  ["user.department -eq 'Women’s Health'", { department: "women's health" }, false],
  // The docs' `"Sales`" is read as the text "Sales" with its quotes (it also gives a warning).
  ['user.department -eq `"Sales`"', dept('"Sales"'), true],
  ['user.department -eq `"Sales`"', dept('Sales'), false],
  ['user.department -eq "C:\\Sales"', dept('c:\\sales'), true],
  ['user.DEPARTMENT -EQ "sales"', dept('Sales'), true],
  ['USER.department eq "sales"', dept('SALES'), true],
]);

const city = (c: unknown): GraphObject => ({ city: c });

table('-match: unanchored, case-insensitive, .NET constructs → unknown', [
  ['user.city -match "ago"', city('Lagos'), true],
  ['user.city -match "^Da.*"', city('David'), true],
  ['user.city -match "^Da.*"', city('aDa'), false],
  ['user.city -match ".*vid"', city('David'), true],
  ['user.city -match ".*vid"', city('Da'), false],
  ['user.city -match "LAGOS"', city('lagos'), true],
  ['user.city -match "^(Lagos|Abuja)$"', city('Abuja'), true],
  ['user.city -match "^(Lagos|Abuja)$"', city('Abuja City'), false],
  ['user.city -match "\\ALagos\\z"', city('Lagos'), true],
  ['user.city -match "(?i)lagos"', city('LAGOS'), true],
  ['user.city -match "(?<code>[A-Z]{3})-\\d+"', city('LOS-12'), true],
  ["user.city -match \"(?'code'[A-Z]{3})-\\d+\"", city('LOS-12'), true],
  // No JavaScript equivalent: the preview cannot tell.
  ['user.city -match "(?>La)gos"', city('Lagos'), 'unknown'],
  ['user.city -notMatch "(?>La)gos"', city('Lagos'), 'unknown'],
  ['user.city -match "[a-z-[aeiou]]+"', city('Lgs'), 'unknown'],
  ['user.city -match "(?(x)a|b)"', city('b'), 'unknown'],
  // Exponential for a backtracking engine, linear on the engine -match runs on.
  ['user.city -match "^(a+)+$"', city('aaaa'), true],
  // What a linear-time engine cannot run (lookahead, back-references, counts over 1,000) is not run.
  ['user.city -match "^(?!La)gos"', city('gos'), 'unknown'],
  ['user.city -match "^(a)\\1"', city('aa'), 'unknown'],
  ['user.city -match "(a|b?a){0,5000}c"', city('a'.repeat(45)), 'unknown'],
  ['user.city -notMatch "(a|b?a){0,5000}c"', city('a'.repeat(45)), 'unknown'],
  ['user.city -match "(a|b?a){0,5000}c"', city(null), false],
  // Still null-safe: positive false, negated true.
  ['user.city -match "(?>La)gos"', city(null), false],
  ['user.city -notMatch "(?>La)gos"', city(null), true],
  ['user.city -match "(?>La)gos"', MISSING, 'unknown'],
  ['user.otherMails -match "(?>a)b"', mails([]), false],
  ['user.otherMails -notMatch "(?>a)b"', mails([]), true],
  ['user.otherMails -match "(?>a)b"', mails(['ab']), 'unknown'],
]);

const MANAGER = 'c0a70500-0000-4000-8000-000000000101';
const DIRECT = `Direct Reports for "${MANAGER}"`;

table('Direct Reports for (manager {id})', [
  [DIRECT, { manager: { id: MANAGER } }, true],
  [DIRECT, { manager: { id: MANAGER.toUpperCase() } }, true],
  [DIRECT, { manager: { id: 'c0a70500-0000-4000-8000-000000000102' } }, false],
  [DIRECT, { manager: null }, false],
  [DIRECT, { manager: MANAGER }, true],
  [DIRECT, MISSING, 'unknown'],
  // Entra adds the manager to the group too, whoever the manager's own manager is.
  [DIRECT, { id: MANAGER }, true],
  [DIRECT, { id: MANAGER.toUpperCase(), manager: { id: 'c0a70500-0000-4000-8000-000000000102' } }, true],
  [DIRECT, { id: MANAGER, manager: null }, true],
  [DIRECT, { id: 'c0a70500-0000-4000-8000-000000000102', manager: { id: 'c0a70500-0000-4000-8000-000000000103' } }, false],
]);

const GROUP_A = 'c0a70500-0000-4000-8000-000000000201';
const GROUP_B = 'c0a70500-0000-4000-8000-000000000202';
const MEMBER_OF = `user.memberOf -any (group.objectId -in ["${GROUP_A}", "${GROUP_B}"])`;

table('memberOf (object memberOf: id array)', [
  [MEMBER_OF, { memberOf: ['c0a70500-0000-4000-8000-000000000299', GROUP_B] }, true],
  [MEMBER_OF, { memberOf: [GROUP_A.toUpperCase()] }, true],
  [MEMBER_OF, { memberOf: ['c0a70500-0000-4000-8000-000000000299'] }, false],
  [MEMBER_OF, { memberOf: [] }, false],
  [MEMBER_OF, { memberOf: [{ id: GROUP_A, displayName: 'Project A' }] }, true],
  [MEMBER_OF, MISSING, 'unknown'],
  [`device.memberOf -any (group.objectId -in ['${GROUP_A}'])`, { memberOf: [GROUP_A] }, true],
]);

table('the mapping of rule properties to Graph fields', [
  ['user.mobile -eq "+47 555 0100"', { mobilePhone: '+47 555 0100' }, true],
  ['user.mobile -eq "+47 555 0100"', { mobile: '+47 555 0100' }, 'unknown'],
  ['user.objectId -eq "c0a70500-0000-4000-8000-000000000101"', { id: MANAGER }, true],
  ['user.extensionAttribute7 -eq "FTE"', { onPremisesExtensionAttributes: { extensionAttribute7: 'fte' } }, true],
  ['user.extensionAttribute7 -eq "FTE"', { onPremisesExtensionAttributes: { extensionAttribute7: null } }, false],
  ['user.extensionAttribute7 -ne "FTE"', { onPremisesExtensionAttributes: { extensionAttribute7: null } }, true],
  ['user.extensionAttribute7 -eq "FTE"', { onPremisesExtensionAttributes: null }, false],
  ['user.extensionAttribute7 -eq "FTE"', MISSING, 'unknown'],
  ['user.telephoneNumber -eq "+1 425 555 0100"', { businessPhones: ['+1 425 555 0100'] }, true],
  // Only the first business phone is the rule's telephoneNumber.
  ['user.telephoneNumber -eq "+1 425 555 0100"', { businessPhones: ['+1 425 555 0199', '+1 425 555 0100'] }, false],
  ['user.telephoneNumber -eq null', { businessPhones: [] }, true],
  ['user.telephoneNumber -eq null', MISSING, 'unknown'],
  ['user.dirSyncEnabled -eq false', { onPremisesSyncEnabled: null }, true],
  ['user.dirSyncEnabled -eq true', { onPremisesSyncEnabled: true }, true],
  ['user.dirSyncEnabled -eq true', MISSING, 'unknown'],
  ['user.facsimileTelephoneNumber -startsWith "+1"', { faxNumber: '+1 425 555 0101' }, true],
  ['user.physicalDeliveryOfficeName -eq "SEA-12"', { officeLocation: 'SEA-12' }, true],
  ['user.sipProxyAddress -endsWith "@contoso.com"', { imAddresses: ['sip:a@contoso.com'] }, true],
  ['user.mailNickname -eq "megan"', { mailNickname: 'MEGAN' }, true],
  ['user.extension_9f8e7d6c5b4a39281706f5e4d3c2b1a0_costCenter -eq "CC-1001"', { extension_9f8e7d6c5b4a39281706f5e4d3c2b1a0_costCenter: 'cc-1001' }, true],
  // Graph leaves out directory extension values that are not set: absent reads as null.
  ['user.extension_9f8e7d6c5b4a39281706f5e4d3c2b1a0_costCenter -eq "CC-1001"', MISSING, false],
  ['user.extension_9f8e7d6c5b4a39281706f5e4d3c2b1a0_costCenter -eq null', MISSING, true],
  ['device.deviceOSType -eq "Windows"', { operatingSystem: 'Windows' }, true],
  ['device.deviceOSVersion -startsWith "10.0.2"', { operatingSystemVersion: '10.0.22631.3296' }, true],
  ['device.deviceTrustType -eq "AzureAD"', { trustType: 'AzureAd' }, true],
  ['device.deviceManufacturer -eq "Microsoft Corporation"', { manufacturer: 'Microsoft Corporation' }, true],
  ['device.deviceModel -eq "Surface Laptop 5"', { model: 'Surface Laptop 5' }, true],
  ['device.deviceManagementAppId -eq "0000000a-0000-0000-c000-000000000000"', { mdmAppId: '0000000a-0000-0000-c000-000000000000' }, true],
  ['device.extensionAttribute1 -eq "Kiosk"', { extensionAttributes: { extensionAttribute1: 'Kiosk' } }, true],
  ['device.objectId -ne null', { id: 'c0a70500-0000-4000-8000-000000000301' }, true],
  ['device.deviceId -eq "c0a70500-0000-4000-8000-000000000399"', { id: 'x', deviceId: 'c0a70500-0000-4000-8000-000000000399' }, true],
  ['device.deviceOwnership -eq "Company"', { deviceOwnership: 'company' }, true],
]);

table('missingAsNull: hand-written objects where a left-out field means empty', [
  ['user.department -ne "Sales"', MISSING, true],
  ['user.department -eq "Sales"', MISSING, false],
  ['user.department -eq null', MISSING, true],
  ['user.otherMails -any (_ -eq "a@contoso.com")', MISSING, false],
  ['user.assignedPlans -all (assignedPlan.capabilityStatus -eq "Enabled")', MISSING, true],
  ['user.dirSyncEnabled -eq false', MISSING, true],
  [DIRECT, MISSING, false],
], { now: NOW, missingAsNull: true });

describe('evaluation: compiling and tracing', () => {
  it('does not compile a rule with errors, and says why', () => {
    const r = compileRule(parseRule('user.departmnet -eq "Sales"'));
    assert.equal(r.ok, false);
    assert.deepEqual(r.issues.filter((i) => i.severity === 'error').map((i) => i.code), ['type/unknown-property']);
  });

  it('compiles a retired memberOf rule, with its error, so that it still says whom it selects', () => {
    const after = Date.parse('2026-11-03T00:00:00Z');
    const r = compileRule(parseRule(MEMBER_OF), { now: after });
    assert.ok(r.ok);
    assert.deepEqual(r.issues.map((i) => `${i.severity} ${i.code}`), ['error rule/member-of-retired']);
    assert.equal(r.rule.evaluate({ memberOf: [GROUP_A] }), true);
    const before = compileRule(parseRule(MEMBER_OF), { now: after - 1 });
    assert.ok(before.ok);
    assert.deepEqual(before.issues.map((i) => i.code), ['rule/member-of-preview']);
  });

  it('compiles rules with warnings', () => {
    const r = compileRule(parseRule('user.accountEnabled -eq "true"'));
    assert.ok(r.ok);
    assert.deepEqual(r.issues.map((i) => i.code), ['type/quoted-boolean']);
  });

  it('knows the object of the rule and the relationships it reads', () => {
    const dev = compileRule(parseRule('device.deviceOSType -eq "Windows"'));
    assert.ok(dev.ok);
    assert.equal(dev.rule.object, 'device');
    assert.deepEqual(dev.rule.uses, { memberOf: false, manager: false });
    const mo = compileRule(parseRule(MEMBER_OF));
    assert.ok(mo.ok);
    assert.deepEqual(mo.rule.uses, { memberOf: true, manager: false });
    const dr = compileRule(parseRule(DIRECT));
    assert.ok(dr.ok);
    assert.equal(dr.rule.object, 'user');
    assert.deepEqual(dr.rule.uses, { memberOf: false, manager: true });
  });

  it('test() gives 0, 1 or 2 for hot loops', () => {
    const r = compileRule(parseRule('user.department -eq "Sales"'));
    assert.ok(r.ok);
    assert.deepEqual([r.rule.test(dept('Sales')), r.rule.test(dept('Legal')), r.rule.test(MISSING)], [1, 0, 2]);
  });

  it('uses the current time when no now is given', () => {
    const r = compileRule(parseRule('user.employeeHireDate -ge system.now -minus P1D'));
    assert.ok(r.ok);
    assert.equal(r.rule.evaluate(hired(new Date(Date.now() - 3_600_000).toISOString())), true);
    assert.equal(r.rule.evaluate(hired(new Date(Date.now() - 3 * 86_400_000).toISOString())), false);
  });

  it('traces each sub-expression with the property and the value it saw', () => {
    const text = 'user.department -eq "Sales" -and user.otherMails -any (_ -endsWith "@fabrikam.com")';
    const parsed = parseRule(text);
    assert.ok(parsed.expr);
    const t = interpret(text, parsed.expr, { department: 'Sales', otherMails: ['a@contoso.com', 'b@fabrikam.com'] }, OPTIONS);
    assert.equal(t.result, true);
    assert.equal(t.expression, text);
    assert.deepEqual(t.children.map((c) => [c.expression, c.result, c.property, c.value]), [
      ['user.department -eq "Sales"', true, 'department', 'Sales'],
      ['user.otherMails -any (_ -endsWith "@fabrikam.com")', true, 'otherMails', '2 items'],
    ]);
    assert.deepEqual(t.children[1]!.children.map((c) => [c.result, c.value]), [[false, 'a@contoso.com'], [true, 'b@fabrikam.com']]);
  });

  it('traces the manager of a Direct Reports rule as a member, and says why', () => {
    const parsed = parseRule(DIRECT);
    assert.ok(parsed.expr);
    const manager = interpret(DIRECT, parsed.expr, { id: MANAGER, manager: { id: 'c0a70500-0000-4000-8000-000000000102' } }, OPTIONS);
    assert.equal(manager.result, true);
    assert.equal(manager.property, 'objectId');
    assert.match(manager.value!, new RegExp(`^${MANAGER} .*manager`));
    const report = interpret(DIRECT, parsed.expr, { id: 'c0a70500-0000-4000-8000-000000000103', manager: { id: MANAGER } }, OPTIONS);
    assert.deepEqual([report.result, report.property, report.value], [true, 'manager', MANAGER]);
  });
});
