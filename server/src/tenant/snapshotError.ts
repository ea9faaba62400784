/** A snapshot folder or file that cannot be read, with the file and position where known. */
export class SnapshotError extends Error {
  constructor(readonly file: string, readonly reason: string, readonly line?: number, readonly column?: number) {
    super(`${file}${line !== undefined ? `:${line}${column !== undefined ? `:${column}` : ''}` : ''}: ${reason}`);
  }
}

/** Why a file could not be read, as the messages say it: the system's error code, else the error. */
export const readFailure = (e: unknown): string => `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
