/**
 * Builds grammar/src/data/licensing.json, the SKU and service plan catalogue that hover,
 * completion, inlay hints and the license preview use to name GUIDs, from Microsoft's
 * "Product names and service plan identifiers for licensing" CSV.
 *
 *     npx tsx scripts/generate-licensing-catalogue.ts [--csv <file>] [--out <file>]
 *
 * The CSV has one row per (product, service plan) pair. It is hand-maintained and has quirks that
 * this script irons out, deterministically:
 * - a UTF-8 byte order mark, and quoted fields with commas;
 * - stray spaces and tabs around and inside values (`AAD_PREMIUM_USGOV_GCCHIGH `): trimmed and
 *   collapsed to single spaces;
 * - several spellings of one plan's name or friendly name across rows (`RMS_S_ENTERPRISE)`,
 *   `Microsoft Entra ID P1` vs `Azure Active Directory Premium P1`): the most frequent spelling
 *   wins, ties go to the first seen; the other names of a plan are kept as aliases for look-up;
 * - duplicated (product, plan) rows.
 *
 * The output is compact: plans and SKUs are arrays, a SKU lists its plans by index into the plan
 * array, one entry a line so that a CSV update gives a readable diff.
 *
 * It also builds grammar/src/data/mutually-exclusive.json, the service plans that cannot be
 * assigned together, from data/mutually-exclusive-service-plans.csv (see data/README.md):
 *
 *     npx tsx scripts/generate-licensing-catalogue.ts [--exclusive-csv <file>] [--exclusive-out <file>]
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');

/** Parses CSV (RFC 4180, with a byte order mark or not) into rows of fields, blank lines left out. */
export function parseCsv(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
}

/** Counts spellings in first-seen order, so that ties resolve to the first seen. */
class Spellings {
  private readonly counts = new Map<string, number>();
  add(s: string): void {
    if (s !== '') this.counts.set(s, (this.counts.get(s) ?? 0) + 1);
  }
  /** The most frequent spelling that passes `keep`; '' if none does. */
  best(keep: (s: string) => boolean = () => true): string {
    let best = '';
    let n = 0;
    for (const [s, c] of this.counts) if (c > n && keep(s)) { best = s; n = c; }
    return best;
  }
  all(): string[] {
    return [...this.counts.keys()];
  }
}

interface PlanAcc { id: string; names: Spellings; friendly: Spellings }
interface SkuAcc { id: string; partNumbers: Spellings; displayNames: Spellings; plans: string[] }

const REQUIRED = ['Product_Display_Name', 'String_Id', 'GUID', 'Service_Plan_Name', 'Service_Plan_Id', 'Service_Plans_Included_Friendly_Names'] as const;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const byName = (a: string, b: string): number => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
};

/** Builds the catalogue JSON text from the CSV text. */
export function buildCatalogue(csv: string, sourceName: string): string {
  const rows = parseCsv(csv);
  const header = rows.shift() ?? [];
  const col = Object.fromEntries(REQUIRED.map((h) => {
    const i = header.findIndex((x) => x.trim() === h);
    if (i < 0) throw new Error(`the CSV has no "${h}" column (header: ${header.join(',')})`);
    return [h, i];
  })) as Record<(typeof REQUIRED)[number], number>;

  const plans = new Map<string, PlanAcc>();
  const skus = new Map<string, SkuAcc>();
  rows.forEach((r, n) => {
    const get = (h: (typeof REQUIRED)[number]): string => (r[col[h]] ?? '').replace(/\s+/g, ' ').trim();
    const skuId = get('GUID').toLowerCase();
    const planId = get('Service_Plan_Id').toLowerCase();
    if (!GUID.test(skuId) || !GUID.test(planId)) throw new Error(`CSV line ${n + 2}: a GUID column does not hold a GUID`);
    let p = plans.get(planId);
    if (!p) plans.set(planId, (p = { id: planId, names: new Spellings(), friendly: new Spellings() }));
    p.names.add(get('Service_Plan_Name'));
    p.friendly.add(get('Service_Plans_Included_Friendly_Names'));
    let s = skus.get(skuId);
    if (!s) skus.set(skuId, (s = { id: skuId, partNumbers: new Spellings(), displayNames: new Spellings(), plans: [] }));
    s.partNumbers.add(get('String_Id'));
    s.displayNames.add(get('Product_Display_Name'));
    if (!s.plans.includes(planId)) s.plans.push(planId);
  });

  const planList = [...plans.values()]
    .map((p) => {
      const name = p.names.best();
      // A friendly name that only repeats the plan name says nothing; prefer a real one.
      const friendly = p.friendly.best((s) => s.toLowerCase() !== name.toLowerCase()) || p.friendly.best() || name;
      return { id: p.id, name, friendly, aliases: p.names.all() };
    })
    .sort((a, b) => byName(a.name, b.name) || byName(a.id, b.id));
  const planIndex = new Map(planList.map((p, i) => [p.id, i]));
  const aliases: [string, number][] = [];
  for (const [i, p] of planList.entries()) {
    const seen = new Set([p.name.toLowerCase()]);
    for (const a of p.aliases) {
      if (seen.has(a.toLowerCase())) continue;
      seen.add(a.toLowerCase());
      aliases.push([a, i]);
    }
  }
  aliases.sort((a, b) => byName(a[0], b[0]) || a[1] - b[1]);
  const skuList = [...skus.values()]
    .map((s) => ({ id: s.id, part: s.partNumbers.best(), display: s.displayNames.best(), plans: s.plans.map((id) => planIndex.get(id)!) }))
    .sort((a, b) => byName(a.part, b.part) || byName(a.id, b.id));

  const line = (v: unknown): string => JSON.stringify(v);
  return [
    '{',
    `"source": ${line(sourceName)},`,
    `"sourceSha256": ${line(createHash('sha256').update(csv).digest('hex'))},`,
    '"format": "servicePlans: [servicePlanId, servicePlanName, friendlyName]; skus: [skuId, skuPartNumber, displayName, [index into servicePlans...]]; servicePlanAliases: [other spelling, index into servicePlans]",',
    '"servicePlans": [',
    planList.map((p) => line([p.id, p.name, p.friendly])).join(',\n'),
    '],',
    '"skus": [',
    skuList.map((s) => line([s.id, s.part, s.display, s.plans])).join(',\n'),
    '],',
    '"servicePlanAliases": [',
    aliases.map((a) => line(a)).join(',\n'),
    ']',
    '}',
    '',
  ].join('\n');
}

const EXCLUSIVE_COLUMNS = ['set', 'service', 'servicePlanName', 'servicePlanId'] as const;

/**
 * Builds the mutually exclusive service plans JSON text from the CSV text: one row per plan,
 * `[set, service, servicePlanName, servicePlanId]`, in the CSV's order, ids lower-cased.
 */
export function buildMutuallyExclusive(csv: string, sourceName: string): string {
  const rows = parseCsv(csv);
  const header = (rows.shift() ?? []).map((h) => h.trim());
  const col = EXCLUSIVE_COLUMNS.map((h) => {
    const i = header.indexOf(h);
    if (i < 0) throw new Error(`the CSV has no "${h}" column (header: ${header.join(',')})`);
    return i;
  });
  const seen = new Set<string>();
  const plans = rows.map((r, n) => {
    const [set, service, name, id] = col.map((i) => (r[i] ?? '').replace(/\s+/g, ' ').trim()) as [string, string, string, string];
    const planId = id.toLowerCase();
    if (!set) throw new Error(`CSV line ${n + 2}: no set`);
    if (!GUID.test(planId)) throw new Error(`CSV line ${n + 2}: servicePlanId "${id}" is not a GUID`);
    if (seen.has(planId)) throw new Error(`CSV line ${n + 2}: ${name} (${planId}) is listed twice`);
    seen.add(planId);
    return [set, service, name, planId];
  });
  const line = (v: unknown): string => JSON.stringify(v);
  return [
    '{',
    `"source": ${line(sourceName)},`,
    `"sourceSha256": ${line(createHash('sha256').update(csv).digest('hex'))},`,
    '"format": "plans: [set, service, servicePlanName, servicePlanId]; two different plans of one set cannot be assigned to a user together",',
    '"plans": [',
    plans.map((p) => line(p)).join(',\n'),
    ']',
    '}',
    '',
  ].join('\n');
}

function main(argv: string[]): void {
  const opt = (name: string, fallback: string): string => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
  };
  const csvPath = path.resolve(repo, opt('--csv', '../shared/data/licensing-service-plans.csv'));
  const outPath = path.resolve(repo, opt('--out', 'grammar/src/data/licensing.json'));
  const json = buildCatalogue(readFileSync(csvPath, 'utf8'), path.basename(csvPath));
  mkdirSync(path.dirname(outPath), { recursive: true });
  writeFileSync(outPath, json);
  const parsed = JSON.parse(json) as { servicePlans: unknown[]; skus: unknown[] };
  console.log(`${path.relative(repo, outPath)}: ${parsed.skus.length} SKUs, ${parsed.servicePlans.length} service plans, ${json.length} bytes`);

  const exclusivePath = path.resolve(repo, opt('--exclusive-csv', 'data/mutually-exclusive-service-plans.csv'));
  const exclusiveOut = path.resolve(repo, opt('--exclusive-out', 'grammar/src/data/mutually-exclusive.json'));
  const exclusive = buildMutuallyExclusive(readFileSync(exclusivePath, 'utf8'), path.basename(exclusivePath));
  writeFileSync(exclusiveOut, exclusive);
  console.log(`${path.relative(repo, exclusiveOut)}: ${(JSON.parse(exclusive) as { plans: unknown[] }).plans.length} mutually exclusive service plans`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
