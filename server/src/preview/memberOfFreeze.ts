/**
 * memberOf's retirement in the preview. From 3 November 2026 a group with a memberOf rule stops
 * updating and keeps its last known members (the README's "Semantics"; the core's
 * `MEMBER_OF_RETIRED_AT`): such a group's preview shows its current members staying, nobody
 * joining or leaving, and says why. What the rule selects is still what `eval` and explain show.
 */
import { isMemberOfRule, l10n, memberOfRetired, type ParsedRule } from '../../../grammar/src/index';
import { TriBits } from '../../../grammar/engine/src/index';

/** Whether the rule is a memberOf rule that no longer updates its group at `now` (default: the clock). */
export function frozenByRetirement(parsed: ParsedRule, now: number | undefined): boolean {
  return memberOfRetired(now) && isMemberOfRule(parsed);
}

/** The rule's result as Entra keeps it: exactly the current members (`before`, one bit a row). */
export function frozenMembers(before: Uint32Array, rows: number): TriBits {
  return new TriBits(rows, before.slice());
}

/** Why nobody joins or leaves. */
export function frozenNote(): string {
  return l10n.t('memberOf rules stopped updating on 3 November 2026: this group keeps its last known members, so nobody joins or leaves. Evaluating the rule (dynrule eval, Explain) still shows whom it selects, to plan its replacement: a rule on user or device properties, or assigned membership.');
}
