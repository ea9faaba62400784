import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CHANGE_CODES, ISSUE_CODES, TENANT_CODES } from '../../../grammar/src/index';
import { codesReference, phaseOf } from '../../../scripts/generate-codes-doc';

/** The pages a user reads; docs/codes.md lists every code, the others explain some of them. */
const PAGES = ['README.md', 'SECURITY.md', 'CHANGELOG.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f))];

describe('docs: the issue codes are the catalogue\'s', () => {
  it('docs/codes.md lists every code of the catalogue, with its severity, category and meaning', () => {
    assert.equal(readFileSync('docs/codes.md', 'utf8'), codesReference(), 'docs/codes.md is stale: run npm run docs:codes');
  });

  it('every code the other pages name is in the catalogue', () => {
    const catalogue = new Set([...Object.keys(ISSUE_CODES), ...Object.keys(TENANT_CODES), ...Object.keys(CHANGE_CODES)]);
    const phases = new Set([...catalogue].map(phaseOf));
    const named = PAGES.flatMap((page) => [...readFileSync(page, 'utf8').matchAll(/`([a-z]+)\/([a-z0-9-]+)`/g)]
      .filter((m) => phases.has(m[1]!))
      .map((m) => ({ page, code: `${m[1]}/${m[2]}` })));
    assert.ok(named.length >= 10, `only ${named.length} codes named: the pattern is out of date`);
    assert.deepEqual(named.filter((n) => !catalogue.has(n.code)), []);
  });
});
