/**
 * `dynrule whatif --tenant <dir|live> --changes <file>... [--rules <dir>] [--format text|json|markdown] [--now <iso>]`
 *
 * Exit codes as `preview`: 0 with the report (license errors and seat shortfalls are part of the
 * report, not a failure of the command), 2 for bad input — a changes file with problems (every
 * problem listed on stderr with its place, and no report: nothing is half-applied), a rule file
 * with errors, a group a rule file names that the tenant lacks.
 */
import { createRuleDocument, ruleBody } from '../../../grammar/src/index';
import { checkDocument } from '../limits';
import { errorDetail, explainLicenseErrors } from '../preview/errorKinds';
import { PreviewError } from '../preview/errors';
import { findGroup } from '../preview/preview';
import { skuCatalogue } from '../preview/catalogue';
import { htmlText, mdText } from '../review/report';
import { printable } from '../tenant/jsonError';
import type { Snapshot } from '../tenant/snapshot';
import { formatIssue } from '../whatif/changes';
import { readChanges } from '../whatif/read';
import { resolveChanges } from '../whatif/resolve';
import { whatIf, WhatIfInputError, type EditedRule, type WhatIfReport, type WhatIfUser } from '../whatif/whatif';
import { EXIT_OK, EXIT_USAGE, formatOption, outLines, parseNow, readText, ruleFiles, str, UsageError, where, type Output, type ParsedArgs } from './io';
import { openTenant } from './tenant';

const LIST_LIMIT = 20;
const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;

/** Rule files that replace their groups' rules: those whose rule differs from the group's. */
async function editedRules(dir: string, s: Snapshot, now: number | undefined, io: Output): Promise<EditedRule[]> {
  const out: EditedRule[] = [];
  for (const file of await ruleFiles([dir])) {
    const text = await readText(file);
    const { parsed, issues } = checkDocument(createRuleDocument(text), now !== undefined ? { now } : {});
    const error = issues.find((i) => i.severity === 'error');
    if (error) throw new UsageError(`${where(file, text, error)}: ${error.code}: ${error.message}`);
    const key = parsed.directives.find((d) => d.kind === 'group')?.value;
    if (!key) {
      io.err(`dynrule: note: ${file} has no # @group: left out (whatif replaces existing groups' rules)`);
      continue;
    }
    let group;
    try {
      group = findGroup(s, key);
    } catch (e) {
      if (e instanceof PreviewError) throw new UsageError(`${file}: ${e.message}`);
      throw e;
    }
    const norm = (r: string): string => r.replace(/\s+/g, ' ').trim();
    if (typeof group.membershipRule === 'string' && norm(group.membershipRule) === norm(ruleBody(parsed))) continue;
    out.push({ group: group.id, text, file });
  }
  return out;
}

export async function whatifCommand({ values, positionals }: ParsedArgs, io: Output): Promise<number> {
  const format = formatOption(str(values.format), ['text', 'json', 'markdown'], 'text');
  if (positionals.length) throw new UsageError(`whatif: unexpected argument "${positionals[0]}" (changes files go after --changes)`);
  const files = (Array.isArray(values.changes) ? values.changes : []).filter((v): v is string => typeof v === 'string');
  if (!files.length) throw new UsageError('whatif: give --changes <file> (a bulk-create CSV, an attribute-change CSV or JSON)');
  const now = parseNow(str(values.now));
  const parsed = await readChanges(files);
  // Nothing is evaluated when a file has a problem: every problem, then one line that says so.
  if (parsed.issues.length) return refuse(parsed.issues, io);
  const tenant = await openTenant(str(values.tenant));
  const resolved = resolveChanges(tenant, parsed.changes);
  if (resolved.issues.length) return refuse(resolved.issues, io);
  const rulesDir = str(values.rules);
  const rules = rulesDir !== undefined ? await editedRules(rulesDir, tenant, now, io) : [];
  let report: WhatIfReport;
  try {
    report = whatIf(tenant, resolved, { ...(now !== undefined ? { now } : {}), rules, catalogue: skuCatalogue });
  } catch (e) {
    if (e instanceof WhatIfInputError) throw new UsageError(e.message);
    throw e;
  }
  if (format === 'json') outLines(io, JSON.stringify(report, null, 2));
  else if (format === 'markdown') outLines(io, whatifMarkdown(report, files));
  else for (const line of whatifText(report, tenant, files)) io.out(line);
  return EXIT_OK;
}

function refuse(issues: readonly Parameters<typeof formatIssue>[0][], io: Output): number {
  for (const i of issues) io.err(`dynrule: ${formatIssue(i)}`);
  io.err(`dynrule: whatif: ${plural(issues.length, 'problem')} in the changes; nothing was evaluated`);
  return EXIT_USAGE;
}

/** Names for the report: groups by display name, SKUs by part number, users by name and UPN. */
function namers(r: WhatIfReport): { group: (id: string) => string; sku: (id: string) => string; user: (u: WhatIfUser) => string } {
  const groups = new Map(r.groups.map((g) => [g.id, g.displayName ?? g.id]));
  const skus = new Map(r.licenses.map((l) => [l.skuId, l.skuPartNumber ?? l.skuId]));
  return {
    group: (id) => groups.get(id) ?? id,
    sku: (id) => skus.get(id) ?? skuCatalogue.findSku(id)?.skuPartNumber ?? id,
    user: (u) => (u.displayName && u.userPrincipalName ? `${u.displayName} <${u.userPrincipalName}>` : u.userPrincipalName ?? u.user),
  };
}

const signed = (n: number, sign: string): string => `${sign}${n}`;
const known = (n: number | null): string => (n === null ? '?' : String(n));

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ').trimEnd());
}

/** Entra ID P1: the users in dynamic groups and units before and after, against the seats owned. */
function p1Line(r: WhatIfReport): string {
  const { before, after, owned, shortfall } = r.p1;
  const seats = owned === null ? 'the seats owned are unknown (no subscribedSkus)' : `the tenant owns ${owned}${shortfall ? `: ${shortfall} short` : ''}`;
  return `Entra ID P1: ${before} users in dynamic groups and units today, ${after} after (${signed(Math.abs(after - before), after >= before ? '+' : '−')}); ${seats}`;
}

/** A one-line summary: what a code lens over the changes file says. */
export function whatifHeadline(r: WhatIfReport): string {
  const s = r.summary;
  const who = [s.newUsers && plural(s.newUsers, 'new user'), s.changedUsers && `${s.changedUsers} changed`, s.deletedUsers && `${s.deletedUsers} deleted`, s.unchangedUsers && `${s.unchangedUsers} moved by edited rules`].filter(Boolean).join(', ') || 'no users';
  const skus = r.licenses.map((l) => `${l.skuPartNumber ?? l.skuId} ${[l.gained || !l.lost ? `+${l.gained}` : '', l.lost ? `−${l.lost}` : ''].filter(Boolean).join(' ')}`);
  const short = s.seatsShort === null ? 'seats unknown' : s.seatsShort ? `${plural(s.seatsShort, 'seat')} short` : 'no seat short';
  const of = `${plural(s.dynamicGroups, 'dynamic group')}${s.dynamicUnits ? ` and ${plural(s.dynamicUnits, 'unit')}` : ''}`;
  // Entra ID P1 only where the change makes the tenant short of it.
  const p1 = r.p1.after > r.p1.before && r.p1.shortfall ? [`Entra ID P1 ${plural(r.p1.shortfall, 'seat')} short`] : [];
  return [`${who}: ${s.groupsChanged} of ${of} change`, ...skus, short, ...p1].join(' · ');
}

export function whatifText(r: WhatIfReport, s: Snapshot, files: readonly string[]): string[] {
  const n = namers(r);
  const out: string[] = [];
  out.push(`What if: ${files.join(', ')} on tenant ${s.name}`);
  out.push(whatifHeadline(r));
  const changed = r.groups.filter((g) => g.added.length || g.removed.length);
  if (changed.length) {
    out.push('');
    out.push(...table([['Group', 'Before', 'After', 'Added', 'Removed'], ...changed.map((g) => [g.displayName ?? g.id, known(g.before), known(g.after), signed(g.added.length, '+'), signed(g.removed.length, '−')])]));
  }
  if (r.licenses.length) {
    out.push('');
    out.push(...table([['License', 'Gained', 'Lost', 'Available', 'Needed', 'Freed', 'Left', 'Shortfall'],
      ...r.licenses.map((l) => [l.skuPartNumber ?? l.skuId, String(l.gained), String(l.lost), known(l.available), String(l.needed), String(l.freed), known(l.left), l.shortfall === null ? '?' : l.shortfall ? `${l.shortfall} short` : '0'])]));
  }
  out.push('', p1Line(r));
  if (r.users.length) {
    out.push('', `People (${r.users.length}):`);
    for (const u of r.users.slice(0, LIST_LIMIT)) {
      const blocked = u.accountEnabled === false && u.change !== 'deleted' ? ', sign-in blocked' : '';
      out.push(`  ${n.user(u)}  ${u.change}${blocked}${u.implied ? ` (${u.implied})` : u.properties.length && u.change === 'changed' ? `: ${u.properties.join(', ')}` : ''}`);
      if (u.joined.length) out.push(`    joins   ${u.joined.map(n.group).join(', ')}`);
      if (u.left.length) out.push(`    leaves  ${u.left.map(n.group).join(', ')}`);
      if (!u.joined.length && !u.left.length) out.push('    joins and leaves no dynamic group');
      if (u.gained.length) out.push(`    gains   ${u.gained.map(n.sku).join(', ')}`);
      if (u.lost.length) out.push(`    loses   ${u.lost.map(n.sku).join(', ')}`);
    }
    if (r.users.length > LIST_LIMIT) out.push(`  … and ${r.users.length - LIST_LIMIT} more (--format json lists all)`);
  }
  if (r.errors.length) {
    out.push('', `Errors Entra would raise (${r.errors.length}):`);
    const byId = new Map(r.users.map((u) => [u.user, u]));
    for (const e of r.errors.slice(0, LIST_LIMIT)) {
      const detail = errorDetail(e, n.sku, n.group);
      const u = byId.get(e.user);
      out.push(`  ${e.reason.padEnd(18)} ${n.sku(e.skuId).padEnd(14)} ${u ? n.user(u) : e.user}  via ${n.group(e.group)}${detail ? `  (${detail})` : ''}`);
    }
    if (r.errors.length > LIST_LIMIT) out.push(`  … and ${r.errors.length - LIST_LIMIT} more`);
  }
  const kinds = explainLicenseErrors([...r.errors.map((e) => e.reason), ...(r.licenses.some((l) => l.shortfall) ? ['CountViolation'] : [])]);
  if (Object.keys(kinds).length) {
    out.push('', 'What the errors mean:');
    for (const [kind, text] of Object.entries(kinds)) out.push(`  ${kind}: ${text}`);
  }
  if (r.notes.length) {
    out.push('', 'Notes:');
    for (const note of r.notes) out.push(`  - ${note}`);
  }
  // Names and UPNs come from the tenant and the changes: no control character reaches the terminal.
  return out.map((line) => printable(line, Number.MAX_SAFE_INTEGER));
}

export function whatifMarkdown(r: WhatIfReport, files: readonly string[]): string {
  const n = namers(r);
  const out: string[] = [];
  out.push(`### What if: ${files.map((f) => `\`${printable(f, 200).replace(/`/g, "'")}\``).join(', ')}`, '', mdText(whatifHeadline(r)));
  const changed = r.groups.filter((g) => g.added.length || g.removed.length);
  if (changed.length) {
    out.push('', '| Group | Before | After | Added | Removed |', '|---|---:|---:|---:|---:|');
    for (const g of changed) out.push(`| ${mdText(g.displayName ?? g.id)} | ${known(g.before)} | ${known(g.after)} | +${g.added.length} | −${g.removed.length} |`);
  }
  if (r.licenses.length) {
    out.push('', '| License | Gained | Lost | Available | Shortfall |', '|---|---:|---:|---:|---:|');
    for (const l of r.licenses) out.push(`| ${mdText(l.skuPartNumber ?? l.skuId)} | ${l.gained} | ${l.lost} | ${known(l.available)} | ${l.shortfall === null ? '?' : l.shortfall ? `**${l.shortfall} short**` : '0'} |`);
  }
  out.push('', mdText(p1Line(r)));
  if (r.users.length) {
    out.push('', `<details><summary>${htmlText(`People (${r.users.length})`)}</summary>`, '', '| User | Change | Joins | Leaves | Gains | Loses |', '|---|---|---|---|---|---|');
    for (const u of r.users.slice(0, 200)) {
      const list = (xs: readonly string[], f: (x: string) => string): string => (xs.length ? xs.map((x) => mdText(f(x))).join(', ') : '—');
      out.push(`| ${mdText(n.user(u))} | ${u.change} | ${list(u.joined, n.group)} | ${list(u.left, n.group)} | ${list(u.gained, n.sku)} | ${list(u.lost, n.sku)} |`);
    }
    if (r.users.length > 200) out.push('', mdText(`… and ${r.users.length - 200} more (--format json lists all)`));
    out.push('', '</details>');
  }
  if (r.errors.length) {
    out.push('', `**Errors Entra would raise (${r.errors.length})**`, '');
    const byId = new Map(r.users.map((u) => [u.user, u]));
    for (const e of r.errors.slice(0, 200)) {
      const u = byId.get(e.user);
      const detail = errorDetail(e, n.sku, n.group);
      out.push(`- ${mdText(`${e.reason}: ${n.sku(e.skuId)} for ${u ? n.user(u) : e.user} via ${n.group(e.group)}${detail ? ` (${detail})` : ''}`)}`);
    }
  }
  if (r.notes.length) {
    out.push('', '**Notes**', '');
    for (const note of r.notes) out.push(`- ${mdText(note)}`);
  }
  return out.join('\n');
}
