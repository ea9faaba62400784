/**
 * The rule's length against Entra's limit (comment lines excluded, as `ruleBody` sends it) and
 * what the rule is about, for a status bar item. Read from the tokens: it runs on every keystroke.
 */
import { LIMITS } from '../catalogue';
import type { RuleDocument } from '../document';
import { ruleBody } from '../parse';
import * as T from '../tokens';
import { isQuantifierOp, resolvePath, ruleObjectOf } from './common';
import type { RuleStatus } from './types';

/** Length, limit, object and kind of a `.dynrule` document. Never throws. */
export function ruleStatus(doc: RuleDocument): RuleStatus {
  const length = ruleBody(doc).length;
  const { tokens } = doc;
  let first = 0;
  while (tokens[first]?.tokenType === T.LParen) first++;
  const head = tokens[first];
  let kind: RuleStatus['kind'] = tokens.length === 0 ? 'empty' : 'expression';
  if (head?.tokenType === T.Direct) kind = 'directReports';
  else if (head?.tokenType === T.Path && isQuantifierOp(tokens[first + 1]) && resolvePath(head.image).def?.type === 'memberOf') kind = 'memberOf';
  return { length, limit: LIMITS.ruleLength, over: length > LIMITS.ruleLength, object: ruleObjectOf(tokens), kind };
}
