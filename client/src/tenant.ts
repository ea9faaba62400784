/**
 * The tenant in use: a status bar item (name, size, snapshot age) that opens a picker of the
 * snapshot folders in the workspace, the bundled sample, or a folder to browse for. The choice is
 * remembered per workspace.
 */
import * as vscode from 'vscode';
import type { Server } from './client';
import { setting } from './settings';
import { nextStep } from './graphFailure';
import { pickLive, signInAgain } from './live';
import {
  Commands, SelectTenantRequest, TenantChangedNotification, TenantInfoRequest, type TenantInfo, type TenantSelection,
} from '../../protocol/src/protocol';

const STATE_KEY = 'dynrule.tenantSelection';
/** A when-clause context key (package.json menus): a live tenant is in use. */
export const LIVE_CONTEXT_KEY = 'dynrule.liveTenant';

/** Snapshot folders in the workspace: folders holding users.json or users.jsonl. */
export async function workspaceSnapshots(): Promise<vscode.Uri[]> {
  const files = await vscode.workspace.findFiles('**/users.{json,jsonl}', '**/node_modules/**', 50);
  const seen = new Map<string, vscode.Uri>();
  for (const f of files) {
    const dir = vscode.Uri.joinPath(f, '..');
    seen.set(dir.toString(), dir);
  }
  return [...seen.values()].sort((a, b) => a.path.localeCompare(b.path));
}

export function bundledSample(context: vscode.ExtensionContext): TenantSelection & { kind: 'folder' } {
  return { kind: 'folder', path: vscode.Uri.joinPath(context.extensionUri, 'samples', 'tenant', 'contoso').fsPath, label: vscode.l10n.t('Contoso (bundled sample)') };
}

/** The tenant last selected in this workspace (a live one only in a trusted workspace). */
export function rememberedTenant(context: vscode.ExtensionContext): TenantSelection | undefined {
  const remembered = context.workspaceState.get<TenantSelection>(STATE_KEY);
  return remembered && (remembered.kind !== 'live' || vscode.workspace.isTrusted) ? remembered : undefined;
}

/** The folder of the `dynrule.tenant.folder` setting (relative to the workspace), in a trusted workspace. */
export function configuredTenant(): TenantSelection | undefined {
  const configured = setting('tenant.folder');
  if (!configured || !vscode.workspace.isTrusted) return undefined;
  const base = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = configured.startsWith('/') || /^[A-Za-z]:/.test(configured) || !base ? vscode.Uri.file(configured) : vscode.Uri.joinPath(base, configured);
  return { kind: 'folder', path: uri.fsPath };
}

/** The tenant to start with: remembered, configured, found in the workspace, or the bundled sample. */
export async function initialTenant(context: vscode.ExtensionContext): Promise<TenantSelection> {
  const remembered = rememberedTenant(context);
  if (remembered) return remembered;
  const configured = configuredTenant();
  if (configured) return configured;
  const found = await workspaceSnapshots();
  if (found[0]) return { kind: 'folder', path: found[0].fsPath };
  return bundledSample(context);
}

/** A snapshot folder's snapshot.json as text (tenant, time taken), or undefined: two folders with the same one hold the same snapshot. */
async function snapshotMeta(dir: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, 'snapshot.json'))).trim();
  } catch {
    return undefined;
  }
}

function age(takenAt: string | undefined): string {
  if (!takenAt) return '';
  const ms = Date.now() - Date.parse(takenAt);
  if (!Number.isFinite(ms)) return '';
  const days = Math.floor(ms / 86_400_000);
  if (days >= 1) return vscode.l10n.t('{0} d old', days);
  const hours = Math.floor(ms / 3_600_000);
  return hours >= 1 ? vscode.l10n.t('{0} h old', hours) : vscode.l10n.t('fresh');
}

export class TenantStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dynrule.tenant', vscode.StatusBarAlignment.Left, 50);
  private info: TenantInfo | undefined;
  private readonly listeners: ((info: TenantInfo) => void)[] = [];

  constructor(private readonly context: vscode.ExtensionContext, private readonly client: Server) {
    this.item.name = vscode.l10n.t('Entra Dynamic Rules tenant');
    this.item.command = Commands.selectTenant;
    client.onNotification(TenantChangedNotification, (info) => this.update(info));
    void client.request(TenantInfoRequest).then((info) => this.update(info), () => undefined);
  }

  /** Called with every change of the tenant (the Test Explorer and preview refresh on it). */
  onDidChange(listener: (info: TenantInfo) => void): void {
    this.listeners.push(listener);
  }

  get current(): TenantInfo | undefined {
    return this.info;
  }

  private update(info: TenantInfo): void {
    this.info = info;
    // The live tenant's commands (Refresh, Stop Reading) are offered only while one is in use.
    void vscode.commands.executeCommand('setContext', LIVE_CONTEXT_KEY, info.selection.kind === 'live');
    const counts = [info.users !== undefined ? vscode.l10n.t('{0} users', info.users.toLocaleString()) : '', info.devices !== undefined ? vscode.l10n.t('{0} devices', info.devices.toLocaleString()) : ''].filter(Boolean).join(', ');
    switch (info.state) {
      case 'loading':
        this.item.text = `$(sync~spin) ${info.label}`;
        this.item.tooltip = vscode.l10n.t('Loading tenant {0}…', info.label);
        break;
      case 'failed':
        this.item.text = `$(error) ${info.label}`;
        this.item.tooltip = vscode.l10n.t('The tenant could not be loaded: {0}. Click to choose another.', info.error ?? '');
        break;
      case 'none':
        this.item.text = `$(organization) ${vscode.l10n.t('No tenant')}`;
        this.item.tooltip = vscode.l10n.t('Choose a tenant snapshot to preview rules against.');
        break;
      default: {
        const old = age(info.takenAt);
        this.item.text = `${info.live ? '$(cloud)' : '$(organization)'} ${info.label}${old ? ` · ${old}` : ''}`;
        const notes = info.notes?.length ? `\n\n${info.notes.map((n) => `- ${n}`).join('\n')}` : '';
        this.item.tooltip = new vscode.MarkdownString(`${vscode.l10n.t('Tenant {0}', info.label)}: ${counts}${info.takenAt ? ` · ${vscode.l10n.t('snapshot of {0}', info.takenAt)}` : ''}${notes}\n\n${vscode.l10n.t('Click to choose another tenant.')}`);
      }
    }
    this.item.show();
    for (const l of this.listeners) l(info);
  }

  async select(selection: TenantSelection): Promise<TenantInfo> {
    if (selection.kind === 'live' && !vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Live tenants are disabled in an untrusted workspace.'));
      return this.info ?? { selection, label: '', state: 'none' };
    }
    // A forced full read is a one-off; remember the selection without it.
    const { full: _full, ...remembered } = selection as TenantSelection & { full?: boolean };
    await this.context.workspaceState.update(STATE_KEY, remembered);
    const info = await this.client.request(SelectTenantRequest, { selection });
    this.update(info);
    // Cancelled (sign-in or loading): the server kept the tenant in use, and so does the workspace.
    const { full: _kept, ...kept } = info.selection as TenantSelection & { full?: boolean };
    if (JSON.stringify(kept) !== JSON.stringify(remembered)) {
      await this.context.workspaceState.update(STATE_KEY, kept.kind === 'none' ? undefined : kept);
      return info;
    }
    if (info.state === 'failed') void this.failed(info).catch((e: unknown) => vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e)));
    return info;
  }

  /** Says why the tenant failed and, for a live one, offers what may fix it (graphFailure.ts). */
  private async failed(info: TenantInfo): Promise<void> {
    const message = vscode.l10n.t('Tenant {0} could not be loaded: {1}', info.label, info.error ?? '');
    const selection = info.selection;
    const step = selection.kind === 'live' ? nextStep(info.errorKind) : undefined;
    if (selection.kind !== 'live' || !step) {
      void vscode.window.showErrorMessage(message);
      return;
    }
    const action = step === 'sign-in' ? vscode.l10n.t('Sign In Again') : step === 'read-all' ? vscode.l10n.t('Read Everything Again') : vscode.l10n.t('Try Again');
    if (await vscode.window.showErrorMessage(message, action) !== action) return;
    if (step === 'sign-in' && !await signInAgain(selection)) return;
    await this.select(step === 'read-all' ? { ...selection, full: true } : selection);
  }

  /** The picker behind the status bar item and the "Select Tenant…" command. */
  async pick(): Promise<void> {
    type Item = vscode.QuickPickItem & { selection?: TenantSelection; browse?: boolean; live?: 'home' | 'other' };
    const items: Item[] = [];
    const found = await workspaceSnapshots();
    const sample = bundledSample(this.context);
    // A copy of the bundled sample in the workspace (samples/ opened, or copied) is one tenant, listed once.
    const sampleMeta = await snapshotMeta(vscode.Uri.file(sample.path));
    let sampleInWorkspace = false;
    if (found.length) items.push({ label: vscode.l10n.t('Snapshot folders in the workspace'), kind: vscode.QuickPickItemKind.Separator });
    for (const uri of found) {
      const isSample = uri.fsPath === sample.path || (sampleMeta !== undefined && await snapshotMeta(uri) === sampleMeta);
      sampleInWorkspace ||= isSample;
      items.push({ label: `$(folder) ${vscode.workspace.asRelativePath(uri)}`, description: isSample ? vscode.l10n.t('the bundled sample tenant (Contoso)') : uri.fsPath, selection: { kind: 'folder', path: uri.fsPath } });
    }
    items.push({ label: vscode.l10n.t('Other'), kind: vscode.QuickPickItemKind.Separator });
    if (!sampleInWorkspace) items.push({ label: `$(package) ${vscode.l10n.t('Bundled sample tenant (Contoso)')}`, description: vscode.l10n.t('400 users, licensing groups, devices'), selection: sample });
    items.push({ label: `$(folder-opened) ${vscode.l10n.t('Browse for a snapshot folder…')}`, browse: true });
    if (vscode.workspace.isTrusted) {
      items.push({ label: vscode.l10n.t('Live tenant (Microsoft Graph, read-only)'), kind: vscode.QuickPickItemKind.Separator });
      items.push({ label: `$(cloud) ${vscode.l10n.t('Sign in and read my tenant…')}`, description: vscode.l10n.t('users, devices, groups and licenses; kept in the extension storage'), live: 'home' });
      items.push({ label: `$(cloud) ${vscode.l10n.t('Another tenant…')}`, description: vscode.l10n.t('by tenant id or domain'), live: 'other' });
    }
    const current = this.info?.selection;
    for (const i of items) if (i.selection && current?.kind === 'folder' && i.selection.kind === 'folder' && i.selection.path === current.path) i.picked = true;
    const choice = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Preview rules against which tenant?'), placeHolder: this.info ? vscode.l10n.t('In use: {0}', this.info.label) : undefined });
    if (!choice) return;
    let selection = choice.selection;
    if (choice.live) selection = await pickLive(choice.live === 'other');
    if (choice.browse) {
      const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: vscode.l10n.t('Use this snapshot') });
      if (!picked?.[0]) return;
      selection = { kind: 'folder', path: picked[0].fsPath };
    }
    if (selection) await this.select(selection);
  }

  /** Reads the live tenant again (a delta refresh). */
  async refreshLive(): Promise<void> {
    const sel = this.info?.selection;
    if (sel?.kind !== 'live') {
      void vscode.window.showInformationMessage(vscode.l10n.t('The tenant in use is not a live tenant.'));
      return;
    }
    await this.select(sel);
  }

  /** Stops using the live tenant and goes back to the bundled sample. */
  async signOut(): Promise<void> {
    const sel = this.info?.selection;
    if (sel?.kind !== 'live') {
      void vscode.window.showInformationMessage(vscode.l10n.t('The tenant in use is not a live tenant.'));
      return;
    }
    await this.select(bundledSample(this.context));
    void vscode.window.showInformationMessage(vscode.l10n.t('Stopped reading {0}. Its snapshot stays in the extension storage until you read it again; to remove the account from VS Code, use the Accounts menu.', sel.label ?? sel.tenant ?? ''));
  }

  dispose(): void {
    this.item.dispose();
  }
}
