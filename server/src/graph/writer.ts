/**
 * Writes a snapshot folder so that nothing half-written ever looks like a snapshot: everything
 * goes into a hidden sibling folder (`.<name>.partial-…`, mode 0700, files 0600) that is renamed
 * into place only after the last file, snapshot.json, is written. A failed or cancelled fetch
 * removes its partial folder; an existing snapshot stays as it was until the swap.
 *
 * The folder's name carries the writing process's id. Partial folders still open when the process
 * exits (process.exit, a second Ctrl+C, an uncaught error) are removed on the way out; those of a
 * process that was killed outright are removed by the next write beside them, once that process is
 * gone. Nothing that carries an access token is written (secrets.ts).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, rmSync } from 'node:fs';
import * as path from 'node:path';
import { GraphError } from './errors';
import { carriesSecret } from './secrets';

/** Partial folders this process has open: removed if it exits before they are committed or discarded. */
const openPartials = new Set<string>();
let exitHook = false;

function track(dir: string): void {
  openPartials.add(dir);
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const d of openPartials) {
      try {
        rmSync(d, { recursive: true, force: true });
      } catch {
        // Exiting: the next write beside it removes it.
      }
    }
  });
}

const SNAPSHOT_FILE = /^(users|devices|groups|subscribedSkus|administrativeUnits)\.jsonl?$|^snapshot\.json$/;

function ioError(what: string, e: unknown): GraphError {
  return new GraphError('io', `${what}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
}

/**
 * Checks that `out` can receive a snapshot: absent, an empty folder, or a snapshot folder (only
 * snapshot files in it). Anything else is refused before a single request is sent, so we never
 * replace a folder of the user's own files.
 */
export async function checkTarget(out: string): Promise<'absent' | 'empty' | 'snapshot'> {
  let st;
  try {
    st = await fs.stat(out);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw ioError(`cannot use ${out}`, e);
  }
  if (!st.isDirectory()) throw new GraphError('io', `${out} exists and is not a folder`);
  const entries = await fs.readdir(out);
  if (entries.length === 0) return 'empty';
  const foreign = entries.filter((e) => !SNAPSHOT_FILE.test(e));
  if (foreign.length) {
    throw new GraphError('io', `${out} holds files that are not part of a snapshot (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}); give a new or empty folder`);
  }
  return 'snapshot';
}

export class SnapshotWriter {
  private constructor(readonly out: string, readonly dir: string) {}

  /** Creates the partial folder beside `out` (same file system, so the final rename is atomic). */
  static async create(out: string): Promise<SnapshotWriter> {
    const target = path.resolve(out);
    const parent = path.dirname(target);
    try {
      await fs.mkdir(parent, { recursive: true, mode: 0o700 });
      await removeStale(parent, path.basename(target));
      const dir = await fs.mkdtemp(path.join(parent, `.${path.basename(target)}.partial-${process.pid}-`));
      track(dir);
      await fs.chmod(dir, 0o700);
      return new SnapshotWriter(target, dir);
    } catch (e) {
      throw ioError(`cannot create a folder beside ${target}`, e);
    }
  }

  /** Opens a file in the partial folder for appending, owner-only. */
  async open(name: string): Promise<LineFile> {
    const file = path.join(this.dir, name);
    try {
      const handle = await fs.open(file, 'wx', 0o600);
      return new LineFile(handle, file);
    } catch (e) {
      throw ioError(`cannot write ${name}`, e);
    }
  }

  async writeJson(name: string, data: unknown): Promise<void> {
    const f = await this.open(name);
    try {
      await f.write(JSON.stringify(data, null, 1) + '\n');
    } finally {
      await f.close();
    }
  }

  /**
   * Puts the partial folder in place of `out`. An existing snapshot is moved aside first and
   * removed after, so at every moment `out` is either the old snapshot, absent, or the new one.
   */
  async commit(): Promise<void> {
    const state = await checkTarget(this.out);
    try {
      if (state === 'empty') await fs.rmdir(this.out);
      if (state !== 'snapshot') {
        await fs.rename(this.dir, this.out);
        openPartials.delete(this.dir);
        return;
      }
      const aside = path.join(path.dirname(this.out), `.${path.basename(this.out)}.old-${process.pid}-${randomBytes(4).toString('hex')}`);
      await fs.rename(this.out, aside);
      try {
        await fs.rename(this.dir, this.out);
      } catch (e) {
        await fs.rename(aside, this.out).catch(() => undefined);
        throw e;
      }
      openPartials.delete(this.dir);
      await fs.rm(aside, { recursive: true, force: true }).catch(() => undefined);
    } catch (e) {
      throw ioError(`cannot move the new snapshot into ${this.out}`, e);
    }
  }

  /** Removes the partial folder (after a failure or cancellation). Never throws. */
  async discard(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
    openPartials.delete(this.dir);
  }
}

const STALE_MS = 86_400_000;

/** False only when the process surely no longer exists (EPERM: it exists, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Partial and set-aside folders that a killed process (no chance to clean up) left beside `out`:
 * those whose writer is gone, and any more than a day old. A younger one whose writer still runs
 * belongs to a fetch in progress, so it stays.
 */
async function removeStale(parent: string, name: string): Promise<void> {
  const entries = await fs.readdir(parent).catch(() => [] as string[]);
  for (const e of entries) {
    const m = /^\.(?:partial|old)-(?:(\d+)-)?/.exec(e.startsWith(`.${name}.`) ? e.slice(name.length + 1) : '');
    if (!m) continue;
    const pid = m[1] === undefined ? undefined : Number(m[1]);
    if (pid === process.pid) continue;
    const p = path.join(parent, e);
    const st = await fs.lstat(p).catch(() => undefined);
    if (!st?.isDirectory()) continue;
    if ((pid !== undefined && !alive(pid)) || Date.now() - st.mtimeMs > STALE_MS) await fs.rm(p, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** An append-only text file; callers write whole lines. */
export class LineFile {
  private bytes = 0;
  constructor(private readonly handle: fs.FileHandle, readonly file: string) {}

  async write(text: string): Promise<void> {
    if (!text) return;
    // A server that echoes the token into its data (a name, a link) gets nothing written.
    if (carriesSecret(text)) throw new GraphError('invalid-response', `Graph's answer carries the credential it was sent (in ${path.basename(this.file)}); not writing it`);
    try {
      await this.handle.write(text);
      this.bytes += Buffer.byteLength(text);
    } catch (e) {
      throw ioError(`cannot write ${path.basename(this.file)}`, e);
    }
  }

  /** One JSON object per line (JSON Lines). */
  async writeObjects(objects: readonly unknown[]): Promise<void> {
    if (objects.length) await this.write(objects.map((o) => JSON.stringify(o)).join('\n') + '\n');
  }

  get size(): number {
    return this.bytes;
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

/**
 * One collection file in the snapshot format the loader reads: JSON Lines (`users.jsonl`, one
 * object a line, streamed) or a Graph page (`users.json`, `{"value": [...]}`).
 */
export class CollectionWriter {
  private count = 0;
  private constructor(private readonly file: LineFile, readonly format: 'jsonl' | 'json') {}

  static async open(writer: SnapshotWriter, collection: string, format: 'jsonl' | 'json', context?: string): Promise<CollectionWriter> {
    const file = await writer.open(`${collection}.${format}`);
    const w = new CollectionWriter(file, format);
    if (format === 'json') await file.write(`{${context ? `"@odata.context":${JSON.stringify(context)},` : ''}"value":[\n`);
    return w;
  }

  async add(objects: readonly unknown[]): Promise<void> {
    if (!objects.length) return;
    if (this.format === 'jsonl') await this.file.writeObjects(objects);
    else await this.file.write((this.count ? ',\n' : '') + objects.map((o) => JSON.stringify(o)).join(',\n'));
    this.count += objects.length;
  }

  /** Objects already serialised (one JSON object per string, no newlines inside). */
  async addSerialized(texts: readonly string[]): Promise<void> {
    if (!texts.length) return;
    if (this.format === 'jsonl') await this.file.write(texts.join('\n') + '\n');
    else await this.file.write((this.count ? ',\n' : '') + texts.join(',\n'));
    this.count += texts.length;
  }

  get written(): number {
    return this.count;
  }

  async close(): Promise<void> {
    try {
      if (this.format === 'json') await this.file.write(`${this.count ? '\n' : ''}]}\n`);
    } finally {
      await this.file.close();
    }
  }
}
