/**
 * What we ask Graph for: exactly the fields behind rule properties and group licensing
 * (docs/semantics.md, Properties and types; Microsoft Graph), in v1.0 names.
 */
import { DEVICE_PROPERTIES, DIRECTORY_EXTENSION } from '../../../grammar/src/index';
import { GraphError } from './errors';

/** User fields: every rule property's Graph field, plus what license preview needs. */
export const USER_FIELDS: readonly string[] = [
  'id', 'accountEnabled', 'onPremisesSyncEnabled', 'employeeHireDate', 'city', 'country', 'companyName',
  'department', 'displayName', 'employeeId', 'faxNumber', 'givenName', 'jobTitle', 'mail', 'mailNickname',
  'mobilePhone', 'onPremisesDistinguishedName', 'onPremisesSecurityIdentifier', 'passwordPolicies',
  'officeLocation', 'postalCode', 'preferredLanguage', 'imAddresses', 'state', 'streetAddress', 'surname',
  'businessPhones', 'usageLocation', 'userPrincipalName', 'userType', 'otherMails', 'proxyAddresses',
  'onPremisesExtensionAttributes', 'assignedPlans', 'assignedLicenses', 'licenseAssignmentStates',
];

/**
 * The v1.0 device fields (docs/semantics.md, Properties and types): those behind device rule properties, and isCompliant/isManaged.
 * `deviceCategory`, `deviceOwnership` and `enrollmentProfileName` are in Graph v1.0's device type
 * (the v1.0 SDKs' device model, generated from v1.0's metadata, has them; docs/live-tenant.md),
 * so a live snapshot reads them.
 */
export const DEVICE_FIELDS: readonly string[] = [
  'id', 'accountEnabled', 'deviceCategory', 'deviceId', 'deviceOwnership', 'displayName', 'enrollmentProfileName',
  'extensionAttributes', 'isCompliant', 'isManaged', 'manufacturer', 'mdmAppId', 'model', 'onPremisesSyncEnabled',
  'operatingSystem', 'operatingSystemVersion', 'physicalIds', 'profileType', 'systemLabels', 'trustType',
];

/**
 * Device rule properties whose Graph fields exist only in beta (the catalogue's `betaOnly`): v1.0
 * cannot return them, so a live snapshot lacks them and rules using them evaluate to unknown
 * (recorded in snapshot.json).
 */
export const BETA_ONLY_DEVICE_FIELDS: readonly string[] = DEVICE_PROPERTIES.filter((d) => d.betaOnly).map((d) => d.graph);

/** What the preview shows and needs of a group: its rule, its kind, the licenses it assigns. */
export const GROUP_FIELDS: readonly string[] = [
  'id', 'displayName', 'description', 'mailNickname', 'mail', 'mailEnabled', 'securityEnabled', 'groupTypes',
  'membershipRule', 'membershipRuleProcessingState', 'isAssignableToRole', 'onPremisesSyncEnabled',
  'createdDateTime', 'assignedLicenses', 'licenseProcessingState',
];

/** Collection-valued fields: Graph returns `[]`, never null, for these. */
export const COLLECTION_FIELDS: ReadonlySet<string> = new Set([
  'businessPhones', 'imAddresses', 'otherMails', 'proxyAddresses', 'assignedPlans', 'assignedLicenses',
  'licenseAssignmentStates', 'physicalIds', 'systemLabels', 'groupTypes',
]);

/** `$top` for list requests: Graph's maximum (docs/semantics.md, Microsoft Graph). */
export const PAGE_SIZE = 999;

/** Checks and de-duplicates directory extension names (`extension_<appId without hyphens>_<name>`). */
export function extensionFields(names: readonly string[] | undefined): string[] {
  const out = new Map<string, string>();
  for (const n of names ?? []) {
    if (!DIRECTORY_EXTENSION.test(n)) {
      throw new GraphError('bad-request', `"${n}" is not a directory extension property (extension_<application id without hyphens>_<name>)`);
    }
    out.set(n.toLowerCase(), n);
  }
  return [...out.values()].sort();
}

export function userSelect(extensions: readonly string[]): string[] {
  return [...USER_FIELDS, ...extensions];
}

/** A query string in Graph's style: `$` options unencoded, values percent-encoded where needed. */
export function query(params: Record<string, string | number | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    parts.push(`${k}=${encodeURIComponent(String(v)).replace(/%2C/g, ',').replace(/%24/g, '$').replace(/%28/g, '(').replace(/%29/g, ')').replace(/%3D/g, '=')}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** An OData string literal: single quotes, inner quotes doubled. */
export const odataString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
