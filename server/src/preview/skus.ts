/**
 * Resolves the SKUs and service plans named in `# @licenses SPE_E3(-YAMMER_ENTERPRISE)`: first
 * from the tenant's subscribedSkus, then from Microsoft's product catalogue.
 */
import { l10n, type LicenseSpec } from '../../../grammar/src/index';
import type { Snapshot } from '../tenant/snapshot';
import { PreviewError } from './errors';
import type { GroupLicense } from './licenses';

/** Microsoft's SKU and service plan catalogue, as the preview needs it. */
export interface SkuCatalogue {
  findSku(idOrPartNumber: string): { readonly skuId: string; readonly skuPartNumber: string } | undefined;
  findPlan(idOrName: string): { readonly id: string; readonly name: string } | undefined;
  /** Service plan ids of a SKU. */
  plansOf(skuId: string): readonly string[];
}

const lower = (s: unknown): string => (typeof s === 'string' ? s.toLowerCase() : '');

export function resolveSku(s: Snapshot, key: string, catalogue: SkuCatalogue | undefined): { skuId: string; skuPartNumber: string | undefined } | undefined {
  const k = key.toLowerCase();
  const t = s.skus?.find((x) => lower(x.skuId) === k || lower(x.skuPartNumber) === k);
  if (t) return { skuId: t.skuId, skuPartNumber: t.skuPartNumber };
  const c = catalogue?.findSku(key);
  return c ? { skuId: c.skuId, skuPartNumber: c.skuPartNumber } : undefined;
}

export function resolvePlan(s: Snapshot, skuId: string, key: string, catalogue: SkuCatalogue | undefined): string | undefined {
  const k = key.toLowerCase();
  const sku = s.skus?.find((x) => lower(x.skuId) === skuId.toLowerCase());
  const plans = Array.isArray(sku?.['servicePlans']) ? (sku!['servicePlans'] as { servicePlanId?: unknown; servicePlanName?: unknown }[]) : [];
  const hit = plans.find((p) => lower(p.servicePlanId) === k || lower(p.servicePlanName) === k);
  if (hit && typeof hit.servicePlanId === 'string') return hit.servicePlanId;
  return catalogue?.findPlan(key)?.id;
}

/**
 * Turns license specs into group licenses; unknown names are an error that names where the specs
 * came from (`source`: the rule file's `@licenses`, or the command line's `--licenses`).
 */
export function resolveLicenseSpecs(s: Snapshot, specs: readonly LicenseSpec[], catalogue: SkuCatalogue | undefined, source = '@licenses'): GroupLicense[] {
  return specs.map((spec) => {
    const sku = resolveSku(s, spec.sku, catalogue);
    if (!sku) throw new PreviewError(l10n.t('unknown SKU "{0}" in {1}: use a skuPartNumber such as SPE_E3 or a skuId', spec.sku, source));
    const disabledPlans = spec.disabledPlans.map((p) => {
      const id = resolvePlan(s, sku.skuId, p.plan, catalogue);
      if (!id) throw new PreviewError(l10n.t('unknown service plan "{0}" for {1} in {2}', p.plan, sku.skuPartNumber ?? sku.skuId, source));
      return id;
    });
    return { skuId: sku.skuId, skuPartNumber: sku.skuPartNumber, disabledPlans };
  });
}
