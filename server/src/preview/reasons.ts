/**
 * Why a member joins or leaves the group, in one condition with the value it saw. Without a
 * current rule that is the condition that decided the edited rule's result. When the group has a
 * current rule, it is the condition that differs between the two rules for this member: for
 * someone joining, the current rule's condition that kept them out (a condition the edited rule
 * dropped or changed), else the edited rule's condition that lets them in; for someone leaving,
 * the other way round. "user.userType -eq "Member"" — true for everyone, in both rules — explains
 * nothing.
 */
import type { TraceNode } from '../../../grammar/engine/src/index';

export interface Reason {
  /** The condition, as written. */
  readonly decidedBy: string;
  readonly property?: string;
  readonly value?: string;
  /** Which rule the condition is in, when it is in only one of them. */
  readonly rule?: 'current' | 'edited';
  /** Why the condition is unknown when the data is not the cause (a pattern that is not run). */
  readonly reason?: string;
}

const norm = (s: string): string => s.replace(/\s+/g, ' ').trim().toLowerCase();
const isLeaf = (t: TraceNode): boolean => t.children.length === 0 || t.quantifier !== undefined;

const reasonOf = (t: TraceNode, rule?: Reason['rule']): Reason =>
  ({ decidedBy: t.expression, ...(t.property !== undefined ? { property: t.property, value: t.value ?? '' } : {}), ...(t.reason !== undefined ? { reason: t.reason } : {}), ...(rule ? { rule } : {}) });

/**
 * The leaf that decided a result: follow the first child that agrees with its parent (the
 * operand that made an -and false or an -or true), down to a comparison and the value it saw.
 */
export function decidedBy(t: TraceNode): Reason {
  let cur = t;
  while (cur.children.length > 0) cur = cur.children.find((c) => c.result === cur.result) ?? cur.children[0]!;
  return reasonOf(cur);
}

/** Every condition that gave the result: the leaves reached through children that agree with it. */
function* deciding(t: TraceNode): Generator<TraceNode> {
  if (isLeaf(t)) {
    yield t;
    return;
  }
  const agree = t.children.filter((c) => c.result === t.result);
  // -not is the one node whose operand disagrees with it.
  for (const c of agree.length ? agree : t.children) yield* deciding(c);
}

function leaves(t: TraceNode, into = new Set<string>()): Set<string> {
  if (isLeaf(t)) into.add(norm(t.expression));
  else for (const c of t.children) leaves(c, into);
  return into;
}

function onlyIn(t: TraceNode, other: Set<string>): TraceNode | undefined {
  for (const leaf of deciding(t)) if (!other.has(norm(leaf.expression))) return leaf;
  return undefined;
}

/** Why the edited rule's result for a member differs from the current rule's (see the header). */
export function changeReason(edited: TraceNode, current: TraceNode | undefined): Reason {
  if (!current || current.result === edited.result) return decidedBy(edited);
  const fromCurrent = onlyIn(current, leaves(edited));
  const fromEdited = onlyIn(edited, leaves(current));
  const [first, second] = edited.result === true
    ? [fromCurrent && reasonOf(fromCurrent, 'current'), fromEdited && reasonOf(fromEdited, 'edited')]
    : [fromEdited && reasonOf(fromEdited, 'edited'), fromCurrent && reasonOf(fromCurrent, 'current')];
  return first ?? second ?? decidedBy(edited);
}
