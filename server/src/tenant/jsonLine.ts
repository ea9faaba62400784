/**
 * Reading snapshot text from bytes, shared by every path of the loader (a `.json` file, a small
 * `.jsonl` file read as objects, a large one streamed into columns on worker threads) so that each
 * reports the same error in the same words: bytes that are not UTF-8 fail with the file, line,
 * column and byte offset of the first bad byte (instead of being decoded as U+FFFD), and a line
 * of JSON Lines is read the one way described by {@link parseJsonLine}.
 */
import type { promises as fs } from 'node:fs';
import { FileReadError, invalidUtf8, openRegularFile } from '../files';
import { locateJsonError } from './jsonError';
import { SnapshotError } from './snapshotError';

/**
 * The longest line of a `.jsonl` file that is read. A Microsoft Graph user or device is a few KB,
 * a few hundred KB with every extension attribute and plan; a line of 16 MiB is no Graph object,
 * but a file that is not JSON Lines (a `.json` page saved as one line, a binary file), which would
 * otherwise be read whole into memory before failing. Both readers stop at it: the objects reader
 * (`readObjects`) and the streaming one on each worker thread (`stream.ts`).
 */
export const MAX_LINE_BYTES = 16 << 20;

/**
 * The longest line of `groups.jsonl` and `administrativeUnits.jsonl`: a group carries its
 * `members` (README, Files), about 39 bytes an id, so a group of everyone in a tenant of a million
 * users is a line of some 40 MB. This allows groups of several million members.
 */
export const MAX_MEMBERS_LINE_BYTES = 256 << 20;

/** The error for a line longer than `max` ({@link MAX_LINE_BYTES} by default): the file, the line, and why. */
export function lineTooLong(label: string, lineNo: number, max = MAX_LINE_BYTES): SnapshotError {
  return new SnapshotError(label, `line ${lineNo} is longer than ${max >> 20} MiB, which no Microsoft Graph object is: is this a JSON Lines file (one object a line)?`, lineNo, 1);
}

/**
 * Throws a SnapshotError at the first byte of `bytes[start, end)` that is not UTF-8, if there is
 * one. `line` is the line number at `start` and `offset` the file offset of `start`.
 */
export function checkUtf8(label: string, bytes: Uint8Array, start: number, end: number, line: number, offset: number): void {
  const bad = invalidUtf8(bytes, start, end, line, offset);
  if (bad) throw new SnapshotError(label, bad.reason, bad.line, bad.column);
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
    const loc = locateJsonError(trimmed, 'line');
    throw new SnapshotError(label, `invalid JSON: ${loc?.message ?? 'syntax error'}`, lineNo, loc ? loc.column + (line.length - line.trimStart().length) : undefined);
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new SnapshotError(label, 'each line must be one JSON object', lineNo, 1);
  return o as Record<string, unknown>;
}

/** A snapshot file opened for reading: a regular file (a FIFO or a device is refused, not waited on). */
export async function openSnapshotFile(file: string, label: string): Promise<fs.FileHandle> {
  try {
    return (await openRegularFile(file)).fh;
  } catch (e) {
    if (e instanceof FileReadError) throw new SnapshotError(label, e.reason);
    throw e;
  }
}
