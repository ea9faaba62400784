import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, CodeLens, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { l10n } from '../../../grammar/src/index';
import type { ExplainResponse, TenantInfo } from '../../../protocol/src/protocol';
import { readMessageBundle } from '../../../server/src/lsp/locale';
import { L10N_DIR, startHarness, type Harness } from '../../support/lsp';

const CONTOSO = path.resolve('samples/tenant/contoso');
const E3_RULE = 'samples/rules/licensing/m365-e3-all-staff.dynrule';
const TYPO = 'user.departmnt -eq "Sales"';

interface Seen {
  readonly diagnostic: Diagnostic;
  readonly missingValue: string;
  readonly fix: string;
  readonly hover: string;
  readonly noTenantLens: string;
  readonly lenses: string[];
  readonly explain: string;
}

/** What a client in `locale` sees: diagnostics, a quick fix, hover and code lenses. */
async function seenBy(locale: string | undefined): Promise<Seen> {
  const h: Harness = await startHarness(locale ? { locale } : {});
  try {
    const uri = await h.open('typo.dynrule', TYPO);
    const diagnostic = (await h.diagnostics(uri)).diagnostics[0]!;
    const actions = await h.client.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: ['quickfix'] } });
    const missing = await h.open('missing.dynrule', 'user.department -eq');
    const missingValue = (await h.diagnostics(missing)).diagnostics[0]!.message;
    const hoverUri = await h.open('hover.dynrule', 'user.department -eq "Sales"');
    const hover = await h.client.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: hoverUri }, position: { line: 0, character: 7 } });
    const noTenant = await h.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: hoverUri } });
    const info = await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'folder', path: CONTOSO } });
    assert.equal(info.state, 'ready', info.error);
    const rule = await h.open('e3.dynrule', readFileSync(E3_RULE, 'utf8'));
    const lenses = await h.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: rule } });
    const explain = await h.client.sendRequest<ExplainResponse>('dynrule/explain', { uri: rule, objectId: 'nobody@contoso.com' });
    return {
      diagnostic, missingValue, fix: actions[0]!.title, hover: (hover.contents as MarkupContent).value,
      noTenantLens: noTenant[0]!.command!.title, lenses: lenses.map((l) => l.command!.title), explain: explain.reason ?? '',
    };
  } finally {
    h.close();
  }
}

describe('language server in the client\'s language (initialize locale)', function () {
  this.timeout(60000);
  after(() => l10n.setMessageBundle(undefined));

  it('speaks Dutch to a Dutch client: diagnostics, quick fixes, parser messages, hover, code lenses and reasons', async () => {
    const nl = await seenBy('nl');
    assert.equal(nl.diagnostic.code, 'type/unknown-property');
    assert.equal(nl.diagnostic.message, 'Kenmerk wordt niet ondersteund: user.departmnt is geen user-eigenschap. Bedoelde u department?');
    assert.equal(nl.fix, 'Wijzigen in user.department');
    assert.equal(nl.missingValue, 'Verwacht: een waarde (een tekenreeks tussen aanhalingstekens, true, false, null, een getal, een datum, een matrix of system.now), gevonden: het einde van de regel.');
    assert.match(nl.hover, /^\*\*user\.department\*\* · tekenreeks · kan null zijn\n\nDe afdeling waar de gebruiker werkt\.\n/);
    assert.match(nl.hover, /\[Documentatie\]\(https:/);
    assert.equal(nl.noTenantLens, 'Voorbeeld: kies een tenant om te zien wie erbij komt en wie vertrekt');
    assert.match(nl.lenses[0]!, /^leden 276 → 323 \(\+47 −0\)/);
    assert.ok(nl.lenses.includes('SPE_E3 +0 −0 · 15 licenties over'), nl.lenses.join(' | '));
    assert.ok(nl.lenses.includes('$(warning) 45 × MutuallyExclusiveViolation: Een abonnement van het product botst met een ander abonnement dat de gebruiker al via een andere licentie heeft (hetzelfde abonnement twee keer is geen probleem).'), nl.lenses.join(' | '));
    assert.equal(nl.explain, 'geen gebruiker "nobody@contoso.com" in contoso');
  });

  it('speaks English to an English client, and to one that sends no locale', async () => {
    for (const locale of ['en', undefined]) {
      const en = await seenBy(locale);
      assert.equal(en.diagnostic.message, 'Attribute not supported: user.departmnt is not a user property. Did you mean department?');
      assert.equal(en.fix, 'Change to user.department');
      assert.equal(en.missingValue, 'Expected a value (a quoted string, true, false, null, a number, a date, an array or system.now) but found the end of the rule.');
      assert.match(en.hover, /^\*\*user\.department\*\* · string · nullable\n\nThe department the user works in\.\n/);
      assert.equal(en.noTenantLens, 'Preview: choose a tenant to see who joins and leaves');
      assert.match(en.lenses[0]!, /^members 276 → 323 \(\+47 −0\)/);
      assert.ok(en.lenses.includes('SPE_E3 +0 −0 · 15 seats left'), en.lenses.join(' | '));
      assert.ok(en.lenses.includes('$(warning) 45 × MutuallyExclusiveViolation: A plan of the product conflicts with a different plan the user already has from another license (the same plan twice is fine).'), en.lenses.join(' | '));
      assert.equal(en.explain, 'no user "nobody@contoso.com" in contoso');
    }
  });

  it('finds the bundle for a regional locale and ignores locales it has none for', () => {
    assert.equal(readMessageBundle(L10N_DIR, 'nl-BE')?.['Change to {0}'], 'Wijzigen in {0}');
    assert.equal(readMessageBundle(L10N_DIR, 'NL')?.['Change to {0}'], 'Wijzigen in {0}');
    assert.equal(readMessageBundle(L10N_DIR, 'en-US'), undefined);
    assert.equal(readMessageBundle(L10N_DIR, 'fr'), undefined);
    assert.equal(readMessageBundle(L10N_DIR, '../../etc/passwd'), undefined);
    assert.equal(readMessageBundle(L10N_DIR, undefined), undefined);
  });

  it('the bundled server (dist/server.js) finds l10n/ beside dist/ and speaks Dutch', async () => {
    const child = spawn(process.execPath, ['dist/server.js', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const client = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const diagnostics = new Promise<PublishDiagnosticsParams>((resolve) => client.onNotification('textDocument/publishDiagnostics', resolve));
    client.listen();
    try {
      await client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {}, locale: 'nl' });
      await client.sendNotification('initialized', {});
      await client.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///any/typo.dynrule', languageId: 'dynrule', version: 1, text: TYPO } });
      assert.equal((await diagnostics).diagnostics[0]!.message, 'Kenmerk wordt niet ondersteund: user.departmnt is geen user-eigenschap. Bedoelde u department?');
      await client.sendRequest('shutdown');
      await client.sendNotification('exit');
    } finally {
      client.dispose();
      child.kill();
    }
  });
});
