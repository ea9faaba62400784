/**
 * Reading a file the product was given by name — a rule file, a rule test file, a snapshot's
 * `.json` file — the one way the CLI and the language server both use:
 *
 * - only a regular file: the file is opened without waiting (`O_NONBLOCK`, so opening a FIFO
 *   nobody writes to returns at once instead of holding one of Node's file-reading threads), and
 *   the open file is checked before a byte is read; a FIFO, a device (`/dev/zero`), a socket or a
 *   folder is refused with what it is;
 * - no larger than the caller's limit, checked on the open file before reading and again while
 *   reading (a file that grows is not read past the limit);
 * - as text: UTF-8, checked byte by byte. The first byte that is not UTF-8 fails with its line and
 *   column, as the snapshot loader reports it, instead of becoming U+FFFD; a leading byte-order
 *   mark is dropped, as editors drop it.
 *
 * And finding the files to read under the files and folders given on the command line
 * ({@link filesUnder}): rule files for `check` and `snapshot`, rule test files for `test`.
 */
import { constants, promises as fs } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import * as path from 'node:path';
import { firstInvalidUtf8 } from './tenant/jsonBytes';
import { readFailure } from './tenant/snapshotError';

/** A file that cannot be read, with the position of the problem where there is one (1-based). */
export class FileReadError extends Error {
  constructor(readonly file: string, readonly reason: string, readonly line?: number, readonly column?: number) {
    super(`${file}${line !== undefined ? `:${line}:${column ?? 1}` : ''}: ${reason}`);
  }
}

/** What a file that is not a regular file is, for the message. */
function kindOf(st: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

const MIB = 1 << 20;
/** A size for messages: bytes below a KiB, else KiB/MiB/GiB with one decimal. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const [v, unit] = n < MIB ? [n / 1024, 'KiB'] : n < 1024 * MIB ? [n / MIB, 'MiB'] : [n / (1024 * MIB), 'GiB'];
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${unit}`;
}

/**
 * Opens a regular file for reading, without waiting on a FIFO; throws FileReadError for anything
 * else. The handle and its size (checked on the open file, not on the path).
 */
export async function openRegularFile(file: string): Promise<{ readonly fh: fs.FileHandle; readonly size: number }> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new FileReadError(file, readFailure(e));
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new FileReadError(file, `is ${kindOf(st)}, not a file: only regular files are read`);
    return { fh, size: st.size };
  } catch (e) {
    await fh.close().catch(() => undefined);
    if (e instanceof FileReadError) throw e;
    throw new FileReadError(file, readFailure(e));
  }
}

/** The bytes of a regular file of at most `maxBytes`; throws FileReadError otherwise. */
export async function readRegularFile(file: string, maxBytes: number): Promise<Buffer> {
  const { fh, size } = await openRegularFile(file);
  try {
    const tooLarge = (n: number): FileReadError => new FileReadError(file, `is ${n > size ? 'over ' : ''}${formatBytes(n)}; files over ${formatBytes(maxBytes)} are not read`);
    if (size > maxBytes) throw tooLarge(size);
    // One byte more than the size, so that the read ends with an empty read, not a full buffer.
    let buf = Buffer.allocUnsafe(size + 1);
    let len = 0;
    for (;;) {
      if (len === buf.length) {
        // The file grew while it was read.
        if (len > maxBytes) throw tooLarge(len);
        const bigger = Buffer.allocUnsafe(Math.min(maxBytes + 1, len * 2 + 1024));
        buf.copy(bigger, 0, 0, len);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, len, buf.length - len, len);
      if (bytesRead === 0) break;
      len += bytesRead;
    }
    if (len > maxBytes) throw tooLarge(len);
    return buf.subarray(0, len);
  } catch (e) {
    if (e instanceof FileReadError) throw e;
    throw new FileReadError(file, readFailure(e));
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** A UTF-8 byte-order mark's length at `b[0]` (3), or 0. */
export const bomLength = (b: Uint8Array): number => (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0);

/** Where the first byte of `bytes[start, end)` that is not UTF-8 is, or undefined if they all are. */
export interface Utf8Problem {
  readonly reason: string;
  /** 1-based line and column (UTF-16 code units, as the JSON errors count). */
  readonly line: number;
  readonly column: number;
}

/**
 * The first byte of `bytes[start, end)` that is not UTF-8, described; `line` is the line number at
 * `start` and `offset` the file offset of `start`.
 */
export function invalidUtf8(bytes: Uint8Array, start: number, end: number, line = 1, offset = start): Utf8Problem | undefined {
  if (isUtf8(bytes.subarray(start, end))) return undefined;
  const bad = firstInvalidUtf8(bytes, start, end);
  if (bad < 0) return undefined;
  let lineStart = start;
  const before = bytes.subarray(0, bad);
  for (let nl = before.indexOf(10, start); nl >= 0; nl = before.indexOf(10, nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  const column = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', lineStart, bad).length + 1;
  const hex = bytes[bad]!.toString(16).toUpperCase().padStart(2, '0');
  return { reason: `invalid UTF-8 (byte 0x${hex} at byte offset ${offset + bad - start}): save the file as UTF-8`, line, column };
}

/**
 * The text of a regular UTF-8 file of at most `maxBytes`, without a leading byte-order mark.
 * Throws FileReadError: not a regular file, too large, unreadable, or not UTF-8 (with the line
 * and column of the first bad byte).
 */
export async function readTextFile(file: string, maxBytes: number): Promise<string> {
  const bytes = await readRegularFile(file, maxBytes);
  const bom = bomLength(bytes);
  const bad = invalidUtf8(bytes, bom, bytes.length, 1, bom);
  if (bad) throw new FileReadError(file, bad.reason, bad.line, bad.column);
  try {
    return bytes.toString('utf8', bom);
  } catch (e) {
    // Longer than a JavaScript string can be.
    throw new FileReadError(file, readFailure(e));
  }
}

/**
 * Every file under the given files and folders whose name `wanted` accepts, in a stable order:
 * folder entries sorted by name, `node_modules` and dot-folders skipped. A file given by name is
 * taken whatever its name; an input that does not exist throws `missing(input)`.
 */
export async function filesUnder(inputs: readonly string[], wanted: (name: string) => boolean, missing: (input: string) => Error): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const entries = await fs.readdir(p, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const full = path.join(p, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && !e.name.startsWith('.')) await walk(full);
      } else if (wanted(e.name)) out.push(full);
    }
  };
  for (const input of inputs) {
    const st = await fs.stat(input).catch(() => undefined);
    if (!st) throw missing(input);
    if (st.isDirectory()) await walk(input);
    else out.push(input);
  }
  return out;
}
