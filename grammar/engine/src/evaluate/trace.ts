/**
 * A trace as a handful of lines that say what decided: one sub-expression a line, as a tree,
 * with the value each comparison saw and the name behind every GUID. A quantifier shows the item
 * that decided it, not every item: for `-any` the first that matched (or, when none did, the
 * closest), for `-all` the first that failed. `dynrule explain`, rule test reports and the
 * editor's "Explain Rule for User…" all show these lines.
 */
import { l10n, nameGuid, type GuidHint, type TenantData } from '../../../src/index';
import type { TraceNode } from './interpret';
import type { Tri } from './semantics';

const MARK: Record<string, string> = { true: '✓', false: '✗', unknown: '?' };
const HINT: Record<string, GuidHint> = { servicePlanId: 'servicePlan', manager: 'user' };

/** One line of the tree before its branch drawing: the mark, the text, the value seen. */
interface Line {
  readonly result: Tri;
  readonly text: string;
  readonly children: readonly Line[];
  /** Why the result is unknown when the data is not the cause (a pattern that is not run). */
  readonly reason?: string;
}

/** The trace as lines of text; `data` names the tenant's users and groups behind GUIDs. */
export function renderTrace(trace: TraceNode, data?: TenantData): string[] {
  const out: string[] = [];
  draw(toLine(trace, data), '', true, true, out);
  return out;
}

function draw(l: Line, prefix: string, last: boolean, root: boolean, out: string[]): void {
  out.push(`${root ? '' : `${prefix}${last ? '└─ ' : '├─ '}`}${MARK[String(l.result)]} ${l.text}`);
  const childPrefix = root ? '' : prefix + (last ? '   ' : '│  ');
  if (l.reason !== undefined) out.push(`${childPrefix}${l.children.length ? '│  ' : '   '}(${l.reason})`);
  l.children.forEach((c, i) => draw(c, childPrefix, i === l.children.length - 1, false, out));
}

function seen(t: TraceNode, data: TenantData | undefined): string {
  if (t.property === undefined) return '';
  const value = t.value ?? '';
  const name = nameGuid(value, HINT[t.property], data)?.label;
  return `   [${t.property} = ${value}${name ? ` (${name})` : ''}]`;
}

function toLine(t: TraceNode, data: TenantData | undefined): Line {
  if (t.quantifier) return quantifierLine(t, data);
  return { result: t.result, text: `${t.expression}${seen(t, data)}`, children: t.children.map((c) => toLine(c, data)), ...(t.reason !== undefined ? { reason: t.reason } : {}) };
}

/** A quantifier and the one item that decided it. */
function quantifierLine(t: TraceNode, data: TenantData | undefined): Line {
  const items = t.children;
  const n = items.length;
  const head = `${t.expression}   [${t.property ?? ''}: ${n === 1 ? l10n.t('{0} item', n) : l10n.t('{0} items', n)}]`;
  if (n === 0) return { result: t.result, text: head, children: [] };
  const index = (pred: (c: TraceNode) => boolean): number => items.findIndex(pred);
  let at: number;
  let label: string;
  if (t.quantifier === 'any' && t.result === true) {
    at = index((c) => c.result === true);
    label = l10n.t('item {0} of {1} matched', at + 1, n);
  } else if (t.quantifier === 'all' && t.result === false) {
    at = index((c) => c.result === false);
    label = l10n.t('item {0} of {1} failed', at + 1, n);
  } else if (t.result === 'unknown') {
    at = index((c) => c.result === 'unknown');
    label = l10n.t('item {0} of {1} cannot be decided', at + 1, n);
  } else if (t.quantifier === 'all') {
    return { result: t.result, text: head, children: [{ result: true, text: l10n.t('all {0} items matched', n), children: [] }] };
  } else {
    at = closest(items);
    label = l10n.t('none of {0} matched; the closest is item {1}', n, at + 1);
  }
  const item = items[at]!;
  // The item's own line would repeat the condition: show what it is made of under the label.
  const parts = item.children.length > 0 ? item.children.map((c) => toLine(c, data)) : [toLine(item, data)];
  return { result: t.result, text: head, children: [{ result: item.result, text: label, children: parts }] };
}

/** The item with the most conditions true (the first of equals). */
function closest(items: readonly TraceNode[]): number {
  const score = (t: TraceNode): number => (t.children.length === 0 ? (t.result === true ? 1 : 0) : t.children.reduce((s, c) => s + score(c), 0));
  let best = 0;
  items.forEach((it, i) => {
    if (score(it) > score(items[best]!)) best = i;
  });
  return best;
}
