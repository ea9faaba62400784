/**
 * The property and operator catalogue: one source of truth read by the checks, the evaluator,
 * hover, completion, the formatter and the TextMate grammar test. Data only.
 *
 * Facts come from groups-dynamic-membership; docs/semantics.md gives the decisions (Properties and
 * types: properties, Graph field mapping, operators per type; Lexical structure: operators).
 */
import * as l10n from './l10n';

/** The value types a rule property can have (docs/semantics.md, Properties and types). */
export type PropertyType = 'bool' | 'string' | 'datetime' | 'stringCollection' | 'assignedPlans' | 'memberOf';

/** Type names in English; show them with `l10n.t(TYPE_NAMES[type])`. */
export const TYPE_NAMES: Readonly<Record<PropertyType, string>> = {
  bool: l10n.mark('boolean'), string: l10n.mark('string'), datetime: l10n.mark('date/time'), stringCollection: l10n.mark('string collection'),
  assignedPlans: l10n.mark('assigned plan collection'), memberOf: l10n.mark('group membership'),
};

/** The objects a rule can be about. */
export type RuleObject = 'user' | 'device';

/** Objects that appear as path prefixes: the two rule objects and the quantifier element objects. */
export type PathObject = RuleObject | 'assignedPlan' | 'group';

export interface PropertyDef {
  /** Canonical spelling, as Microsoft documents it. */
  readonly name: string;
  readonly object: PathObject;
  readonly type: PropertyType;
  /** Whether the docs list `null` as a value that occurs. */
  readonly nullable: boolean;
  /** Documented values (exact spelling), for completion, hover and value checks. */
  readonly values?: readonly string[];
  /** True when `values` is a closed list: any other value is a warning. */
  readonly closedValues?: boolean;
  /**
   * Dotted path of the Microsoft Graph v1.0 (or beta) field that holds the value.
   * `first:` means the Graph field is a collection and the rule property is its first element.
   */
  readonly graph: string;
  /** How a Graph `null` reads for this property, where Entra treats null as a value. */
  readonly nullAs?: boolean;
  /** The Graph field exists only in the beta endpoint. */
  readonly betaOnly?: boolean;
  /** The value is expected to be a GUID. */
  readonly guid?: boolean;
  /** A preview feature in Entra. */
  readonly preview?: boolean;
  readonly description: string;
}

export const DOCS_URL = 'https://learn.microsoft.com/entra/identity/users/groups-dynamic-membership';
export const MEMBEROF_DOCS_URL = 'https://learn.microsoft.com/entra/identity/users/groups-dynamic-rule-member-of';
export const EFFICIENCY_DOCS_URL = 'https://learn.microsoft.com/entra/identity/users/groups-dynamic-rule-more-efficient';
export const TROUBLESHOOT_DOCS_URL = 'https://learn.microsoft.com/entra/identity/users/groups-troubleshooting';

function str(object: RuleObject, name: string, graph: string, description: string, extra: Partial<PropertyDef> = {}): PropertyDef {
  return { name, object, type: 'string', nullable: true, graph, description, ...extra };
}

const extensionAttributes = (object: RuleObject, container: string): PropertyDef[] =>
  Array.from({ length: 15 }, (_, i) =>
    str(object, `extensionAttribute${i + 1}`, `${container}.extensionAttribute${i + 1}`,
      object === 'user'
        ? `On-premises extension attribute ${i + 1} (synced from Active Directory or set in Exchange).`
        : `Device extension attribute ${i + 1} (set on the device object through Graph).`),
  );

const PASSWORD_POLICIES = ['None', 'DisableStrongPassword', 'DisablePasswordExpiration', 'DisablePasswordExpiration, DisableStrongPassword'];
const CAPABILITY_STATUS = ['Enabled', 'Warning', 'Suspended', 'Deleted', 'LockedOut'];

/** User properties (docs/semantics.md, Properties and types). */
export const USER_PROPERTIES: readonly PropertyDef[] = [
  { name: 'accountEnabled', object: 'user', type: 'bool', nullable: false, values: ['true', 'false'], graph: 'accountEnabled', description: 'Whether the account can sign in.' },
  { name: 'dirSyncEnabled', object: 'user', type: 'bool', nullable: false, values: ['true', 'false'], graph: 'onPremisesSyncEnabled', nullAs: false, description: 'Whether the user is synchronised from on-premises Active Directory. Graph reports null for cloud-only users, which reads as false.' },
  { name: 'employeeHireDate', object: 'user', type: 'datetime', nullable: true, graph: 'employeeHireDate', preview: true, description: 'The date and time the user was hired or will start work. Compare with -ge/-le against a date or system.now.' },
  str('user', 'city', 'city', 'The city where the user is located.'),
  str('user', 'country', 'country', 'The country or region where the user is located.'),
  str('user', 'companyName', 'companyName', 'The company name the user is associated with.'),
  str('user', 'department', 'department', 'The department the user works in.'),
  str('user', 'displayName', 'displayName', 'The name shown in the address book.', { nullable: false }),
  str('user', 'employeeId', 'employeeId', 'The employee identifier assigned by the organisation.'),
  str('user', 'facsimileTelephoneNumber', 'faxNumber', 'The fax number.'),
  str('user', 'givenName', 'givenName', 'The given (first) name.'),
  str('user', 'jobTitle', 'jobTitle', 'The job title.'),
  str('user', 'mail', 'mail', 'The SMTP address of the user.'),
  str('user', 'mailNickname', 'mailNickname', 'The mail alias.', { nullable: false }),
  { name: 'memberOf', object: 'user', type: 'memberOf', nullable: false, graph: 'memberOf', preview: true, description: 'The groups the user is a direct member of. Only `user.memberOf -any (group.objectId -in [...])`, standing alone, with at most 50 group ids. Retired (groups-dynamic-rule-member-of, 2026-08): from 3 November 2026 a group with a memberOf rule stops updating and keeps its last known members. Replace it with a rule on user properties, or make the group an assigned group.' },
  str('user', 'mobile', 'mobilePhone', 'The mobile phone number.'),
  str('user', 'objectId', 'id', 'The object id (GUID) of the user.', { nullable: false, guid: true }),
  str('user', 'onPremisesDistinguishedName', 'onPremisesDistinguishedName', 'The distinguished name in on-premises Active Directory.'),
  str('user', 'onPremisesSecurityIdentifier', 'onPremisesSecurityIdentifier', 'The on-premises security identifier (SID) of a synchronised user.'),
  str('user', 'passwordPolicies', 'passwordPolicies', 'The password policies of the user.', { values: PASSWORD_POLICIES, closedValues: true }),
  str('user', 'physicalDeliveryOfficeName', 'officeLocation', 'The office location.'),
  str('user', 'postalCode', 'postalCode', 'The postal code.'),
  str('user', 'preferredLanguage', 'preferredLanguage', 'The preferred language (ISO 639-1, for example en-US).'),
  str('user', 'sipProxyAddress', 'first:imAddresses', 'The SIP address used for instant messaging.'),
  str('user', 'state', 'state', 'The state or province.'),
  str('user', 'streetAddress', 'streetAddress', 'The street address.'),
  str('user', 'surname', 'surname', 'The surname (family name).'),
  str('user', 'telephoneNumber', 'first:businessPhones', 'The business telephone number.'),
  str('user', 'usageLocation', 'usageLocation', 'The two-letter country code where services are used (required for licensing).'),
  str('user', 'userPrincipalName', 'userPrincipalName', 'The sign-in name.', { nullable: false }),
  str('user', 'userType', 'userType', 'Member or Guest.', { values: ['Member', 'Guest'], closedValues: true }),
  { name: 'otherMails', object: 'user', type: 'stringCollection', nullable: false, graph: 'otherMails', description: 'Additional email addresses of the user.' },
  { name: 'proxyAddresses', object: 'user', type: 'stringCollection', nullable: false, graph: 'proxyAddresses', values: ['SMTP:', 'smtp:'], description: 'Email addresses of the user, as `SMTP:primary@domain` and `smtp:alias@domain`.' },
  { name: 'assignedPlans', object: 'user', type: 'assignedPlans', nullable: false, graph: 'assignedPlans', description: 'The service plans assigned to the user. Use -any/-all with assignedPlan.servicePlanId, assignedPlan.service and assignedPlan.capabilityStatus.' },
  ...extensionAttributes('user', 'onPremisesExtensionAttributes'),
];

/** Device properties (docs/semantics.md, Properties and types). */
export const DEVICE_PROPERTIES: readonly PropertyDef[] = [
  { name: 'accountEnabled', object: 'device', type: 'bool', nullable: false, values: ['true', 'false'], graph: 'accountEnabled', description: 'Whether the device is enabled.' },
  str('device', 'deviceCategory', 'deviceCategory', 'The device category name (for example BYOD).'),
  str('device', 'deviceId', 'deviceId', 'The Entra device id (GUID).', { guid: true }),
  str('device', 'deviceManagementAppId', 'mdmAppId', 'The MDM application id: 0000000a-0000-0000-c000-000000000000 is Intune, 54b943f8-d761-4f8d-951e-9cea1846db5a is Configuration Manager co-management.', { values: ['0000000a-0000-0000-c000-000000000000', '54b943f8-d761-4f8d-951e-9cea1846db5a'] }),
  str('device', 'deviceManufacturer', 'manufacturer', 'The device manufacturer (for example Samsung).'),
  str('device', 'deviceModel', 'model', 'The device model (for example iPad Air).'),
  str('device', 'displayName', 'displayName', 'The device name.', { nullable: false }),
  str('device', 'deviceOSType', 'operatingSystem', 'The operating system type.', { values: ['Windows', 'iOS', 'iPad', 'MacMDM', 'AndroidForWork', 'AndroidEnterprise', 'Android'] }),
  str('device', 'deviceOSVersion', 'operatingSystemVersion', 'The operating system version (Windows 10 and later start with 10.0).'),
  str('device', 'deviceOwnership', 'deviceOwnership', 'Who owns the device. Intune calls Company "Corporate".', { values: ['Personal', 'Company', 'Unknown'], closedValues: true }),
  { name: 'devicePhysicalIds', object: 'device', type: 'stringCollection', nullable: false, graph: 'physicalIds', values: ['[ZTDId]', '[OrderID]:', '[PurchaseOrderId]:', '[GID]:'], description: 'Physical identifiers, including Windows Autopilot values such as [ZTDId] and [OrderID]:.' },
  str('device', 'deviceTrustType', 'trustType', 'How the device is joined: AzureAD (Entra joined), ServerAD (hybrid joined) or Workplace (registered).', { values: ['AzureAD', 'ServerAD', 'Workplace'], closedValues: true }),
  str('device', 'enrollmentProfileName', 'enrollmentProfileName', 'The Autopilot, Apple ADE or Android Enterprise enrollment profile name.'),
  { name: 'isRooted', object: 'device', type: 'bool', nullable: false, values: ['true', 'false'], graph: 'isRooted', betaOnly: true, description: 'Whether the device is rooted or jail-broken.' },
  str('device', 'managementType', 'managementType', 'How the device is managed (MDM for mobile devices).', { values: ['MDM', 'PC', 'EAS'], betaOnly: true }),
  { name: 'memberOf', object: 'device', type: 'memberOf', nullable: false, graph: 'memberOf', preview: true, description: 'The groups the device is a direct member of. Only `device.memberOf -any (group.objectId -in [...])`, standing alone. Retired (groups-dynamic-rule-member-of, 2026-08): from 3 November 2026 a group with a memberOf rule stops updating and keeps its last known members. Replace it with a rule on device properties, or make the group an assigned group.' },
  str('device', 'objectId', 'id', 'The object id (GUID) of the device.', { nullable: false, guid: true }),
  str('device', 'profileType', 'profileType', 'The device profile type.', { values: ['RegisteredDevice', 'SecureVM', 'Printer', 'Shared', 'IoT'], closedValues: true }),
  { name: 'systemLabels', object: 'device', type: 'stringCollection', nullable: false, graph: 'systemLabels', values: ['M365Managed'], description: 'Read-only labels set by Microsoft services (for example M365Managed).' },
  ...extensionAttributes('device', 'extensionAttributes'),
];

/** Element properties inside `user.assignedPlans -any (...)` (docs/semantics.md, Properties and types). */
export const ASSIGNED_PLAN_PROPERTIES: readonly PropertyDef[] = [
  { name: 'servicePlanId', object: 'assignedPlan', type: 'string', nullable: false, graph: 'servicePlanId', guid: true, description: 'The GUID of the service plan.' },
  { name: 'service', object: 'assignedPlan', type: 'string', nullable: false, graph: 'service', values: ['exchange', 'SharePoint', 'MicrosoftCommunicationsOnline', 'MicrosoftOffice', 'YammerEnterprise', 'SCO', 'AADPremiumService', 'TeamspaceAPI', 'WhiteboardServices'], description: 'The workload the plan belongs to (SCO is Intune). Not the plan name.' },
  { name: 'capabilityStatus', object: 'assignedPlan', type: 'string', nullable: false, graph: 'capabilityStatus', values: CAPABILITY_STATUS, closedValues: true, description: 'The state of the plan: Enabled, Warning (grace period), Suspended, LockedOut or Deleted.' },
];

/** The element property inside `memberOf -any (...)` (docs/semantics.md, Grammar and precedence). */
export const GROUP_PROPERTIES: readonly PropertyDef[] = [
  { name: 'objectId', object: 'group', type: 'string', nullable: false, graph: 'id', guid: true, description: 'The object id of a source group. Only `group.objectId -in [...]` is allowed.' },
];

/** Properties that existed once or look plausible but are not supported in rules, with advice. */
export const UNSUPPORTED_PROPERTIES: Readonly<Record<string, { object: RuleObject; advice: string }>> = {
  organizationalUnit: { object: 'device', advice: 'organizationalUnit is no longer supported and matches no devices.' },
  isManaged: { object: 'device', advice: 'isManaged was removed from dynamic rules.' },
  isCompliant: { object: 'device', advice: 'isCompliant was removed from dynamic rules.' },
  isDirSynced: { object: 'device', advice: 'isDirSynced was removed from dynamic rules.' },
  domainName: { object: 'device', advice: 'domainName was removed from dynamic rules.' },
  assignedLicenses: { object: 'user', advice: 'There is no license property: test a service plan with user.assignedPlans -any (assignedPlan.servicePlanId -eq "…").' },
  licenseAssignmentStates: { object: 'user', advice: 'There is no license property: test a service plan with user.assignedPlans -any (assignedPlan.servicePlanId -eq "…").' },
  manager: { object: 'user', advice: 'The manager can only be used through a whole-rule `Direct Reports for "<manager object id>"`.' },
  employeeType: { object: 'user', advice: 'employeeType is not a supported rule property.' },
  onPremisesSamAccountName: { object: 'user', advice: 'onPremisesSamAccountName is not a supported rule property.' },
  createdDateTime: { object: 'user', advice: 'createdDateTime is not a supported rule property; only employeeHireDate supports dates.' },
  signInActivity: { object: 'user', advice: 'signInActivity is not a supported rule property.' },
  ageGroup: { object: 'user', advice: 'ageGroup is not a supported rule property.' },
};

/** Directory extension properties: `extension_<app id without hyphens>_<name>` (docs/semantics.md, Lexical structure). */
export const DIRECTORY_EXTENSION = /^extension_[0-9a-fA-F]{32}_[A-Za-z0-9_]+$/;

export function directoryExtensionProperty(object: RuleObject, name: string): PropertyDef {
  return {
    name, object, type: 'string', nullable: true, graph: name,
    description: 'A directory extension property synchronised from on-premises or registered by an application in your tenant (single-valued strings only).',
  };
}

const byObject = new Map<PathObject, Map<string, PropertyDef>>();
for (const list of [USER_PROPERTIES, DEVICE_PROPERTIES, ASSIGNED_PLAN_PROPERTIES, GROUP_PROPERTIES]) {
  for (const p of list) {
    let m = byObject.get(p.object);
    if (!m) byObject.set(p.object, (m = new Map()));
    m.set(p.name.toLowerCase(), p);
  }
}

/** All catalogue properties of one object, in documentation order. */
export function propertiesOf(object: PathObject): PropertyDef[] {
  return [...(byObject.get(object)?.values() ?? [])];
}

/** Case-insensitive lookup, including directory extension properties. */
const OBJECTS: Readonly<Record<string, PathObject>> = { user: 'user', device: 'device', assignedplan: 'assignedPlan', group: 'group' };

/** The object a written prefix names (`User` → `user`), or undefined. */
export function pathObject(written: string): PathObject | undefined {
  return OBJECTS[written.toLowerCase()];
}

export function findProperty(object: PathObject, name: string): PropertyDef | undefined {
  const hit = byObject.get(object)?.get(name.toLowerCase());
  if (hit) return hit;
  if ((object === 'user' || object === 'device') && DIRECTORY_EXTENSION.test(name)) return directoryExtensionProperty(object, name);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Operators
// ---------------------------------------------------------------------------------------------

export type ComparisonOperator =
  | 'eq' | 'ne' | 'startsWith' | 'notStartsWith' | 'endsWith' | 'notEndsWith'
  | 'contains' | 'notContains' | 'match' | 'notMatch' | 'in' | 'notIn' | 'le' | 'ge';

export type LogicalOperator = 'and' | 'or' | 'not';
export type QuantifierOperator = 'any' | 'all';
export type DateOperator = 'plus' | 'minus';
export type OperatorName = ComparisonOperator | LogicalOperator | QuantifierOperator | DateOperator;

export interface OperatorDef {
  readonly name: OperatorName;
  readonly kind: 'comparison' | 'logical' | 'quantifier' | 'date';
  /** For negated comparisons: the positive operator they negate. */
  readonly negates?: ComparisonOperator;
  readonly description: string;
  /** What the operator gives when the property is null or missing. */
  readonly onNull?: string;
}

const positiveNull = 'false when the property is null (use -eq null to test for null)';
const negativeNull = 'true when the property is null';

export const OPERATORS: readonly OperatorDef[] = [
  { name: 'eq', kind: 'comparison', description: 'Equals (case-insensitive). `-eq null` tests for an empty value.', onNull: 'true only for `-eq null`; otherwise false' },
  { name: 'ne', kind: 'comparison', negates: 'eq', description: 'Not equals (case-insensitive). `-ne null` tests for a value.', onNull: 'true (a null value is not equal to any string); `-ne null` is false' },
  { name: 'startsWith', kind: 'comparison', description: 'The value starts with the string (case-insensitive).', onNull: positiveNull },
  { name: 'notStartsWith', kind: 'comparison', negates: 'startsWith', description: 'The value does not start with the string.', onNull: negativeNull },
  { name: 'endsWith', kind: 'comparison', description: 'The value ends with the string (case-insensitive).', onNull: positiveNull },
  { name: 'notEndsWith', kind: 'comparison', negates: 'endsWith', description: 'The value does not end with the string.', onNull: negativeNull },
  { name: 'contains', kind: 'comparison', description: 'The value contains the string as a substring (case-insensitive). On a collection it is still a substring test, not collection membership.', onNull: positiveNull },
  { name: 'notContains', kind: 'comparison', negates: 'contains', description: 'The value does not contain the string.', onNull: negativeNull },
  { name: 'match', kind: 'comparison', description: 'The value matches the regular expression anywhere (unanchored, case-insensitive, .NET flavour).', onNull: positiveNull },
  { name: 'notMatch', kind: 'comparison', negates: 'match', description: 'The value does not match the regular expression.', onNull: negativeNull },
  { name: 'in', kind: 'comparison', description: 'The value equals one of the array items (case-insensitive).', onNull: positiveNull },
  { name: 'notIn', kind: 'comparison', negates: 'in', description: 'The value equals none of the array items.', onNull: negativeNull },
  { name: 'ge', kind: 'comparison', description: 'Greater than or equal (inclusive); only for employeeHireDate.', onNull: positiveNull },
  { name: 'le', kind: 'comparison', description: 'Less than or equal (inclusive); only for employeeHireDate.', onNull: positiveNull },
  { name: 'and', kind: 'logical', description: 'Both sides must be true. Binds tighter than -or.' },
  { name: 'or', kind: 'logical', description: 'At least one side must be true. Lowest precedence.' },
  { name: 'not', kind: 'logical', description: 'Negates the expression that follows. Binds tighter than -and and -or, looser than comparisons.' },
  { name: 'any', kind: 'quantifier', description: 'True when at least one item of the collection satisfies the condition (false on an empty collection).' },
  { name: 'all', kind: 'quantifier', description: 'True when every item of the collection satisfies the condition (true on an empty collection).' },
  { name: 'plus', kind: 'date', description: 'Adds an ISO 8601 duration to system.now (for example system.now -plus P30D).' },
  { name: 'minus', kind: 'date', description: 'Subtracts an ISO 8601 duration from system.now (for example system.now -minus P1Y).' },
];

export const OPERATOR_BY_NAME: ReadonlyMap<string, OperatorDef> = new Map(OPERATORS.map((o) => [o.name.toLowerCase(), o]));

/** Spellings that look like operators but are not part of the language, with a suggestion. */
export const UNSUPPORTED_OPERATORS: Readonly<Record<string, { suggest?: ComparisonOperator; advice: string }>> = {
  gt: { suggest: 'ge', advice: '-gt does not exist; -ge is greater than or equal (inclusive).' },
  lt: { suggest: 'le', advice: '-lt does not exist; -le is less than or equal (inclusive).' },
  like: { suggest: 'match', advice: '-like does not exist; use -startsWith, -contains or -match.' },
  notlike: { suggest: 'notMatch', advice: '-notLike does not exist; use -notStartsWith, -notContains or -notMatch.' },
  ceq: { suggest: 'eq', advice: 'Case-sensitive operators do not exist; all comparisons ignore case.' },
  cne: { suggest: 'ne', advice: 'Case-sensitive operators do not exist; all comparisons ignore case.' },
  isnull: { suggest: 'eq', advice: '-isNull does not exist; use -eq null.' },
  between: { advice: '-between does not exist; combine -ge and -le.' },
  neq: { suggest: 'ne', advice: 'The not-equals operator is -ne.' },
  equals: { suggest: 'eq', advice: 'The equals operator is -eq.' },
  notequals: { suggest: 'ne', advice: 'The not-equals operator is -ne.' },
};

const STRING_OPS: readonly ComparisonOperator[] = ['eq', 'ne', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith', 'contains', 'notContains', 'match', 'notMatch', 'in', 'notIn'];

/** Comparison operators allowed (without any warning) for each property type (docs/semantics.md, Properties and types). */
export const OPERATORS_FOR_TYPE: Readonly<Record<PropertyType, readonly ComparisonOperator[]>> = {
  bool: ['eq', 'ne'],
  string: STRING_OPS,
  datetime: ['ge', 'le', 'eq'],
  stringCollection: STRING_OPS,
  assignedPlans: [],
  memberOf: [],
};

/** Comparison operators that work on the type but are undocumented for it (a warning). */
export const UNDOCUMENTED_OPERATORS_FOR_TYPE: Readonly<Partial<Record<PropertyType, readonly ComparisonOperator[]>>> = {
  datetime: ['ne', 'in', 'notIn', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith', 'contains', 'notContains', 'match', 'notMatch'],
};

/** Whether `-any`/`-all` apply to the type. */
export function quantifiable(type: PropertyType): boolean {
  return type === 'stringCollection' || type === 'assignedPlans' || type === 'memberOf';
}

/** The element object a quantifier predicate refers to, per collection type. */
export function elementObjectOf(type: PropertyType): 'underscore' | 'assignedPlan' | 'group' | undefined {
  switch (type) {
    case 'stringCollection': return 'underscore';
    case 'assignedPlans': return 'assignedPlan';
    case 'memberOf': return 'group';
    default: return undefined;
  }
}

/** Canonical spelling with the hyphen, e.g. `-notStartsWith`. */
export function canonicalOperator(name: OperatorName): string {
  return `-${name}`;
}

/**
 * When memberOf rules stopped updating: from this instant (3 November 2026, UTC) groups, dynamic
 * administrative units and auto-assignment policies with a memberOf rule keep their last known
 * members (groups-dynamic-rule-member-of, 2026-08; the README's "Semantics").
 */
export const MEMBER_OF_RETIRED_AT = Date.UTC(2026, 10, 3);

/** Whether memberOf rules have stopped updating at `now` (ms since the epoch; default: the clock). */
export function memberOfRetired(now?: number): boolean {
  return (now ?? Date.now()) >= MEMBER_OF_RETIRED_AT;
}

/** Limits the service enforces (docs/semantics.md, Limits). */
export const LIMITS = {
  ruleLength: 3072,
  memberOfGroups: 50,
} as const;

/** Each negated comparison operator and the positive one it negates (`negates` in {@link OPERATORS}). */
const NEGATED: ReadonlyMap<string, ComparisonOperator> = new Map(OPERATORS.flatMap((o) => (o.negates ? [[o.name, o.negates] as const] : [])));

/** The positive operator behind a negated one, e.g. `notIn` → `in`. */
export const positiveOf = (op: ComparisonOperator): ComparisonOperator => NEGATED.get(op) ?? op;
export const isNegated = (op: ComparisonOperator): boolean => NEGATED.has(op);
