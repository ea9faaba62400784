/**
 * The preview of each open rule document, computed once per document version and tenant: the
 * code lens and the preview view read the same one.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { l10n, type ParsedRule } from '../../../grammar/src/index';
import { skuCatalogue } from '../preview/catalogue';
import { PreviewError } from '../preview/errors';
import { previewRule, type PreviewResult } from '../preview/preview';
import type { TenantState } from './tenantState';

export class PreviewCache {
  private cache = new Map<string, { key: string; result: PreviewResult | PreviewError }>();

  constructor(readonly tenant: TenantState, private readonly removalShare: () => number) {}

  /** The preview for a document version, cached until the text or the tenant changes. */
  preview(doc: TextDocument, parsed: ParsedRule): PreviewResult | PreviewError {
    const key = `${doc.version}@${this.tenant.generation}`;
    const hit = this.cache.get(doc.uri);
    if (hit && hit.key === key) return hit.result;
    const s = this.tenant.current;
    let result: PreviewResult | PreviewError;
    if (!s) result = new PreviewError(l10n.t('no tenant is loaded'));
    else {
      try {
        result = previewRule(s, parsed, { catalogue: skuCatalogue, removalWarningShare: this.removalShare() });
      } catch (e) {
        if (!(e instanceof PreviewError)) throw e;
        result = e;
      }
    }
    this.cache.set(doc.uri, { key, result });
    return result;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}
