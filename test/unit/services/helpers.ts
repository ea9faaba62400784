/**
 * Helpers for the editor-service tests: a `|` marker for the cursor, applying a completion item
 * the way an editor does (replace span + insert text, snippet placeholders resolved), and a fake
 * tenant.
 */
import type { CompletionItem, RuleObject, TenantData } from '../../../grammar/src/index';

/** Splits `user.dep|` into the text and the cursor offset. */
export function marked(input: string): { text: string; offset: number } {
  const offset = input.indexOf('|');
  if (offset < 0) throw new Error(`no | marker in ${input}`);
  return { text: input.slice(0, offset) + input.slice(offset + 1), offset };
}

/** A snippet as the editor leaves it when every placeholder keeps its default. */
export function snippetText(s: string): string {
  return s.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\}|\$\d+/g, '').replace(/\\([$}\\])/g, '$1');
}

export function applyItem(text: string, item: CompletionItem): string {
  const insert = item.snippet ? snippetText(item.insertText) : item.insertText;
  return text.slice(0, item.replace.start) + insert + text.slice(item.replace.end);
}

export const EXCHANGE_PLAN = 'efb87545-963c-4e0d-99df-69c6916d9eb0';
export const AAD_P1_PLAN = '41781fb2-bc02-4b7c-bd55-b576c07bb09d';
export const SPE_E3_SKU = '05e9a617-0261-4cee-bb44-138d3ef5d965';
export const ALPHA = 'c0a70500-0000-4000-8000-000000000201';
export const BETA = 'c0a70500-0000-4000-8000-000000000202';
export const MEGAN = 'c0a70500-0000-4000-8000-000000000101';
export const UNKNOWN_GUID = '12345678-aaaa-bbbb-cccc-1234567890ab';

const VALUES: Record<string, { value: string; count: number }[]> = {
  'user.department': [{ value: 'Sales', count: 42 }, { value: 'Marketing', count: 17 }, { value: 'Engineering', count: 9 }, { value: "Women's Health", count: 2 }],
  'user.companyName': [{ value: 'Contoso "Labs" Ltd', count: 4 }],
  'user.userType': [{ value: 'Member', count: 300 }, { value: 'Guest', count: 20 }],
  'device.devicePhysicalIds': [{ value: '[ZTDId]:1234', count: 3 }],
  'device.deviceOSType': [{ value: 'Windows', count: 120 }, { value: 'IPhone', count: 30 }],
};

const GROUPS = [
  { id: ALPHA, displayName: 'Project Alpha', memberCount: 12, description: 'The Alpha project team' },
  { id: BETA, displayName: 'Project Beta', memberCount: 7 },
];
const USERS = [{ id: MEGAN, displayName: 'Megan Bowen', userPrincipalName: 'meganb@contoso.com' }];

/** A small tenant: three departments, two groups, one manager, Microsoft 365 E3's plans. */
export const TENANT: TenantData = {
  valuesOf: (object: RuleObject, property: string) => VALUES[`${object}.${property}`] ?? [],
  groups: () => GROUPS,
  managers: () => [{ ...USERS[0]!, reports: 5 }],
  user: (id) => USERS.find((u) => u.id === id.toLowerCase()),
  group: (id) => GROUPS.find((g) => g.id === id.toLowerCase()),
  tenantServicePlans: () => [
    { id: EXCHANGE_PLAN, name: 'EXCHANGE_S_ENTERPRISE', sku: 'SPE_E3' },
    { id: AAD_P1_PLAN, name: 'AAD_PREMIUM', sku: 'SPE_E3' },
    { id: EXCHANGE_PLAN, name: 'EXCHANGE_S_ENTERPRISE', sku: 'ENTERPRISEPACK' },
  ],
};

/** A tenant whose every callback throws: services must carry on as if it knew nothing. */
export const BROKEN_TENANT: TenantData = {
  valuesOf: () => { throw new Error('boom'); },
  groups: () => { throw new Error('boom'); },
  managers: () => { throw new Error('boom'); },
  user: () => { throw new Error('boom'); },
  group: () => { throw new Error('boom'); },
  tenantServicePlans: () => { throw new Error('boom'); },
};
