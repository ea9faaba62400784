/**
 * Rules a guest can satisfy with an address they chose (docs/semantics.md, "Guests"): a guest's
 * `mail`, `otherMails` and the `#EXT#` part of its `userPrincipalName` come from the address it was
 * invited with. A rule that matches one of those by substring or pattern (`-contains`, `-match`,
 * `-startsWith`, `-endsWith`, directly or inside `-any`) and does not require `userType` Member
 * lets an outsider in. An exact `-eq` is not flagged: an address someone else owns cannot be chosen.
 */
import { unparen, type Comparison, type Expr, type ParsedRule, type Span } from '../../../grammar/src/index';

const CHOSEN = new Set(['mail', 'othermails', 'userprincipalname']);
const BY_PART = new Set(['contains', 'match', 'startsWith', 'endsWith']);

const isUserType = (c: Comparison): boolean => c.left.object.toLowerCase() === 'user' && c.left.name.toLowerCase() === 'usertype';
const str = (v: Comparison['value']): string | undefined => (v.kind === 'string' ? v.value.toLowerCase() : undefined);
const items = (v: Comparison['value']): string[] | undefined => (v.kind === 'array' ? v.items.map((i) => (i.kind === 'string' ? i.value.toLowerCase() : '\u0000')) : undefined);

/** Whether every way the expression can be true requires a member (not a guest). */
export function requiresMember(e: Expr): boolean {
  const x = unparen(e);
  switch (x.kind) {
    case 'and': return x.operands.some(requiresMember);
    case 'or': return x.operands.length > 0 && x.operands.every(requiresMember);
    case 'compare': {
      if (!isUserType(x)) return false;
      const op = x.op.name;
      if (op === 'eq') return str(x.value) === 'member';
      if (op === 'ne') return str(x.value) === 'guest';
      if (op === 'in') return items(x.value)?.every((v) => v === 'member') ?? false;
      if (op === 'notIn') return items(x.value)?.includes('guest') ?? false;
      return false;
    }
    default: return false;
  }
}

/** The spans of the conditions a guest can satisfy by choosing an address; none when the rule requires members. */
export function guestControllableSpans(parsed: ParsedRule): Span[] {
  const root = parsed.expr;
  if (!root || requiresMember(root)) return [];
  const out: Span[] = [];
  const visit = (e: Expr, negated: boolean, chosenItems: boolean): void => {
    const x = e;
    switch (x.kind) {
      case 'paren': visit(x.expr, negated, chosenItems); return;
      case 'not': visit(x.operand, !negated, chosenItems); return;
      case 'and': case 'or': for (const o of x.operands) visit(o, negated, chosenItems); return;
      case 'quantifier': {
        const chosen = x.collection.object.toLowerCase() === 'user' && CHOSEN.has(x.collection.name.toLowerCase());
        // `-all` is satisfied by every address; only `-any` lets one chosen address decide.
        visit(x.predicate, negated, chosen && x.op.name === 'any');
        return;
      }
      case 'compare': {
        if (negated || !x.op.name || !BY_PART.has(x.op.name)) return;
        const chosen = x.left.object === '_' ? chosenItems : x.left.object.toLowerCase() === 'user' && CHOSEN.has(x.left.name.toLowerCase());
        if (chosen) out.push(x.span);
        return;
      }
      default: return;
    }
  };
  visit(root, false, false);
  return out;
}
