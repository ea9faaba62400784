/**
 * Checks of what a rule names outside itself: the SKUs and plans of `# @licenses` (against
 * Microsoft's licensing catalogue, which needs no tenant) and, when a tenant is given, the
 * `# @group` and the subscriptions (against the tenant). The memberOf groups and the Direct Reports
 * manager a rule names are checked against the same port in references.ts.
 *
 * The tenant comes in through {@link TenantFacts}, a small port the server fills from a
 * snapshot: the editor and `dynrule check --tenant` run these same checks on the same facts.
 */
import { issue, type Issue } from '../issues';
import type { Span } from '../ast';
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
  /**
   * The tenant's groups: id and display name; `securityEnabled` and whether the group assigns
   * licenses where known (a licensing group must be security-enabled).
   */
  groups?(): readonly TenantGroup[] | undefined;
  /** The tenant's administrative units (id and display name), for `# @administrativeUnit`. */
  administrativeUnits?(): readonly { readonly id: string; readonly displayName?: string }[] | undefined;
  /** Whether the tenant has a user with this object id. */
  hasUser?(id: string): boolean | undefined;
  /** The tenant's subscribed SKUs. */
  skus?(): readonly { readonly skuId: string; readonly skuPartNumber?: string }[] | undefined;
}

export interface TenantGroup {
  readonly id: string;
  readonly displayName?: string;
  readonly securityEnabled?: boolean;
  readonly assignsLicenses?: boolean;
}

const lower = (s: string | undefined): string => (s ?? '').toLowerCase();

/** The stable code of a licensing group that is not security-enabled (a diagnostic and a preview error). */
export const NOT_SECURITY_ENABLED = 'licensing/group-not-security-enabled';

/**
 * Only security-enabled groups assign licenses (a Microsoft 365 group needs securityEnabled true):
 * the issue of a group that is to assign licenses but is not, at `span` (its `# @group` value).
 */
export function notSecurityEnabledIssue(groupName: string, span: Span): Issue {
  return issue(NOT_SECURITY_ENABLED, 'error', l10n.t('Group "{0}" is not security-enabled: Entra assigns licenses only through security-enabled groups, so its members would get none of them.', groupName), span);
}

/** Issues of the `# @group`, `# @administrativeUnit` and `# @licenses` directives; the tenant-dependent ones only with `tenant`. */
export function directiveIssues(parsed: ParsedRule, tenant: TenantFacts | undefined): Issue[] {
  const out: Issue[] = [];
  const groups = tenant?.groups?.();
  const skus = tenant?.skus?.();
  const findGroup = (key: string): boolean => groups!.some((g) => lower(g.id) === lower(key) || lower(g.displayName) === lower(key));
  const guessGroup = (key: string): string | undefined => closest(key, groups!.map((g) => g.displayName ?? g.id), 1)[0];

  const assignsHere = parsed.directives.some((x) => x.kind === 'licenses' && x.licenses.length > 0);
  const units = tenant?.administrativeUnits?.();
  const forGroup = parsed.directives.some((x) => x.kind === 'group');
  for (const d of parsed.directives) {
    if (d.kind === 'administrativeUnit' && forGroup) {
      out.push(issue('directive/group-and-administrative-unit', 'error', l10n.t('A rule is for one group or one administrative unit: this file names both.'), d.valueSpan));
    } else if (d.kind === 'administrativeUnit' && assignsHere) {
      out.push(issue('directive/licenses-on-administrative-unit', 'warning', l10n.t('Administrative units assign no licenses: @licenses has no effect here.'), d.valueSpan));
    }
    if (d.kind === 'administrativeUnit' && d.value && tenant && units) {
      const key = lower(d.value);
      if (!units.some((u) => lower(u.id) === key || lower(u.displayName) === key)) {
        const guess = closest(d.value, units.map((u) => u.displayName ?? u.id), 1)[0];
        out.push(issue('directive/unknown-administrative-unit', 'warning', guess
          ? l10n.t('No administrative unit "{0}" in the tenant {1}; did you mean "{2}"?', d.value, tenant.name, guess)
          : l10n.t('No administrative unit "{0}" in the tenant {1}', d.value, tenant.name), d.valueSpan, {
          fixes: guess ? [{ title: l10n.t('Change to {0}', `"${guess}"`), edits: [{ span: d.valueSpan, newText: guess }] }] : [],
        }));
      }
    }
    if (d.kind === 'group' && d.value && groups) {
      // A licensing group (one that assigns licenses, or that this file gives licenses) must be security-enabled.
      const key = lower(d.value);
      const named = groups.filter((g) => lower(g.displayName) === key);
      const group = groups.find((g) => lower(g.id) === key) ?? (named.length === 1 ? named[0] : undefined);
      if (group && group.securityEnabled === false && (group.assignsLicenses || assignsHere)) {
        out.push(notSecurityEnabledIssue(group.displayName ?? group.id, d.valueSpan));
      }
    }
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
