/**
 * Synthetic users in the Microsoft Graph v1.0 shape. Each user is drawn from its own PRNG stream
 * (seed, "user", index); the only state carried from one user to the next is small and bounded:
 * the most recent managers of each department (for the reporting hierarchy) and a counter per
 * name (for unique sign-in names). That keeps a million-user run in constant memory.
 *
 * Licenses, `memberOf` and `imAddresses` are filled in later by the generator, once group
 * membership is known.
 */
import {
  CONTRACTOR_COMPANIES, DEPARTMENTS, EXECUTIVE, FIRST_NAMES, GUEST_DOMAINS, LAST_NAMES, LEVEL, PERSONAL_MAIL_DOMAINS, SITES, TENANT,
  type Department, type Level, type Site,
} from './data';
import { Rng, WeightedTable, formatUuid } from './random';

/** A user object as it is written, in Graph field order. */
export type GraphUser = Record<string, unknown>;

/** What the generator needs to know about a user besides its Graph fields. */
export interface UserDraft {
  readonly index: number;
  readonly id: string;
  readonly user: GraphUser;
  readonly rng: Rng;
  readonly guest: boolean;
  readonly level: Level | undefined;
  readonly department: string | null;
  /** Hire date in ms, or undefined when unknown. */
  readonly hiredMs: number | undefined;
  /** The keys of the static groups the user is a member of. */
  readonly staticGroups: readonly StaticUserGroup[];
}

export type StaticUserGroup = 'executives' | 'remoteWorkers' | 'securityChampions';

const DAY = 86_400_000;
const TAKEN_AT_MS = Date.parse(TENANT.takenAt);
const HQ = SITES[0]!;
const MANAGER_WINDOW = 16;

const siteTable = new WeightedTable(SITES, (s) => s.weight);
const departmentTable = new WeightedTable(DEPARTMENTS, (d) => d.weight);
const guestDomainTable = new WeightedTable(GUEST_DOMAINS, (d) => d.weight);

/** The object id of user `index`, from its own stream: independent of every other draw. */
export function userId(seed: number, index: number): string {
  return new Rng(seed, 'user-id', index).uuid();
}

/**
 * User ids by index, 16 bytes each (16 MB for a million users), so that managers' and group
 * members' ids are formatted from a table instead of re-derived.
 */
export class UserIds {
  private words = new Uint32Array(4 * 1024);
  private count = 0;
  constructor(private readonly seed: number) {}

  /** The id of the next user in order, remembered. */
  next(): string {
    const w = new Rng(this.seed, 'user-id', this.count).uuidWords();
    if (4 * this.count === this.words.length) {
      const grown = new Uint32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    this.words.set(w, 4 * this.count);
    this.count++;
    return formatUuid(w);
  }

  /** The id of a user already issued. */
  get(index: number): string {
    if (index >= this.count) throw new Error(`user ${index} has no id yet`);
    return formatUuid(this.words.subarray(4 * index, 4 * index + 4));
  }
}

const asciiCache = new Map<string, string>();

/** ASCII form of a name for addresses: no diacritics, spaces or apostrophes. */
export function asciiName(s: string): string {
  let a = asciiCache.get(s);
  if (a === undefined) asciiCache.set(s, (a = toAscii(s)));
  return a;
}

function toAscii(s: string): string {
  return s
    .replace(/ß/g, 'ss').replace(/[Ææ]/g, 'ae').replace(/[Øø]/g, 'o').replace(/[Łł]/g, 'l')
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9-]/g, '');
}

export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + 'Z';
const isoDay = (ms: number): string => new Date(Math.floor(ms / DAY) * DAY).toISOString().slice(0, 10) + 'T00:00:00Z';

/** The 15 on-premises extension attributes, all present, null unless set. */
const EXTENSION_KEYS = Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`);
export function extensionAttributes(set: Record<number, string> = {}): Record<string, string | null> {
  const o: Record<string, string | null> = {};
  for (let i = 1; i <= 15; i++) o[EXTENSION_KEYS[i - 1]!] = set[i] ?? null;
  return o;
}

interface DepartmentPools {
  head: number | undefined;
  /** How many report to the head directly. */
  headReports: number;
  directors: number[];
  managers: number[];
}

/** A head of department takes this many direct reports before directors report to directors. */
const HEAD_SPAN = 8;

const push = (list: number[], i: number): void => {
  list.push(i);
  if (list.length > MANAGER_WINDOW) list.shift();
};

export class UserFactory {
  private readonly pools: DepartmentPools[] = DEPARTMENTS.map(() => ({ head: undefined, headReports: 0, directors: [], managers: [] }));
  private readonly nameCounts = new Map<string, number>();
  private madeCount = 0;
  /** Domain SID of the on-premises forest; RIDs follow from the user index. */
  private readonly domainSid: string;

  /** Ids of the users made so far. */
  readonly ids: UserIds;

  constructor(private readonly seed: number) {
    this.ids = new UserIds(seed);
    const r = new Rng(seed, 'forest');
    this.domainSid = `S-1-5-21-${r.between(1_000_000_000, 4_000_000_000)}-${r.between(1_000_000_000, 4_000_000_000)}-${r.between(100_000_000, 999_999_999)}`;
  }

  /** The index of the head of a department (they come right after the CEO). */
  static headIndex(department: string): number {
    return 1 + DEPARTMENTS.findIndex((d) => d.name === department);
  }

  /** Makes the users in order: 0, 1, 2… */
  make(index: number): UserDraft {
    const rng = new Rng(this.seed, 'user', index);
    const id = this.ids.next();
    if (index !== this.madeCount) throw new Error('users must be made in order');
    this.madeCount++;
    if (index > 3 * DEPARTMENTS.length + 1 && rng.chance(0.08)) return this.guest(index, id, rng);
    return this.member(index, id, rng);
  }

  /**
   * Picks a line manager among the recent leaders one level up, which keeps spans of control
   * around eight to ten at any tenant size: directors report to the head until the head has
   * {@link HEAD_SPAN} direct reports and to other directors after that.
   */
  private lineManager(pool: DepartmentPools, level: Level, rng: Rng): number {
    let m: number | undefined;
    if (level === LEVEL.director) {
      if (pool.headReports >= HEAD_SPAN && pool.directors.length > 0) m = rng.pick(pool.directors);
    } else if (level === LEVEL.manager) {
      if (pool.directors.length > 0) m = rng.pick(pool.directors);
    } else if (pool.managers.length > 0 && rng.chance(0.85)) {
      m = rng.pick(pool.managers);
    } else if (pool.directors.length > 0) {
      m = rng.pick(pool.directors);
    }
    if (m !== undefined) return m;
    pool.headReports++;
    return pool.head ?? 0;
  }

  /** A unique local part for a name within a mail domain: `base`, then `base2`, `base3`… */
  private unique(base: string, domain: string = TENANT.domain): string {
    const key = `${base.toLowerCase()}@${domain}`;
    const n = (this.nameCounts.get(key) ?? 0) + 1;
    this.nameCounts.set(key, n);
    return n === 1 ? base : `${base}${n}`;
  }

  private member(index: number, id: string, rng: Rng): UserDraft {
    const H = DEPARTMENTS.length;
    let level: Level;
    let dept: Department | undefined;
    let title: string | null;
    let managerIndex: number | null;
    if (index === 0) {
      level = LEVEL.ceo; title = 'Chief Executive Officer'; managerIndex = null;
    } else if (index <= H) {
      level = LEVEL.head; dept = DEPARTMENTS[index - 1]!; title = dept.head; managerIndex = 0;
      this.pools[index - 1]!.head = index;
    } else if (index === H + 1) {
      level = LEVEL.individual; title = 'Executive Assistant'; managerIndex = 0;
    } else {
      // Right after the heads come one director and one manager per department, so that the
      // first people hired into a department have a line manager.
      const k = index - H - 2;
      const seeded = k < 2 * H;
      dept = seeded ? DEPARTMENTS[k % H]! : departmentTable.draw(rng);
      const r = rng.next();
      level = seeded ? (k < H ? LEVEL.director : LEVEL.manager) : r < 0.03 ? LEVEL.director : r < 0.12 ? LEVEL.manager : LEVEL.individual;
      const pool = this.pools[DEPARTMENTS.indexOf(dept)]!;
      if (level === LEVEL.director) title = rng.pick(dept.director);
      else if (level === LEVEL.manager) title = rng.pick(dept.manager);
      else title = rng.pickWeighted(dept.individual);
      managerIndex = this.lineManager(pool, level, rng);
    }
    const deptName = index === 0 || index === H + 1 ? EXECUTIVE : dept!.name;
    const leader = level <= LEVEL.head;

    const site: Site = leader ? HQ : siteTable.draw(rng);
    const pool = site.pool;
    const given = rng.pick(FIRST_NAMES[pool]);
    const sur = rng.pick(LAST_NAMES[pool]);
    const displayName = `${given} ${sur}`;
    const nick = this.unique(`${asciiName(given)}.${asciiName(sur)}`);
    const nickLower = nick.toLowerCase();

    const enabled = leader || !rng.chance(0.05);
    const contractor = level === LEVEL.individual && index > H + 1 && rng.chance(0.06);
    const synced = leader || (contractor ? rng.chance(0.4) : rng.chance(0.75));
    const legacyNullType = !leader && rng.chance(0.01);
    const litware = !contractor && !leader && rng.chance(0.07);
    const hasMail = leader || !rng.chance(0.02);

    // Hire date: recent hires are the most common; some HR records have none.
    let hiredMs: number | undefined;
    if (!contractor && (leader || !rng.chance(0.08))) {
      const days = leader ? rng.between(1500, 7000) : Math.min(7300, Math.floor(-Math.log(1 - rng.next()) * 1400));
      hiredMs = TAKEN_AT_MS - (days + 1) * DAY;
    }

    const department = level <= LEVEL.manager || !rng.chance(0.02) ? deptName : null;
    if (!leader && level === LEVEL.individual && rng.chance(0.01)) title = null;
    const companyName = contractor ? rng.pick(CONTRACTOR_COMPANIES) : litware ? TENANT.acquiredCompany : rng.chance(0.03) ? null : TENANT.companyName;
    const usageLocation = leader || !rng.chance(0.04) ? site.usageLocation : null;
    const located = leader || !rng.chance(0.03);

    const mail = hasMail ? `${nick.replace(/^./, (c) => c.toUpperCase())}@${TENANT.domain}` : null;
    const proxyAddresses: string[] = [];
    if (mail) {
      proxyAddresses.push(`SMTP:${mail}`, `smtp:${nickLower}@${TENANT.initialDomain}`);
      if (litware) proxyAddresses.push(`smtp:${nickLower}@${TENANT.acquiredDomain}`);
    }
    const otherMails = rng.chance(0.2) ? [`${nickLower.replace('.', '')}${rng.between(1, 99)}@${rng.pick(PERSONAL_MAIL_DOMAINS)}`] : [];

    const costCentre = dept ? `${dept.costCentre}${String(rng.between(0, 19)).padStart(2, '0')}` : 'CC-1000';
    const ext: Record<number, string> = {};
    if (synced ? rng.chance(0.9) : rng.chance(0.2)) ext[1] = costCentre;
    if (synced && rng.chance(0.5)) ext[2] = site.code;
    if (contractor) ext[7] = 'Contractor';
    if (leader) ext[11] = 'VIP';

    const retail = deptName === 'Retail Operations';
    const officeLocation = !located ? null
      : retail && level >= LEVEL.manager ? `Store ${site.code}-${String(rng.between(1, 60)).padStart(3, '0')}`
      : `${site.code}-${rng.between(1, 6)}/${rng.between(1, 9)}${String(rng.between(1, 60)).padStart(2, '0')}`;
    const passwordPolicies = synced ? 'DisablePasswordExpiration'
      : rng.chance(0.8) ? 'None' : rng.chance(0.75) ? null : 'DisablePasswordExpiration, DisableStrongPassword';
    const ouPath = `OU=${department ? asciiName(department) || 'Users' : 'Users'},OU=${asciiName(site.city)},OU=Contoso,${TENANT.adDomain}`;

    const staticGroups: StaticUserGroup[] = [];
    if (leader) staticGroups.push('executives');
    if (enabled && !leader && rng.chance(0.1)) staticGroups.push('remoteWorkers');
    if (rng.chance(deptName === 'IT' || deptName === 'Engineering' ? 0.1 : 0.02)) staticGroups.push('securityChampions');

    const user: GraphUser = {
      id,
      accountEnabled: enabled,
      onPremisesSyncEnabled: synced ? true : null,
      employeeHireDate: hiredMs === undefined ? null : isoDay(hiredMs),
      city: located ? site.city : null,
      country: located ? site.country : null,
      companyName,
      department,
      displayName,
      employeeId: contractor || rng.chance(0.03) ? null : String(100000 + index),
      faxNumber: rng.chance(0.03) ? `${site.phone}${rng.between(1000, 9999)}` : null,
      givenName: given,
      jobTitle: title,
      mail,
      mailNickname: nick,
      mobilePhone: rng.chance(0.6) ? `${site.mobile}${rng.between(1000, 9999)}` : null,
      onPremisesDistinguishedName: synced ? `CN=${displayName.replace(/([,+"\\<>;=#])/g, '\\$1')},${ouPath}` : null,
      onPremisesSecurityIdentifier: synced ? `${this.domainSid}-${1100 + index}` : null,
      passwordPolicies,
      officeLocation,
      postalCode: located ? site.postalCode : null,
      preferredLanguage: rng.chance(0.9) ? site.language : null,
      imAddresses: [],
      state: located ? site.state : null,
      streetAddress: located ? site.streetAddress : null,
      surname: sur,
      businessPhones: rng.chance(0.85) ? [`${site.phone}${rng.between(1000, 9999)}`] : [],
      usageLocation,
      userPrincipalName: `${nickLower}@${TENANT.domain}`,
      userType: legacyNullType ? null : 'Member',
      otherMails,
      proxyAddresses,
      onPremisesExtensionAttributes: extensionAttributes(ext),
      manager: managerIndex === null ? null : { id: this.ids.get(managerIndex) },
    };

    if (dept && enabled) {
      const p = this.pools[DEPARTMENTS.indexOf(dept)]!;
      if (level === LEVEL.director) push(p.directors, index);
      else if (level === LEVEL.manager) push(p.managers, index);
    }
    return { index, id, user, rng, guest: false, level, department, hiredMs, staticGroups };
  }

  private guest(index: number, id: string, rng: Rng): UserDraft {
    const org = guestDomainTable.draw(rng);
    const given = rng.pick(FIRST_NAMES.en);
    const sur = rng.pick(LAST_NAMES.en);
    const local = this.unique(`${asciiName(given).toLowerCase()}.${asciiName(sur).toLowerCase()}`, org.domain);
    const external = `${local}@${org.domain}`;
    const nick = `${external.replace('@', '_')}#EXT#`;
    const named = rng.chance(0.6);
    const usage = rng.chance(0.2) ? rng.pick(['US', 'GB', 'DE', 'CA']) : null;
    const staticGroups: StaticUserGroup[] = [];
    const user: GraphUser = {
      id,
      accountEnabled: !rng.chance(0.05),
      onPremisesSyncEnabled: null,
      employeeHireDate: null,
      city: null,
      country: null,
      companyName: org.company !== null && rng.chance(0.5) ? org.company : null,
      department: null,
      displayName: org.company ? `${given} ${sur} (${org.company.replace(/,? Inc\.$/, '')})` : `${given} ${sur}`,
      employeeId: null,
      faxNumber: null,
      givenName: named ? given : null,
      jobTitle: named && rng.chance(0.3) ? rng.pick(['Consultant', 'Project Manager', 'Partner Manager', 'Engineer']) : null,
      mail: external,
      mailNickname: nick,
      mobilePhone: null,
      onPremisesDistinguishedName: null,
      onPremisesSecurityIdentifier: null,
      passwordPolicies: null,
      officeLocation: null,
      postalCode: null,
      preferredLanguage: null,
      imAddresses: [],
      state: null,
      streetAddress: null,
      surname: named ? sur : null,
      businessPhones: [],
      usageLocation: usage,
      userPrincipalName: `${nick}@${TENANT.initialDomain}`,
      userType: 'Guest',
      otherMails: [external],
      proxyAddresses: [`SMTP:${external}`],
      onPremisesExtensionAttributes: extensionAttributes(),
      manager: null,
    };
    return { index, id, user, rng, guest: true, level: undefined, department: null, hiredMs: undefined, staticGroups };
  }
}
