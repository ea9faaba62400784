/**
 * Reading snapshot text from bytes, shared by every path of the loader (a `.json` file, a small
 * `.jsonl` file read as objects, a large one streamed into columns on worker threads) so that each
 * reports the same error in the same words: bytes that are not UTF-8 fail with the file, line,
 * column and byte offset of the first bad byte (instead of being decoded as U+FFFD), and a line
 * of JSON Lines is read the one way described by {@link parseJsonLine}.
 */
import { isUtf8 } from 'node:buffer';
import { locateJsonError } from './jsonError';
import { firstInvalidUtf8 } from './jsonBytes';
import { SnapshotError } from './snapshotError';

/**
 * Throws a SnapshotError at the first byte of `bytes[start, end)` that is not UTF-8, if there is
 * one. `line` is the line number at `start` and `offset` the file offset of `start`.
 */
export function checkUtf8(label: string, bytes: Uint8Array, start: number, end: number, line: number, offset: number): void {
  if (isUtf8(bytes.subarray(start, end))) return;
  const bad = firstInvalidUtf8(bytes, start, end);
  if (bad < 0) return;
  let lineStart = start;
  const before = bytes.subarray(0, bad);
  for (let nl = before.indexOf(10, start); nl >= 0; nl = before.indexOf(10, nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  // The column counts characters as the JSON errors do (UTF-16 code units, from 1).
  const column = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', lineStart, bad).length + 1;
  const hex = bytes[bad]!.toString(16).toUpperCase().padStart(2, '0');
  throw new SnapshotError(label, `invalid UTF-8 (byte 0x${hex} at byte offset ${offset + bad - start}): save the file as UTF-8`, line, column);
}

/**
 * One line of a `.jsonl` file (`buf[s, e)`, without its line break) as every path reads it:
 * checked to be UTF-8, trimmed, parsed with JSON.parse, checked to be an object. Undefined for
 * a blank line. `offset` is the file offset of `s`, for the message about a bad byte.
 */
export function parseJsonLine(label: string, buf: Buffer, s: number, e: number, lineNo: number, offset: number): Record<string, unknown> | undefined {
  checkUtf8(label, buf, s, e, lineNo, offset);
  const line = buf.toString('utf8', s, e);
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  let o: unknown;
  try {
    o = JSON.parse(trimmed);
  } catch {
    const loc = locateJsonError(trimmed);
    throw new SnapshotError(label, `invalid JSON: ${loc?.message ?? 'syntax error'}`, lineNo, loc ? loc.column + (line.length - line.trimStart().length) : undefined);
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new SnapshotError(label, 'each line must be one JSON object', lineNo, 1);
  return o as Record<string, unknown>;
}

/** A UTF-8 byte-order mark's length at `b[0]` (3), or 0. */
export const bomLength = (b: Uint8Array): number => (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0);
