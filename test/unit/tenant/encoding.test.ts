/**
 * Snapshot files as bytes: text that is not UTF-8 fails with the file, line, column and byte
 * offset of its first bad byte on every path of the loader (a `.json` file; a `.jsonl` file read
 * as objects; one streamed into columns, in this thread or on worker threads) instead of being
 * read with U+FFFD in place of the bytes. Lines are read the same way on every path, and the byte
 * reader accepts only what JSON.parse accepts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { firstInvalidUtf8 } from '../../../server/src/tenant/jsonBytes';
import { loadSnapshot, SnapshotError, type LoadOptions, type Snapshot } from '../../../server/src/tenant/snapshot';
import { usersArb } from '../columnar/arbitraries';

const b = (...parts: (string | number[])[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

function folder(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dynrule-encoding-'));
  for (const [f, content] of Object.entries(files)) writeFileSync(path.join(dir, f), content);
  return dir;
}

/** The ways the loader can read users: objects, and columns in this thread. */
const PATHS: readonly [string, LoadOptions][] = [
  ['objects', { keepObjects: true }],
  ['columns', { keepObjects: false, workers: 1, cacheDir: false }],
];
/**
 * And columns on three worker threads (which run the same reader, and count lines across their
 * parts). Slow to start from the TypeScript sources, so only where the threads matter.
 */
const WITH_WORKERS: readonly [string, LoadOptions][] = [...PATHS, ['columns on workers', { keepObjects: false, workers: 3, cacheDir: false }]];

async function failure(dir: string, options: LoadOptions): Promise<SnapshotError> {
  let loaded: Snapshot | undefined;
  try {
    loaded = await loadSnapshot(dir, options);
  } catch (e) {
    assert.ok(e instanceof SnapshotError, String(e));
    return e;
  }
  assert.fail(`loaded ${loaded.users?.length} users`);
}

/** The messages of every path for a `users.jsonl`; they must all be the same. */
async function jsonlFailure(content: Buffer, paths = PATHS): Promise<SnapshotError> {
  const dir = folder({ 'users.jsonl': content });
  const errors = await Promise.all(paths.map(([, o]) => failure(dir, o)));
  for (const [k, [name]] of paths.entries()) assert.equal(errors[k]!.message, errors[0]!.message, name);
  return errors[0]!;
}

/** Line, column (UTF-16 units, from 1) and offset of byte `at` in `bytes`, worked out independently. */
function positionOf(bytes: Buffer, at: number): { line: number; column: number; offset: number } {
  const before = bytes.subarray(0, at);
  const lineStart = before.lastIndexOf(10) + 1;
  return { line: before.toString('latin1').split('\n').length, column: before.subarray(lineStart).toString('utf8').length + 1, offset: at };
}

describe('snapshot files that are not UTF-8', function () {
  this.timeout(60_000);

  it('users.json: the first bad byte, with line, column and byte offset', async () => {
    const text = b('{"value": [\n  {"id": "u1", "displayName": "Zoë"},\n  {"id": "u2", "displayName": "Ren', [0xc3, 0x28], 'e"},\n  {"id": "u3", "city": "', [0xff], '"}\n]');
    const e = await failure(folder({ 'users.json': text }), {});
    // Line 3 is `  {"id": "u2", "displayName": "Ren`: 34 characters, after 12 + 39 bytes (Zoë is 4).
    assert.equal(e.message, 'users.json:3:35: invalid UTF-8 (byte 0xC3 at byte offset 85): save the file as UTF-8');
    assert.deepEqual([e.file, e.line, e.column], ['users.json', 3, 35]);
  });

  it('users.jsonl: the same message whether read as objects, as columns or on worker threads', async () => {
    const lines = [b('{"id":"u1","department":"Sales"}'), b('{"id":"u2","department":"Sales"}'), b('{"id":"u3","displayName":"Zoë","department":"Sa', [0xc3], 'les"}'), b('{"id":"u4"}')];
    const text = Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]));
    const e = await jsonlFailure(text, WITH_WORKERS);
    const at = text.indexOf(0xc3, text.indexOf('Sa', text.indexOf('u3')));
    assert.equal(e.message, `users.jsonl:3:48: invalid UTF-8 (byte 0xC3 at byte offset ${at}): save the file as UTF-8`);
  });

  // Where a byte reader could let a bad byte through: in a value a rule reads, in a field it only
  // skips, in a key, after an escape, in an item read by the layout of the one before, and in an
  // assignedPlans array replayed from the user before.
  const plan = (date: string): string => `{"assignedDateTime":"${date}","capabilityStatus":"Enabled","service":"exchange","servicePlanId":"efb87545-963c-4e0d-99df-69c6916d9eb0"}`;
  const user = (i: number, over: Record<string, string> = {}): string => {
    const fields: Record<string, string> = {
      id: `"u${i}"`, displayName: `"User ${i}"`, department: '"Sales"', aboutMe: '"text"', city: '"Oslo"',
      proxyAddresses: '["smtp:a@contoso.com","SMTP:b@contoso.com"]',
      assignedPlans: `[${plan('2024-01-01T00:00:00Z')},${plan('2024-01-02T00:00:00Z')}]`,
      ...over,
    };
    return `{${Object.entries(fields).map(([k, v]) => `"${k}":${v}`).join(',')}}`;
  };
  const BAD = { 'a stray continuation byte': [0x80], 'a lead byte without its continuation': [0xc3], 'an overlong': [0xc0, 0xaf], 'a surrogate': [0xed, 0xa0, 0x80], 'a code point past U+10FFFF': [0xf4, 0x90, 0x80, 0x80], 'a cut three-byte sequence': [0xe2, 0x82], '0xFF': [0xff] };
  const WHERE: Record<string, (bad: string) => Record<string, string>> = {
    'a value a rule reads': (x) => ({ department: `"Sa${x}les"` }),
    'a field no rule reads': (x) => ({ aboutMe: `"te${x}xt"` }),
    'a key': (x) => ({ [`about${x}Me`]: '"text"' }),
    'a skipped string with an escape': (x) => ({ aboutMe: `"a\\n${x}b"` }),
    'a read string with an escape': (x) => ({ department: `"S\\u0061${x}les"` }),
    'a collection item': (x) => ({ proxyAddresses: `["smtp:a@contoso.com","SMTP:b${x}@contoso.com"]` }),
    'a replayed assignedPlans array': (x) => ({ assignedPlans: `[${plan('2024-01-01T00:00:00Z')},${plan(`2024-01-02T00:00:00Z${x}`)}]` }),
    'between values': (x) => ({ city: `"Oslo" ${x}` }),
  };
  for (const [where, put] of Object.entries(WHERE)) {
    it(`users.jsonl: ${where} (each kind of bad sequence)`, async () => {
      for (const [kind, seq] of Object.entries(BAD)) {
        const marker = '\u0001MARK\u0001';
        const lines = Array.from({ length: 40 }, (_, i) => (i === 30 ? user(i, put(marker)) : user(i)));
        const [head, tail] = lines.join('\n').split(marker);
        const text = b(head!, seq, tail!, '\n');
        const e = await jsonlFailure(text);
        const { line, column, offset } = positionOf(text, head!.length);
        assert.equal(e.message, `users.jsonl:${line}:${column}: invalid UTF-8 (byte 0x${seq[0]!.toString(16).toUpperCase()} at byte offset ${offset}): save the file as UTF-8`, kind);
      }
    });
  }

  it('any one bad byte in a generated file: the same error on every path, at that byte', async function () {
    this.timeout(120_000);
    const seqs = Object.values(BAD);
    await fc.assert(fc.asyncProperty(usersArb(30), fc.nat(), fc.nat(seqs.length - 1), fc.boolean(), async (users, pick, s, cutMultiByte) => {
      const text = Buffer.from(`${users.map((u) => JSON.stringify(u)).join('\n')}\n`, 'utf8');
      // Replace an ASCII letter with a bad sequence, or drop the last byte of a multi-byte character.
      const leads: number[] = [];
      const letters: number[] = [];
      for (let i = 0; i < text.length; i++) {
        const c = text[i]!;
        if (c >= 0xc2 && c <= 0xf4) leads.push(i);
        else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) letters.push(i);
      }
      let bad: Buffer;
      let at: number;
      if (cutMultiByte && leads.length) {
        at = leads[pick % leads.length]!;
        const n = text[at]! >= 0xf0 ? 4 : text[at]! >= 0xe0 ? 3 : 2;
        bad = Buffer.concat([text.subarray(0, at + n - 1), text.subarray(at + n)]);
      } else {
        at = letters[pick % letters.length]!;
        bad = Buffer.concat([text.subarray(0, at), Buffer.from(seqs[s]!), text.subarray(at + 1)]);
      }
      assert.equal(firstInvalidUtf8(bad, 0, bad.length), at);
      const e = await jsonlFailure(bad);
      const { line, column, offset } = positionOf(bad, at);
      assert.match(e.message, new RegExp(`^users\\.jsonl:${line}:${column}: invalid UTF-8 \\(byte 0x[0-9A-F]{2} at byte offset ${offset}\\)`));
    }), { seed: 99, numRuns: 200 });
  });

  it('a bad byte in a later part of a file split across workers counts lines from the start', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => user(i));
    lines[2500] = user(2500, { city: '"Os\u0001lo"' });
    const [head, tail] = lines.join('\n').split('\u0001');
    const text = b(head!, [0xe9], tail!, '\n');
    const e = await jsonlFailure(text, WITH_WORKERS);
    assert.equal(e.line, 2501);
    assert.match(e.message, new RegExp(`^users\\.jsonl:2501:\\d+: invalid UTF-8 \\(byte 0xE9 at byte offset ${head!.length}\\)`));
  });

  it('a JSON error on an earlier line is reported first, as before', async () => {
    const e = await jsonlFailure(b('{"id":"u1"}\n{"id":"u2",}\n{"id":"u3","city":"', [0xff], '"}\n'));
    assert.match(e.message, /^users\.jsonl:2:\d+: invalid JSON/);
  });

  it('snapshot.json and the other collections are checked too', async () => {
    const meta = await failure(folder({ 'users.json': '[]', 'snapshot.json': b('{"tenantName":"Contoso ', [0x96], ' Test"}') }), {});
    assert.equal(meta.message, 'snapshot.json:1:24: invalid UTF-8 (byte 0x96 at byte offset 23): save the file as UTF-8');
    const groups = await failure(folder({ 'users.json': '[]', 'groups.jsonl': b('{"id":"g1","displayName":"Caf', [0xe9], '"}') }), {});
    assert.match(groups.message, /^groups\.jsonl:1:30: invalid UTF-8 \(byte 0xE9 at byte offset 29\)/);
  });

  it('valid UTF-8 of every length, a byte-order mark and U+FFFD itself load as before', async () => {
    const names = ['Zoë', 'İstanbul', '日本語', 'Zoë 😀', '\ufffd', 'a\u2028b'];
    const objects = names.map((n, i) => ({ id: `u${i}`, displayName: n, department: n }));
    const json = folder({ 'users.json': b([0xef, 0xbb, 0xbf], JSON.stringify({ value: objects }, null, 1)) });
    assert.deepEqual((await loadSnapshot(json)).users!.map((u) => u['displayName']), names);
    const jsonl = folder({ 'users.jsonl': b([0xef, 0xbb, 0xbf], objects.map((o) => JSON.stringify(o)).join('\r\n')) });
    for (const [name, options] of WITH_WORKERS) {
      const s = await loadSnapshot(jsonl, options);
      assert.deepEqual(s.users!.map((u) => u['displayName']), names, name);
      assert.deepEqual(s.users!.map((u) => u['department']), names, name);
    }
  });

  it('a byte-order mark does not shift the columns of users.json', async () => {
    const e = await failure(folder({ 'users.json': b([0xef, 0xbb, 0xbf], '[{"id":"u1"},\n {"id": x}]') }), {});
    assert.equal(e.message, "users.json:2:9: invalid JSON: expected a value but found 'x'");
    const u = await failure(folder({ 'users.json': b([0xef, 0xbb, 0xbf], '[{"id":"', [0xff], '"}]') }), {});
    assert.equal(u.message, 'users.json:1:9: invalid UTF-8 (byte 0xFF at byte offset 11): save the file as UTF-8');
  });
});

describe('snapshot JSON Lines read as objects', () => {
  it('reads lines of any length, CRLF, blank lines and a last line without a break, as the columns do', async () => {
    const big = 'S'.repeat(3 << 20);
    const text = `{"id":"u1","department":"${big}"}\r\n\n  \r\n{"id":"u2","department":"Sales"}\r\n{"id":"u3","city":"Oslo"}`;
    const dir = folder({ 'users.jsonl': text });
    for (const [name, options] of PATHS) {
      const s = await loadSnapshot(dir, options);
      assert.deepEqual(s.users!.map((u) => u['id']), ['u1', 'u2', 'u3'], name);
      assert.equal(s.users![0]!['department'], big, name);
    }
    const e = await jsonlFailure(Buffer.from(`${text}\n{"id":\n`));
    assert.match(e.message, /^users\.jsonl:6:7: invalid JSON/);
  });

  it('a 10 MB string value loads on every path', async () => {
    const value = 'x'.repeat(10 << 20);
    const dir = folder({ 'users.jsonl': `{"id":"u1","aboutMe":"${value}","department":"Sales"}\n{"id":"u2","department":"${value}"}\n` });
    for (const [name, options] of WITH_WORKERS) {
      const s = await loadSnapshot(dir, options);
      assert.equal(s.users!.length, 2, name);
      assert.equal(s.users![1]!['department'], value, name);
    }
  });
});

describe('the byte reader checks escapes as JSON.parse does', () => {
  for (const bad of ['"a\\qb"', '"\\u12"', '"\\u12G4"', '"ab\\', '"\\x41"']) {
    it(`a skipped field holding ${bad}: the same error on every path`, async () => {
      const lines = Array.from({ length: 5 }, (_, i) => `{"id":"u${i}","aboutMe":${i === 3 ? bad : '"ok"'},"department":"Sales"}`);
      const e = await jsonlFailure(Buffer.from(`${lines.join('\n')}\n`));
      assert.match(e.message, /^users\.jsonl:4:\d+: invalid JSON/);
    });
  }
});
