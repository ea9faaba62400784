/**
 * A worker thread of the parallel loader: reads one byte range of a `.jsonl` file into columns
 * and sends them back (the typed arrays are transferred, not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RuleObject } from '../../../grammar/src/index';
import { transferables, type BuilderState } from '../../../grammar/engine/src/index';
import { SnapshotError } from './snapshotError';
import { streamJsonLines } from './stream';

export interface ScanJob {
  readonly file: string;
  readonly object: RuleObject;
  readonly start: number;
  readonly end: number;
}

export type ScanMessage =
  | { readonly type: 'progress'; readonly rows: number }
  | { readonly type: 'done'; readonly state: BuilderState; readonly lines: number }
  | { readonly type: 'error'; readonly file: string; readonly reason: string; readonly line?: number; readonly column?: number }
  | { readonly type: 'failed'; readonly message: string };

async function main(job: ScanJob, port: NonNullable<typeof parentPort>): Promise<void> {
  try {
    const r = await streamJsonLines(job.file, job.object, { start: job.start, end: job.end, onCount: (rows) => port.postMessage({ type: 'progress', rows } satisfies ScanMessage) });
    const state = r.builder.exportState();
    port.postMessage({ type: 'done', state, lines: r.lines } satisfies ScanMessage, transferables(state));
  } catch (e) {
    if (e instanceof SnapshotError) port.postMessage({ type: 'error', file: e.file, reason: e.reason, line: e.line, column: e.column } satisfies ScanMessage);
    else port.postMessage({ type: 'failed', message: e instanceof Error ? e.message : String(e) } satisfies ScanMessage);
  }
}

if (parentPort && workerData) void main(workerData as ScanJob, parentPort);
