/**
 * A snapshot as the core's directory port: it knows users and groups only when the snapshot has
 * them, and the tenant's name in its messages carries no control characters.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { checkRule, parseRule } from '../../../grammar/src/index';
import { directoryOf } from '../../../server/src/tenant/directory';
import { loadSnapshot } from '../../../server/src/tenant/snapshot';

const MANAGER = 'c0a70500-0000-4000-8000-000000000101';

async function snapshot(name: string, files: Record<string, unknown[]>): Promise<Awaited<ReturnType<typeof loadSnapshot>>> {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'dynrule-directory-')), name);
  mkdirSync(dir);
  for (const [f, value] of Object.entries(files)) writeFileSync(path.join(dir, `${f}.json`), JSON.stringify({ value }));
  return loadSnapshot(dir);
}

describe('the snapshot as a directory', () => {
  it('knows users and groups only when the snapshot has them', async () => {
    const s = await snapshot('contoso', { users: [{ id: MANAGER.toUpperCase(), displayName: 'Megan' }] });
    const d = directoryOf(s);
    assert.equal(d.hasUser?.(MANAGER), true);
    assert.equal(d.hasUser?.('c0a70500-0000-4000-8000-000000000102'), false);
    assert.equal(d.hasGroup, undefined);
  });

  it('names the tenant without control characters', async () => {
    const s = await snapshot('evil\u001b[31mred', { users: [] });
    const [i] = checkRule(parseRule(`Direct Reports for "${MANAGER}"`), { directory: directoryOf(s) });
    assert.equal(i?.code, 'rule/unknown-manager');
    assert.ok(!/[\u0000-\u001f\u007f]/.test(i!.message), i!.message);
    assert.match(i!.message, /^The tenant evil\\u001b\[31mred has no user /);
  });
});
