/**
 * The core's issues as LSP diagnostics, plus the checks that need the tenant: `# @group` and
 * `# @licenses` directives naming groups and SKUs that do not exist, and a licensing group that
 * is not security-enabled.
 */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { closest, findServicePlan, findSku, issue, l10n, type Issue, type ParsedRule } from '../../../grammar/src/index';
import type { Snapshot } from '../tenant/snapshot';
import { licensingGroupIssue } from '../preview/licenses';
import { DIAGNOSTIC_SOURCE } from './protocol';
import type { ServerSettings } from './settings';

const SEVERITY: Record<Issue['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Kept in `Diagnostic.data` so code actions can apply the core's fixes. */
export interface DiagnosticData {
  readonly fixes: NonNullable<Issue['fixes']>;
}

export function toDiagnostic(doc: TextDocument, i: Issue): Diagnostic {
  const d: Diagnostic = {
    range: { start: doc.positionAt(i.span.start), end: doc.positionAt(i.span.end) },
    severity: SEVERITY[i.severity],
    code: i.code,
    source: DIAGNOSTIC_SOURCE,
    message: i.message,
    data: { fixes: i.fixes ?? [] } satisfies DiagnosticData,
  };
  if (i.docs) d.codeDescription = { href: i.docs };
  if (i.tags?.includes('unnecessary')) d.tags = [DiagnosticTag.Unnecessary];
  return d;
}

/** Advice (efficiency and style infos) can be switched off in the settings. */
export function keep(i: Issue, settings: ServerSettings): boolean {
  if (settings.adviceEnabled) return true;
  return !(i.severity === 'info' || i.severity === 'hint') || !/^(perf|style|logic)\//.test(i.code);
}

/** Checks the directives against the loaded tenant and Microsoft's SKU catalogue. */
export function directiveIssues(parsed: ParsedRule, tenant: Snapshot | undefined): Issue[] {
  const out: Issue[] = [];
  for (const d of parsed.directives) {
    if (d.kind === 'group' && d.value && tenant?.groups) {
      const key = d.value.toLowerCase();
      const named = tenant.groups.filter((g) => typeof g.displayName === 'string' && g.displayName.toLowerCase() === key);
      const group = tenant.groupById.get(key) ?? (named.length === 1 ? named[0] : undefined);
      const found = group !== undefined || named.length > 0;
      const assignsLicenses = (Array.isArray(group?.assignedLicenses) && group.assignedLicenses.length > 0) || parsed.directives.some((x) => x.kind === 'licenses' && x.licenses.length > 0);
      const licensing = assignsLicenses ? licensingGroupIssue(group, d.valueSpan) : undefined;
      if (licensing) out.push(licensing);
      if (!found) {
        const names = tenant.groups.map((g) => String(g.displayName ?? g.id));
        const guess = closest(d.value, names, 1)[0];
        out.push(issue('directive/unknown-group', 'warning', guess
          ? l10n.t('No group "{0}" in the tenant {1}; did you mean "{2}"?', d.value, tenant.name, guess)
          : l10n.t('No group "{0}" in the tenant {1}', d.value, tenant.name), d.valueSpan, {
          fixes: guess ? [{ title: l10n.t('Change to {0}', `"${guess}"`), edits: [{ span: d.valueSpan, newText: guess }] }] : [],
        }));
      }
    }
    if (d.kind === 'licenses') {
      for (const l of d.licenses) {
        const inTenant = tenant?.skus?.some((s) => s.skuId.toLowerCase() === l.sku.toLowerCase() || (s.skuPartNumber ?? '').toLowerCase() === l.sku.toLowerCase());
        const sku = findSku(l.sku);
        if (!inTenant && !sku) {
          out.push(issue('directive/unknown-sku', 'warning', l10n.t('Unknown SKU "{0}": use a skuPartNumber such as SPE_E3, or a skuId.', l.sku), l.skuSpan));
        } else if (!inTenant && tenant?.skus) {
          out.push(issue('directive/sku-not-in-tenant', 'info', l10n.t('The tenant {0} has no {1} subscription: there are no seats to assign.', tenant.name, sku?.skuPartNumber ?? l.sku), l.skuSpan));
        }
        for (const p of l.disabledPlans) {
          if (!findServicePlan(p.plan)) out.push(issue('directive/unknown-plan', 'warning', l10n.t('Unknown service plan "{0}".', p.plan), p.span));
        }
      }
    }
  }
  return out;
}
