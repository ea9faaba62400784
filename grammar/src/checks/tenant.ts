/**
 * Checks of what a rule names outside itself: the SKUs and plans of `# @licenses` (against
 * Microsoft's licensing catalogue, which needs no tenant) and, when a tenant is given, the
 * `# @group`, the memberOf groups and the Direct Reports manager (against the tenant).
 *
 * The tenant comes in through {@link TenantFacts}, a small port the server fills from a
 * snapshot: the editor and `dynrule check --tenant` run these same checks on the same facts.
 */
import { unparen, walkExpr, type Expr } from '../ast';
import { issue, type Issue } from '../issues';
import * as l10n from '../l10n';
import { findServicePlan, findSku } from '../licensing';
import type { ParsedRule } from '../parse';
import { closest } from '../suggest';

/**
 * What the tenant-dependent checks need to know about a tenant. Every lookup may be absent or
 * answer `undefined`: that part of the tenant is not known (no groups.json, say), and the
 * checks that need it do not run — an unknown is never reported as missing.
 */
export interface TenantFacts {
  /** The tenant's name, for messages. */
  readonly name: string;
  /** The tenant's groups (id and display name). */
  groups?(): readonly { readonly id: string; readonly displayName?: string }[] | undefined;
  /** Whether the tenant has a user with this object id. */
  hasUser?(id: string): boolean | undefined;
  /** The tenant's subscribed SKUs. */
  skus?(): readonly { readonly skuId: string; readonly skuPartNumber?: string }[] | undefined;
}

const lower = (s: string | undefined): string => (s ?? '').toLowerCase();

/** Issues of the `# @group` and `# @licenses` directives; the tenant-dependent ones only with `tenant`. */
export function directiveIssues(parsed: ParsedRule, tenant: TenantFacts | undefined): Issue[] {
  const out: Issue[] = [];
  const groups = tenant?.groups?.();
  const skus = tenant?.skus?.();
  const findGroup = (key: string): boolean => groups!.some((g) => lower(g.id) === lower(key) || lower(g.displayName) === lower(key));
  const guessGroup = (key: string): string | undefined => closest(key, groups!.map((g) => g.displayName ?? g.id), 1)[0];

  for (const d of parsed.directives) {
    if (d.kind === 'group' && d.value && tenant && groups && !findGroup(d.value)) {
      const guess = guessGroup(d.value);
      out.push(issue('directive/unknown-group', 'warning', guess
        ? l10n.t('No group "{0}" in the tenant {1}; did you mean "{2}"?', d.value, tenant.name, guess)
        : l10n.t('No group "{0}" in the tenant {1}', d.value, tenant.name), d.valueSpan, {
        fixes: guess ? [{ title: l10n.t('Change to {0}', `"${guess}"`), edits: [{ span: d.valueSpan, newText: guess }] }] : [],
      }));
    }
    if (d.kind === 'licenses') {
      for (const l of d.licenses) {
        const inTenant = skus?.some((s) => lower(s.skuId) === lower(l.sku) || lower(s.skuPartNumber) === lower(l.sku)) ?? false;
        const sku = findSku(l.sku);
        if (!inTenant && !sku) {
          out.push(issue('directive/unknown-sku', 'warning', l10n.t('Unknown SKU "{0}": use a skuPartNumber such as SPE_E3, or a skuId.', l.sku), l.skuSpan));
        } else if (!inTenant && tenant && skus) {
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

/**
 * memberOf group ids and the Direct Reports manager that the tenant does not have. Run on a rule
 * without errors only: a memberOf rule that names 51 groups is wrong first for that.
 */
export function namedObjectIssues(expr: Expr, tenant: TenantFacts): Issue[] {
  const out: Issue[] = [];
  const groups = tenant.groups?.();
  let ids: Set<string> | undefined;
  walkExpr(expr, (e) => {
    if (e.kind === 'directReports' && e.manager.kind === 'string' && e.manager.value) {
      if (tenant.hasUser?.(e.manager.value) === false) {
        out.push(issue('rule/unknown-manager', 'warning', l10n.t('No user "{0}" in the tenant {1}: this Direct Reports rule selects no one.', e.manager.value, tenant.name), e.manager.span));
      }
    }
    if (groups && e.kind === 'quantifier' && lower(e.collection.name) === 'memberof') {
      const p = unparen(e.predicate);
      if (p.kind !== 'compare' || p.value.kind !== 'array') return;
      ids ??= new Set(groups.map((g) => lower(g.id)));
      for (const item of p.value.items) {
        if (item.kind === 'string' && item.value && !ids.has(lower(item.value))) {
          out.push(issue('rule/unknown-group', 'warning', l10n.t('No group "{0}" in the tenant {1}: no one joins through it.', item.value, tenant.name), item.span));
        }
      }
    }
  });
  return out;
}
