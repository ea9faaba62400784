/**
 * A snapshot as the core's tenant port: it knows users and groups only when the snapshot has
 * them, and the tenant's name in its messages carries no control characters.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { checkRule, parseRule } from '../../../grammar/src/index';
import { snapshotFacts } from '../../../server/src/tenant/facts';
import { loadSnapshot } from '../../../server/src/tenant/snapshot';

const MANAGER = 'c0a70500-0000-4000-8000-000000000101';

async function snapshot(name: string, files: Record<string, unknown[]>): Promise<Awaited<ReturnType<typeof loadSnapshot>>> {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'dynrule-directory-')), name);
  mkdirSync(dir);
  for (const [f, value] of Object.entries(files)) writeFileSync(path.join(dir, `${f}.json`), JSON.stringify({ value }));
  return loadSnapshot(dir);
}

describe('the snapshot as the tenant port', () => {
  it('knows users and groups only when the snapshot has them', async () => {
    const s = await snapshot('contoso', { users: [{ id: MANAGER.toUpperCase(), displayName: 'Megan' }] });
    const d = snapshotFacts(s);
    assert.equal(d.hasUser?.(MANAGER), true);
    assert.equal(d.hasUser?.('c0a70500-0000-4000-8000-000000000102'), false);
    assert.equal(d.groups?.(), undefined);
    // No groups known: a memberOf group is not reported missing.
    const memberOf = `user.memberOf -any (group.objectId -in ['c0a70500-0000-4000-8000-000000000201'])`;
    assert.ok(!checkRule(parseRule(memberOf), { now: Date.parse('2026-11-01T00:00:00Z'), tenant: d }).some((i) => i.code === 'rule/unknown-group'));
  });

  it('names the tenant without control characters', async () => {
    const s = await snapshot('evil\u001b[31mred', { users: [] });
    const [i] = checkRule(parseRule(`Direct Reports for "${MANAGER}"`), { tenant: snapshotFacts(s) });
    assert.equal(i?.code, 'rule/unknown-manager');
    assert.ok(!/[\u0000-\u001f\u007f]/.test(i!.message), i!.message);
    assert.match(i!.message, /^The tenant evil\\u001b\[31mred has no user /);
  });
});
