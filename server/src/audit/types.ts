/**
 * The shapes of `dynrule pull` and `dynrule audit` (README, "The whole tenant"): the audit report
 * as `--format json` prints it, and what a pull did. The editor's Dynamic Groups view reads the
 * same objects, so fields are only ever added.
 */

import type { Snapshot } from '../tenant/snapshot';
import type { Position } from '../text';

export type Severity = 'error' | 'warning' | 'info';

/** Character offsets into a group's rule text as the tenant holds it (comments excluded). */
export interface RuleRange {
  readonly start: number;
  readonly end: number;
}

export interface AuditFinding {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** Where in the group's rule the finding is; absent for findings about the group or the tenant. */
  readonly range?: RuleRange;
  /** Object ids the finding is about (groups for a tenant finding, users for a licensing one), when any. */
  readonly ids?: readonly string[];
}

export type AuditKind = 'group' | 'administrativeUnit';

export interface AuditGroup {
  readonly id: string;
  readonly displayName: string;
  readonly kind: AuditKind;
  /** What the rule selects; a rule whose object cannot be told (no rule, or unreadable) counts as user. */
  readonly type: 'user' | 'device';
  /** membershipRuleProcessingState as the tenant reports it (On, Paused, …), or null when absent. */
  readonly processingState: string | null;
  /** Current members in the snapshot, or null when the snapshot does not list them. */
  readonly members: number | null;
  /** Users or devices the rule selects now. */
  readonly ruleMembers: number;
  /** Selected by the rule but not a member (unknown evaluations excluded); empty when members are not listed. */
  readonly missing: readonly string[];
  /** A member the rule does not select (unknown evaluations excluded). */
  readonly extra: readonly string[];
  /** skuIds the group assigns. */
  readonly licenses: readonly string[];
  readonly findings: readonly AuditFinding[];
  /** Users or devices for which the rule's answer is unknown (the snapshot lacks data it needs). */
  readonly unknown: number;
  /** The rule as the tenant holds it, or null when the group has none. */
  readonly rule: string | null;
  /** Processing cost by Microsoft's efficiency guidance (0 for a cheap rule; higher costs more); see docs/semantics.md. */
  readonly cost: number;
}

export interface AuditSummary {
  readonly groups: number;
  readonly administrativeUnits: number;
  /** Dynamic groups and dynamic administrative units, counted against the tenant's limit. */
  readonly dynamicObjects: number;
  readonly dynamicLimit: number;
  readonly memberOfGroups: number;
  readonly memberOfLimit: number;
  /** Unique users in at least one dynamic group (by the snapshot's member lists). */
  readonly usersInDynamicGroups: number;
  /** Entra ID P1 (or better) seats the tenant owns, or null when its subscriptions are unknown. */
  readonly p1Seats: number | null;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

export interface AuditReport {
  readonly summary: AuditSummary;
  /** Findings about the tenant as a whole. */
  readonly findings: readonly AuditFinding[];
  /** Every dynamic group and dynamic administrative unit, nothing else. */
  readonly groups: readonly AuditGroup[];
}

export interface AuditOptions {
  /** The time the checks stand at (ms since the epoch): memberOf's retirement depends on it. */
  readonly now?: number;
}

export interface PulledFile {
  /** Path of the rule file, relative to the output folder (forward slashes). */
  readonly file: string;
  readonly id: string;
}

export interface PullConflict extends PulledFile {
  readonly reason: string;
  /** Where the tenant's version was written beside the edited file, relative to the output folder. */
  readonly tenantFile?: string;
}

export interface PullResult {
  readonly written: readonly PulledFile[];
  readonly unchanged: readonly PulledFile[];
  readonly conflicts: readonly PullConflict[];
  /** Pulled before, no longer in the tenant (the file is kept). */
  readonly gone: readonly PulledFile[];
  /** Dynamic groups and administrative units that have no membershipRule (no file is written). */
  readonly noRule: readonly { readonly id: string; readonly displayName: string; readonly kind: AuditKind }[];
  /** Objects not written, and why (an id that is not an object id; a rule line a rule file would read as a comment). */
  readonly skipped: readonly { readonly id: string; readonly displayName: string; readonly kind: AuditKind; readonly reason: string }[];
}

export interface PullOptions {
  /** Report what a pull would do, writing nothing (no files, no record, not even the folder). */
  readonly dryRun?: boolean;
}

/**
 * The entry points, implemented in `index.ts`: `auditTenant(snapshot, options)` and
 * `pullRules(snapshot, outDir, options)`; `pulledFileOf(outDir, id)` and
 * `filePosition(fileText, ruleOffset)` map a finding to the pulled file.
 */
export type AuditTenant = (snapshot: Snapshot, options?: AuditOptions) => AuditReport;
export type PullRules = (snapshot: Snapshot, outDir: string, options?: PullOptions) => PullResult;
export type PulledFileOf = (outDir: string, id: string) => string | undefined;
export type FilePosition = (fileText: string, ruleOffset: number) => Position;
