import assert from 'node:assert/strict';
import { parseRule } from '../../../grammar/src/index';
import { evaluateColumnar } from '../../../grammar/src/columnar/index';
import { SharedEvaluator } from '../../../server/src/audit/sharedEvaluator';
import { loadSnapshot, type Snapshot } from '../../../server/src/tenant/snapshot';

/** Rules that share conditions, negate them and nest them, beside every rule of the sample. */
const EXTRA = [
  'user.accountEnabled -eq true',
  'user.accountEnabled -eq true -and user.department -eq "Sales"',
  '-not (user.accountEnabled -eq true) -or user.department -eq "Sales"',
  'user.department -eq "Sales" -and -not (user.accountEnabled -eq true)',
  '(user.department -eq "Sales" -or user.department -eq "Legal") -and (user.accountEnabled -eq true -or user.city -eq "Seattle")',
  'user.accountEnabled   -eq   true -and user.jobTitle -eq null',
  'user.otherMails -any (_ -endsWith "@contoso.com") -and user.accountEnabled -eq true',
  'user.department -eq "Sales" -or -not (user.department -eq "Sales")',
];

describe('audit: conditions shared between rules give what the engine gives for each rule', () => {
  let s: Snapshot;
  before(async () => { s = await loadSnapshot('samples/tenant/contoso'); });

  it('every sample rule and rules that share, negate and nest conditions, twice over', () => {
    const now = Date.parse('2026-11-01T00:00:00Z');
    const rules = [...s.groups!.map((g) => g.membershipRule).filter((r): r is string => typeof r === 'string'), ...EXTRA];
    for (const object of ['user', 'device'] as const) {
      const table = object === 'user' ? s.tables.users! : s.tables.devices!;
      // A small memory, so that some conditions are evaluated afresh and some shared.
      const shared = new SharedEvaluator(table, { now }, 6);
      let checked = 0;
      for (const round of [1, 2]) {
        for (const rule of rules) {
          if (!rule.includes(`${object}.`) && !(object === 'user' && rule.startsWith('Direct'))) continue;
          const expr = parseRule(rule).expr!;
          const want = evaluateColumnar(expr, table, { now });
          const got = shared.evaluate(expr, rule);
          assert.deepEqual([got.count('t'), got.count('u')], [want.count('t'), want.count('u')], `${rule} (round ${round})`);
          assert.deepEqual(got.t, want.t, rule);
          assert.deepEqual(got.u, want.u, rule);
          // The caller owns the result: changing it changes nothing shared.
          got.t.fill(0xffffffff);
          checked++;
        }
      }
      assert.ok(checked > 10, `only ${checked} ${object} rules`);
    }
  });
});
