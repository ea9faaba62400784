/**
 * A status bar item for the active rule: its length against the 3,072-character limit and
 * whether it is a user or a device rule — what the portal will say, at a glance.
 */
import * as vscode from 'vscode';
import type { Server } from './client';
import { LANGUAGE_ID, RuleStatusRequest } from '../../protocol/src/protocol';

export class RuleStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dynrule.ruleStatus', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly client: Server) {
    this.item.name = vscode.l10n.t('Rule length and type');
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document) this.schedule();
      }),
    );
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 150);
  }

  private async refresh(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== LANGUAGE_ID) {
      this.item.hide();
      return;
    }
    const s = await this.client.request(RuleStatusRequest, { uri: doc.uri.toString() }).catch(() => null);
    if (!s) {
      this.item.hide();
      return;
    }
    const kind = s.object === 'device' ? vscode.l10n.t('device rule') : s.object === 'user' ? vscode.l10n.t('user rule') : vscode.l10n.t('no rule');
    const over = s.length > s.limit;
    this.item.text = `${over ? '$(error) ' : ''}${s.length.toLocaleString()} / ${s.limit.toLocaleString()} · ${kind}`;
    this.item.tooltip = over
      ? vscode.l10n.t('The rule is {0} characters long; Entra accepts at most {1}. Comment lines do not count.', s.length, s.limit)
      : vscode.l10n.t('Rule length (comment lines excluded) against the {0}-character limit, and the kind of group it fills.', s.limit);
    this.item.backgroundColor = over ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
