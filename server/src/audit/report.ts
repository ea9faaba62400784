/**
 * The audit as text for a terminal and as Markdown (a report to file or paste), and its findings
 * as SARIF. Text and Markdown name every group with findings and count the others; lists of
 * people are cut at {@link LIST_LIMIT} with a count (`--format json` has them all). Tenant data is
 * made printable, and escaped for Markdown. (SARIF: server/src/cli/audit.ts.)
 */
import { printable } from '../printable';
import { htmlText, mdText } from '../review/report';
import type { AuditFinding, AuditGroup, AuditReport } from './types';

export const LIST_LIMIT = 20;

/** Names of users and devices for the lists (display name and UPN). */
export type Namer = (id: string) => string;

const n = (x: number): string => x.toLocaleString('en-US');
const plural = (x: number, one: string, many = `${one}s`): string => `${n(x)} ${x === 1 ? one : many}`;
const clean = (s: string, max = 200): string => printable(s, max);

const KIND: Record<AuditGroup['kind'], string> = { group: 'group', administrativeUnit: 'administrative unit' };

/** The part of the rule a finding is about, quoted, or '' for a finding about the whole group. */
export function findingSite(g: AuditGroup, f: AuditFinding): string {
  if (!f.range || g.rule === null) return '';
  return g.rule.slice(f.range.start, f.range.end);
}

const counts = (r: AuditReport): string =>
  `${plural(r.summary.errors, 'error')}, ${plural(r.summary.warnings, 'warning')}, ${plural(r.summary.infos, 'info')}`;

const members = (g: AuditGroup): string => (g.members === null ? 'members not listed' : plural(g.members, 'member'));

export function auditText(r: AuditReport, tenant: string, name: Namer): string[] {
  const s = r.summary;
  const out: string[] = [];
  out.push(`Audit of ${clean(tenant)}: ${plural(s.groups, 'dynamic group')} and ${plural(s.administrativeUnits, 'dynamic administrative unit')}.`);
  out.push(`  ${n(s.dynamicObjects)} of ${n(s.dynamicLimit)} allowed; ${plural(s.memberOfGroups, 'memberOf group')} of ${n(s.memberOfLimit)}.`);
  out.push(`  ${plural(s.usersInDynamicGroups, 'user')} in dynamic groups; Entra ID P1 licenses: ${s.p1Seats === null ? 'unknown (no subscribedSkus)' : n(s.p1Seats)}.`);
  if (r.findings.length) {
    out.push('', 'Tenant:');
    for (const f of r.findings) out.push(`  ${f.severity} ${f.code}: ${clean(f.message, 600)}`);
  }
  const flagged = r.groups.filter((g) => g.findings.length > 0);
  for (const g of flagged) {
    out.push('');
    const rule = g.rule === null ? 'no rule' : `${g.type} rule, processing ${clean(g.processingState ?? 'unknown', 20)}`;
    out.push(`${clean(g.displayName, 120)} (${KIND[g.kind]} ${g.id}; ${rule}): ${members(g)}, the rule selects ${n(g.ruleMembers)}${g.unknown ? ` (${n(g.unknown)} unknown)` : ''}`);
    for (const f of g.findings) {
      const site = findingSite(g, f);
      out.push(`  ${f.severity} ${f.code}${site ? ` at \`${clean(site, 60)}\`` : ''}: ${clean(f.message, 600)}`);
    }
    const list = (title: string, ids: readonly string[]): void => {
      if (!ids.length) return;
      out.push(`  ${title} (${n(ids.length)}):`);
      for (const id of ids.slice(0, LIST_LIMIT)) out.push(`    ${clean(name(id))}`);
      if (ids.length > LIST_LIMIT) out.push(`    … and ${n(ids.length - LIST_LIMIT)} more (--format json lists all)`);
    };
    list('Selected but not members', g.missing);
    list('Members not selected', g.extra);
  }
  const quiet = r.groups.length - flagged.length;
  out.push('');
  if (quiet) out.push(`${plural(quiet, 'more dynamic group or unit', 'more dynamic groups and units')} without findings.`);
  out.push(`${counts(r)}.`);
  return out;
}

/** The Markdown report; `tenant` names the tenant in the heading. */
export function auditMarkdown(r: AuditReport, tenant: string, name: Namer): string {
  const s = r.summary;
  const lines: string[] = [];
  lines.push(`## Dynamic groups: audit of ${mdText(tenant)}`, '');
  lines.push('| | |', '|---|---:|');
  lines.push(`| Dynamic groups | ${n(s.groups)} |`);
  lines.push(`| Dynamic administrative units | ${n(s.administrativeUnits)} |`);
  lines.push(`| Of the tenant's limit | ${n(s.dynamicObjects)} of ${n(s.dynamicLimit)} |`);
  lines.push(`| memberOf groups | ${n(s.memberOfGroups)} of ${n(s.memberOfLimit)} |`);
  lines.push(`| Users in dynamic groups | ${n(s.usersInDynamicGroups)} |`);
  lines.push(`| Entra ID P1 licenses | ${s.p1Seats === null ? 'unknown' : n(s.p1Seats)} |`);
  lines.push(`| Findings | ${counts(r)} |`, '');
  if (r.findings.length) {
    lines.push('### Tenant', '');
    for (const f of r.findings) lines.push(`- **${f.severity}** \`${f.code}\`: ${mdText(f.message)}`);
    lines.push('');
  }
  lines.push('### Groups', '');
  lines.push('| Group | Kind | Processing | Members | Rule selects | Not members | Not selected | Findings |');
  lines.push('|---|---|---|---:|---:|---:|---:|---|');
  for (const g of r.groups) {
    const e = g.findings.filter((f) => f.severity === 'error').length;
    const w = g.findings.filter((f) => f.severity === 'warning').length;
    const i = g.findings.length - e - w;
    const found = [e && plural(e, 'error'), w && plural(w, 'warning'), i && plural(i, 'info')].filter(Boolean).join(', ') || '—';
    lines.push(`| ${[mdText(g.displayName), KIND[g.kind], mdText(g.processingState ?? '—'), g.members === null ? '?' : n(g.members), n(g.ruleMembers), n(g.missing.length), n(g.extra.length), found].join(' | ')} |`);
  }
  lines.push('');
  for (const g of r.groups.filter((x) => x.findings.length > 0)) {
    lines.push('<details>');
    lines.push(`<summary>${htmlText(g.displayName)}: ${plural(g.findings.length, 'finding')}</summary>`, '');
    lines.push(`${KIND[g.kind]} \`${g.id}\``, '');
    for (const f of g.findings) {
      const site = findingSite(g, f);
      lines.push(`- **${f.severity}** \`${f.code}\`${site ? ` at ${mdText(`"${site}"`)}` : ''}: ${mdText(f.message)}`);
    }
    lines.push('');
    const list = (title: string, ids: readonly string[]): void => {
      if (!ids.length) return;
      lines.push(`**${title}** (${n(ids.length)})`, '');
      for (const id of ids.slice(0, LIST_LIMIT)) lines.push(`- ${mdText(name(id))}`);
      if (ids.length > LIST_LIMIT) lines.push(`- … and ${n(ids.length - LIST_LIMIT)} more`);
      lines.push('');
    };
    list('Selected but not members', g.missing);
    list('Members not selected', g.extra);
    lines.push('</details>', '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
