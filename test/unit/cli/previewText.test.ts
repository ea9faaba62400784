import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { user, writeTenant } from '../../support/tenant';

describe('dynrule preview (text)', () => {
  it('prints tenant values without their control characters: a display name cannot drive the terminal', () => {
    const tenant = writeTenant({ users: [user('u1', { department: 'Sales', displayName: 'Evil\u001b[31mRED\u001b[0m\u202e' })] });
    const rule = path.join(mkdtempSync(path.join(tmpdir(), 'dynrule-text-')), 'sales.dynrule');
    writeFileSync(rule, 'user.department -eq "Sales"\n');
    const r = spawnSync(process.execPath, ['dist/cli.js', 'preview', rule, '--tenant', tenant], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Evil\\u001b\[31mRED\\u001b\[0m\\u202e <u1@contoso\.com>/);
    assert.doesNotMatch(r.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
  });
});
