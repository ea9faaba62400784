/** Renders an evaluation trace as an indented text tree, one sub-expression a line. */
import type { TraceNode } from '../../grammar/src/index';

const MARK = { true: '✓', false: '✗', unknown: '?' } as const;

export function renderTrace(t: TraceNode, prefix = '', last = true, root = true): string[] {
  const mark = MARK[String(t.result) as keyof typeof MARK];
  const seen = t.property !== undefined ? `   [${t.property} = ${t.value}]` : '';
  const head = root ? '' : `${prefix}${last ? '└─ ' : '├─ '}`;
  const lines = [`${head}${mark} ${t.expression}${seen}`];
  const childPrefix = root ? '' : prefix + (last ? '   ' : '│  ');
  if (t.reason !== undefined) lines.push(`${childPrefix}${t.children.length ? '│  ' : '   '}(${t.reason})`);
  t.children.forEach((c, i) => lines.push(...renderTrace(c, childPrefix, i === t.children.length - 1, false)));
  return lines;
}
