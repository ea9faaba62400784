/**
 * The rules Microsoft's pages show (groups-dynamic-membership and its older versions, the
 * efficiency, validation and troubleshooting pages), grouped by what they say of them: valid (no
 * error), erroneous (the error we report), and the cases our decisions (docs/semantics.md) make a
 * warning although an old page listed them as failing. Each label starts with the topic the
 * example illustrates, as docs/semantics.md names it (Whitespace, Operators, Strings, Precedence,
 * Quantifiers, Null, Operators per type, -match, Rule length, …), then the page it comes from:
 * DM groups-dynamic-membership (DM-2017, DM-2018: its versions of those years), MO
 * groups-dynamic-rule-member-of, EFF groups-dynamic-rule-more-efficient, TS groups-troubleshooting
 * (its error texts), 3P reports from testing against tenants; "our choice" marks what
 * docs/semantics.md decides where the pages are silent.
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
  // Whitespace: a missing space before an operator is accepted (our choice, info), as in the issue's working rule.
  ['Whitespace', '((user.department-eq "xxx") -or (user.department -eq "yyy"))'],
  ['Whitespace (DM-2017 example, accepted by our choice)', '(user.department-eq"Sales")'],
  // Operators: the EFF page's bare `or` and lower-case -startswith; spellings the docs use.
  ['Operators EFF', 'user.city -eq "Lagos" or user.city -startswith "Lag"'],
  ['Operators DM -EndsWith', 'user.mail -EndsWith "@contoso.com"'],
  ['Operators DM-2018 -In', 'user.department -In ["Sales", "Marketing"]'],
  ['Operators EFF -notin', 'user.city -notin ["Lagos", "Abuja"]'],
  ['Operators EFF -notIn', 'user.city -notIn ["Lagos", "Abuja"]'],
  ['Operators -le', 'user.employeeHireDate -le 2020-06-10T18:13:20Z'],
  ['Operators -ge', 'user.employeeHireDate -ge 2020-06-10T18:13:20Z'],
  // Property names: the casings the docs use resolve (with an info), and extension properties.
  ['Property names employeehiredate', 'user.employeehiredate -ge 2020-06-10T18:13:20Z'],
  ['Property names mailNickName', 'user.mailNickName -eq "megan"'],
  ['Property names mailNickname', 'user.mailNickname -eq "megan"'],
  ['Property names objectid', 'user.objectid -ne null'],
  ['Property names devicePhysicalIDs', 'device.devicePhysicalIDs -any (_ -startsWith "[ZTDId]")'],
  ['Property names extensionAttribute1', 'user.extensionAttribute1 -eq "value"'],
  ['Property names extensionAttribute15', 'user.extensionAttribute15 -eq "value"'],
  ['Property names device.extensionAttribute1..15', 'device.extensionAttribute15 -eq "value"'],
  ['Property names extension_<app id>_<name>', 'user.extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber -eq "123"'],
  // Strings: the backtick form (a warning says the docs disagree on its quotes), single quotes.
  ['Strings backtick escape (DM, DM-2018)', 'user.department -eq `"Sales`"'],
  ['Strings backtick escape inside a string', 'user.department -eq "`"Sales`""'],
  ['Strings single-quoted scalar (our choice)', "user.department -eq 'Sales'"],
  ['Strings doubled single quote', "user.department -eq 'Women''s Health'"],
  ['Strings quoted "null" is a string (a warning says so)', 'user.department -eq "null"'],
  // Values without quotes, and null.
  ['Values without quotes booleans', 'user.accountEnabled -eq true'],
  ['Values without quotes booleans', 'user.accountEnabled -eq false'],
  ['Values without quotes null', 'user.department -eq null'],
  ['Values without quotes $null', 'user.department -ne $null'],
  ['Values without quotes array (DM)', 'user.employeeId -in ["50001","50002"]'],
  ['Values without quotes array (MO)', `user.memberOf -any (group.objectId -in ['${GROUP}', 'c0a70500-0000-4000-8000-000000000202'])`],
  ['Values without quotes unquoted date-time (DM)', 'user.employeehiredate -le 2020-06-10T18:13:20Z'],
  ['Values without quotes quoted date-time (3P)', 'user.employeeHireDate -eq "2025-05-28T00:00:00Z"'],
  ['Values without quotes system.now', 'user.employeeHireDate -ge system.now'],
  ['Values without quotes duration p1d (DM)', 'user.employeehiredate -ge system.now -plus p1d'],
  ['Values without quotes duration P7D (3P)', 'user.employeeHireDate -ge system.now -minus P7D'],
  ['Values without quotes duration P30D (3P)', 'user.employeeHireDate -ge system.now -minus P30D'],
  ['Values without quotes duration P7DT3H (3P)', 'user.employeeHireDate -le system.now -plus P7DT3H'],
  ['Values without quotes duration P7DT12H (3P)', 'user.employeeHireDate -le system.now -plus P7DT12H'],
  ['Values without quotes parenthesised system.now (3P)', 'user.employeeHireDate -ge (system.now -minus P30D)'],
  // Precedence.
  ['Precedence DM', '(user.department -eq "Sales") -and -not (user.jobTitle -startsWith "SDE")'],
  ['Precedence DM, with hyphens', 'user.department -eq "Marketing" -and user.country -eq "US"'],
  ['Precedence DM, fully parenthesised', '(user.department -eq "Marketing") -and (user.country -eq "US")'],
  // Quantifiers.
  ['Quantifiers DM, unparenthesised', 'device.devicePhysicalIDs -any _ -startsWith "[ZTDId]"'],
  ['Quantifiers DM-2017, unparenthesised', 'user.assignedPlans -any assignedPlan.service -startsWith "SCO"'],
  ['Quantifiers DM assignedPlans', `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${EXO}" -and assignedPlan.capabilityStatus -eq "Enabled")`],
  ['Quantifiers DM proxyAddresses', '(user.proxyAddresses -any (_ -startsWith "contoso"))'],
  ['Quantifiers DM otherMails ("works the same")', '(user.otherMails -any (_ -startsWith "contoso"))'],
  ['Quantifiers DM devicePhysicalIds', 'device.devicePhysicalIds -any _ -eq "[OrderID]:179887111881"'],
  ['Quantifiers DM memberof', `user.memberof -any (group.objectId -in ['${GROUP}'])`],
  ['Quantifiers DM -all', 'user.assignedPlans -all (assignedPlan.servicePlanId -eq null)'],
  ['Quantifiers systemLabels (our choice)', 'device.systemLabels -any (_ -eq "M365Managed")'],
  // The issue's builder-made rule failed in the portal; docs/semantics.md blames the builder, not the text.
  ['Precedence / TS error texts issue #81987', '(device.devicePhysicalIDs -any _ -contains "[ZTDId]")'],
  // memberOf rules.
  ['memberOf rules MO user', `user.memberof -any (group.objectId -in ['${GROUP}'])`],
  ['memberOf rules MO device', `device.memberof -any (group.objectId -in ['${GROUP}'])`],
  ['memberOf rules MO several groups', `user.memberOf -any (group.objectId -in ['${GROUP}', 'c0a70500-0000-4000-8000-000000000202', 'c0a70500-0000-4000-8000-000000000203'])`],
  // Direct Reports.
  ['Direct Reports DM', 'Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb"'],
  ['Direct Reports any case (our choice)', 'direct reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb"'],
  // Date arithmetic.
  ['Date arithmetic DM', 'user.employeehiredate -ge system.now -plus p1d'],
  ['Date arithmetic DM', 'user.employeehiredate -le 2020-06-10T18:13:20Z'],
  // Operators per type: string operators applied directly to collections.
  ['Operators per type DM', 'user.otherMails -startsWith "alias@domain"'],
  ['Operators per type DM (no space before the string)', 'user.otherMails -endsWith"@contoso.com"'],
  ['Operators per type DM', 'user.proxyAddresses -startsWith "SMTP: alias@domain"'],
  ['Operators per type DM', 'user.proxyAddresses -notEndsWith "@outlook.com"'],
  ['Operators per type DM', 'device.systemLabels -startsWith "M365Managed"'],
  // User properties / Device properties with documented values.
  ['User properties passwordPolicies', 'user.passwordPolicies -eq "DisablePasswordExpiration, DisableStrongPassword"'],
  ['User properties userType', 'user.userType -eq "Member"'],
  ['User properties preferredLanguage', 'user.preferredLanguage -eq "en-US"'],
  ['Device properties deviceCategory', 'device.deviceCategory -eq "BYOD"'],
  ['Device properties deviceManagementAppId (Intune)', 'device.deviceManagementAppId -eq "0000000a-0000-0000-c000-000000000000"'],
  ['Device properties deviceManufacturer', 'device.deviceManufacturer -eq "Samsung"'],
  ['Device properties deviceModel', 'device.deviceModel -eq "iPad Air"'],
  ['Device properties deviceOSType', 'device.deviceOSType -in ["iPad", "iOS", "AndroidForWork", "Windows"]'],
  ['Device properties deviceOSVersion', 'device.deviceOSVersion -startsWith "10.0.1"'],
  ['Device properties deviceOwnership', 'device.deviceOwnership -eq "Company"'],
  ['Device properties deviceTrustType', 'device.deviceTrustType -in ["AzureAD", "ServerAD", "Workplace"]'],
  ['Device properties profileType', 'device.profileType -eq "RegisteredDevice"'],
  ['Device properties all devices', 'device.objectId -ne null'],
  // User properties: rules for all users, members only.
  ['User properties all users', 'user.objectId -ne null'],
  ['User properties members only', '(user.objectId -ne null) -and (user.userType -eq "Member")'],
  // -match.
  ['-match EFF', 'user.city -match "ago"'],
  ['-match DM', 'user.displayName -match "^Da.*"'],
  ['-match DM', 'user.displayName -match ".*vid"'],
  ['-match TS fix 1', '(user.userPrincipalName -match ".*@domain.ext")'],
  ['-match TS fix 2', '(user.userPrincipalName -match "@domain.ext$")'],
  // Null.
  ['Null DM', 'user.department -eq null'],
  ['Null issue #6123 (-ne null is documented now)', '(user.extensionAttribute1 -ne null)'],
  ['Null issue #113292', '(user.extensionAttribute1 -ne $null)'],
  ['Null', 'user.department -ne "Sales"'],
  // Guests and disabled users.
  ['Guests DM', 'user.userType -eq "Member"'],
  // Quantifiers over assignedPlans: rules for a service plan.
  ['Quantifiers, service plans: Exchange Online (Plan 2)', `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${EXO}" -and assignedPlan.capabilityStatus -eq "Enabled")`],
  ['Quantifiers, service plans: any Intune plan', 'user.assignedPlans -any (assignedPlan.service -eq "SCO" -and assignedPlan.capabilityStatus -eq "Enabled")'],
  ['Quantifiers, service plans: Entra ID P1', 'user.assignedPlans -any (assignedPlan.servicePlanId -eq "41781fb2-bc02-4b7c-bd55-b576c07bb09d" -and assignedPlan.capabilityStatus -eq "Enabled")'],
  // The Graph evaluateDynamicMembership example.
  ['Graph evaluateDynamicMembership', '(user.displayName -startsWith "EndTestUser")'],
];

/** Presented as erroneous (or outside the language): must give an error, with this code among them. */
const INVALID: readonly [section: string, rule: string, code: string][] = [
  // Operators: the DM publishing artefacts: en dashes are errors (docs/semantics.md, Lexical structure).
  ['Operators DM artefact', 'user.mail –ne null', 'syntax/typographic-dash'],
  ['Operators / Precedence DM artefact', 'user.department –eq "Marketing" –and user.country –eq "US"', 'syntax/typographic-dash'],
  ['Operators DM-2017 erroneous rule', '(user.department –eq “Sales”)', 'syntax/typographic-quote'],
  ['Operators DM-2017 erroneous rule', '(user.department –eq “Sales”)', 'syntax/typographic-dash'],
  ['Operators -gt does not exist', 'user.employeeHireDate -gt 2020-06-10T18:13:20Z', 'syntax/unknown-operator'],
  ['Operators -lt does not exist', 'user.employeeHireDate -lt 2020-06-10T18:13:20Z', 'syntax/unknown-operator'],
  ['Operators -like does not exist', 'user.department -like "Sales*"', 'syntax/unknown-operator'],
  ['Operators -notLike does not exist', 'user.department -notLike "Sales*"', 'syntax/unknown-operator'],
  ['Operators -between does not exist', 'user.employeeHireDate -between 2020-06-10T18:13:20Z', 'syntax/unknown-operator'],
  ['Operators -isNull does not exist', 'user.department -isNull true', 'syntax/unknown-operator'],
  ['Operators -ceq does not exist', 'user.department -ceq "Sales"', 'syntax/unknown-operator'],
  // Property names: the object prefix is required (DM-2017); OSVersion is an error in DM-2018.
  ['Property names DM-2017', 'mail –ne null', 'syntax/expected-condition'],
  ['Property names DM-2017, with a hyphen', 'mail -ne null', 'syntax/expected-condition'],
  ['Property names DM-2018', 'device.OSVersion -eq "9.1"', 'type/unknown-property'],
  // Quantifiers / memberOf rules.
  ['Quantifiers issue entra-docs#102: -all with memberOf', `user.memberOf -all (group.objectId -in ['${GROUP}'])`, 'rule/member-of-form'],
  ['memberOf rules MO: combined with another condition', `user.memberOf -any (group.objectId -in ['${GROUP}']) -and user.city -eq "Redmond"`, 'rule/member-of-combined'],
  ['memberOf rules MO: no other operators', `-not user.memberOf -any (group.objectId -in ['${GROUP}'])`, 'rule/member-of-combined'],
  ['memberOf rules issue #101645: only group.objectId -in', `user.memberOf -any (group.objectId -startsWith "c0a7")`, 'rule/member-of-form'],
  ['memberOf rules at most 50 groups', `user.memberOf -any (group.objectId -in [${Array.from({ length: 51 }, (_, i) => `'c0a70500-0000-4000-8000-${String(300 + i).padStart(12, '0')}'`).join(', ')}])`, 'rule/member-of-too-many'],
  // Direct Reports.
  ['Direct Reports DM: cannot be combined', 'Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb" -and user.department -eq "Sales"', 'rule/direct-reports-combined'],
  ['Direct Reports DM template taken literally', 'Direct Reports for "{objectID_of_manager}"', 'type/invalid-guid'],
  // Date arithmetic (3P).
  ['Date arithmetic chaining fails', 'user.employeeHireDate -ge system.now -minus P365D -minus P15D', 'type/now-chained'],
  ['Date arithmetic -eq with system.now fails', 'user.employeeHireDate -eq system.now -plus P1D', 'type/now-with-eq'],
  // One object per rule: users or devices, never both.
  ['One object per rule DM', 'user.department -eq "Sales" -and device.deviceOSType -eq "Windows"', 'rule/mixed-objects'],
  // Operators per type.
  ['Operators per type -le/-ge only on employeeHireDate', 'user.department -ge "M"', 'type/date-operator'],
  ['Operators per type -any on a single value', 'user.department -any (_ -eq "Sales")', 'rule/quantifier-on-scalar'],
  ['Operators per type -all on a single value (issue #16182)', 'user.accountEnabled -all (_ -eq true)', 'rule/quantifier-on-scalar'],
  ['Operators per type assignedPlans only with -any/-all', `user.assignedPlans -eq "${EXO}"`, 'rule/quantifier-required'],
  // User properties / Device properties that are not supported.
  ['User properties not documented: employeeType', 'user.employeeType -eq "Employee"', 'type/unsupported-property'],
  ['User properties not documented: onPremisesSamAccountName', 'user.onPremisesSamAccountName -eq "megan"', 'type/unsupported-property'],
  ['User properties not documented: manager', 'user.manager -eq "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb"', 'type/unsupported-property'],
  ['User properties not documented: createdDateTime', 'user.createdDateTime -ge 2020-06-10T18:13:20Z', 'type/unsupported-property'],
  ['User properties not documented: signInActivity', 'user.signInActivity -eq null', 'type/unsupported-property'],
  ['User properties not documented: ageGroup', 'user.ageGroup -eq "Adult"', 'type/unsupported-property'],
  ['User properties no SKU property: assignedLicenses', 'user.assignedLicenses -eq null', 'type/unsupported-property'],
  ['User properties no SKU property: licenseAssignmentStates', 'user.licenseAssignmentStates -eq null', 'type/unsupported-property'],
  ['Device properties removed: isManaged', 'device.isManaged -eq true', 'type/unsupported-property'],
  ['Device properties removed: isCompliant', 'device.isCompliant -eq true', 'type/unsupported-property'],
  ['Device properties removed: isDirSynced', 'device.isDirSynced -eq true', 'type/unsupported-property'],
  ['Device properties removed: domainName', 'device.domainName -eq "contoso.com"', 'type/unsupported-property'],
  // Null.
  ['Null DM: -not with null', '-not (user.department -eq null)', 'type/not-with-null'],
  ['Null DM: -not with $null', '-not (user.department -eq $null)', 'type/not-with-null'],
  ['Null DM: only -eq/-ne with null', 'user.department -startsWith null', 'type/null-operator'],
  // Value types: true compared with a string property (our choice: an error).
  ['Value types', 'user.department -eq true', 'type/value-type'],
  // TS error texts: the troubleshooting page's table of errors.
  ['TS error texts Attribute not supported', '(user.invalidProperty -eq "Value")', 'type/unknown-property'],
  ["TS error texts Operator isn't supported on attribute", '(user.accountEnabled -contains true)', 'type/operator-not-allowed'],
  ['TS error texts Query compilation error (missing connective)', '(user.department -eq "Sales") (user.department -eq "Marketing")', 'syntax/missing-connective'],
  ['TS error texts Query compilation error (bad regex)', '(user.userPrincipalName -match "*@domain.ext")', 'regex/invalid'],
  ['TS error texts Binary expression is not in right format', '(user.department –eq “Sales”) (user.department -eq "Sales")(user.department-eq"Sales")', 'syntax/missing-connective'],
  ['TS error texts Binary expression is not in right format', '(user.department –eq “Sales”) (user.department -eq "Sales")(user.department-eq"Sales")', 'syntax/typographic-dash'],
  ['TS error texts / Rule length rule over 3,072 characters', `user.department -in [${Array.from({ length: 200 }, (_, i) => `"Department ${i}"`).join(', ')}]`, 'rule/too-long'],
];

/**
 * Old docs listed these as failing, but our decisions make them warnings (the rule runs):
 * docs/semantics.md wins over an old page. Each must give this warning.
 */
const WARNINGS: readonly [section: string, rule: string, code: string][] = [
  ['Value types / TS error texts DM-2017 "Unknown error": the quoted boolean', '(user.accountEnabled -eq "True" AND user.userPrincipalName -contains "alias@domain")', 'type/quoted-boolean'],
  ['Value types a number for a string property', 'user.employeeId -eq 123', 'type/number-for-string'],
  ['Null the newest DM edit quotes null', 'user.employeeId -ne "null"', 'type/quoted-null'],
  ['Device properties organizationalUnit matches no devices', 'device.organizationalUnit -eq "Kiosks"', 'type/unsupported-property'],
  ['Values without quotes Y/M durations are calendar-dependent', 'user.employeeHireDate -ge system.now -minus P1Y', 'type/duration-calendar'],
  ['Operators per type -ne on the date is undocumented', 'user.employeeHireDate -ne 2020-06-10T18:13:20Z', 'type/operator-undocumented'],
  ['Precedence an unparenthesised condition followed by -and', 'device.devicePhysicalIDs -any _ -startsWith "[ZTDId]" -and device.accountEnabled -eq true', 'rule/ambiguous-quantifier'],
  ['-match .NET-only regex', 'user.displayName -match "(?>Da)vid"', 'regex/dotnet-only'],
];

describe('examples from Microsoft\'s pages', () => {
  describe('presented as valid: no error', () => {
    for (const [section, rule] of VALID) {
      it(`${section}: ${rule.length > 90 ? `${rule.slice(0, 87)}...` : rule}`, () => {
        // As the pages presented them: before memberOf's retirement (memberOf retirement), which makes the
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

  describe('decided as warnings by our choices (docs/semantics.md)', () => {
    for (const [section, rule, code] of WARNINGS) {
      it(`${section}: ${code}`, () => {
        const issues = problems(check(rule));
        assert.ok(issues.some((i) => i.code === code && i.severity === 'warning'), `got ${issues.map((i) => `${i.code} (${i.severity})`).join(', ')}`);
        assert.ok(!issues.some((i) => i.severity === 'error'), 'no error');
      });
    }
  });

  it('Precedence: the DM precedence example equals its fully parenthesised form', () => {
    const a = parseRule('user.department -eq "Marketing" -and user.country -eq "US"');
    const b = parseRule('(user.department -eq "Marketing") -and (user.country -eq "US")');
    assert.ok(a.expr && b.expr);
    assert.equal(printFullyParenthesized(a.expr), printFullyParenthesized(b.expr));
  });

  it('TS error texts: "Invalid object type": a user rule on a dynamic device group', () => {
    const codes = (rule: string): string[] => check(rule, { expectedObject: 'device' }).filter((i) => i.severity === 'error').map((i) => i.code);
    assert.deepEqual(codes('(user.accountEnabled -eq true)'), ['rule/wrong-object-type']);
    assert.deepEqual(codes('Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb"'), ['rule/wrong-object-type']);
    assert.deepEqual(codes('(device.accountEnabled -eq true)'), []);
  });

  it('Precedence: -not binds looser than a comparison', () => {
    const a = parseRule('-not user.department -eq "Sales"');
    assert.ok(a.expr);
    assert.equal(printFullyParenthesized(a.expr), '(-not (user.department -eq "Sales"))');
  });

  it('Operators: the DM en-dash artefact is fixed by its quick fixes into the documented rule', () => {
    const text = 'user.department –eq "Marketing" –and user.country –eq "US"';
    const edits = check(text).filter((i) => i.code === 'syntax/typographic-dash').flatMap((i) => i.fixes![0]!.edits);
    const fixed = applyEdits(text, edits);
    assert.equal(fixed, 'user.department -eq "Marketing" -and user.country -eq "US"');
    assert.deepEqual(problems(check(fixed)), []);
  });
});
