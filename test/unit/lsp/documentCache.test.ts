/**
 * The server's one document cache: one rule document per uri, version and language id, and the
 * rules of a host document with their own rule documents.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentCache } from '../../../server/src/lsp/documentCache';

describe('language server: the document cache', () => {
  it('keeps one rule document per version, and forgets a closed one', () => {
    const cache = new DocumentCache();
    const v1 = TextDocument.create('file:///a.dynrule', 'dynrule', 1, 'user.city -eq "Oslo"');
    const first = cache.rule(v1);
    assert.equal(cache.rule(v1), first);
    assert.equal(first.text, 'user.city -eq "Oslo"');
    const v2 = TextDocument.update(v1, [{ text: 'user.city -eq "Bergen"' }], 2);
    const second = cache.rule(v2);
    assert.notEqual(second, first);
    assert.equal(second.text, 'user.city -eq "Bergen"');
    assert.equal(cache.rule(TextDocument.create('file:///b.dynrule', 'dynrule', 2, 'user.city -eq "Oslo"')).text, 'user.city -eq "Oslo"');
    assert.equal(cache.rule(v2), second);
    cache.forget(v2.uri);
    assert.notEqual(cache.rule(v2), second);
  });

  it('does not give a document opened again under the same uri and version the old one', () => {
    const cache = new DocumentCache();
    const before = TextDocument.create('untitled:Untitled-1', 'dynrule', 1, 'user.assignedPlans -any (assignedPlan.servicePlanId -eq "")');
    assert.equal(cache.rule(before).text, before.getText());
    const after = TextDocument.create('untitled:Untitled-1', 'dynrule', 1, 'user.department -eq "');
    assert.equal(cache.rule(after).text, 'user.department -eq "');
  });

  it('keeps the checked rules of a host document, each with its rule document', () => {
    const cache = new DocumentCache();
    const doc = TextDocument.create('file:///groups.tf', 'terraform', 1, readFileSync('test/fixtures/iac/groups.tf', 'utf8'));
    const rules = cache.hostRules(doc, 'terraform');
    assert.ok(rules.length > 0);
    assert.equal(cache.hostRules(doc, 'terraform'), rules);
    for (const r of rules) if (r.parsed) assert.equal(r.parsed, r.rule.document.parsed);
    // The same uri and version in another language is another entry.
    const asRule = TextDocument.create(doc.uri, 'dynrule', 1, doc.getText());
    assert.equal(cache.rule(asRule).text, doc.getText());
    assert.notEqual(cache.hostRules(doc, 'terraform'), rules);
  });
});
