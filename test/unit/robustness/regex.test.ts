/**
 * A catastrophic -match pattern over 100,000 users finishes in bounded time in the CLI and in the
 * server (both register the linear-time engine at start), with definite answers — and on safe
 * patterns the answers are those of JavaScript's RegExp.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { defaultRegexEngine, parseRule, setDefaultRegexEngine, type RegexEngine } from '../../../grammar/src/index';
import { compileRule, T, U, type GraphObject } from '../../../grammar/engine/src/index';
import type { ExplainResponse, PreviewResponse, TenantInfo } from '../../../server/src/lsp/protocol';
import { previewRule } from '../../../server/src/preview/preview';
import { linearRegexEngine } from '../../../server/src/regex/engine';
import { loadSnapshot, type Snapshot } from '../../../server/src/tenant/snapshot';
import { dynrule, ensureBuilt, plainUser, startStdioServer, tmp, until, writeTenant, type UserTemplate } from './helpers';

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

/** JavaScript's RegExp, as the reference on patterns known to be safe for it (test only). */
const referenceEngine: RegexEngine = {
  compile: (a) => {
    const re = new RegExp(a.source, a.flags);
    return (s) => re.test(s);
  },
  refusal: () => undefined,
};

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
      const native = compileRule(parseRule(rule), { regex: referenceEngine });
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
    setDefaultRegexEngine({ compile: () => (s) => { const end = Date.now() + 5; while (Date.now() < end); return s.startsWith('Sales'); }, refusal: () => undefined });
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
    assert.ok(dotnet.notes.some((n) => n.includes('the pattern "(?>Sales)" is not run (a .NET-only construct)')), dotnet.notes.join('\n'));
  });
});

/**
 * The patterns that hang a backtracking engine — nested quantifiers over overlapping alternatives
 * behind a lookahead, or a repeat count over 1,000 — are refused before they run: `check` reports
 * them, eval, explain and the server answer at once with unknown and say why, and the server goes
 * on answering.
 */
describe('robustness: -match patterns no linear-time engine can run are refused, not run', function () {
  this.timeout(120_000);
  const COUNTED = 'user.displayName -match "(a|b?a){0,5000}c"';
  const LOOKAHEAD = 'user.onPremisesDistinguishedName -match "(?=C)(\\p{L}|x?\\p{L}|=|,| )*\\x00"';
  const USERS = 200;
  /** Every user's name is 45 a's and their DN long and all letters: the worst case for both patterns. */
  const hostile: UserTemplate = (i) => ({
    ...plainUser(i),
    displayName: 'a'.repeat(45),
    onPremisesDistinguishedName: `CN=${'a'.repeat(60)},OU=${'b'.repeat(60)},DC=contoso,DC=com`,
  });
  let tenant: string;
  let dir: string;
  before(() => {
    ensureBuilt();
    tenant = writeTenant(USERS, hostile);
    dir = tmp();
  });

  it('dynrule check reports each refused pattern (regex/refused), with its position and why', async () => {
    const file = path.join(dir, 'hostile.dynrule');
    writeFileSync(file, `${COUNTED}\n-or ${LOOKAHEAD}\n`);
    const r = await dynrule(['check', file, '--format', 'json'], { timeoutMs: BOUND_MS });
    assert.equal(r.signal, null, 'check hung');
    const issues = JSON.parse(r.stdout) as { code: string; message: string; range: { start: { line: number; character: number } } }[];
    const refused = issues.filter((i) => i.code === 'regex/refused');
    assert.deepEqual(refused.map((i) => i.range.start), [{ line: 0, character: 24 }, { line: 1, character: 44 }]);
    assert.match(refused[0]!.message, /not run \(the linear-time engine cannot run a repeat count over 1,000\).*unknown/);
    assert.match(refused[1]!.message, /not run \(the linear-time engine cannot run lookahead\).*unknown/);
  });

  for (const [rule, reason] of [[COUNTED, 'a repeat count over 1,000'], [LOOKAHEAD, 'lookahead']] as const) {
    it(`dynrule eval returns at once, every user unknown, and says the pattern is not run: ${rule}`, async () => {
      const r = await dynrule(['eval', '--rule', rule, '--tenant', tenant, '--format', 'json'], { timeoutMs: BOUND_MS });
      assert.equal(r.signal, null, `killed after ${BOUND_MS} ms: it hung`);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as EvalJson;
      assert.equal(out.count, 0);
      assert.equal(out.unknown.length, USERS);
      assert.match(r.stderr, new RegExp(`note: the pattern ".*" is not run \\(the linear-time engine cannot run ${reason}\\): its result is unknown`));
      const text = await dynrule(['eval', '--rule', rule, '--tenant', tenant], { timeoutMs: BOUND_MS });
      assert.match(text.stdout, new RegExp(`0 of ${USERS} users match, ${USERS} unknown \\(a -match pattern is not run, see the note\\)`));
      assert.doesNotMatch(text.stdout, /lacks data/);
    });
  }

  it('dynrule explain says which pattern is not run and why, not that the snapshot lacks data', async () => {
    const r = await dynrule(['explain', '--rule', LOOKAHEAD, '--tenant', tenant, '--user', 'user3@contoso.com'], { timeoutMs: BOUND_MS });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /: unknown\n/);
    assert.match(r.stdout, /\(the pattern ".*" is not run \(the linear-time engine cannot run lookahead\): its result is unknown\)/);
  });

  it('dynrule test fails a case on such a pattern at once, and its trace says the pattern is not run', async () => {
    writeFileSync(path.join(dir, 'counted.dynrule'), `${COUNTED}\n`);
    writeFileSync(path.join(dir, 'counted.ruletests.json'), JSON.stringify({
      rule: 'counted.dynrule',
      cases: [{ name: 'a long name', user: { displayName: 'a'.repeat(45) }, expect: 'notMember' }],
    }));
    const r = await dynrule(['test', path.join(dir, 'counted.ruletests.json')], { timeoutMs: BOUND_MS });
    assert.equal(r.signal, null, 'test hung');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /expected notMember, got unknown/);
    assert.match(r.stdout, /\(the pattern "\(a\|b\?a\)\{0,5000\}c" is not run \(the linear-time engine cannot run a repeat count over 1,000\): its result is unknown\)/);
  });

  it('the server answers diagnostics, preview, explain and hover at once, and says why', async () => {
    const server = await startStdioServer({ tenant: { kind: 'folder', path: tenant } });
    const diagnostics = new Map<string, { code: string; message: string }[]>();
    server.client.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: { code: string; message: string }[] }) => diagnostics.set(p.uri, p.diagnostics));
    try {
      await until(async () => {
        const info = await server.client.sendRequest<TenantInfo>('dynrule/tenantInfo', {});
        if (info.state === 'failed') throw new Error(info.error);
        return info.state === 'ready' ? info : undefined;
      }, 60_000, 'the tenant');
      const uri = 'file:///robust/hostile.dynrule';
      await server.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dynrule', version: 1, text: `${COUNTED}\n-or ${LOOKAHEAD}\n` } });
      const d = await until(() => diagnostics.get(uri), BOUND_MS, 'the diagnostics');
      assert.equal(d.filter((x) => x.code === 'regex/refused').length, 2, JSON.stringify(d));

      const p = await server.client.sendRequest<PreviewResponse>('dynrule/preview', { uri });
      assert.ok(p.ok, p.ok ? '' : p.reason);
      const notes = p.notes ?? [];
      assert.equal(p.unknown?.length, USERS);
      assert.ok(notes.some((n) => /"\(a\|b\?a\)\{0,5000\}c" is not run \(the linear-time engine cannot run a repeat count over 1,000\)/.test(n)), notes.join('\n'));
      assert.ok(notes.some((n) => /is not run \(the linear-time engine cannot run lookahead\)/.test(n)), notes.join('\n'));
      const unknownWarning = p.warnings?.find((w) => w.code === 'unknown-members');
      assert.match(unknownWarning?.message ?? '', /a -match pattern of the rule is not run/);

      const e = await server.client.sendRequest<ExplainResponse>('dynrule/explain', { uri, objectId: 'user3@contoso.com' });
      assert.ok(e.ok && e.trace, e.reason);
      assert.equal(e.result, 'unknown');
      const reasons = e.trace.children.map((c) => c.reason);
      assert.match(reasons[0] ?? '', /a repeat count over 1,000/);
      assert.match(reasons[1] ?? '', /lookahead/);

      // Another document still gets its hover.
      const other = 'file:///robust/other.dynrule';
      await server.client.sendNotification('textDocument/didOpen', { textDocument: { uri: other, languageId: 'dynrule', version: 1, text: 'user.department -eq "Sales"' } });
      const hover = await server.client.sendRequest<{ contents: unknown } | null>('textDocument/hover', { textDocument: { uri: other }, position: { line: 0, character: 7 } });
      assert.ok(hover && JSON.stringify(hover.contents).includes('department'));
    } finally {
      await server.stop();
    }
  });
});
