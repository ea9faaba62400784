/**
 * The long fuzz run: `npm run fuzz [-- --seconds S] [--runs N] [--seed X]`.
 *
 * The same properties as the short seeded run in the test suite (test/unit/fuzz/), for as long
 * as asked and with fresh seeds: every editor service on token soups, mutated sample rules and
 * documents up to 10 KB (no exception, answers inside the document, the formatter's promises);
 * the compiled evaluator, the reference interpreter and the columnar engine on random rules ×
 * random users; the linear-time regex engine against RegExp. Once at the start, every service on
 * 1 MB documents and 10,000-deep nesting, timed.
 *
 * Prints the number of inputs per phase and the slowest call per function. On a failure: the
 * seed and path to replay it (FUZZ_SEED=… FUZZ_PATH=… with the test, or --seed here), exit 1.
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import {
  analyzeRegex, checkRule, complete, documentSymbols, foldingRanges, formatRule, hover, inlayHints, parseRule, ruleStatus, semanticTokens, setDefaultRegexEngine, type TenantData,
} from '../grammar/src/index';
import { type GraphObject } from '../grammar/engine/src/index';
import { linearRegexEngine, planRegex } from '../server/src/regex/engine';
import {
  documents, evaluableRule, graphUser, hostilePattern, longMatchingName, matchString, mutatedSample, pattern, SAMPLES, standaloneRule,
} from '../test/unit/fuzz/arbitraries';
import { boundedMatch, exerciseDocument, formatterOutcomes, offsetsOf, sameEvaluations, Timings } from '../test/unit/fuzz/harness';
import { BROKEN_TENANT, TENANT } from '../test/unit/services/helpers';

// -match runs on the linear-time engine, as in the CLI and the server.
setDefaultRegexEngine(linearRegexEngine);

const { values } = parseArgs({
  options: { seconds: { type: 'string' }, runs: { type: 'string' }, seed: { type: 'string' } },
  allowPositionals: false,
});
const seconds = values.seconds !== undefined ? Number(values.seconds) : values.runs !== undefined ? Infinity : 60;
const maxRuns = values.runs !== undefined ? Number(values.runs) : Infinity;
const baseSeed = values.seed !== undefined ? Number(values.seed) : Date.now() % 2 ** 31;
if (!(seconds > 0) || !(maxRuns > 0) || !Number.isInteger(baseSeed)) {
  console.error('usage: npm run fuzz -- [--seconds S] [--runs N] [--seed X]');
  process.exit(2);
}

const started = performance.now();
const elapsed = (): number => (performance.now() - started) / 1000;
const timings = new Timings();
const tenants = fc.constantFrom<TenantData | undefined>(undefined, TENANT, BROKEN_TENANT);

console.log(`fuzz: seed ${baseSeed}, ${Number.isFinite(seconds) ? `${seconds} s` : 'no time limit'}, ${Number.isFinite(maxRuns) ? `${maxRuns} inputs per phase` : 'no input limit'}`);

// --- big inputs, once ----------------------------------------------------------------------------

/** Sample rules on one line, repeated with -or to `length` characters. */
function oneLongLine(length: number): string {
  const rules = SAMPLES.filter((s) => s.file.startsWith('samples/rules')).map((s) => s.text.replace(/^#.*$/gm, '').replace(/\s+/g, ' ').trim()).filter(Boolean);
  let out = '';
  for (let i = 0; out.length < length; i++) out += (i ? ' -or ' : '') + rules[i % rules.length];
  return out.slice(0, length);
}

const BIG: Record<string, () => string> = {
  '1 MB line of rules': () => oneLongLine(1_000_000),
  '1 MB of garbage': () => Array.from({ length: 1_000_000 }, (_, i) => String.fromCharCode((i * 7919 + baseSeed) % 65536)).join(''),
  '10,000-deep parentheses': () => `${'('.repeat(10_000)}user.department -eq "Sales"${')'.repeat(10_000)}`,
  '10,000-deep -any': () => `${'user.assignedPlans -any ('.repeat(10_000)}assignedPlan.capabilityStatus -eq "Enabled"${')'.repeat(10_000)}`,
};
const SERVICES: Record<string, (t: string) => unknown> = {
  parseRule: (t) => parseRule(t),
  checkRule: (t) => checkRule(parseRule(t)),
  formatRule: (t) => formatRule(t),
  documentSymbols: (t) => documentSymbols(t),
  foldingRanges: (t) => foldingRanges(t),
  semanticTokens: (t) => semanticTokens(t),
  inlayHints: (t) => inlayHints(t, TENANT),
  ruleStatus: (t) => ruleStatus(t),
  'complete (middle)': (t) => complete(t, t.length >> 1, TENANT),
  'hover (middle)': (t) => hover(t, t.length >> 1, TENANT),
};

console.log('\nbig inputs (one call each, ms):');
let failed = false;
for (const [name, make] of Object.entries(BIG)) {
  const text = make();
  const row: string[] = [];
  for (const [service, f] of Object.entries(SERVICES)) {
    const t0 = performance.now();
    try {
      f(text);
      row.push(`${service} ${(performance.now() - t0).toFixed(0)}`);
    } catch (e) {
      failed = true;
      row.push(`${service} THREW ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  console.log(`  ${name} (${text.length.toLocaleString('en-US')} chars): ${row.join(', ')}`);
}

// --- the properties, for the time and runs asked ---------------------------------------------------

interface Phase {
  readonly name: string;
  readonly share: number;
  readonly property: fc.IPropertyWithHooks<never> | fc.IProperty<never>;
  inputs: number;
}

const users = fc.array(graphUser, { minLength: 1, maxLength: 12 }).map((us) => us.map((u, i) => ({ ...u, id: `u${i}` }) as GraphObject));
const big = fc.array(documents, { minLength: 5, maxLength: 40 }).map((parts) => parts.join(' ').slice(0, 10_240));
let regexCompared = 0;
const hostile = { ran: 0, refused: 0, invalid: 0 };

const phases: Phase[] = [
  {
    name: 'documents (soups, mutated samples, up to 10 KB) × every service', share: 0.55, inputs: 0,
    property: fc.property(fc.oneof({ weight: 4, arbitrary: documents }, { weight: 3, arbitrary: mutatedSample.map((m) => m.text) }, { weight: 1, arbitrary: big }), tenants,
      (text, data) => exerciseDocument(text, data, offsetsOf(text, 16, 80), timings)) as unknown as fc.IProperty<never>,
  },
  {
    name: 'rules × users: compiled = interpreter = columnar', share: 0.25, inputs: 0,
    property: fc.property(fc.array(fc.oneof({ weight: 9, arbitrary: evaluableRule }, { weight: 1, arbitrary: standaloneRule }), { minLength: 1, maxLength: 4 }), users,
      (rules, us) => { for (const r of rules) sameEvaluations(r, us, timings); }) as unknown as fc.IProperty<never>,
  },
  {
    name: 'regex patterns × strings: linear engine = RegExp', share: 0.1, inputs: 0,
    property: fc.property(pattern, fc.array(matchString, { minLength: 1, maxLength: 8 }), (p, strings) => {
      const a = analyzeRegex(p);
      if (a.error || a.dotnetOnly.length > 0 || a.catastrophic) return;
      const plan = timings.time('regex plan', p, () => planRegex(a));
      if (plan.kind === 'none') return;
      const m = linearRegexEngine.compile(a)!;
      const re = new RegExp(a.source, a.flags);
      for (const s of strings) {
        const got = timings.time('regex match', s, () => m(s));
        if (got !== re.test(s)) throw new Error(`${JSON.stringify(p)} (${plan.kind}) on ${JSON.stringify(s)}: ${got} but RegExp says ${!got}`);
        regexCompared++;
      }
    }) as unknown as fc.IProperty<never>,
  },
  {
    name: 'hostile patterns × long matching names: bounded, never on RegExp', share: 0.1, inputs: 0,
    property: fc.property(hostilePattern, fc.array(longMatchingName, { minLength: 1, maxLength: 4 }), (p, names) => {
      hostile[boundedMatch(p, names, timings)]++;
    }) as unknown as fc.IProperty<never>,
  },
];

const BATCH = 25;
const budget = Number.isFinite(seconds) ? seconds - elapsed() : Infinity;
let seed = baseSeed;
for (const phase of phases) {
  const deadline = elapsed() + Math.max(1, budget * phase.share);
  while (phase.inputs < maxRuns && elapsed() < deadline) {
    const numRuns = Math.min(BATCH, maxRuns - phase.inputs);
    const result = fc.check(phase.property, { seed, numRuns });
    phase.inputs += result.numRuns;
    if (result.failed) {
      failed = true;
      console.error(`\nFAILED: ${phase.name}\n${fc.defaultReportMessage(result) ?? ''}`);
      console.error(`replay: npm run fuzz -- --seed ${seed} --runs ${numRuns}, or FUZZ_SEED=${seed} FUZZ_PATH="${result.counterexamplePath ?? ''}" with the test in test/unit/fuzz/`);
      break;
    }
    seed++;
  }
}

console.log(`\ninputs: ${phases.map((p) => `${p.inputs.toLocaleString('en-US')} ${p.name}`).join('; ')} (${regexCompared.toLocaleString('en-US')} regex comparisons; hostile patterns: ${hostile.ran} run in linear time, ${hostile.refused} refused, ${hostile.invalid} invalid)`);
console.log(`formatter: ${[...formatterOutcomes].map(([k, n]) => `${k} ${n}`).join(', ')}`);
console.log('\nslowest call per function:');
for (const line of timings.report()) console.log(`  ${line}`);
console.log(`\n${failed ? 'FAILED' : 'ok'} after ${elapsed().toFixed(0)} s (seeds ${baseSeed}–${seed})`);
process.exit(failed ? 1 : 0);
