/**
 * Preview in the editor: the code lens over each rule (members before → after, license moves),
 * the preview view's data, explain-for-user, and rule test runs — all computed here in the
 * server against the selected tenant.
 */
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { findServicePlan, findSku, formatRule, l10n, parseRule, type ParsedRule } from '../../../grammar/src/index';
import { compileRule, interpret, renderTrace, type GraphObject } from '../../../grammar/engine/src/index';
import { skuCatalogue } from '../preview/catalogue';
import { PreviewError } from '../preview/errors';
import { findGroup, previewRule, type PreviewResult, type SkuPreview } from '../preview/preview';
import { errorDetail, explainLicenseErrors } from '../preview/errorKinds';
import { changeReason } from '../preview/reasons';
import { readRuleTestFile, parseRuleTestFile, RuleTestFileError } from '../ruletests/file';
import { runRuleTestFile, type FileResult } from '../ruletests/run';
import {
  Commands, type CurrentRuleResponse, type ExplainResponse, type ListRuleTestsResponse, type PreviewExplanation, type PreviewResponse,
  type RunRuleTestsParams, type RunRuleTestsResponse, type TraceNodeDto, type ObjectSummary,
} from './protocol';
import { summarize, type TenantState } from './tenantState';

/**
 * The code lens of one product: members gaining and losing it, then the seat figures the preview
 * computed (never recomputed here); a shortfall says how many go without and that Entra picks.
 */
export function skuLens(l: SkuPreview): string {
  const seats: string[] = [];
  if (l.shortfall === null) seats.push(l10n.t('seats unknown'));
  else if (l.shortfall > 0) seats.push(l10n.t('{0} short: CountViolation for {0} of the {1} gaining it, Entra picks which', l.shortfall, l.gained.length));
  else {
    if (l.freed > 0) seats.push(l.freed === 1 ? l10n.t('{0} seat freed', 1) : l10n.t('{0} seats freed', l.freed));
    if (l.left !== null) seats.push(l.left === 1 ? l10n.t('{0} seat left', 1) : l10n.t('{0} seats left', l.left));
  }
  return `${l.skuPartNumber ?? l.skuId} +${l.gained.length} −${l.lost.length}${seats.length ? ` · ${seats.join(' · ')}` : ''}`;
}

/** A group's current rule, parsed, when it can be evaluated for objects of the edited rule's type. */
function currentRuleOf(rule: string | null | undefined, type: 'user' | 'device'): ParsedRule | undefined {
  if (typeof rule !== 'string') return undefined;
  const parsed = parseRule(rule);
  const compiled = compileRule(parsed);
  return compiled.ok && parsed.expr && compiled.rule.object === type ? parsed : undefined;
}

/** The longest reason a failed tenant's code lens shows; the status bar tooltip has all of it. */
const LENS_REASON_MAX = 200;

/**
 * A load error as one line of at most {@link LENS_REASON_MAX} characters ('' for none), with
 * `$(` escaped: a path or a Graph message is text, never a codicon.
 */
export function lensReason(error: string | undefined): string {
  let line = (error ?? '').replace(/\s+/g, ' ').trim();
  if (line.length > LENS_REASON_MAX) line = `${line.slice(0, LENS_REASON_MAX - 1).trimEnd()}…`;
  return line.replace(/\$\(/g, '\\$(');
}

/** Objects handled between two looks at the event loop in the preview's long loops (about 50 ms of work). */
const YIELD_EVERY = 2000;

export class PreviewService {
  private cache = new Map<string, { key: string; result: PreviewResult | PreviewError }>();

  constructor(private readonly tenant: TenantState, private readonly removalShare: () => number) {}

  /** The preview for a document version, cached until the text or the tenant changes. */
  preview(doc: TextDocument, parsed: ParsedRule): PreviewResult | PreviewError {
    const key = `${doc.version}@${this.tenant.generation}`;
    const hit = this.cache.get(doc.uri);
    if (hit && hit.key === key) return hit.result;
    const s = this.tenant.current;
    let result: PreviewResult | PreviewError;
    if (!s) result = new PreviewError(l10n.t('no tenant is loaded'));
    else {
      try {
        result = previewRule(s, parsed, { catalogue: skuCatalogue, removalWarningShare: this.removalShare() });
      } catch (e) {
        if (!(e instanceof PreviewError)) throw e;
        result = e;
      }
    }
    this.cache.set(doc.uri, { key, result });
    return result;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  /** Code lenses above the rule: membership change, then one per SKU the group assigns. */
  codeLenses(doc: TextDocument, parsed: ParsedRule): CodeLens[] {
    const first = parsed.tokens[0];
    if (!first) return [];
    const pos = doc.positionAt(first.startOffset);
    const range = { start: { line: pos.line, character: 0 }, end: { line: pos.line, character: 0 } };
    const lens = (title: string, command: string, args: unknown[] = []): CodeLens => ({ range, command: { title, command, arguments: args } });
    if (!this.tenant.current) {
      const info = this.tenant.info();
      if (info.state === 'loading') return [lens(`$(sync~spin) ${l10n.t('Loading {0}…', info.label)}`, Commands.selectTenant)];
      // A failed tenant says why (a live one: the 403 and the permission it needs), not only that it failed.
      if (info.state === 'failed') {
        const reason = lensReason(info.error);
        return [lens(reason ? l10n.t('Tenant {0} could not be loaded: {1} — choose another', info.label, reason) : l10n.t('Tenant {0} could not be loaded: choose another', info.label), Commands.selectTenant)];
      }
      return [lens(l10n.t('Preview: choose a tenant to see who joins and leaves'), Commands.selectTenant)];
    }
    const p = this.preview(doc, parsed);
    if (p instanceof PreviewError) return [lens(l10n.t('Preview unavailable: {0}', p.message), Commands.showPreview, [doc.uri])];
    const unknown = p.unknown.length ? ` · ${l10n.t('{0} unknown', p.unknown.length)}` : '';
    const members = p.type === 'user'
      ? l10n.t('members {0} → {1} (+{2} −{3})', p.before, p.after, p.added.length, p.removed.length)
      : l10n.t('devices {0} → {1} (+{2} −{3})', p.before, p.after, p.added.length, p.removed.length);
    // A retired memberOf group keeps its members: say so where the numbers are.
    const frozen = p.frozen ? ` · ${l10n.t('memberOf retired: members frozen')}` : '';
    const lenses = [lens(`${members}${unknown}${frozen}`, Commands.showPreview, [doc.uri])];
    for (const l of p.licenses) lenses.push(lens(skuLens(l), Commands.showPreview, [doc.uri]));
    // What Entra refuses outright, then each kind of license error by name with what it means.
    // A group's name is text, never a codicon: lensReason escapes `$(`.
    for (const w of p.warnings) if (w.severity === 'error') lenses.push(lens(`$(error) ${lensReason(w.message)}`, Commands.showPreview, [doc.uri]));
    const kinds = new Map<string, number>();
    for (const e of p.errors) kinds.set(e.reason, (kinds.get(e.reason) ?? 0) + 1);
    for (const [kind, text] of Object.entries(explainLicenseErrors(kinds.keys()))) {
      lenses.push(lens(`$(warning) ${kinds.get(kind)} × ${kind}${text ? `: ${text}` : ''}`, Commands.showPreview, [doc.uri]));
    }
    const warned = p.warnings.filter((w) => !w.severity && w.code !== 'unknown-members' && w.code !== 'count-violation').length;
    if (warned) lenses.push(lens(`$(warning) ${warned === 1 ? l10n.t('{0} warning', 1) : l10n.t('{0} warnings', warned)}`, Commands.showPreview, [doc.uri]));
    return lenses;
  }

  /**
   * The preview view's data: lists, licenses, objects and explanations. Explaining every change
   * of a large tenant takes a while (18,000 added users: 0.4–0.6 s, most of it building each
   * user from the columns), so the loop yields to the event loop every {@link YIELD_EVERY}
   * objects — other requests get answered meanwhile — and stops when `token` is cancelled.
   */
  async previewResponse(doc: TextDocument, parsed: ParsedRule, token?: { readonly isCancellationRequested: boolean }): Promise<PreviewResponse> {
    const tenantLabel = this.tenant.info().label;
    const p = this.preview(doc, parsed);
    if (p instanceof PreviewError) return { ok: false, reason: p.message, tenant: tenantLabel, version: doc.version };
    const s = this.tenant.current!;
    const byId = p.type === 'user' ? s.userById : s.deviceById;
    const objects: Record<string, ObjectSummary> = {};
    const explanations: Record<string, PreviewExplanation> = {};
    const changed = [...p.added, ...p.removed, ...p.unknown];
    const ids = new Set([...changed, ...p.errors.map((e) => e.user), ...p.licenses.flatMap((l) => [...l.gained, ...l.lost, ...l.plansLost.map((x) => x.user)])]);
    const explain = parsed.expr ? new Set(changed) : undefined;
    const skuName = (id: string): string => p.licenses.find((l) => l.skuId === id)?.skuPartNumber ?? findSku(id)?.skuPartNumber ?? id;
    const current = explain && p.group ? currentRuleOf(s.groupById.get(p.group.toLowerCase())?.membershipRule, p.type) : undefined;
    let done = 0;
    const cancelled = async (): Promise<boolean> => {
      await new Promise((resolve) => setImmediate(resolve));
      return token?.isCancellationRequested === true;
    };
    const stopped: PreviewResponse = { ok: false, reason: l10n.t('the preview was cancelled'), tenant: tenantLabel, version: doc.version };
    // Each object is read once (from the columns, for a large tenant) for its summary and, when
    // it changed, its explanation.
    for (const id of ids) {
      if (++done % YIELD_EVERY === 0 && await cancelled()) return stopped;
      const o = byId.get(id.toLowerCase());
      if (!o) continue;
      objects[id] = summarize(o);
      if (explain?.has(id)) {
        explanations[id] = changeReason(interpret(parsed.text, parsed.expr!, o), current && interpret(current.text, current.expr!, o));
      }
    }
    return {
      ok: true, tenant: tenantLabel, type: p.type, version: doc.version,
      group: p.group ? { id: p.group, displayName: p.groupName } : null,
      before: p.before, after: p.after, added: p.added, removed: p.removed, unknown: p.unknown,
      licenses: p.licenses.map((l) => ({
        skuId: l.skuId,
        skuPartNumber: l.skuPartNumber,
        displayName: findSku(l.skuId)?.displayName ?? null,
        disabledPlans: l.disabledPlans.map((id) => ({ id, name: findServicePlan(id)?.servicePlanName ?? null })),
        gained: l.gained, lost: l.lost, available: l.available, needed: l.needed, freed: l.freed, left: l.left, shortfall: l.shortfall,
        plansLost: l.plansLost.map((x) => ({ user: x.user, plans: x.plans.map((id) => ({ id, name: findServicePlan(id)?.servicePlanName ?? null })) })),
      })),
      errors: p.errors.map((e) => ({ ...e, detail: errorDetail(e, skuName) })), warnings: p.warnings, notes: p.notes, objects, explanations,
      errorKinds: explainLicenseErrors([...p.errors.map((e) => e.reason), ...(p.licenses.some((l) => l.shortfall) ? ['CountViolation'] : [])]),
    };
  }

  /** The group's current rule as a document to compare with the edited one (see CurrentRuleRequest). */
  currentRule(parsed: ParsedRule): CurrentRuleResponse {
    const s = this.tenant.current;
    if (!s) return { ok: false, reason: l10n.t('no tenant is loaded') };
    const d = parsed.directives.find((x) => x.kind === 'group');
    if (!d || d.kind !== 'group' || !d.value) return { ok: false, reason: l10n.t('the rule names no group: add # @group <object id | "display name">') };
    let g;
    try {
      g = findGroup(s, d.value);
    } catch (e) {
      if (!(e instanceof PreviewError)) throw e;
      return { ok: false, reason: e.message };
    }
    const group = { id: g.id, displayName: typeof g.displayName === 'string' ? g.displayName : null };
    if (typeof g.membershipRule !== 'string' || g.membershipRule.trim() === '') {
      return { ok: false, group, reason: l10n.t('the group {0} has no membership rule: it is not a dynamic group', group.displayName ?? g.id) };
    }
    const formatted = formatRule(g.membershipRule);
    const body = formatted.ok ? formatted.text : g.membershipRule;
    // The edited document's leading comment lines (its directives), so that they do not show as changes.
    const header = parsed.text.slice(0, parsed.tokens[0]?.startOffset ?? parsed.text.length);
    return { ok: true, group, text: `${header}${body.trimEnd()}\n` };
  }

  explain(parsed: ParsedRule, objectId: string): ExplainResponse {
    const s = this.tenant.current;
    if (!s) return { ok: false, reason: l10n.t('no tenant is loaded') };
    const compiled = compileRule(parsed);
    if (!compiled.ok || !parsed.expr) return { ok: false, reason: l10n.t('the rule has errors: fix them to explain it') };
    const byId = compiled.rule.object === 'user' ? s.userById : s.deviceById;
    const o: GraphObject | undefined = byId.get(objectId.toLowerCase()) ?? (compiled.rule.object === 'user' ? s.userByUpn.get(objectId.toLowerCase()) : undefined);
    if (!o) return { ok: false, reason: compiled.rule.object === 'user' ? l10n.t('no user "{0}" in {1}', objectId, s.name) : l10n.t('no device "{0}" in {1}', objectId, s.name) };
    const trace = interpret(parsed.text, parsed.expr, o);
    return { ok: true, object: summarize(o), result: trace.result, trace: trace as TraceNodeDto, lines: renderTrace(trace, this.tenant.data()) };
  }

  async listRuleTests(file: string, text: string | undefined): Promise<ListRuleTestsResponse> {
    try {
      const tf = text !== undefined ? parseRuleTestFile(file, text) : await readRuleTestFile(file);
      return { file, rule: tf.rule, cases: tf.cases.map((c) => ({ name: c.name, start: c.span.start, end: c.span.end })) };
    } catch (e) {
      if (!(e instanceof RuleTestFileError)) throw e;
      return { file, error: { message: e.reason, line: e.line, column: e.column }, cases: [] };
    }
  }

  async runRuleTests(params: RunRuleTestsParams, isCancelled: () => boolean): Promise<RunRuleTestsResponse> {
    const files = [];
    let passed = 0;
    let failed = 0;
    // Test files without a "tenant" run against the tenant in use (a folder or a live snapshot).
    const info = this.tenant.info();
    const defaultTenant = info.selection.kind === 'folder' ? info.selection.path : info.live?.dir;
    for (const file of params.files) {
      if (isCancelled()) break;
      let result: FileResult;
      try {
        const tf = await readRuleTestFile(file);
        const only = params.only?.[file];
        result = await runRuleTestFile(tf, {
          ...(defaultTenant ? { tenant: defaultTenant } : {}),
          loadTenant: (dir) => this.tenant.loadOther(dir),
          isCancelled,
          ...(only ? { only: (_f: string, name: string) => only.includes(name) } : {}),
        });
      } catch (e) {
        if (!(e instanceof RuleTestFileError)) throw e;
        result = { file, error: { message: e.reason, line: e.line, column: e.column }, cases: [], durationMs: 0 };
      }
      for (const c of result.cases) c.passed ? passed++ : failed++;
      if (result.count) result.count.passed ? passed++ : failed++;
      files.push({
        file,
        ...(result.error ? { error: result.error } : {}),
        cases: result.cases.map((c) => ({
          name: c.name, passed: c.passed, expect: c.expect, actual: c.actual, subject: c.subject,
          start: c.span.start, end: c.span.end, durationMs: c.durationMs,
          ...(c.message ? { message: c.message } : {}),
          ...(c.trace ? { trace: c.trace as TraceNodeDto, lines: renderTrace(c.trace, this.tenant.data()) } : {}),
        })),
        ...(result.count ? { count: { ...(result.count.min !== undefined ? { min: result.count.min } : {}), ...(result.count.max !== undefined ? { max: result.count.max } : {}), actual: result.count.actual, passed: result.count.passed } } : {}),
      });
    }
    return { files, passed, failed };
  }
}
