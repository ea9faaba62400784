/**
 * The groups of the sample tenant: a few static groups (sources for memberOf rules and the
 * executives' licenses) and dynamic user and device groups whose rules use the language broadly.
 * Several assign licenses. Two drift on purpose: their stored members are not what the rule
 * gives today, as in a real tenant where processing lags behind edits.
 */
import type { UserDraft } from './users';

export interface GroupLicense {
  readonly sku: string;
  /** Service plan names switched off for the group's members. */
  readonly disabledPlans?: readonly string[];
}

/** Why a group's members differ from its rule, and who. */
export type Drift =
  /** Processing is paused: people who no longer match are still members. */
  | { readonly kind: 'stale'; readonly count: number; readonly who: (u: UserDraft) => boolean; readonly note: string }
  /** Recently changed people who match have not been added yet. */
  | { readonly kind: 'pending'; readonly count: number; readonly note: string };

export interface GroupDef {
  readonly key: string;
  readonly displayName: string;
  readonly description: string;
  readonly object: 'user' | 'device';
  /** A dynamic group's rule, given the ids it refers to. Static groups have none. */
  readonly rule?: (ids: RuleIds) => string;
  readonly licenses?: readonly GroupLicense[];
  readonly paused?: boolean;
  readonly drift?: Drift;
  /** A static group synchronised from on-premises Active Directory. */
  readonly synced?: boolean;
  /** An administrative unit (administrativeUnits.json), not a group: in no one's memberOf. */
  readonly unit?: boolean;
}

export interface RuleIds {
  /** The object id of a group, by key. */
  group(key: string): string;
  /** The object id of the head of Engineering. */
  readonly engineeringHead: string;
}

export const GROUPS: readonly GroupDef[] = [
  // Static groups.
  { key: 'executives', displayName: 'SG-Executives', object: 'user', synced: true,
    description: 'CEO and department heads (synced from AD). Assigns Microsoft 365 E5; the CEO also holds E5 directly.',
    licenses: [{ sku: 'SPE_E5' }] },
  { key: 'remoteWorkers', displayName: 'SG-Remote-Workers', object: 'user',
    description: 'People approved for full-time remote work (maintained by HR).' },
  { key: 'securityChampions', displayName: 'SG-Security-Champions', object: 'user',
    description: 'Volunteers in the security champions programme.' },
  { key: 'labDevices', displayName: 'SG-Lab-Devices', object: 'device',
    description: 'Test and lab machines, added by hand.' },

  // Dynamic user groups.
  { key: 'allMembers', displayName: 'All Members', object: 'user',
    description: 'Every member account (no guests).',
    rule: () => '(user.objectId -ne null) -and (user.userType -eq "Member")' },
  { key: 'allGuests', displayName: 'All Guests', object: 'user',
    description: 'Every B2B guest.',
    rule: () => 'user.userType -eq "Guest"' },
  { key: 'sales', displayName: 'Sales - All', object: 'user', paused: true,
    description: 'Everyone in Sales. Processing was paused during the reorganisation.',
    rule: () => 'user.department -eq "Sales"',
    drift: { kind: 'stale', count: 3, who: (u) => u.department === 'Marketing', note: 'processing paused; three people who moved from Sales to Marketing are still members' } },
  { key: 'e3', displayName: 'LIC - Microsoft 365 E3', object: 'user',
    description: 'Knowledge workers: enabled members except frontline, contractors and executives (who get E5). Yammer is switched off.',
    rule: () => 'user.userType -eq "Member" -and user.accountEnabled -eq true -and user.department -ne "Retail Operations" -and user.extensionAttribute7 -ne "Contractor" -and user.jobTitle -notMatch "^(Chief|Vice President|General Counsel)"',
    licenses: [{ sku: 'SPE_E3', disabledPlans: ['YAMMER_ENTERPRISE'] }] },
  { key: 'f3', displayName: 'LIC - Microsoft 365 F3 Frontline', object: 'user',
    description: 'Frontline staff and contractors.',
    rule: () => '(user.department -eq "Retail Operations" -or user.extensionAttribute7 -eq "Contractor") -and user.accountEnabled -eq true -and user.userType -eq "Member" -and user.jobTitle -notStartsWith "Vice President"',
    licenses: [{ sku: 'SPE_F1' }] },
  { key: 'powerBiFinance', displayName: 'LIC - Power BI Pro (Finance)', object: 'user',
    description: 'Power BI Pro for the Finance department.',
    rule: () => 'user.department -eq "Finance" -and user.accountEnabled -eq true',
    licenses: [{ sku: 'POWER_BI_PRO' }] },
  { key: 'powerBiAnalysts', displayName: 'LIC - Power BI Pro (Analysts)', object: 'user',
    description: 'Power BI Pro for every analyst; financial analysts get it from both Power BI groups.',
    rule: () => 'user.jobTitle -contains "Analyst" -and user.userType -eq "Member"',
    licenses: [{ sku: 'POWER_BI_PRO' }] },
  { key: 'copilot', displayName: 'LIC - Copilot Pilot', object: 'user',
    description: 'Microsoft 365 Copilot pilot for Marketing and Product Management leads. The SKU has no seat left; widening the rule needs more.',
    rule: () => 'user.department -in ["Marketing", "Product Management"] -and user.jobTitle -match "Manager|Director|Chief" -and user.accountEnabled -eq true',
    licenses: [{ sku: 'Microsoft_365_Copilot' }] },
  { key: 'teamsPhone', displayName: 'LIC - Teams Phone (Customer Support, US and Canada)', object: 'user',
    description: 'Teams Phone for support agents in North America. The rule was just edited to add Canada.',
    rule: () => 'user.department -eq "Customer Support" -and user.usageLocation -in ["US", "CA"] -and user.accountEnabled -eq true',
    licenses: [{ sku: 'MCOEV' }],
    drift: { kind: 'pending', count: 2, note: 'two people who match have not been processed yet (they have no Teams Phone license yet)' } },
  { key: 'visio', displayName: 'LIC - Visio Plan 2 (Architects and Fabrikam)', object: 'user',
    description: 'Visio for architects and principal engineers, and for guests from the Fabrikam partner.',
    rule: () => '(user.department -in ["Engineering", "IT"] -and user.jobTitle -match "Architect|Principal") -or (user.userType -eq "Guest" -and user.mail -endsWith "@fabrikam.com")',
    licenses: [{ sku: 'VISIOCLIENT' }] },
  { key: 'mailboxes', displayName: 'Exchange Online (Plan 2) mailboxes', object: 'user',
    description: 'Users with an enabled Exchange Online (Plan 2) service plan, whatever license it comes from.',
    rule: () => 'user.assignedPlans -any (assignedPlan.servicePlanId -eq "efb87545-963c-4e0d-99df-69c6916d9eb0" -and assignedPlan.capabilityStatus -eq "Enabled")' },
  { key: 'litware', displayName: 'Litware mailboxes', object: 'user',
    description: 'Mailboxes that still receive mail for the acquired litwareinc.com domain.',
    rule: () => 'user.proxyAddresses -any (_ -endsWith "@litwareinc.com")' },
  { key: 'dach', displayName: 'DACH Employees', object: 'user',
    description: 'Members in Germany, Austria and Switzerland.',
    rule: () => 'user.usageLocation -in ["DE", "AT", "CH"] -and user.userType -eq "Member"' },
  { key: 'cloudOnly', displayName: 'Cloud-only Members', object: 'user',
    description: 'Members not synchronised from on-premises Active Directory.',
    rule: () => '-not (user.dirSyncEnabled -eq true) -and user.userType -eq "Member"' },
  { key: 'engineeringLeads', displayName: 'Engineering Leadership', object: 'user',
    description: 'Direct reports of the Vice President of Engineering.',
    rule: (ids) => `Direct Reports for "${ids.engineeringHead}"` },
  { key: 'remoteAndChampions', displayName: 'Remote Workers and Security Champions', object: 'user',
    description: 'Members of either static group (memberOf rule).',
    rule: (ids) => `user.memberOf -any (group.objectId -in ['${ids.group('remoteWorkers')}', '${ids.group('securityChampions')}'])` },
  { key: 'newHires', displayName: 'New Hires (last 90 days)', object: 'user',
    description: 'Members hired in the last 90 days, for onboarding.',
    rule: () => 'user.employeeHireDate -ge system.now -minus P90D -and user.userType -eq "Member"' },

  // Dynamic device groups.
  { key: 'autopilot', displayName: 'Devices - Windows Autopilot', object: 'device',
    description: 'Every device registered with Windows Autopilot.',
    rule: () => 'device.devicePhysicalIds -any (_ -startsWith "[ZTDId]")' },
  { key: 'windows11', displayName: 'Devices - Windows 11 Corporate', object: 'device',
    description: 'Enabled Entra joined and hybrid joined PCs on Windows 11.',
    rule: () => 'device.deviceOSType -eq "Windows" -and device.deviceOSVersion -startsWith "10.0.2" -and device.deviceTrustType -in ["AzureAD", "ServerAD"] -and device.accountEnabled -eq true' },
  { key: 'corporateMobile', displayName: 'Devices - Corporate Mobile (Intune)', object: 'device',
    description: 'Company-owned phones and tablets managed by Intune, not rooted.',
    rule: () => 'device.deviceOSType -in ["iOS", "IPad", "AndroidEnterprise", "AndroidForWork"] -and device.deviceOwnership -eq "Company" -and device.deviceManagementAppId -eq "0000000a-0000-0000-c000-000000000000" -and device.isRooted -eq false' },
  { key: 'kiosks', displayName: 'Devices - Store Kiosks', object: 'device',
    description: 'Dedicated Android devices in stores.',
    rule: () => 'device.enrollmentProfileName -eq "Contoso Kiosk - Android Dedicated" -or device.deviceCategory -eq "Kiosk"' },
  { key: 'm365Managed', displayName: 'Devices - Microsoft 365 Managed', object: 'device',
    description: 'Devices Microsoft manages for us (system label).',
    rule: () => 'device.systemLabels -any (_ -eq "M365Managed")' },
  { key: 'labDynamic', displayName: 'Devices - Lab (from SG-Lab-Devices)', object: 'device',
    description: 'Devices in the static lab group (memberOf rule).',
    rule: (ids) => `device.memberOf -any (group.objectId -in ['${ids.group('labDevices')}'])` },
];

/** Administrative units: one dynamic (the helpdesk's scope) and one assigned. */
export const ADMINISTRATIVE_UNITS: readonly GroupDef[] = [
  { key: 'auDach', displayName: 'AU - DACH Helpdesk Scope', object: 'user', unit: true,
    description: 'Members in Germany, Austria and Switzerland, whom the DACH helpdesk manages.',
    rule: () => 'user.country -in ["Germany", "Austria", "Switzerland"] -and user.userType -eq "Member"' },
  { key: 'auExecutives', displayName: 'AU - Executive Accounts', object: 'user', unit: true,
    description: 'Accounts only privileged administrators manage (assigned by hand; none yet).' },
];
