import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { baseName, chooseFileName } from '../../../server/src/audit/fileNames';
import { PULL_RECORD, PullError, pulledFileOf, pullRules } from '../../../server/src/audit/index';
import { parseRule } from '../../../grammar/src/index';
import { dynamicGroup, guid, tenant, user, type Obj } from './fixture';

const USERS = [user(1), user(2)];
const E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';

/** A fresh parent folder with the output folder inside, so that anything written beside it shows. */
function outFolder(): { parent: string; out: string } {
  const parent = mkdtempSync(path.join(tmpdir(), 'dynrule-pull-'));
  return { parent, out: path.join(parent, 'rules') };
}
const read = (out: string, file: string): string => readFileSync(path.join(out, file), 'utf8');

describe('pull: one rule file per dynamic group and unit', () => {
  it('writes a header, the directive and the rule; groups without a rule are reported, static ones left out', async () => {
    const s = await tenant({
      users: USERS,
      groups: [
        dynamicGroup(100, 'Sales', 'user.department -eq "Sales"', [guid(1)], { assignedLicenses: [{ skuId: E3, disabledPlans: ['7547a3fe-08ee-4ccb-b430-5077c5041653'] }] }),
        dynamicGroup(101, 'Empty rule', '  ', []),
        { id: guid(102), displayName: 'Static', groupTypes: [], members: [] },
      ],
      administrativeUnits: [{ id: guid(200), displayName: 'AU Lagos', membershipType: 'Dynamic', membershipRule: 'user.city -eq "Lagos"', membershipRuleProcessingState: 'Paused', members: [] }],
    });
    const { out } = outFolder();
    const r = pullRules(s, out);
    assert.deepEqual(r.written.map((w) => [w.file, w.id]), [['AU Lagos.dynrule', guid(200)], ['Sales.dynrule', guid(100)]]);
    assert.deepEqual(r.noRule.map((x) => x.displayName), ['Empty rule']);
    assert.deepEqual(readdirSync(out).sort(), [PULL_RECORD, 'AU Lagos.dynrule', 'Sales.dynrule'].sort());
    const sales = read(out, 'Sales.dynrule');
    assert.match(sales, /^# Dynamic group: Sales\n/);
    assert.match(sales, /rule processing: On/);
    assert.match(sales, /# Licenses it assigns: SPE_E3 \(without YAMMER_ENTERPRISE\)/);
    const parsed = parseRule(sales);
    assert.deepEqual(parsed.directives.map((d) => d.kind === 'group' ? [d.kind, d.value] : [d.kind]), [['group', guid(100)]]);
    assert.equal(parsed.issues.length, 0);
    assert.ok(sales.endsWith('\nuser.department -eq "Sales"\n'));
    const unit = parseRule(read(out, 'AU Lagos.dynrule'));
    assert.deepEqual(unit.directives.map((d) => d.kind === 'administrativeUnit' ? [d.kind, d.value] : [d.kind]), [['administrativeUnit', guid(200)]]);
    assert.match(unit.text, /rule processing: Paused/);
    assert.equal(pulledFileOf(out, guid(100).toUpperCase()), path.join(path.resolve(out), 'Sales.dynrule'));
    assert.equal(pulledFileOf(out, guid(555)), undefined);
  });

  it('never writes outside the folder, whatever a display name holds', async () => {
    const names = ['../escape', '../../etc/passwd', '/abs/path', '\\\\server\\share', 'a/b\\c', 'CON', 'nul', 'COM1.txt', 'lpt9',
      'x'.repeat(300), 'bell\u0007 and\nnewline\r\u001b[2J', '...', '..', '.', '', '   ', '.hidden', 'trailing. ', 'Ünïcødé 東京 Δ', '😀'.repeat(60),
      'Sales', 'SALES', 'sales', '# @licenses SPE_E5', '<>:"|?*', '\u202eevil\u202c', 'a\ud800b'];
    const groups = names.map((n, i) => dynamicGroup(300 + i, n, 'user.department -eq "Sales"', []));
    const s = await tenant({ users: USERS, groups });
    const { parent, out } = outFolder();
    const r = pullRules(s, out);
    assert.equal(r.written.length, names.length, JSON.stringify(r.skipped));
    assert.deepEqual(readdirSync(parent), ['rules'], 'something was written beside the folder');
    const files = readdirSync(out).filter((f) => f !== PULL_RECORD);
    assert.equal(files.length, names.length);
    assert.equal(new Set(files.map((f) => f.toLowerCase())).size, files.length, 'two names differ only in case');
    for (const f of files) {
      assert.ok(f.endsWith('.dynrule'), f);
      assert.ok(!f.startsWith('.'), f);
      assert.ok(!/[\u0000-\u001f<>:"/\\|?*\u202e]/.test(f), JSON.stringify(f));
      assert.ok(!/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(f), f);
      assert.ok(Buffer.byteLength(f) <= 255, `${Buffer.byteLength(f)} bytes: ${f}`);
      assert.ok(!/[\ud800-\udfff]/.test(f.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')), `a lone surrogate in ${JSON.stringify(f)}`);
    }
    assert.ok(files.includes('Ünïcødé 東京 Δ.dynrule'), 'unicode names are kept');
    assert.ok(files.includes('Sales.dynrule'));
    // Every group's file names that group, and the header holds no line a display name made.
    for (const w of r.written) {
      const text = read(out, w.file);
      const parsed = parseRule(text);
      assert.deepEqual(parsed.directives.map((d) => (d.kind === 'group' ? d.value : d.kind)), [w.id], text);
      assert.equal(text.split('\n').filter((l) => !l.startsWith('#')).join('\n').trim(), 'user.department -eq "Sales"');
    }
  });

  it('names stay stable across pulls when display names change, and new namesakes get the id', async () => {
    const { out } = outFolder();
    pullRules(await tenant({ users: USERS, groups: [dynamicGroup(100, 'Sales', 'user.department -eq "Sales"', [])] }), out);
    const r = pullRules(await tenant({
      users: USERS,
      groups: [dynamicGroup(100, 'Sales EMEA', 'user.department -eq "Sales"', []), dynamicGroup(101, 'Sales', 'user.city -eq "Lagos"', [])],
    }), out);
    assert.deepEqual(r.written.map((w) => w.file).sort(), ['Sales (c0a70500).dynrule', 'Sales.dynrule']);
    assert.match(read(out, 'Sales.dynrule'), /Dynamic group: Sales EMEA/);
    assert.match(read(out, 'Sales (c0a70500).dynrule'), new RegExp(guid(101)));
    assert.equal(chooseFileName('', 'abc', new Set()), 'abc.dynrule');
    assert.equal(baseName(' ..\u0000x.. '), 'x');
    assert.equal(baseName('COM1.txt'), 'COM1-group.txt');
  });

  it('again: updates unedited files, keeps edited ones, reports conflicts with the tenant\'s version beside them, and groups gone', async () => {
    const v1 = [dynamicGroup(100, 'A', 'user.department -eq "Sales"', []), dynamicGroup(101, 'B', 'user.city -eq "Lagos"', []),
      dynamicGroup(102, 'C', 'user.city -eq "Abuja"', []), dynamicGroup(103, 'D', 'user.jobTitle -eq "Clerk"', [])];
    const { out } = outFolder();
    pullRules(await tenant({ users: USERS, groups: v1 }), out);

    const same = pullRules(await tenant({ users: USERS, groups: v1 }), out);
    assert.deepEqual(same.unchanged.length, 4);
    assert.deepEqual([same.written, same.conflicts, same.gone], [[], [], []]);

    // Edited here: B (rule unchanged in the tenant) and C (changed there too).
    writeFileSync(path.join(out, 'B.dynrule'), `${read(out, 'B.dynrule')}-and user.accountEnabled -eq true\n`);
    const editedC = `${read(out, 'C.dynrule')}-and user.accountEnabled -eq true\n`;
    writeFileSync(path.join(out, 'C.dynrule'), editedC);
    const v2: Obj[] = [
      dynamicGroup(100, 'A', 'user.department -eq "Legal"', []),
      v1[1]!,
      dynamicGroup(102, 'C', 'user.city -eq "Kano"', []),
    ];
    const r = pullRules(await tenant({ users: USERS, groups: v2 }), out);
    assert.deepEqual(r.written.map((w) => w.file), ['A.dynrule']);
    assert.match(read(out, 'A.dynrule'), /user\.department -eq "Legal"\n$/);
    assert.deepEqual(r.unchanged.map((w) => w.file), ['B.dynrule']);
    assert.match(read(out, 'B.dynrule'), /accountEnabled/);
    assert.deepEqual(r.conflicts.map((c) => [c.file, c.tenantFile]), [['C.dynrule', 'C.dynrule.tenant']]);
    assert.equal(read(out, 'C.dynrule'), editedC, 'an edited file was overwritten');
    assert.match(read(out, 'C.dynrule.tenant'), /user\.city -eq "Kano"\n$/);
    assert.deepEqual(r.gone.map((g) => [g.file, g.id]), [['D.dynrule', guid(103)]]);
    assert.ok(existsSync(path.join(out, 'D.dynrule')), 'a file of a group gone was deleted');

    // Unresolved while the tenant's copy is there; resolved once it is deleted.
    const again = pullRules(await tenant({ users: USERS, groups: v2 }), out);
    assert.deepEqual(again.conflicts.map((c) => c.file), ['C.dynrule']);
    rmSync(path.join(out, 'C.dynrule.tenant'));
    const resolved = pullRules(await tenant({ users: USERS, groups: v2 }), out);
    assert.deepEqual(resolved.conflicts, []);
    assert.ok(resolved.unchanged.some((u) => u.file === 'C.dynrule'));
    // A file deleted here is written again.
    rmSync(path.join(out, 'A.dynrule'));
    assert.deepEqual(pullRules(await tenant({ users: USERS, groups: v2 }), out).written.map((w) => w.file), ['A.dynrule']);
  });

  it('does not follow a link planted at a file\'s name, and refuses a record that names a path', async () => {
    const groups = [dynamicGroup(100, 'A', 'user.department -eq "Sales"', [])];
    const { parent, out } = outFolder();
    mkdirSync(out);
    const target = path.join(parent, 'target.txt');
    writeFileSync(target, 'keep');
    symlinkSync(target, path.join(out, 'A.dynrule'));
    const r = pullRules(await tenant({ users: USERS, groups }), out);
    assert.equal(readFileSync(target, 'utf8'), 'keep');
    assert.deepEqual(r.written.map((w) => w.file), ['A (c0a70500).dynrule'], 'the name held by a file pull did not write is not taken');

    writeFileSync(path.join(out, PULL_RECORD), JSON.stringify({ version: 1, files: { [guid(100)]: { file: '../target.txt', kind: 'group', fileHash: 'x', ruleHash: 'y' } } }));
    assert.throws(() => pullRules(s0, out), (e: Error) => e instanceof PullError && /not valid/.test(e.message));
    writeFileSync(path.join(out, PULL_RECORD), '{"version": 1,\n "files": {,}}');
    assert.throws(() => pullRules(s0, out), (e: Error) => e instanceof PullError && /:2:\d+: not valid JSON/.test(e.message));
    assert.equal(readFileSync(target, 'utf8'), 'keep');
  });

  it('a dry run reports what a pull would do and writes nothing', async () => {
    const { parent, out } = outFolder();
    const v1 = [dynamicGroup(100, 'A', 'user.department -eq "Sales"', [])];
    const dry = pullRules(await tenant({ users: USERS, groups: v1 }), out, { dryRun: true });
    assert.deepEqual(dry.written.map((w) => w.file), ['A.dynrule']);
    assert.deepEqual(readdirSync(parent), [], 'a dry run created the folder');
    pullRules(await tenant({ users: USERS, groups: v1 }), out);
    writeFileSync(path.join(out, 'A.dynrule'), `${read(out, 'A.dynrule')}-and user.accountEnabled -eq true\n`);
    const before = readdirSync(out).sort();
    const record = read(out, PULL_RECORD);
    const conflict = pullRules(await tenant({ users: USERS, groups: [dynamicGroup(100, 'A', 'user.department -eq "Legal"', [])] }), out, { dryRun: true });
    assert.deepEqual(conflict.conflicts.map((c) => c.tenantFile), ['A.dynrule.tenant']);
    assert.deepEqual(readdirSync(out).sort(), before);
    assert.equal(read(out, PULL_RECORD), record);
  });

  let s0: Awaited<ReturnType<typeof tenant>>;
  before(async () => { s0 = await tenant({ users: USERS, groups: [dynamicGroup(100, 'A', 'user.department -eq "Sales"', [])] }); });
});
