/**
 * Generators shared by the fuzz tests (a short seeded run in the normal suite) and
 * scripts/fuzz.ts (the long run): rule documents, mutations of the sample rules, Graph users,
 * and -match patterns with the strings to match them against.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';

// --- rule documents ----------------------------------------------------------------------------

/** Pieces of rules, in every spelling and with the characters people paste by mistake. */
export const FRAGMENTS = [
  'user.', 'device.', 'department', 'user.department', 'user.assignedPlans', 'user.memberOf', 'device.devicePhysicalIds',
  'user.accountEnabled', 'user.employeeHireDate', 'user.proxyAddresses', 'user.otherMails', 'user.extensionAttribute7',
  'user.extension_9d98ed114c4840d298fad781915f27e4_costCenter', 'user.userType', 'user.jobTitle', 'device.deviceOSType',
  'user.objectId', 'user.mobile', 'user.usageLocation', 'user.city', 'user.DEPARTMENT',
  ' ', '  ', '\n', '\r\n', '\t', '\u00A0', '\u2003', '-eq', 'eq', '-EQ', '-ne', '-in', '-notIn', '-contains', '-notContains', '-match',
  '-notMatch', '-startsWith', '-notStartsWith', '-endsWith', '-ge', '-le', '-gt', '-lt', '-any', '-all', '-and', 'and', '-or', 'OR', '-not',
  '-NOT', '(', ')', '[', ']', ',', '"', "'", '`', '`"', '"Sales"', '"sales"', "'a''b'", '""', '"null"', '#', '# @group ', '# @licenses SPE_E3',
  '# @group "Sales"\n', '@', '_', '_ ', 'system.now', '-plus', '-minus', 'P30D', 'p1y', 'PT1H', 'null', '$null', 'NULL', 'true', 'False',
  'Direct Reports for', 'Direct', 'Reports', 'for', '"efb87545-963c-4e0d-99df-69c6916d9eb0"', '"aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb"',
  '\u2013eq', '\u2014and', '\u2212ne', '\u201C', '\u201D', '\u2018', '\u2019', 'assignedPlan.servicePlanId', 'assignedPlan.capabilityStatus',
  'assignedPlan.', 'group.objectId', '"Enabled"', 'SPE_E3(', '-YAMMER_ENTERPRISE', '2024-01-01T00:00:00Z', '2024-02-30', '12', '-5', '3.5',
  '$', '.', '\\', '\\"', '|', '"^(Sales|Marketing)$"', '"(a+)+$"', '"[ZTDId]"', '"\\d{3}"', '"(?i)x"', '"(?<=a)b"', '"é"', '"😀"',
  '\u0000', '\uFFFD', '\uD800', '😀', 'é', 'İ', 'ſ', '\u200B', '\uFEFF',
];

/** Token soups: fragments and arbitrary characters, joined. */
export const tokenSoup = (maxParts = 30): fc.Arbitrary<string> =>
  fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS) }, { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: 'binary' }) }), { maxLength: maxParts })
    .map((parts) => parts.join(''));

const ROOT = path.resolve(import.meta.dirname, '../../..');

function ruleFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...ruleFilesUnder(p));
    else if (e.name.endsWith('.dynrule')) out.push(p);
  }
  return out.sort();
}

/** Every sample rule (samples/rules/** and samples/invalid), by path relative to the repository. */
export const SAMPLES: readonly { readonly file: string; readonly text: string }[] = [
  ...ruleFilesUnder(path.join(ROOT, 'samples', 'rules')),
  ...ruleFilesUnder(path.join(ROOT, 'samples', 'invalid')),
].map((f) => ({ file: path.relative(ROOT, f), text: readFileSync(f, 'utf8') }));

/** Splits a text into rough tokens (words, quoted strings, punctuation, spaces) to mutate. */
export function roughTokens(text: string): string[] {
  return text.match(/"[^"\n]*"?|'[^'\n]*'?|[-\u2013\u2014\u2212]?[A-Za-z_$][\w.$]*|\d[\w:.-]*|\s+|./gsu) ?? [];
}

/** One mutation of a token list. */
type Mutation = (tokens: string[]) => string[];

const INSERTS = ['\u2013', '\u201C', '\u201D', '\u00A0', '(', ')', '[', ']', '"', "'", '`', '#', '\n', '😀', '\uD800', 'é', '-', ',', '\u0000', '\\'];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((i): Mutation => (t) => t.filter((_, k) => k !== i % Math.max(1, t.length))),
  fc.nat().map((i): Mutation => (t) => { const k = i % Math.max(1, t.length); return [...t.slice(0, k + 1), ...t.slice(k)]; }),
  fc.tuple(fc.nat(), fc.nat()).map(([i, j]): Mutation => (t) => {
    if (t.length < 2) return t;
    const a = i % t.length;
    const b = j % t.length;
    const out = [...t];
    [out[a], out[b]] = [out[b]!, out[a]!];
    return out;
  }),
  fc.tuple(fc.nat(), fc.constantFrom(...INSERTS, ...FRAGMENTS)).map(([i, s]): Mutation => (t) => { const k = i % (t.length + 1); return [...t.slice(0, k), s, ...t.slice(k)]; }),
  fc.tuple(fc.nat(), fc.string({ maxLength: 3, unit: 'binary' })).map(([i, s]): Mutation => (t) => { const k = i % (t.length + 1); return [...t.slice(0, k), s, ...t.slice(k)]; }),
  fc.nat().map((i): Mutation => (t) => t.map((x, k) => (k === i % Math.max(1, t.length) ? x.replace(/-/g, '\u2013').replace(/"/g, '\u201C') : x))),
  fc.nat().map((i): Mutation => (t) => t.map((x, k) => (k === i % Math.max(1, t.length) ? (x === x.toUpperCase() ? x.toLowerCase() : x.toUpperCase()) : x))),
);

/** A sample rule with 1–6 mutations: deleted, duplicated, swapped or inserted tokens, typography. */
export const mutatedSample: fc.Arbitrary<{ file: string; text: string }> = fc
  .tuple(fc.constantFrom(...SAMPLES), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([s, ms]) => ({ file: s.file, text: ms.reduce((t, m) => m(t), roughTokens(s.text)).join('') }));

/** Any document the fuzzers try: soups, mutated samples, samples as they are. */
export const documents: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: tokenSoup() },
  { weight: 4, arbitrary: mutatedSample.map((m) => m.text) },
  { weight: 1, arbitrary: fc.constantFrom(...SAMPLES.map((s) => s.text)) },
);

// --- Graph users -------------------------------------------------------------------------------

const CASES = ['Sales', 'sales', 'SALES', 'Marketing', 'marketing', 'Member', 'member', 'Guest', 'Enabled', 'enabled', 'Contractor', ''];
const STRANGE = ['é', 'É', 'İ', 'ı', 'ſ', 'ß', 'ẞ', '\u212A', 'Σ', 'ς', '😀', '\uD800', '\u00A0', '\u2028', '\r', '\n', '\u0000', '"', '\\', '`'];

const stringValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...CASES) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...CASES, ...STRANGE), { maxLength: 4 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8, unit: 'grapheme' }) },
);
/**
 * Values of the wrong shape that JSON can hold: numbers and booleans where a string belongs,
 * arrays, and objects whose "toString", "valueOf" or "__proto__" are data (String() of such an
 * object throws).
 */
const WRONG_SHAPES: readonly unknown[] = [
  12, 3.5, 0, true, false, [], ['Sales'], [null], {},
  ...['{"toString": 1}', '{"valueOf": {}, "toString": "x"}', '{"__proto__": {"toString": 1}}', '[{"toString": 1}, "a"]', '{"id": "x"}'].map((j) => JSON.parse(j) as unknown),
];
const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null | undefined | unknown> =>
  fc.oneof({ weight: 12, arbitrary: a }, { weight: 2, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...WRONG_SHAPES) });
const GUIDS = ['efb87545-963c-4e0d-99df-69c6916d9eb0', 'EFB87545-963C-4E0D-99DF-69C6916D9EB0', '4828c8ec-dc2e-4779-b502-87ac9ce28ab7', 'aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb'];
const DATES = ['2024-01-01T00:00:00Z', '2023-06-15', '2025-12-31T23:59:59+02:00', 'not a date', '', '2024-02-30T00:00:00Z'];

/** A Graph user as JSON gives it: fields present, null, missing or of the wrong shape; collections empty or not; values in any case. */
export const graphUser: fc.Arbitrary<Record<string, unknown>> = fc.record({
  id: fc.uuid(),
  department: maybe(stringValue),
  jobTitle: maybe(stringValue),
  city: maybe(stringValue),
  userType: maybe(stringValue),
  mobilePhone: maybe(stringValue),
  usageLocation: maybe(fc.constantFrom('US', 'us', 'NL', '')),
  accountEnabled: maybe(fc.oneof(fc.boolean(), fc.constantFrom('true', 'False', 'yes'))),
  employeeHireDate: maybe(fc.constantFrom(...DATES)),
  proxyAddresses: maybe(fc.array(maybe(stringValue), { maxLength: 3 })),
  otherMails: maybe(fc.array(stringValue, { maxLength: 3 })),
  assignedPlans: maybe(fc.array(fc.record({
    servicePlanId: maybe(fc.constantFrom(...GUIDS)),
    capabilityStatus: maybe(fc.constantFrom('Enabled', 'enabled', 'Suspended', 'Deleted')),
    service: maybe(fc.constantFrom('exchange', 'SharePoint')),
  }, { requiredKeys: [] }), { maxLength: 3 })),
  memberOf: maybe(fc.array(fc.constantFrom(...GUIDS), { maxLength: 3 })),
  manager: maybe(fc.oneof(fc.record({ id: fc.constantFrom(...GUIDS) }), fc.constantFrom(...GUIDS))),
  onPremisesExtensionAttributes: maybe(fc.record({ extensionAttribute7: maybe(stringValue) }, { requiredKeys: [] })),
  extension_9d98ed114c4840d298fad781915f27e4_costCenter: maybe(stringValue),
}, { requiredKeys: ['id'] }).map((u) => JSON.parse(JSON.stringify(u)) as Record<string, unknown>);

// --- rules that evaluate ------------------------------------------------------------------------

const STRING_PROPS = ['user.department', 'user.jobTitle', 'user.city', 'user.userType', 'user.mobile', 'user.usageLocation', 'user.extensionAttribute7', 'user.extension_9d98ed114c4840d298fad781915f27e4_costCenter'];
const COLLECTION_PROPS = ['user.proxyAddresses', 'user.otherMails'];
const STRING_OPS = ['-eq', '-ne', '-startsWith', '-notStartsWith', '-endsWith', '-notEndsWith', '-contains', '-notContains', '-match', '-notMatch'];
const quote = (s: string): string => `"${s.replace(/`/g, '``').replace(/"/g, '`"')}"`;
const literal = fc.oneof(fc.constantFrom(...CASES, 'a', 'e', 's', '.*', '^S', 's$', '[a-m]', 'ß|ss'), stringValue).map(quote);

const comparison: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom(...STRING_PROPS), fc.constantFrom(...STRING_OPS), literal).map(([p, o, v]) => `${p} ${o} ${v}`),
  fc.tuple(fc.constantFrom(...STRING_PROPS), fc.constantFrom('-in', '-notIn'), fc.array(literal, { minLength: 1, maxLength: 3 })).map(([p, o, v]) => `${p} ${o} [${v.join(', ')}]`),
  fc.tuple(fc.constantFrom(...STRING_PROPS), fc.constantFrom('-eq', '-ne')).map(([p, o]) => `${p} ${o} null`),
  fc.tuple(fc.constantFrom(...COLLECTION_PROPS), fc.constantFrom('-contains', '-notContains', '-startsWith', '-match', '-notMatch', '-eq', '-ne'), literal).map(([p, o, v]) => `${p} ${o} ${v}`),
  fc.tuple(fc.constantFrom(...COLLECTION_PROPS), fc.constantFrom('-any', '-all'), fc.constantFrom('-eq', '-startsWith', '-contains', '-match', '-ne'), literal).map(([p, q, o, v]) => `${p} ${q} (_ ${o} ${v})`),
  fc.tuple(fc.constantFrom('-eq', '-ne'), fc.constantFrom('true', 'false')).map(([o, v]) => `user.accountEnabled ${o} ${v}`),
  fc.tuple(fc.constantFrom('-ge', '-le'), fc.constantFrom('2024-01-01T00:00:00Z', 'system.now -minus P365D', 'system.now -plus P1D')).map(([o, v]) => `user.employeeHireDate ${o} ${v}`),
  fc.tuple(fc.constantFrom('-any', '-all'), fc.constantFrom(...GUIDS), fc.constantFrom('Enabled', 'enabled', 'Suspended')).map(([q, g, s]) => `user.assignedPlans ${q} (assignedPlan.servicePlanId -eq "${g}" -and assignedPlan.capabilityStatus -eq "${s}")`),
);

/** Random rules that parse without errors (mostly), nested with -and/-or/-not and parentheses. */
export const evaluableRule: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: comparison },
    { weight: 1, arbitrary: fc.tuple(tie('expr'), fc.constantFrom('-and', '-or', 'and', 'OR'), tie('expr')).map(([a, o, b]) => `${a} ${o} ${b}`) },
    { weight: 1, arbitrary: tie('expr').map((e) => `(${e})`) },
    { weight: 1, arbitrary: tie('expr').map((e) => `-not (${e})`) },
  ),
})).expr;

/** memberOf and Direct Reports rules, which stand alone. */
export const standaloneRule: fc.Arbitrary<string> = fc.oneof(
  fc.subarray(GUIDS, { minLength: 1 }).map((ids) => `user.memberOf -any (group.objectId -in [${ids.map((g) => `"${g}"`).join(', ')}])`),
  fc.constantFrom(...GUIDS).map((g) => `Direct Reports for "${g}"`),
);

// --- -match patterns ---------------------------------------------------------------------------

const ATOMS = [
  'a', 'b', 'k', 's', 'S', 'A', 'é', 'É', 'ß', 'ſ', '\u212A', 'İ', 'ı', 'Σ', 'ς', 'σ', '😀', '1', ' ', '\u00A0', '-', '_', '.',
  '\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '\\.', '\\-', '\\\\', '\\t', '\\n', '\\x41', '\\u00e9', '\\u212A', '\\uD83D', '\\/',
  '[abc]', '[^a-z]', '[\\w-]', '[a-zA-Z0-9]', '[^\\s]', '[.]', '[\\d\\s]', '[é-ü]', '[^é]', '[k-s]', '[\\W]', '[\\S\\d]', '[-a]', '[a-]',
  '[^\\n]', '[😀]', '[\\uD800-\\uDFFF]', '[^\\uD83D]', '[]', '[^]', '[\\b]', '{', '}', ']', 'a{', 'x{,2}',
];
const QUANTIFIERS = ['', '', '', '*', '+', '?', '{2}', '{1,3}', '{0,}', '*?', '+?', '??', '{2,}?'];

/** Patterns in the syntax Entra accepts (.NET, translated by the core where it differs). */
export const pattern: fc.Arbitrary<string> = fc.letrec<{ p: string; piece: string }>((tie) => ({
  piece: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...ATOMS), fc.constantFrom(...QUANTIFIERS)).map(([a, q]) => a + q) },
    { weight: 1, arbitrary: fc.constantFrom('^', '$', '\\b', '\\B', '\\A', '\\z') },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('(', '(?:', '(?<n>', '(?<=', '(?<!', '(?=', '(?!'), tie('p'), fc.constantFrom(...QUANTIFIERS)).map(([o, p, q]) => (o.startsWith('(?<=') || o.startsWith('(?<!') || o.startsWith('(?=') || o.startsWith('(?!') ? `${o}${p})` : `${o}${p})${q}`)) },
    { weight: 1, arbitrary: fc.constantFrom('\\p{L}', '\\p{Lu}', '\\P{Ll}', '[\\p{L}\\d]', '\\p{Nd}', '\\p{Greek}') },
  ),
  p: fc.array(tie('piece'), { minLength: 1, maxLength: 4 }).chain((parts) => fc.constantFrom(parts.join(''), parts.join('|'))),
})).p;

/**
 * The shapes that make a backtracking engine run for ever: nested quantifiers over overlapping
 * alternatives (`(a|b?a){0,5000}`, `(\p{L}|x?\p{L})*`, `(a+)+`), lookarounds and back-references in
 * front of them, and large counted repetition — each followed by a character the long names below
 * never hold, so that a backtracking search has to try every way before it fails.
 */
export const hostilePattern: fc.Arbitrary<string> = (() => {
  const letter = fc.constantFrom('a', '\\p{L}', '\\w', '[a-z]', '.');
  const overlapping = fc.tuple(letter, fc.constantFrom('b?', 'x?', 'a?', '', '\\d*'), fc.constantFrom('', '|=', '|,| ', '|aa')).map(([l, opt, more]) => `(${l}|${opt}${l}${more})`);
  const nested = fc.tuple(letter, fc.constantFrom('+', '*', '{1,}', '{2,9}')).map(([l, q]) => `(${l}${q})`);
  const outer = fc.constantFrom('*', '+', '{0,5000}', '{2,}', '{1,1000}', '{20}', '{1001}', '{0,100000}');
  const body = fc.tuple(fc.oneof(overlapping, nested), outer).map(([g, q]) => g + q);
  const around = fc.constantFrom('', '', '(?=a)', '(?=C)', '(?!b)', '(?<=a)', '^', '(a)\\1', '(?<n>a)\\k<n>');
  const end = fc.constantFrom('c', '\\x00', '!', '$', '(?=!)', '\\1');
  const counted = fc.constantFrom('a{0,5000}c', '(ab){1001}', '((a{100}){100}){2}', '(a{2,1000}){2,1000}!', '(.{1,1000}){1,1000}c');
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(around, body, fc.option(body, { nil: '' }), end).map(([a, b, c, e]) => a + b + c + e) },
    { weight: 1, arbitrary: counted },
  );
})();

/** Long names that the hostile patterns' repeated part matches all along: a's, letters, a DN. */
export const longMatchingName: fc.Arbitrary<string> = fc.tuple(
  fc.constantFrom('a', 'ab', 'Aa', 'CN=a,', 'é'),
  fc.integer({ min: 30, max: 3000 }),
).map(([piece, n]) => piece.repeat(n).slice(0, Math.max(n, 30)));

const MATCH_CHARS = ['a', 'A', 'b', 'k', 'K', 's', 'S', 'é', 'É', 'ß', 'ſ', '\u212A', 'İ', 'ı', 'i', 'Σ', 'ς', 'σ', '😀', '\uD83D', '\uDE00', '\uD800', '1', '٣', ' ', '\u00A0', '\u2028', '\r', '\n', '\t', '-', '_', '.', '\\', '/', 'x', 'ü', 'Ü'];

/** Short strings from the characters where engines differ (case, Unicode spaces, surrogates). */
export const matchString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...MATCH_CHARS), { maxLength: 12 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) },
);

// --- runs ----------------------------------------------------------------------------------------

/**
 * fast-check parameters for the short runs in the normal suite: a fixed seed (the same inputs on
 * every machine) unless FUZZ_SEED is set, FUZZ_RUNS to try more. On failure fast-check prints the
 * seed and the shrunk path; replay with FUZZ_SEED=<seed> FUZZ_PATH=<path>.
 */
export function runs(numRuns: number): fc.Parameters<unknown> {
  const seed = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : 20261122;
  const path = process.env['FUZZ_PATH'];
  const n = process.env['FUZZ_RUNS'] !== undefined ? Number(process.env['FUZZ_RUNS']) : numRuns;
  return { seed, numRuns: n, ...(path ? { path, endOnFailure: true } : {}) };
}
