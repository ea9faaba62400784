/**
 * The tenant's subscriptions and how a user's license fields follow from where each license comes
 * from (docs/semantics.md, Group-based licensing): `licenseAssignmentStates` lists every source, `assignedLicenses` the union (a
 * plan is disabled only if every source disables it), `assignedPlans` the enabled service plans.
 * SKUs and plans are real, from the licensing catalogue.
 */
import { findServicePlan, findSku, servicePlansOf, type ServicePlanInfo, type SkuInfo } from '../../grammar/src/licensing';

type Seats =
  | { readonly kind: 'headroom'; readonly percent: number; readonly min: number }
  /** No seat left: the enabled count equals consumption (CountViolation errors show the shortfall). */
  | { readonly kind: 'exhausted' }
  /** A free or trial SKU with a large fixed pool, raised in steps when a big tenant needs more. */
  | { readonly kind: 'pool'; readonly enabled: number };

export interface SkuPolicy {
  readonly sku: SkuInfo;
  /** When the subscription started; no assignment is older. */
  readonly purchasedMs: number;
  readonly seats: Seats;
  readonly suspended?: number;
  readonly warning?: number;
}

function policy(partNumber: string, purchased: string, seats: Seats, extra: { suspended?: number; warning?: number } = {}): SkuPolicy {
  const sku = findSku(partNumber);
  if (!sku) throw new Error(`${partNumber} is not in the licensing catalogue`);
  return { sku, purchasedMs: Date.parse(purchased), seats, ...extra };
}

/** The subscriptions the tenant owns, in the order subscribedSkus.json lists them. */
export const TENANT_SKUS: readonly SkuPolicy[] = [
  policy('SPE_E3', '2022-07-01T00:00:00Z', { kind: 'headroom', percent: 0.05, min: 5 }),
  policy('SPE_E5', '2023-01-15T00:00:00Z', { kind: 'headroom', percent: 0.1, min: 5 }),
  policy('SPE_F1', '2022-07-01T00:00:00Z', { kind: 'headroom', percent: 0.08, min: 5 }),
  policy('POWER_BI_PRO', '2021-03-01T00:00:00Z', { kind: 'headroom', percent: 0.1, min: 5 }),
  policy('Microsoft_365_Copilot', '2026-06-01T00:00:00Z', { kind: 'exhausted' }),
  policy('MCOEV', '2024-02-01T00:00:00Z', { kind: 'headroom', percent: 0.1, min: 5 }),
  policy('VISIOCLIENT', '2023-09-01T00:00:00Z', { kind: 'headroom', percent: 0.1, min: 5 }, { warning: 2 }),
  policy('PROJECTPROFESSIONAL', '2024-05-01T00:00:00Z', { kind: 'headroom', percent: 0.1, min: 5 }, { suspended: 5 }),
  policy('FLOW_FREE', '2020-05-01T00:00:00Z', { kind: 'pool', enabled: 10000 }),
  policy('POWER_BI_STANDARD', '2020-05-01T00:00:00Z', { kind: 'pool', enabled: 1000000 }),
  policy('EMSPREMIUM', '2025-01-01T00:00:00Z', { kind: 'headroom', percent: 0, min: 25 }),
];

/** Index of a SKU (by skuPartNumber) in {@link TENANT_SKUS}. */
export function skuIndex(partNumber: string): number {
  const i = TENANT_SKUS.findIndex((p) => p.sku.skuPartNumber === partNumber);
  if (i < 0) throw new Error(`the tenant has no ${partNumber}`);
  return i;
}

/** Service plan ids from names, checked against the catalogue. */
export function planIds(names: readonly string[]): string[] {
  return names.map((n) => {
    const p = findServicePlan(n);
    if (!p) throw new Error(`unknown service plan ${n}`);
    return p.servicePlanId;
  });
}

/** Seats to buy for a consumption. */
export function enabledUnits(p: SkuPolicy, consumed: number): number {
  switch (p.seats.kind) {
    case 'headroom': return consumed + Math.max(p.seats.min, Math.ceil(consumed * p.seats.percent));
    case 'exhausted': return consumed;
    case 'pool': return Math.max(p.seats.enabled, Math.ceil(consumed / p.seats.enabled) * p.seats.enabled);
  }
}

/**
 * The `service` Graph reports on an assignedPlan, by plan name. Microsoft does not publish the
 * mapping; these are the values seen in Graph output for the common workloads (`SCO` is Intune),
 * and the plan name's first segment otherwise.
 */
export function serviceOf(planName: string): string {
  const n = planName.toUpperCase();
  const rules: [RegExp, string][] = [
    [/^(EXCHANGE_|EXCHANGEONLINE|ATP_ENTERPRISE|THREAT_INTELLIGENCE|EOP_|INFORMATION_BARRIERS|LOCKBOX|MIP_S_EXCHANGE|EXCHANGE$)/, 'exchange'],
    [/^(SHAREPOINT|ONEDRIVE)/, 'SharePoint'],
    [/^MCO/, 'MicrosoftCommunicationsOnline'],
    [/^(OFFICESUBSCRIPTION|OFFICE_BUSINESS|OFFICEMOBILE)/, 'MicrosoftOffice'],
    [/^YAMMER/, 'YammerEnterprise'],
    [/^INTUNE/, 'SCO'],
    [/^AAD_PREMIUM/, 'AADPremiumService'],
    [/^MFA_PREMIUM/, 'MultiFactorService'],
    [/^RMS_S_/, 'RMSOnline'],
    [/^TEAMS/, 'TeamspaceAPI'],
    [/^WHITEBOARD/, 'WhiteboardServices'],
    [/^BI_AZURE/, 'PowerBI'],
    [/^FLOW_/, 'ProcessSimple'],
    [/^POWERAPPS_/, 'PowerAppsService'],
    [/^FORMS_/, 'OfficeForms'],
    [/^PROJECTWORKMANAGEMENT/, 'ProjectWorkManagement'],
    [/^(PROJECT_|PROJECTPROFESSIONAL)/, 'ProjectOnline'],
    [/^SWAY/, 'Sway'],
    [/^STREAM/, 'MicrosoftStream'],
    [/^BPOS_S_TODO/, 'To-Do'],
    [/^DESKLESS/, 'Deskless'],
    [/^(WIN10_|WINDOWSUPDATEFORBUSINESS|UNIVERSAL_PRINT|WIN_)/, 'Windows'],
    [/^(WINDEFATP|MDE_)/, 'WindowsDefenderATP'],
    [/^ADALLOM/, 'Adallom'],
    [/^ATA$/, 'AzureAdvancedThreatAnalytics'],
    [/^VISIO/, 'Visio'],
    [/^MICROSOFTBOOKINGS/, 'MicrosoftBookings'],
    [/^KAIZALA/, 'MicrosoftKaizala'],
    [/^(M365_COPILOT|COPILOT)/, 'M365Copilot'],
  ];
  for (const [re, service] of rules) if (re.test(n)) return service;
  return planName.split('_')[0]!;
}

export const EXCHANGE_S_ENTERPRISE = 'efb87545-963c-4e0d-99df-69c6916d9eb0';
const SHAREPOINTENTERPRISE = '5dbe027f-2339-4123-9542-606e4d348a72';
/** The plan behind Teams and Skype sign-in, which gives a user a SIP address. */
export const MCOSTANDARD = '0feaeb32-d00e-4d66-bd5a-43b5b83db82c';

/** One source of one license for one user. */
export interface LicenseSource {
  readonly sku: number;
  /** null: assigned directly. */
  readonly groupId: string | null;
  readonly disabledPlans: readonly string[];
  readonly error: 'None' | 'CountViolation';
  readonly date: string;
}

/** The plans of the licenses a user holds, for one SKU. */
export interface PlanSlot {
  readonly sku: number;
  readonly disabled: readonly string[];
  readonly date: string;
}

/** The Graph license fields of a user, from the sources of their licenses (sorted by SKU). */
export function licenseFields(sources: readonly LicenseSource[]): {
  assignedLicenses: { disabledPlans: string[]; skuId: string }[];
  licenseAssignmentStates: Record<string, unknown>[];
  slots: PlanSlot[];
} {
  const assignedLicenses: { disabledPlans: string[]; skuId: string }[] = [];
  const slots: PlanSlot[] = [];
  const states: Record<string, unknown>[] = [];
  for (const s of sources) {
    const skuId = TENANT_SKUS[s.sku]!.sku.skuId;
    states.push({
      assignedByGroup: s.groupId,
      disabledPlans: [...s.disabledPlans],
      error: s.error,
      lastUpdatedDateTime: s.date,
      skuId,
      state: s.error === 'None' ? 'Active' : 'Error',
    });
    if (s.error !== 'None') continue;
    const held = assignedLicenses.find((l) => l.skuId === skuId);
    if (held) {
      // Services are the union over sources: a plan stays off only if every source turns it off.
      held.disabledPlans = held.disabledPlans.filter((p) => s.disabledPlans.includes(p));
      const slot = slots.find((x) => x.sku === s.sku)!;
      slots[slots.indexOf(slot)] = { sku: s.sku, disabled: held.disabledPlans, date: s.date < slot.date ? s.date : slot.date };
    } else {
      assignedLicenses.push({ disabledPlans: [...s.disabledPlans], skuId });
      slots.push({ sku: s.sku, disabled: s.disabledPlans, date: s.date });
    }
  }
  return { assignedLicenses, licenseAssignmentStates: states, slots };
}

/** An assignedPlan as the evaluator sees it (rules cannot read assignedDateTime). */
export interface PlanView {
  readonly capabilityStatus: string;
  readonly service: string;
  readonly servicePlanId: string;
}

/**
 * `assignedPlans` of one combination of licenses, as UTF-8 JSON with a hole for each plan's
 * assignedDateTime. All dates are 20 ASCII characters (`2024-03-31T22:10:07Z`).
 */
export interface Stencil {
  readonly bytes: Buffer;
  /** Byte offsets of the date holes. */
  readonly holes: Int32Array;
  /** For each hole, the license slot whose date fills it (slots.length: the legacy date). */
  readonly holeSlot: Int32Array;
}

interface Template {
  readonly views: readonly PlanView[];
  readonly enabled: ReadonlySet<string>;
  readonly stencil: Stencil;
}

export interface AssignedPlans {
  /** What the evaluator reads. */
  readonly views: readonly PlanView[];
  /** Enabled service plan ids. */
  readonly enabled: ReadonlySet<string>;
  readonly stencil: Stencil;
  /** The values for the stencil's holes, by slot. */
  readonly dates: readonly string[];
}

const DATE_LENGTH = 20;

/**
 * `assignedPlans` for a combination of licenses, computed once per combination: a large tenant
 * has few distinct combinations, and copying pre-encoded bytes and filling in dates is what
 * makes a million users fast to write.
 */
export class PlanTemplates {
  private readonly cache = new Map<string, Template>();
  private readonly plansBySku: readonly (readonly ServicePlanInfo[])[] = TENANT_SKUS.map((p) => servicePlansOf(p.sku));

  /**
   * The plans for license slots. `legacy` adds the Exchange and SharePoint plans of a license the
   * user no longer has, as Graph keeps them with capabilityStatus "Deleted".
   */
  get(slots: readonly PlanSlot[], legacy: boolean): AssignedPlans {
    let key = legacy ? 'legacy' : '';
    for (const s of slots) key += `|${s.sku}:${s.disabled.join(',')}`;
    let t = this.cache.get(key);
    if (!t) this.cache.set(key, (t = this.build(slots, legacy)));
    const dates: string[] = [];
    for (const s of slots) dates.push(s.date);
    dates.push(LEGACY_DATE);
    return { views: t.views, enabled: t.enabled, stencil: t.stencil, dates };
  }

  private build(slots: readonly PlanSlot[], legacy: boolean): Template {
    const views: PlanView[] = [];
    const seen = new Set<string>();
    const holeSlot: number[] = [];
    const holeAt: number[] = [];
    let text = '[';
    const add = (plan: ServicePlanInfo, status: string, slot: number): void => {
      const view = { capabilityStatus: status, service: serviceOf(plan.servicePlanName), servicePlanId: plan.servicePlanId };
      views.push(view);
      text += `${views.length > 1 ? ',' : ''}{"assignedDateTime":"`;
      holeAt.push(Buffer.byteLength(text));
      holeSlot.push(slot);
      text += `${'0'.repeat(DATE_LENGTH)}","capabilityStatus":${JSON.stringify(view.capabilityStatus)},"service":${JSON.stringify(view.service)},"servicePlanId":"${view.servicePlanId}"}`;
    };
    slots.forEach((s, k) => {
      for (const plan of this.plansBySku[s.sku]!) {
        if (s.disabled.includes(plan.servicePlanId) || seen.has(plan.servicePlanId)) continue;
        seen.add(plan.servicePlanId);
        add(plan, 'Enabled', k);
      }
    });
    const enabled = new Set(seen);
    if (legacy) {
      for (const id of [EXCHANGE_S_ENTERPRISE, SHAREPOINTENTERPRISE]) {
        if (seen.has(id)) continue;
        seen.add(id);
        add(findServicePlan(id)!, 'Deleted', slots.length);
      }
    }
    text += ']';
    return { views, enabled, stencil: { bytes: Buffer.from(text, 'utf8'), holes: Int32Array.from(holeAt), holeSlot: Int32Array.from(holeSlot) } };
  }
}

/** When the Deleted plans of a removed license were last touched. */
const LEGACY_DATE = '2024-03-31T22:10:07Z';
