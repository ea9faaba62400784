/**
 * Every issue code the core reports: the code, its severity, its exact span, and — where the issue
 * offers quick fixes — the text after applying each fix (and that the fix clears the issue).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIMITS, MEMBER_OF_RETIRED_AT, type Issue, type RuleObject, type TenantFacts } from '../../../grammar/src/index';
import { applyFix, check, covered, ROOT } from './helpers';

interface Row {
  readonly code: string;
  readonly text: string;
  readonly severity: 'error' | 'warning' | 'info';
  /** The exact span of the issue, and the text it covers. */
  readonly span: readonly [number, number, string];
  /** The text after applying each fix, in the order the issue offers them. */
  readonly fixes?: readonly string[];
  /** Other codes the rule is expected to produce (consequences of the same mistake). */
  readonly also?: readonly string[];
  readonly expectedObject?: RuleObject;
  /** The time the checks stand at (memberOf rules are checked before their retirement unless said). */
  readonly now?: number;
  /** The tenant the rule is checked against (the checks of what it names). */
  readonly tenant?: TenantFacts;
}

const IDS_51 = Array.from({ length: 51 }, (_, i) => `"c0a70500-0000-4000-8000-${String(201 + i).padStart(12, '0')}"`).join(', ');
const STORES = Array.from({ length: 120 }, (_, i) => `"Contoso Retail Store ${String(i + 1).padStart(4, '0')}"`).join(', ');
const LONG = `user.companyName -in [${STORES}]`;
const CODE = /'((?:syntax|type|rule|style|perf|logic|regex|directive|internal)\/[a-z-]+)'/g;
const MANAGER = 'c0a70500-0000-4000-8000-000000000101';
/** Just before and at memberOf's retirement (3 November 2026, UTC). */
const BEFORE_RETIREMENT = Date.parse('2026-11-02T23:59:59.999Z');
const RETIREMENT = Date.parse('2026-11-03T00:00:00Z');
const GROUP = 'c0a70500-0000-4000-8000-000000000201';
/** A tenant with one user (the manager), one group and an E3 subscription. */
const TENANT: TenantFacts = {
  name: 'fabrikam',
  groups: () => [{ id: GROUP, displayName: 'Sales Team' }],
  administrativeUnits: () => [{ id: 'c0a70500-0000-4000-8000-000000000401', displayName: 'AU - Lagos Office' }],
  hasUser: (id) => id.toLowerCase() === MANAGER,
  skus: () => [{ skuId: '05e9a617-0261-4cee-bb44-138d3ef5d965', skuPartNumber: 'SPE_E3' }],
};

const ROWS: readonly Row[] = [
  // --- syntax/ ---------------------------------------------------------------------------------
  { code: 'syntax/backslash-escape', text: 'user.companyName -eq "Contoso \\"Labs\\""', severity: 'warning', span: [21, 39, '"Contoso \\"Labs\\""'],
    fixes: ['user.companyName -eq "Contoso `"Labs`""'], also: ['syntax/unexpected-token', 'syntax/unexpected-character'] },
  { code: 'syntax/backtick-quoted', text: 'user.department -eq `"Sales`"', severity: 'warning', span: [20, 29, '`"Sales`"'],
    fixes: ['user.department -eq "`"Sales`""', 'user.department -eq "Sales"'] },
  { code: 'syntax/expected-condition', text: 'user.department -eq "Sales" -and', severity: 'error', span: [28, 32, '-and'] },
  { code: 'syntax/expected-token', text: `Direct Reports "${MANAGER}"`, severity: 'error', span: [15, 53, `"${MANAGER}"`] },
  { code: 'syntax/missing-connective', text: '(user.department -eq "Sales") (user.department -eq "Marketing")', severity: 'error', span: [30, 30, ''],
    fixes: ['(user.department -eq "Sales") -and (user.department -eq "Marketing")', '(user.department -eq "Sales") -or (user.department -eq "Marketing")'] },
  { code: 'syntax/missing-duration', text: 'user.employeeHireDate -ge system.now -minus', severity: 'error', span: [37, 43, '-minus'] },
  { code: 'syntax/missing-operator', text: 'user.department "Sales"', severity: 'error', span: [16, 23, '"Sales"'] },
  { code: 'syntax/missing-value', text: 'user.department -eq', severity: 'error', span: [16, 19, '-eq'] },
  { code: 'syntax/too-deep', text: `${'('.repeat(101)}user.department -eq "Sales"${')'.repeat(101)}`, severity: 'error', span: [100, 101, '('] },
  { code: 'syntax/typographic-dash', text: 'user.department –eq "Sales"', severity: 'error', span: [16, 17, '–'], fixes: ['user.department -eq "Sales"'] },
  { code: 'syntax/typographic-quote', text: 'user.department -eq “Sales”', severity: 'error', span: [20, 27, '“Sales”'], fixes: ['user.department -eq "Sales"'] },
  { code: 'syntax/missing-comma', text: 'user.department -in ["Sales" "Marketing"]', severity: 'error', span: [29, 40, '"Marketing"'], fixes: ['user.department -in ["Sales", "Marketing"]'] },
  { code: 'syntax/unclosed-bracket', text: 'user.department -in ["Sales", "Marketing"', severity: 'error', span: [30, 41, '"Marketing"'],
    fixes: ['user.department -in ["Sales", "Marketing"]'] },
  { code: 'syntax/unclosed-paren', text: '(user.department -eq "Sales"', severity: 'error', span: [21, 28, '"Sales"'], fixes: ['(user.department -eq "Sales")'] },
  { code: 'syntax/unexpected-character', text: 'user.department -eq "Sales" ;', severity: 'error', span: [28, 29, ';'] },
  { code: 'syntax/unexpected-token', text: 'user.department -eq "Sales" "Marketing"', severity: 'error', span: [28, 39, '"Marketing"'] },
  { code: 'syntax/unicode-space', text: 'user.department\u00a0-eq "Sales"', severity: 'warning', span: [15, 16, '\u00a0'], fixes: ['user.department -eq "Sales"'] },
  { code: 'syntax/unknown-operator', text: 'user.employeeHireDate -gt 2024-01-01T00:00:00Z', severity: 'error', span: [22, 25, '-gt'], fixes: ['user.employeeHireDate -ge 2024-01-01T00:00:00Z'] },
  { code: 'syntax/unmatched-paren', text: 'user.department -eq "Sales")', severity: 'error', span: [27, 28, ')'], fixes: ['user.department -eq "Sales"'] },
  { code: 'syntax/unquoted-string', text: 'user.department -eq Sales', severity: 'error', span: [20, 25, 'Sales'], fixes: ['user.department -eq "Sales"'] },
  { code: 'syntax/unterminated-string', text: 'user.department -eq "Sales', severity: 'error', span: [20, 26, '"Sales'], fixes: ['user.department -eq "Sales"'] },
  // --- type/ -----------------------------------------------------------------------------------
  { code: 'type/array-not-allowed', text: 'user.department -eq ["Sales", "Marketing"]', severity: 'error', span: [20, 42, '["Sales", "Marketing"]'],
    fixes: ['user.department -in ["Sales", "Marketing"]'] },
  { code: 'type/array-required', text: 'user.department -in "Sales"', severity: 'error', span: [20, 27, '"Sales"'], fixes: ['user.department -in ["Sales"]'] },
  { code: 'type/date-operator', text: 'user.employeeId -ge "50000"', severity: 'error', span: [16, 19, '-ge'] },
  { code: 'type/duration-calendar', text: 'user.employeeHireDate -ge system.now -minus P1Y', severity: 'warning', span: [44, 47, 'P1Y'] },
  { code: 'type/empty-array', text: 'user.department -notIn []', severity: 'warning', span: [23, 25, '[]'] },
  { code: 'type/invalid-date', text: 'user.employeeHireDate -ge 2024-02-30T00:00:00Z', severity: 'error', span: [26, 46, '2024-02-30T00:00:00Z'] },
  { code: 'type/invalid-guid', text: 'user.objectId -eq "megan@contoso.com"', severity: 'error', span: [18, 37, '"megan@contoso.com"'] },
  { code: 'type/missing-property', text: 'user. -eq "Sales"', severity: 'error', span: [0, 5, 'user.'] },
  { code: 'type/not-with-null', text: '-not (user.mail -eq null)', severity: 'error', span: [6, 24, 'user.mail -eq null'] },
  { code: 'type/now-chained', text: 'user.employeeHireDate -ge system.now -minus P365D -minus P15D', severity: 'error', span: [50, 61, '-minus P15D'] },
  { code: 'type/now-with-eq', text: 'user.employeeHireDate -eq system.now', severity: 'error', span: [22, 25, '-eq'] },
  { code: 'type/null-operator', text: 'user.department -contains null', severity: 'error', span: [26, 30, 'null'] },
  { code: 'type/number-for-string', text: 'user.employeeId -eq 12345', severity: 'warning', span: [20, 25, '12345'], fixes: ['user.employeeId -eq "12345"'] },
  { code: 'type/operator-not-allowed', text: 'user.accountEnabled -contains true', severity: 'error', span: [20, 29, '-contains'], fixes: ['user.accountEnabled -eq true'] },
  { code: 'type/operator-undocumented', text: 'user.employeeHireDate -ne 2024-01-01T00:00:00Z', severity: 'warning', span: [22, 25, '-ne'] },
  { code: 'type/property-value', text: 'user.department -eq user.companyName', severity: 'error', span: [20, 36, 'user.companyName'], fixes: ['user.department -eq "user.companyName"'] },
  { code: 'type/quoted-boolean', text: 'user.accountEnabled -eq "True"', severity: 'warning', span: [24, 30, '"True"'], fixes: ['user.accountEnabled -eq true'] },
  { code: 'type/quoted-null', text: 'user.employeeId -ne "null"', severity: 'warning', span: [20, 26, '"null"'], fixes: ['user.employeeId -ne null'] },
  { code: 'type/unknown-object', text: 'usr.department -eq "Sales"', severity: 'error', span: [0, 3, 'usr'], fixes: ['user.department -eq "Sales"'] },
  { code: 'type/unknown-property', text: 'user.departmnet -eq "Sales"', severity: 'error', span: [0, 15, 'user.departmnet'], fixes: ['user.department -eq "Sales"'] },
  { code: 'type/unknown-value', text: 'user.userType -eq "Memeber"', severity: 'warning', span: [18, 27, '"Memeber"'], fixes: ['user.userType -eq "Member"'] },
  { code: 'type/unsupported-property', text: 'user.employeeType -eq "Contractor"', severity: 'error', span: [0, 17, 'user.employeeType'] },
  { code: 'type/unsupported-property', text: 'device.organizationalUnit -eq "Kiosks"', severity: 'warning', span: [0, 25, 'device.organizationalUnit'] },
  { code: 'type/value-type', text: 'user.department -eq true', severity: 'error', span: [20, 24, 'true'], fixes: ['user.department -eq "true"'] },
  { code: 'type/value-type', text: 'user.accountEnabled -eq 1', severity: 'error', span: [24, 25, '1'] },
  { code: 'type/value-type', text: 'user.employeeHireDate -ge "last week"', severity: 'error', span: [26, 37, '"last week"'] },
  { code: 'type/value-type', text: 'Direct Reports for 42', severity: 'error', span: [19, 21, '42'] },
  { code: 'type/invalid-guid', text: 'Direct Reports for "Megan Bowen"', severity: 'error', span: [19, 32, '"Megan Bowen"'] },
  { code: 'type/wrong-object', text: 'user.deviceModel -eq "iPad Air"', severity: 'error', span: [0, 16, 'user.deviceModel'] },
  // --- rule/ -----------------------------------------------------------------------------------
  { code: 'rule/ambiguous-quantifier', text: 'device.devicePhysicalIds -any _ -startsWith "[ZTDId]" -and device.accountEnabled -eq true', severity: 'warning',
    span: [0, 53, 'device.devicePhysicalIds -any _ -startsWith "[ZTDId]"'],
    fixes: ['device.devicePhysicalIds -any (_ -startsWith "[ZTDId]") -and device.accountEnabled -eq true'] },
  { code: 'rule/direct-reports-combined', text: `Direct Reports for "${MANAGER}" -or user.department -eq "Finance"`, severity: 'error', span: [0, 57, `Direct Reports for "${MANAGER}"`] },
  { code: 'rule/element-outside-quantifier', text: '_ -eq "x"', severity: 'error', span: [0, 1, '_'] },
  { code: 'rule/empty', text: '# a comment and nothing else\n', severity: 'error', span: [29, 29, ''] },
  { code: 'rule/member-of-combined', text: 'user.memberOf -any (group.objectId -in ["c0a70500-0000-4000-8000-000000000201"]) -or user.department -eq "Sales"', severity: 'error',
    span: [0, 80, 'user.memberOf -any (group.objectId -in ["c0a70500-0000-4000-8000-000000000201"])'], now: BEFORE_RETIREMENT },
  { code: 'rule/member-of-form', text: 'user.memberOf -all (group.objectId -in ["c0a70500-0000-4000-8000-000000000201"])', severity: 'error', span: [14, 18, '-all'],
    fixes: ['user.memberOf -any (group.objectId -in ["c0a70500-0000-4000-8000-000000000201"])'], now: BEFORE_RETIREMENT },
  { code: 'rule/member-of-form', text: 'user.memberOf -any (group.objectId -eq "c0a70500-0000-4000-8000-000000000201")', severity: 'error',
    span: [20, 77, 'group.objectId -eq "c0a70500-0000-4000-8000-000000000201"'], now: BEFORE_RETIREMENT },
  { code: 'rule/member-of-preview', text: 'device.memberOf -any (group.objectId -in ["c0a70500-0000-4000-8000-000000000211"])', severity: 'info', span: [0, 15, 'device.memberOf'], now: BEFORE_RETIREMENT },
  { code: 'rule/member-of-too-many', text: `user.memberOf -any (group.objectId -in [${IDS_51}])`, severity: 'error', span: [39, 39 + IDS_51.length + 2, `[${IDS_51}]`], now: BEFORE_RETIREMENT },
  { code: 'rule/mixed-objects', text: 'device.deviceOSType -eq "Windows" -and user.department -eq "Sales"', severity: 'error', span: [39, 43, 'user'] },
  { code: 'rule/nested-quantifier', text: 'user.assignedPlans -any (user.otherMails -any (_ -eq "x"))', severity: 'error', span: [25, 57, 'user.otherMails -any (_ -eq "x")'] },
  { code: 'rule/quantifier-on-scalar', text: 'user.department -any (_ -eq "Sales")', severity: 'error', span: [16, 20, '-any'] },
  { code: 'rule/quantifier-required', text: 'user.assignedPlans -eq "efb87545-963c-4e0d-99df-69c6916d9eb0"', severity: 'error',
    span: [0, 61, 'user.assignedPlans -eq "efb87545-963c-4e0d-99df-69c6916d9eb0"'] },
  { code: 'rule/too-long', text: LONG, severity: 'error', span: [0, LONG.length, LONG] },
  { code: 'rule/wrong-element', text: 'user.otherMails -any (assignedPlan.service -eq "x")', severity: 'error', span: [22, 42, 'assignedPlan.service'],
    fixes: ['user.otherMails -any (_ -eq "x")'] },
  { code: 'rule/wrong-object-type', text: 'user.department -eq "Sales"', severity: 'error', span: [0, 4, 'user'], expectedObject: 'device' },
  { code: 'rule/wrong-object-type', text: `Direct Reports for "${MANAGER}"`, severity: 'error', span: [0, 18, 'Direct Reports for'], expectedObject: 'device' },
  { code: 'rule/wrong-object-type', text: `device.memberOf -any (group.objectId -in ["c0a70500-0000-4000-8000-000000000211"])`, severity: 'error', span: [0, 6, 'device'], expectedObject: 'user', now: BEFORE_RETIREMENT },
  // --- style/ ----------------------------------------------------------------------------------
  { code: 'style/keyword-casing', text: `direct reports for "${MANAGER}"`, severity: 'info', span: [0, 18, 'direct reports for'], fixes: [`Direct Reports for "${MANAGER}"`] },
  { code: 'style/missing-hyphen', text: 'user.department eq "Sales"', severity: 'info', span: [16, 18, 'eq'], fixes: ['user.department -eq "Sales"'] },
  { code: 'style/missing-space', text: 'user.department-eq "Sales"', severity: 'info', span: [15, 18, '-eq'], fixes: ['user.department -eq "Sales"'] },
  { code: 'style/property-casing', text: 'user.Department -eq "Sales"', severity: 'info', span: [5, 15, 'Department'], fixes: ['user.department -eq "Sales"'] },
  { code: 'style/property-casing', text: 'User.department -eq "Sales"', severity: 'info', span: [0, 4, 'User'], fixes: ['user.department -eq "Sales"'] },
  // --- perf/ and logic/ ------------------------------------------------------------------------
  { code: 'perf/match-literal', text: 'user.city -match "^Lag"', severity: 'info', span: [10, 23, '-match "^Lag"'], fixes: ['user.city -startsWith "Lag"'] },
  { code: 'perf/match-literal', text: 'user.city -notMatch "ago$"', severity: 'info', span: [10, 26, '-notMatch "ago$"'], fixes: ['user.city -notEndsWith "ago"'] },
  { code: 'perf/or-chain', text: 'user.city -eq "Lagos" -or user.city -eq "Abuja" -or user.country -eq "Ghana"', severity: 'info',
    span: [0, 47, 'user.city -eq "Lagos" -or user.city -eq "Abuja"'], fixes: ['user.city -in ["Lagos", "Abuja"] -or user.country -eq "Ghana"'] },
  { code: 'perf/or-chain', text: 'user.city -ne "Lagos" -and user.city -ne "Abuja"', severity: 'info',
    span: [0, 48, 'user.city -ne "Lagos" -and user.city -ne "Abuja"'], fixes: ['user.city -notIn ["Lagos", "Abuja"]'] },
  { code: 'perf/redundant-condition', text: 'user.city -eq "Lagos" -and user.accountEnabled -eq true -and user.city -eq "Lagos"', severity: 'warning',
    span: [61, 82, 'user.city -eq "Lagos"'], fixes: ['user.city -eq "Lagos" -and user.accountEnabled -eq true'] },
  { code: 'logic/plan-status', text: 'user.assignedPlans -any (assignedPlan.service -eq "SCO")', severity: 'info',
    span: [0, 56, 'user.assignedPlans -any (assignedPlan.service -eq "SCO")'],
    fixes: ['user.assignedPlans -any (assignedPlan.service -eq "SCO" -and assignedPlan.capabilityStatus -eq "Enabled")'] },
  // --- regex/ ----------------------------------------------------------------------------------
  { code: 'regex/catastrophic', text: 'user.city -match "^(a+)+$"', severity: 'warning', span: [19, 24, '(a+)+'] },
  { code: 'regex/dotnet-difference', text: 'user.employeeId -match "^\\d{5}$"', severity: 'warning', span: [25, 27, '\\d'] },
  { code: 'regex/dotnet-only', text: 'user.city -match "^(?>La)gos"', severity: 'warning', span: [19, 22, '(?>'] },
  { code: 'regex/refused', text: 'user.city -match "^(?!La)gos"', severity: 'warning', span: [17, 29, '"^(?!La)gos"'] },
  { code: 'regex/invalid', text: 'user.userPrincipalName -match "*@contoso.com"', severity: 'error', span: [30, 45, '"*@contoso.com"'],
    fixes: ['user.userPrincipalName -match ".*@contoso.com"'] },
  // --- directive/ ------------------------------------------------------------------------------
  { code: 'directive/missing-value', text: '# @group\nuser.department -eq "Sales"', severity: 'error', span: [2, 8, '@group'] },
  { code: 'directive/unknown', text: '# @owner alice\nuser.department -eq "Sales"', severity: 'warning', span: [2, 8, '@owner'] },
  { code: 'style/collection-without-any', text: 'user.proxyAddresses -startsWith "smtp:"', severity: 'info', span: [0, 39, 'user.proxyAddresses -startsWith "smtp:"'],
    fixes: ['user.proxyAddresses -any (_ -startsWith "smtp:")'] },
  { code: 'style/collection-without-any', text: 'user.otherMails -notContains "gmail" -and user.userType -eq "Member"', severity: 'info', span: [0, 36, 'user.otherMails -notContains "gmail"'],
    fixes: ['user.otherMails -all (_ -notContains "gmail") -and user.userType -eq "Member"'] },
  { code: 'perf/cheaper-operator', text: 'device.deviceOwnership -contains "comp"', severity: 'info', span: [23, 39, '-contains "comp"'], fixes: ['device.deviceOwnership -eq "Company"'] },
  { code: 'perf/cheaper-operator', text: 'user.department -notMatch "^(?:Sales|Legal)$"', severity: 'info', span: [16, 45, '-notMatch "^(?:Sales|Legal)$"'], fixes: ['user.department -notIn ["Sales", "Legal"]'] },
  { code: 'rule/unknown-manager', text: 'Direct Reports for "c0a70500-0000-4000-8000-000000000199"', severity: 'warning', span: [19, 57, '"c0a70500-0000-4000-8000-000000000199"'], tenant: TENANT },
  { code: 'rule/unknown-group', text: `user.memberOf -any (group.objectId -in ['${GROUP}', 'c0a70500-0000-4000-8000-000000000299'])`, severity: 'warning',
    span: [80, 118, "'c0a70500-0000-4000-8000-000000000299'"], tenant: TENANT, now: BEFORE_RETIREMENT },
  { code: 'rule/member-of-retired', text: "user.memberOf -any (group.objectId -in ['c0a70500-0000-4000-8000-000000000201'])", severity: 'error', span: [0, 13, 'user.memberOf'], now: RETIREMENT },
  { code: 'rule/member-of-retired', text: 'device.memberOf -any (group.objectId -in ["c0a70500-0000-4000-8000-000000000211"])', severity: 'error', span: [0, 15, 'device.memberOf'], now: RETIREMENT },
  // Licensing names are checked against Microsoft's catalogue, with or without a tenant.
  { code: 'directive/unknown-sku', text: '# @licenses SPE_E9\nuser.department -eq "Sales"', severity: 'warning', span: [12, 18, 'SPE_E9'] },
  { code: 'directive/unknown-plan', text: '# @licenses SPE_E3(-NOPE_PLAN)\nuser.department -eq "Sales"', severity: 'warning', span: [20, 29, 'NOPE_PLAN'] },
  // What needs the tenant.
  { code: 'directive/unknown-group', text: '# @group "Sales Teem"\nuser.department -eq "Sales"', severity: 'warning', span: [10, 20, 'Sales Teem'],
    fixes: ['# @group "Sales Team"\nuser.department -eq "Sales"'], tenant: TENANT },
  { code: 'directive/sku-not-in-tenant', text: '# @licenses SPE_E5\nuser.department -eq "Sales"', severity: 'info', span: [12, 18, 'SPE_E5'], tenant: TENANT },
  { code: 'directive/unknown-administrative-unit', text: '# @administrativeUnit "AU - Lagos Ofice"\nuser.city -eq "Lagos"', severity: 'warning', span: [23, 39, 'AU - Lagos Ofice'],
    fixes: ['# @administrativeUnit "AU - Lagos Office"\nuser.city -eq "Lagos"'], tenant: TENANT },
  { code: 'directive/group-and-administrative-unit', text: '# @group "Sales Team"\n# @administrativeUnit "AU - Lagos Office"\nuser.city -eq "Lagos"', severity: 'error', span: [45, 62, 'AU - Lagos Office'] },
  { code: 'directive/licenses-on-administrative-unit', text: '# @administrativeUnit c0a70500-0000-4000-8000-000000000401\n# @licenses SPE_E3\nuser.city -eq "Lagos"', severity: 'warning', span: [22, 58, 'c0a70500-0000-4000-8000-000000000401'] },

];

describe('checks: every code, its span and its fixes', () => {
  for (const row of ROWS) {
    describe(`${row.code}: ${row.text.length > 70 ? `${row.text.slice(0, 67)}...` : row.text}`, () => {
      const options = {
        ...(row.expectedObject ? { expectedObject: row.expectedObject } : {}),
        ...(row.now !== undefined ? { now: row.now } : {}),
        ...(row.tenant ? { tenant: row.tenant } : {}),
      };
      let issues: Issue[] = [];
      let hits: Issue[] = [];
      before(() => {
        issues = check(row.text, options);
        hits = issues.filter((i) => i.code === row.code);
      });

      it('is reported once, with its severity and exact span', () => {
        assert.equal(hits.length, 1, `found ${issues.map((i) => i.code).join(', ') || 'nothing'}`);
        const hit = hits[0]!;
        assert.equal(hit.severity, row.severity);
        assert.deepEqual([hit.span.start, hit.span.end, covered(row.text, hit)], row.span);
        assert.ok(hit.message.length > 10);
      });

      it('comes with no unexpected error or warning', () => {
        const others = issues.filter((i) => i.code !== row.code && i.severity !== 'info').map((i) => i.code);
        assert.deepEqual(others, [...(row.also ?? [])]);
      });

      it(row.fixes ? 'its fixes give the intended text, and clear the issue' : 'offers no fix', () => {
        const fixes = hits[0]?.fixes ?? [];
        assert.deepEqual(fixes.map((f) => applyFix(row.text, f)), [...(row.fixes ?? [])]);
        for (const f of fixes) {
          const after = check(applyFix(row.text, f), options);
          assert.ok(!after.some((i) => i.code === row.code), `${f.title} leaves ${row.code}`);
          assert.deepEqual(after.filter((i) => i.severity === 'error').map((i) => i.code), [], `${f.title} leaves errors`);
        }
      });
    });
  }

  it('the rows cover every code the core can report', () => {
    // Every code literal in the core's source, so that a new code cannot go untested.
    const codes = new Set<string>();
    const visit = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) visit(join(dir, e.name));
        else if (e.name.endsWith('.ts')) for (const m of readFileSync(join(dir, e.name), 'utf8').matchAll(CODE)) codes.add(m[1]!);
      }
    };
    visit(join(ROOT, 'grammar', 'src'));
    assert.ok(codes.size > 60, `only ${codes.size} codes found: the pattern is out of date`);
    const tested = new Set(ROWS.map((r) => r.code));
    // Reported only when a check throws, which no input should make happen.
    const unreachable = new Set(['internal/check-failed']);
    assert.deepEqual([...codes].filter((c) => !tested.has(c) && !unreachable.has(c)).sort(), []);
  });
});

describe('checks: limits and boundaries', () => {
  it('combines an -or chain that repeats a value (in any case) into a list with each value once', () => {
    const text = 'user.city -eq "Lagos" -or user.city -eq "Abuja" -or user.city -eq "LAGOS"';
    const chain = check(text).find((i) => i.code === 'perf/or-chain');
    assert.ok(chain?.fixes?.[0], 'no or-chain fix');
    assert.equal(applyFix(text, chain.fixes[0]), 'user.city -in ["Lagos", "Abuja"]');
  });

  it('accepts exactly 50 memberOf groups and rejects 51', () => {
    const ids = (n: number): string => Array.from({ length: n }, (_, i) => `"c0a70500-0000-4000-8000-${String(201 + i).padStart(12, '0')}"`).join(', ');
    const codes = (n: number): string[] => check(`user.memberOf -any (group.objectId -in [${ids(n)}])`, { now: BEFORE_RETIREMENT }).map((i) => i.code);
    assert.equal(LIMITS.memberOfGroups, 50);
    assert.ok(!codes(50).includes('rule/member-of-too-many'));
    assert.ok(codes(51).includes('rule/member-of-too-many'));
  });

  it('makes memberOf an error from 3 November 2026 (UTC), by the clock or the time given, and an info before', () => {
    const rule = "user.memberOf -any (group.objectId -in ['c0a70500-0000-4000-8000-000000000201'])";
    const at = (now?: number): string[] => check(rule, now !== undefined ? { now } : {}).map((i) => `${i.severity} ${i.code}`);
    assert.equal(MEMBER_OF_RETIRED_AT, RETIREMENT);
    assert.deepEqual(at(BEFORE_RETIREMENT), ['info rule/member-of-preview']);
    assert.deepEqual(at(RETIREMENT), ['error rule/member-of-retired']);
    // The clock stands after the retirement.
    assert.ok(Date.now() >= RETIREMENT);
    assert.deepEqual(at(), ['error rule/member-of-retired']);
    const message = check(rule, { now: RETIREMENT })[0]!.message;
    assert.match(message, /3 November 2026/);
    assert.match(message, /last known state/);
    assert.match(message, /assigned membership/);
  });

  it('checks the ids a rule names only against a tenant that knows them', () => {
    const direct = (id: string, directory?: TenantFacts): string[] => check(`Direct Reports for "${id}"`, directory ? { tenant: directory } : {}).map((i) => i.code);
    assert.deepEqual(direct(MANAGER.toUpperCase(), TENANT), []);
    assert.deepEqual(direct('c0a70500-0000-4000-8000-000000000199', TENANT), ['rule/unknown-manager']);
    // No tenant, or a tenant without users.json or groups.json: nothing can be said.
    assert.deepEqual(direct('c0a70500-0000-4000-8000-000000000199'), []);
    assert.deepEqual(direct('c0a70500-0000-4000-8000-000000000199', { name: 'Contoso' }), []);
    // A rule with an error selects no one in particular: its ids wait until it has a meaning.
    const combined = check('Direct Reports for "c0a70500-0000-4000-8000-000000000199" -and user.accountEnabled -eq true', { tenant: TENANT }).map((i) => i.code);
    assert.deepEqual(combined, ['rule/direct-reports-combined']);
    // A retired memberOf rule still has its meaning (and its ids are checked).
    assert.deepEqual(check(`user.memberOf -any (group.objectId -in ['c0a70500-0000-4000-8000-000000000299'])`, { now: RETIREMENT, tenant: TENANT }).map((i) => i.code),
      ['rule/member-of-retired', 'rule/unknown-group']);
    const memberOf = `user.memberOf -any (group.objectId -in ['c0a70500-0000-4000-8000-000000000299'])`;
    assert.deepEqual(check(memberOf, { now: BEFORE_RETIREMENT, tenant: { name: 'Contoso', hasUser: () => false } }).map((i) => i.code), ['rule/member-of-preview']);
    const message = check(memberOf, { now: BEFORE_RETIREMENT, tenant: TENANT }).find((i) => i.code === 'rule/unknown-group')!.message;
    assert.equal(message, 'The tenant fabrikam has no group c0a70500-0000-4000-8000-000000000299: nobody joins through it.');
  });

  it('counts the rule without its comment lines against the 3,072-character limit', () => {
    const rule = (n: number): string => `user.department -eq "${'x'.repeat(n - 22)}"`;
    assert.equal(rule(3072).length, 3072);
    assert.ok(!check(rule(3072)).some((i) => i.code === 'rule/too-long'));
    assert.ok(check(rule(3073)).some((i) => i.code === 'rule/too-long'));
    // A long comment does not count.
    assert.ok(!check(`# ${'c'.repeat(4000)}\n${rule(3072)}`).some((i) => i.code === 'rule/too-long'));
  });

  it('reports every typographic character of a pasted rule, each with its own fix', () => {
    const text = 'user.department –eq “Sales” —and user.country −eq ‘US’';
    const issues = check(text).filter((i) => i.code.startsWith('syntax/typographic'));
    assert.deepEqual(issues.map((i) => [i.code, covered(text, i)]), [
      ['syntax/typographic-dash', '–'],
      ['syntax/typographic-quote', '“Sales”'],
      ['syntax/typographic-dash', '—'],
      ['syntax/typographic-dash', '−'],
      ['syntax/typographic-quote', '‘US’'],
    ]);
    // Applying every preferred fix at once (an editor's "fix all") gives the plain rule.
    const edits = issues.flatMap((i) => i.fixes!.filter((f) => f.preferred).flatMap((f) => f.edits));
    assert.equal(applyFix(text, { title: 'all', edits }), "user.department -eq \"Sales\" -and user.country -eq 'US'");
  });

  it('sorts issues by position', () => {
    const issues = check('user.departmnet -eq "Sales" -and user.accountEnabled -contains true -and user.city –eq "x"');
    const starts = issues.map((i) => i.span.start);
    assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
  });

  it('takes curly quotes inside a straight-quoted string as text', () => {
    for (const text of ["user.department -eq 'Women’s Health'", 'user.jobTitle -eq "The “Best” Team"', 'user.jobTitle -in ["He said “hi”", \'O’Brien\']']) {
      assert.deepEqual(check(text).map((i) => i.code), [], text);
    }
    const mixed = 'user.department -eq "Sales” -and user.city -eq "Oslo"';
    assert.deepEqual(check(mixed).map((i) => [i.code, covered(mixed, i)]), [['syntax/typographic-quote', '"Sales”']]);
  });

  it('accepts the properties of both objects, including extension properties', () => {
    for (const text of [
      'user.extensionAttribute1 -eq "a"', 'user.extensionAttribute15 -eq "a"', 'device.extensionAttribute15 -eq "a"',
      'user.extension_0123456789abcdef0123456789ABCDEF_costCenter -eq "a"', 'device.extension_0123456789abcdef0123456789abcdef_rack -eq "a"',
    ]) assert.deepEqual(check(text).map((i) => i.code), [], text);
    for (const text of ['user.extensionAttribute16 -eq "a"', 'user.extension_0123_costCenter -eq "a"']) {
      assert.deepEqual(check(text).map((i) => i.code), ['type/unknown-property'], text);
    }
  });
});
