/**
 * The fixed rules `npm run bench` evaluates: one per kind of work the engine does, written as an
 * admin would (the values exist in the generated tenant), and a 3,072-character rule for the
 * parse + check target.
 */

export interface BenchRule {
  readonly key: string;
  readonly title: string;
  readonly text: string;
  /** Counts toward "a typical rule" (the < 100 ms target); every rule has the < 250 ms target. */
  readonly typical: boolean;
}

export const BENCH_RULES: readonly BenchRule[] = [
  { key: 'eq', title: 'simple equality', typical: true, text: 'user.department -eq "Sales"' },
  { key: 'in', title: '-in list', typical: true, text: 'user.usageLocation -in ["US", "CA", "MX", "GB", "IE"]' },
  { key: 'startsWith', title: '-startsWith', typical: true, text: 'user.displayName -startsWith "Ma"' },
  { key: 'match', title: '-match', typical: true, text: 'user.jobTitle -match "Manager|Director|Chief"' },
  {
    key: 'plans', title: '-any over assignedPlans', typical: true,
    text: 'user.assignedPlans -any (assignedPlan.servicePlanId -eq "efb87545-963c-4e0d-99df-69c6916d9eb0" -and assignedPlan.capabilityStatus -eq "Enabled")',
  },
  { key: 'proxy', title: '-any (_ ...) over proxyAddresses', typical: true, text: 'user.proxyAddresses -any (_ -endsWith "@litwareinc.com")' },
  {
    key: 'mix', title: 'deep -and/-or mix', typical: true,
    text: '(user.department -in ["Engineering", "IT"] -and user.jobTitle -match "Architect|Principal") -or (user.userType -eq "Guest" -and user.mail -endsWith "@fabrikam.com") -or (user.department -eq "Customer Support" -and (user.usageLocation -eq "US" -or user.usageLocation -eq "CA") -and user.accountEnabled -eq true)',
  },
  { key: 'not', title: '-not', typical: true, text: '-not (user.dirSyncEnabled -eq true) -and user.userType -eq "Member" -and -not (user.department -in ["Sales", "Marketing"])' },
  { key: 'dates', title: 'dates with system.now', typical: true, text: 'user.employeeHireDate -ge system.now -minus P90D -and user.userType -eq "Member"' },
];

/** The rule of the whole-preview and code-lens rows: widening the E3 group, with its licences. */
export const PREVIEW_RULE = `# Microsoft 365 E3 for every enabled member, Retail Operations included.
# @group "LIC - Microsoft 365 E3"
user.userType -eq "Member" -and user.accountEnabled -eq true -and user.extensionAttribute7 -ne "Contractor" -and user.jobTitle -notMatch "^(Chief|Vice President|General Counsel)"
`;

const DEPARTMENTS = ['Engineering', 'Sales', 'Retail Operations', 'Customer Support', 'Marketing', 'Finance', 'IT', 'Human Resources', 'Product Management', 'Legal'];
const COUNTRIES = ['US', 'GB', 'DE', 'CA', 'IN', 'FR', 'AU', 'CH', 'BR', 'JP', 'NL'];

/**
 * A realistic rule of exactly 3,072 characters (the service's limit): regional and departmental
 * conditions, plans, addresses and dates, joined as a long rule grows in practice.
 */
export function longRule(): string {
  const parts: string[] = [];
  let i = 0;
  const clause = (k: number): string => {
    const d = DEPARTMENTS[k % DEPARTMENTS.length]!;
    const c = COUNTRIES[k % COUNTRIES.length]!;
    switch (k % 4) {
      case 0: return `(user.department -eq "${d}" -and user.usageLocation -in ["${c}", "${COUNTRIES[(k + 3) % COUNTRIES.length]}"] -and user.accountEnabled -eq true)`;
      case 1: return `(user.jobTitle -startsWith "Senior ${d}" -and user.extensionAttribute${(k % 15) + 1} -ne "Contractor")`;
      case 2: return `(user.proxyAddresses -any (_ -endsWith "@${d.toLowerCase().replace(/ /g, '')}.contoso.com") -and user.city -ne "Branch ${k}")`;
      default: return `(user.employeeHireDate -ge system.now -minus P${30 + k}D -and user.companyName -eq "Contoso ${d}")`;
    }
  };
  let rule = '';
  for (;;) {
    const next = rule ? `${rule} -or ${clause(i)}` : clause(i);
    if (next.length > 3072) break;
    rule = next;
    parts.push(clause(i));
    i++;
  }
  // Pad the last string value to land exactly on the limit.
  const missing = 3072 - rule.length;
  const at = rule.lastIndexOf('"');
  return rule.slice(0, at) + 'x'.repeat(missing) + rule.slice(at);
}
