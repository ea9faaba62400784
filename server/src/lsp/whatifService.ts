/**
 * What if in the editor (`dynrule/whatIf`, `dynrule/changesFiles`, and the changes files'
 * diagnostics and code lens): the whatif core (server/src/whatif/) against the tenant in use, with
 * the workspace's rule edits as its `--rules` and a changes file as its `--changes`.
 *
 * A rule file is an edit when its `# @group` names a group of the tenant and its rule differs from
 * the group's; a rule file with `# @licenses` and no `# @group` is a new group, added to the tenant
 * for the what-if with no members today. A changes file with a problem is never half-applied: its
 * problems are the answer (and the file's diagnostics), and there is no report.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiagnosticSeverity, type CodeLens, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { createRuleDocument, findSku, l10n, ruleBody } from '../../../grammar/src/index';
import { readTextFile } from '../files';
import { checkDocument } from '../limits';
import { skuCatalogue } from '../preview/catalogue';
import { errorDetail } from '../preview/errorKinds';
import { PreviewError } from '../preview/errors';
import { findGroup } from '../preview/preview';
import { resolveLicenseSpecs } from '../preview/skus';
import type { GraphGroup, Snapshot } from '../tenant/snapshot';
import type { ChangeIssue } from '../whatif/changes';
import { MAX_CHANGES_FILE_BYTES, parseChanges } from '../whatif/read';
import { resolveChanges } from '../whatif/resolve';
import { whatIf, WhatIfInputError, type EditedRule, type WhatIfReport } from '../whatif/whatif';
import {
  Commands, DIAGNOSTIC_SOURCE, type ChangeIssueDto, type ChangesFilesParams, type ChangesFilesResponse, type SkippedRuleDto,
  type WhatIfParams, type WhatIfReportDto, type WhatIfResponse,
} from '../../../protocol/src/protocol';
import type { TenantState } from './tenantState';

/** Whether a uri is a changes file the client sends (protocol.ts CHANGES_DOCUMENTS). */
export function isChangesUri(uri: string): boolean {
  return /\/changes\/[^/]+\.(csv|json)$/i.test(uri) || /\.changes\.(csv|json)$/i.test(uri);
}

/** Problems that say a file is not a changes file at all (rather than a changes file with mistakes). */
const NOT_CHANGES = new Set(['changes/unknown-format', 'changes/not-bulk-create', 'changes/invalid-json', 'changes/unreadable']);

/** The range of a problem: from its column to the end of its cell (the next unquoted comma, or the line's end). */
export function issueRange(text: string, line: number, column: number): ChangeIssueDto['range'] {
  const l = Math.max(0, line - 1);
  const lineText = text.split(/\r\n|\r|\n/)[l] ?? '';
  const start = Math.min(Math.max(0, column - 1), lineText.length);
  let end = start;
  let quoted = lineText[start] === '"';
  for (end = quoted ? start + 1 : start; end < lineText.length; end++) {
    const c = lineText[end];
    if (quoted && c === '"') quoted = false;
    else if (!quoted && c === ',') break;
  }
  return { start: { line: l, character: start }, end: { line: l, character: Math.max(end, Math.min(start + 1, lineText.length)) } };
}

const fsPath = (uri: string): string | undefined => {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
};

/** `one` or `many` by the count (both given as l10n.t calls, so the bundle has them). */
const plural = (n: number, one: string, many: string): string => (n === 1 ? one : many);

/** The code lens over a changes file: who changes, how many groups, each SKU's moves, seats short. */
export function whatIfHeadline(r: WhatIfReport): string {
  const s = r.summary;
  const who = [
    s.newUsers ? plural(s.newUsers, l10n.t('{0} new user', s.newUsers), l10n.t('{0} new users', s.newUsers)) : '',
    s.changedUsers ? plural(s.changedUsers, l10n.t('{0} changed user', s.changedUsers), l10n.t('{0} changed users', s.changedUsers)) : '',
    s.deletedUsers ? plural(s.deletedUsers, l10n.t('{0} user deleted', s.deletedUsers), l10n.t('{0} users deleted', s.deletedUsers)) : '',
    s.unchangedUsers ? plural(s.unchangedUsers, l10n.t('{0} user moved by edited rules', s.unchangedUsers), l10n.t('{0} users moved by edited rules', s.unchangedUsers)) : '',
  ].filter(Boolean).join(', ') || l10n.t('no users');
  const groups = s.groupsChanged === 1 ? l10n.t('{0}: {1} group changes', who, 1) : l10n.t('{0}: {1} groups change', who, s.groupsChanged);
  const skus = r.licenses.map((l) => `${l.skuPartNumber ?? l.skuId} ${[l.gained || !l.lost ? `+${l.gained}` : '', l.lost ? `−${l.lost}` : ''].filter(Boolean).join(' ')}`);
  const short = s.seatsShort === null ? l10n.t('seats unknown') : s.seatsShort ? plural(s.seatsShort, l10n.t('{0} seat short', s.seatsShort), l10n.t('{0} seats short', s.seatsShort)) : l10n.t('no seat short');
  const errors = s.errors ? [plural(s.errors, l10n.t('{0} license error', s.errors), l10n.t('{0} license errors', s.errors))] : [];
  // Entra ID P1 only where the change makes the tenant short of it.
  const p1 = r.p1.after > r.p1.before && r.p1.shortfall
    ? [plural(r.p1.shortfall, l10n.t('Entra ID P1 {0} seat short', r.p1.shortfall), l10n.t('Entra ID P1 {0} seats short', r.p1.shortfall))] : [];
  return [groups, ...skus, short, ...p1, ...errors].join(' · ');
}

function reportDto(r: WhatIfReport): WhatIfReportDto {
  const skus = new Map(r.licenses.map((l) => [l.skuId.toLowerCase(), l.skuPartNumber ?? l.skuId]));
  const skuName = (id: string): string => skus.get(id.toLowerCase()) ?? findSku(id)?.skuPartNumber ?? id;
  const groups = new Map(r.groups.map((g) => [g.id.toLowerCase(), g.displayName ?? g.id]));
  const groupName = (id: string): string => groups.get(id.toLowerCase()) ?? id;
  return {
    users: r.users.map((u) => ({
      user: u.user, change: u.change, userPrincipalName: u.userPrincipalName, displayName: u.displayName, properties: u.properties,
      ...(u.implied ? { implied: u.implied } : {}), joined: u.joined, left: u.left, gained: u.gained, lost: u.lost,
    })),
    groups: r.groups.map((g) => ({
      id: g.id, displayName: g.displayName, kind: g.kind, before: g.before, after: g.after, added: g.added.length, removed: g.removed.length,
      ...(g.frozen ? { frozen: g.frozen } : {}), ...(g.ruleFile ? { ruleFile: g.ruleFile } : {}), licenses: g.licenses,
    })),
    licenses: r.licenses.map((l) => ({ skuId: l.skuId, skuPartNumber: l.skuPartNumber, gained: l.gained, lost: l.lost, available: l.available, shortfall: l.shortfall })),
    errors: r.errors.map((e) => {
      const detail = errorDetail(e, skuName, groupName);
      return { user: e.user, skuId: e.skuId, reason: e.reason, group: e.group, ...(e.dueTo ? { dueTo: e.dueTo } : {}), ...(detail ? { detail } : {}) };
    }),
    summary: {
      newUsers: r.summary.newUsers, changedUsers: r.summary.changedUsers, deletedUsers: r.summary.deletedUsers, unchangedUsers: r.summary.unchangedUsers,
      groupsChanged: r.summary.groupsChanged, joins: r.summary.joins, leaves: r.summary.leaves, seatsShort: r.summary.seatsShort, errors: r.summary.errors,
    },
    p1: { owned: r.p1.owned, before: r.p1.before, after: r.p1.after, shortfall: r.p1.shortfall },
    notes: r.notes,
  };
}

interface Edits {
  readonly snapshot: Snapshot;
  readonly rules: EditedRule[];
  readonly edits: { file: string; group: string }[];
  readonly skipped: SkippedRuleDto[];
}

export class WhatIfService {
  /** The last code lens answer per changes file: its text and the tenant it was computed for. */
  private lenses = new Map<string, { text: string; generation: number; lenses: CodeLens[] }>();

  constructor(private readonly tenant: TenantState, private readonly openDocument: (uri: string) => TextDocument | undefined) {}

  /** A file's text: the editor's when it is open, else the file's on disk (undefined when unreadable). */
  private async textOf(uri: string): Promise<string | undefined> {
    const open = this.openDocument(uri);
    if (open) return open.getText();
    const file = fsPath(uri);
    if (!file) return undefined;
    try {
      return await readTextFile(file, MAX_CHANGES_FILE_BYTES);
    } catch {
      return undefined;
    }
  }

  /** Parses a changes text; with a tenant, resolves it too (a manager no one has, a user already there). */
  private parse(uri: string, text: string, s: Snapshot | undefined): { issues: ChangeIssue[]; resolved?: ReturnType<typeof resolveChanges> } {
    const parsed = parseChanges(fsPath(uri) ?? uri, text);
    if (parsed.issues.length || !s) return { issues: parsed.issues };
    const resolved = resolveChanges(s, parsed.changes);
    return { issues: resolved.issues, resolved };
  }

  private issueDtos(uri: string, text: string, issues: readonly ChangeIssue[]): ChangeIssueDto[] {
    return issues.map((i) => ({ file: uri, range: issueRange(text, i.line, i.column), code: i.code, message: i.message, ...(i.heading !== undefined ? { heading: i.heading } : {}) }));
  }

  /** The changes file's problems as diagnostics, at their row and column. */
  diagnostics(doc: TextDocument): Diagnostic[] {
    const text = doc.getText();
    const { issues } = this.parse(doc.uri, text, this.ready());
    return this.issueDtos(doc.uri, text, issues).map((i) => ({
      range: i.range, severity: DiagnosticSeverity.Error, code: i.code, source: DIAGNOSTIC_SOURCE,
      message: i.heading !== undefined ? l10n.t('column "{0}": {1}', i.heading, i.message) : i.message,
    }));
  }

  /** One code lens on the first line: the what-if of this file alone, or why there is none. */
  codeLenses(doc: TextDocument): CodeLens[] {
    const text = doc.getText();
    const hit = this.lenses.get(doc.uri);
    if (hit && hit.text === text && hit.generation === this.tenant.generation) return hit.lenses;
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const lens = (title: string): CodeLens[] => [{ range, command: { title, command: Commands.whatIfPeopleChange, arguments: [doc.uri] } }];
    const s = this.ready();
    let lenses: CodeLens[];
    if (!s) lenses = lens(l10n.t('What if: choose a tenant to see who joins and leaves'));
    else {
      const { issues, resolved } = this.parse(doc.uri, text, s);
      if (issues.length || !resolved) lenses = lens(plural(issues.length, l10n.t('What if: {0} problem in the changes; nothing was evaluated', issues.length), l10n.t('What if: {0} problems in the changes; nothing was evaluated', issues.length)));
      else {
        try {
          lenses = lens(`${l10n.t('What if')}: ${whatIfHeadline(whatIf(s, resolved, { catalogue: skuCatalogue }))}`);
        } catch (e) {
          if (!(e instanceof WhatIfInputError)) throw e;
          lenses = lens(l10n.t('What if unavailable: {0}', e.message));
        }
      }
    }
    this.lenses.set(doc.uri, { text, generation: this.tenant.generation, lenses });
    return lenses;
  }

  forget(uri: string): void {
    this.lenses.delete(uri);
  }

  /** The what-if of a changes file and/or the workspace's rule edits. */
  async whatIf(p: WhatIfParams, cancelled: () => boolean): Promise<WhatIfResponse> {
    const s = this.ready();
    const info = this.tenant.info();
    const base = { tenant: info.label, edits: [], skipped: [], issues: [] };
    if (!s) return { ok: false, reason: info.state === 'loading' ? l10n.t('the tenant is still loading') : info.error ?? l10n.t('no tenant is selected'), ...base };
    let resolved: ReturnType<typeof resolveChanges> = { users: [], issues: [] };
    if (p.changes) {
      const text = await this.textOf(p.changes);
      if (text === undefined) return { ok: false, reason: l10n.t('the changes file cannot be read'), changes: p.changes, ...base };
      const r = this.parse(p.changes, text, s);
      if (r.issues.length || !r.resolved) return { ok: false, reason: plural(r.issues.length, l10n.t('{0} problem in the changes; nothing was evaluated', r.issues.length), l10n.t('{0} problems in the changes; nothing was evaluated', r.issues.length)), changes: p.changes, ...base, issues: this.issueDtos(p.changes, text, r.issues) };
      resolved = r.resolved;
    }
    const edits = await this.edits(s, p.rules ?? []);
    if (cancelled()) return { ok: false, reason: l10n.t('the what-if was cancelled'), ...base };
    if (!p.changes && edits.rules.length === 0) {
      return { ok: false, reason: l10n.t('no rule file in the workspace differs from its group\'s rule'), ...base, skipped: edits.skipped };
    }
    try {
      const report = whatIf(edits.snapshot, resolved, { rules: edits.rules, catalogue: skuCatalogue });
      return { ok: true, tenant: info.label, ...(p.changes ? { changes: p.changes } : {}), edits: edits.edits, skipped: edits.skipped, issues: [], report: reportDto(report) };
    } catch (e) {
      if (!(e instanceof WhatIfInputError)) throw e;
      return { ok: false, reason: e.message, ...base };
    }
  }

  /** Which of the files are changes files (their headings or JSON parse as changes). */
  async changesFiles(p: ChangesFilesParams): Promise<ChangesFilesResponse> {
    const out: ChangesFilesResponse['files'][number][] = [];
    for (const file of p.files.slice(0, 500)) {
      const text = await this.textOf(file);
      if (text === undefined) continue;
      // JSON changes are an array of entries; any other JSON document is not ours.
      if (/\.json$/i.test(file) && !text.trimStart().startsWith('[')) continue;
      const parsed = parseChanges(fsPath(file) ?? file, text);
      if (parsed.issues.some((i) => NOT_CHANGES.has(i.code) && i.line <= 2)) continue;
      out.push({ file, changes: parsed.changes.length, issues: parsed.issues.length });
    }
    return { files: out };
  }

  /**
   * The rule files as the whatif core takes them: edits of existing groups, and new groups
   * (`# @licenses` without `# @group`) added to a copy of the tenant's group list.
   */
  private async edits(s: Snapshot, uris: readonly string[]): Promise<Edits> {
    const rules: EditedRule[] = [];
    const edits: Edits['edits'] = [];
    const skipped: SkippedRuleDto[] = [];
    const added: GraphGroup[] = [];
    const norm = (r: string): string => r.replace(/\s+/g, ' ').trim();
    for (const uri of uris) {
      const text = await this.textOf(uri);
      if (text === undefined) continue;
      const { parsed, issues } = checkDocument(createRuleDocument(text));
      const groupKey = parsed.directives.find((d) => d.kind === 'group')?.value;
      const licenses = parsed.directives.flatMap((d) => (d.kind === 'licenses' ? d.licenses : []));
      if (!groupKey && !licenses.length) continue;
      const error = issues.find((i) => i.severity === 'error');
      if (error) {
        skipped.push({ file: uri, reason: l10n.t('the rule has errors ({0}: {1})', error.code, error.message) });
        continue;
      }
      let group: GraphGroup;
      try {
        if (groupKey) group = findGroup(s, groupKey);
        else {
          const name = path.basename(fsPath(uri) ?? uri).replace(/\.dynrule$/i, '');
          group = {
            id: `new:${name}`, displayName: name, groupTypes: ['DynamicMembership'], securityEnabled: true, membershipRule: ruleBody(parsed),
            membershipRuleProcessingState: 'On', members: [],
            assignedLicenses: resolveLicenseSpecs(s, licenses, skuCatalogue).map((l) => ({ skuId: l.skuId, disabledPlans: [...l.disabledPlans] })),
          } as GraphGroup;
          added.push(group);
        }
      } catch (e) {
        if (!(e instanceof PreviewError)) throw e;
        skipped.push({ file: uri, reason: e.message });
        continue;
      }
      if (groupKey && typeof group.membershipRule === 'string' && norm(group.membershipRule) === norm(ruleBody(parsed))) continue;
      rules.push({ group: group.id, text, file: uri });
      edits.push({ file: uri, group: group.id });
    }
    if (!added.length) return { snapshot: s, rules, edits, skipped };
    const groups = [...(s.groups ?? []), ...added];
    const groupById = new Map(s.groupById);
    for (const g of added) groupById.set(g.id.toLowerCase(), g);
    return { snapshot: { ...s, groups, groupById }, rules, edits, skipped };
  }

  private ready(): Snapshot | undefined {
    return this.tenant.info().state === 'ready' ? this.tenant.current : undefined;
  }
}
