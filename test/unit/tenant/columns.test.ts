/**
 * The streaming loader against JSON.parse: a `.jsonl` collection read column by column from its
 * bytes (in this thread and on worker threads) must give the same values for every rule
 * property, the same rule results, and the same errors, as the objects JSON.parse gives. The
 * files vary what a byte reader can trip on: key order, spaces, escapes, CRLF line ends, blank
 * lines, duplicate keys, a byte-order mark, values of unexpected types.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { DEVICE_PROPERTIES, USER_PROPERTIES, parseRule } from '../../../grammar/src/index';
import {
  compileRule, evaluateColumnar, interpretResult, PLAN_FIELDS, propertyReader, TableBuilder, toTri, type BuilderState, type GraphObject,
} from '../../../grammar/engine/src/index';
import { ObjectScanner } from '../../../server/src/tenant/objectScanner';
import { loadSnapshot, SnapshotError, type Snapshot } from '../../../server/src/tenant/snapshot';
import { EXT, ruleArb, usersArb } from '../columnar/arbitraries';

const NOW = Date.parse('2025-06-01T00:00:00Z');

/** JSON text of an object with some formatting noise: spaces, escaped characters, shuffled keys. */
function noisyJson(o: Record<string, unknown>, seed: number): string {
  const rnd = (n: number): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
  const text = (v: unknown): string => {
    if (typeof v === 'string') {
      const s = JSON.stringify(v);
      return rnd(8) === 0 ? s.replace(/[a-z]/, (c) => `\\u00${c.charCodeAt(0).toString(16)}`) : s;
    }
    if (Array.isArray(v)) return `[${v.map(text).join(rnd(4) === 0 ? ' , ' : ',')}]`;
    if (v && typeof v === 'object') {
      const keys = Object.keys(v);
      if (rnd(5) === 0) keys.reverse();
      const sp = rnd(6) === 0 ? ' ' : '';
      return `{${sp}${keys.map((k) => `${JSON.stringify(k)}${sp}:${sp}${text((v as Record<string, unknown>)[k])}`).join(`,${sp}`)}${sp}}`;
    }
    return JSON.stringify(v);
  };
  return text(o);
}

function writeUsers(users: readonly Record<string, unknown>[], lines: (string | undefined)[] = []): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dynrule-columns-'));
  const body = users.map((u, i) => lines[i] ?? (i % 3 === 0 ? JSON.stringify(u) : noisyJson(u, i + 1))).join(users.length % 2 ? '\r\n' : '\n');
  writeFileSync(path.join(dir, 'users.jsonl'), `${body}\n`);
  return dir;
}

const load = (dir: string, keepObjects: boolean, workers?: number, cacheDir: string | false = false): Promise<Snapshot> =>
  loadSnapshot(dir, { keepObjects, cacheDir, ...(workers !== undefined ? { workers } : {}) });

const plans = (v: unknown): unknown => (Array.isArray(v)
  ? v.map((p: unknown) => (p && typeof p === 'object' && !Array.isArray(p) && !('id' in p)
    ? Object.fromEntries(Object.entries(p).filter(([k]) => (PLAN_FIELDS as readonly string[]).includes(k)))
    : p))
  : v);

/** Every rule property of every user reads the same through the columns as from the object. */
function assertSameValues(objects: Snapshot, columns: Snapshot): void {
  const a = objects.tables.users!;
  const b = columns.tables.users!;
  assert.equal(b.rows, a.rows);
  const extensions = new Set<string>();
  for (const u of objects.users!) for (const k of Object.keys(u)) if (k.startsWith('extension_')) extensions.add(k);
  for (let r = 0; r < a.rows; r++) {
    const o = a.objectAt(r);
    const m = b.objectAt(r);
    assert.equal(b.id(r), String(o['id']));
    for (const def of USER_PROPERTIES) {
      // assignedPlans items keep the fields a rule can read, not assignedDateTime.
      const read = def.type === 'assignedPlans' ? (x: GraphObject) => plans(propertyReader(def)(x)) : propertyReader(def);
      assert.deepEqual(read(m), read(o), `${def.name} of row ${r}`);
    }
    for (const k of extensions) assert.deepEqual(m[k] ?? null, o[k] ?? null, `${k} of row ${r}`);
  }
}

describe('streaming loader (columns from the bytes)', () => {
  it('reads every rule property as JSON.parse does, and rules give the same results', async function () {
    this.timeout(120_000);
    await fc.assert(fc.asyncProperty(usersArb(30), fc.array(ruleArb, { minLength: 1, maxLength: 4 }), async (users, rules) => {
      const dir = writeUsers(users);
      const objects = await load(dir, true);
      const columns = await load(dir, false);
      assert.equal(columns.users!.length, objects.users!.length);
      assertSameValues(objects, columns);
      for (const rule of rules) {
        const parsed = parseRule(rule);
        if (!compileRule(parsed, { now: NOW }).ok) continue;
        const bits = evaluateColumnar(parsed.expr!, columns.tables.users!, { now: NOW });
        const expected = objects.users!.map((o) => interpretResult(parsed.text, parsed.expr!, o, { now: NOW }));
        assert.deepEqual(Array.from({ length: columns.tables.users!.rows }, (_, r) => toTri(bits.get(r))), expected, rule);
      }
    }), { seed: 4242, numRuns: 60 });
  });

  it('reads repeated licence layouts that differ in one plan, one date or one space as JSON.parse does', async () => {
    // Users with the same licences share their assignedPlans but for the dates: the reader
    // replays whole arrays and resumes where one differs. Vary everything it could get wrong.
    let seed = 11;
    const rnd = (n: number): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    const plan = (id: string, status = 'Enabled'): Record<string, unknown> => ({ assignedDateTime: `2024-0${1 + rnd(9)}-1${rnd(10)}T00:00:00Z`, capabilityStatus: status, service: `svc${id.length}`, servicePlanId: id });
    const layouts = [['p1', 'p2', 'p3', 'p4', 'p5'], ['p1', 'p2', 'p3'], ['q1', 'q2'], ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']];
    const users = Array.from({ length: 3000 }, (_, i) => {
      const ids = [...layouts[rnd(layouts.length)]!];
      if (rnd(10) === 0) ids.splice(rnd(ids.length), 1);
      if (rnd(10) === 0) ids.push(`x${rnd(3)}`);
      const plans: unknown[] = ids.map((id) => plan(id, rnd(12) === 0 ? 'Suspended' : 'Enabled'));
      if (rnd(50) === 0) plans.splice(rnd(plans.length + 1), 0, null);
      if (rnd(50) === 0 && plans.length) (plans[0] as Record<string, unknown>)['assignedDateTime'] = null;
      return {
        id: `u${i}`,
        assignedLicenses: [{ skuId: `sku-${ids[0]}`, disabledPlans: [] }],
        licenseAssignmentStates: [{ skuId: `sku-${ids[0]}`, assignedByGroup: rnd(2) ? null : 'g1', state: rnd(20) ? 'Active' : 'Error', error: 'None', lastUpdatedDateTime: `2024-02-0${1 + rnd(9)}T00:00:00Z` }],
        assignedPlans: plans,
      };
    });
    const lines = users.map((u, i) => {
      const text = JSON.stringify(u);
      return i % 97 === 0 ? text.replace('"capabilityStatus":', '"capabilityStatus" :') : text;
    });
    const dir = writeUsers(users, lines);
    const objects = await load(dir, true);
    const columns = await load(dir, false);
    assertSameValues(objects, columns);
    for (let r = 0; r < users.length; r += 13) {
      assert.deepEqual(columns.users![r]!['licenseAssignmentStates'], (objects.users![r]!['licenseAssignmentStates'] as Record<string, unknown>[]).map((s) => ({ skuId: s['skuId'], assignedByGroup: s['assignedByGroup'], state: s['state'] })));
    }
  });

  it('reads extension attribute objects whose layout changes from line to line as JSON.parse does', async () => {
    // The reader replays the last layout of onPremisesExtensionAttributes and reads it key by
    // key when one differs: in a key, a space, a value's type, the number of keys.
    const layouts: unknown[] = [
      { extensionAttribute1: null, extensionAttribute2: 'SEA', extensionAttribute3: 'x' },
      { extensionAttribute1: 'q', extensionAttribute2: 'SEA', extensionAttribute3: 'y' },
      { extensionAttribute1: 'q', extensionAttribute2: 'SEA' },
      { extensionAttribute1: 'q', extensionAttribute2: { a: 1 }, extensionAttribute3: 'y' },
      { extensionAttribute1: 'q', foo: [1, 2], extensionAttribute3: 'y' },
      { extensionAttribute1: 'q', foo: { a: 'b' }, extensionAttribute3: 'z' },
      {}, null, 'str', [1],
      { extensionAttribute3: 'y', extensionAttribute1: 'q' },
      { extensionAttribute3: true, extensionAttribute1: 5 },
      { extensionAttribute3: 'y', extensionAttribute1: 'q\u00e9' },
      { extensionAttribute3: 'y', extensionAttribute1: 'q\n' },
    ];
    const users = Array.from({ length: 90 }, (_, i) => ({ id: `u${i}`, displayName: 'n', onPremisesExtensionAttributes: layouts[(i * 7) % layouts.length] }));
    const lines = users.map((u, i) => {
      const text = JSON.stringify(u);
      if (i % 11 === 5) return text.replace('"extensionAttribute1":', '"extensionAttribute1" : ');
      if (i % 13 === 6) return text.replace(/"extensionAttribute3":("[a-z]+")/, '"extensionAttribute3":"w","extensionAttribute3":$1');
      return text;
    });
    const dir = writeUsers(users, lines);
    assertSameValues(await load(dir, true), await load(dir, false));
  });

  it('caches the columns of a large file for the next load, and ignores the cache once the file changed', async function () {
    this.timeout(60_000);
    const users = fc.sample(usersArb(40), { seed: 3, numRuns: 10 }).flat().map((u, i) => ({ ...u, id: `user-${i}` }));
    const dir = writeUsers(users);
    const cache = mkdtempSync(path.join(tmpdir(), 'dynrule-cache-'));
    const first = await load(dir, false, 1, cache);
    const written = (): boolean => existsSync(path.join(cache, 'columns')) && readdirSync(path.join(cache, 'columns')).some((f) => f.endsWith('.columns'));
    for (let i = 0; i < 200 && !written(); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(written(), 'the columns were cached');
    if (process.platform !== 'win32') {
      // Directory data: owner-only, like the snapshot folders.
      assert.equal(statSync(path.join(cache, 'columns')).mode & 0o777, 0o700);
      for (const f of readdirSync(path.join(cache, 'columns'))) assert.equal(statSync(path.join(cache, 'columns', f)).mode & 0o777, 0o600, f);
    }
    const second = await load(dir, false, 1, cache);
    assert.equal(second.tables.users!.objects, undefined);
    assertSameValues(first, second);
    assertSameValues(await load(dir, true), second);
    // A changed file is read again, not taken from the cache.
    const changed = users.map((u) => ({ ...u, department: 'Changed' }));
    writeFileSync(path.join(dir, 'users.jsonl'), changed.map((u) => JSON.stringify(u)).join('\n'));
    const third = await load(dir, false, 1, cache);
    assert.equal(third.users![0]!['department'], 'Changed');
  });

  it('gives a line it cannot read fast to JSON.parse, with the same outcome', async () => {
    const users = [
      { id: 'a', department: 'Sales' },
      { id: 'b', department: 'Legal', department2: 'x' },
      { id: 'c', city: 'Oslo' },
      { id: 'd', department: { name: 'Sales' }, proxyAddresses: [{ x: 1 }] },
      { id: 'e', onPremisesExtensionAttributes: null, assignedPlans: [null, 'x'] },
      { id: 'f', [EXT]: 'CC-1', licenseAssignmentStates: 'broken', assignedLicenses: [null, { skuId: 'S' }] },
      { id: 'g' },
    ];
    const lines = [
      '\ufeff{"id":"a","department":"Sales"}',
      '  {"id":"b","department":"Legal","department":"Finance"}  ',
      '{"id":"c","ci\\u0074y":"Oslo"}',
      undefined,
      undefined,
      undefined,
      '\u00a0{"id":"g"}\u00a0',
    ];
    const dir = writeUsers(users, lines);
    writeFileSync(path.join(dir, 'users.jsonl'), `${lines.map((l, i) => l ?? JSON.stringify(users[i])).join('\n')}\n\n   \n`);
    const objects = await load(dir, true);
    const columns = await load(dir, false);
    assertSameValues(objects, columns);
    assert.equal(columns.users![1]!['department'], 'Finance');
    assert.equal(columns.users![2]!['city'], 'Oslo');
  });

  it('reports a broken line with the same file, line and column', async () => {
    for (const bad of ['{"id":"x",}', '{"id":"x"', '[1]', '{"id":"x","a":tru}', '{"id":"x","d":"a\tb"}', '{"id":"x"} {}']) {
      const dir = mkdtempSync(path.join(tmpdir(), 'dynrule-columns-'));
      writeFileSync(path.join(dir, 'users.jsonl'), `{"id":"ok"}\n\n${bad}\n{"id":"after"}\n`);
      const errors = await Promise.all([true, false].map((keep) => load(dir, keep).then(() => undefined, (e: unknown) => e)));
      assert.ok(errors[0] instanceof SnapshotError, bad);
      assert.ok(errors[1] instanceof SnapshotError, bad);
      assert.equal(errors[1].message, errors[0].message, bad);
    }
  });

  it('splits a file across worker threads and joins the parts in order, with line numbers counted from the start', async function () {
    this.timeout(60_000);
    const users = fc.sample(usersArb(40), { seed: 7, numRuns: 20 }).flat().map((u, i) => ({ ...u, id: `user-${i}` }));
    const dir = writeUsers(users);
    const single = await load(dir, false, 1);
    assertSameValues(single, await load(dir, false, 3));
    writeFileSync(path.join(dir, 'users.jsonl'), `${users.map((u) => JSON.stringify(u)).join('\n')}\n{"id":\n`);
    const errors = await Promise.all([1, 2].map((w) => load(dir, false, w).then(() => undefined, (e: unknown) => e)));
    assert.ok(errors[0] instanceof SnapshotError && errors[1] instanceof SnapshotError);
    assert.equal(errors[1].message, errors[0].message);
    assert.equal(errors[0].line, users.length + 1);
  });

  it('gives the same columns when the loader reserves room for the rows to come, however good the estimate', () => {
    // Enough users for the unique columns (id, UPN, proxyAddresses) to stop deduplicating, which
    // is when their dictionaries grow with the rows and get room reserved.
    const users = Array.from({ length: 9000 }, (_, i) => ({
      id: `u-${i}`, userPrincipalName: `user${i}@contoso.com`, department: ['Sales', 'IT', 'HR'][i % 3], city: i % 7 ? 'Seattle' : null,
      proxyAddresses: [`SMTP:user${i}@contoso.com`, `smtp:u${i}@contoso.onmicrosoft.com`],
      assignedPlans: [{ assignedDateTime: '2023-01-18T03:21:53Z', capabilityStatus: 'Enabled', service: 'exchange', servicePlanId: `plan-${i % 5}` }],
      onPremisesExtensionAttributes: { extensionAttribute1: `E${i % 11}`, extensionAttribute2: `x-${i}` },
      [`extension_${EXT}_costCenter`]: i % 4 ? `cc-${i}` : undefined,
    }));
    const lines = users.map((u) => Buffer.from(`${JSON.stringify(u)}\n`));
    const build = (at: number, rows: number): BuilderState => {
      const builder = new TableBuilder('user');
      const scanner = new ObjectScanner(builder, (b, s, e) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8', s, e));
      lines.forEach((line, i) => {
        if (i === at) builder.reserve(rows);
        assert.equal(scanner.line(line, 0, line.length - 1), 'row');
      });
      return builder.exportState();
    };
    const plain = build(-1, 0);
    for (const [at, rows] of [[5000, 9360], [5000, 6000], [5000, 40_000], [1, 9000]] as const) assert.deepEqual(build(at, rows), plain, `reserve(${rows}) after ${at} rows`);
    // The room was taken where it is meant to be: the ids' dictionary (which stopped
    // deduplicating) has entries for 8 × 5,000 rows, not the doubling's 16,384.
    const reserved = build(5000, 40_000).scalars.find((c) => c.key === 'id')!;
    assert.ok(reserved.dict!.kinds.buffer.byteLength >= 40_000 && plain.scalars.find((c) => c.key === 'id')!.dict!.kinds.buffer.byteLength < 40_000);
  });

  it('keeps devices, memberOf derived from groups, and the licence fields the preview reads', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dynrule-columns-'));
    const users = [
      { id: 'U1', userPrincipalName: 'One@Contoso.com', manager: { id: 'U2' }, licenseAssignmentStates: [{ skuId: 'S1', assignedByGroup: 'G1', state: 'Active', error: 'None' }, { skuId: 'S2', assignedByGroup: null, state: 'Error' }], assignedLicenses: [{ skuId: 'S1', disabledPlans: [] }] },
      { id: 'u2', userPrincipalName: 'two@contoso.com', memberOf: ['G9'] },
      { id: 'u3', userPrincipalName: 'two@contoso.com' },
    ];
    writeFileSync(path.join(dir, 'users.jsonl'), users.map((u) => JSON.stringify(u)).join('\n'));
    writeFileSync(path.join(dir, 'devices.jsonl'), [{ id: 'd1', physicalIds: ['[ZTDId]:x'], extensionAttributes: { extensionAttribute1: 'k' } }].map((d) => JSON.stringify(d)).join('\n'));
    writeFileSync(path.join(dir, 'groups.json'), JSON.stringify({ value: [{ id: 'G1', members: ['u1', 'U2', 'D1', 'nobody'] }] }));
    const objects = await loadSnapshot(dir, { keepObjects: true });
    const columns = await loadSnapshot(dir, { keepObjects: false, cacheDir: false });
    assertSameValues(objects, columns);
    const u1 = columns.userById.get('u1')!;
    assert.deepEqual(u1['memberOf'], ['G1']);
    assert.deepEqual(u1['manager'], { id: 'U2' });
    assert.deepEqual(u1['licenseAssignmentStates'], [{ skuId: 'S1', assignedByGroup: 'G1', state: 'Active' }, { skuId: 'S2', assignedByGroup: null, state: 'Error' }]);
    assert.deepEqual(u1['assignedLicenses'], [{ skuId: 'S1' }]);
    assert.deepEqual(columns.userById.get('u2')!['memberOf'], ['G9']);
    assert.equal(columns.userByUpn.get('two@contoso.com')!['id'], 'u3');
    assert.equal(columns.userByUpn.get('one@contoso.com')!['id'], 'U1');
    assert.deepEqual([...columns.userByUpn.keys()], [...objects.userByUpn.keys()]);
    assert.deepEqual(columns.users!.map((u) => u['id']), ['U1', 'u2', 'u3']);
    const d1 = columns.deviceById.get('d1')!;
    assert.deepEqual(d1['memberOf'], ['G1']);
    for (const def of DEVICE_PROPERTIES) assert.deepEqual(propertyReader(def)(d1), propertyReader(def)(objects.deviceById.get('d1')!), def.name);
  });
});


