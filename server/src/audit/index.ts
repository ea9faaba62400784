/**
 * The whole tenant in the workspace: `pullRules` writes every dynamic group's and dynamic
 * administrative unit's rule into a folder; `auditTenant` checks them all at once. Both read a
 * loaded snapshot; neither writes to the tenant.
 */
import type { Snapshot } from '../tenant/snapshot';
import type { Position } from '../text';
import type { AuditOptions, AuditReport, PullOptions, PullResult } from './types';

export type * from './types';

/** Audits every dynamic group and dynamic administrative unit of the snapshot. */
export function auditTenant(snapshot: Snapshot, options: AuditOptions = {}): AuditReport {
  void snapshot; void options;
  throw new Error('not implemented');
}

/** Writes one rule file per dynamic group and dynamic administrative unit into `outDir`. */
export function pullRules(snapshot: Snapshot, outDir: string, options: PullOptions = {}): PullResult {
  void snapshot; void outDir; void options;
  throw new Error('not implemented');
}

/** The pulled file of a group or administrative unit (absolute path), from the folder's pull record; undefined when not pulled there. */
export function pulledFileOf(outDir: string, id: string): string | undefined {
  void outDir; void id;
  throw new Error('not implemented');
}

/** Where an offset into the rule text (an {@link AuditFinding} range end) is in the pulled file's text: past the header lines. */
export function filePosition(fileText: string, ruleOffset: number): Position {
  void fileText; void ruleOffset;
  throw new Error('not implemented');
}
