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
import * as l10n from '../l10n';
import { findServicePlan, findSku, mutuallyExclusiveSet, servicePlansOf } from '../licensing';
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
    return l10n.t('**_** — each item of `{0}` in turn, inside `-any`/`-all`.', c ? `${c.object}.${c.name}` : l10n.t('the collection'));
  }
  if (isOperator(t)) return operatorHover(t.image);
  if (isString(t)) return stringHover(doc.tokens, i, data);
  switch (t.tokenType) {
    case T.Now:
      return `${l10n.t('**system.now** — the date and time (UTC) when Entra evaluates the rule. Entra re-evaluates such rules on its normal processing schedule, not continuously; the preview uses the current time.')}\n\n${l10n.t('Add or subtract one ISO 8601 duration: `system.now -minus P30D`. Only with `-ge`/`-le`; `-eq system.now` is an error.')}`;
    case T.Duration: return durationHover(t.image);
    case T.DateTimeLiteral: {
      const ms = parseDateTime(t.image);
      if (Number.isNaN(ms)) return l10n.t('**{0}** is not a real date.', t.image);
      const utc = new Date(ms).toUTCString().replace('GMT', 'UTC');
      return /[Zz]|[+-]\d\d:?\d\d$/.test(t.image) ? l10n.t('**{0}** — {1}.', t.image, utc) : l10n.t('**{0}** — {1} (no zone given: read as UTC).', t.image, utc);
    }
    case T.Null:
      return l10n.t('**{0}** — no value. `null` and `$null` mean the same; only `-eq` and `-ne` take it. `"null"` in quotes is the text null.', t.image);
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
    const casing = canonical !== raw && !/^extension_/i.test(r.name) ? `\n\n${l10n.t('Canonical spelling: `{0}` (names match in any case).', canonical)}` : '';
    return propertyMarkdown(r.def) + casing;
  }
  if (r.unsupported) return `${l10n.t('**{0}** — not supported in rules.', raw)}\n\n${l10n.t(r.unsupported)}\n\n[${l10n.t('Documentation')}](${DOCS_URL})`;
  if (!r.object) return l10n.t('**{0}** — unknown object `{1}`: properties start with `user.` or `device.`.', raw, raw.split('.')[0]!);
  if (!r.name) return l10n.t('**{0}** — properties of the {1}; type a property name after the dot.', raw, r.object);
  const other: PathObject | undefined = r.object === 'user' ? 'device' : r.object === 'device' ? 'user' : undefined;
  const onOther = other && propertiesOf(other).find((p) => p.name.toLowerCase() === r.name.toLowerCase());
  if (onOther) return l10n.t('**{0}** — `{1}` is a {2} property, not a {3} property.', raw, onOther.name, other, r.object);
  const guesses = closest(r.name, propertiesOf(r.object).map((p) => p.name));
  return `${l10n.t('**{0}** — not a {1} property.', raw, r.object)}${guesses.length ? ` ${l10n.t('Did you mean {0}?', guesses.map((g) => `\`${g}\``).join(', '))}` : ''}\n\n[${l10n.t('Documentation')}](${DOCS_URL})`;
}

function operatorHover(image: string): string {
  const def = operatorOf(image);
  const dash = /^[\u2013\u2014\u2212]/.test(image) ? `\n\n${l10n.t('This starts with a typographic dash; only a plain hyphen `-` works in Entra.')}` : '';
  if (def) return operatorMarkdown(def, image) + dash;
  const word = image.replace(/^[-\u2013\u2014\u2212]/, '').toLowerCase();
  const known = UNSUPPORTED_OPERATORS[word];
  return `${l10n.t('**{0}** — not an operator of the rule language.', image)}${known ? ` ${l10n.t(known.advice)}` : ''}\n\n[${l10n.t('Documentation')}](${DOCS_URL})`;
}

function stringHover(tokens: readonly IToken[], i: number, data: TenantData | undefined): string | undefined {
  const v = stringValue(tokens[i]!);
  const site = valueSite(tokens, i);
  const target = site.operand !== undefined ? targetAt(tokens, site.operand) : undefined;
  if (GUID.test(v.value)) {
    const hint = site.directReports ? 'user' : guidHintFor(target?.def);
    const named = nameGuid(v.value, hint, data);
    return named?.markdown ?? (data
      ? l10n.t('`{0}` — a GUID that names no known service plan, product, group or user.', v.value)
      : l10n.t('`{0}` — a GUID that names no known service plan, product, group or user (no tenant loaded).', v.value));
  }
  const lines: string[] = [];
  const plain = v.raw.slice(1, v.terminated ? -1 : undefined);
  if (plain !== v.value) lines.push(l10n.t('The text: `{0}`', v.value.replace(/`/g, "'")));
  const def = target?.def?.name === '_' ? target.collection : target?.def;
  const source = def && (def.object === 'user' || def.object === 'device') ? def : undefined;
  if (source && data?.valuesOf) {
    const seen = safe(() => data.valuesOf?.(source.object as 'user' | 'device', source.name)).find((x) => x.value.toLowerCase() === v.value.toLowerCase());
    const user = source.object === 'user';
    if (!seen) lines.push(user ? l10n.t('No user in the tenant has this {0} (among the values the tenant reports).', source.name) : l10n.t('No device in the tenant has this {0} (among the values the tenant reports).', source.name));
    else if (seen.count === 1) lines.push(user ? l10n.t('In the tenant: {0} user have this {1}.', seen.count, source.name) : l10n.t('In the tenant: {0} device have this {1}.', seen.count, source.name));
    else lines.push(user ? l10n.t('In the tenant: {0} users have this {1}.', seen.count, source.name) : l10n.t('In the tenant: {0} devices have this {1}.', seen.count, source.name));
  }
  return lines.length ? lines.join('\n\n') : undefined;
}

function durationHover(raw: string): string {
  const ms = durationMs(raw);
  if (Number.isNaN(ms)) return l10n.t('**{0}** is not an ISO 8601 duration (for example P30D, P7DT12H).', raw);
  const days = ms / 86_400_000;
  const shown = Number.isInteger(days) ? (days === 1 ? l10n.t('{0} day', days) : l10n.t('{0} days', days)) : l10n.t('{0} days ({1} hours)', Math.round(days * 100) / 100, ms / 3_600_000);
  const calendar = /[YyMm]/.test(raw.replace(/[Tt].*$/, '')) ? `\n\n${l10n.t('Years and months vary in length: the preview counts a year as 365 days and a month as 30; write days to be exact.')}` : '';
  return `${l10n.t('**{0}** — {1}, an ISO 8601 duration (P = period, D days, T then H hours, M minutes).', raw, shown)}${calendar}`;
}

function directReportsMarkdown(tokens: readonly IToken[], data: TenantData | undefined): string {
  const value = tokens.find((x, k) => tokens[k - 1]?.tokenType === T.For && isString(x));
  const named = value ? nameGuid(stringValue(value).value, 'user', data) : undefined;
  const manager = named?.kind === 'user' ? `\n\n${l10n.t('Manager: {0}', named.label)}` : '';
  return `${l10n.t('**Direct Reports for "<manager object id>"** — this user and the users whose manager they are: Entra adds the manager to the group too (groups-dynamic-membership, 2026-08). Direct reports only, not their reports.')}${manager}\n\n${l10n.t("It must be the whole rule: it cannot be combined with other conditions. Relies on each user's manager being set.")}\n\n[${l10n.t('Documentation')}](${DOCS_URL})`;
}

/** Tenant text as a Markdown code block: the fence is longer than any run of backticks in it. */
function codeBlock(text: string): string {
  const fence = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${fence}dynrule\n${text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')}\n${fence}`;
}

const within = (s: Span, o: number): boolean => s.start <= o && o <= s.end;

function directiveHover(doc: Lexed, c: CommentLine, o: number, data: TenantData | undefined): HoverResult | undefined {
  const d = directives(doc).find((x) => x.span.start === c.span.start);
  if (!d) return undefined;
  if (d.kind === 'group') {
    if (d.value && within(d.valueSpan, o)) {
      const key = d.value.toLowerCase();
      const groups = safe(() => data?.groups?.());
      const byId = GUID.test(d.value) ? nameGuid(d.value, 'group', data) : undefined;
      const byName = groups.find((g) => g.displayName.toLowerCase() === key);
      const markdown = byId?.markdown ?? (byName
        ? (byName.memberCount !== undefined ? l10n.t('**{0}** — group `{1}`, {2} members', byName.displayName, byName.id, byName.memberCount) : l10n.t('**{0}** — group `{1}`', byName.displayName, byName.id))
        : (data ? l10n.t('No group `{0}` in the loaded tenant.', d.value) : l10n.t('No group `{0}` in the loaded tenant (no tenant loaded).', d.value)));
      const rule = (byName ?? groups.find((g) => g.id.toLowerCase() === key))?.membershipRule;
      return { markdown: rule ? `${markdown}\n\n${l10n.t('Its current rule:')}\n\n${codeBlock(rule)}` : markdown, span: d.valueSpan };
    }
    return { markdown: `${l10n.t('**@group** — the existing group this rule is for: the preview compares with its current members and moves the licenses it assigns. `# @group <object id | "display name">`')}\n\n${licensingModel()}`, span: c.span };
  }
  if (d.kind === 'licenses') {
    for (const l of d.licenses) {
      if (within(l.skuSpan, o)) {
        const sku = findSku(l.sku);
        const markdown = sku ? `**${sku.skuPartNumber}** — ${sku.displayName}\n\n${l10n.t('Product `{0}` with {1} service plans.', sku.skuId, sku.servicePlanIds.length)}` : l10n.t('`{0}` is not a known SKU part number or id.', l.sku);
        return { markdown, span: l.skuSpan };
      }
      for (const p of l.disabledPlans) {
        if (!within(p.span, o)) continue;
        const plan = findServicePlan(p.plan);
        const inSku = plan && servicePlansOf(l.sku).some((x) => x.servicePlanId === plan.servicePlanId);
        const markdown = plan
          ? (inSku ? l10n.t('**{0}** — {1}, disabled in {2}.', plan.servicePlanName, plan.friendlyName, l.sku) : l10n.t('**{0}** — {1}, disabled in {2} (but {2} does not include it).', plan.servicePlanName, plan.friendlyName, l.sku))
            + exclusiveNote(plan.servicePlanId)
          : l10n.t('`{0}` is not a known service plan.', p.plan);
        return { markdown, span: p.span };
      }
    }
    return { markdown: `${l10n.t('**@licenses** — the licenses the group assigns, for a group that does not exist yet or to try a change: SKU part numbers or ids, each optionally with plans to disable, `SPE_E3(-YAMMER_ENTERPRISE)`.')}\n\n${licensingModel()}`, span: c.span };
  }
  if (d.kind === 'administrativeUnit') {
    if (d.value && within(d.valueSpan, o)) {
      const key = d.value.toLowerCase();
      const unit = safe(() => data?.administrativeUnits?.()).find((u) => u.id.toLowerCase() === key || u.displayName.toLowerCase() === key);
      const markdown = unit
        ? l10n.t('**{0}** — administrative unit `{1}`', unit.displayName, unit.id)
        : (data ? l10n.t('No administrative unit `{0}` in the loaded tenant.', d.value) : l10n.t('No administrative unit `{0}` in the loaded tenant (no tenant loaded).', d.value));
      return { markdown: unit?.membershipRule ? `${markdown}\n\n${l10n.t('Its current rule:')}\n\n${codeBlock(unit.membershipRule)}` : markdown, span: d.valueSpan };
    }
    return { markdown: l10n.t('**@administrativeUnit** — the dynamic administrative unit this rule is for, as `dynrule pull` writes it: current members come from it. Administrative units assign no licenses. `# @administrativeUnit <object id | "display name">`'), span: c.span };
  }
  return { markdown: l10n.t('**@{0}** — unknown directive: the known directives are `@group`, `@administrativeUnit` and `@licenses`.', d.name), span: d.nameSpan };
}

const GROUP_LICENSING_DOCS = 'https://learn.microsoft.com/entra/identity/users/licensing-groups-resolve-problems';

/** What the license preview models of Entra's group-based licensing, and what it does not. */
function licensingModel(): string {
  return l10n.t("The preview follows Entra's group-based licensing: one seat per user per product; a seat shortfall is CountViolation for that many members, and Entra picks which; MutuallyExclusiveViolation from Microsoft's table of service plans that cannot be assigned together, after each assignment's disabled plans; a group assigns all of its products or none; users without usageLocation take the tenant's country; only security-enabled groups assign licenses. Not modelled, for want of data: DependencyViolation and add-on prerequisites other than Workplace Analytics, ProhibitedInUsageLocationViolation. [Resolve group license assignment problems]({0})", GROUP_LICENSING_DOCS);
}

/** A disabled plan that belongs to a set of mutually exclusive plans: disabling it avoids a conflict. */
function exclusiveNote(servicePlanId: string): string {
  const set = mutuallyExclusiveSet(servicePlanId);
  return set ? `\n\n${l10n.t('It cannot be assigned together with a different plan of the "{0}" set (MutuallyExclusiveViolation): disabling it avoids that conflict.', set)}` : '';
}
