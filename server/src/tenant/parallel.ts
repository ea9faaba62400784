/**
 * Loads a large `.jsonl` collection on every core: the file is cut into byte ranges at line
 * breaks, each range is read into columns by a worker thread, and the columns are appended in
 * file order. A small file, or a build without the worker script, is read in this thread.
 */
import { existsSync, promises as fs } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RuleObject } from '../../../grammar/src/index';
import { TableBuilder } from '../../../grammar/engine/src/index';
import type { ScanJob, ScanMessage } from './scanWorker';
import { MAX_LINE_BYTES } from './jsonLine';
import { SnapshotError } from './snapshotError';
import { streamJsonLines, type StreamOptions } from './stream';

/** Below this size a file is read in this thread: starting workers would cost more than it saves. */
const PARALLEL_MIN_BYTES = 48 << 20;

/** The bundle this code runs from (`dist/cli.js`, `dist/server.js`); undefined in the ES module sources. */
function bundleFile(): string | undefined {
  try {
    return typeof __filename === 'string' ? __filename : undefined;
  } catch {
    return undefined; // An ES module: no __filename.
  }
}

/**
 * How to start a worker: `scanWorker.js` beside the bundle; in the TypeScript sources (run
 * through tsx, whose loader worker threads do not inherit) a bootstrap that loads it with tsx.
 * Exported for test/unit/security/code.test.ts, which holds both answers to what they must be.
 */
export function workerScript(bundle: string | undefined = bundleFile()): { readonly script: string | URL; readonly eval: boolean } | undefined {
  if (bundle !== undefined) {
    const js = path.join(path.dirname(bundle), 'scanWorker.js');
    return existsSync(js) ? { script: js, eval: false } : undefined;
  }
  const url = new URL('./scanWorker.ts', import.meta.url);
  if (!existsSync(fileURLToPath(url))) return undefined;
  const boot = `import('tsx/esm/api').then((m) => m.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(import.meta.url)}))`;
  return { script: boot, eval: true };
}

export interface TableLoadOptions extends Omit<StreamOptions, 'start' | 'end' | 'lineBase'> {
  /**
   * Worker threads to use. By default one per core (at most 4) for files of 48 MB or more; a
   * number given here is used whatever the size (0 or 1: read in this thread).
   */
  readonly workers?: number;
}

/** Reads a `.jsonl` file of users or devices into a table builder, in parallel when it is large. */
export async function loadJsonLinesTable(file: string, object: RuleObject, options: TableLoadOptions = {}): Promise<TableBuilder> {
  const size = (await fs.stat(file)).size;
  const wanted = options.workers ?? (size >= PARALLEL_MIN_BYTES ? Math.min(4, availableParallelism()) : 1);
  const script = wanted > 1 && size > 0 ? workerScript() : undefined;
  if (!script) return (await streamJsonLines(file, object, options)).builder;
  const ranges = await splitAtLines(file, size, wanted);
  return runWorkers(script, file, object, ranges, options);
}

/** Cuts `[0, size)` into `n` ranges that start at line starts. */
async function splitAtLines(file: string, size: number, n: number): Promise<[number, number][]> {
  const fh = await fs.open(file, 'r');
  try {
    const cuts = [0];
    const probe = Buffer.allocUnsafe(1 << 16);
    for (let k = 1; k < n; k++) {
      let pos = Math.max(cuts[cuts.length - 1]!, Math.floor((size * k) / n));
      const from = pos;
      for (;;) {
        // No line break this far: no cut here; the range before reaches the long line and fails on it.
        if (pos - from > MAX_LINE_BYTES) { pos = size; break; }
        const { bytesRead } = await fh.read(probe, 0, probe.length, pos);
        if (bytesRead === 0) { pos = size; break; }
        const nl = probe.subarray(0, bytesRead).indexOf(10);
        if (nl >= 0) { pos += nl + 1; break; }
        pos += bytesRead;
      }
      if (pos < size && pos > cuts[cuts.length - 1]!) cuts.push(pos);
    }
    cuts.push(size);
    const out: [number, number][] = [];
    for (let k = 0; k + 1 < cuts.length; k++) out.push([cuts[k]!, cuts[k + 1]!]);
    return out;
  } finally {
    await fh.close();
  }
}

async function runWorkers(start: { readonly script: string | URL; readonly eval: boolean }, file: string, object: RuleObject, ranges: [number, number][], options: TableLoadOptions): Promise<TableBuilder> {
  const label = path.basename(file);
  const trace = process.env['DYNRULE_TRACE_LOAD'] ? (what: string): void => { process.stderr.write(`load: ${label}: ${what}\n`); } : undefined;
  const started = performance.now();
  const rows = ranges.map(() => 0);
  const workers: Worker[] = [];
  const results = ranges.map(([from, end], k) => new Promise<Extract<ScanMessage, { type: 'done' }> | Extract<ScanMessage, { type: 'error' | 'failed' }>>((resolve) => {
    const w = new Worker(start.script, { eval: start.eval, workerData: { file, object, start: from, end } satisfies ScanJob });
    workers.push(w);
    let settled = false;
    w.on('message', (m: ScanMessage) => {
      if (m.type === 'progress') {
        rows[k] = m.rows;
        options.onCount?.(rows.reduce((a, b) => a + b, 0));
        return;
      }
      settled = true;
      trace?.(`worker ${k + 1} of ${ranges.length} done after ${(performance.now() - started).toFixed(0)} ms`);
      resolve(m);
    });
    w.on('error', (e) => { if (!settled) { settled = true; resolve({ type: 'failed', message: e.message }); } });
    w.on('exit', (code) => { if (!settled) { settled = true; resolve({ type: 'failed', message: `worker stopped (exit code ${code})` }); } });
  }));
  const onAbort = (): void => { for (const w of workers) void w.terminate(); };
  options.signal?.addEventListener('abort', onAbort);
  try {
    const done = await Promise.all(results);
    if (options.signal?.aborted) throw new SnapshotError(label, 'loading was cancelled');
    // The first error in file order, with its line number counted from the start of the file.
    let lineBase = 0;
    for (const m of done) {
      if (m.type === 'failed') throw new SnapshotError(label, `cannot be read (${m.message})`);
      if (m.type === 'error') throw new SnapshotError(m.file, m.reason, m.line !== undefined ? m.line + lineBase : undefined, m.column);
      lineBase += m.lines;
    }
    const t0 = performance.now();
    const builder = new TableBuilder(object);
    for (const m of done) if (m.type === 'done') builder.absorb(m.state);
    // DYNRULE_TRACE_LOAD=1 prints how long each step takes (stderr), as snapshot.ts does.
    trace?.(`joining ${done.length} workers' columns ${(performance.now() - t0).toFixed(0)} ms`);
    options.onCount?.(builder.rows);
    return builder;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    for (const w of workers) void w.terminate();
  }
}
