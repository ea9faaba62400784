/**
 * Streams a `.jsonl` collection (users or devices) into a columnar table without keeping the
 * objects: the file is read in large chunks, each line goes through the byte scanner, and a line
 * the scanner gives up on is read exactly as `readObjects` reads lines (JSON.parse, the same
 * errors with line and column). The scanner gives up on bytes that are not UTF-8, so such a line
 * fails as it does there, at its first bad byte.
 */
import * as path from 'node:path';
import type { RuleObject } from '../../../grammar/src/index';
import { TableBuilder } from '../../../grammar/engine/src/index';
import { lineTooLong, MAX_LINE_BYTES, openSnapshotFile, parseJsonLine } from './jsonLine';
import { ObjectScanner } from './objectScanner';
import { SnapshotError, readFailure } from './snapshotError';

const CHUNK = 16 << 20;
/**
 * Once this much of a large range is read, the columns get room for the rows the rest will hold
 * (estimated from the bytes per row so far, plus a margin), so they do not grow by doubling. A
 * file whose later lines are much longer gets more room than it needs (mostly address space:
 * the system gives large arrays pages only where they are written), and one whose later lines
 * are shorter grows by doubling from there, as before.
 */
const ESTIMATE_AFTER = 64 << 20;
const ESTIMATE_MARGIN = 1.04;
/** Room kept in front of each chunk for the line the previous chunk ended in. */
const HEAD = 1 << 20;

export interface StreamOptions {
  readonly signal?: AbortSignal;
  /** Called with the number of objects read so far. */
  readonly onCount?: (n: number) => void;
  /** Only the lines in this byte range (`start` at a line's start); the whole file by default. */
  readonly start?: number;
  readonly end?: number;
  /** Added to line numbers in errors (the lines before `start`). */
  readonly lineBase?: number;
}

export interface StreamResult {
  readonly builder: TableBuilder;
  /** Lines read (including blank ones). */
  readonly lines: number;
  /** Lines read by the byte scanner, and lines read with JSON.parse instead. */
  readonly fast: number;
  readonly parsed: number;
}

/** Reads a JSON Lines file of users or devices (or a byte range of it) into a table builder. */
export async function streamJsonLines(file: string, object: RuleObject, options: StreamOptions = {}): Promise<StreamResult> {
  const label = path.basename(file);
  const fh = await openSnapshotFile(file, label);
  const builder = new TableBuilder(object);
  const scanner = new ObjectScanner(builder, (b, s, e) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8', s, e));
  const stop = options.end ?? Infinity;
  let position = options.start ?? 0;
  const first = position;
  let estimated = false;
  let lineNo = options.lineBase ?? 0;
  let parsed = 0;

  // Chunks are read straight into one of two buffers, after room for the unfinished line the
  // last chunk ended with (copied in front of the new bytes), while the other one is scanned:
  // lines are read where they were read to, not copied again.
  const pair = [Buffer.allocUnsafe(HEAD + CHUNK + 1), Buffer.allocUnsafe(HEAD + CHUNK + 1)] as const;
  const views = pair.map((p) => new Uint8Array(p.buffer, p.byteOffset, p.length));
  let fill = 0;
  /** The buffer being scanned, a view of it, and the file offset of its byte 0. */
  let buf: Buffer = pair[1];
  let bytes: Uint8Array = views[1]!;
  let bufBase = position;
  /** The unfinished line: `buf[tailStart, tailEnd)`. */
  let tailStart = 0;
  let tailEnd = 0;

  const slow = (s: number, e: number): void => {
    // As readObjects reads a line: checked to be UTF-8, trimmed, parsed, checked to be an object.
    const o = parseJsonLine(label, buf, s, e, lineNo, bufBase + s);
    if (!o) return;
    builder.addObject(o);
    parsed++;
  };
  const lineAt = (s: number, nl: number): void => {
    lineNo++;
    let e = nl;
    if (e > s && bytes[e - 1] === 13) e--;
    if (scanner.line(bytes, s, e) === 'bail') slow(s, e);
    if ((builder.rows & 0xffff) === 0 && builder.rows > 0) options.onCount?.(builder.rows);
  };

  const readInto = (target: Buffer): Promise<number> => {
    const want = Math.min(CHUNK, Math.max(0, stop - position));
    if (want === 0) return Promise.resolve(0);
    const at = position;
    position += want;
    return fh.read(target, HEAD, want, at).then((r) => {
      // A short read (the file changed): give the rest back to the next read.
      position -= want - r.bytesRead;
      return r.bytesRead;
    });
  };
  let pending: Promise<number> = Promise.resolve(0);
  try {
    pending = readInto(pair[0]);
    for (;;) {
      if (options.signal?.aborted) throw new SnapshotError(label, 'loading was cancelled');
      const bytesRead = await pending;
      const filled = pair[fill]!;
      const tail = tailEnd - tailStart;
      const tailBase = bufBase + tailStart;
      let from: number;
      if (tail <= HEAD) {
        buf.copy(filled, HEAD - tail, tailStart, tailEnd);
        from = HEAD - tail;
        buf = filled;
        bytes = views[fill]!;
      } else {
        // A line longer than the room in front: join it and the new bytes in a buffer of their own.
        const joined = Buffer.allocUnsafe(tail + bytesRead + 1);
        buf.copy(joined, 0, tailStart, tailEnd);
        filled.copy(joined, tail, HEAD, HEAD + bytesRead);
        from = 0;
        buf = joined;
        bytes = new Uint8Array(joined.buffer, joined.byteOffset, joined.length);
      }
      const len = from + tail + bytesRead;
      bufBase = tailBase - from;
      // The other buffer's bytes are all read (its unfinished line was copied): fill it next.
      fill = 1 - fill;
      pending = bytesRead > 0 ? readInto(pair[fill]!) : Promise.resolve(0);
      // The sentinel: a line break after the data, so no search or scan runs into stale bytes.
      bytes[len] = 10;
      let s = from;
      for (;;) {
        const nl = buf.indexOf(10, s);
        if (nl >= len) break;
        lineAt(s, nl);
        s = nl + 1;
      }
      if (bytesRead === 0) {
        if (s < len) lineAt(s, len);
        break;
      }
      const read = bufBase + s - first;
      if (!estimated && read >= ESTIMATE_AFTER) {
        estimated = true;
        const total = Math.min(stop, (await fh.stat()).size) - first;
        builder.reserve(Math.ceil((builder.rows * total * ESTIMATE_MARGIN) / read));
      }
      // A line this long is no Graph object: stop before joining it with the next chunk again.
      if (len - s > MAX_LINE_BYTES) throw lineTooLong(label, lineNo + 1);
      tailStart = s;
      tailEnd = len;
    }
  } catch (e) {
    if (e instanceof SnapshotError) throw e;
    throw new SnapshotError(label, readFailure(e));
  } finally {
    await pending.catch(() => 0);
    await fh.close();
  }
  options.onCount?.(builder.rows);
  return { builder, lines: lineNo - (options.lineBase ?? 0), fast: scanner.fast, parsed };
}
