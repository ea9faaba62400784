/**
 * The review as text for a terminal and as Markdown for a pull-request comment: a summary table
 * first, then one folded `<details>` block per rule with who joins and leaves (long lists cut with
 * a count), license moves and findings. Tenant data (names, UPNs) and file names are made
 * printable and escaped for where they go: table cell, HTML or list item.
 */
import { printable } from '../tenant/jsonError';
import type { ReviewedRule } from './review';

export interface ReviewReport {
  readonly base: string;
  readonly tenant: string;
  readonly rules: readonly ReviewedRule[];
  /** The --max-removed-percent limit, when given. */
  readonly maxRemovedPercent?: number;
}

/** Names of users and devices for the lists (display name and UPN). */
export type Namer = (id: string) => string;

export const LIST_LIMIT = 20;
/** GitHub refuses comments over 65,536 characters; stay well below. */
export const MARKDOWN_BUDGET = 60_000;

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
const clean = (s: string, max = 200): string => printable(s, max);

/**
 * Escapes Markdown inline syntax (and HTML) in text that should read as it is: emphasis, code,
 * links, table pipes and tags anywhere; list, heading and quote markers at the start.
 */
export function mdText(s: string): string {
  return clean(s)
    .replace(/[\\`*_[\]|~<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`))
    .replace(/^[-+#=]/, '\\$&')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/** Escapes text inside HTML (a `<summary>`). */
export function htmlText(s: string): string {
  return clean(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

const ruleLabel = (r: ReviewedRule): string => (r.resource !== undefined ? `${r.file} (${r.resource})` : r.file);
const members = (r: ReviewedRule): string => (r.before === null || r.after === null ? '?' : `${r.before} → ${r.after}`);
const licenseLine = (l: ReviewedRule['licenses'][number]): string =>
  `${l.skuPartNumber ?? l.skuId} +${l.gained.length} −${l.lost.length}${l.shortfall ? `, ${l.shortfall} seat${l.shortfall === 1 ? '' : 's'} short` : ''}`;
const findingCounts = (r: ReviewedRule): string => {
  const e = r.findings.filter((f) => f.severity === 'error').length;
  const w = r.findings.filter((f) => f.severity === 'warning').length;
  const i = r.findings.length - e - w;
  return [e && plural(e, 'error'), w && plural(w, 'warning'), i && plural(i, 'info')].filter(Boolean).join(', ') || '—';
};

/** Whether a rule fails the review: an error finding, or more removed than allowed. */
export function fails(r: ReviewedRule, maxRemovedPercent: number | undefined): boolean {
  return r.findings.some((f) => f.severity === 'error') || (maxRemovedPercent !== undefined && r.removedPercent > maxRemovedPercent);
}

export function reviewText(report: ReviewReport, name: Namer): string[] {
  const out: string[] = [];
  out.push(`Review against ${report.base}, tenant ${clean(report.tenant)}: ${plural(report.rules.length, 'rule')} changed.`);
  for (const r of report.rules) {
    out.push('');
    const group = r.groupName ? `${clean(r.groupName)} (${r.group})` : r.group ? clean(r.group) : 'no group';
    out.push(`${clean(ruleLabel(r))}: ${r.status}${r.previousFile ? ` (was ${clean(r.previousFile)})` : ''}, ${group}`);
    out.push(`  members ${members(r)} (+${r.added.length} −${r.removed.length})${r.current ? `; against the group's ${r.current.members} members today: +${r.current.added.length} −${r.current.removed.length}` : ''}`);
    for (const l of r.licenses) out.push(`  ${licenseLine(l)}`);
    for (const f of r.findings) out.push(`  ${f.line}:${f.character}: ${f.severity} ${f.code}: ${clean(f.message, 400)}`);
    if (report.maxRemovedPercent !== undefined && r.removedPercent > report.maxRemovedPercent) {
      out.push(`  removes ${r.removedPercent}% of the group (limit ${report.maxRemovedPercent}%)`);
    }
    for (const n of r.notes) out.push(`  note: ${clean(n, 400)}`);
    const list = (title: string, ids: readonly string[]): void => {
      if (!ids.length) return;
      out.push(`  ${title} (${ids.length}):`);
      for (const id of ids.slice(0, LIST_LIMIT)) out.push(`    ${clean(name(id))}`);
      if (ids.length > LIST_LIMIT) out.push(`    … and ${ids.length - LIST_LIMIT} more (--format json lists all)`);
    };
    list('Joins', r.added);
    list('Leaves', r.removed);
  }
  const failing = report.rules.filter((r) => fails(r, report.maxRemovedPercent)).length;
  out.push('', failing ? `${plural(failing, 'rule')} failed the review.` : 'No rule failed the review.');
  return out;
}

function details(r: ReviewedRule, name: Namer, report: ReviewReport): string {
  const lines: string[] = [];
  lines.push('<details>');
  lines.push(`<summary>${htmlText(ruleLabel(r))}: ${r.status}, members ${htmlText(members(r))} (+${r.added.length} −${r.removed.length})</summary>`);
  lines.push('');
  if (r.previousFile) lines.push(`Renamed from ${mdText(r.previousFile)}.`, '');
  const group = r.groupName ? `${mdText(r.groupName)} (${mdText(r.group ?? '')})` : r.group ? `${mdText(r.group)} (not in the tenant)` : 'none named';
  lines.push(`Group: ${group}`, '');
  if (r.current) lines.push(`Against the group's ${r.current.members} members today: +${r.current.added.length} −${r.current.removed.length}`, '');
  if (report.maxRemovedPercent !== undefined && r.removedPercent > report.maxRemovedPercent) {
    lines.push(`**Removes ${r.removedPercent}% of the group** (limit ${report.maxRemovedPercent}%).`, '');
  }
  const list = (title: string, items: readonly string[]): void => {
    if (!items.length) return;
    lines.push(`**${title}** (${items.length})`, '');
    for (const s of items.slice(0, LIST_LIMIT)) lines.push(`- ${s}`);
    if (items.length > LIST_LIMIT) lines.push(`- … and ${items.length - LIST_LIMIT} more`);
    lines.push('');
  };
  list('Findings', r.findings.map((f) => `${f.severity} ${mdText(f.code)} at ${f.line}:${f.character}: ${mdText(f.message)}`));
  list('Licenses', r.licenses.map((l) => mdText(licenseLine(l))));
  list('Joins', r.added.map((id) => mdText(name(id))));
  list('Leaves', r.removed.map((id) => mdText(name(id))));
  list('Notes', r.notes.map((n) => mdText(n)));
  lines.push('</details>');
  return lines.join('\n');
}

export function reviewMarkdown(report: ReviewReport, name: Namer): string {
  const head: string[] = [];
  const failing = report.rules.filter((r) => fails(r, report.maxRemovedPercent));
  head.push('## Dynamic group rules: review', '');
  head.push(`${plural(report.rules.length, 'rule')} changed since ${mdText(report.base)}, previewed on tenant ${mdText(report.tenant)}${failing.length ? `: **${plural(failing.length, 'rule')} failed the review**` : ''}.`, '');
  if (report.rules.length === 0) return head.join('\n') + '\n';
  head.push('| Rule | Change | Group | Members | Joins | Leaves | Licenses | Findings |');
  head.push('|---|---|---|---:|---:|---:|---|---|');
  for (const r of report.rules) {
    const group = r.groupName ?? r.group ?? '—';
    const licenses = r.licenses.map(licenseLine).join('; ') || '—';
    head.push(`| ${[mdText(ruleLabel(r)), r.status, mdText(group), mdText(members(r)), `+${r.added.length}`, `−${r.removed.length}`, mdText(licenses), mdText(findingCounts(r))].join(' | ')} |`);
  }
  head.push('');
  let text = head.join('\n');
  let left = 0;
  for (const r of report.rules) {
    const block = details(r, name, report);
    if (left === 0 && text.length + block.length + 200 < MARKDOWN_BUDGET) text += `\n${block}\n`;
    else left++;
  }
  if (left) text += `\n_${plural(left, 'more rule')} left out of this comment to keep it short; \`dynrule review --format json\` lists everything._\n`;
  return text;
}
