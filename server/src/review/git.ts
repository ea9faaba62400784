/**
 * The rule files changed since a git ref. git runs with execFile (no shell), the ref is resolved
 * to a commit first and may not look like an option, and paths are read NUL-separated, so no
 * file name or ref reaches a shell or git's option parser.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';

export class GitError extends Error {}

/** Enough for any text file a repository holds rules in; larger output is an error, not a cut. */
const MAX_OUTPUT = 64 * 1024 * 1024;

function git(cwd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', [...args], { cwd, encoding: 'utf8', maxBuffer: MAX_OUTPUT, windowsHide: true, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') reject(new GitError('git is not installed or not on the PATH'));
        else reject(new GitError(stderr.trim().split('\n')[0] || error.message));
      } else resolve(stdout);
    });
  });
}

export type ChangeStatus = 'added' | 'modified' | 'deleted';

export interface ChangedFile {
  readonly status: ChangeStatus;
  /** Relative to the repository root, `/`-separated as git writes it. */
  readonly path: string;
  /** The path at the ref, for a renamed or copied file. */
  readonly oldPath?: string;
}

export interface Changes {
  /** The repository's top folder. */
  readonly root: string;
  /** The ref resolved to a commit id. */
  readonly commit: string;
  readonly files: readonly ChangedFile[];
}

/**
 * Files added, modified, renamed or deleted between `ref` and the working tree (untracked files
 * that git does not ignore count as added), limited to `pathspecs` when given.
 */
export async function changedFiles(cwd: string, ref: string, pathspecs: readonly string[], wanted: (file: string) => boolean): Promise<Changes> {
  if (ref.startsWith('-') || ref.trim() === '') throw new GitError(`"${ref}" is not a git ref`);
  const root = (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
  let commit: string;
  try {
    commit = (await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
  } catch {
    throw new GitError(`"${ref}" is not a commit in ${root}`);
  }
  // Pathspecs are given relative to where the command runs; git takes them from the root.
  const specs = pathspecs.map((p) => path.relative(root, path.resolve(cwd, p)) || '.').map((p) => `:(top,literal)${p.split(path.sep).join('/')}`);
  const diff = await git(root, ['diff', '--name-status', '-z', '-M', '--no-ext-diff', commit, '--', ...specs]);
  const parts = diff.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i < parts.length - 1;) {
    const status = parts[i++]!;
    const letter = status[0];
    if (letter === 'R' || letter === 'C') {
      const oldPath = parts[i++]!;
      const newPath = parts[i++]!;
      if (letter === 'R' && !wanted(newPath) && wanted(oldPath)) files.push({ status: 'deleted', path: oldPath });
      else if (wanted(newPath)) files.push(wanted(oldPath) ? { status: 'modified', path: newPath, oldPath } : { status: 'added', path: newPath });
      continue;
    }
    const file = parts[i++]!;
    if (!wanted(file)) continue;
    if (letter === 'A') files.push({ status: 'added', path: file });
    else if (letter === 'D') files.push({ status: 'deleted', path: file });
    else if (letter === 'M' || letter === 'T') files.push({ status: 'modified', path: file });
  }
  const untracked = await git(root, ['ls-files', '-z', '--others', '--exclude-standard', '--', ...specs]);
  for (const file of untracked.split('\0')) if (file && wanted(file)) files.push({ status: 'added', path: file });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root, commit, files };
}

/** A file's text at a commit. */
export function textAt(root: string, commit: string, file: string): Promise<string> {
  return git(root, ['show', `${commit}:${file}`]);
}
