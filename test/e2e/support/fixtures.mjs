// The workspace the end-to-end runs open: a throw-away copy of samples/ laid out as in the
// repository (schemas/ beside it, so the rule test files' "$schema": "../../schemas/..." resolves),
// plus a second, smaller tenant for the tests that switch tenant.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the second tenant goes in the workspace, and the name its snapshot.json gets. */
export const smallTenant = { folder: 'tenant/small-120', users: 120, seed: 7, tenantName: 'Contoso (120 users)' };

/**
 * Generates the 120-user variant of the sample tenant into `dir` (scripts/generate-tenant.ts, the
 * generator of the sample itself) and names it apart from Contoso, so the status bar tells them apart.
 * @param {string} repoRoot
 * @param {string} dir
 * @returns {Promise<void>}
 */
export function generateSmallTenant(repoRoot, dir) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('npx', ['tsx', 'scripts/generate-tenant.ts', '--users', String(smallTenant.users),
      '--seed', String(smallTenant.seed), '--quiet', '--out', dir], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`generate-tenant exited ${code}: ${stderr}`));
      const metaFile = join(dir, 'snapshot.json');
      writeFileSync(metaFile, JSON.stringify({ ...JSON.parse(readFileSync(metaFile, 'utf8')), tenantName: smallTenant.tenantName }, null, 2) + '\n');
      resolvePromise();
    });
  });
}

/**
 * Copies samples/ (and schemas/ beside it) into a new temporary folder and starts generating the
 * second tenant into it. Returns at once: `ready` settles when the tenant is written.
 * @param {string} repoRoot
 * @param {string} prefix  name prefix of the temporary folder
 * @returns {{ root: string, workspace: string, ready: Promise<void> }}
 */
export function prepareWorkspace(repoRoot, prefix) {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const workspace = join(root, 'samples');
  cpSync(join(repoRoot, 'samples'), workspace, { recursive: true });
  cpSync(join(repoRoot, 'schemas'), join(root, 'schemas'), { recursive: true });
  const ready = generateSmallTenant(repoRoot, join(workspace, smallTenant.folder));
  ready.catch(() => {}); // awaited by the caller; this only keeps an early failure from being "unhandled"
  return { root, workspace, ready };
}
