/**
 * Large rule test files: each case's line comes from one index of the file (not a scan from its
 * start per case), and a run looks at the event loop between cases, so the editor's cancellation
 * stops it inside a file. Speed itself is measured by `npm run bench`, not here.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseRuleTestFile } from '../../../server/src/ruletests/file';
import { runRuleTestFile } from '../../../server/src/ruletests/run';

const N = 5000;

function bigFile(): ReturnType<typeof parseRuleTestFile> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dynrule-large-tests-'));
  writeFileSync(path.join(dir, 'rule.dynrule'), 'user.department -eq "Sales"\n');
  const cases = Array.from({ length: N }, (_, i) => ({ name: `case ${i}`, user: { department: i % 2 ? 'Sales' : 'HR' }, expect: i % 2 ? 'member' : 'notMember' }));
  // Pretty-printed with CRLF line ends: 7 lines a case after the 3 lines of the head.
  const text = JSON.stringify({ rule: 'rule.dynrule', cases }, null, 2).replace(/\n/g, '\r\n');
  const file = path.join(dir, 'big.ruletests.json');
  writeFileSync(file, text);
  return parseRuleTestFile(file, text);
}

describe('rule tests: large files', function () {
  this.timeout(60_000);
  const tf = bigFile();

  it('every case has its own line', async () => {
    const r = await runRuleTestFile(tf);
    assert.equal(r.error, undefined);
    assert.equal(r.cases.length, N);
    assert.ok(r.cases.every((c) => c.passed));
    assert.deepEqual(r.cases.map((c) => c.line), r.cases.map((_, i) => 4 + 7 * i));
  });

  it('stops inside the file when cancelled, with the cases run so far', async () => {
    // Cancelled once the event loop turns after the first case: a run that never yields runs them all.
    let turned = false;
    let asked = false;
    const isCancelled = (): boolean => {
      if (!asked) { asked = true; setImmediate(() => { turned = true; }); }
      return turned;
    };
    const r = await runRuleTestFile(tf, { isCancelled });
    assert.ok(r.cases.length > 0 && r.cases.length < N, `${r.cases.length} cases ran`);
    assert.ok(r.cases.every((c) => c.passed));
  });
});
