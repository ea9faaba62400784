/**
 * Inlay hints: after each GUID, the name it stands for — service plan, product (SKU), group or
 * user — so `"efb87545-…"` reads as EXCHANGE_S_ENTERPRISE. Unknown GUIDs get no hint.
 */
import { parseRule } from '../parse';
import { GUID, guidHintFor, stringValues } from './common';
import { nameGuid, type GuidHint } from './guidNames';
import type { InlayHint, TenantData } from './types';

/** Hints for every GUID literal of the rule and of its `@group` / `@licenses` directives. Never throws. */
export function inlayHints(text: string, data?: TenantData): InlayHint[] {
  const parsed = parseRule(text);
  const out: InlayHint[] = [];
  const add = (value: string, offset: number, hint: GuidHint): void => {
    const named = nameGuid(value, hint, data);
    if (named) out.push({ offset, label: named.label, tooltip: named.markdown });
  };
  for (const s of stringValues(parsed.expr)) {
    if (GUID.test(s.value.value)) add(s.value.value, s.value.span.end, s.directReports ? 'user' : guidHintFor(s.def));
  }
  for (const d of parsed.directives) {
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
