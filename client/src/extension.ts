/**
 * Entra Dynamic Rules for VS Code: starts the language server and wires its features into the
 * editor (tenant status and picker, preview view, explain, rule tests in the Test Explorer, the
 * Dynamic Groups view and the audit report, what if).
 */
import * as vscode from 'vscode';
import { LSPErrorCodes, ResponseError, type LanguageClient } from 'vscode-languageclient/node';
import { SETTINGS_SECTION } from '../../protocol/src/settings';
import { Commands, GetTokenRequest, type TenantInfo } from '../../protocol/src/protocol';
import { createClient, Server, serverProcessId } from './client';
import { CurrentRuleProvider, CURRENT_RULE_SCHEME } from './compare';
import { provideToken, SignInCancelled } from './live';
import { ExplainProvider, EXPLAIN_SCHEME } from './explain';
import { AuditReportPanel } from './auditReport';
import { GroupsView } from './groups';
import { copyHandOff } from './handOff';
import { PreviewPanel } from './preview';
import { RuleStatus } from './ruleStatus';
import { configuredTenant, initialTenant, rememberedTenant, TenantStatus } from './tenant';
import { RuleTestController } from './tests';
import { WhatIfPanel } from './whatif';

let client: LanguageClient | undefined;

/** What the extension hands to its integration tests (and other extensions). */
export interface ExtensionApi {
  readonly client: LanguageClient;
  /** Resolves when the language server is running. */
  readonly ready: Promise<void>;
  readonly preview: PreviewPanel;
  readonly tests: RuleTestController;
  readonly tenant: TenantStatus;
  readonly groups: GroupsView;
  readonly auditReport: AuditReportPanel;
  readonly whatIf: WhatIfPanel;
  readonly activationMs: number;
  /**
   * The process id of the language server the client is connected to; undefined while none is
   * (stopped, or between a crash and its restart). For the resilience end-to-end test, which
   * kills the server and waits for a new one (test/e2e/suite/serverRestart.test.ts).
   */
  serverPid(): number | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const started = Date.now();
  const output = vscode.window.createOutputChannel(vscode.l10n.t('Entra Dynamic Rules'));
  context.subscriptions.push(output);
  const first = await initialTenant(context);
  const c = createClient(context, output, () => rememberedTenant(context) ?? first);
  client = c;
  // Activation does not wait for the server process: requests wait for it instead.
  const server = new Server(c, c.start());

  const tenant = new TenantStatus(context, server);
  const preview = new PreviewPanel(context, server);
  const explain = new ExplainProvider(server);
  const currentRule = new CurrentRuleProvider(server);
  const tests = new RuleTestController(server);
  const ruleStatus = new RuleStatus(server);
  const groups = new GroupsView(server, tenant);
  const auditReport = new AuditReportPanel(context, groups);
  const whatIf = new WhatIfPanel(context, server);
  tenant.onDidChange((info: TenantInfo) => {
    if (info.state === 'loading') return;
    preview.refresh();
    void groups.refresh();
    whatIf.refresh();
  });

  const register = (id: string, fn: (...args: never[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  };
  register(Commands.showPreview, (uri?: vscode.Uri | string) => preview.show(uri));
  register(Commands.explainForUser, (uri?: vscode.Uri | string, objectId?: string) => explain.run(uri, objectId));
  register(Commands.compareWithCurrentRule, (uri?: vscode.Uri | string) => currentRule.compare(uri));
  register(Commands.selectTenant, (selection?: Parameters<TenantStatus['select']>[0]) => (selection ? tenant.select(selection) : tenant.pick()));
  register(Commands.runAllRuleTests, () => tests.runAndSummarize(new vscode.TestRunRequest()));
  register(Commands.runRuleTestsForRule, async (uri?: vscode.Uri) => {
    const rule = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!rule) return undefined;
    const items = await tests.filesForRule(rule);
    if (items.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No rule test file tests {0}. Create a .ruletests.json file with "rule": "{1}".', vscode.workspace.asRelativePath(rule), rule.path.split('/').pop() ?? ''));
      return undefined;
    }
    return tests.runAndSummarize(new vscode.TestRunRequest(items));
  });
  register(Commands.restartServer, async () => {
    await c.restart();
    void vscode.window.showInformationMessage(vscode.l10n.t('The Entra Dynamic Rules language server was restarted.'));
  });
  register(Commands.showOutput, () => output.show(true));
  register(Commands.refreshLiveTenant, () => tenant.refreshLive());
  register(Commands.signOut, () => tenant.signOut());
  register(Commands.copyForPortal, (uri?: vscode.Uri | string) => copyHandOff(server, 'portal', uri));
  register(Commands.copyAsGraphRequest, (uri?: vscode.Uri | string) => copyHandOff(server, 'graph', uri));
  register(Commands.copyAsPowerShell, (uri?: vscode.Uri | string) => copyHandOff(server, 'powershell', uri));
  register(Commands.pullRules, () => groups.pull());
  register(Commands.auditTenant, async () => {
    const report = await groups.audit();
    if (report?.ok) auditReport.show();
    return report;
  });
  register(Commands.openGroup, (id?: string, range?: Parameters<GroupsView['open']>[1]) => groups.open(id, range));
  register(Commands.filterGroups, () => groups.pickFilter());
  register(Commands.refreshGroups, () => groups.refresh({ force: true }));
  register(Commands.previewWorkspaceChanges, () => whatIf.previewWorkspace());
  register(Commands.whatIfPeopleChange, (uri?: vscode.Uri | string) => whatIf.peopleChange(uri));
  context.subscriptions.push(c.onRequest(GetTokenRequest, (p) => provideToken(p).catch((e: unknown) => {
    if (e instanceof SignInCancelled) throw new ResponseError(LSPErrorCodes.RequestCancelled, e.message);
    throw e;
  })));

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, explain),
    vscode.workspace.registerTextDocumentContentProvider(CURRENT_RULE_SCHEME, currentRule), currentRule,
    tenant, preview, tests, ruleStatus, groups, auditReport, whatIf,
    vscode.workspace.onDidGrantWorkspaceTrust(() => void initialTenant(context).then((s) => tenant.select(s))),
    // Settings the server reads reach it through the language client; this one is the client's.
    vscode.workspace.onDidChangeConfiguration((e) => {
      const configured = e.affectsConfiguration(`${SETTINGS_SECTION}.tenant.folder`) ? configuredTenant() : undefined;
      if (configured) void tenant.select(configured);
      // The open preview asks again (after a tick: the language client sends the change first).
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.preview`)) preview.refresh();
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.pull.folder`)) void groups.refresh();
    }),
  );
  const activationMs = Date.now() - started;
  output.appendLine(`[client] activated in ${activationMs} ms`);
  return { client: c, ready: server.ready, preview, tests, tenant, groups, auditReport, whatIf, activationMs, serverPid: () => serverProcessId(c) };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
