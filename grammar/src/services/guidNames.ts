/**
 * Names for the GUIDs rules are full of: service plans and SKUs from Microsoft's licensing
 * catalogue, groups and users from the tenant. Hover, inlay hints and completion details share it.
 */
import * as l10n from '../l10n';
import { findServicePlan, findSku, skusWithServicePlan } from '../licensing';
import { GUID } from './common';
import type { TenantData } from './types';

/** What a GUID stands for. */
export interface GuidName {
  readonly kind: 'servicePlan' | 'sku' | 'group' | 'user';
  /** Short label: servicePlanName, skuPartNumber, or display name. */
  readonly label: string;
  /** A longer Markdown description. */
  readonly markdown: string;
}

/** Which kind the position suggests (`assignedPlan.servicePlanId` → service plan); tried first. */
export type GuidHint = GuidName['kind'] | undefined;

const MAX_SKUS = 8;

function servicePlanName(id: string, data: TenantData | undefined): GuidName | undefined {
  const plan = findServicePlan(id);
  const tenant = safe(() => data?.tenantServicePlans?.()).filter((p) => p.id.toLowerCase() === id.toLowerCase());
  if (!plan && tenant.length === 0) return undefined;
  const name = plan?.servicePlanName ?? tenant[0]!.name;
  const lines = [`**${name}**${plan ? ` — ${plan.friendlyName}` : ''}`, '', l10n.t('Service plan `{0}`', id.toLowerCase())];
  if (tenant.length) lines.push('', l10n.t("In this tenant's subscriptions: {0}", [...new Set(tenant.map((p) => p.sku))].join(', ')));
  const skus = skusWithServicePlan(id);
  if (skus.length) {
    const shown = skus.slice(0, MAX_SKUS).map((s) => `${s.displayName} (\`${s.skuPartNumber}\`)`);
    lines.push('', skus.length > MAX_SKUS
      ? l10n.t('Included in {0} products: {1}, and {2} more.', skus.length, shown.join(', '), skus.length - MAX_SKUS)
      : skus.length === 1 ? l10n.t('Included in {0} product: {1}.', skus.length, shown.join(', ')) : l10n.t('Included in {0} products: {1}.', skus.length, shown.join(', ')));
  }
  return { kind: 'servicePlan', label: name, markdown: lines.join('\n') };
}

function skuName(id: string): GuidName | undefined {
  const sku = findSku(id);
  if (!sku) return undefined;
  const markdown = [`**${sku.skuPartNumber}** — ${sku.displayName}`, '', l10n.t('Product (SKU) `{0}` with {1} service plans.', sku.skuId, sku.servicePlanIds.length),
    '', l10n.t('A rule cannot test a license directly: test one of its service plans with `user.assignedPlans -any (assignedPlan.servicePlanId -eq "…")`.')].join('\n');
  return { kind: 'sku', label: sku.skuPartNumber, markdown };
}

function groupName(id: string, data: TenantData | undefined): GuidName | undefined {
  const g = safe1(() => data?.group?.(id)) ?? safe(() => data?.groups?.()).find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!g) return undefined;
  return { kind: 'group', label: g.displayName, markdown: l10n.t('**{0}** — group `{1}`', g.displayName, g.id) };
}

function userName(id: string, data: TenantData | undefined): GuidName | undefined {
  const u = safe1(() => data?.user?.(id));
  if (!u) return undefined;
  return { kind: 'user', label: u.displayName, markdown: u.userPrincipalName ? l10n.t('**{0}** ({1}) — user `{2}`', u.displayName, u.userPrincipalName, u.id) : l10n.t('**{0}** — user `{1}`', u.displayName, u.id) };
}

/** The name a GUID stands for, trying the hinted kind first; undefined for unknown GUIDs. */
export function nameGuid(text: string, hint: GuidHint, data?: TenantData): GuidName | undefined {
  const id = text.trim();
  if (!GUID.test(id)) return undefined;
  const lookups: Record<GuidName['kind'], () => GuidName | undefined> = {
    servicePlan: () => servicePlanName(id, data),
    sku: () => skuName(id),
    group: () => groupName(id, data),
    user: () => userName(id, data),
  };
  const order: GuidName['kind'][] = ['group', 'user', 'servicePlan', 'sku'];
  if (hint) order.unshift(hint);
  for (const kind of order) {
    const hit = lookups[kind]();
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Tenant data comes from the server; a failing callback must not take a language feature down
 * with it, so its answer is treated as "nothing known".
 */
export function safe<T>(f: () => readonly T[] | undefined): readonly T[] {
  try {
    return f() ?? [];
  } catch {
    return [];
  }
}

export function safe1<T>(f: () => T | undefined): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
