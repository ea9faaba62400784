/**
 * Many generated dynamic user groups (`--dynamic-groups N`), for benchmarks of whole-tenant work
 * (audit, what-if): rules of the shapes real tenants hold (department and office, cost centre,
 * office and title, with the extra conditions admins add), drawn from the tenant's own values so
 * that they select people.
 *
 * Every rule starts with equalities on one key (department and city, cost centre, or city and job
 * title); a user is tested only against the groups of their own keys, so generating a million
 * users with thousands of groups costs a few dozen rule tests a user, not thousands. A rule that
 * does not hold for a user's keys cannot select them, so the members are exactly the rule's.
 *
 * Some groups drift, as in a real tenant: every 25th is paused, every 10th (from the 4th) misses
 * one selected member in 50 (processing lags), every 10th (from the 8th) keeps one candidate in
 * 100 that it does not select (stale members).
 */
import { compileRule, parseRule, T, U, type CompiledRule } from '../../grammar/src/index';
import { DEPARTMENTS, SITES } from './data';
import { Rng, WeightedTable } from './random';
import { IndexList } from './writer';

export interface BenchGroup {
  readonly index: number;
  readonly id: string;
  readonly displayName: string;
  readonly rule: string;
  readonly compiled: CompiledRule;
  readonly paused: boolean;
  readonly drift: 'missing' | 'extra' | undefined;
  readonly members: IndexList;
  /** Selected users counted, to decide which one a drifting group misses. */
  seen: number;
}

const key = (...parts: readonly unknown[]): string => parts.map((p) => String(p ?? '').toLowerCase()).join('\u0000');

/** The keys a user's groups are indexed by. */
function userKeys(u: Record<string, unknown>): string[] {
  const ext = u['onPremisesExtensionAttributes'] as Record<string, unknown> | null | undefined;
  return [key('dc', u['department'], u['city']), key('cc', ext?.['extensionAttribute1']), key('ct', u['city'], u['jobTitle'])];
}

export class BenchGroups {
  readonly groups: BenchGroup[] = [];
  private readonly byKey = new Map<string, BenchGroup[]>();

  constructor(seed: number, count: number, takenAtMs: number) {
    const departments = new WeightedTable(DEPARTMENTS, (d) => d.weight);
    const sites = new WeightedTable(SITES, (s) => s.weight);
    for (let k = 0; k < count; k++) {
      const rng = new Rng(seed, 'bench-group', k);
      const dept = departments.draw(rng);
      const site = sites.draw(rng);
      const title = rng.pickWeighted(dept.individual);
      const cc = `${dept.costCentre}${String(rng.between(0, 19)).padStart(2, '0')}`;
      let rule: string;
      let name: string;
      let anchor: string;
      switch (k % 8) {
        case 0: case 1:
          rule = `user.department -eq "${dept.name}" -and user.city -eq "${site.city}" -and user.accountEnabled -eq true`;
          name = `${dept.name} - ${site.city}`; anchor = key('dc', dept.name, site.city); break;
        case 2:
          rule = `user.department -eq "${dept.name}" -and user.city -eq "${site.city}" -and user.jobTitle -match "Manager|Director|Head"`;
          name = `${dept.name} leads - ${site.city}`; anchor = key('dc', dept.name, site.city); break;
        case 3:
          rule = `user.extensionAttribute1 -eq "${cc}" -and user.userType -eq "Member" -and user.accountEnabled -eq true`;
          name = `Cost centre ${cc}`; anchor = key('cc', cc); break;
        case 4:
          rule = `user.extensionAttribute1 -eq "${cc}" -and -not (user.extensionAttribute7 -eq "Contractor")`;
          name = `Cost centre ${cc} employees`; anchor = key('cc', cc); break;
        case 5:
          rule = `user.city -eq "${site.city}" -and user.jobTitle -eq "${title}" -and user.employeeHireDate -ge system.now -minus P365D`;
          name = `${title}s hired this year - ${site.city}`; anchor = key('ct', site.city, title); break;
        case 6:
          rule = `user.city -eq "${site.city}" -and user.jobTitle -eq "${title}" -and user.mail -contains "@contoso"`;
          name = `${title}s - ${site.city}`; anchor = key('ct', site.city, title); break;
        default:
          rule = `user.department -eq "${dept.name}" -and user.city -eq "${site.city}" -and user.usageLocation -in ["${site.usageLocation}"] -and user.otherMails -any (_ -endsWith "@contoso.com")`;
          name = `${dept.name} - ${site.city} (${site.usageLocation})`; anchor = key('dc', dept.name, site.city); break;
      }
      const result = compileRule(parseRule(rule), { now: takenAtMs });
      if (!result.ok) throw new Error(`bench group rule does not compile: ${rule}`);
      const g: BenchGroup = {
        index: k, id: rng.uuid(), displayName: `DYN ${String(k + 1).padStart(5, '0')} ${name}`, rule, compiled: result.rule,
        paused: k % 25 === 24, drift: k % 10 === 3 ? 'missing' : k % 10 === 7 ? 'extra' : undefined,
        members: new IndexList(), seen: 0,
      };
      this.groups.push(g);
      const list = this.byKey.get(anchor);
      if (list) list.push(g);
      else this.byKey.set(anchor, [g]);
    }
  }

  /** Tests user `i` against the groups of its keys and records it where it is a member. */
  add(i: number, u: Record<string, unknown>): void {
    for (const k of userKeys(u)) {
      for (const g of this.byKey.get(k) ?? []) {
        const r = g.compiled.test(u);
        if (r === U) throw new Error(`${g.displayName}: the rule is unknown for ${String(u['id'])}; the generated object lacks a field`);
        let member = r === T;
        if (member) member = !(g.drift === 'missing' && g.seen++ % 50 === 49);
        else if (g.drift === 'extra') member = g.seen++ % 100 === 99;
        if (member) g.members.push(i);
      }
    }
  }
}
