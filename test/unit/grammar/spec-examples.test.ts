/**
 * The rules Microsoft's pages show (groups-dynamic-membership and its older versions, the
 * efficiency, validation and troubleshooting pages), grouped by what they say of them: valid (no
 * error), erroneous (the error we report), and the cases our decisions (docs/semantics.md) make a
 * warning although an old page listed them as failing. The § labels name the topic each example
 * illustrates (§1 lexical structure, §2 grammar, §3 properties and types, §4 evaluation, §5 errors
 * and limits, §8 contradictions between the pages); docs/semantics.md has the same topics by name.
 *
 * Placeholders the docs use in syntax templates ('value', 'groupId', {objectID_of_manager}) are
 * replaced by real-looking GUIDs: the template is valid, the placeholder text is not a GUID.
 */
import assert from 'node:assert/strict';
import { parseRule, printFullyParenthesized } from '../../../grammar/src/index';
import { applyEdits, check, problems } from './helpers';

const GROUP = 'c0a70500-0000-4000-8000-000000000201';
const EXO = 'efb87545-963c-4e0d-99df-69c6916d9eb0';
const BEFORE_MEMBER_OF_RETIREMENT = Date.parse('2026-11-02T00:00:00Z');

/** Presented as valid: must give no error (infos and, where noted, warnings are fine). */
const VALID: readonly [section: string, rule: string][] = [
  // §1.2 Whitespace: a missing space before an operator is accepted ([INFER], info), as in the issue's working rule.
  ['§1.2', '((user.department-eq "xxx") -or (user.department -eq "yyy"))'],
  ['§1.2 (DM-2017 example, accepted by the [INFER] decision)', '(user.department-eq"Sales")'],
  // §1.3 Operators: the EFF doc's bare `or` and lower-case -startswith; spellings the docs use.
  ['§1.3 EFF', 'user.city -eq "Lagos" or user.city -startswith "Lag"'],
  ['§1.3 DM -EndsWith', 'user.mail -EndsWith "@contoso.com"'],
  ['§1.3 DM-2018 -In', 'user.department -In ["Sales", "Marketing"]'],
  ['§1.3 EFF -notin', 'user.city -notin ["Lagos", "Abuja"]'],
  ['§1.3 EFF -notIn', 'user.city -notIn ["Lagos", "Abuja"]'],
  ['§1.3 -le', 'user.employeeHireDate -le 2020-06-10T18:13:20Z'],
  ['§1.3 -ge', 'user.employeeHireDate -ge 2020-06-10T18:13:20Z'],
  // §1.4 Identifiers: the casings the docs use resolve (with an info), and extension properties.
  ['§1.4 employeehiredate', 'user.employeehiredate -ge 2020-06-10T18:13:20Z'],
  ['§1.4 mailNickName', 'user.mailNickName -eq "megan"'],
  ['§1.4 mailNickname', 'user.mailNickname -eq "megan"'],
  ['§1.4 objectid', 'user.objectid -ne null'],
  ['§1.4 devicePhysicalIDs', 'device.devicePhysicalIDs -any (_ -startsWith "[ZTDId]")'],
  ['§1.4 extensionAttribute1', 'user.extensionAttribute1 -eq "value"'],
  ['§1.4 extensionAttribute15', 'user.extensionAttribute15 -eq "value"'],
  ['§1.4 device.extensionAttribute1..15', 'device.extensionAttribute15 -eq "value"'],
  ['§1.4 extension_<app id>_<name>', 'user.extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber -eq "123"'],
  // §1.5 Strings: the backtick form (a warning says the docs disagree on its quotes), single quotes.
  ['§1.5 backtick escape (DM, DM-2018)', 'user.department -eq `"Sales`"'],
  ['§1.5 backtick escape inside a string', 'user.department -eq "`"Sales`""'],
  ['§1.5 single-quoted scalar ([INFER])', "user.department -eq 'Sales'"],
  ['§1.5 doubled single quote', "user.department -eq 'Women''s Health'"],
  ['§1.5 quoted "null" is a string (a warning says so)', 'user.department -eq "null"'],
  // §1.6 Other literals.
  ['§1.6 booleans', 'user.accountEnabled -eq true'],
  ['§1.6 booleans', 'user.accountEnabled -eq false'],
  ['§1.6 null', 'user.department -eq null'],
  ['§1.6 $null', 'user.department -ne $null'],
  ['§1.6 array (DM)', 'user.employeeId -in ["50001","50002"]'],
  ['§1.6 array (MO)', `user.memberOf -any (group.objectId -in ['${GROUP}', 'c0a70500-0000-4000-8000-000000000202'])`],
  ['§1.6 unquoted date-time (DM)', 'user.employeehiredate -le 2020-06-10T18:13:20Z'],
  ['§1.6 quoted date-time (3P)', 'user.employeeHireDate -eq "2025-05-28T00:00:00Z"'],
  ['§1.6 system.now', 'user.employeeHireDate -ge system.now'],
  ['§1.6 duration p1d (DM)', 'user.employeehiredate -ge system.now -plus p1d'],
  ['§1.6 duration P7D (3P)', 'user.employeeHireDate -ge system.now -minus P7D'],
  ['§1.6 duration P30D (3P)', 'user.employeeHireDate -ge system.now -minus P30D'],
  ['§1.6 duration P7DT3H (3P)', 'user.employeeHireDate -le system.now -plus P7DT3H'],
  ['§1.6 duration P7DT12H (3P)', 'user.employeeHireDate -le system.now -plus P7DT12H'],
  ['§1.6 parenthesised system.now (3P)', 'user.employeeHireDate -ge (system.now -minus P30D)'],
  // §2.2 Precedence.
  ['§2.2 DM', '(user.department -eq "Sales") -and -not (user.jobTitle -startsWith "SDE")'],
  ['§2.2 DM, with hyphens', 'user.department -eq "Marketing" -and user.country -eq "US"'],
  ['§2.2 DM, fully parenthesised', '(user.department -eq "Marketing") -and (user.country -eq "US")'],
  // §2.4 Quantifiers.
  ['§2.4 DM, unparenthesised', 'device.devicePhysicalIDs -any _ -startsWith "[ZTDId]"'],
  ['§2.4 DM-2017, unparenthesised', 'user.assignedPlans -any assignedPlan.service -startsWith "SCO"'],
  ['§2.4 DM assignedPlans', `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${EXO}" -and assignedPlan.capabilityStatus -eq "Enabled")`],
  ['§2.4 DM proxyAddresses', '(user.proxyAddresses -any (_ -startsWith "contoso"))'],
  ['§2.4 DM otherMails ("works the same")', '(user.otherMails -any (_ -startsWith "contoso"))'],
  ['§2.4 DM devicePhysicalIds', 'device.devicePhysicalIds -any _ -eq "[OrderID]:179887111881"'],
  ['§2.4 DM memberof', `user.memberof -any (group.objectId -in ['${GROUP}'])`],
  ['§2.4 DM -all', 'user.assignedPlans -all (assignedPlan.servicePlanId -eq null)'],
  ['§2.4 systemLabels ([INFER])', 'device.systemLabels -any (_ -eq "M365Managed")'],
  // The issue's builder-made rule failed in the portal; the spec blames the builder, not the text.
  ['§2.2 / §5.1 issue #81987', '(device.devicePhysicalIDs -any _ -contains "[ZTDId]")'],
  // §2.5 memberOf.
  ['§2.5 MO user', `user.memberof -any (group.objectId -in ['${GROUP}'])`],
  ['§2.5 MO device', `device.memberof -any (group.objectId -in ['${GROUP}'])`],
  ['§2.5 MO several groups', `user.memberOf -any (group.objectId -in ['${GROUP}', 'c0a70500-0000-4000-8000-000000000202', 'c0a70500-0000-4000-8000-000000000203'])`],
  // §2.6 Direct reports.
  ['§2.6 DM', 'Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb"'],
  ['§2.6 any case ([INFER])', 'direct reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb"'],
  // §2.7 Dates.
  ['§2.7 DM', 'user.employeehiredate -ge system.now -plus p1d'],
  ['§2.7 DM', 'user.employeehiredate -le 2020-06-10T18:13:20Z'],
  // §3.2 String operators applied directly to collections.
  ['§3.2 DM', 'user.otherMails -startsWith "alias@domain"'],
  ['§3.2 DM (no space before the string)', 'user.otherMails -endsWith"@contoso.com"'],
  ['§3.2 DM', 'user.proxyAddresses -startsWith "SMTP: alias@domain"'],
  ['§3.2 DM', 'user.proxyAddresses -notEndsWith "@outlook.com"'],
  ['§3.2 DM', 'device.systemLabels -startsWith "M365Managed"'],
  // §3.3 / §3.5 Properties with documented values.
  ['§3.3 passwordPolicies', 'user.passwordPolicies -eq "DisablePasswordExpiration, DisableStrongPassword"'],
  ['§3.3 userType', 'user.userType -eq "Member"'],
  ['§3.3 preferredLanguage', 'user.preferredLanguage -eq "en-US"'],
  ['§3.5 deviceCategory', 'device.deviceCategory -eq "BYOD"'],
  ['§3.5 deviceManagementAppId (Intune)', 'device.deviceManagementAppId -eq "0000000a-0000-0000-c000-000000000000"'],
  ['§3.5 deviceManufacturer', 'device.deviceManufacturer -eq "Samsung"'],
  ['§3.5 deviceModel', 'device.deviceModel -eq "iPad Air"'],
  ['§3.5 deviceOSType', 'device.deviceOSType -in ["iPad", "iOS", "AndroidForWork", "Windows"]'],
  ['§3.5 deviceOSVersion', 'device.deviceOSVersion -startsWith "10.0.1"'],
  ['§3.5 deviceOwnership', 'device.deviceOwnership -eq "Company"'],
  ['§3.5 deviceTrustType', 'device.deviceTrustType -in ["AzureAD", "ServerAD", "Workplace"]'],
  ['§3.5 profileType', 'device.profileType -eq "RegisteredDevice"'],
  ['§3.5 all devices', 'device.objectId -ne null'],
  // §3.6 Special user rules.
  ['§3.6 all users', 'user.objectId -ne null'],
  ['§3.6 members only', '(user.objectId -ne null) -and (user.userType -eq "Member")'],
  // §4.3 -match.
  ['§4.3 EFF', 'user.city -match "ago"'],
  ['§4.3 DM', 'user.displayName -match "^Da.*"'],
  ['§4.3 DM', 'user.displayName -match ".*vid"'],
  ['§4.3 TS fix 1', '(user.userPrincipalName -match ".*@domain.ext")'],
  ['§4.3 TS fix 2', '(user.userPrincipalName -match "@domain.ext$")'],
  // §4.5 Null.
  ['§4.5 DM', 'user.department -eq null'],
  ['§4.5 issue #6123 (-ne null is documented now)', '(user.extensionAttribute1 -ne null)'],
  ['§4.5 issue #113292', '(user.extensionAttribute1 -ne $null)'],
  ['§4.5', 'user.department -ne "Sales"'],
  // §4.8 Guests.
  ['§4.8 DM', 'user.userType -eq "Member"'],
  // §6.5 Handy snippets.
  ['§6.5 Exchange Online (Plan 2)', `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${EXO}" -and assignedPlan.capabilityStatus -eq "Enabled")`],
  ['§6.5 any Intune plan', 'user.assignedPlans -any (assignedPlan.service -eq "SCO" -and assignedPlan.capabilityStatus -eq "Enabled")'],
  ['§6.5 Entra ID P1', 'user.assignedPlans -any (assignedPlan.servicePlanId -eq "41781fb2-bc02-4b7c-bd55-b576c07bb09d" -and assignedPlan.capabilityStatus -eq "Enabled")'],
  // §7.6 evaluateDynamicMembership example.
  ['§7.6', '(user.displayName -startsWith "EndTestUser")'],
];

/** Presented as erroneous (or outside the language): must give an error, with this code among them. */
const INVALID: readonly [section: string, rule: string, code: string][] = [
  // §1.3 The DM publishing artefacts: en dashes are errors, as the spec decides.
  ['§1.3 DM artefact', 'user.mail –ne null', 'syntax/typographic-dash'],
  ['§1.3 / §2.2 DM artefact', 'user.department –eq "Marketing" –and user.country –eq "US"', 'syntax/typographic-dash'],
  ['§1.3 DM-2017 erroneous rule', '(user.department –eq “Sales”)', 'syntax/typographic-quote'],
  ['§1.3 DM-2017 erroneous rule', '(user.department –eq “Sales”)', 'syntax/typographic-dash'],
  ['§1.3 -gt does not exist', 'user.employeeHireDate -gt 2020-06-10T18:13:20Z', 'syntax/unknown-operator'],
  ['§1.3 -lt does not exist', 'user.employeeHireDate -lt 2020-06-10T18:13:20Z', 'syntax/unknown-operator'],
  ['§1.3 -like does not exist', 'user.department -like "Sales*"', 'syntax/unknown-operator'],
  ['§1.3 -notLike does not exist', 'user.department -notLike "Sales*"', 'syntax/unknown-operator'],
  ['§1.3 -between does not exist', 'user.employeeHireDate -between 2020-06-10T18:13:20Z', 'syntax/unknown-operator'],
  ['§1.3 -isNull does not exist', 'user.department -isNull true', 'syntax/unknown-operator'],
  ['§1.3 -ceq does not exist', 'user.department -ceq "Sales"', 'syntax/unknown-operator'],
  // §1.4 The object prefix is required (DM-2017); OSVersion is an error in DM-2018.
  ['§1.4 DM-2017', 'mail –ne null', 'syntax/expected-condition'],
  ['§1.4 DM-2017, with a hyphen', 'mail -ne null', 'syntax/expected-condition'],
  ['§1.4 DM-2018', 'device.OSVersion -eq "9.1"', 'type/unknown-property'],
  // §2.4 / §2.5 memberOf.
  ['§2.4 issue entra-docs#102: -all with memberOf', `user.memberOf -all (group.objectId -in ['${GROUP}'])`, 'rule/member-of-form'],
  ['§2.5 MO: combined with another condition', `user.memberOf -any (group.objectId -in ['${GROUP}']) -and user.city -eq "Redmond"`, 'rule/member-of-combined'],
  ['§2.5 MO: no other operators', `-not user.memberOf -any (group.objectId -in ['${GROUP}'])`, 'rule/member-of-combined'],
  ['§2.5 issue #101645: only group.objectId -in', `user.memberOf -any (group.objectId -startsWith "c0a7")`, 'rule/member-of-form'],
  ['§2.5 at most 50 groups', `user.memberOf -any (group.objectId -in [${Array.from({ length: 51 }, (_, i) => `'c0a70500-0000-4000-8000-${String(300 + i).padStart(12, '0')}'`).join(', ')}])`, 'rule/member-of-too-many'],
  // §2.6 Direct reports.
  ['§2.6 DM: cannot be combined', 'Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb" -and user.department -eq "Sales"', 'rule/direct-reports-combined'],
  ['§2.6 DM template taken literally', 'Direct Reports for "{objectID_of_manager}"', 'type/invalid-guid'],
  // §2.7 Dates (3P).
  ['§2.7 chaining fails', 'user.employeeHireDate -ge system.now -minus P365D -minus P15D', 'type/now-chained'],
  ['§2.7 -eq with system.now fails', 'user.employeeHireDate -eq system.now -plus P1D', 'type/now-with-eq'],
  // §2.8 Users or devices, never both.
  ['§2.8 DM', 'user.department -eq "Sales" -and device.deviceOSType -eq "Windows"', 'rule/mixed-objects'],
  // §3.2 Operators per type.
  ['§3.2 -le/-ge only on employeeHireDate', 'user.department -ge "M"', 'type/date-operator'],
  ['§3.2 -any on a single value', 'user.department -any (_ -eq "Sales")', 'rule/quantifier-on-scalar'],
  ['§3.2 -all on a single value (issue #16182)', 'user.accountEnabled -all (_ -eq true)', 'rule/quantifier-on-scalar'],
  ['§3.2 assignedPlans only with -any/-all', `user.assignedPlans -eq "${EXO}"`, 'rule/quantifier-required'],
  // §3.3 / §3.5 Properties that are not supported.
  ['§3.3 not documented: employeeType', 'user.employeeType -eq "Employee"', 'type/unsupported-property'],
  ['§3.3 not documented: onPremisesSamAccountName', 'user.onPremisesSamAccountName -eq "megan"', 'type/unsupported-property'],
  ['§3.3 not documented: manager', 'user.manager -eq "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb"', 'type/unsupported-property'],
  ['§3.3 not documented: createdDateTime', 'user.createdDateTime -ge 2020-06-10T18:13:20Z', 'type/unsupported-property'],
  ['§3.3 not documented: signInActivity', 'user.signInActivity -eq null', 'type/unsupported-property'],
  ['§3.3 not documented: ageGroup', 'user.ageGroup -eq "Adult"', 'type/unsupported-property'],
  ['§3.3 no SKU property: assignedLicenses', 'user.assignedLicenses -eq null', 'type/unsupported-property'],
  ['§3.3 no SKU property: licenseAssignmentStates', 'user.licenseAssignmentStates -eq null', 'type/unsupported-property'],
  ['§3.5 removed: isManaged', 'device.isManaged -eq true', 'type/unsupported-property'],
  ['§3.5 removed: isCompliant', 'device.isCompliant -eq true', 'type/unsupported-property'],
  ['§3.5 removed: isDirSynced', 'device.isDirSynced -eq true', 'type/unsupported-property'],
  ['§3.5 removed: domainName', 'device.domainName -eq "contoso.com"', 'type/unsupported-property'],
  // §4.5 Null.
  ['§4.5 DM: -not with null', '-not (user.department -eq null)', 'type/not-with-null'],
  ['§4.5 DM: -not with $null', '-not (user.department -eq $null)', 'type/not-with-null'],
  ['§4.5 DM: only -eq/-ne with null', 'user.department -startsWith null', 'type/null-operator'],
  // §4.6 true compared with a string property ([INFER]: an error).
  ['§4.6', 'user.department -eq true', 'type/value-type'],
  // §5.1 The error table.
  ['§5.1 Attribute not supported', '(user.invalidProperty -eq "Value")', 'type/unknown-property'],
  ["§5.1 Operator isn't supported on attribute", '(user.accountEnabled -contains true)', 'type/operator-not-allowed'],
  ['§5.1 Query compilation error (missing connective)', '(user.department -eq "Sales") (user.department -eq "Marketing")', 'syntax/missing-connective'],
  ['§5.1 Query compilation error (bad regex)', '(user.userPrincipalName -match "*@domain.ext")', 'regex/invalid'],
  ['§5.1 Binary expression is not in right format', '(user.department –eq “Sales”) (user.department -eq "Sales")(user.department-eq"Sales")', 'syntax/missing-connective'],
  ['§5.1 Binary expression is not in right format', '(user.department –eq “Sales”) (user.department -eq "Sales")(user.department-eq"Sales")', 'syntax/typographic-dash'],
  ['§5.1 / §5.2 rule over 3,072 characters', `user.department -in [${Array.from({ length: 200 }, (_, i) => `"Department ${i}"`).join(', ')}]`, 'rule/too-long'],
];

/**
 * Old docs listed these as failing, but our decisions make them warnings (the rule runs):
 * docs/semantics.md wins over an old page. Each must give this warning.
 */
const WARNINGS: readonly [section: string, rule: string, code: string][] = [
  ['§4.6 / §5.1 DM-2017 "Unknown error": the quoted boolean', '(user.accountEnabled -eq "True" AND user.userPrincipalName -contains "alias@domain")', 'type/quoted-boolean'],
  ['§4.6 a number for a string property', 'user.employeeId -eq 123', 'type/number-for-string'],
  ['§8.4 the newest DM edit quotes null', 'user.employeeId -ne "null"', 'type/quoted-null'],
  ['§3.5 organizationalUnit matches no devices', 'device.organizationalUnit -eq "Kiosks"', 'type/unsupported-property'],
  ['§1.6 Y/M durations are calendar-dependent', 'user.employeeHireDate -ge system.now -minus P1Y', 'type/duration-calendar'],
  ['§3.2 -ne on the date is undocumented', 'user.employeeHireDate -ne 2020-06-10T18:13:20Z', 'type/operator-undocumented'],
  ['§2.2 an unparenthesised condition followed by -and', 'device.devicePhysicalIDs -any _ -startsWith "[ZTDId]" -and device.accountEnabled -eq true', 'rule/ambiguous-quantifier'],
  ['§4.3 .NET-only regex', 'user.displayName -match "(?>Da)vid"', 'regex/dotnet-only'],
];

describe('examples from Microsoft\'s pages', () => {
  describe('presented as valid: no error', () => {
    for (const [section, rule] of VALID) {
      it(`${section}: ${rule.length > 90 ? `${rule.slice(0, 87)}...` : rule}`, () => {
        // As the pages presented them: before memberOf's retirement (§10), which makes the
        // memberOf examples errors since (checks.test.ts covers that).
        const errors = check(rule, { now: BEFORE_MEMBER_OF_RETIREMENT }).filter((i) => i.severity === 'error').map((i) => `${i.code}: ${i.message}`);
        assert.deepEqual(errors, []);
      });
    }
  });

  describe('presented as erroneous: an error with the expected code', () => {
    for (const [section, rule, code] of INVALID) {
      it(`${section}: ${code}`, () => {
        const issues = check(rule);
        assert.ok(issues.some((i) => i.code === code && i.severity === 'error'), `got ${issues.map((i) => `${i.code} (${i.severity})`).join(', ')}`);
      });
    }
  });

  describe('decided as warnings by the [INFER] rules', () => {
    for (const [section, rule, code] of WARNINGS) {
      it(`${section}: ${code}`, () => {
        const issues = problems(check(rule));
        assert.ok(issues.some((i) => i.code === code && i.severity === 'warning'), `got ${issues.map((i) => `${i.code} (${i.severity})`).join(', ')}`);
        assert.ok(!issues.some((i) => i.severity === 'error'), 'no error');
      });
    }
  });

  it('§2.2: the DM precedence example equals its fully parenthesised form', () => {
    const a = parseRule('user.department -eq "Marketing" -and user.country -eq "US"');
    const b = parseRule('(user.department -eq "Marketing") -and (user.country -eq "US")');
    assert.ok(a.expr && b.expr);
    assert.equal(printFullyParenthesized(a.expr), printFullyParenthesized(b.expr));
  });

  it('§5.1 "Invalid object type": a user rule on a dynamic device group', () => {
    const codes = (rule: string): string[] => check(rule, { expectedObject: 'device' }).filter((i) => i.severity === 'error').map((i) => i.code);
    assert.deepEqual(codes('(user.accountEnabled -eq true)'), ['rule/wrong-object-type']);
    assert.deepEqual(codes('Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb"'), ['rule/wrong-object-type']);
    assert.deepEqual(codes('(device.accountEnabled -eq true)'), []);
  });

  it('§2.2: -not binds looser than a comparison', () => {
    const a = parseRule('-not user.department -eq "Sales"');
    assert.ok(a.expr);
    assert.equal(printFullyParenthesized(a.expr), '(-not (user.department -eq "Sales"))');
  });

  it('§1.3: the DM en-dash artefact is fixed by its quick fixes into the documented rule', () => {
    const text = 'user.department –eq "Marketing" –and user.country –eq "US"';
    const edits = check(text).filter((i) => i.code === 'syntax/typographic-dash').flatMap((i) => i.fixes![0]!.edits);
    const fixed = applyEdits(text, edits);
    assert.equal(fixed, 'user.department -eq "Marketing" -and user.country -eq "US"');
    assert.deepEqual(problems(check(fixed)), []);
  });
});
