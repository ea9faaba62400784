/**
 * Hover: what the thing under the cursor means. Properties (type, operators, values, Graph field),
 * operators (semantics, what null does), values (the service plan, SKU, group or user a GUID
 * names; what a date or duration comes to), `system.now`, `Direct Reports for` and directives.
 */
import type { IToken } from 'chevrotain';
import type { CommentLine, Span } from '../ast';
import { parseDateTime, stringValue } from '../build';
import { DOCS_URL, UNSUPPORTED_OPERATORS, propertiesOf, type PathObject } from '../catalogue';
import { durationMs } from '../evaluate/semantics';
import { findServicePlan, findSku, servicePlansOf } from '../licensing';
import { closest } from '../suggest';
import * as T from '../tokens';
import {
  GUID, clampOffset, guidHintFor, isOperator, isString, operatorMarkdown, operatorOf, propertyMarkdown, resolvePath, spanOf, tokenEnd, valueSite,
} from './common';
import { targetAt } from './completionContext';
import { directives, lex, type Lexed } from './lex';
import { nameGuid, safe } from './guidNames';
import type { HoverResult, TenantData } from './types';

/** Hover contents at `offset`, or undefined where there is nothing to say. Never throws. */
export function hover(text: string, offset: number, data?: TenantData): HoverResult | undefined {
  const o = clampOffset(text, offset);
  const doc = lex(text);
  const comment = doc.comments.find((c) => c.span.start <= o && o < c.span.end);
  if (comment) return directiveHover(doc, comment, o, data);
  let i = doc.tokens.findIndex((x) => x.startOffset <= o && o < tokenEnd(x));
  if (i < 0) i = doc.tokens.findIndex((x) => tokenEnd(x) === o);
  if (i < 0) return undefined;
  const t = doc.tokens[i]!;
  const markdown = tokenMarkdown(doc, i, data);
  return markdown ? { markdown, span: spanOf(t) } : undefined;
}

function tokenMarkdown(doc: Lexed, i: number, data: TenantData | undefined): string | undefined {
  const t = doc.tokens[i]!;
  if (t.tokenType === T.Path) return pathMarkdown(t.image);
  if (t.tokenType === T.Underscore) {
    const c = targetAt(doc.tokens, i).collection;
    return `**_** — each item of \`${c ? `${c.object}.${c.name}` : 'the collection'}\` in turn, inside \`-any\`/\`-all\`.`;
  }
  if (isOperator(t)) return operatorHover(t.image);
  if (isString(t)) return stringHover(doc.tokens, i, data);
  switch (t.tokenType) {
    case T.Now:
      return '**system.now** — the date and time (UTC) when Entra evaluates the rule. Entra re-evaluates such rules on its normal processing schedule, not continuously; the preview uses the current time.\n\nAdd or subtract one ISO 8601 duration: `system.now -minus P30D`. Only with `-ge`/`-le`; `-eq system.now` is an error.';
    case T.Duration: return durationHover(t.image);
    case T.DateTimeLiteral: {
      const ms = parseDateTime(t.image);
      return Number.isNaN(ms) ? `**${t.image}** is not a real date.` : `**${t.image}** — ${new Date(ms).toUTCString().replace('GMT', 'UTC')}${/[Zz]|[+-]\d\d:?\d\d$/.test(t.image) ? '' : ' (no zone given: read as UTC)'}.`;
    }
    case T.Null:
      return `**${t.image}** — no value. \`null\` and \`$null\` mean the same; only \`-eq\` and \`-ne\` take it. \`"null"\` in quotes is the text null.`;
    case T.Direct:
    case T.Reports:
    case T.For:
      return directReportsMarkdown(doc.tokens, data);
    default:
      return undefined;
  }
}

function pathMarkdown(raw: string): string {
  const r = resolvePath(raw);
  if (r.def) {
    const canonical = `${r.def.object}.${r.def.name}`;
    const casing = canonical !== raw && !/^extension_/i.test(r.name) ? `\n\nCanonical spelling: \`${canonical}\` (names match in any case).` : '';
    return propertyMarkdown(r.def) + casing;
  }
  if (r.unsupported) return `**${raw}** — not supported in rules.\n\n${r.unsupported}\n\n[Documentation](${DOCS_URL})`;
  if (!r.object) return `**${raw}** — unknown object \`${raw.split('.')[0]}\`: properties start with \`user.\` or \`device.\`.`;
  if (!r.name) return `**${raw}** — properties of the ${r.object}; type a property name after the dot.`;
  const other: PathObject | undefined = r.object === 'user' ? 'device' : r.object === 'device' ? 'user' : undefined;
  const onOther = other && propertiesOf(other).find((p) => p.name.toLowerCase() === r.name.toLowerCase());
  if (onOther) return `**${raw}** — \`${onOther.name}\` is a ${other} property, not a ${r.object} property.`;
  const guesses = closest(r.name, propertiesOf(r.object).map((p) => p.name));
  return `**${raw}** — not a ${r.object} property.${guesses.length ? ` Did you mean ${guesses.map((g) => `\`${g}\``).join(', ')}?` : ''}\n\n[Documentation](${DOCS_URL})`;
}

function operatorHover(image: string): string {
  const def = operatorOf(image);
  const dash = /^[\u2013\u2014\u2212]/.test(image) ? '\n\nThis starts with a typographic dash; only a plain hyphen `-` works in Entra.' : '';
  if (def) return operatorMarkdown(def, image) + dash;
  const word = image.replace(/^[-\u2013\u2014\u2212]/, '').toLowerCase();
  const known = UNSUPPORTED_OPERATORS[word];
  return `**${image}** — not an operator of the rule language.${known ? ` ${known.advice}` : ''}\n\n[Documentation](${DOCS_URL})`;
}

function stringHover(tokens: readonly IToken[], i: number, data: TenantData | undefined): string | undefined {
  const v = stringValue(tokens[i]!);
  const site = valueSite(tokens, i);
  const target = site.operand !== undefined ? targetAt(tokens, site.operand) : undefined;
  if (GUID.test(v.value)) {
    const hint = site.directReports ? 'user' : guidHintFor(target?.def);
    const named = nameGuid(v.value, hint, data);
    return named?.markdown ?? `\`${v.value}\` — a GUID that names no known service plan, product, group or user${data ? '' : ' (no tenant loaded)'}.`;
  }
  const lines: string[] = [];
  const plain = v.raw.slice(1, v.terminated ? -1 : undefined);
  if (plain !== v.value) lines.push(`The text: \`${v.value.replace(/`/g, "'")}\``);
  const def = target?.def?.name === '_' ? target.collection : target?.def;
  const source = def && (def.object === 'user' || def.object === 'device') ? def : undefined;
  if (source && data?.valuesOf) {
    const seen = safe(() => data.valuesOf?.(source.object as 'user' | 'device', source.name)).find((x) => x.value.toLowerCase() === v.value.toLowerCase());
    lines.push(seen ? `In the tenant: ${seen.count} ${source.object}${seen.count === 1 ? '' : 's'} have this ${source.name}.` : `No ${source.object} in the tenant has this ${source.name} (among the values the tenant reports).`);
  }
  return lines.length ? lines.join('\n\n') : undefined;
}

function durationHover(raw: string): string {
  const ms = durationMs(raw);
  if (Number.isNaN(ms)) return `**${raw}** is not an ISO 8601 duration (for example P30D, P7DT12H).`;
  const days = ms / 86_400_000;
  const shown = Number.isInteger(days) ? `${days} day${days === 1 ? '' : 's'}` : `${Math.round(days * 100) / 100} days (${ms / 3_600_000} hours)`;
  const calendar = /[YyMm]/.test(raw.replace(/[Tt].*$/, '')) ? '\n\nYears and months vary in length: the preview counts a year as 365 days and a month as 30; write days to be exact.' : '';
  return `**${raw}** — ${shown}, an ISO 8601 duration (P = period, D days, T then H hours, M minutes).${calendar}`;
}

function directReportsMarkdown(tokens: readonly IToken[], data: TenantData | undefined): string {
  const value = tokens.find((x, k) => tokens[k - 1]?.tokenType === T.For && isString(x));
  const named = value ? nameGuid(stringValue(value).value, 'user', data) : undefined;
  const manager = named?.kind === 'user' ? `\n\nManager: ${named.label}` : '';
  return `**Direct Reports for "<manager object id>"** — the users whose manager is this user; direct reports only, not their reports.${manager}\n\nIt must be the whole rule: it cannot be combined with other conditions. Relies on each user's manager being set.\n\n[Documentation](${DOCS_URL})`;
}

const within = (s: Span, o: number): boolean => s.start <= o && o <= s.end;

function directiveHover(doc: Lexed, c: CommentLine, o: number, data: TenantData | undefined): HoverResult | undefined {
  const d = directives(doc).find((x) => x.span.start === c.span.start);
  if (!d) return undefined;
  if (d.kind === 'group') {
    if (d.value && within(d.valueSpan, o)) {
      const byId = GUID.test(d.value) ? nameGuid(d.value, 'group', data) : undefined;
      const byName = safe(() => data?.groups?.()).find((g) => g.displayName.toLowerCase() === d.value.toLowerCase());
      const markdown = byId?.markdown ?? (byName ? `**${byName.displayName}** — group \`${byName.id}\`${byName.memberCount !== undefined ? `, ${byName.memberCount} members` : ''}` : `No group \`${d.value}\` in the loaded tenant${data ? '' : ' (no tenant loaded)'}.`);
      return { markdown, span: d.valueSpan };
    }
    return { markdown: '**@group** — the existing group this rule is for: the preview compares with its current members and moves the licenses it assigns. `# @group <object id | "display name">`', span: c.span };
  }
  if (d.kind === 'licenses') {
    for (const l of d.licenses) {
      if (within(l.skuSpan, o)) {
        const sku = findSku(l.sku);
        const markdown = sku ? `**${sku.skuPartNumber}** — ${sku.displayName}\n\nProduct \`${sku.skuId}\` with ${sku.servicePlanIds.length} service plans.` : `\`${l.sku}\` is not a known SKU part number or id.`;
        return { markdown, span: l.skuSpan };
      }
      for (const p of l.disabledPlans) {
        if (!within(p.span, o)) continue;
        const plan = findServicePlan(p.plan);
        const inSku = plan && servicePlansOf(l.sku).some((x) => x.servicePlanId === plan.servicePlanId);
        const markdown = plan ? `**${plan.servicePlanName}** — ${plan.friendlyName}, disabled in ${l.sku}${inSku ? '' : ` (but ${l.sku} does not include it)`}.` : `\`${p.plan}\` is not a known service plan.`;
        return { markdown, span: p.span };
      }
    }
    return { markdown: '**@licenses** — the licenses the group assigns, for a group that does not exist yet or to try a change: SKU part numbers or ids, each optionally with plans to disable, `SPE_E3(-YAMMER_ENTERPRISE)`.', span: c.span };
  }
  return { markdown: `**@${d.name}** — unknown directive: the known directives are \`@group\` and \`@licenses\`.`, span: d.nameSpan };
}
