/**
 * Inlay hints: after each GUID, the name it stands for — service plan, product (SKU), group or
 * user — so `"efb87545-…"` reads as EXCHANGE_S_ENTERPRISE. Unknown GUIDs get no hint.
 */
import { stringValue } from '../build';
import type { RuleDocument } from '../document';
import { GUID, guidHintFor, isString, valueSite } from './common';
import { targetAt } from './completionContext';
import { nameGuid, type GuidHint } from './guidNames';
import type { InlayHint, TenantData } from './types';

/** Hints for every GUID literal of the rule and of its `@group` / `@licenses` directives. Never throws. */
export function inlayHints(doc: RuleDocument, data?: TenantData): InlayHint[] {
  const { text } = doc;
  const out: InlayHint[] = [];
  const add = (value: string, offset: number, hint: GuidHint): void => {
    const named = nameGuid(value, hint, data);
    if (named) out.push({ offset, label: named.label, tooltip: named.markdown });
  };
  doc.tokens.forEach((t, i) => {
    if (!isString(t)) return;
    const value = stringValue(t).value;
    if (!GUID.test(value)) return;
    const site = valueSite(doc.tokens, i);
    add(value, t.startOffset + t.image.length, site.directReports ? 'user' : site.operand !== undefined ? guidHintFor(targetAt(doc.tokens, site.operand).def) : undefined);
  });
  for (const d of doc.directives) {
    if (d.kind === 'group' && GUID.test(d.value)) {
      // After the closing quote when the id is quoted.
      const quoted = text[d.valueSpan.end] === '"' || text[d.valueSpan.end] === "'";
      add(d.value, d.valueSpan.end + (quoted ? 1 : 0), 'group');
    }
    if (d.kind === 'licenses') {
      for (const l of d.licenses) if (GUID.test(l.sku)) add(l.sku, l.skuSpan.end, 'sku');
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}
