/**
 * What each license error the preview reports means, in one line: the code lens, the preview
 * view and the CLI show these beside the error's name. The names are Entra's own
 * (`licenseAssignmentState.error`, licensing-groups-resolve-problems), but for NoUsageLocation.
 */
import { findServicePlan, l10n } from '../../../grammar/src/index';

export const LICENSE_ERROR_KINDS = [
  'CountViolation', 'MutuallyExclusiveViolation', 'DependencyViolation', 'ProhibitedInUsageLocationViolation',
  'UniquenessViolation', 'Other', 'NoUsageLocation',
] as const;

/** The one-line explanation of a license error kind ('' for a kind Entra has not documented). */
export function explainLicenseError(kind: string): string {
  switch (kind) {
    case 'CountViolation': return l10n.t('Not enough seats: more members would gain the product than the tenant has free. Entra picks who goes without.');
    case 'MutuallyExclusiveViolation': return l10n.t('A plan of the product conflicts with a different plan the user already has from another license (the same plan twice is fine).');
    case 'DependencyViolation': return l10n.t('Another product the user keeps depends on a plan this change would remove.');
    case 'ProhibitedInUsageLocationViolation': return l10n.t("A plan of the product is not offered in the user's usage location.");
    case 'UniquenessViolation': return l10n.t('A value that must be unique, such as a proxy address, is already in use.');
    case 'Other': return l10n.t("Another product of the same group failed for this user, and a group assigns all of its products or none.");
    case 'NoUsageLocation': return l10n.t("The user has no usageLocation and the tenant's country is not in the snapshot.");
    default: return '';
  }
}

/** Explanations of the given kinds, each once, in the order of {@link LICENSE_ERROR_KINDS}. */
export function explainLicenseErrors(kinds: Iterable<string>): Record<string, string> {
  const present = new Set(kinds);
  const out: Record<string, string> = {};
  for (const k of [...LICENSE_ERROR_KINDS, ...present]) if (present.has(k) && !(k in out)) out[k] = explainLicenseError(k);
  return out;
}

/**
 * What one error is about, in a few words: the conflicting plans (and, for a conflict with a
 * product gained in the same what-if, the group that assigns it), or the product that failed first.
 */
export function errorDetail(
  e: { readonly dueTo?: string; readonly conflict?: { readonly plan: string; readonly with: string }; readonly alongside?: string },
  skuName: (skuId: string) => string,
  groupName: (groupId: string) => string = (id) => id,
): string {
  const plan = (id: string): string => findServicePlan(id)?.servicePlanName ?? id;
  if (e.conflict && e.alongside) {
    return l10n.t('{0} conflicts with {1}, which {2} assigns in the same change: Entra fails whichever of the two groups it processes second', plan(e.conflict.plan), plan(e.conflict.with), groupName(e.alongside));
  }
  if (e.conflict) return l10n.t('{0} conflicts with {1}', plan(e.conflict.plan), plan(e.conflict.with));
  if (e.dueTo) return l10n.t('{0} fails for this user', skuName(e.dueTo));
  return '';
}
