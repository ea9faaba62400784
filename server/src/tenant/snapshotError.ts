/** A snapshot folder or file that cannot be read, with the file and position where known. */
export class SnapshotError extends Error {
  constructor(readonly file: string, readonly reason: string, readonly line?: number, readonly column?: number) {
    super(`${file}${line !== undefined ? `:${line}${column !== undefined ? `:${column}` : ''}` : ''}: ${reason}`);
  }
}
