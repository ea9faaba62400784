/**
 * Helpers the editor services share: token classification, resolving a written path against the
 * catalogue, the rule's object, and the Markdown that describes a property or an operator (the
 * same text in hover and in completion documentation).
 */
import { tokenMatcher, type IToken } from 'chevrotain';
import {
  DOCS_URL, MEMBEROF_DOCS_URL, OPERATORS_FOR_TYPE, TYPE_NAMES, UNDOCUMENTED_OPERATORS_FOR_TYPE,
  canonicalOperator, pathObject, quantifiable,
  type OperatorDef, type OperatorName, type PathObject, type PropertyDef, type PropertyType, type RuleObject,
} from '../catalogue';
import { resolveRef } from '../checks/context';
import * as l10n from '../l10n';
import * as T from '../tokens';

export { GUID } from '../checks/values';

/** Any offset a client sends, made a valid position in the text. */
export function clampOffset(text: string, offset: number): number {
  if (!Number.isFinite(offset)) return offset > 0 ? text.length : 0;
  return Math.min(Math.max(0, Math.floor(offset)), text.length);
}

export const tokenEnd = (t: IToken): number => t.startOffset + t.image.length;

const STRING_TYPES: ReadonlySet<unknown> = new Set([T.DoubleQuoted, T.SingleQuoted, T.UnterminatedString, T.BacktickQuoted]);
export const isString = (t: IToken | undefined): boolean => t !== undefined && STRING_TYPES.has(t.tokenType);
export const isOperator = (t: IToken | undefined): boolean => t !== undefined && (t.tokenType.name.startsWith('Op_') || t.tokenType === T.DashWord);
export const isComparisonOp = (t: IToken | undefined): boolean =>
  t !== undefined && tokenMatcher(t, T.ComparisonOp);
export const isQuantifierOp = (t: IToken | undefined): boolean => t?.tokenType === T.Any || t?.tokenType === T.All;
export const isOperand = (t: IToken | undefined): boolean => t?.tokenType === T.Path || t?.tokenType === T.Underscore;

/** What a written path (`user.department`, `device.isManaged`) stands for. */
export interface ResolvedPath {
  readonly object: PathObject | undefined;
  readonly name: string;
  readonly def: PropertyDef | undefined;
  /** Advice when the property is known but not supported in rules. */
  readonly unsupported: string | undefined;
}

/** A written path resolved as the checks and the evaluators resolve a property reference ({@link resolveRef}). */
export function resolvePath(raw: string): ResolvedPath {
  const dot = raw.indexOf('.');
  const written = dot < 0 ? raw : raw.slice(0, dot);
  const name = dot < 0 ? '' : raw.slice(dot + 1);
  const r = resolveRef({ object: written, name });
  return { object: pathObject(written), name, def: r.kind === 'property' ? r.def : undefined, unsupported: r.kind === 'unsupported' ? r.advice : undefined };
}

/** The object the rule is about: its first user./device. property, or user for Direct Reports. */
export function ruleObjectOf(tokens: readonly IToken[], skip?: IToken): RuleObject | undefined {
  for (const t of tokens) {
    if (t === skip) continue;
    if (t.tokenType === T.Direct) return 'user';
    if (t.tokenType !== T.Path) continue;
    const o = pathObject(t.image.slice(0, t.image.indexOf('.')));
    if (o === 'user' || o === 'device') return o;
  }
  return undefined;
}

/** The operators a property allows: quantifiers first for collections, then comparisons. */
export function operatorsFor(type: PropertyType): OperatorName[] {
  const quantifiers: OperatorName[] = type === 'memberOf' ? ['any'] : quantifiable(type) ? ['any', 'all'] : [];
  return [...quantifiers, ...OPERATORS_FOR_TYPE[type]];
}

const KIND_NAMES: Readonly<Record<OperatorDef['kind'], string>> = {
  comparison: l10n.mark('comparison operator'), logical: l10n.mark('logical operator'), quantifier: l10n.mark('quantifier operator'), date: l10n.mark('date operator'),
};

const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

/** Hover and completion documentation for a property. */
export function propertyMarkdown(def: PropertyDef): string {
  const head = `**${def.object}.${def.name}** · ${l10n.t(TYPE_NAMES[def.type])}${def.nullable ? ` · ${l10n.t('nullable')}` : ''}${def.preview ? ` · ${l10n.t('preview')}` : ''}`;
  const lines = [head, '', l10n.t(def.description), ''];
  const ops = operatorsFor(def.type).map((o) => code(canonicalOperator(o)));
  if (ops.length) lines.push(l10n.t('Operators: {0}', ops.join(' ')));
  const undocumented = UNDOCUMENTED_OPERATORS_FOR_TYPE[def.type];
  if (undocumented?.length) lines.push(l10n.t('Undocumented for this type (warning): {0}', undocumented.map((o) => code(canonicalOperator(o))).join(' ')));
  if (def.values?.length) lines.push(def.closedValues ? l10n.t('Values: {0}', def.values.map(code).join(', ')) : l10n.t('Values (examples): {0}', def.values.map(code).join(', ')));
  if (def.graph) {
    const graph = def.graph.startsWith('first:') ? l10n.t('the first item of {0}', code(def.graph.slice(6))) : code(def.graph);
    lines.push(def.betaOnly ? l10n.t('Microsoft Graph: {0} (beta endpoint only)', graph) : l10n.t('Microsoft Graph: {0}', graph));
  }
  lines.push('', `[${l10n.t('Documentation')}](${def.type === 'memberOf' ? MEMBEROF_DOCS_URL : DOCS_URL})`);
  return lines.join('\n');
}

/** One line for a property: its type and Graph field. */
export function propertyDetail(def: PropertyDef): string {
  return `${l10n.t(TYPE_NAMES[def.type])}${def.nullable ? `, ${l10n.t('nullable')}` : ''}${def.graph && def.graph !== def.name ? ` · Graph ${def.graph.replace(/^first:/, '')}` : ''}`;
}

/** What null does with an operator, and operator-specific notes. */
export function operatorMarkdown(def: OperatorDef, written?: string): string {
  const canonical = canonicalOperator(def.name);
  const lines = [`**${canonical}** · ${l10n.t(KIND_NAMES[def.kind])}`, '', l10n.t(def.description)];
  if (def.onNull) lines.push('', l10n.t('On a null or missing value: {0}.', l10n.t(def.onNull)));
  if (def.name === 'contains' || def.name === 'notContains') {
    lines.push('', l10n.t('Always a substring test, also on a collection: `-contains "ab"` is true for "abc". Use `-in` or `-any (_ -eq …)` for whole values.'));
  }
  if (def.name === 'match' || def.name === 'notMatch') {
    lines.push('', l10n.t('Entra runs a .NET regular expression: unanchored (add `^`/`$`), case-insensitive. The preview uses JavaScript RegExp where the two agree; .NET-only constructs (`(?<name>…)` with `\\A`/`\\Z`, possessive or atomic groups, character class subtraction) give an unknown result.'));
  }
  if (def.name === 'in' || def.name === 'notIn') lines.push('', l10n.t('The right side is an array: `["a", "b"]` or `[\'a\', \'b\']`.'));
  if (def.kind === 'comparison') {
    const types = (Object.keys(OPERATORS_FOR_TYPE) as PropertyType[]).filter((t) => OPERATORS_FOR_TYPE[t].includes(def.name as never));
    lines.push('', l10n.t('Allowed on: {0}.', types.map((t) => l10n.t(TYPE_NAMES[t])).join(', ')));
  }
  if (written && written !== canonical) {
    lines.push('', l10n.t('Written `{0}`: operators may be written in any case and without the hyphen; the canonical spelling is `{1}`.', written, canonical));
  }
  lines.push('', `[${l10n.t('Documentation')}](${DOCS_URL})`);
  return lines.join('\n');
}

/** A string as the rule language writes it: backtick escapes in double quotes, doubled single quotes. */
export function quoteString(value: string, quote: '"' | "'" = '"'): string {
  return quote === '"' ? `"${escapeString(value, quote)}"` : `'${escapeString(value, quote)}'`;
}

export function escapeString(value: string, quote: '"' | "'"): string {
  return quote === '"' ? value.replace(/[`"]/g, (c) => `\`${c}`) : value.replace(/'/g, "''");
}

/** Shortens one-line text for labels and outline names. */
export function oneLine(text: string, max = 80): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The kind of GUID a property holds, so the right catalogue is asked first. */
export function guidHintFor(def: PropertyDef | undefined): 'servicePlan' | 'group' | 'user' | undefined {
  if (!def?.guid) return undefined;
  if (def.object === 'assignedPlan') return 'servicePlan';
  if (def.object === 'group') return 'group';
  if (def.object === 'user') return 'user';
  return undefined;
}

const ARRAY_INNER: ReadonlySet<unknown> = new Set([
  T.DoubleQuoted, T.SingleQuoted, T.UnterminatedString, T.BacktickQuoted, T.NumberLiteral, T.True, T.False, T.Null, T.DateTimeLiteral, T.Identifier, T.Comma,
]);

/**
 * What the value token at `i` (alone or in an array) is compared with: the index of the operand
 * of its comparison, or Direct Reports when it names the manager.
 */
export function valueSite(tokens: readonly IToken[], i: number): { readonly operand: number | undefined; readonly directReports: boolean } {
  let k = i - 1;
  if (tokens[k]?.tokenType === T.For) return { operand: undefined, directReports: true };
  if (!isComparisonOp(tokens[k])) {
    while (k >= 0 && ARRAY_INNER.has(tokens[k]!.tokenType)) k--;
    if (tokens[k]?.tokenType !== T.LBracket) return { operand: undefined, directReports: false };
    k--;
  }
  const ok = isComparisonOp(tokens[k]) && isOperand(tokens[k - 1]);
  return { operand: ok ? k - 1 : undefined, directReports: false };
}
