/**
 * Copy commands for handing a rule over: to the admin center's rule box, as a Microsoft Graph
 * request, as a PowerShell command. The server writes the text (server/src/handOff.ts); this only
 * puts it on the clipboard and says what was copied. Nothing is sent to the tenant.
 */
import * as vscode from 'vscode';
import type { Server } from './client';
import { setting } from './settings';
import { HandOffRequest, LANGUAGE_ID, type HandOffFormat, type HandOffResponse } from '../../protocol/src/protocol';

export async function copyHandOff(server: Server, format: HandOffFormat, target?: vscode.Uri | string): Promise<HandOffResponse | undefined> {
  const uri = typeof target === 'string' ? vscode.Uri.parse(target) : target ?? vscode.window.activeTextEditor?.document.uri;
  const doc = uri && await vscode.workspace.openTextDocument(uri).then((d) => d, () => undefined);
  if (!doc || doc.languageId !== LANGUAGE_ID) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a .dynrule file to copy its rule.'));
    return undefined;
  }
  const r = await server.request(HandOffRequest, { uri: doc.uri.toString(), format, endpoint: setting('graph.endpoint') });
  if (!r.ok || r.text === undefined) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Nothing was copied: {0}', r.reason ?? ''));
    return r;
  }
  await vscode.env.clipboard.writeText(r.text);
  const group = r.group ? (r.group.displayName ? `${r.group.displayName} (${r.group.id})` : r.group.id) : '';
  const copied = format === 'portal'
    ? vscode.l10n.t('Copied the rule for the portal ({0} characters, without comment lines).', r.text.length.toLocaleString())
    : format === 'graph'
      ? vscode.l10n.t('Copied the Microsoft Graph request that sets the rule of {0}. Entra Dynamic Rules never sends it: run it yourself.', group)
      : vscode.l10n.t('Copied the PowerShell command that sets the rule of {0}. Entra Dynamic Rules never runs it: run it yourself.', group);
  const errors = r.errors ? ` ${r.errors === 1 ? vscode.l10n.t('The rule has 1 error: Entra will refuse it as it is.') : vscode.l10n.t('The rule has {0} errors: Entra will refuse it as it is.', r.errors)}` : '';
  void (r.errors ? vscode.window.showWarningMessage(copied + errors) : vscode.window.showInformationMessage(copied));
  return r;
}
