/**
 * Changes to people, as read from the files `whatif` is given (README, "What if people change"):
 * new users, changes to users' properties, users deleted. Each carries where it was written, so
 * that a problem found later (a manager no one has, a user already there) names its place.
 */
import type { ChangeCode } from './codes';
import type { Settable } from './properties';

/** A place in a changes file: 1-based line and column (UTF-16 characters), and the CSV heading. */
export interface Place {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly heading?: string;
}

/** A problem with the changes, at its place. */
export interface ChangeIssue extends Place {
  readonly code: ChangeCode;
  readonly message: string;
}

/** One property set by a change: the converted value (a manager is the reference as written). */
export interface FieldChange {
  readonly property: Settable;
  readonly value: unknown;
  readonly at: Place;
}

export type Change =
  | { readonly kind: 'create'; readonly fields: readonly FieldChange[]; readonly at: Place }
  /** `key` is a userPrincipalName or an object id; one the tenant does not have is a new user. */
  | { readonly kind: 'set'; readonly key: string; readonly fields: readonly FieldChange[]; readonly at: Place }
  | { readonly kind: 'delete'; readonly key: string; readonly at: Place };

/** What a file gave: its changes, or every problem found in it. */
export interface ParsedChanges {
  readonly changes: Change[];
  readonly issues: ChangeIssue[];
}

/** "file:line:column: code: message (heading)", the way the CLI prints an issue. */
export function formatIssue(i: ChangeIssue): string {
  return `${i.file}:${i.line}:${i.column}: ${i.code}: ${i.heading !== undefined ? `column "${i.heading}": ` : ''}${i.message}`;
}
