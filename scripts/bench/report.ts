/** The bench's results: rows with their targets, printed as a table, Markdown or JSON. */

export interface Row {
  readonly section: string;
  readonly measurement: string;
  readonly size?: string;
  /** The figure, in `unit`. */
  readonly value: number;
  readonly unit: 'ms' | 's' | 'MB';
  /** The straightforward AST interpreter on the same rows, same run (ms). */
  readonly baseline?: number;
  /** The compiled closures (the evaluator before the columnar engine) on the same rows (ms). */
  readonly closures?: number;
  /** Human form of the target, e.g. "< 100 ms". */
  readonly target?: string;
  readonly pass?: boolean;
  readonly note?: string;
}

export function fmt(v: number, unit: Row['unit']): string {
  if (unit === 'MB') return `${Math.round(v).toLocaleString('en-US')} MB`;
  if (unit === 's') return `${v.toFixed(1)} s`;
  if (v >= 100) return `${v.toFixed(0)} ms`;
  if (v >= 10) return `${v.toFixed(1)} ms`;
  return `${v.toFixed(2)} ms`;
}

const ratio = (r: Row): string => (r.baseline !== undefined && r.value > 0 ? `${(r.baseline / r.value).toFixed(0)}×` : '');
const status = (r: Row): string => (r.pass === undefined ? '' : r.pass ? 'PASS' : 'FAIL');

function columns(rows: readonly Row[]): string[][] {
  return rows.map((r) => [
    r.measurement, r.size ?? '', fmt(r.value, r.unit),
    r.baseline !== undefined ? fmt(r.baseline, 'ms') : '', ratio(r),
    r.closures !== undefined ? fmt(r.closures, 'ms') : '',
    r.target ?? '', status(r), r.note ?? '',
  ]);
}

const HEAD = ['Measurement', 'Size', 'Result', 'AST interpreter', 'Ratio', 'Closures', 'Target', 'Status', 'Note'];

export function table(rows: readonly Row[]): string {
  const body = columns(rows);
  const widths = HEAD.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function markdown(rows: readonly Row[]): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  return [
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map((_, i) => (i >= 2 && i <= 5 ? '---:' : '---')).join('|')}|`,
    ...columns(rows).map((c) => `| ${c.map(esc).join(' | ')} |`),
  ].join('\n');
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
