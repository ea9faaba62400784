/**
 * What a broken snapshot file is reported as: messages that quote the file escape what cannot be
 * printed and stay one line; a file of the wrong shape is reported where its value begins;
 * duplicate ids are a note, and the first of each is used.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { locateJsonError, printable } from '../../../server/src/tenant/jsonError';
import { loadSnapshot, SnapshotError, type LoadOptions } from '../../../server/src/tenant/snapshot';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dynrule-messages-'));
  for (const [f, content] of Object.entries(files)) writeFileSync(path.join(dir, f), content);
  return dir;
}

async function failure(dir: string): Promise<SnapshotError> {
  try {
    await loadSnapshot(dir);
  } catch (e) {
    assert.ok(e instanceof SnapshotError, String(e));
    return e;
  }
  assert.fail('loaded');
}

const PATHS: readonly [string, LoadOptions][] = [
  ['objects', { keepObjects: true }],
  ['columns', { keepObjects: false, workers: 1, cacheDir: false }],
];

describe('messages that quote a snapshot file', () => {
  it('escape control and invisible characters, and stay one line', async () => {
    const cases: [string, RegExp][] = [
      ['[{"id":"u1"}]\0\0', /^users\.json:1:14: invalid JSON: unexpected '\\u0000' after the end of the JSON value$/],
      ['[{"id":"u1"}\u2028]', /^users\.json:1:13: invalid JSON: expected ',' or '\]' but found '\\u2028'$/],
      ['[{"id":"u1"}\u202e]', /'\\u202e'/],
      ['[{"id":"u1"}\x1b[31m]', /'\\u001b'/],
      ['[{"id":"u1"}😀]', /found '😀'$/],
    ];
    for (const [text, expected] of cases) {
      const e = await failure(folder({ 'users.json': text }));
      assert.match(e.message, expected, JSON.stringify(text));
      assert.ok(!/[\u0000-\u001f\u2028]/.test(e.message), e.message);
    }
    const line = await failure(folder({ 'users.jsonl': '{"id":"u1"}\n{"id":"u2"}\0\n' }));
    assert.match(line.message, /^users\.jsonl:2:12: invalid JSON: unexpected '\\u0000'/);
  });

  it('printable() caps and escapes', () => {
    assert.equal(printable('a\u0000b\nc\u007f\u0085\u200b\ufeff'), 'a\\u0000b\\u000ac\\u007f\\u0085\\u200b\\ufeff');
    assert.equal(printable('x'.repeat(100)), `${'x'.repeat(40)}…`);
    assert.equal(printable('😀'.repeat(50), 3), '😀😀😀…');
    assert.equal(printable('Zoë İstanbul 日本'), 'Zoë İstanbul 日本');
    assert.equal(locateJsonError('{"a":\u0001}')?.message, "expected a value but found '\\u0001'");
    assert.equal(locateJsonError('[1\ud800]')?.message, "expected ',' or ']' but found '\\ud800'");
  });
});

describe('snapshot files of the wrong shape', () => {
  const cases: [string, RegExp][] = [
    ['{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "users": []}', /^users\.json:1:1: expected a Microsoft Graph page \{"value": \[\.\.\.\]\} or a JSON array of objects$/],
    ['\n\n  {"value": 5}', /^users\.json:3:3: expected a Microsoft Graph page/],
    ['"users"', /^users\.json:1:1: expected a Microsoft Graph page/],
    ['[1, 2, 3]', /^users\.json:1:2: item 1 is not a JSON object$/],
    ['{"value": [{"id": "u1"},\n  [], {"id": "u2"}]}', /^users\.json:2:3: item 2 is not a JSON object$/],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)}: the file and where the value begins`, async () => {
      assert.match((await failure(folder({ 'users.json': text }))).message, expected);
    });
  }

  it('duplicate ids: a note, and the first of each is used on every path', async () => {
    const dir = folder({ 'users.jsonl': ['{"id":"u1","department":"Sales"}', '{"id":"U1","department":"HR"}', '{"id":"u2"}'].join('\n') });
    for (const [name, options] of PATHS) {
      const s = await loadSnapshot(dir, options);
      assert.equal(s.userById.get('u1')!['department'], 'Sales', name);
      assert.deepEqual(s.notes.filter((n) => n.startsWith('users')), ['users: 1 duplicate id; the first occurrence of each is used'], name);
    }
  });
});
