/**
 * The audit report webview (client/media/audit.js on the shared client/media/table.js): group
 * names, codes and messages come from the tenant, so they are rendered as text only; and the
 * table sorts, filters and opens a finding by its row number, the numbering the extension uses
 * (client/src/auditReport.ts reportRows).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AuditResponse } from '../../../server/src/lsp/protocol';
import { runWebviewScript, type FakeElement, type WebviewDom } from '../../support/webview';

const SCRIPT = readFileSync('client/media/audit.js', 'utf8');
const HOSTILE = '<img src=x onerror=alert(1)>';

function report(name = 'Sales'): AuditResponse {
  return {
    ok: true, tenant: 'Contoso',
    summary: { groups: 2, administrativeUnits: 1, dynamicObjects: 3, dynamicLimit: 15000, errors: 1, warnings: 2, infos: 0 },
    findings: [{ code: 'tenant/p1-seats', severity: 'warning', message: 'more users than seats' }],
    groups: [
      { id: 'g1', displayName: name, kind: 'group', type: 'user', processingState: 'On', members: 12, ruleMembers: 14, missing: 2, extra: 0, unknown: 0, licenses: [],
        findings: [{ code: 'group/membership-drift', severity: 'warning', message: '2 selected but not members', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } } }],
        file: 'file:///w/dynamic-groups/sales.dynrule' },
      { id: 'g2', displayName: 'Autopilot', kind: 'group', type: 'device', processingState: 'Paused', members: 3, ruleMembers: 3, missing: 0, extra: 0, unknown: 0, licenses: [], findings: [] },
      { id: 'a1', displayName: 'Paris', kind: 'administrativeUnit', type: 'user', processingState: 'On', members: null, ruleMembers: 5, missing: 0, extra: 0, unknown: 0, licenses: [],
        findings: [{ code: 'syntax/missing-value', severity: 'error', message: 'a value is missing' }] },
    ],
  };
}

const rowsOf = (dom: WebviewDom): FakeElement[] => dom.elements().filter((e) => e.tagName === 'TR' && e.attributes.has('data-index'));
const fire = (e: FakeElement, type: string, arg: unknown = { preventDefault: () => undefined }): void => (e.listeners.get(type) as (a: unknown) => void)(arg);

describe('the audit report webview', () => {
  it('lists every finding, the tenant\'s first, with the summary', () => {
    const dom = runWebviewScript('audit.js', { type: 'audit', data: report() });
    const rows = rowsOf(dom);
    assert.deepEqual(rows.map((r) => r.attributes.get('data-index')), ['0', '1', '2']);
    assert.match(dom.textOf(rows[0]!), /tenant\/p1-seats/);
    assert.match(dom.textOf(rows[1]!), /group\/membership-drift[\s\S]*Sales/);
    assert.match(dom.text(), /dynamicObjects: 3 \/ 15000/);
  });

  it('opens a finding by its row number; a group not pulled offers to pull; the tenant\'s opens nothing', () => {
    const dom = runWebviewScript('audit.js', { type: 'audit', data: report() });
    const links = dom.elements().filter((e) => e.tagName === 'A');
    assert.deepEqual(links.map((a) => dom.textOf(a)), ['open', 'pull']);
    fire(links[0]!, 'click');
    assert.deepEqual({ ...(dom.posted.at(-1) as object) }, { type: 'open', index: 1 });
  });

  it('filters and sorts through the shared table', () => {
    const dom = runWebviewScript('audit.js', { type: 'audit', data: report() });
    const input = dom.elements().find((e) => e.id === 'filter')!;
    fire(input, 'input', { target: { value: 'paris' } });
    assert.deepEqual(rowsOf(dom).map((r) => r.attributes.get('data-index')), ['2']);
    fire(input, 'input', { target: { value: '' } });
    const severity = dom.elements().find((e) => e.tagName === 'TH')!;
    fire(severity, 'click');
    // error < warning: the administrative unit's error comes first.
    assert.equal(rowsOf(dom)[0]!.attributes.get('data-index'), '2');
    fire(dom.elements().find((e) => e.tagName === 'TH')!, 'click');
    assert.equal(rowsOf(dom).at(-1)!.attributes.get('data-index'), '2');
  });

  it(`renders a group named ${HOSTILE} as text, building only the elements it names`, () => {
    const dom = runWebviewScript('audit.js', { type: 'audit', data: report(HOSTILE) });
    assert.ok(dom.text().includes(HOSTILE));
    const code = ['table.js', 'audit.js'].map((f) => readFileSync(`client/media/${f}`, 'utf8')).join('\n');
    const written = new Set(['MAIN', ...[...code.matchAll(/\bel\('([a-z0-9]+)'/g)].map((m) => m[1]!.toUpperCase())]);
    for (const e of dom.elements()) {
      assert.ok(written.has(e.tagName), `an element <${e.tagName}>`);
      for (const [name, value] of e.attributes) {
        assert.doesNotMatch(name, /^on/i);
        if (name === 'href') assert.equal(value, '#');
      }
    }
    for (const sink of [/\binnerHTML\b/, /\bouterHTML\b/, /\binsertAdjacentHTML\b/, /\bdocument\.write/, /(?<![.\w$])eval\s*\(/, /\bnew\s+Function\b/]) assert.doesNotMatch(SCRIPT, sink);
    assert.doesNotMatch(SCRIPT, /\bcreateElement\(/, 'elements only through the shared el()');
  });
});
