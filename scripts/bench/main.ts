/**
 * The bench's measurements, run by run.ts in a child process on an esbuild bundle. Each figure
 * is a median of several warm runs (after at least one untimed run), printed next to its target.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { CompletionList } from 'vscode-languageserver-protocol';
import { checkRule, parseRule, setDefaultRegexEngine, type ParsedRule } from '../../grammar/src/index';
import {
  compileRule, evaluateColumnar, interpretResult, type CompiledRule, type EvalOptions, type GraphObject, type Table, type TriBits,
} from '../../grammar/engine/src/index';
import { skuCatalogue } from '../../server/src/preview/catalogue';
import { previewRule } from '../../server/src/preview/preview';
import { runRuleTests } from '../../server/src/ruletests/run';
import { linearRegexEngine } from '../../server/src/regex/engine';
import { loadSnapshot, type Snapshot } from '../../server/src/tenant/snapshot';
import type { TenantInfo } from '../../protocol/src/protocol';
import { startHarness } from '../../test/support/lsp';
import { auditSection } from './audit';
import { whatifEditorSection, whatifSection } from './whatif';
import type { Size, TenantData } from './data';
import type { BenchOptions } from './options';
import { fmt, markdown, median, table, type Row } from './report';
import { BENCH_RULES, longRule, PREVIEW_RULE, type BenchRule } from './rules';

const say = (s: string): void => { process.stderr.write(`${s}\n`); };
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const ms = (t0: number): number => performance.now() - t0;

/** Every -match runs on the linear-time engine, as in the CLI and the server. */
setDefaultRegexEngine(linearRegexEngine);

async function timed<T>(runs: number, warm: number, fn: () => T | Promise<T>): Promise<{ ms: number; all: number[]; last: T }> {
  let last: T | undefined;
  for (let i = 0; i < warm; i++) last = await fn();
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await fn();
    all.push(ms(t0));
  }
  return { ms: median(all), all, last: last as T };
}

// ---------------------------------------------------------------------------------------------

function parseSection(rows: Row[]): void {
  const text = longRule();
  const run = (): number => checkRule(parseRule(text)).length;
  for (let i = 0; i < 50; i++) run();
  const all: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    run();
    all.push(ms(t0));
  }
  const m = median(all);
  rows.push({ section: 'parse', measurement: `parse + check, ${text.length.toLocaleString('en-US')}-character rule`, value: m, unit: 'ms', target: '< 1 ms', pass: m < 1, note: `median of ${all.length}` });
}

// ---------------------------------------------------------------------------------------------

interface Compiled { readonly rule: BenchRule; readonly parsed: ParsedRule; readonly compiled: CompiledRule }

const TRI = (t: boolean | 'unknown'): number => (t === 'unknown' ? 2 : t ? 1 : 0);

/**
 * The interpreter and the closures over the same users, as objects built from the columns (in
 * batches). The closures run on every user; the interpreter on every `step`-th (its time is
 * scaled up by `step`): at a million users it takes minutes per rule.
 */
function baselines(t: Table, rules: readonly Compiled[], options: EvalOptions, step: number): { interpreter: number[]; closures: number[]; results: Uint8Array[]; closureResults: Uint8Array[] } {
  const interpreter = rules.map(() => 0);
  const closures = rules.map(() => 0);
  const results = rules.map(() => new Uint8Array(t.rows).fill(255));
  const closureResults = rules.map(() => new Uint8Array(t.rows));
  const BATCH = 50_000;
  for (let start = 0; start < t.rows; start += BATCH) {
    const n = Math.min(BATCH, t.rows - start);
    const objects: GraphObject[] = [];
    for (let k = 0; k < n; k++) objects.push(t.objectAt(start + k));
    rules.forEach((c, i) => {
      const out = results[i]!;
      let t0 = performance.now();
      for (let k = (step - (start % step)) % step; k < n; k += step) out[start + k] = TRI(interpretResult(c.parsed.text, c.parsed.expr!, objects[k]!, options));
      interpreter[i]! += ms(t0) * step;
      const mine = closureResults[i]!;
      t0 = performance.now();
      for (let k = 0; k < n; k++) mine[start + k] = c.compiled.test(objects[k]!);
      closures[i]! += ms(t0);
    });
  }
  return { interpreter, closures, results, closureResults };
}

/** Rows where the engine differs from `expected` (255: not computed there). */
function differences(bits: TriBits, expected: Uint8Array): number {
  let n = 0;
  for (let r = 0; r < expected.length; r++) if (expected[r] !== 255 && bits.get(r) !== expected[r]) n++;
  return n;
}

/** The engine against JSON.parse of the original file: users.jsonl line i is row i. */
async function verifyAgainstJson(dir: string, rules: readonly Compiled[], bits: readonly TriBits[], options: EvalOptions): Promise<number[]> {
  const wrong = rules.map(() => 0);
  const lines = createInterface({ input: createReadStream(path.join(dir, 'users.jsonl'), { encoding: 'utf8' }), crlfDelay: Infinity });
  let row = 0;
  for await (const line of lines) {
    if (!line.trim()) continue;
    const o = JSON.parse(line) as GraphObject;
    rules.forEach((c, i) => { if (TRI(interpretResult(c.parsed.text, c.parsed.expr!, o, options)) !== bits[i]!.get(row)) wrong[i]!++; });
    row++;
  }
  return wrong;
}

async function evalSection(rows: Row[], size: Size, s: Snapshot, dir: string, options: BenchOptions): Promise<void> {
  const t = s.tables.users!;
  const now = Date.parse(String(s.meta?.takenAt));
  const opts: EvalOptions = { now };
  const rules: Compiled[] = BENCH_RULES.map((rule) => {
    const parsed = parseRule(rule.text);
    const c = compileRule(parsed, opts);
    if (!c.ok) throw new Error(`bench rule ${rule.key} does not compile`);
    return { rule, parsed, compiled: c.rule };
  });
  say(`  ${size}: the columnar engine, ${rules.length} rules × ${options.runs} runs ...`);
  const engine: { ms: number; bits: TriBits }[] = [];
  for (const c of rules) {
    const r = await timed(options.runs, 2, () => evaluateColumnar(c.parsed.expr!, t, opts));
    engine.push({ ms: r.ms, bits: r.last });
  }
  const step = size === '1m' && !options.fullBaseline ? 10 : 1;
  say(`  ${size}: the AST interpreter${step > 1 ? ` (every ${step}th user)` : ''} and the closures on the same ${t.rows.toLocaleString('en-US')} users ...`);
  gc();
  const base = baselines(t, rules, opts, step);
  let verified: number[] | undefined;
  if (options.verify && size === '100k') {
    say(`  ${size}: checking the engine against JSON.parse of users.jsonl ...`);
    verified = await verifyAgainstJson(dir, rules, engine.map((e) => e.bits), opts);
  }
  rules.forEach((c, i) => {
    const e = engine[i]!;
    const limit = size === '1m' ? (c.rule.typical ? 100 : 250) : 15;
    const ratio = base.interpreter[i]! / e.ms;
    const diff = differences(e.bits, base.results[i]!);
    const diffClosures = differences(e.bits, base.closureResults[i]!);
    const identical = diff === 0 && diffClosures === 0 && (verified === undefined || verified[i] === 0);
    const notes = [
      `${e.bits.count('t').toLocaleString('en-US')} members`,
      diff === 0 ? `same results as the interpreter${step > 1 ? ` (every ${step}th user; its time ×${step})` : ''}` : `${diff} rows differ from the interpreter`,
      diffClosures === 0 ? 'and the closures' : `${diffClosures} rows differ from the closures`,
      ...(verified ? [verified[i] === 0 ? 'and as on JSON.parse of users.jsonl' : `${verified[i]} rows differ on JSON.parse`] : []),
    ];
    const targets = size === '1m' ? `< ${limit} ms, ≥ 10×` : `< ${limit} ms, ≥ 10×`;
    rows.push({
      section: 'eval', measurement: `evaluate: ${c.rule.title}`, size, value: e.ms, unit: 'ms',
      baseline: base.interpreter[i]!, closures: base.closures[i]!,
      target: targets, pass: e.ms < limit && ratio >= 10 && identical, note: notes.join('; '),
    });
  });
}

async function previewSection(rows: Row[], size: Size, s: Snapshot, options: BenchOptions): Promise<void> {
  const parsed = parseRule(PREVIEW_RULE);
  const now = Date.parse(String(s.meta?.takenAt));
  say(`  ${size}: the whole preview with licences ...`);
  const r = await timed(Math.min(options.runs, 5), 1, () => previewRule(s, parsed, { now, catalogue: skuCatalogue }));
  const p = r.last;
  const lic = p.licenses.map((l) => `${l.skuPartNumber ?? l.skuId} +${l.gained.length.toLocaleString('en-US')} −${l.lost.length.toLocaleString('en-US')}`).join(', ');
  rows.push({
    section: 'preview', measurement: 'whole preview with licences (E3 group, widened)', size, value: r.ms, unit: 'ms',
    note: `${p.before.toLocaleString('en-US')} → ${p.after.toLocaleString('en-US')} members (+${p.added.length.toLocaleString('en-US')} −${p.removed.length.toLocaleString('en-US')}); ${lic}`,
  });
}

// ---------------------------------------------------------------------------------------------

/** Loads a snapshot in a fresh process, so that its peak memory is the load's own. */
async function childLoad(dir: string, workers: number | undefined, cacheDir: string): Promise<void> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const s = await loadSnapshot(dir, { cacheDir, ...(workers !== undefined ? { workers } : {}) });
  const took = ms(t0);
  const cpu = process.cpuUsage(c0);
  const peakMB = (process.resourceUsage().maxRSS * 1024) / 1e6;
  process.stdout.write(JSON.stringify({ ms: took, cpuMs: (cpu.user + cpu.system) / 1000, peakMB, users: s.users?.length ?? 0, devices: s.devices?.length ?? 0, groups: s.groups?.length ?? 0 }));
  // The process stays until the column cache is written; that is not part of the load.
}

interface LoadRun { ms: number; cpuMs: number; peakMB: number; users: number; devices: number; groups: number }

const LOAD_RUNS = 3;

/** The run of median time, with the highest peak memory of all runs. */
function medianRun(runs: readonly LoadRun[]): LoadRun {
  const byTime = [...runs].sort((a, b) => a.ms - b.ms);
  return { ...byTime[byTime.length >> 1]!, peakMB: Math.max(...runs.map((r) => r.peakMB)) };
}

async function loadOnce(data: TenantData, options: BenchOptions, cacheDir: string): Promise<LoadRun> {
  const { spawn } = await import('node:child_process');
  const out = await new Promise<string>((resolve, reject) => {
    const args = [process.argv[1]!, '--child-load', data.dir, cacheDir, ...(options.workers !== undefined ? [String(options.workers)] : [])];
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    p.stdout.on('data', (b: Buffer) => { text += b.toString(); });
    p.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`the load child exited with ${code}`))));
  });
  return JSON.parse(out) as LoadRun;
}

/** A read faster than this came from memory, not from a disk. */
const IN_MEMORY_MBPS = 1000;
/** How often the bytes read so far are read again while a slow read goes on. */
const TOUCH_EVERY_MS = 15_000;

interface Timed { bytes: number; ms: number }
const mbPerS = (r: Timed): string => (r.bytes / 1e6 / (r.ms / 1000)).toFixed(0);
const inMemory = (r: Timed): boolean => r.bytes / 1e6 / (r.ms / 1000) >= IN_MEMORY_MBPS;

/**
 * Reads every JSON Lines file of a snapshot, so that the operating system holds them in memory,
 * and times it. A kernel may page out file pages nobody touched for a while (this machine's
 * does after a minute), which is sooner than a slow disk gives up 9 GB: so while the read goes
 * on, the bytes read so far are read again every 15 s (from memory, quickly; not counted),
 * unless that comes from the disk too (the files do not fit in memory).
 */
async function readIntoMemory(dir: string): Promise<Timed> {
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.jsonl')).map((f) => ({ file: path.join(dir, f), done: 0 }));
  const buf = Buffer.allocUnsafe(1 << 22);
  const readRange = async (file: string, from: number, to: number): Promise<number> => {
    const fh = await fs.open(file, 'r');
    try {
      let at = from;
      while (at < to) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, to - at), at);
        if (bytesRead === 0) break;
        at += bytesRead;
      }
      return at;
    } finally {
      await fh.close();
    }
  };
  const t0 = performance.now();
  let touching = 0;
  let lastTouch = t0;
  let touch = true;
  for (const f of files) {
    const size = (await fs.stat(f.file)).size;
    while (f.done < size) {
      const want = Math.min(size, f.done + (64 << 20));
      f.done = await readRange(f.file, f.done, want);
      if (f.done < want) break; // the file got shorter
      if (touch && performance.now() - lastTouch > TOUCH_EVERY_MS) {
        const s0 = performance.now();
        let bytes = 0;
        for (const g of files) if (g.done > 0) bytes += await readRange(g.file, 0, g.done);
        lastTouch = performance.now();
        touching += lastTouch - s0;
        // Read again from the disk, not from memory: the files do not fit; stop trying.
        if (!inMemory({ bytes, ms: lastTouch - s0 })) touch = false;
      }
    }
  }
  return { bytes: files.reduce((n, f) => n + f.done, 0), ms: ms(t0) - touching };
}

async function loadSection(rows: Row[], data: TenantData, options: BenchOptions, repo: string): Promise<void> {
  // Its own cache folder, emptied first: the first load must read the JSON Lines.
  const cacheDir = path.join(repo, `.bench/cache-load-${data.size}`);
  await fs.rm(cacheDir, { recursive: true, force: true });
  // The first load reads gigabytes: at the disk's speed when the files are not in memory (this
  // bench's own machine reads about 70 MB/s from a cold disk: 9 GB take two minutes by
  // themselves). So the files are read into memory first, timed on a row of their own, and
  // read once more just before the load to check they are all there: the first load then
  // measures the parser.
  say(`  ${data.size}: reading the snapshot's files (disk → memory) ...`);
  const disk = await readIntoMemory(data.dir);
  const again = await readIntoMemory(data.dir);
  const where = inMemory(again)
    ? `the files in memory (read again just before at ${mbPerS(again)} MB/s)`
    : `disk reads included: the files did not stay in memory (read again just before at ${mbPerS(again)} MB/s)`;
  // Three of each, the median reported (a first load takes seconds of two busy cores: one run
  // on a shared machine can be a second or two off) and the highest peak.
  const firsts: LoadRun[] = [];
  const warms: LoadRun[] = [];
  for (let k = 1; k <= LOAD_RUNS; k++) {
    await fs.rm(cacheDir, { recursive: true, force: true });
    say(`  ${data.size}: loading the snapshot in a fresh process, from JSON Lines (${k} of ${LOAD_RUNS}) ...`);
    firsts.push(await loadOnce(data, options, cacheDir));
    say(`  ${data.size}: loading it again, the columns cached by the first load (${k} of ${LOAD_RUNS}) ...`);
    warms.push(await loadOnce(data, options, cacheDir));
  }
  const first = medianRun(firsts);
  const warm = medianRun(warms);
  const spread = (runs: LoadRun[]): string => `${LOAD_RUNS} runs: ${runs.map((r) => (r.ms / 1000).toFixed(1)).join(', ')} s`;
  const big = data.size === '1m';
  const gb = data.bytes / 1e9;
  const mbps = (data.bytes / 1e6) / (first.ms / 1000);
  const counts = `${first.users.toLocaleString('en-US')} users, ${first.devices.toLocaleString('en-US')} devices`;
  // The first load of a snapshot reads and parses its JSON Lines (and caches the columns); later
  // loads read the columns. Both are held to the target.
  rows.push({
    section: 'load', measurement: 'load, warm (after a first load: cached columns)', size: data.size, value: warm.ms / 1000, unit: 's',
    ...(big ? { target: '< 15 s', pass: warm.ms < 15_000 } : {}), note: `median of ${spread(warms)}; CPU ${(warm.cpuMs / 1000).toFixed(1)} s; ${counts}`,
  });
  rows.push({ section: 'load', measurement: 'peak RSS of the warm load', size: data.size, value: warm.peakMB, unit: 'MB', note: `the highest of ${LOAD_RUNS} runs`, ...(big ? { target: '< 2,000 MB', pass: warm.peakMB < 2000 } : {}) });
  rows.push({
    section: 'load', measurement: 'load, first (parse the JSON Lines into columns)', size: data.size, value: first.ms / 1000, unit: 's',
    ...(big ? { target: '< 15 s', pass: first.ms < 15_000 } : {}),
    note: `median of ${spread(firsts)}; ${gb.toFixed(1)} GB parsed at ${mbps.toFixed(0)} MB/s; CPU ${(first.cpuMs / 1000).toFixed(1)} s on all threads; ${where}`,
  });
  rows.push({
    section: 'load', measurement: 'reading the files into memory, before the first loads', size: data.size, value: disk.ms / 1000, unit: 's',
    note: `${(disk.bytes / 1e9).toFixed(1)} GB at ${mbPerS(disk)} MB/s: ${inMemory(disk) ? 'the operating system still held them from an earlier read' : 'from the disk'}`,
  });
  rows.push({ section: 'load', measurement: 'peak RSS of the first load', size: data.size, value: first.peakMB, unit: 'MB', note: `the highest of ${LOAD_RUNS} runs`, ...(big ? { target: '< 2,000 MB', pass: first.peakMB < 2000 } : {}) });
  if (data.generatedSeconds > 0) rows.push({ section: 'load', measurement: 'generating the tenant (first run only)', size: data.size, value: data.generatedSeconds, unit: 's' });
}

// ---------------------------------------------------------------------------------------------

async function until<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const t0 = performance.now();
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (ms(t0) > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function lspSection(rows: Row[], data: TenantData, options: BenchOptions): Promise<void> {
  say(`  ${data.size}: the language server, through a real protocol client ...`);
  // Its own column cache, emptied: the server's tenant load below is a first load.
  const cacheDir = path.join(path.dirname(data.dir), 'cache-lsp');
  await fs.rm(cacheDir, { recursive: true, force: true });
  process.env['DYNRULE_CACHE_DIR'] = cacheDir;
  const h = await startHarness({ tenant: { kind: 'folder', path: data.dir }, settings: { diagnostics: { delay: 0 } } });
  try {
    const t0 = performance.now();
    const info = await until(async () => {
      const i = await h.client.sendRequest<TenantInfo>('dynrule/tenantInfo', {});
      if (i.state === 'failed') throw new Error(i.error);
      return i.state === 'ready' ? i : undefined;
    }, 300_000, 'the tenant to load');
    const loaded = ms(t0);
    const n = Math.max(options.runs * 3, 15);

    // Diagnostics after an edit of a 3,072-character rule.
    const long = longRule();
    const uri = await h.open('long.dynrule', long);
    await h.diagnostics(uri, 1);
    const diag: number[] = [];
    for (let k = 0; k < n; k++) {
      const at = long.length - 2 - (k % 5);
      const text = long.slice(0, at) + String.fromCharCode(97 + (k % 26)) + long.slice(at + 1);
      const t = performance.now();
      await h.change(uri, text);
      await h.diagnostics(uri, k + 2);
      diag.push(ms(t));
    }
    rows.push({ section: 'lsp', measurement: 'diagnostics after an edit (3,072-character rule)', size: data.size, value: median(diag), unit: 'ms', target: '< 50 ms', pass: median(diag) < 50, note: `edit → publishDiagnostics, median of ${n}` });

    // Completion of values seen in the tenant.
    const partial = 'user.department -eq "';
    const curi = await h.open('complete.dynrule', partial);
    const complete = (): Promise<CompletionList> => h.client.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri: curi }, position: { line: 0, character: partial.length } });
    const first = await complete();
    const comp = await timed(n, 2, complete);
    rows.push({ section: 'lsp', measurement: 'completion (department values seen in the tenant)', size: data.size, value: comp.ms, unit: 'ms', target: '< 20 ms', pass: comp.ms < 20, note: `${first.items.length} items; median of ${n}` });

    // Code lens refresh after an edit: the preview of the new text over the whole tenant.
    const puri = await h.open('e3.dynrule', PREVIEW_RULE);
    const lens = (): Promise<{ command?: { title: string } }[]> => h.client.sendRequest('textDocument/codeLens', { textDocument: { uri: puri } });
    await lens();
    const lensTimes: number[] = [];
    let titles = '';
    for (let k = 0; k < n; k++) {
      const text = PREVIEW_RULE.replace('"Contractor"', k % 2 ? '"Contractor"' : '"Contractors"');
      await h.change(puri, text);
      const t = performance.now();
      const got = await lens();
      lensTimes.push(ms(t));
      titles = got.map((l) => l.command?.title ?? '').join(' | ');
    }
    rows.push({ section: 'lsp', measurement: 'code lens refresh after an edit (preview with licences)', size: data.size, value: median(lensTimes), unit: 'ms', target: '< 300 ms', pass: median(lensTimes) < 300, note: titles.slice(0, 120) });
    rows.push({ section: 'lsp', measurement: 'tenant load in the language server (a first load)', size: data.size, value: loaded / 1000, unit: 's', note: `${(info.users ?? 0).toLocaleString('en-US')} users from JSON Lines, disk included` });
  } finally {
    h.close();
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Rule test files of 10,000 and 20,000 inline cases, read and run as `dynrule test` does: the
 * time should about double with the size (each case's line comes from one index of the file).
 */
async function ruleTestsSection(rows: Row[], repo: string, options: BenchOptions): Promise<void> {
  const dir = path.join(repo, '.bench/ruletests');
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'rule.dynrule'), 'user.department -eq "Sales" -and user.accountEnabled -eq true\n');
  let first: number | undefined;
  for (const n of [10_000, 20_000]) {
    const cases = Array.from({ length: n }, (_, i) => ({ name: `case ${i}`, user: { department: i % 2 ? 'Sales' : 'HR', accountEnabled: true }, expect: i % 2 ? 'member' : 'notMember' }));
    const file = path.join(dir, `cases-${n}.ruletests.json`);
    await fs.writeFile(file, JSON.stringify({ rule: 'rule.dynrule', cases }, null, 2));
    const r = await timed(Math.min(options.runs, 3), 1, () => runRuleTests([file]));
    if (r.last.passed !== n) throw new Error(`rule tests: ${r.last.passed} of ${n} cases passed`);
    const perCase = `${((r.ms * 1000) / n).toFixed(1)} µs a case; median of ${r.all.length}`;
    const measurement = `rule test file, ${n.toLocaleString('en-US')} cases (read and run)`;
    if (first === undefined) {
      first = r.ms;
      rows.push({ section: 'ruletests', measurement, value: r.ms, unit: 'ms', note: perCase });
    } else {
      // Linear: twice the cases, about twice the time (it was four times: 16 s, then 47 s).
      const ratio = r.ms / first;
      rows.push({ section: 'ruletests', measurement, value: r.ms, unit: 'ms', target: '< 3 × the 10,000', pass: ratio < 3, note: `${ratio.toFixed(2)} × the 10,000; ${perCase}` });
    }
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (process.argv[2] === '--child-load') {
    await childLoad(process.argv[3]!, process.argv[5] !== undefined ? Number(process.argv[5]) : undefined, process.argv[4]!);
    return;
  }
  const { options, data, repo } = JSON.parse(process.argv[2]!) as { options: BenchOptions; data: TenantData[]; repo: string };
  const rows: Row[] = [];
  const cpu = cpus();
  const machine = `${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  say(`machine: ${machine}`);
  const wants = (x: BenchOptions['only'][number]): boolean => options.only.includes(x);

  if (wants('parse')) { say('parse + check ...'); parseSection(rows); }
  if (wants('ruletests')) { say('rule test files ...'); await ruleTestsSection(rows, repo, options); }
  // The language server first, while this process's heap is small: after the million-user
  // sections its tenant load would measure this process's garbage collector, not the server.
  const lspRows: Row[] = [];
  if (wants('lsp')) {
    const d = data.find((x) => x.size === '100k');
    if (d) await lspSection(lspRows, d, options);
  }
  // The what-if in the editor, before the big tenants too: the sample in a small heap.
  const editorRows: Row[] = [];
  if (wants('whatif')) await whatifEditorSection(editorRows, repo, options);
  for (const d of data) {
    if (!options.sizes.includes(d.size)) continue;
    if (d.dynamicGroups > 0) {
      // The tenant with thousands of dynamic groups is the whole-tenant bench's alone.
      if (!wants('audit') && !wants('whatif')) continue;
      say(`loading ${d.size} with ${d.dynamicGroups.toLocaleString('en-US')} dynamic groups into the bench process ...`);
      const t0 = performance.now();
      const s = await loadSnapshot(d.dir, { only: ['users', 'groups', 'subscribedSkus', 'administrativeUnits'], cacheDir: path.join(repo, '.bench/cache'), ...(options.workers !== undefined ? { workers: options.workers } : {}) });
      say(`  loaded in ${(ms(t0) / 1000).toFixed(1)} s`);
      // The what-if first: it is then the first question after the load, with nothing built
      // before it (the audit would build the tenant's member-id index and warm the code).
      if (wants('whatif')) await whatifSection(rows, d, s, options);
      if (wants('audit')) await auditSection(rows, d, s, options);
      continue;
    }
    if (wants('eval') || wants('preview')) {
      say(`loading ${d.size} into the bench process ...`);
      const t0 = performance.now();
      const s = await loadSnapshot(d.dir, { only: ['users', 'groups', 'subscribedSkus'], cacheDir: path.join(repo, '.bench/cache'), ...(options.workers !== undefined ? { workers: options.workers } : {}) });
      say(`  loaded in ${(ms(t0) / 1000).toFixed(1)} s`);
      if (wants('eval')) await evalSection(rows, d.size, s, d.dir, options);
      if (wants('preview')) await previewSection(rows, d.size, s, options);
    }
    if (wants('load')) await loadSection(rows, d, options, repo);
  }
  rows.push(...lspRows, ...editorRows);

  const failed = rows.filter((r) => r.pass === false);
  const result = { machine, date: new Date().toISOString(), options, rows, passed: failed.length === 0 };
  await fs.mkdir(path.join(repo, '.bench'), { recursive: true });
  await fs.writeFile(path.join(repo, '.bench/results.json'), JSON.stringify(result, null, 2));
  await fs.writeFile(path.join(repo, '.bench/results.md'), `${markdown(rows)}\n`);
  if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    process.stdout.write(`\nEntra Dynamic Rules bench — ${machine}\n\n${table(rows)}\n\n`);
    process.stdout.write(failed.length ? `${failed.length} target${failed.length === 1 ? '' : 's'} missed: ${failed.map((r) => `${r.measurement}${r.size ? ` (${r.size})` : ''} ${fmt(r.value, r.unit)}`).join('; ')}\n` : 'Every target met.\n');
    process.stdout.write('Results also in .bench/results.json and .bench/results.md.\n');
  }
  process.exitCode = failed.length ? 1 : 0;
}

await main();
