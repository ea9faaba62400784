/**
 * Random users, devices and rules for the columnar engine's equivalence tests: every operator and
 * property type, and the data that makes three-valued logic interesting — null, missing keys,
 * empty collections, values of the wrong type, non-ASCII and case-folding oddities (the Kelvin
 * sign lower-cases to ASCII "k"), lone surrogates, .NET-only patterns.
 */
import fc from 'fast-check';

export const EXT = 'extension_0123456789abcdef0123456789abcdef_costCentre';
export const GROUPS = ['11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222', '33333333-3333-3333-3333-333333333333'];
export const MANAGERS = ['aaaaaaaa-0000-0000-0000-000000000001', 'AAAAAAAA-0000-0000-0000-000000000002'];
export const PLANS = ['efb87545-963c-4e0d-99df-69c6916d9eb0', '4a82b400-a79f-41a4-b4e2-e94f5787b113', 'EFB87545-963C-4E0D-99DF-69C6916D9EB0'];

const WORDS = ['Sales', 'sales', 'SALES', 'Sales Ops', 'Presales', 'Marketing', '', ' ', 'ü', 'Ünïcode', '\u212A', 'k', 'K', 'İstanbul', 'null', 'true', '42', 'a\\b', 'x"y', 'smtp:a@contoso.com', 'SMTP:B@Contoso.com', 'sip:c@contoso.com', '\ud800', 'Zoë 😀'];

/** A scalar field value: a word, null, a boolean, a number, or (rarely) an array or object. */
const scalar = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 4, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom(0, 42, -1.5) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(['Sales'], [], { value: 'Sales' }) },
);

const item = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(7, true, { x: 1 }) },
);
const collection = fc.oneof(
  { weight: 10, arbitrary: fc.array(item, { maxLength: 4 }) },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('smtp:a@contoso.com', 5) },
);

const plan = fc.oneof(
  { weight: 10, arbitrary: fc.record({
    servicePlanId: fc.oneof(fc.constantFrom(...PLANS), fc.constant(null)),
    service: fc.constantFrom('exchange', 'SharePoint', 'MicrosoftOffice', null),
    capabilityStatus: fc.constantFrom('Enabled', 'Suspended', 'Deleted', 'enabled', null),
    assignedDateTime: fc.constant('2024-01-01T00:00:00Z'),
  }, { requiredKeys: [], noNullPrototype: true }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 'efb87545-963c-4e0d-99df-69c6916d9eb0', { id: GROUPS[0] }) },
);

const hireDate = fc.oneof(
  fc.constantFrom('2024-01-15T00:00:00Z', '2025-05-20', '2025-05-31T23:00:00', 'not a date', '2019-02-29', null),
);

export interface Options { readonly ids?: boolean }

/** A user in Graph shape; any key may be absent. */
export function userArb(): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    displayName: scalar,
    department: scalar,
    city: scalar,
    jobTitle: scalar,
    mail: scalar,
    userType: fc.constantFrom('Member', 'Guest', 'guest', null),
    userPrincipalName: fc.constantFrom('a@contoso.com', 'B@CONTOSO.COM', 'c@fabrikam.com', 'Zoë@contoso.com', null),
    accountEnabled: fc.oneof(fc.boolean(), fc.constant(null), fc.constant('true')),
    onPremisesSyncEnabled: fc.oneof(fc.boolean(), fc.constant(null)),
    employeeHireDate: hireDate,
    businessPhones: collection,
    imAddresses: collection,
    proxyAddresses: collection,
    otherMails: collection,
    onPremisesExtensionAttributes: fc.oneof(
      fc.record({ extensionAttribute1: scalar, extensionAttribute2: scalar }, { requiredKeys: [], noNullPrototype: true }),
      fc.constant(null),
      fc.constant('x'),
    ),
    [EXT]: scalar,
    assignedPlans: fc.oneof({ weight: 8, arbitrary: fc.array(plan, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.constant(null) }),
    memberOf: fc.oneof(
      { weight: 8, arbitrary: fc.array(fc.oneof(fc.constantFrom(...GROUPS, GROUPS[0]!.toUpperCase()), fc.constant<unknown>({ id: GROUPS[1] })), { maxLength: 3 }) },
      { weight: 1, arbitrary: fc.constant(null) },
    ),
    manager: fc.oneof(fc.constantFrom<unknown>(null, { id: MANAGERS[0] }, { id: MANAGERS[1] }, MANAGERS[0], { id: 5 }, {})),
  }, { requiredKeys: [], noNullPrototype: true });
}

/**
 * Users with distinct ids (the id is what a snapshot keys objects by). Sometimes the first ones
 * are the managers Direct Reports rules name (in either case), who belong to their own group.
 */
export function usersArb(max = 40): fc.Arbitrary<Record<string, unknown>[]> {
  const managerIds = [MANAGERS[0]!, MANAGERS[1]!.toLowerCase()];
  return fc.tuple(fc.array(userArb(), { minLength: 1, maxLength: max }), fc.integer({ min: 0, max: 2 })).map(([list, managers]) =>
    list.map((u, i) => ({ id: i < managers ? managerIds[i]! : `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`, ...u })));
}

const str = (s: string): string => `"${s.replace(/"/g, '`"')}"`;
const value = fc.constantFrom('Sales', 'sales', 'sa', '', 'ü', 'k', '\u212A', 'İ', 'smtp:', '@contoso.com', 'null', 'true', '42');
const stringProp = fc.constantFrom('department', 'city', 'displayName', 'jobTitle', 'mail', 'userType', 'userPrincipalName',
  'telephoneNumber', 'sipProxyAddress', 'extensionAttribute1', 'extensionAttribute2', 'extensionAttribute3', EXT, 'objectId');
const stringOp = fc.constantFrom('-eq', '-ne', '-startsWith', '-notStartsWith', '-endsWith', '-notEndsWith', '-contains', '-notContains');
const pattern = fc.constantFrom('^Sa', 'les$', 's.*s', '(?>a)', '\\p{IsGreek}', '^$', 'k', '[a-z]+@contoso\\.com');

const stringComparison = fc.oneof(
  fc.tuple(stringProp, stringOp, value).map(([p, o, v]) => `user.${p} ${o} ${str(v)}`),
  fc.tuple(stringProp, fc.constantFrom('-match', '-notMatch'), pattern).map(([p, o, v]) => `user.${p} ${o} ${str(v)}`),
  fc.tuple(stringProp, fc.constantFrom('-in', '-notIn'), fc.array(value, { minLength: 1, maxLength: 3 })).map(([p, o, vs]) => `user.${p} ${o} [${vs.map(str).join(', ')}]`),
  fc.tuple(stringProp, fc.constantFrom('-eq', '-ne')).map(([p, o]) => `user.${p} ${o} null`),
);
const other = fc.oneof(
  fc.tuple(fc.constantFrom('accountEnabled', 'dirSyncEnabled'), fc.constantFrom('-eq', '-ne'), fc.constantFrom('true', 'false', 'null')).map(([p, o, v]) => `user.${p} ${o} ${v}`),
  fc.tuple(fc.constantFrom('-ge', '-le'), fc.constantFrom('system.now -minus P30D', 'system.now -plus P1Y', '2025-01-01', '"2025-05-20"')).map(([o, v]) => `user.employeeHireDate ${o} ${v}`),
  fc.tuple(fc.constantFrom('proxyAddresses', 'otherMails'), stringOp, value).map(([p, o, v]) => `user.${p} ${o} ${str(v)}`),
  fc.tuple(fc.constantFrom('proxyAddresses', 'otherMails'), fc.constantFrom('-eq', '-ne')).map(([p, o]) => `user.${p} ${o} null`),
  fc.tuple(fc.constantFrom('proxyAddresses', 'otherMails'), fc.constantFrom('-match', '-notMatch'), pattern).map(([p, o, v]) => `user.${p} ${o} ${str(v)}`),
);
const underscore = fc.oneof(
  fc.tuple(stringOp, value).map(([o, v]) => `_ ${o} ${str(v)}`),
  fc.tuple(fc.constantFrom('-match', '-notMatch'), pattern).map(([o, v]) => `_ ${o} ${str(v)}`),
  fc.constantFrom('_ -eq null', '_ -ne null'),
);
const quantified = fc.oneof(
  fc.tuple(fc.constantFrom('proxyAddresses', 'otherMails'), fc.constantFrom('-any', '-all'), underscore, fc.option(underscore), fc.boolean())
    .map(([p, q, a, b, neg]) => `user.${p} ${q} (${neg ? '-not ' : ''}${a}${b ? ` -or ${b}` : ''})`),
  fc.tuple(fc.constantFrom('-any', '-all'), fc.constantFrom(...PLANS), fc.constantFrom('Enabled', 'Suspended'), fc.constantFrom('-and', '-or'))
    .map(([q, id, st, conj]) => `user.assignedPlans ${q} (assignedPlan.servicePlanId -eq "${id}" ${conj} assignedPlan.capabilityStatus -eq "${st}")`),
  fc.tuple(fc.constantFrom('-any', '-all'), fc.constantFrom('exchange', 'share', 'Office'))
    .map(([q, s]) => `user.assignedPlans ${q} (assignedPlan.service -startsWith "${s}")`),
);
const leaf = fc.oneof({ weight: 5, arbitrary: stringComparison }, { weight: 3, arbitrary: other }, { weight: 3, arbitrary: quantified });

/** A rule: comparisons and quantifiers joined by -and, -or and -not, or a rule that must stand alone. */
export const ruleArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(tie('e'), fc.constantFrom('-and', '-or'), tie('e')).map(([a, o, b]) => `(${a}) ${o} (${b})`),
      tie('e').map((a) => `-not (${a})`),
    ),
  })).e },
  { weight: 1, arbitrary: fc.constantFrom(...MANAGERS, MANAGERS[1]!.toLowerCase()).map((m) => `Direct Reports for "${m}"`) },
  { weight: 1, arbitrary: fc.subarray(GROUPS, { minLength: 1 }).map((gs) => `user.memberOf -any (group.objectId -in [${gs.map(str).join(', ')}])`) },
);
