/**
 * The code lenses over each rule: members before → after, one per product the group assigns with
 * its seats, what Entra refuses, the license errors by kind; or, without a tenant, how to get one.
 */
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { l10n, type ParsedRule } from '../../../grammar/src/index';
import { PreviewError } from '../preview/errors';
import { explainLicenseErrors } from '../preview/errorKinds';
import type { SkuPreview } from '../preview/preview';
import { Commands } from '../../../protocol/src/protocol';
import type { PreviewCache } from './previewCache';

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

/** Code lenses above the rule: membership change, then one per SKU the group assigns. */
export function codeLenses(doc: TextDocument, parsed: ParsedRule, previews: PreviewCache): CodeLens[] {
  const tenant = previews.tenant;
  const first = parsed.tokens[0];
  if (!first) return [];
  const pos = doc.positionAt(first.startOffset);
  const range = { start: { line: pos.line, character: 0 }, end: { line: pos.line, character: 0 } };
  const lens = (title: string, command: string, args: unknown[] = []): CodeLens => ({ range, command: { title, command, arguments: args } });
  if (!tenant.current) {
    const info = tenant.info();
    if (info.state === 'loading') return [lens(`$(sync~spin) ${l10n.t('Loading {0}…', info.label)}`, Commands.selectTenant)];
    // A failed tenant says why (a live one: the 403 and the permission it needs), not only that it failed.
    if (info.state === 'failed') {
      const reason = lensReason(info.error);
      return [lens(reason ? l10n.t('Tenant {0} could not be loaded: {1} — choose another', info.label, reason) : l10n.t('Tenant {0} could not be loaded: choose another', info.label), Commands.selectTenant)];
    }
    return [lens(l10n.t('Preview: choose a tenant to see who joins and leaves'), Commands.selectTenant)];
  }
  const p = previews.preview(doc, parsed);
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
