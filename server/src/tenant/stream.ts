/**
 * Streams a `.jsonl` collection (users or devices) into a columnar table without keeping the
 * objects: the file is read in large chunks, each line goes through the byte scanner, and a line
 * the scanner gives up on is read exactly as `readObjects` reads lines (JSON.parse, the same
 * errors with line and column). The scanner gives up on bytes that are not UTF-8, so such a line
 * fails as it does there, at its first bad byte.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RuleObject } from '../../../grammar/src/index';
import { TableBuilder } from '../../../grammar/src/columnar/index';
import { parseJsonLine } from './jsonLine';
import { ObjectScanner } from './objectScanner';
import { SnapshotError } from './snapshotError';

const CHUNK = 16 << 20;

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
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch (e) {
    throw new SnapshotError(label, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const builder = new TableBuilder(object);
  const scanner = new ObjectScanner(builder, (b, s, e) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8', s, e));
  let buf = Buffer.allocUnsafe(2 * CHUNK + 1);
  let bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  let len = 0;
  let position = options.start ?? 0;
  const stop = options.end ?? Infinity;
  let lineNo = options.lineBase ?? 0;
  let parsed = 0;

  /** The file offset of `buf[0]`. */
  let base = position;

  const slow = (s: number, e: number): void => {
    // As readObjects reads a line: checked to be UTF-8, trimmed, parsed, checked to be an object.
    const o = parseJsonLine(label, buf, s, e, lineNo, base + s);
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

  // The next chunk is read while this one is scanned.
  const ahead = Buffer.allocUnsafe(CHUNK);
  const readAhead = (): Promise<number> => {
    const want = Math.min(CHUNK, Math.max(0, stop - position));
    if (want === 0) return Promise.resolve(0);
    const at = position;
    position += want;
    return fh.read(ahead, 0, want, at).then((r) => {
      // A short read (the file changed): give the rest back to the next read.
      position -= want - r.bytesRead;
      return r.bytesRead;
    });
  };
  let pending: Promise<number> = Promise.resolve(0);
  try {
    pending = readAhead();
    for (;;) {
      if (options.signal?.aborted) throw new SnapshotError(label, 'loading was cancelled');
      const bytesRead = await pending;
      if (len + bytesRead + 1 > buf.length) {
        // A line longer than the buffer: make room.
        const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, len + bytesRead + 1));
        buf.copy(bigger, 0, 0, len);
        buf = bigger;
        bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
      }
      ahead.copy(buf, len, 0, bytesRead);
      len += bytesRead;
      pending = bytesRead > 0 ? readAhead() : Promise.resolve(0);
      // The sentinel: a line break after the data, so no search or scan runs into stale bytes.
      bytes[len] = 10;
      let s = 0;
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
      buf.copyWithin(0, s, len);
      len -= s;
      base += s;
    }
  } catch (e) {
    if (e instanceof SnapshotError) throw e;
    throw new SnapshotError(label, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  } finally {
    await pending.catch(() => 0);
    await fh.close();
  }
  options.onCount?.(builder.rows);
  return { builder, lines: lineNo - (options.lineBase ?? 0), fast: scanner.fast, parsed };
}
