/**
 * The bench's tenants, generated on demand into `.bench/` by the seeded generator and reused
 * while the generator's options and sources are unchanged (a stamp file records both).
 */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const SIZES = { '100k': 100_000, '1m': 1_000_000 } as const;
export type Size = keyof typeof SIZES;

const SEED = 1;

/** The whole-tenant benches (audit, what-if) use the same users with this many generated dynamic groups. */
export const BENCH_DYNAMIC_GROUPS = 5000;

export interface TenantData {
  readonly size: Size;
  /** Generated dynamic groups besides the sample's (0 for the plain tenant). */
  readonly dynamicGroups: number;
  readonly dir: string;
  readonly users: number;
  /** Seconds spent generating it in this run (0 when reused). */
  readonly generatedSeconds: number;
  readonly bytes: number;
}

/** What the generated files depend on: the options and the generator's own sources. */
function stamp(repo: string, users: number, dynamicGroups: number): string {
  const h = createHash('sha256');
  const dir = path.join(repo, 'scripts/tenant');
  const files = ['scripts/generate-tenant.ts', ...readdirSync(dir).filter((f) => f.endsWith('.ts')).sort().map((f) => `scripts/tenant/${f}`)];
  for (const f of files) h.update(f).update(readFileSync(path.join(repo, f)));
  return JSON.stringify({ seed: SEED, users, devices: users / 10, format: 'jsonl', ...(dynamicGroups ? { dynamicGroups } : {}), generator: h.digest('hex').slice(0, 16) });
}

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

/**
 * The tenant of one size, with `dynamicGroups` generated dynamic groups (in a folder of its own):
 * reused when its stamp matches, generated otherwise.
 */
export async function ensureTenant(repo: string, size: Size, say: (s: string) => void, dynamicGroups = 0): Promise<TenantData> {
  const users = SIZES[size];
  const root = path.join(repo, '.bench');
  const dir = path.join(root, dynamicGroups ? `tenant-${size}-groups-${dynamicGroups}` : `tenant-${size}`);
  const stampFile = path.join(dir, 'bench-stamp.json');
  const want = stamp(repo, users, dynamicGroups);
  let generatedSeconds = 0;
  if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== want) {
    say(`generating the ${size} tenant (${users.toLocaleString('en-US')} users${dynamicGroups ? `, ${dynamicGroups.toLocaleString('en-US')} generated dynamic groups` : ''}, seed ${SEED}) into ${path.relative(repo, dir)} ...`);
    const tmp = `${dir}.tmp`;
    await fs.rm(tmp, { recursive: true, force: true });
    const t0 = performance.now();
    await run(process.execPath, ['--import', 'tsx', 'scripts/generate-tenant.ts', '--seed', String(SEED), '--users', String(users),
      '--devices', String(users / 10), '--format', 'jsonl', '--out', tmp, '--quiet', ...(dynamicGroups ? ['--dynamic-groups', String(dynamicGroups)] : [])], repo);
    generatedSeconds = (performance.now() - t0) / 1000;
    await fs.writeFile(path.join(tmp, 'bench-stamp.json'), want);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rename(tmp, dir);
    say(`  generated in ${generatedSeconds.toFixed(0)} s`);
  }
  let bytes = 0;
  for (const f of readdirSync(dir)) bytes += (await fs.stat(path.join(dir, f))).size;
  return { size, dynamicGroups, dir, users, generatedSeconds, bytes };
}
