/**
 * Big and broken inputs, through the public behaviour only — CLI exit codes and messages, LSP
 * answers — so these keep holding while the internals (the snapshot loader above all) change:
 * a 50 MB rule file, binary garbage, 100,000 lines, 10,000-deep parentheses; snapshots truncated,
 * of the wrong shape, with duplicate ids, 10 MB values, invalid UTF-8, NUL bytes. Each gets a clear message
 * with the file and position, and the server keeps answering about other documents.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CompletionList, FoldingRange, Hover, SemanticTokens, TextEdit } from 'vscode-languageserver-protocol';
import type { PreviewResponse, TenantInfo } from '../../../protocol/src/protocol';
import type { PreviewResult } from '../../../server/src/preview/preview';
import { MAX_DOCUMENT_LENGTH } from '../../../server/src/limits';
import { startHarness, type Harness } from '../../support/lsp';
import { dynrule, ensureBuilt, plainUser, tmp, writeTenant } from './helpers';

const MB = 1024 * 1024;
const RULE = 'user.department -eq "Sales"';

/** Rule files that are not rules. */
function ruleFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const put = (name: string, content: string | Buffer): void => {
    writeFileSync(path.join(dir, name), content);
    files[name] = path.join(dir, name);
  };
  put('fifty-mb.dynrule', `${RULE} -and `.repeat(Math.ceil((50 * MB) / (RULE.length + 6))).slice(0, 50 * MB));
  put('lines.dynrule', `${'# a comment line\n'.repeat(100_000)}${RULE}\n`);
  // Binary garbage that is still UTF-8 (every byte value as a character, controls and NUL included);
  // bytes that are not UTF-8 are refused before parsing (below).
  const garbage = (n: number): Buffer => Buffer.from(randomBytes(n).toString('latin1'), 'utf8');
  put('garbage-small.dynrule', garbage(16 * 1024));
  put('garbage-large.dynrule', garbage(2 * MB));
  put('not-utf8.dynrule', Buffer.concat([Buffer.from(`${RULE} -or\n user.city -eq "Z`), Buffer.from([0xff, 0xfe]), randomBytes(64 * 1024)]));
  put('deep.dynrule', `${'('.repeat(10_000)}${RULE}${')'.repeat(10_000)}`);
  return files;
}

interface Checked { file: string; range: { start: { line: number; character: number } }; severity: string; code: string; message: string }

describe('robustness: big and broken rule files through the CLI', function () {
  this.timeout(120_000);
  let files: Record<string, string>;
  before(() => {
    ensureBuilt();
    files = ruleFiles(tmp());
  });

  for (const name of ['fifty-mb.dynrule', 'lines.dynrule', 'garbage-large.dynrule']) {
    it(`${name}: one error at 1:1 with the size, at once`, async () => {
      const r = await dynrule(['check', files[name]!, '--format', 'json'], { timeoutMs: 30_000 });
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr, '');
      const issues = JSON.parse(r.stdout) as Checked[];
      assert.deepEqual(issues.map((i) => [i.code, i.range.start.line, i.range.start.character]), [['rule/document-too-large', 0, 0]]);
      assert.match(issues[0]!.message, /This file has [\d,]+ characters; a rule has at most 3,072/);
      assert.ok(r.ms < 10_000, `${r.ms} ms`);
      const text = await dynrule(['check', files[name]!]);
      assert.match(text.stdout, new RegExp(`${name.replace('.', '\\.')}:1:1: error rule/document-too-large`));
    });
  }

  it('a too-large rule file cannot be evaluated: exit 2, one line with the file and position', async () => {
    const r = await dynrule(['eval', files['fifty-mb.dynrule']!, '--tenant', 'samples/tenant/contoso'], { timeoutMs: 30_000 });
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /fifty-mb\.dynrule:1:1: rule\/document-too-large/);
  });

  it('binary garbage under the size limit: errors with positions, no crash', async () => {
    const r = await dynrule(['check', files['garbage-small.dynrule']!, '--format', 'json'], { timeoutMs: 30_000 });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, '');
    const issues = JSON.parse(r.stdout) as Checked[];
    assert.ok(issues.length > 0);
    assert.ok(issues.every((i) => i.file.endsWith('garbage-small.dynrule') && i.range.start.line >= 0));
  });

  it('bytes that are not UTF-8: refused with the file, line and column of the first one, not read as U+FFFD', async () => {
    for (const command of [['check'], ['eval', '--tenant', 'samples/tenant/contoso']]) {
      const r = await dynrule([...command, files['not-utf8.dynrule']!], { timeoutMs: 30_000 });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `dynrule: ${files['not-utf8.dynrule']}:2:18: invalid UTF-8 (byte 0xFF at byte offset ${RULE.length + 22}): save the file as UTF-8\n`);
    }
  });

  it('10,000-deep parentheses: one syntax/too-deep error where it goes too deep', async () => {
    const r = await dynrule(['check', files['deep.dynrule']!, '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const issues = JSON.parse(r.stdout) as Checked[];
    assert.deepEqual(issues.map((i) => [i.code, i.range.start.line, i.range.start.character]), [['syntax/too-deep', 0, 100]]);
  });
});

/** Snapshot folders that are broken in one way each. */
function snapshots(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const folder = (name: string, files: Record<string, string | Buffer>): void => {
    const dir = path.join(root, name);
    mkdirSync(dir);
    for (const [f, content] of Object.entries(files)) writeFileSync(path.join(dir, f), content);
    out[name] = dir;
  };
  folder('truncated', { 'users.json': '[{"id":"u1","department":"Sales"},{"id":"u2","depart' });
  folder('truncated-jsonl', { 'users.jsonl': '{"id":"u1","department":"Sales"}\n{"id":"u2","x":\n' });
  folder('wrong-shape', { 'users.json': '{"users": [{"id": "u1"}]}' });
  folder('page-without-value', { 'users.json': '{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=x"}' });
  folder('not-objects', { 'users.json': '[{"id":"u1"}, 42, "x"]' });
  folder('numbers', { 'users.json': '[1, 2, 3]' });
  folder('empty-file', { 'users.json': '' });
  folder('nul-bytes', { 'users.json': Buffer.from('[{"id":"u1"}]\0\0') });
  folder('duplicates', { 'users.json': JSON.stringify([{ id: 'u1', department: 'Sales' }, { id: 'U1', department: 'HR' }, { id: 'u2', department: 'Sales' }]) });
  folder('duplicates-jsonl', { 'users.jsonl': ['{"id":"u1","department":"Sales"}', '{"id":"U1","department":"HR"}', '{"id":"u2","department":"Sales"}'].join('\n') });
  folder('ten-mb-value', { 'users.json': JSON.stringify([{ id: 'u1', department: 'S'.repeat(10 * MB) }, { id: 'u2', department: 'Sales' }]) });
  folder('ten-mb-value-jsonl', { 'users.jsonl': `${JSON.stringify({ id: 'u1', department: 'S'.repeat(10 * MB) })}\n${JSON.stringify({ id: 'u2', department: 'Sales' })}\n` });
  folder('invalid-utf8', { 'users.json': Buffer.concat([Buffer.from('[{"id":"u1","department":"Sa'), Buffer.from([0xff, 0xfe]), Buffer.from('les"},{"id":"u2","department":"Sales"}]')]) });
  folder('invalid-utf8-jsonl', { 'users.jsonl': Buffer.concat([Buffer.from('{"id":"u1","department":"Sales"}\n{"id":"u2","department":"Sa'), Buffer.from([0xc3, 0x28]), Buffer.from('les"}\n')]) });
  return out;
}

/** What each broken snapshot must give: a failure naming the file and position, or a load. */
const EXPECTED: Record<string, { fails: RegExp } | { members: string[] }> = {
  'truncated': { fails: /users\.json:1:53: .*truncated/ },
  'truncated-jsonl': { fails: /users\.jsonl:2:\d+: / },
  'wrong-shape': { fails: /users\.json:1:1: expected a Microsoft Graph page \{"value": \[\.\.\.\]\} or a JSON array of objects$/ },
  'page-without-value': { fails: /users\.json:1:1: expected a Microsoft Graph page/ },
  'not-objects': { fails: /users\.json:1:15: item 2 is not a JSON object$/ },
  'numbers': { fails: /users\.json:1:2: item 1 is not a JSON object$/ },
  'empty-file': { fails: /users\.json:1:1: / },
  // The NUL bytes are written as escapes, not into the message.
  'nul-bytes': { fails: /users\.json:1:14: invalid JSON: unexpected '\\u0000' after the end of the JSON value$/ },
  'duplicates': { members: ['u1', 'u2'] },
  'duplicates-jsonl': { members: ['u1', 'u2'] },
  'ten-mb-value': { members: ['u2'] },
  'ten-mb-value-jsonl': { members: ['u2'] },
  // Not read as U+FFFD: the first bad byte, with its line, column and offset.
  'invalid-utf8': { fails: /users\.json:1:29: invalid UTF-8 \(byte 0xFF at byte offset 28\): save the file as UTF-8$/ },
  'invalid-utf8-jsonl': { fails: /users\.jsonl:2:28: invalid UTF-8 \(byte 0xC3 at byte offset 60\): save the file as UTF-8$/ },
};

describe('robustness: broken snapshots through the CLI and the server\'s tenant selection', function () {
  this.timeout(120_000);
  let dirs: Record<string, string>;
  let ruleFile: string;
  let h: Harness;
  before(async () => {
    ensureBuilt();
    const root = tmp();
    dirs = snapshots(root);
    ruleFile = path.join(root, 'sales.dynrule');
    writeFileSync(ruleFile, `${RULE}\n`);
    h = await startHarness();
  });
  after(() => h.close());

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: ${'fails' in expected ? 'fails with the file and position' : 'loads'}, in the CLI (eval, preview) and the server`, async () => {
      const r = await dynrule(['eval', '--rule', RULE, '--tenant', dirs[name]!, '--format', 'json'], { timeoutMs: 60_000 });
      const p = await dynrule(['preview', ruleFile, '--tenant', dirs[name]!, '--format', 'json'], { timeoutMs: 60_000 });
      for (const run of [r, p]) assert.doesNotMatch(run.stderr, /internal error/);
      const info = await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'folder', path: dirs[name]! } });
      if ('fails' in expected) {
        for (const run of [r, p]) {
          assert.equal(run.code, 2, run.stdout);
          assert.equal(run.stdout, '');
          assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
          assert.match(run.stderr.trimEnd(), expected.fails);
        }
        assert.equal(info.state, 'failed');
        assert.match(info.error ?? '', expected.fails);
      } else {
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual((JSON.parse(r.stdout) as { members: string[] }).members, expected.members);
        assert.equal(p.code, 0, p.stderr);
        assert.deepEqual((JSON.parse(p.stdout) as PreviewResult).added, expected.members);
        assert.equal(info.state, 'ready', info.error);
      }
      // The server still answers about documents.
      const uri = await h.open(`after-${name}.dynrule`, RULE);
      const hover = await h.client.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 7 } });
      assert.ok(hover);
    });
  }

  for (const name of ['duplicates', 'duplicates-jsonl']) {
    it(`${name}: duplicate ids are reported in the tenant's notes, by eval (stderr) and preview`, async () => {
      const note = 'users: 1 duplicate id; the first occurrence of each is used';
      const info = await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'folder', path: dirs[name]! } });
      assert.ok((info.notes ?? []).includes(note), JSON.stringify(info.notes));
      const r = await dynrule(['eval', '--rule', RULE, '--tenant', dirs[name]!]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stderr.split('\n').includes(`dynrule: note: ${note}`), r.stderr);
      assert.ok(!r.stdout.includes(note));
      const p = await dynrule(['preview', ruleFile, '--tenant', dirs[name]!]);
      assert.ok(p.stdout.split('\n').includes(`  - ${note}`), p.stdout);
    });
  }
});

describe('robustness: the server with a huge document open', function () {
  this.timeout(120_000);
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(() => h.close());

  it('a 50 MB document gets one diagnostic and no feature; other documents are served at once', async () => {
    const huge = `${RULE} -and `.repeat(Math.ceil((50 * MB) / (RULE.length + 6))).slice(0, 50 * MB);
    const big = await h.open('huge.dynrule', huge);
    const small = await h.open('small.dynrule', 'user.');
    // The next request about the small document is answered within a second of the huge one arriving.
    const t0 = performance.now();
    const list = await h.client.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri: small }, position: { line: 0, character: 5 } });
    assert.ok(list.items.some((i) => i.label === 'department'));
    assert.ok(performance.now() - t0 < 5000, `${(performance.now() - t0).toFixed(0)} ms`);

    const { diagnostics } = await h.diagnostics(big);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['rule/document-too-large', 0, 0]]);
    assert.match(diagnostics[0]!.message, new RegExp(`${(50 * MB).toLocaleString('en-US')} characters`));
    const at = { textDocument: { uri: big }, position: { line: 0, character: 5 } };
    const t1 = performance.now();
    assert.deepEqual((await h.client.sendRequest<CompletionList>('textDocument/completion', at)).items, []);
    assert.equal(await h.client.sendRequest<Hover | null>('textDocument/hover', at), null);
    assert.deepEqual((await h.client.sendRequest<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: big } })).data, []);
    assert.deepEqual(await h.client.sendRequest<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: big } }), []);
    assert.deepEqual(await h.client.sendRequest<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: big } }), []);
    assert.deepEqual(await h.client.sendRequest<TextEdit[]>('textDocument/formatting', { textDocument: { uri: big }, options: { tabSize: 2, insertSpaces: true } }), []);
    assert.deepEqual(await h.client.sendRequest<unknown[]>('textDocument/codeLens', { textDocument: { uri: big } }), []);
    assert.deepEqual(await h.client.sendRequest<unknown[]>('textDocument/inlayHint', { textDocument: { uri: big }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 100 } } }), []);
    const preview = await h.client.sendRequest<PreviewResponse>('dynrule/preview', { uri: big });
    assert.equal(preview.ok, false);
    assert.ok(performance.now() - t1 < 5000, `the features answered in ${(performance.now() - t1).toFixed(0)} ms`);
  });

  it(`a document just under the limit (${MAX_DOCUMENT_LENGTH.toLocaleString('en-US')} characters) is still checked in full`, async () => {
    const text = `${RULE}\n${'# comment\n'.repeat(Math.floor((MAX_DOCUMENT_LENGTH - RULE.length - 1) / 10))}`;
    assert.ok(text.length <= MAX_DOCUMENT_LENGTH);
    const uri = await h.open('just-under.dynrule', text);
    const { diagnostics } = await h.diagnostics(uri);
    assert.ok(!diagnostics.some((d) => d.code === 'rule/document-too-large'));
    const hover = await h.client.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 7 } });
    assert.ok(hover);
  });
});

describe('robustness: the server while a huge tenant loads', function () {
  this.timeout(180_000);
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(() => h.close());

  for (const format of ['jsonl', 'json'] as const) {
    it(`answers requests about documents while 200,000 users load from users.${format}`, async () => {
      const dir = writeTenant(200_000, plainUser, tmp('dynrule-tenant-'), format);
      const uri = await h.open(`while-loading-${format}.dynrule`, 'user.');
      let done = false;
      const t0 = performance.now();
      const loading = h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'folder', path: dir } }).finally(() => { done = true; });
      const latencies: number[] = [];
      while (!done) {
        const t = performance.now();
        const list = await h.client.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 5 } });
        latencies.push(performance.now() - t);
        assert.ok(list.items.length > 0);
        await new Promise((r) => setTimeout(r, 20));
      }
      const info = await loading;
      const total = performance.now() - t0;
      assert.equal(info.state, 'ready', info.error);
      assert.equal(info.users, 200_000);
      const worst = Math.max(...latencies);
      console.log(`      users.${format}: loaded in ${total.toFixed(0)} ms; ${latencies.length} completions meanwhile, slowest ${worst.toFixed(0)} ms`);
      // A load of more than a second and a half leaves room for several requests (a fast one, for one).
      if (total > 1500) assert.ok(latencies.length >= 3, `only ${latencies.length} requests answered during a ${total.toFixed(0)} ms load`);
      assert.ok(worst < Math.max(1000, total / 3), `a completion waited ${worst.toFixed(0)} ms during a ${total.toFixed(0)} ms load`);
    });
  }
});
