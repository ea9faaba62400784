/**
 * `review`: every rule changed since a git ref, previewed. A rule file is one rule; a Terraform,
 * Bicep or Microsoft365DSC file holds one rule per group resource, matched between the ref and
 * now by the resource's display name (or its place in the file when it has none).
 *
 * For a modified rule, `before`/`after`/`added`/`removed` compare who the rule selected at the ref
 * with who it selects now; `current` compares the rule now with the group's members today, which
 * is what saving it would do, and `licenses` are that change's license moves (as `preview`).
 */
import { extractRules, hostLanguageOf, type Issue, type ParsedRule } from '../../../grammar/src/index';
import { compileRule, evaluateColumnar } from '../../../grammar/engine/src/index';
import { checkEmbeddedRule } from '../iac';
import { checkDocument } from '../limits';
import { skuCatalogue } from '../preview/catalogue';
import { PreviewError } from '../preview/errors';
import { findGroup, previewRule, type PreviewResult, type SkuPreview } from '../preview/preview';
import { tableOf } from '../tenant/queries';
import type { Snapshot } from '../tenant/snapshot';
import { LineIndex } from '../text';
import type { ChangedFile, ChangeStatus } from './git';

export interface ReviewFinding {
  readonly severity: 'error' | 'warning' | 'info';
  readonly code: string;
  readonly message: string;
  /** 1-based, in the file as it is now. */
  readonly line: number;
  readonly character: number;
}

export interface ReviewedRule {
  readonly file: string;
  /** The file's path at the ref, when it was renamed. */
  readonly previousFile?: string;
  /** The resource's display name inside an IaC file. */
  readonly resource?: string;
  readonly status: ChangeStatus;
  /** The group's object id when it exists in the tenant, else its name as written, else null. */
  readonly group: string | null;
  readonly groupName: string | null;
  readonly type: 'user' | 'device' | null;
  /** Members before and after the change; null when a rule cannot be evaluated (it has errors). */
  readonly before: number | null;
  readonly after: number | null;
  readonly added: string[];
  readonly removed: string[];
  /** The rule now against the group's current members (when the group exists). */
  readonly current: { readonly members: number; readonly added: string[]; readonly removed: string[] } | null;
  readonly licenses: SkuPreview[];
  readonly errors: PreviewResult['errors'];
  readonly findings: ReviewFinding[];
  /** Notes: a group not in the tenant, a rule that could not be evaluated, … */
  readonly notes: string[];
  /** The share of the group's members the change removes, in percent (rounded down to 0.1). */
  readonly removedPercent: number;
}

export interface ReviewOptions {
  readonly now?: number;
}

/** One rule of a file, as text, with what it says about its group. */
interface RuleAt {
  readonly key: string;
  readonly text: string;
  /** The group a host resource names (its display name); rule files say it in `# @group`. */
  readonly hostGroup: string | undefined;
  readonly parsed: ParsedRule | undefined;
  readonly issues: readonly Issue[];
}

/** The rules of a file's text: one for a rule file, one per group resource for an IaC file. */
export function rulesOf(file: string, text: string): RuleAt[] {
  if (!hostLanguageOf(file)) {
    const { parsed, issues } = checkDocument(text);
    return [{ key: '', text, hostGroup: undefined, parsed, issues }];
  }
  const seen = new Map<string, number>();
  return extractRules(file, text).map((r, i) => {
    const base = r.groupName ?? `#${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const checked = checkEmbeddedRule(r);
    return { key: n > 1 ? `${base} (${n})` : base, text: r.rule, hostGroup: r.groupName, parsed: checked.parsed, issues: checked.issues };
  });
}

/** Who a rule selects (ids), or undefined when it cannot be evaluated here. */
function selection(s: Snapshot, parsed: ParsedRule | undefined, now: number | undefined): { type: 'user' | 'device'; ids: Set<string> } | undefined {
  if (!parsed?.expr) return undefined;
  const compiled = compileRule(parsed, now !== undefined ? { now } : {});
  if (!compiled.ok) return undefined;
  const table = tableOf(s, compiled.rule.object);
  if (!table) return undefined;
  const bits = evaluateColumnar(parsed.expr, table, now !== undefined ? { now } : {});
  const ids = new Set<string>();
  bits.forEach('t', (r) => ids.add(table.id(r)));
  return { type: compiled.rule.object, ids };
}

const SEVERITY = { error: 'error', warning: 'warning', info: 'info', hint: 'info' } as const;

function findingsOf(rule: RuleAt, index: LineIndex): ReviewFinding[] {
  return rule.issues.map((i) => {
    const p = index.position(i.span.start);
    return { severity: SEVERITY[i.severity], code: i.code, message: i.message, line: p.line + 1, character: p.character + 1 };
  });
}

/** The group a rule is for: its `# @group` or the resource's display name. */
const groupKeyOf = (rule: RuleAt): string | undefined => rule.hostGroup ?? rule.parsed?.directives.find((d) => d.kind === 'group')?.value ?? undefined;

function reviewOne(s: Snapshot, file: ChangedFile, status: ChangeStatus, was: RuleAt | undefined, now: RuleAt | undefined, index: LineIndex, options: ReviewOptions, resource: string | undefined): ReviewedRule {
  const notes: string[] = [];
  const subject = now ?? was!;
  const groupKey = groupKeyOf(subject);
  let group: { id: string; name: string | null; members: number } | undefined;
  if (groupKey) {
    try {
      const g = findGroup(s, groupKey);
      group = { id: g.id, name: typeof g.displayName === 'string' ? g.displayName : null, members: 0 };
    } catch (e) {
      if (!(e instanceof PreviewError)) throw e;
      notes.push(`${e.message}: previewed as a new group`);
    }
  }
  const findings = now ? findingsOf(now, index) : [];
  const oldSel = was ? selection(s, was.parsed, options.now) : undefined;
  const newSel = now && !now.issues.some((i) => i.severity === 'error') ? selection(s, now.parsed, options.now) : undefined;
  if (was && !oldSel) notes.push('the rule at the base cannot be evaluated (it has errors, or the tenant lacks its users or devices)');
  if (now && !newSel) notes.push('the rule cannot be evaluated (it has errors, or the tenant lacks its users or devices)');

  // The rule now against the group's members today: what saving it does, with its licenses.
  let preview: PreviewResult | undefined;
  if (now && newSel && now.parsed) {
    const parsed: ParsedRule = group || !now.parsed.directives.some((d) => d.kind === 'group')
      ? now.parsed
      : { ...now.parsed, directives: now.parsed.directives.filter((d) => d.kind !== 'group') };
    try {
      preview = previewRule(s, parsed, { ...(group ? { group: group.id } : {}), ...(options.now !== undefined ? { now: options.now } : {}), catalogue: skuCatalogue });
    } catch (e) {
      if (!(e instanceof PreviewError)) throw e;
      notes.push(e.message);
    }
  }
  if (preview) notes.push(...preview.notes);
  const members = preview && group ? preview.before : 0;

  let before: number | null;
  let after: number | null;
  let added: string[];
  let removed: string[];
  if (status === 'modified') {
    before = oldSel ? oldSel.ids.size : null;
    after = newSel ? newSel.ids.size : null;
    added = oldSel && newSel ? [...newSel.ids].filter((id) => !oldSel.ids.has(id)) : [];
    removed = oldSel && newSel ? [...oldSel.ids].filter((id) => !newSel.ids.has(id)) : [];
  } else if (status === 'added') {
    before = preview ? preview.before : group ? null : 0;
    after = newSel ? newSel.ids.size : null;
    added = preview ? preview.added : [];
    removed = preview ? preview.removed : [];
  } else {
    // A deleted rule no longer selects anyone it selected.
    before = oldSel ? oldSel.ids.size : null;
    after = oldSel ? 0 : null;
    added = [];
    removed = oldSel ? [...oldSel.ids] : [];
  }
  const current = group && preview ? { members, added: preview.added, removed: preview.removed } : null;
  // The share of a group the change removes: of its members today when it exists, else of those the old rule selected.
  const base = current ? current.members : before ?? 0;
  const gone = current ? current.removed.length : removed.length;
  const removedPercent = base > 0 ? Math.floor((gone / base) * 1000) / 10 : 0;
  return {
    file: file.path,
    ...(file.oldPath && file.oldPath !== file.path ? { previousFile: file.oldPath } : {}),
    ...(resource !== undefined ? { resource } : {}),
    status,
    group: group?.id ?? groupKey ?? null,
    groupName: group?.name ?? null,
    type: newSel?.type ?? oldSel?.type ?? null,
    before, after, added, removed, current,
    licenses: preview?.licenses ?? [],
    errors: preview?.errors ?? [],
    findings,
    notes,
    removedPercent,
  };
}

/**
 * Reviews one changed file: `oldText` at the ref (undefined for an added file), `newText` now
 * (undefined for a deleted one). Unchanged rules inside a changed IaC file are left out.
 */
export function reviewFile(s: Snapshot, file: ChangedFile, oldText: string | undefined, newText: string | undefined, options: ReviewOptions = {}): ReviewedRule[] {
  const host = hostLanguageOf(file.path) !== undefined;
  const was = oldText === undefined ? [] : rulesOf(file.oldPath ?? file.path, oldText);
  const now = newText === undefined ? [] : rulesOf(file.path, newText);
  const index = new LineIndex(newText ?? '');
  const out: ReviewedRule[] = [];
  const oldByKey = new Map(was.map((r) => [r.key, r]));
  const newKeys = new Set(now.map((r) => r.key));
  for (const r of now) {
    const before = oldByKey.get(r.key);
    if (before && before.text === r.text && !file.oldPath) continue;
    const status: ChangeStatus = before ? 'modified' : 'added';
    out.push(reviewOne(s, file, status, before, r, index, options, host ? r.key : undefined));
  }
  for (const r of was) {
    if (!newKeys.has(r.key)) out.push(reviewOne(s, file, 'deleted', r, undefined, index, options, host ? r.key : undefined));
  }
  return out;
}
