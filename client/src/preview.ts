/**
 * The preview view: a webview beside the rule listing who is added, removed and unknown (with
 * why), per SKU who gains and loses it, seats and shortfall, and the errors Entra would raise.
 * It follows the rule as it is edited. Strict Content-Security-Policy: no inline script, no
 * remote content; tenant values are only ever set as text.
 */
import * as vscode from 'vscode';
import type { Server } from './client';
import { exportCsv, toCsvText } from './csv';
import { newNonce, webviewHtml } from './webviewHtml';
import { Commands, LANGUAGE_ID, PreviewRequest, type ObjectSummary, type PreviewResponse } from '../../server/src/lsp/protocol';

type ListName = 'added' | 'removed' | 'unknown';

/** The strings the webview shows, localised here (the webview has no l10n API). */
function labels(): Record<string, string> {
  const t = vscode.l10n.t;
  return {
    title: t('Membership and license preview'), tenant: t('Tenant'), group: t('Group'), newGroup: t('a new group'),
    members: t('Members'), devices: t('Devices'), added: t('Added'), removed: t('Removed'), unknown: t('Unknown'),
    unknownHelp: t('The snapshot lacks data the rule reads for these: Entra may decide either way.'),
    licenses: t('Licenses'), sku: t('License'), disabled: t('Plans off'), gained: t('Gain'), lost: t('Lose'),
    available: t('Seats free now'), needed: t('Seats needed'), freed: t('Seats freed'), left: t('Seats left after'),
    shortfall: t('Shortfall'), short: t('short'),
    errors: t('Errors Entra would raise'), reason: t('Reason'), user: t('User'), detail: t('Detail'), warnings: t('Warnings'), notes: t('Notes'),
    meanings: t('What the errors mean'), plansLost: t('Plans lost by removed members who keep the license'), plans: t('Plans'),
    name: t('Name'), upn: t('User principal name'), department: t('Department'), jobTitle: t('Job title'),
    decidedBy: t('Decided by'), inCurrentRule: t('only in the current rule'), inEditedRule: t('only in the edited rule'), value: t('Value seen'), filter: t('Filter by name, UPN, department…'),
    copyCsv: t('Copy CSV'), saveCsv: t('Save CSV…'), explain: t('Explain'), none: t('Nobody'),
    unavailable: t('No preview'), chooseTenant: t('Choose a tenant…'), showMore: t('Show more'), showAll: t('Show all'),
  };
}

/** A list of the preview as CSV (id, name, UPN, department, job title, decided by, value, and which rule when only one has it). */
export function toCsv(p: PreviewResponse, list: ListName): string {
  const ids = p[list] ?? [];
  const rows = [['id', 'displayName', 'userPrincipalName', 'department', 'jobTitle', 'decidedBy', 'value', 'decidedIn']];
  for (const id of ids) {
    const o: Partial<ObjectSummary> = p.objects?.[id] ?? {};
    const e = p.explanations?.[id];
    rows.push([id, o.displayName ?? '', o.userPrincipalName ?? o.operatingSystem ?? '', o.department ?? '', o.jobTitle ?? '', e?.decidedBy ?? '', e?.value ?? '', e?.rule ?? '']);
  }
  return toCsvText(rows);
}

export class PreviewPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private uri: vscode.Uri | undefined;
  private last: PreviewResponse | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext, private readonly client: Server) {
    this.subscriptions.push(vscode.workspace.onDidChangeTextDocument((e) => {
      if (this.panel && this.uri && e.document.uri.toString() === this.uri.toString()) this.schedule();
    }));
  }

  /** The latest data shown (for tests and the export commands). */
  get current(): PreviewResponse | undefined {
    return this.last;
  }

  /** Refresh after the tenant changed. */
  refresh(): void {
    if (this.panel) this.schedule(0);
  }

  async show(target?: vscode.Uri | string): Promise<PreviewResponse | undefined> {
    const uri = typeof target === 'string' ? vscode.Uri.parse(target) : target ?? vscode.window.activeTextEditor?.document.uri;
    if (!uri) return undefined;
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== LANGUAGE_ID) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a .dynrule file to preview its rule.'));
      return undefined;
    }
    this.uri = uri;
    if (!this.panel) {
      const media = vscode.Uri.joinPath(this.context.extensionUri, 'client', 'media');
      this.panel = vscode.window.createWebviewPanel('dynrule.preview', labels()['title']!, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true,
        localResourceRoots: [media],
        retainContextWhenHidden: true,
      });
      this.panel.webview.html = this.html(this.panel.webview, media);
      this.panel.onDidDispose(() => { this.panel = undefined; }, null, this.subscriptions);
      this.panel.webview.onDidReceiveMessage((m: { type: string; list?: ListName; id?: string }) => void this.onMessage(m), null, this.subscriptions);
    } else this.panel.reveal(undefined, true);
    this.panel.title = `${labels()['title']}: ${vscode.workspace.asRelativePath(uri)}`;
    return this.update();
  }

  private schedule(delay = 300): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), delay);
  }

  private async update(): Promise<PreviewResponse | undefined> {
    if (!this.panel || !this.uri) return undefined;
    const data = await this.client.request<PreviewResponse>(PreviewRequest, { uri: this.uri.toString() });
    this.last = data;
    await this.panel.webview.postMessage({ type: 'preview', data, labels: labels(), rule: vscode.workspace.asRelativePath(this.uri) });
    return data;
  }

  private async onMessage(m: { type: string; list?: ListName; id?: string }): Promise<void> {
    const p = this.last;
    switch (m.type) {
      case 'ready':
        if (p && this.panel) await this.panel.webview.postMessage({ type: 'preview', data: p, labels: labels(), rule: this.uri ? vscode.workspace.asRelativePath(this.uri) : '' });
        break;
      case 'copyCsv':
      case 'saveCsv':
        if (p && m.list) await exportCsv(m.type === 'copyCsv' ? 'copy' : 'save', toCsv(p, m.list), (p[m.list] ?? []).length, `${m.list}.csv`);
        break;
      case 'explain':
        if (m.id && this.uri) await vscode.commands.executeCommand(Commands.explainForUser, this.uri.toString(), m.id);
        break;
      case 'chooseTenant':
        await vscode.commands.executeCommand(Commands.selectTenant);
        break;
      default:
        break;
    }
  }

  private html(webview: vscode.Webview, media: vscode.Uri): string {
    return webviewHtml({
      cspSource: webview.cspSource,
      scriptUris: ['table.js', 'preview.js'].map((f) => webview.asWebviewUri(vscode.Uri.joinPath(media, f)).toString()),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'preview.css')).toString(),
      nonce: newNonce(),
      lang: vscode.env.language,
      title: labels()['title']!,
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
