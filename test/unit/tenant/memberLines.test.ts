import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadSnapshot } from '../../../server/src/tenant/snapshot';

describe('loader: a group of a large tenant lists millions of members on its line', () => {
  it('reads a groups.jsonl line over 16 MiB (600,000 members)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dynrule-members-'));
    const ids = Array.from({ length: 600_000 }, (_, i) => `c0a70500-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const line = JSON.stringify({ id: 'c0a70500-0000-4000-8000-999999999999', displayName: 'Everyone', groupTypes: ['DynamicMembership'], membershipRule: 'user.accountEnabled -eq true', members: ids });
    assert.ok(Buffer.byteLength(line) > 16 << 20);
    writeFileSync(path.join(dir, 'groups.jsonl'), `${line}\n`);
    writeFileSync(path.join(dir, 'users.jsonl'), `${JSON.stringify({ id: ids[0], displayName: 'A' })}\n`);
    const s = await loadSnapshot(dir, { only: ['users', 'groups'], cacheDir: false });
    assert.equal(s.groups?.[0]?.members?.length, 600_000);
    assert.equal(s.groups?.[0]?.members?.[599_999], ids[599_999]);

  });
});
