/**
 * How much a rule costs Entra to process, by Microsoft's efficiency guidance ("Create simpler,
 * more efficient rules"; docs/semantics.md, Advice): `-match` most, then `-contains`, then
 * quantifiers over collections and memberOf, and every efficiency finding of the rule's checks
 * (`perf/…`: a pattern that is plain text, `-or` chains, repeated conditions). A rule of a few
 * `-eq`/`-in` comparisons costs 0: the score only ranks rules, it is not a time.
 */
import { walkExpr, type Issue, type ParsedRule } from '../../../grammar/src/index';
import { isMemberOfRule } from '../../../grammar/src/index';

export const COST = { match: 4, contains: 2, quantifier: 2, memberOf: 5, efficiencyFinding: 2, perComparisonsOver: 5 } as const;

export function ruleCost(parsed: ParsedRule, issues: readonly Issue[]): number {
  if (!parsed.expr) return 0;
  let cost = 0;
  let comparisons = 0;
  walkExpr(parsed.expr, (e) => {
    if (e.kind === 'compare') {
      comparisons++;
      const op = e.op.name;
      if (op === 'match' || op === 'notMatch') cost += COST.match;
      else if (op === 'contains' || op === 'notContains') cost += COST.contains;
    } else if (e.kind === 'quantifier') cost += COST.quantifier;
  });
  if (isMemberOfRule(parsed)) cost += COST.memberOf;
  cost += COST.efficiencyFinding * issues.filter((i) => i.code.startsWith('perf/')).length;
  // Long rules cost more in themselves: one point for every five comparisons beyond the first five.
  cost += Math.floor(Math.max(0, comparisons - COST.perComparisonsOver) / COST.perComparisonsOver);
  return cost;
}
