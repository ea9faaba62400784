import assert from 'node:assert/strict';
import * as path from 'node:path';
import { graphOrigin, graphRequest, powerShellCommand, powerShellString, resolveGroup } from '../../../server/src/handOff';
import type { HandOffResponse } from '../../../protocol/src/protocol';
import { startHarness, type Harness } from '../../support/lsp';

const ID = '6f1c2b0e-7a4d-4e2f-9b1a-3c5d7e9f0a12';
/** Every character a rule's text might hold that a format could mangle. */
const HOSTILE = [
  `user.displayName -eq "O'Brien"`,
  'user.department -eq "Sales `"West`""',
  'user.jobTitle -eq "$env:USERNAME $(Get-Date) @{a=1} ${x}"',
  "user.city -eq 'It''s'",
  'user.city -eq "‘curly’ ‚low‛ “double” „low”"',
  'user.department -eq "Sales"\n-and user.city -eq "Oslo"\r\n-or user.city -eq "Bergen"',
  'user.department -eq "a\u001b[31mred\u0007\u0000\u007f\u009b2J"',
  'user.department -eq "\u2028\u2029\u202e\u2066bidi\u2069"',
  'user.department -eq "\\" -and user.city -eq "é 中文 🙂"',
  '',
];
/** Printable text only: what reaches a terminal or a ticket when the output is pasted. */
const PRINTABLE = /^[^\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$/;

/**
 * The value of a PowerShell expression of the shapes powerShellString writes — `'…'`, or
 * `('…' + [char]0x1b + '…')` — read by PowerShell's rules (about_Quoting_Rules): in a
 * single-quoted string nothing expands, and a quote (', ‘, ’, ‚ or ‛) is written twice.
 */
function evalPowerShell(expr: string): string {
  let i = 0;
  const quote = /['\u2018\u2019\u201a\u201b]/;
  const single = (): string => {
    assert.match(expr[i]!, quote, `a string at ${i} in ${expr}`);
    i++;
    let out = '';
    for (;;) {
      assert.ok(i < expr.length, `unterminated string in ${expr}`);
      const c = expr[i]!;
      if (quote.test(c)) {
        if (expr[i + 1] !== undefined && quote.test(expr[i + 1]!)) { out += c; i += 2; continue; }
        i++;
        return out;
      }
      out += c;
      i++;
    }
  };
  const term = (): string => {
    const m = /^\[char\]0x([0-9a-f]+)/.exec(expr.slice(i));
    if (m) { i += m[0].length; return String.fromCharCode(parseInt(m[1]!, 16)); }
    return single();
  };
  if (expr[0] !== '(') {
    const v = single();
    assert.equal(i, expr.length, `text after the string in ${expr}`);
    return v;
  }
  i = 1;
  let out = term();
  while (expr.startsWith(' + ', i)) { i += 3; out += term(); }
  assert.equal(expr.slice(i), ')', expr);
  return out;
}

describe('hand-off texts: Microsoft Graph request and PowerShell command', () => {
  it('the Graph request is a PATCH of the group with the rule as a JSON string, exactly', () => {
    for (const rule of HOSTILE) {
      const text = graphRequest(ID.toUpperCase(), rule, 'https://graph.microsoft.com/');
      const [head, body] = text.split('\n\n');
      assert.equal(head, `PATCH https://graph.microsoft.com/v1.0/groups/${ID}\nContent-Type: application/json`);
      assert.deepEqual(JSON.parse(body!), { membershipRule: rule }, JSON.stringify(rule));
      assert.match(text, PRINTABLE, JSON.stringify(text));
    }
  });

  it('the Graph request goes to the configured cloud, and only to its origin', () => {
    assert.match(graphRequest(ID, 'x', 'https://graph.microsoft.us'), /^PATCH https:\/\/graph\.microsoft\.us\/v1\.0\/groups\//);
    assert.equal(graphOrigin('https://user:secret@dod-graph.microsoft.us/beta?x=1'), 'https://dod-graph.microsoft.us');
    for (const odd of ['', 'not a url', 'javascript:alert(1)', 'file:///etc/passwd']) assert.equal(graphOrigin(odd), 'https://graph.microsoft.com');
  });

  it('the PowerShell command carries the rule exactly, in quotes nothing escapes from, on one printable line', () => {
    for (const rule of HOSTILE) {
      const command = powerShellCommand(ID, rule);
      const m = /^Update-MgGroup -GroupId '([0-9a-f-]{36})' -MembershipRule (.+)$/s.exec(command);
      assert.ok(m, command);
      assert.equal(m[1], ID);
      assert.equal(evalPowerShell(m[2]!), rule, JSON.stringify(rule));
      assert.ok(!command.includes('\n') && !command.includes('\r'), 'one line');
      assert.match(command, PRINTABLE, JSON.stringify(command));
    }
    assert.equal(powerShellString("It's"), "'It''s'");
    assert.equal(powerShellString('a\nb'), "('a' + [char]0x0a + 'b')");
  });

  it('never writes a group id that is not a GUID', () => {
    for (const id of ['', "x' ; Remove-MgGroup", '../../users', `${ID}/owners`]) {
      assert.throws(() => graphRequest(id, 'x', 'https://graph.microsoft.com'));
      assert.throws(() => powerShellCommand(id, 'x'));
    }
  });

  it('# @group: an id as written; a display name through the tenant, when exactly one group has it', () => {
    const groups = [{ id: ID, displayName: 'Sales' }, { id: 'a1b2c3d4-0000-4000-8000-000000000001', displayName: 'Twins' }, { id: 'a1b2c3d4-0000-4000-8000-000000000002', displayName: 'twins' }];
    assert.deepEqual(resolveGroup(ID.toUpperCase(), undefined), { ok: true, group: { id: ID, displayName: null } });
    assert.deepEqual(resolveGroup('sales', groups), { ok: true, group: { id: ID, displayName: 'Sales' } });
    assert.deepEqual(resolveGroup('Sales', undefined), { ok: false, reason: 'no-tenant' });
    assert.deepEqual(resolveGroup('Nobody', groups), { ok: false, reason: 'not-found' });
    assert.equal((resolveGroup('TWINS', groups) as { reason: string }).reason, 'ambiguous');
    assert.deepEqual(resolveGroup(undefined, groups), { ok: false, reason: 'no-directive' });
    assert.deepEqual(resolveGroup('Odd', [{ id: 'not-a-guid', displayName: 'Odd' }]), { ok: false, reason: 'not-an-id' });
  });
});

describe('hand-off over LSP (dynrule/handOff)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ tenant: { kind: 'folder', path: path.resolve('samples/tenant/contoso') } });
    // The tenant is loaded once a preview answers with it.
    for (let i = 0; h.server.tenant.info().state !== 'ready'; i++) {
      assert.notEqual(h.server.tenant.info().state, 'failed');
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  after(() => h.close());

  const request = (uri: string, format: 'portal' | 'graph' | 'powershell', endpoint?: string) =>
    h.client.sendRequest<HandOffResponse>('dynrule/handOff', { uri, format, ...(endpoint ? { endpoint } : {}) });

  it('copies the rule for the portal without its comment lines', async () => {
    const uri = await h.open('portal.dynrule', '# Sales staff\n# @group "LIC - Microsoft 365 E3"\nuser.department -eq "Sales"\n# not this either\n  -and user.accountEnabled -eq true\n');
    assert.deepEqual(await request(uri, 'portal'), { ok: true, text: 'user.department -eq "Sales"\n  -and user.accountEnabled -eq true' });
  });

  it('resolves a display name in # @group to the group\'s id through the tenant', async () => {
    const uri = await h.open('graph.dynrule', '# @group "LIC - Microsoft 365 E3"\nuser.department -eq "Sales"\n');
    const group = h.server.tenant.current!.groups!.find((g) => g.displayName === 'LIC - Microsoft 365 E3')!;
    const graph = await request(uri, 'graph', 'https://graph.microsoft.us');
    assert.equal(graph.ok, true, graph.reason);
    assert.equal(graph.text, graphRequest(group.id, 'user.department -eq "Sales"', 'https://graph.microsoft.us'));
    assert.deepEqual(graph.group, { id: group.id.toLowerCase(), displayName: 'LIC - Microsoft 365 E3' });
    const ps = await request(uri, 'powershell');
    assert.equal(ps.text, `Update-MgGroup -GroupId '${group.id.toLowerCase()}' -MembershipRule 'user.department -eq "Sales"'`);
  });

  it('says why there is nothing to copy: no # @group, a name the tenant does not have, no rule', async () => {
    const none = await request(await h.open('none.dynrule', 'user.department -eq "Sales"\n'), 'graph');
    assert.equal(none.ok, false);
    assert.match(none.reason!, /# @group/);
    const unknown = await request(await h.open('unknown.dynrule', '# @group "No Such Group"\nuser.department -eq "Sales"\n'), 'powershell');
    assert.equal(unknown.ok, false);
    assert.match(unknown.reason!, /has no group named "No Such Group"/);
    const empty = await request(await h.open('empty.dynrule', '# only a comment\n'), 'portal');
    assert.equal(empty.ok, false);
  });

  it('counts the rule\'s errors, so the editor can say Entra would refuse it', async () => {
    const r = await request(await h.open('broken.dynrule', 'user.departmnet -eq "Sales"\n'), 'portal');
    assert.equal(r.ok, true);
    assert.equal(r.errors, 1);
  });
});
