/**
 * The language server: a thin adapter from the core to LSP. It receives the connection, so the
 * same code runs over stdio (any editor), IPC (VS Code) and in-process streams (tests).
 */
import {
  CodeActionKind, CodeLensRefreshRequest, CodeLensRequest, DocumentFormattingRequest, DocumentSymbolRequest, FoldingRangeRequest, InlayHintRefreshRequest, InlayHintRequest, LSPErrorCodes, ResponseError,
  SemanticTokensRegistrationType, TextDocumentSyncKind, TextDocuments, type Connection, type InitializeParams, type InitializeResult,
  type ServerCapabilities,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { liveCacheRoot, needsOfRuleFiles } from '../cli/snapshot';
import { GraphError, syncSnapshot, tenantFolder, tenantIdFor, type GetToken } from '../graph/index';
import { tooLargeIssue } from '../limits';
import { checkRule, l10n, ruleStatus, type ParsedRule } from '../../../grammar/src/index';
import { keep, toDiagnostic } from './diagnostics';
import { displaySafeConnection } from './display';
import { snapshotFacts } from '../tenant/facts';
import * as features from './features';
import { handOff } from './handOffRequest';
import { DocumentCache } from './documentCache';
import { hostCompletion, hostDiagnostics, hostHover, hostLanguageOfDocument, RULE_DOCUMENTS } from './hostDocuments';
import { useClientLocale } from './locale';
import { AuditService } from './auditService';
import { codeLenses } from './codeLens';
import { currentRule } from './currentRule';
import { explain } from './explain';
import { PreviewCache } from './previewCache';
import { previewResponse } from './previewView';
import { listRuleTests, runRuleTests } from './ruleTests';
import { isChangesUri, WhatIfService } from './whatifService';
import {
  AuditRequest, PullRequest, CHANGES_DOCUMENTS, ChangesFilesRequest, WhatIfRequest,
  CurrentRuleRequest, DIAGNOSTIC_SOURCE, ExplainRequest, GetTokenRequest, HandOffRequest, ListRuleTestsRequest, PreviewRequest, RuleStatusRequest, RunRuleTestsRequest,
  SearchObjectsRequest, SelectTenantRequest, TenantChangedNotification, TenantInfoRequest,
  type CurrentRuleResponse, type ExplainResponse, type HandOffResponse, type PreviewResponse, type RuleStatusResponse, type TenantInfo, type TenantSelection,
} from '../../../protocol/src/protocol';
import { connectionLog, safe } from './safe';
import { DEFAULT_SETTINGS, SETTINGS_SECTION, toServerSettings, type RawSettings, type ServerSettings } from '../../../protocol/src/settings';
import { LoadCancelled, TenantState, type LiveFetcher } from './tenantState';

export interface InitializationOptions {
  readonly tenant?: TenantSelection;
  /** The `dynrule` settings section, in the shape `workspace/didChangeConfiguration` carries it. */
  readonly settings?: RawSettings;
  /** Where live snapshots are kept (VS Code: the extension's global storage). */
  readonly storagePath?: string;
}

export interface StartOptions {
  /** The folder of the message bundles (l10n/ beside dist/); without it the server speaks English. */
  readonly l10nDir?: string;
}

export interface ServerHandle {
  readonly documents: TextDocuments<TextDocument>;
  readonly tenant: TenantState;
}

export function startServer(connection: Connection, start: StartOptions = {}): ServerHandle {
  // Every answer, notification and log line leaves through this: tenant data reaches the editor printable.
  connection = displaySafeConnection(connection);
  const log = connectionLog(connection);
  const documents = new TextDocuments(TextDocument);
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let supportsWorkDoneProgress = false;
  let supportsCodeLensRefresh = false;
  let supportsInlayRefresh = false;
  let initialTenant: TenantSelection | undefined;

  let storagePath: string | undefined;
  let workspaceRoots: string[] = [];
  // Live tenants: the token comes from the client each time (VS Code refreshes it); the
  // snapshot goes to the extension's storage, never the workspace.
  const fetchLive: LiveFetcher = async (sel, progress) => {
    // The client answers RequestCancelled when the user cancels signing in. The Graph client
    // wraps what getToken throws, so the cancel is remembered here rather than found in the error.
    let signInCancelled: LoadCancelled | undefined;
    const getToken: GetToken = async ({ forceRefresh }) => {
      try {
        return (await connection.sendRequest(GetTokenRequest, { endpoint: sel.endpoint, ...(sel.tenant ? { tenant: sel.tenant } : {}), forceRefresh })).token;
      } catch (e) {
        if (e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled) throw (signInCancelled = new LoadCancelled(l10n.t('signing in was cancelled')));
        throw e;
      }
    };
    try {
      const tenantId = await tenantIdFor({ endpoint: sel.endpoint, getToken, signal: progress.signal });
      const dir = tenantFolder(path.join(storagePath ?? liveCacheRoot(), 'tenants'), tenantId);
      const needs = workspaceRoots.length ? await needsOfRuleFiles(workspaceRoots).catch(() => ({ groups: [], extensions: [] })) : { groups: [], extensions: [] };
      const result = await syncSnapshot({
        endpoint: sel.endpoint, getToken, out: dir, groups: needs.groups, extensionProperties: needs.extensions,
        signal: progress.signal, ...(sel.full ? { full: true } : {}),
        onProgress: (p) => {
          if (p.kind === 'count') progress.report(`${l10n.formatNumber(p.count)} ${p.collection}`);
          else if (p.kind === 'phase') progress.report(p.message);
        },
        log: (level, message) => log(`[graph ${level}] ${message}`),
      });
      return { dir: result.dir, tenantId, mode: result.mode };
    } catch (e) {
      if (signInCancelled) throw signInCancelled;
      // The kind goes with it: the client offers the next step by it (tenantInfo.errorKind).
      if (e instanceof GraphError) throw new GraphError(e.kind, `Microsoft Graph: ${e.message}`, e.details);
      throw e;
    }
  };

  const tenant = new TenantState((info: TenantInfo) => {
    void connection.sendNotification(TenantChangedNotification, info);
    if (info.state === 'ready' || info.state === 'failed' || info.state === 'none') {
      previews.forgetAll();
      audits.clear();
      if (supportsCodeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
      if (supportsInlayRefresh) void connection.sendRequest(InlayHintRefreshRequest.type).catch(() => undefined);
      for (const d of documents.all()) schedule(d, 0);
    }
  }, fetchLive);
  const previewCache = new PreviewCache(tenant, () => settings.removalWarningPercent / 100);
  const previews = { forgetAll: () => { for (const d of documents.all()) previewCache.forget(d.uri); } };
  // The audit's findings on pulled rule files: merged into an open file's diagnostics by validate().
  const audits = new AuditService(tenant, {
    log,
    republish: (uri) => {
      const open = documents.get(uri);
      if (open) schedule(open, 0);
      else connection.sendDiagnostics({ uri, diagnostics: audits.diagnostics(uri) }).catch(() => undefined);
    },
  });

  // Changes files (protocol.ts CHANGES_DOCUMENTS): checked, with a what-if code lens; never parsed as rules.
  const whatifs = new WhatIfService(tenant, (uri) => documents.get(uri));

  // What each open document version is to the language, lexed and parsed once: every feature
  // below reads it through this one cache, rule files and the rules inside host files alike.
  const models = new DocumentCache();
  const parsedOf = (doc: TextDocument): ParsedRule => models.rule(doc).parsed;
  const docOf = (uri: string): TextDocument | undefined => documents.get(uri);
  // The same checks as `dynrule check --tenant`: the core's, with the tenant in use.
  const issuesOf = (parsed: ParsedRule) => {
    const s = tenant.current;
    return checkRule(parsed, s ? { tenant: snapshotFacts(s) } : {}).filter((i) => keep(i, settings));
  };
  let registerRuleFeatures: (() => void) | undefined;

  // Diagnostics: debounced per document; a newer edit supersedes a pending run.
  const timers = new Map<string, NodeJS.Timeout>();
  const validate = (doc: TextDocument): void => {
    const current = documents.get(doc.uri);
    if (!current || current.version !== doc.version) return;
    try {
      if (isChangesUri(doc.uri)) {
        connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: whatifs.diagnostics(doc) }).catch(() => undefined);
        return;
      }
      const host = hostLanguageOfDocument(doc);
      if (host) {
        // Terraform, Bicep and PowerShell documents: only the rule strings inside them are ours.
        connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: hostDiagnostics(doc, models.hostRules(doc, host), settings) }).catch(() => undefined);
        return;
      }
      // A document over the size limit gets this one diagnostic and is not parsed (server/src/limits.ts).
      const tooLarge = tooLargeIssue(doc.getText().length);
      if (tooLarge) {
        connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: [toDiagnostic(doc, tooLarge)] }).catch(() => undefined);
        return;
      }
      const parsed = parsedOf(doc);
      const issues = issuesOf(parsed);
      const live = issues.map((i) => toDiagnostic(doc, i));
      connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: [...live, ...audits.diagnostics(doc.uri, doc.getText(), live)] }).catch(() => undefined);
    } catch (e) {
      log(`[error] diagnostics failed for ${doc.uri}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  };
  const schedule = (doc: TextDocument, delay = settings.diagnosticsDelay): void => {
    clearTimeout(timers.get(doc.uri));
    timers.set(doc.uri, setTimeout(() => {
      timers.delete(doc.uri);
      validate(doc);
    }, delay));
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    useClientLocale(start.l10nDir, params.locale, log);
    settings = toServerSettings(options.settings);
    storagePath = options.storagePath;
    workspaceRoots = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []))
      .filter((f) => f.uri.startsWith('file:'))
      .map((f) => fileURLToPath(f.uri));
    supportsWorkDoneProgress = params.capabilities.window?.workDoneProgress === true;
    supportsCodeLensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    supportsInlayRefresh = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
    // Loaded once the client is initialized: before that it may not answer our progress request.
    initialTenant = options.tenant;
    const capabilities: ServerCapabilities = {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['.', '-', '"', "'", '(', '[', ' ', '@', ','], resolveProvider: false },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, `${CodeActionKind.SourceFixAll}.dynrule`, `${CodeActionKind.Source}.explain`] },
      documentFormattingProvider: true,
      inlayHintProvider: true,
      codeLensProvider: { resolveProvider: false },
      semanticTokensProvider: { legend: { tokenTypes: [...features.TOKEN_TYPES], tokenModifiers: [...features.TOKEN_MODIFIERS] }, full: true },
      foldingRangeProvider: true,
      documentSymbolProvider: true,
    };
    // A client that also sends us Terraform, Bicep or PowerShell documents must not see us as their
    // formatter, highlighter or outline: where it can, those features are registered for rule
    // files only (a static capability would cover every document the client sends).
    const dynamic = params.capabilities.textDocument;
    const registrations: (() => void)[] = [];
    const selector = { documentSelector: RULE_DOCUMENTS };
    if (dynamic?.formatting?.dynamicRegistration) {
      delete capabilities.documentFormattingProvider;
      registrations.push(() => void connection.client.register(DocumentFormattingRequest.type, selector));
    }
    if (dynamic?.inlayHint?.dynamicRegistration) {
      delete capabilities.inlayHintProvider;
      registrations.push(() => void connection.client.register(InlayHintRequest.type, selector));
    }
    if (dynamic?.codeLens?.dynamicRegistration) {
      delete capabilities.codeLensProvider;
      // Code lenses also sit on changes files (the what-if of the file).
      registrations.push(() => void connection.client.register(CodeLensRequest.type, { documentSelector: [...RULE_DOCUMENTS, ...CHANGES_DOCUMENTS], resolveProvider: false }));
    }
    if (dynamic?.semanticTokens?.dynamicRegistration) {
      const options = capabilities.semanticTokensProvider!;
      delete capabilities.semanticTokensProvider;
      registrations.push(() => void connection.client.register(SemanticTokensRegistrationType.type, { ...selector, legend: options.legend, full: true }));
    }
    if (dynamic?.foldingRange?.dynamicRegistration) {
      delete capabilities.foldingRangeProvider;
      registrations.push(() => void connection.client.register(FoldingRangeRequest.type, selector));
    }
    if (dynamic?.documentSymbol?.dynamicRegistration) {
      delete capabilities.documentSymbolProvider;
      registrations.push(() => void connection.client.register(DocumentSymbolRequest.type, selector));
    }
    registerRuleFeatures = () => { for (const r of registrations) r(); };
    return { capabilities, serverInfo: { name: 'Entra Dynamic Rules language server' } };
  });

  connection.onInitialized(() => {
    registerRuleFeatures?.();
    if (initialTenant) {
      selectTenant(initialTenant).catch((e: unknown) => log(`[error] loading the tenant failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
    }
  });

  /** Loads a tenant; a load the user cancelled leaves the tenant in use before, and says so in the log. */
  const selectTenant = async (selection: TenantSelection): Promise<TenantInfo> => {
    try {
      return await loadTenant(selection);
    } catch (e) {
      if (!(e instanceof LoadCancelled)) throw e;
      const name = selection.kind === 'folder' ? selection.label ?? selection.path : selection.kind === 'live' ? selection.label ?? selection.tenant ?? l10n.t('live tenant') : '';
      log(`[tenant] ${l10n.t('Reading {0}: {1}. The tenant in use stays {2}.', name, e.message, tenant.info().label)}`);
      return tenant.info();
    }
  };
  const loadTenant = async (selection: TenantSelection): Promise<TenantInfo> => {
    if (selection.kind === 'none' || !supportsWorkDoneProgress) return tenant.select(selection);
    // Progress is a nicety: a client that refuses it still gets its tenant.
    const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
    if (!progress) return tenant.select(selection);
    const controller = new AbortController();
    progress.token.onCancellationRequested(() => controller.abort());
    const name = selection.label ?? (selection.kind === 'folder' ? selection.path : selection.tenant ?? l10n.t('live tenant'));
    progress.begin(selection.kind === 'live' ? l10n.t('Reading {0} from Microsoft Graph', name) : l10n.t('Loading tenant {0}', name), undefined, undefined, true);
    try {
      return await tenant.select(selection, { signal: controller.signal, report: (m) => progress.report(m) });
    } finally {
      progress.done();
    }
  };

  /**
   * vscode-languageclient sends the whole section on every change (and once at start):
   * `{settings: {dynrule: {inlayHints: {enabled}, …}}}`. `settings: null` asks a client that pulls
   * settings to pull them; this server does not, so it keeps what it has.
   */
  connection.onDidChangeConfiguration((change) => {
    const all = change.settings as Record<string, unknown> | null | undefined;
    if (all === null || typeof all !== 'object') return;
    applySettings(toServerSettings(all[SETTINGS_SECTION]));
  });

  /** Puts new settings to work at once: what each one changes is asked for again. */
  const applySettings = (next: ServerSettings): void => {
    const before = settings;
    settings = next;
    if (next.codeLens !== before.codeLens || next.removalWarningPercent !== before.removalWarningPercent) {
      previews.forgetAll();
      if (supportsCodeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    }
    if (next.inlayHints !== before.inlayHints && supportsInlayRefresh) void connection.sendRequest(InlayHintRefreshRequest.type).catch(() => undefined);
    if (next.adviceEnabled !== before.adviceEnabled) for (const d of documents.all()) schedule(d, 0);
  };

  documents.onDidOpen((e) => schedule(e.document, 0));
  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    models.forget(e.document.uri);
    previewCache.forget(e.document.uri);
    whatifs.forget(e.document.uri);
    // A closed pulled file keeps what the audit found in it; any other file is left without diagnostics.
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: audits.diagnostics(e.document.uri) });
  });

  // No feature runs on a document over the size limit: it gets `tooLarge` (default: the neutral answer).
  // Host documents get the neutral answer too, except from the features that serve their rules.
  const withDoc = <R>(neutral: R, fn: (doc: TextDocument) => R, tooLarge: R = neutral) => (uri: string): R => {
    const doc = docOf(uri);
    if (!doc || hostLanguageOfDocument(doc) || isChangesUri(doc.uri)) return neutral;
    return tooLargeIssue(doc.getText().length) ? tooLarge : fn(doc);
  };

  connection.onCompletion(safe(log, 'completion', { isIncomplete: false, items: [] }, (p) => {
    const doc = docOf(p.textDocument.uri);
    const host = doc && hostLanguageOfDocument(doc);
    if (doc && host) return hostCompletion(doc, models.hostRules(doc, host), doc.offsetAt(p.position), tenant.data());
    return withDoc({ isIncomplete: false, items: [] }, (d) => features.completion(d, models.rule(d), d.offsetAt(p.position), tenant.data()))(p.textDocument.uri);
  }));
  connection.onHover(safe(log, 'hover', null, (p) => {
    const doc = docOf(p.textDocument.uri);
    const host = doc && hostLanguageOfDocument(doc);
    if (doc && host) return hostHover(doc, models.hostRules(doc, host), doc.offsetAt(p.position), tenant.data());
    return withDoc(null, (d) => features.hoverAt(d, models.rule(d), d.offsetAt(p.position), tenant.data()))(p.textDocument.uri);
  }));
  connection.languages.inlayHint.on(safe(log, 'inlay hints', [], (p) =>
    settings.inlayHints ? withDoc([], (doc) => features.inlay(doc, models.rule(doc), tenant.data(), p.range))(p.textDocument.uri) : []));
  connection.onDocumentFormatting(safe(log, 'formatting', [], (p) => withDoc([], (doc) => features.format(doc, models.rule(doc), p.options))(p.textDocument.uri)));
  connection.languages.semanticTokens.on(safe(log, 'semantic tokens', { data: [] }, (p) => withDoc({ data: [] }, (doc) => features.semantic(doc, models.rule(doc)))(p.textDocument.uri)));
  connection.onFoldingRanges(safe(log, 'folding', [], (p) => withDoc([], (doc) => features.folding(doc, models.rule(doc)))(p.textDocument.uri)));
  connection.onDocumentSymbol(safe(log, 'symbols', [], (p) => withDoc([], (doc) => features.symbols(doc, models.rule(doc)))(p.textDocument.uri)));
  connection.onCodeAction(safe(log, 'code actions', [], (p) => {
    const doc = docOf(p.textDocument.uri);
    // In a host document: the quick fixes of our diagnostics (their edits already use the host's escaping), nothing else.
    if (doc && hostLanguageOfDocument(doc)) {
      return features.codeActions(doc, p.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE), p.context.only, [])
        .filter((a) => a.kind === CodeActionKind.QuickFix);
    }
    return withDoc([], (d) => {
      const parsed = parsedOf(d);
      const all = issuesOf(parsed).map((i) => toDiagnostic(d, i));
      return features.codeActions(d, p.context.diagnostics, p.context.only, all);
    })(p.textDocument.uri);
  }));
  connection.onCodeLens(safe(log, 'code lens', [], (p) => {
    if (!settings.codeLens) return [];
    const doc = docOf(p.textDocument.uri);
    if (doc && isChangesUri(doc.uri)) return whatifs.codeLenses(doc);
    return withDoc([], (d) => codeLenses(d, parsedOf(d), previewCache))(p.textDocument.uri);
  }));

  // The neutral answer is the tenant as it is then, not as it was at start.
  connection.onRequest(SelectTenantRequest, safe(log, 'select tenant', () => tenant.info(), (p) => selectTenant(p.selection)));
  // A request without parameters: its handler gets only the token.
  const tenantInfo = safe(log, 'tenant info', () => tenant.info(), () => tenant.info());
  connection.onRequest(TenantInfoRequest, (token) => tenantInfo(undefined, token));
  connection.onRequest(PreviewRequest, safe(log, 'preview', () => ({ ok: false, reason: l10n.t('the preview failed (see the output log)'), tenant: '' }), (p, token) =>
    withDoc<PreviewResponse | Promise<PreviewResponse>>({ ok: false, reason: l10n.t('the document is not open'), tenant: tenant.info().label }, (doc) => previewResponse(doc, parsedOf(doc), previewCache, token),
      { ok: false, reason: l10n.t('the file is too large to be a rule'), tenant: tenant.info().label })(p.uri)));
  connection.onRequest(ExplainRequest, safe(log, 'explain', () => ({ ok: false, reason: l10n.t('explain failed (see the output log)') }), (p) =>
    withDoc<ExplainResponse>({ ok: false, reason: l10n.t('the document is not open') }, (doc) => explain(parsedOf(doc), p.objectId, tenant),
      { ok: false, reason: l10n.t('the file is too large to be a rule') })(p.uri)));
  connection.onRequest(HandOffRequest, safe(log, 'hand-off', () => ({ ok: false, reason: l10n.t('copying failed (see the output log)') }), (p) =>
    withDoc<HandOffResponse>({ ok: false, reason: l10n.t('the document is not open') }, (doc) => handOff(parsedOf(doc), p, tenant.current),
      { ok: false, reason: l10n.t('the file is too large to be a rule') })(p.uri)));
  connection.onRequest(CurrentRuleRequest, safe(log, 'current rule', () => ({ ok: false, reason: l10n.t('reading the current rule failed (see the output log)') }), (p) =>
    withDoc<CurrentRuleResponse>({ ok: false, reason: l10n.t('the document is not open') }, (doc) => currentRule(parsedOf(doc), tenant),
      { ok: false, reason: l10n.t('the file is too large to be a rule') })(p.uri)));
  connection.onRequest(SearchObjectsRequest, safe(log, 'search', [], (p) => {
    const doc = docOf(p.uri);
    const object = doc && !tooLargeIssue(doc.getText().length) ? ruleStatus(models.rule(doc)).object ?? 'user' : 'user';
    return tenant.search(object, p.query, p.limit ?? 50);
  }));
  connection.onRequest(RunRuleTestsRequest, safe(log, 'rule tests', { files: [], passed: 0, failed: 0 }, (p, token) =>
    runRuleTests(p, tenant, () => token.isCancellationRequested)));
  connection.onRequest(ListRuleTestsRequest, safe(log, 'list rule tests', { file: '', cases: [] }, (p) =>
    listRuleTests(p.file, p.text)));
  connection.onRequest(AuditRequest, safe(log, 'audit', () => ({ ok: false, reason: l10n.t('the audit failed (see the output log)'), tenant: tenant.info().label, findings: [], groups: [] }), (p, token) =>
    audits.audit(p, () => token.isCancellationRequested, p.workDoneToken !== undefined ? connection.window.attachWorkDoneProgress(p.workDoneToken) : undefined)));
  connection.onRequest(PullRequest, safe(log, 'pull', () => ({ ok: false, reason: l10n.t('pulling the rules failed (see the output log)'), written: [], unchanged: [], conflicts: [], gone: [] }), (p) =>
    audits.pull(p)));
  connection.onRequest(WhatIfRequest, safe(log, 'what-if', () => ({ ok: false, reason: l10n.t('the what-if failed (see the output log)'), tenant: tenant.info().label, edits: [], skipped: [], issues: [] }), (p, token) =>
    whatifs.whatIf(p, () => token.isCancellationRequested)));
  connection.onRequest(ChangesFilesRequest, safe(log, 'changes files', { files: [] }, (p) => whatifs.changesFiles(p)));
  connection.onRequest(RuleStatusRequest, safe(log, 'rule status', null, (p) =>
    withDoc<RuleStatusResponse | null>(null, (doc) => {
      const s = ruleStatus(models.rule(doc));
      return { length: s.length, limit: s.limit, object: s.object };
    })(p.uri)));

  connection.onShutdown(() => {
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
  });

  documents.listen(connection);
  connection.listen();
  log('Entra Dynamic Rules language server started');
  return { documents, tenant };
}
