import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { COMMANDS } from '../../../server/src/cli/commands';
import { run } from '../../../server/src/cli/main';

/** Runs the bundled CLI exactly as users do (npm test builds dist/ first). */
function dynrule(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const TENANT = 'test/fixtures/tiny-tenant';
const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'dynrule-cli-'));

function ruleFile(dir: string, name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

describe('dynrule CLI', () => {
  describe('check', () => {
    it('exits 0 on a valid rule and prints a summary', () => {
      const d = tmp();
      const r = dynrule('check', ruleFile(d, 'ok.dynrule', '# Sales\nuser.department -eq "Sales"\n'));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /1 file checked: 0 errors, 0 warnings, 0 infos\./);
    });

    it('exits 1 on an error and reports the contract JSON with 0-based ranges', () => {
      const d = tmp();
      const f = ruleFile(d, 'bad.dynrule', '# comment\nuser.departmnt -eq "Sales"\n');
      const r = dynrule('check', f, '--format', 'json');
      assert.equal(r.code, 1);
      const issues = JSON.parse(r.stdout) as unknown[];
      assert.deepEqual(issues, [{
        file: f,
        range: { start: { line: 1, character: 0 }, end: { line: 1, character: 14 } },
        severity: 'error',
        code: 'type/unknown-property',
        message: 'Attribute not supported: user.departmnt is not a user property. Did you mean department?',
      }]);
    });

    it('fails on warnings and infos only with --strict', () => {
      const d = tmp();
      const f = ruleFile(d, 'info.dynrule', 'user.department eq "Sales"');
      assert.equal(dynrule('check', f).code, 0);
      const strict = dynrule('check', f, '--strict', '--format', 'json');
      assert.equal(strict.code, 1);
      assert.equal((JSON.parse(strict.stdout) as { code: string }[])[0]!.code, 'style/missing-hyphen');
    });

    it('walks folders for .dynrule files', () => {
      const d = tmp();
      mkdirSync(path.join(d, 'sub'));
      ruleFile(d, 'a.dynrule', 'user.city -eq "Oslo"');
      ruleFile(path.join(d, 'sub'), 'b.dynrule', 'user.city -eq');
      ruleFile(d, 'notes.txt', 'not a rule');
      const r = dynrule('check', d, '--format', 'json');
      assert.equal(r.code, 1);
      const files = new Set((JSON.parse(r.stdout) as { file: string }[]).map((i) => path.basename(i.file)));
      assert.deepEqual([...files], ['b.dynrule']);
    });

    for (const [what, args, pattern] of [
      ['a missing file', ['check', 'no/such.dynrule'], /no\/such\.dynrule: no such file or folder/],
      ['no arguments', ['check'], /give one or more \.dynrule files/],
      ['a bad --format', ['check', 'test/fixtures', '--format', 'xml'], /--format must be one of text, json/],
      ['an unknown flag', ['check', 'test/fixtures', '--colour'], /check: Unknown option '--colour'/],
      ['a folder without rules', ['check', TENANT], /no \.dynrule files/],
    ] as const) {
      it(`exits 2 with one line on stderr for ${what}`, () => {
        const r = dynrule(...args);
        assert.equal(r.code, 2);
        assert.match(r.stderr, pattern);
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        assert.doesNotMatch(r.stderr, /\s+at /);
      });
    }
  });

  describe('eval', () => {
    it('prints the contract JSON: type, count, members, unknown', () => {
      const r = dynrule('eval', '--rule', 'user.department -eq "Sales" -and user.accountEnabled -eq true', '--tenant', TENANT, '--format', 'json');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), { type: 'user', count: 1, members: ['7a1c4b7e-0c1e-4a8e-9d2f-000000000001'], unknown: [] });
    });

    it('reports objects it cannot decide as unknown, never as non-members', () => {
      // Nobody in the fixture has jobTitle: the data is missing, not null.
      const r = dynrule('eval', '--rule', 'user.jobTitle -eq "Engineer"', '--tenant', TENANT, '--format', 'json');
      const out = JSON.parse(r.stdout) as { count: number; unknown: string[] };
      assert.equal(out.count, 0);
      assert.equal(out.unknown.length, 4);
    });

    it('evaluates device rules over devices.jsonl', () => {
      const r = dynrule('eval', '--rule', 'device.devicePhysicalIds -any (_ -startsWith "[ZTDId]")', '--tenant', TENANT, '--format', 'json');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), { type: 'device', count: 1, members: ['d0000000-0000-4000-8000-000000000001'], unknown: [] });
    });

    it('evaluates Direct Reports from the manager field, with the manager', () => {
      const d = tmp();
      const f = ruleFile(d, 'reports.dynrule', '# Cameron\'s team\nDirect Reports for "7a1c4b7e-0c1e-4a8e-9d2f-000000000003"\n');
      const r = dynrule('eval', f, '--tenant', TENANT, '--format', 'json');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual((JSON.parse(r.stdout) as { members: string[] }).members.sort(),
        ['7a1c4b7e-0c1e-4a8e-9d2f-000000000001', '7a1c4b7e-0c1e-4a8e-9d2f-000000000002', '7a1c4b7e-0c1e-4a8e-9d2f-000000000003']);
    });

    it('warns, with the id, when the Direct Reports manager is not in the tenant', () => {
      const missing = '7a1c4b7e-0c1e-4a8e-9d2f-000000000099';
      const r = dynrule('eval', '--rule', `Direct Reports for "${missing}"`, '--tenant', TENANT, '--format', 'json');
      assert.equal(r.code, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { count: number }).count, 0);
      assert.match(r.stderr, new RegExp(`^dynrule: warning: --rule:1:20: rule/unknown-manager: The tenant tiny-tenant has no user ${missing}: this Direct Reports rule selects nobody\\.$`, 'm'));
    });

    it('refuses a rule with errors (exit 2, position of the first error)', () => {
      const r = dynrule('eval', '--rule', 'user.department –eq "Sales"', '--tenant', TENANT);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^dynrule: --rule:1:17: syntax\/typographic-dash: /);
    });

    it('names the file and position of a broken snapshot', () => {
      const d = tmp();
      writeFileSync(path.join(d, 'users.json'), '{"value": [\n  {"id": "a", "displayName": "A"},\n  {"id": "b", "displayName": ');
      const r = dynrule('eval', '--rule', 'user.city -eq "x"', '--tenant', d);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^dynrule: users\.json:3:30: invalid JSON: expected a value but found the end of the file \(is it truncated\?\)\n$/);
    });

    it('rejects a snapshot file of the wrong shape', () => {
      const d = tmp();
      writeFileSync(path.join(d, 'users.json'), '{"users": []}');
      const r = dynrule('eval', '--rule', 'user.city -eq "x"', '--tenant', d);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /users\.json:1:1: expected a Microsoft Graph page/);
    });

    it('names the line of a broken .jsonl file', () => {
      const d = tmp();
      writeFileSync(path.join(d, 'users.jsonl'), '{"id":"a"}\n{"id":"b",}\n');
      const r = dynrule('eval', '--rule', 'user.city -eq "x"', '--tenant', d);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /users\.jsonl:2:\d+: invalid JSON/);
    });

    it('prints the snapshot\'s notes on stderr, and leaves the output and the exit code alone', () => {
      const d = tmp();
      writeFileSync(path.join(d, 'users.json'), JSON.stringify([{ id: 'u1', city: 'Oslo' }, { id: 'U1', city: 'Bergen' }, { city: 'Oslo' }]));
      for (const format of ['json', 'text']) {
        const r = dynrule('eval', '--rule', 'user.city -eq "Oslo"', '--tenant', d, '--format', format);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(r.stderr.trimEnd().split('\n'), [
          'dynrule: note: no groups.json: current members, memberOf and group licenses are unknown',
          'dynrule: note: users: 1 object without an "id" ignored',
          'dynrule: note: users: 1 duplicate id; the first occurrence of each is used',
        ]);
        if (format === 'json') assert.deepEqual(JSON.parse(r.stdout), { type: 'user', count: 1, members: ['u1'], unknown: [] });
        else assert.match(r.stdout, /^--rule: 1 of 1 users match\.\nmembers:\n {2}u1\n$/);
      }
      // A failure is still one line.
      writeFileSync(path.join(d, 'users.json'), '[{"id":"u1"},');
      const r = dynrule('eval', '--rule', 'user.city -eq "Oslo"', '--tenant', d, '--format', 'json');
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^dynrule: users\.json:1:14: invalid JSON: [^\n]*\n$/);
    });

    it('says which file is missing for a device rule', () => {
      const d = tmp();
      writeFileSync(path.join(d, 'users.json'), '[]');
      const r = dynrule('eval', '--rule', 'device.deviceOSType -eq "Windows"', '--tenant', d);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /has no devices\.json: device rules cannot be evaluated/);
    });

    it('needs a tenant and a rule', () => {
      assert.match(dynrule('eval', '--rule', 'user.city -eq "x"').stderr, /give --tenant/);
      assert.match(dynrule('eval', '--tenant', TENANT).stderr, /give a rule file or --rule/);
      assert.match(dynrule('eval', '--rule', 'user.city -eq "x"', '--tenant', 'no/such/dir').stderr, /no such tenant folder/);
    });
  });

  describe('explain', () => {
    it('prints the result and the trace as JSON', () => {
      const r = dynrule('explain', '--rule', 'user.department -eq "Sales" -and user.accountEnabled -eq true', '--tenant', TENANT, '--user', 'cameron@contoso.com', '--format', 'json');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), {
        result: false,
        trace: {
          expression: 'user.department -eq "Sales" -and user.accountEnabled -eq true',
          result: false,
          children: [
            { expression: 'user.department -eq "Sales"', result: true, property: 'department', value: 'Sales', children: [] },
            { expression: 'user.accountEnabled -eq true', result: false, property: 'accountEnabled', value: 'false', children: [] },
          ],
        },
      });
    });

    it('finds users by object id and draws a text tree', () => {
      const r = dynrule('explain', '--rule', 'user.proxyAddresses -any (_ -startsWith "smtp:av")', '--tenant', TENANT, '--user', '7A1C4B7E-0C1E-4A8E-9D2F-000000000001');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Adele Vance <adele@contoso\.com>: member\n✓ user\.proxyAddresses -any \(_ -startsWith "smtp:av"\)/);
      // Only the item that decided: the one that matched, not the one before it that did not.
      assert.match(r.stdout, /└─ ✓ item 2 of 2 matched\n   └─ ✓ _ -startsWith "smtp:av"\s+\[_ = smtp:av@contoso\.com\]\n$/);
      assert.doesNotMatch(r.stdout, /SMTP:adele/);
    });

    describe('a quantifier shows the item that decided, GUIDs named, in a handful of lines', () => {
      const CONTOSO = 'samples/tenant/contoso';
      const EXCHANGE = 'efb87545-963c-4e0d-99df-69c6916d9eb0';
      const explain = (rule: string): string[] => {
        const r = dynrule('explain', '--rule', rule, '--tenant', CONTOSO, '--user', 'megan.allen@contoso.com');
        assert.equal(r.code, 0, r.stderr);
        return r.stdout.trimEnd().split('\n');
      };

      it('-any that matched: the item that matched, of all 52', () => {
        const lines = explain(`user.department -eq "Sales" -and user.assignedPlans -any (assignedPlan.servicePlanId -eq "${EXCHANGE}" -and assignedPlan.capabilityStatus -eq "Enabled")`);
        assert.ok(lines.length <= 8, lines.join('\n'));
        assert.equal(lines[0], 'Megan Allen <megan.allen@contoso.com>: not a member');
        assert.match(lines[2]!, /├─ ✗ user\.department -eq "Sales"\s+\[department = Engineering\]$/);
        assert.match(lines[3]!, /└─ ✓ user\.assignedPlans -any .*\[assignedPlans: 52 items\]$/);
        assert.equal(lines[4], '   └─ ✓ item 5 of 52 matched');
        assert.match(lines[5]!, new RegExp(`├─ ✓ assignedPlan\\.servicePlanId -eq "${EXCHANGE}"\\s+\\[servicePlanId = ${EXCHANGE} \\(EXCHANGE_S_ENTERPRISE\\)\\]$`));
        assert.match(lines[6]!, /└─ ✓ assignedPlan\.capabilityStatus -eq "Enabled"\s+\[capabilityStatus = Enabled\]$/);
        assert.ok(!lines.some((l) => l.includes('[object Object]')));
      });

      it('-any that did not: "none of 52 matched" with the closest item', () => {
        const lines = explain(`user.assignedPlans -any (assignedPlan.servicePlanId -eq "${EXCHANGE}" -and assignedPlan.capabilityStatus -eq "Suspended")`);
        assert.equal(lines.length, 5, lines.join('\n'));
        assert.equal(lines[2], '└─ ✗ none of 52 matched; the closest is item 5');
        assert.match(lines[3]!, /✓ assignedPlan\.servicePlanId .*\(EXCHANGE_S_ENTERPRISE\)\]$/);
        assert.match(lines[4]!, /✗ assignedPlan\.capabilityStatus -eq "Suspended"\s+\[capabilityStatus = Enabled\]$/);
      });

      it('-all: the first item that failed, or that all matched', () => {
        const failed = explain('user.assignedPlans -all (assignedPlan.service -eq "exchange")');
        assert.match(failed[2]!, /^└─ ✗ item 1 of 52 failed$/);
        assert.match(failed[3]!, /✗ assignedPlan\.service -eq "exchange"\s+\[service = \w+\]$/);
        assert.equal(failed.length, 4, failed.join('\n'));
        assert.deepEqual(explain('user.assignedPlans -all (assignedPlan.capabilityStatus -eq "Enabled")').slice(2), ['└─ ✓ all 52 items matched']);
      });

      it('JSON keeps every item, marks the quantifier, and shows an item as its data', () => {
        const r = dynrule('explain', '--rule', `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${EXCHANGE}")`, '--tenant', CONTOSO, '--user', 'megan.allen@contoso.com', '--format', 'json');
        const trace = (JSON.parse(r.stdout) as { trace: { quantifier: string; children: { value: string }[] } }).trace;
        assert.equal(trace.quantifier, 'any');
        assert.equal(trace.children.length, 52);
        assert.ok(trace.children.every((c) => !c.value.includes('[object Object]')));
      });
    });

    it('exits 2 for an unknown user', () => {
      const r = dynrule('explain', '--rule', 'user.city -eq "x"', '--tenant', TENANT, '--user', 'nobody@contoso.com');
      assert.equal(r.code, 2);
      assert.match(r.stderr, /no user "nobody@contoso\.com"/);
    });
  });

  describe('help', () => {
    for (const c of COMMANDS) {
      it(`dynrule ${c.name} --help shows that command's usage and every option it takes`, () => {
        const r = dynrule(c.name, '--help');
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`^Usage: dynrule ${c.name} `));
        for (const name of Object.keys(c.options)) assert.match(r.stdout, new RegExp(`^  --${name}\\b`, 'm'), `--${name}`);
        // Not the global usage: no other command's line.
        for (const other of COMMANDS.filter((o) => o.name !== c.name)) assert.doesNotMatch(r.stdout, new RegExp(`^  ${other.name} `, 'm'));
        assert.match(r.stdout, /Exit codes: 0 ok, 1 findings or failures, 2 usage or input error, 3 internal error/);
      });
    }

    it('help <command> and -h after other options work too; the global help lists every command', () => {
      assert.match(dynrule('help', 'explain').stdout, /^Usage: dynrule explain \(<rule-file> \| --rule "<text>"\) --tenant <dir\|live> --user <upn\|id>/);
      assert.match(dynrule('preview', 'x.dynrule', '--tenant', 'nowhere', '-h').stdout, /^Usage: dynrule preview <rule-file>/);
      const all = dynrule('--help').stdout;
      for (const c of COMMANDS) assert.match(all, new RegExp(`^  ${c.name} `, 'm'));
    });
  });

  it('an internal error exits 3 with one line that says so, not 2 (a usage error)', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
    const crash = { name: 'crash', arguments: '', summary: 'fails', options: {}, run: () => Promise.reject(new TypeError('x is undefined')) };
    assert.equal(await run(['crash'], io, [...COMMANDS, crash]), 3);
    assert.deepEqual(out, []);
    assert.equal(err.length, 1);
    assert.match(err[0]!, /^dynrule: internal error: x is undefined \(this is a bug in dynrule/);
    // A usage error in the same command table still exits 2.
    assert.equal(await run(['check', '--nope'], io, [...COMMANDS, crash]), 2);
  });

  it('exits 2 on an unknown command and 0 on --help', () => {
    assert.equal(dynrule('frobnicate').code, 2);
    const help = dynrule('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: dynrule <command>/);
  });
});
