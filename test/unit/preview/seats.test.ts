/**
 * One set of seat figures, computed once by the preview and shown the same by the CLI (text and
 * JSON), the code lens and the preview view — none negative. The case: the sample E3 rule
 * narrowed to Sales and Engineering, which frees 145 seats of the 15 left.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { seatFigures } from '../../../server/src/preview/licenses';
import type { PreviewResponse } from '../../../server/src/lsp/protocol';
import { startHarnessWithFolder, type Harness } from '../../support/lsp';
import { runPreviewScript } from '../../support/webview';

const CONTOSO = path.resolve('samples/tenant/contoso');
const NARROWED = `${readFileSync('samples/rules/licensing/m365-e3-all-staff.dynrule', 'utf8').trimEnd()}\n  -and user.department -in ["Sales","Engineering"]\n`;

interface Figures { gained: string[]; lost: string[]; available: number | null; needed: number; freed: number; left: number | null; shortfall: number | null }

function cli(file: string, format: 'json' | 'text'): string {
  const r = spawnSync(process.execPath, ['dist/cli.js', 'preview', file, '--tenant', CONTOSO, '--format', format], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('seat figures', () => {
  it('are never negative: a change that frees seats says how many are freed and how many are left', () => {
    assert.deepEqual(seatFigures(0, 145, 15), { needed: 0, freed: 145, left: 160, shortfall: 0 });
    assert.deepEqual(seatFigures(47, 0, 15), { needed: 47, freed: 0, left: 0, shortfall: 32 });
    assert.deepEqual(seatFigures(5, 5, 0), { needed: 0, freed: 0, left: 0, shortfall: 0 });
    assert.deepEqual(seatFigures(3, 1, null), { needed: 2, freed: 0, left: null, shortfall: null });
    // A tenant already over its seats: nobody is short who does not gain, and no figure is negative.
    assert.deepEqual(seatFigures(0, 0, -4), { needed: 0, freed: 0, left: 0, shortfall: 0 });
    assert.deepEqual(seatFigures(2, 0, -4), { needed: 2, freed: 0, left: 0, shortfall: 2 });
  });

  describe('the sample E3 rule narrowed to Sales and Engineering', () => {
    let file: string;
    let json: { licenses: Figures[] };
    let h: Harness;
    before(async () => {
      file = path.join(mkdtempSync(path.join(tmpdir(), 'dynrule-seats-')), 'narrowed.dynrule');
      writeFileSync(file, NARROWED);
      json = JSON.parse(cli(file, 'json')) as { licenses: Figures[] };
      h = await startHarnessWithFolder(CONTOSO);
    });
    after(() => h?.close());

    it('the CLI: JSON and the text table give 145 freed and 160 left, and no negative number', () => {
      const e3 = json.licenses[0]!;
      assert.deepEqual([e3.gained.length, e3.lost.length, e3.available, e3.needed, e3.freed, e3.left, e3.shortfall], [0, 145, 15, 0, 145, 160, 0]);
      const text = cli(file, 'text');
      const header = text.split('\n').find((l) => l.startsWith('License'))!;
      const row = text.split('\n').find((l) => l.startsWith('SPE_E3'))!;
      assert.deepEqual(header.split(/\s{2,}/), ['License', 'Gained', 'Lost', 'Available', 'Needed', 'Freed', 'Left', 'Shortfall']);
      assert.deepEqual(row.split(/\s{2,}/).slice(1), ['0', '145', '15', '0', '145', '160', '0']);
      assert.doesNotMatch(row, /[−-]\d/, 'no negative figure');
    });

    it('the code lens says the same: 145 seats freed, 160 left', async () => {
      const uri = await h.open('narrowed.dynrule', NARROWED);
      const lenses = await h.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      const titles = lenses.map((l) => l.command!.title);
      assert.ok(titles.includes('SPE_E3 +0 −145 · 145 seats freed · 160 seats left'), titles.join(' | '));
    });

    it('the preview view gets the CLI\'s figures and shows them, none negative', async () => {
      const uri = await h.open('narrowed-view.dynrule', NARROWED);
      const p = await h.client.sendRequest<PreviewResponse>('dynrule/preview', { uri });
      assert.equal(p.ok, true, p.reason);
      const e3 = p.licenses![0]!;
      const cliE3 = json.licenses[0]!;
      assert.deepEqual([e3.available, e3.needed, e3.freed, e3.left, e3.shortfall], [cliE3.available, cliE3.needed, cliE3.freed, cliE3.left, cliE3.shortfall]);
      const dom = runPreviewScript(p);
      const cells = (cls: string): string[] => dom.elements().filter((e) => e.tagName === 'TD' && e.attributes.get('class') === `num ${cls}`).map((e) => dom.textOf(e));
      assert.deepEqual([cells('available'), cells('needed'), cells('freed'), cells('left')], [['15'], ['0'], ['145'], ['160']]);
    });
  });
});
