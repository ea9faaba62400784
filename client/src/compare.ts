/**
 * "Compare with the Group's Current Rule": the rule the group named by `# @group` has in the
 * tenant, beside the edited one as a diff. The server reads it from the tenant in use; the
 * current rule opens as a read-only document.
 */
import * as vscode from 'vscode';
import type { Server } from './client';
import { CurrentRuleRequest, LANGUAGE_ID, type CurrentRuleResponse } from '../../protocol/src/protocol';

export const CURRENT_RULE_SCHEME = 'dynrule-current';

export class CurrentRuleProvider implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly server: Server) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** The command: opens the diff for `ruleUri` (default: the active editor) and returns the server's answer. */
  async compare(ruleUri?: vscode.Uri | string): Promise<CurrentRuleResponse | undefined> {
    const rule = typeof ruleUri === 'string' ? vscode.Uri.parse(ruleUri) : ruleUri ?? vscode.window.activeTextEditor?.document.uri;
    const doc = rule && (await vscode.workspace.openTextDocument(rule));
    if (!rule || doc?.languageId !== LANGUAGE_ID) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a .dynrule file to compare it with its group\'s current rule.'));
      return undefined;
    }
    const r = await this.server.request(CurrentRuleRequest, { uri: rule.toString() });
    if (!r.ok || r.text === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Cannot compare with the current rule: {0}', r.reason ?? ''));
      return r;
    }
    const name = rule.path.split('/').pop() ?? 'rule.dynrule';
    const current = vscode.Uri.from({ scheme: CURRENT_RULE_SCHEME, path: `/${r.group?.id ?? 'group'}/${name}`, query: `rule=${encodeURIComponent(rule.toString())}` });
    this.contents.set(current.toString(), r.text);
    this.emitter.fire(current);
    const group = r.group?.displayName ?? r.group?.id ?? '';
    await vscode.commands.executeCommand('vscode.diff', current, rule, vscode.l10n.t('{0}: current rule of {1} ↔ edited', name, group));
    return r;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
