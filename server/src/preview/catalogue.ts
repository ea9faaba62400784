/** Microsoft's SKU catalogue for the preview, for SKUs and plans the tenant does not list. */
import { findServicePlan, findSku, servicePlansOf } from '../../../grammar/src/index';
import type { SkuCatalogue } from './skus';

export const skuCatalogue: SkuCatalogue = {
  findSku(key) {
    const s = findSku(key);
    return s ? { skuId: s.skuId, skuPartNumber: s.skuPartNumber } : undefined;
  },
  findPlan(key) {
    const p = findServicePlan(key);
    return p ? { id: p.servicePlanId, name: p.servicePlanName } : undefined;
  },
  plansOf(skuId) {
    return servicePlansOf(skuId).map((p) => p.servicePlanId);
  },
};
