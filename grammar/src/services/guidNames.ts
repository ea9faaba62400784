/**
 * Names for the GUIDs rules are full of: service plans and SKUs from Microsoft's licensing
 * catalogue, groups and users from the tenant. Hover, inlay hints and completion details share it.
 */
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
  const lines = [`**${name}**${plan ? ` — ${plan.friendlyName}` : ''}`, '', `Service plan \`${id.toLowerCase()}\``];
  if (tenant.length) lines.push('', `In this tenant's subscriptions: ${[...new Set(tenant.map((p) => p.sku))].join(', ')}`);
  const skus = skusWithServicePlan(id);
  if (skus.length) {
    const shown = skus.slice(0, MAX_SKUS).map((s) => `${s.displayName} (\`${s.skuPartNumber}\`)`);
    const more = skus.length > MAX_SKUS ? `, and ${skus.length - MAX_SKUS} more` : '';
    lines.push('', `Included in ${skus.length} product${skus.length === 1 ? '' : 's'}: ${shown.join(', ')}${more}.`);
  }
  return { kind: 'servicePlan', label: name, markdown: lines.join('\n') };
}

function skuName(id: string): GuidName | undefined {
  const sku = findSku(id);
  if (!sku) return undefined;
  const markdown = [`**${sku.skuPartNumber}** — ${sku.displayName}`, '', `Product (SKU) \`${sku.skuId}\` with ${sku.servicePlanIds.length} service plans.`,
    '', 'A rule cannot test a license directly: test one of its service plans with `user.assignedPlans -any (assignedPlan.servicePlanId -eq "…")`.'].join('\n');
  return { kind: 'sku', label: sku.skuPartNumber, markdown };
}

function groupName(id: string, data: TenantData | undefined): GuidName | undefined {
  const g = safe1(() => data?.group?.(id)) ?? safe(() => data?.groups?.()).find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!g) return undefined;
  return { kind: 'group', label: g.displayName, markdown: `**${g.displayName}** — group \`${g.id}\`` };
}

function userName(id: string, data: TenantData | undefined): GuidName | undefined {
  const u = safe1(() => data?.user?.(id));
  if (!u) return undefined;
  return { kind: 'user', label: u.displayName, markdown: `**${u.displayName}**${u.userPrincipalName ? ` (${u.userPrincipalName})` : ''} — user \`${u.id}\`` };
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
