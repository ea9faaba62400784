/**
 * The preview over a snapshot kept as columns only (as a large tenant is loaded) gives exactly
 * the preview over the snapshot's objects, for every sample rule: members before and after, who
 * is added, removed or unknown, licences gained and lost, seats, errors, warnings and notes.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parseRule } from '../../../grammar/src/index';
import { skuCatalogue } from '../../../server/src/preview/catalogue';
import { PreviewError } from '../../../server/src/preview/errors';
import { previewRule, type PreviewResult } from '../../../server/src/preview/preview';
import { loadSnapshot } from '../../../server/src/tenant/snapshot';

const SAMPLE = 'samples/tenant/contoso';
const NOW = Date.parse('2026-11-01T00:00:00Z');

function rules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? rules(path.join(dir, e.name)) : e.name.endsWith('.dynrule') ? [path.join(dir, e.name)] : []));
}

describe('preview over columns only', () => {
  it('equals the preview over the objects for every sample rule', async () => {
    const objects = await loadSnapshot(SAMPLE, { keepObjects: true });
    const columns = await loadSnapshot(SAMPLE, { keepObjects: false });
    assert.equal(columns.tables.users!.objects, undefined);
    let compared = 0;
    for (const file of rules('samples/rules')) {
      const parsed = parseRule(readFileSync(file, 'utf8'));
      const run = (s: typeof objects): PreviewResult | string => {
        try {
          return previewRule(s, parsed, { now: NOW, catalogue: skuCatalogue, explain: true });
        } catch (e) {
          if (e instanceof PreviewError) return e.message;
          throw e;
        }
      };
      const a = run(objects);
      assert.deepEqual(run(columns), a, file);
      if (typeof a !== 'string') compared++;
    }
    assert.ok(compared > 30, `${compared} previews compared`);
  });
});
