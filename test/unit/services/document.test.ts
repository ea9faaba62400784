/**
 * The document value every service takes: each part computed once and kept with the document,
 * the parse built on the same tokens, and nothing shared between two documents.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  complete, createRuleDocument, documentSymbols, foldingRanges, formatRule, hover, inlayHints, parseRule, ruleStatus, semanticTokens, type RuleDocument,
} from '../../../grammar/src/index';
import { TENANT } from './helpers';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SAMPLES = readdirSync(join(ROOT, 'samples', 'rules')).filter((f) => f.endsWith('.dynrule')).map((f) => readFileSync(join(ROOT, 'samples', 'rules', f), 'utf8'));

/** Every service's answer about a document, at a few offsets. */
function answers(doc: RuleDocument): unknown[] {
  const offsets = [0, doc.text.length >> 1, doc.text.length];
  return [
    semanticTokens(doc), foldingRanges(doc), documentSymbols(doc), ruleStatus(doc), inlayHints(doc, TENANT), formatRule(doc),
    ...offsets.map((o) => complete(doc, o, TENANT)), ...offsets.map((o) => hover(doc, o, TENANT)),
  ];
}

describe('services: documents', () => {
  it('parses as parseRule does, from its own tokens, once', () => {
    for (const text of SAMPLES) {
      const doc = createRuleDocument(text);
      const parsed = doc.parsed;
      assert.deepEqual(parsed, parseRule(text));
      assert.equal(doc.parsed, parsed);
      assert.equal(parsed.tokens, doc.tokens);
      assert.equal(parsed.comments, doc.comments);
      assert.equal(parsed.directives, doc.directives);
    }
  });

  it('reads directives from the comment lines alone, as the parse does', () => {
    const text = '# @group "Sales team"\n# @licenses SPE_E3(-YAMMER_ENTERPRISE), bogus(\n# @nope\nuser.department -eq "Sales"';
    const early = createRuleDocument(text);
    const directives = early.directives;
    assert.deepEqual(directives.map((d) => d.kind), ['group', 'licenses', 'unknown']);
    assert.deepEqual(directives, parseRule(text).directives);
    assert.equal(early.parsed.directives, directives);
  });

  it('gives two documents asked in turn the answers each gives alone', () => {
    const a = '# @group "Sales"\nuser.department -eq "Sales" -and user.accountEnabled -eq true';
    const b = 'user.assignedPlans -any (assignedPlan.servicePlanId -eq "efb87545-963c-4e0d-99df-69c6916d9eb0"\n  -and assignedPlan.capabilityStatus -eq "Enabled")';
    const alone = [answers(createRuleDocument(a)), answers(createRuleDocument(b))];
    const docs = [createRuleDocument(a), createRuleDocument(b)];
    const interleaved = [answers(docs[0]!), answers(docs[1]!), answers(docs[0]!), answers(docs[1]!)];
    assert.deepEqual(interleaved, [...alone, ...alone]);
    assert.notDeepEqual(alone[0], alone[1]);
  });
});
