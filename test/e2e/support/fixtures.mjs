// The workspace the end-to-end runs open: a throw-away copy of samples/ laid out as in the
// repository (schemas/ beside it, so the rule test files' "$schema": "../../schemas/..." resolves),
// plus a second, smaller tenant for the tests that switch tenant (with one hostile display name).
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the second tenant goes in the workspace, and the name its snapshot.json gets. */
export const smallTenant = { folder: 'tenant/small-120', users: 120, seed: 7, tenantName: 'Contoso (120 users)' };

/**
 * A person of the second tenant whose display name is HTML (SECURITY.md: tenant values are text).
 * It is one of the people the E3 sample rule adds there, so the UI test finds it in the preview's
 * added list: the page must show it literally and make no element of it.
 */
export const htmlUser = { displayName: `<img src=x onerror="document.title='pwned'">` };

/**
 * Renames one person of a generated users.json to {@link htmlUser}: the first enabled member
 * Store Associate in Retail Operations, whom the "LIC - Microsoft 365 E3" group leaves out and
 * rules/licensing/m365-e3-all-staff.dynrule takes in. Only the name changes, so every count stays
 * the generator's. The file keeps its layout: one user per line.
 * @param {string} dir
 */
function giveOneUserAnHtmlName(dir) {
  const file = join(dir, 'users.json');
  const lines = readFileSync(file, 'utf8').split('\n');
  const parse = (line) => JSON.parse(line.replace(/,$/, ''));
  const i = lines.findIndex((line) => {
    if (!line.startsWith('{"id":')) return false;
    const u = parse(line);
    return u.userType === 'Member' && u.accountEnabled === true && u.department === 'Retail Operations' &&
      u.jobTitle === 'Store Associate' && u.onPremisesExtensionAttributes?.extensionAttribute7 !== 'Contractor';
  });
  if (i < 0) throw new Error(`${file}: no enabled Retail Operations Store Associate to give an HTML name`);
  lines[i] = JSON.stringify({ ...parse(lines[i]), displayName: htmlUser.displayName }) + (lines[i].endsWith(',') ? ',' : '');
  writeFileSync(file, lines.join('\n'));
}

/**
 * Generates the 120-user variant of the sample tenant into `dir` (scripts/generate-tenant.ts, the
 * generator of the sample itself) and names it apart from Contoso, so the status bar tells them apart;
 * one person gets {@link htmlUser}'s name.
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
      try {
        giveOneUserAnHtmlName(dir);
      } catch (e) {
        return reject(e);
      }
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
