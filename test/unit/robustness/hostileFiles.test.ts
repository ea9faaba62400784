/**
 * Files that are not what their names say: a FIFO or a device where a rule or a rule test file
 * belongs, a JSON Lines file that is one endless line, bytes that are not UTF-8, a byte-order
 * mark, a rule test file whose "rule" names a folder. Each is refused with the file, the position
 * where there is one, and why — before it is read whole — by the CLI (dist/cli.js, as users run
 * it) and by the language server (a real client over streams).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkRule, parseRule } from '../../../grammar/src/index';
import type { RunRuleTestsResponse, TenantInfo } from '../../../server/src/lsp/protocol';
import { loadSnapshot, SnapshotError } from '../../../server/src/tenant/snapshot';
import { startHarness, type Harness } from '../../support/lsp';
import { dynrule, ensureBuilt, tmp } from './helpers';

const RULE = 'user.department -eq "Sales"';
const TENANT = 'samples/tenant/contoso';
const posix = process.platform !== 'win32';

function fifo(file: string): string {
  const r = spawnSync('mkfifo', [file]);
  assert.equal(r.status, 0, String(r.stderr));
  return file;
}

/** Lets a reader that is blocked opening `file` go (so a failing test does not hang the run). */
function release(file: string): void {
  try {
    closeSync(openSync(file, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {
    // No reader waiting: nothing to release.
  }
}

describe('robustness: files that are not regular files', function () {
  this.timeout(60_000);
  before(function () {
    if (!posix) this.skip();
    ensureBuilt();
  });

  it('a FIFO as a rule file: check refuses it at once, also inside a folder; /dev/zero is not read', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'a.dynrule'), RULE);
    const pipe = fifo(path.join(dir, 'b.dynrule'));
    try {
      for (const target of [pipe, dir]) {
        const r = await dynrule(['check', target], { timeoutMs: 20_000 });
        assert.equal(r.signal, null, 'check hung on the FIFO');
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.stderr, `dynrule: ${pipe}: is a FIFO (named pipe), not a file: only regular files are read\n`);
      }
      const zero = await dynrule(['eval', '/dev/zero', '--tenant', TENANT], { timeoutMs: 20_000 });
      assert.equal(zero.code, 2, zero.stderr);
      assert.equal(zero.stderr, 'dynrule: /dev/zero: is a device, not a file: only regular files are read\n');
    } finally {
      release(pipe);
    }
  });

  it('a rule or rule test file over 64 MiB: refused with its size before it is read', async () => {
    const dir = tmp();
    const big = path.join(dir, 'big.dynrule');
    writeFileSync(big, RULE);
    truncateSync(big, 100 * 2 ** 20);
    const r = await dynrule(['check', big], { timeoutMs: 20_000 });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, `dynrule: ${big}: is 100 MiB; files over 64 MiB are not read\n`);
    const tests = path.join(dir, 'big.ruletests.json');
    writeFileSync(tests, '{}');
    truncateSync(tests, 65 * 2 ** 20);
    const t = await dynrule(['test', tests, '--reporter', 'json'], { timeoutMs: 20_000 });
    assert.equal(t.code, 2, t.stderr);
    assert.equal((JSON.parse(t.stdout) as { files: { error?: { message: string } }[] }).files[0]!.error?.message, 'is 65 MiB; files over 64 MiB are not read');
  });

  it('a rule test file, or the rule it names, that is a FIFO: a file error, not a hang', async () => {
    const dir = tmp();
    const pipe = fifo(path.join(dir, 'pipe.ruletests.json'));
    const rulePipe = fifo(path.join(dir, 'rule.dynrule'));
    writeFileSync(path.join(dir, 'b.ruletests.json'), JSON.stringify({ rule: 'rule.dynrule', cases: [{ name: 'x', user: { department: 'Sales' }, expect: 'member' }] }));
    try {
      const r = await dynrule(['test', dir, '--reporter', 'json'], { timeoutMs: 20_000 });
      assert.equal(r.signal, null, 'test hung on the FIFO');
      assert.equal(r.code, 2, r.stderr);
      const report = JSON.parse(r.stdout) as { files: { file: string; error?: { message: string } }[] };
      assert.deepEqual(report.files.map((f) => f.error?.message), [
        'the rule file rule.dynrule is a FIFO (named pipe), not a file: only regular files are read',
        'is a FIFO (named pipe), not a file: only regular files are read',
      ]);
    } finally {
      release(pipe);
      release(rulePipe);
    }
  });

  describe('in the language server', () => {
    let h: Harness;
    const pipes: string[] = [];
    after(() => {
      for (const p of pipes) release(p);
      h?.close();
    });

    it('eight rule test runs on FIFOs at once: each answered with the error, and selectTenant still answers', async () => {
      h = await startHarness();
      const dir = tmp();
      for (let i = 0; i < 8; i++) pipes.push(fifo(path.join(dir, `p${i}.ruletests.json`)));
      // More than Node's four file-reading threads: a read waiting on a FIFO would hold one each.
      const runs = pipes.map((file) => h.client.sendRequest<RunRuleTestsResponse>('dynrule/runRuleTests', { files: [file] }));
      const info = await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'folder', path: path.resolve(TENANT) } });
      assert.equal(info.state, 'ready', info.error);
      for (const r of await Promise.all(runs)) {
        assert.equal(r.files[0]!.error?.message, 'is a FIFO (named pipe), not a file: only regular files are read');
      }
      const listed = await h.client.sendRequest<{ error?: { message: string } }>('dynrule/listRuleTests', { file: pipes[0] });
      assert.equal(listed.error?.message, 'is a FIFO (named pipe), not a file: only regular files are read');
    });
  });
});

describe('robustness: a JSON Lines file with an endless line', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    ensureBuilt();
    // A valid first line, then 2 GB without a line break (a sparse file: no disk is used).
    dir = tmp();
    const file = path.join(dir, 'users.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: 'u1', department: 'Sales' })}\n`);
    truncateSync(file, 2 ** 31);
  });

  const expected = /^users\.jsonl:2:1: line 2 is longer than 16 MiB, which no Microsoft Graph object is: is this a JSON Lines file \(one object a line\)\?$/;
  const paths = [
    ['objects (a small tenant)', { keepObjects: true }],
    ['columns, in this thread', { keepObjects: false, workers: 0, cacheDir: false }],
    ['columns, on worker threads', { keepObjects: false, workers: 2, cacheDir: false }],
  ] as const;
  for (const [name, options] of paths) {
    it(`fails at the line, without reading it whole: ${name}`, async () => {
      await assert.rejects(loadSnapshot(dir, { only: ['users'], ...options }), (e: unknown) => {
        assert.ok(e instanceof SnapshotError);
        assert.match(e.message, expected);
        return true;
      });
    });
  }

  it('dynrule eval: exit 2 with the file, line and why', async () => {
    const r = await dynrule(['eval', '--rule', RULE, '--tenant', dir], { timeoutMs: 100_000, env: { DYNRULE_CACHE_DIR: tmp() } });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr.trim(), /^dynrule: users\.jsonl:2:1: line 2 is longer than 16 MiB/);
  });

  it('a bad line in the middle says where the line ends, not that the file is truncated', async () => {
    const d = tmp();
    writeFileSync(path.join(d, 'users.jsonl'), '{"id":"u1"}\n{"id":"u2","department":\n{"id":"u3"}\n');
    const r = await dynrule(['eval', '--rule', RULE, '--tenant', d]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'dynrule: users.jsonl:2:25: invalid JSON: expected a value but found the end of the line (is the object cut short?)\n');
  });
});

describe('robustness: a group of 900,000 members in groups.jsonl', () => {
  it('is a line over 16 MiB that is read, as a group carries its members', async () => {
    const dir = tmp();
    const members = Array.from({ length: 900_000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    writeFileSync(path.join(dir, 'users.jsonl'), `${JSON.stringify({ id: members[0], department: 'Sales' })}\n`);
    writeFileSync(path.join(dir, 'groups.jsonl'), `${JSON.stringify({ id: 'g1', displayName: 'Everyone', membershipRule: 'user.objectId -ne null', members })}\n`);
    const s = await loadSnapshot(dir, { only: ['users', 'groups'] });
    assert.equal(s.groups![0]!.members!.length, 900_000);
  });
});

describe('robustness: rule file text', function () {
  this.timeout(60_000);
  before(() => ensureBuilt());

  it('a leading byte-order mark is accepted silently; one inside the rule is named as what it is', async () => {
    const dir = tmp();
    const bom = path.join(dir, 'bom.dynrule');
    writeFileSync(bom, `\ufeff${RULE}\n`);
    const file = await dynrule(['check', bom, '--strict']);
    assert.equal(file.code, 0, file.stdout);
    // Text that still holds it (the editor's, or --rule): no issue either.
    assert.deepEqual(checkRule(parseRule(`\ufeff${RULE}`)), []);
    const mid = path.join(dir, 'mid.dynrule');
    writeFileSync(mid, `${RULE} -and\ufeffuser.city -eq "Oslo"\n`);
    const c = await dynrule(['check', mid, '--format', 'json']);
    const issues = JSON.parse(c.stdout) as { code: string; message: string; range: { start: { character: number } } }[];
    assert.deepEqual(issues.map((i) => [i.code, i.range.start.character, i.message]), [
      ['syntax/unicode-space', RULE.length + 5, 'A byte-order mark (U+FEFF, an invisible character) inside the rule: remove it.'],
    ]);
  });

  it('--rule "-not (…)": a rule may start with -not', async () => {
    for (const text of ['-not (user.department -eq "Sales")', '-not(user.department -eq "Sales")', '-NOT (user.department -eq "Sales")']) {
      const r = await dynrule(['eval', '--rule', text, '--tenant', TENANT, '--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const negated = JSON.parse(r.stdout) as { count: number };
      const plain = JSON.parse((await dynrule(['eval', '--rule', RULE, '--tenant', TENANT, '--format', 'json'])).stdout) as { count: number };
      assert.equal(negated.count, 400 - plain.count);
    }
    const explain = await dynrule(['explain', '--rule', '-not (user.department -eq "Sales")', '--tenant', TENANT, '--user', 'thomas.green@contoso.com']);
    assert.equal(explain.code, 0, explain.stderr);
    // A missing value is still a one-line usage error.
    const missing = await dynrule(['eval', '--tenant']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
  });

  it('a rule test file whose "rule" is "." names it and says why it cannot be read', async () => {
    const dir = tmp();
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'sub', 'dot.ruletests.json'), JSON.stringify({ rule: '.', cases: [{ name: 'x', user: { department: 'Sales' }, expect: 'member' }] }));
    const r = await dynrule(['test', dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /dot\.ruletests\.json:1:9: the rule file \. is a folder, not a file: only regular files are read$/m);
  });
});

describe('robustness: the column cache and a file copied with its times kept', function () {
  this.timeout(60_000);

  it('an edit of the same size with the modification time put back (cp -p, tar -x, rsync -t) is read again', async () => {
    const dir = tmp();
    const cache = tmp('dynrule-cache-');
    const file = path.join(dir, 'users.jsonl');
    const users = (department: string): string => Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: `u${i}`, department })).join('\n');
    const load = async (): Promise<string[]> => (await loadSnapshot(dir, { only: ['users'], keepObjects: false, workers: 0, cacheDir: cache })).users!.map((u) => String(u['department']));
    writeFileSync(file, users('HR___'));
    // Whole seconds, so that the time put back is exactly the one the cache was written for.
    const when = Math.floor(Date.now() / 1000) - 3600;
    utimesSync(file, when, when);
    const before = statSync(file);
    assert.deepEqual(await load(), Array(5).fill('HR___'));
    const columns = path.join(cache, 'columns');
    // The cache is written in the background: wait until it is there.
    while (!(existsSync(columns) && readdirSync(columns).some((f) => f.endsWith('.columns')))) await new Promise((r) => setImmediate(r));
    writeFileSync(file, users('Sales'));
    utimesSync(file, when, when);
    const after = statSync(file);
    assert.equal(after.size, before.size);
    assert.equal(after.mtimeMs, before.mtimeMs);
    assert.deepEqual(await load(), Array(5).fill('Sales'));
  });
});
