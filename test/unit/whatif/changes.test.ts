/**
 * Reading changes to people: the bulk-create template as the Entra admin center gives it, the
 * attribute-change CSV and JSON — and every problem with its file, line, column and heading.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Change, ChangeIssue } from '../../../server/src/whatif/changes';
import { CHANGE_CODES } from '../../../server/src/whatif/codes';
import { parseChanges, readChanges } from '../../../server/src/whatif/read';

const HEAD = 'Name [displayName] Required,User name [userPrincipalName] Required,Initial password [passwordProfile] Required,Block sign in (Yes/No) [accountEnabled] Required,Job title [jobTitle],Department [department],Usage location [usageLocation],Mobile phone [mobile],Office [physicalDeliveryOfficeName]';
const EXAMPLES = 'Example: Chris Green,Example: chris@contoso.com,Example: 1234567890,Example: No,Example: IT Adminstrator,Example: Information Technology,Example: US,Example: 987-654-3210,Example: Building 1';

/** Field name → value of a change. */
const fields = (c: Change): Record<string, unknown> => (c.kind === 'delete' ? {} : Object.fromEntries(c.fields.map((f) => [f.property.graph, f.value])));
const where = (i: ChangeIssue): string => `${i.line}:${i.column}`;
const codes = (issues: ChangeIssue[]): string[] => issues.map((i) => i.code);

describe('whatif: changes files', () => {
  describe('the bulk-create template, as downloaded', () => {
    it('skips the version and examples rows; every row is a new user; Block sign in Yes means accountEnabled false; passwords are not kept', () => {
      const text = ['version:v1.0', HEAD, EXAMPLES,
        'Ana Costa,ana.costa@contoso.com,Kx7#pLm2,No,Account Executive,Sales,us,+1 206 555 0199,Seattle HQ',
        'Sara Lindqvist,sara.lindqvist@contoso.com,Ge7)sRk2,Yes,Legal Counsel,Legal,SE,,'].join('\r\n') + '\r\n';
      const { changes, issues } = parseChanges('hires.csv', `\ufeff${text}`);
      assert.deepEqual(issues, []);
      assert.deepEqual(changes.map((c) => c.kind), ['create', 'create']);
      const [ana, sara] = changes.map(fields);
      assert.equal(ana!['accountEnabled'], true);
      assert.equal(sara!['accountEnabled'], false);
      // Rule property names in the brackets map to Graph fields: mobile → mobilePhone, physicalDeliveryOfficeName → officeLocation.
      assert.equal(ana!['mobilePhone'], '+1 206 555 0199');
      assert.equal(ana!['officeLocation'], 'Seattle HQ');
      assert.equal(ana!['usageLocation'], 'US');
      assert.equal(ana!['passwordProfile'], 'Kx7#pLm2', 'read, so that a missing password is found');
      assert.equal(changes[0]!.at.line, 4);
      assert.equal(changes[1]!.at.line, 5);
    });

    it('a required column missing, a required cell empty, a bad Yes/No and a UPN twice, each at its line, column and heading', () => {
      const text = [
        'Name [displayName] Required,User name [userPrincipalName] Required,Block sign in (Yes/No) [accountEnabled] Required',
        'Ana,ana@contoso.com,No',
        ',ben@contoso.com,Maybe',
        'Ana again,ana@contoso.com,No',
      ].join('\n');
      const { issues } = parseChanges('hires.csv', text);
      assert.deepEqual(issues.map((i) => [i.code, where(i), i.heading]), [
        ['changes/missing-column', '1:1', undefined],
        ['changes/missing-value', '3:1', 'Name [displayName] Required'],
        ['changes/bad-value', '3:18', 'Block sign in (Yes/No) [accountEnabled] Required'],
        ['changes/duplicate-user', '4:11', 'User name [userPrincipalName] Required'],
      ]);
      assert.match(issues[0]!.message, /\[passwordProfile\]/);
      assert.match(issues[3]!.message, /already on line 2/);
    });

    it('another bulk template is refused for what it is', () => {
      const invite = parseChanges('invite.csv', 'version:v1.0\nEmail address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required\nx@fabrikam.com,https://myapps.microsoft.com\n');
      assert.deepEqual(codes(invite.issues), ['changes/not-bulk-create']);
      assert.match(invite.issues[0]!.message, /bulk-invite/);
      assert.equal(where(invite.issues[0]!), '2:1');
      const del = parseChanges('delete.csv', 'version:v1.0\nUser principal name [userPrincipalName] Required\nana@contoso.com\n');
      assert.deepEqual(codes(del.issues), ['changes/not-bulk-create']);
      assert.match(del.issues[0]!.message, /bulk-delete/);
      const neither = parseChanges('x.csv', 'name,department\nAna,Sales\n');
      assert.deepEqual(codes(neither.issues), ['changes/not-bulk-create']);
    });

    it('an unknown bracketed property, with did-you-mean', () => {
      const { issues } = parseChanges('hires.csv', `${HEAD},Departmnet [departmnet]\n`);
      assert.deepEqual(issues.map((i) => [i.code, where(i), i.heading]), [['changes/unknown-heading', `1:${HEAD.length + 2}`, 'Departmnet [departmnet]']]);
      assert.match(issues[0]!.message, /did you mean department\?/);
    });
  });

  describe('the attribute-change CSV', () => {
    it('maps rule and Graph names; an empty cell is unchanged, null clears; the key is a UPN or an id', () => {
      const text = 'userPrincipalName,department,extensionAttribute7,mobilePhone,otherMails,manager\nana@contoso.com,Sales,,null,a@x.com; b@x.com,ben@contoso.com\n';
      const { changes, issues } = parseChanges('hr.csv', text);
      assert.deepEqual(issues, []);
      const c = changes[0]!;
      assert.equal(c.kind, 'set');
      assert.deepEqual(fields(c), {
        department: 'Sales', mobilePhone: null, otherMails: ['a@x.com', 'b@x.com'], manager: 'ben@contoso.com',
      });
      const byId = parseChanges('hr.csv', 'id,extensionAttribute7\n7afeea74-bc0e-4d63-9a24-45d5b96a680c,Contractor\n');
      assert.deepEqual(byId.issues, []);
      assert.deepEqual(fields(byId.changes[0]!), { 'onPremisesExtensionAttributes.extensionAttribute7': 'Contractor' });
    });

    it('positions survive a BOM, CRLF and a quoted line break', () => {
      const text = '\ufeffuserPrincipalName,jobTitle,accountEnabled,employeeHireDate\r\nana@contoso.com,"Head of\r\nSales",maybe,2026-12-01\r\nben@contoso.com,,,2026-02-30\r\n';
      const { issues } = parseChanges('hr.csv', text);
      assert.deepEqual(issues.map((i) => [i.code, where(i), i.heading]), [
        ['changes/bad-value', '3:8', 'accountEnabled'],
        ['changes/bad-value', '4:19', 'employeeHireDate'],
      ]);
      assert.match(issues[0]!.message, /true or false \(got "maybe"\)/);
      assert.match(issues[1]!.message, /ISO 8601 date .* \(got "2026-02-30"\)/);
    });

    it('unknown, read-only and duplicate headings, a key twice, a bad key, extra cells and a CSV syntax error', () => {
      const { issues } = parseChanges('hr.csv', 'userPrincipalName,deprtment,assignedPlans,department,Department\nana@contoso.com,,,,\nana@contoso.com,,,,,x\nnot a upn,,,,\n');
      assert.deepEqual(issues.map((i) => [i.code, where(i), i.heading]), [
        ['changes/unknown-heading', '1:19', 'deprtment'],
        ['changes/read-only-property', '1:29', 'assignedPlans'],
        ['changes/duplicate-heading', '1:54', 'Department'],
        ['changes/extra-cells', '3:21', undefined],
        ['changes/duplicate-user', '3:1', 'userPrincipalName'],
        ['changes/bad-value', '4:1', 'userPrincipalName'],
      ]);
      assert.match(issues[0]!.message, /did you mean department\?/);
      const broken = parseChanges('hr.csv', 'userPrincipalName,department\nana@contoso.com,"Sales\n');
      assert.deepEqual(codes(broken.issues), ['changes/csv-syntax']);
      assert.equal(broken.issues[0]!.file, 'hr.csv');
    });
  });

  describe('JSON', () => {
    it('set, delete and create, in order', () => {
      const { changes, issues } = parseChanges('c.json', JSON.stringify([
        { user: 'ana@contoso.com', set: { department: 'Sales', accountEnabled: false } },
        { user: '7afeea74-bc0e-4d63-9a24-45d5b96a680c', delete: true },
        { create: { userPrincipalName: 'new@contoso.com', employeeHireDate: '2026-12-07' } },
      ]));
      assert.deepEqual(issues, []);
      assert.deepEqual(changes.map((c) => c.kind), ['set', 'delete', 'create']);
      assert.deepEqual(fields(changes[0]!), { department: 'Sales', accountEnabled: false });
    });

    it('a syntax error with its line and column; bad entries and values at theirs', () => {
      const bad = parseChanges('c.json', '[\n  {"user": "ana@contoso.com", "set": {"department": "Sales",}}\n]');
      assert.deepEqual(bad.issues.map((i) => [i.code, where(i)]), [['changes/invalid-json', '2:61']]);
      const text = '[\n{"user": "ana@contoso.com", "set": {"accountEnabled": "maybe"}},\n{"user": "ben@contoso.com", "delete": false},\n{"create": {"displayName": "X"}},\n{"user": "x", "set": {}},\n{"user": "ana@contoso.com", "set": {"jobTitle": "CEO"}},\n42\n]';
      const { issues } = parseChanges('c.json', text);
      assert.deepEqual(issues.map((i) => [i.code, where(i)]), [
        ['changes/bad-value', '2:55'],
        ['changes/bad-entry', '3:39'],
        ['changes/missing-value', '4:12'],
        ['changes/bad-value', '5:10'],
        ['changes/duplicate-user', '6:10'],
        ['changes/bad-entry', '7:1'],
      ]);
    });
  });

  it('files are read in order through files.ts; an unreadable or unknown file is a problem with its name', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dynrule-changes-'));
    writeFileSync(path.join(dir, 'a.csv'), 'userPrincipalName,department\nana@contoso.com,Sales\n');
    writeFileSync(path.join(dir, 'b.json'), '[{"user": "ana@contoso.com", "set": {"department": "Legal"}}]');
    writeFileSync(path.join(dir, 'c.txt'), 'x');
    writeFileSync(path.join(dir, 'd.csv'), Buffer.from([0x75, 0x73, 0xff, 0x0a]));
    const ok = await readChanges([path.join(dir, 'a.csv'), path.join(dir, 'b.json')]);
    assert.deepEqual(ok.changes.map((c) => fields(c)['department']), ['Sales', 'Legal']);
    const bad = await readChanges([path.join(dir, 'c.txt'), path.join(dir, 'd.csv'), path.join(dir, 'none.csv')]);
    assert.deepEqual(codes(bad.issues), ['changes/unknown-format', 'changes/unreadable', 'changes/unreadable']);
    assert.match(bad.issues[1]!.message, /UTF-8/);
  });

  it('every code is defined once, with what it means, and every code the parsers use is defined', () => {
    for (const [code, { severity, summary }] of Object.entries(CHANGE_CODES)) {
      assert.match(code, /^changes\/[a-z-]+$/);
      assert.equal(severity, 'error', code);
      assert.ok(summary.length > 20, code);
    }
  });
});
