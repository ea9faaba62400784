/**
 * The core's issues as LSP diagnostics, plus the checks that need the tenant: `# @group` and
 * `# @licenses` directives naming groups and SKUs that do not exist.
 */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { closest, findServicePlan, findSku, issue, type Issue, type ParsedRule } from '../../../grammar/src/index';
import type { Snapshot } from '../tenant/snapshot';
import { DIAGNOSTIC_SOURCE, type ServerSettings } from './protocol';

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
      const found = tenant.groupById.has(key) || tenant.groups.some((g) => typeof g.displayName === 'string' && g.displayName.toLowerCase() === key);
      if (!found) {
        const names = tenant.groups.map((g) => String(g.displayName ?? g.id));
        const guess = closest(d.value, names, 1)[0];
        out.push(issue('directive/unknown-group', 'warning', `No group "${d.value}" in the tenant ${tenant.name}${guess ? `; did you mean "${guess}"?` : ''}`, d.valueSpan, {
          fixes: guess ? [{ title: `Change to "${guess}"`, edits: [{ span: d.valueSpan, newText: guess }] }] : [],
        }));
      }
    }
    if (d.kind === 'licenses') {
      for (const l of d.licenses) {
        const inTenant = tenant?.skus?.some((s) => s.skuId.toLowerCase() === l.sku.toLowerCase() || (s.skuPartNumber ?? '').toLowerCase() === l.sku.toLowerCase());
        const sku = findSku(l.sku);
        if (!inTenant && !sku) {
          out.push(issue('directive/unknown-sku', 'warning', `Unknown SKU "${l.sku}": use a skuPartNumber such as SPE_E3, or a skuId.`, l.skuSpan));
        } else if (!inTenant && tenant?.skus) {
          out.push(issue('directive/sku-not-in-tenant', 'info', `The tenant ${tenant.name} has no ${sku?.skuPartNumber ?? l.sku} subscription: there are no seats to assign.`, l.skuSpan));
        }
        for (const p of l.disabledPlans) {
          if (!findServicePlan(p.plan)) out.push(issue('directive/unknown-plan', 'warning', `Unknown service plan "${p.plan}".`, p.span));
        }
      }
    }
  }
  return out;
}
