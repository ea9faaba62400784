/**
 * The bench's rules on a small tenant from the bench's own generator: the columnar engine (what
 * the CLI and the editor run) decides every user exactly as the AST interpreter does on the
 * objects parsed from the same file. `npm run bench` checks the same on 100,000 and 1,000,000
 * users; this keeps it true on every test run.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BENCH_RULES } from '../../../scripts/bench/rules';
import { compileRule, evaluateColumnar, interpretResult, type GraphObject } from '../../../grammar/engine/src/index';
import { defaultRegexEngine, parseRule, setDefaultRegexEngine } from '../../../grammar/src/index';
import { linearRegexEngine } from '../../../server/src/regex/engine';
import { loadSnapshot } from '../../../server/src/tenant/snapshot';

const TRI = (t: boolean | 'unknown'): number => (t === 'unknown' ? 2 : t ? 1 : 0);

describe('columnar engine: the bench rules agree with the interpreter', function () {
  this.timeout(120_000);
  let dir: string;
  const previous = defaultRegexEngine();

  before(() => {
    // As the bench, the CLI and the server run -match: on the linear-time engine.
    setDefaultRegexEngine(linearRegexEngine);
    dir = mkdtempSync(path.join(tmpdir(), 'dynrule-bench-rules-'));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate-tenant.ts', '--seed', '7', '--users', '3000', '--devices', '300',
      '--format', 'jsonl', '--out', dir, '--quiet'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
  after(() => {
    setDefaultRegexEngine(previous);
    rmSync(dir, { recursive: true, force: true });
  });

  it('on every user of a 3,000-user generated tenant, loaded as columns', async () => {
    const s = await loadSnapshot(dir, { only: ['users', 'groups'], keepObjects: false, cacheDir: false, workers: 1 });
    const table = s.tables.users;
    assert.ok(table, 'no user table');
    const objects = readFileSync(path.join(dir, 'users.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as GraphObject);
    assert.equal(table.rows, objects.length);
    const now = Date.parse('2026-11-01T00:00:00Z');
    const selective: string[] = [];
    for (const rule of BENCH_RULES) {
      const parsed = parseRule(rule.text);
      const compiled = compileRule(parsed, { now });
      assert.ok(compiled.ok && parsed.expr, `${rule.key} does not compile`);
      const bits = evaluateColumnar(parsed.expr, table, { now });
      let members = 0;
      const wrong: string[] = [];
      objects.forEach((o, row) => {
        const expected = TRI(interpretResult(parsed.text, parsed.expr!, o, { now }));
        if (bits.get(row) !== expected && wrong.length < 5) wrong.push(`${String(o['userPrincipalName'])}: columns ${bits.get(row)}, interpreter ${expected}`);
        if (expected === 1) members++;
      });
      assert.deepEqual(wrong, [], `${rule.title}`);
      if (members > 0 && members < objects.length) selective.push(rule.key);
    }
    // The comparison means something only where a rule splits the tenant.
    assert.ok(selective.length >= BENCH_RULES.length - 1, `rules that select some but not all users: ${selective.join(', ')}`);
  });
});
