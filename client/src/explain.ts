/**
 * "Explain Rule for User…": pick a user (or device) from the tenant with a searchable quick pick
 * and see the rule's trace for it — like Graph's evaluateDynamicMembership, for anyone, offline.
 * The trace opens as a read-only document beside the rule.
 */
import * as vscode from 'vscode';
import type { Server } from './client';
import {
  ExplainRequest, LANGUAGE_ID, SearchObjectsRequest,
  type ExplainResponse, type ObjectSummary, type TraceNodeDto,
} from '../../protocol/src/protocol';

export const EXPLAIN_SCHEME = 'dynrule-explain';

/** The first reason in the trace that is not missing data (a pattern that is not run). */
function refusalIn(t: TraceNodeDto): string | undefined {
  if (t.reason !== undefined) return t.reason;
  for (const c of t.children) {
    const r = refusalIn(c);
    if (r !== undefined) return r;
  }
  return undefined;
}

export function explanationText(rule: vscode.Uri, r: ExplainResponse): string {
  if (!r.ok || !r.lines || !r.object) return vscode.l10n.t('Cannot explain: {0}', r.reason ?? '');
  const o = r.object;
  const refused = r.result === 'unknown' ? r.trace && refusalIn(r.trace) : undefined;
  const verdict = r.result === 'unknown'
    ? (refused !== undefined ? vscode.l10n.t('unknown ({0})', refused) : vscode.l10n.t('unknown (the snapshot lacks data the rule reads)'))
    : r.result ? vscode.l10n.t('member') : vscode.l10n.t('not a member');
  const who = [o.displayName, o.userPrincipalName ? `<${o.userPrincipalName}>` : '', o.department ? `· ${o.department}` : ''].filter(Boolean).join(' ');
  return [
    vscode.l10n.t('Rule: {0}', vscode.workspace.asRelativePath(rule)),
    vscode.l10n.t('For: {0} ({1})', who, o.id),
    vscode.l10n.t('Result: {0}', verdict),
    '',
    ...r.lines,
    '',
  ].join('\n');
}

export class ExplainProvider implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly client: Server) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Runs the explain request and returns the response (also used by tests). */
  async explain(rule: vscode.Uri, objectId: string): Promise<ExplainResponse> {
    return this.client.request(ExplainRequest, { uri: rule.toString(), objectId });
  }

  /** The command: pick a user, show the trace. `objectId` skips the picker. */
  async run(ruleUri?: vscode.Uri | string, objectId?: string): Promise<ExplainResponse | undefined> {
    const rule = typeof ruleUri === 'string' ? vscode.Uri.parse(ruleUri) : ruleUri ?? vscode.window.activeTextEditor?.document.uri;
    if (!rule) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a .dynrule file to explain its rule.'));
      return undefined;
    }
    const doc = await vscode.workspace.openTextDocument(rule);
    if (doc.languageId !== LANGUAGE_ID) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a .dynrule file to explain its rule.'));
      return undefined;
    }
    const id = objectId ?? (await this.pick(rule));
    if (!id) return undefined;
    const r = await this.explain(rule, id);
    const name = (r.object?.userPrincipalName ?? r.object?.displayName ?? id).replace(/[^\w@.-]+/g, '_');
    const uri = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${name}.trace`, query: `rule=${encodeURIComponent(rule.toString())}` });
    this.contents.set(uri.toString(), explanationText(rule, r));
    this.emitter.fire(uri);
    const shown = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(shown, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    return r;
  }

  private async pick(rule: vscode.Uri): Promise<string | undefined> {
    type Item = vscode.QuickPickItem & { id: string };
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = vscode.l10n.t('Explain the rule for…');
    qp.placeholder = vscode.l10n.t('Search users by name, UPN or id');
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    const toItem = (o: ObjectSummary): Item => ({
      id: o.id,
      label: o.displayName,
      description: o.userPrincipalName ?? o.operatingSystem ?? '',
      detail: [o.department, o.jobTitle, o.userType === 'Guest' ? vscode.l10n.t('guest') : ''].filter(Boolean).join(' · '),
    });
    let seq = 0;
    const search = async (query: string): Promise<void> => {
      const mine = ++seq;
      qp.busy = true;
      const found = await this.client.request(SearchObjectsRequest, { uri: rule.toString(), query, limit: 100 }).catch(() => []);
      if (mine !== seq) return;
      qp.items = found.map(toItem);
      qp.busy = false;
    };
    qp.onDidChangeValue((v) => void search(v));
    void search('');
    qp.show();
    return new Promise((resolve) => {
      qp.onDidAccept(() => {
        resolve(qp.selectedItems[0]?.id);
        qp.hide();
      });
      qp.onDidHide(() => {
        resolve(undefined);
        qp.dispose();
      });
    });
  }
}
