/**
 * A catastrophic -match pattern over 100,000 users finishes in bounded time in the CLI and in the
 * server (both register the linear-time engine at start), with definite answers — and on safe
 * patterns the answers are those of JavaScript's RegExp.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  compileRule, defaultRegexEngine, nativeRegexEngine, parseRule, setDefaultRegexEngine, T, U, type GraphObject,
} from '../../../grammar/src/index';
import type { PreviewResponse, TenantInfo } from '../../../server/src/lsp/protocol';
import { previewRule } from '../../../server/src/preview/preview';
import { linearRegexEngine } from '../../../server/src/regex/engine';
import { loadSnapshot, type Snapshot } from '../../../server/src/tenant/snapshot';
import { dynrule, ensureBuilt, plainUser, startStdioServer, until, writeTenant, type UserTemplate } from './helpers';

const USERS = 100_000;
/** Every user's department is a run of a's that does not match (a+)+$ at the end: the worst case. */
const evil: UserTemplate = (i) => ({ ...plainUser(i), department: `${'a'.repeat(28)}!${i}`, jobTitle: `${'a'.repeat(40)}${i}` });
/** Rules and how many of the users they select. */
const CATASTROPHIC: readonly (readonly [string, number])[] = [
  ['user.department -match "(a+)+$"', 0],
  ['user.department -match "(.*a){20}"', USERS],
  // Not flagged by the static analysis, and as slow for RegExp: 8 adjacent \w* over 40+ characters.
  ['user.jobTitle -match "\\w*\\w*\\w*\\w*\\w*\\w*\\w*\\w*!"', 0],
];
/** Generous for a busy CI machine; measured locally: see SECURITY.md. */
const BOUND_MS = 30_000;

interface EvalJson { readonly count: number; readonly members: string[]; readonly unknown: string[] }

describe('robustness: catastrophic -match over 100,000 users', function () {
  this.timeout(180_000);
  let tenant: string;
  before(() => {
    ensureBuilt();
    tenant = writeTenant(USERS, evil);
  });

  for (const [rule, selected] of CATASTROPHIC) {
    it(`dynrule eval finishes in bounded time with definite answers: ${rule}`, async () => {
      const r = await dynrule(['eval', '--rule', rule, '--tenant', tenant, '--format', 'json'], { timeoutMs: BOUND_MS });
      assert.equal(r.signal, null, `killed after ${BOUND_MS} ms: it hung`);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as EvalJson;
      assert.equal(out.count, selected);
      assert.deepEqual(out.unknown, [], 'the linear engine decides every user');
      console.log(`      dynrule eval, 100,000 users, ${rule}: ${r.ms.toFixed(0)} ms`);
    });
  }

  it('the server (dist/server.js) previews a catastrophic rule over 100,000 users in bounded time', async () => {
    const server = await startStdioServer({ tenant: { kind: 'folder', path: tenant } });
    try {
      await until(async () => {
        const info = await server.client.sendRequest<TenantInfo>('dynrule/tenantInfo', {});
        if (info.state === 'failed') throw new Error(info.error);
        return info.state === 'ready' ? info : undefined;
      }, 60_000, 'the tenant');
      for (const [rule, selected] of CATASTROPHIC) {
        const uri = `file:///robust/${encodeURIComponent(rule)}.dynrule`;
        await server.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dynrule', version: 1, text: rule } });
        const t0 = performance.now();
        const p = await server.client.sendRequest<PreviewResponse>('dynrule/preview', { uri });
        const ms = performance.now() - t0;
        assert.ok(p.ok, p.ok ? '' : p.reason);
        assert.equal(p.after, selected);
        assert.deepEqual(p.unknown, []);
        assert.ok(ms < BOUND_MS, `${ms} ms`);
        console.log(`      server preview, 100,000 users, ${rule}: ${ms.toFixed(0)} ms`);
      }
      // Still answering.
      const info = await server.client.sendRequest<TenantInfo>('dynrule/tenantInfo', {});
      assert.equal(info.users, USERS);
    } finally {
      await server.stop();
    }
  });

  it('on safe patterns, the CLI gives the members JavaScript RegExp gives', async () => {
    const users = readFileSync(path.join(tenant, 'users.jsonl'), 'utf8').trim().split('\n').slice(0, 2000).map((l) => JSON.parse(l) as GraphObject);
    const small = writeTenant(2000, (i) => users[i] as Record<string, unknown>);
    for (const rule of [
      'user.jobTitle -match "^a+1\\d$"',
      'user.jobTitle -match "A{40}(1|2)"',
      'user.userPrincipalName -match "^user1.*@contoso\\.com$"',
      'user.department -notMatch "!\\d{3}$"',
      'user.department -match "(?<=!)19"',
    ]) {
      const r = await dynrule(['eval', '--rule', rule, '--tenant', small, '--format', 'json'], { timeoutMs: BOUND_MS });
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as EvalJson;
      const native = compileRule(parseRule(rule), { regex: nativeRegexEngine });
      assert.ok(native.ok);
      const expected = users.filter((u) => native.rule.test(u) === T).map((u) => String(u['id']));
      assert.ok(!users.some((u) => native.rule.test(u) === U));
      assert.deepEqual(out.members, expected, rule);
    }
  });
});

describe('robustness: the preview says when a -match pattern could not be run', function () {
  this.timeout(60_000);
  let snapshot: Snapshot;
  const previous = defaultRegexEngine();
  before(async () => { snapshot = await loadSnapshot(writeTenant(1000)); });
  after(() => setDefaultRegexEngine(previous));

  const preview = (rule: string) => previewRule(snapshot, parseRule(rule));

  it('a pattern whose time budget runs out: the remaining users are unknown, and a note says which pattern', () => {
    // An engine that takes 5 ms a string: 1,000 distinct job titles exceed the 2 s budget.
    setDefaultRegexEngine({ compile: () => (s) => { const end = Date.now() + 5; while (Date.now() < end); return s.startsWith('Sales'); } });
    const p = preview('user.jobTitle -match "^Sales"');
    assert.ok(p.unknown.length > 0 && p.unknown.length < 1000, `${p.unknown.length} unknown`);
    assert.ok(p.notes.some((n) => n.includes('"^Sales" ran out of its time budget')), p.notes.join('\n'));
  });

  it('with the linear engine a catastrophic pattern runs (no note); a .NET-only one cannot (a note)', () => {
    setDefaultRegexEngine(linearRegexEngine);
    const catastrophic = preview('user.jobTitle -match "(a+)+$"');
    assert.deepEqual(catastrophic.unknown, []);
    assert.ok(!catastrophic.notes.some((n) => /-match/.test(n)), catastrophic.notes.join('\n'));
    const dotnet = preview('user.jobTitle -match "(?>Sales)"');
    assert.equal(dotnet.unknown.length, 1000);
    assert.ok(dotnet.notes.some((n) => /a -match pattern cannot be run safely here/.test(n)), dotnet.notes.join('\n'));
  });
});
