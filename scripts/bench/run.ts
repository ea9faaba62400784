/**
 * `npm run bench`: measures the targets of the README's Performance table (Target) on this machine and prints them
 * as a table (or JSON), each figure next to its target.
 *
 *     npm run bench [-- --only eval,load,preview,lsp,parse,audit,whatif] [--sizes 100k,1m] [--json] [--runs N]
 *
 * The tenants are generated on demand into .bench/ (and reused while the generator and its
 * options are unchanged). The measurements run in a child process on an esbuild bundle of the
 * code, as dist/ ships it (tsx's transform wraps every function it creates, which costs the
 * parser about twice its time).
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BENCH_DYNAMIC_GROUPS, ensureTenant, SIZES, type Size, type TenantData } from './data';
import { parseOptions, SECTIONS } from './options';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const say = (s: string): void => { process.stderr.write(`${s}\n`); };

async function bundle(): Promise<string> {
  const out = path.join(repo, '.bench/build');
  await fs.mkdir(out, { recursive: true });
  await build({
    entryPoints: { bench: path.join(repo, 'scripts/bench/main.ts'), scanWorker: path.join(repo, 'server/src/tenant/scanWorker.ts') },
    outdir: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'warning',
    // CommonJS dependencies need require, and the loader finds its worker beside __filename.
    banner: { js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url);" },
  });
  return path.join(out, 'bench.js');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const t0 = performance.now();
  const needs = new Set<Size>();
  for (const s of options.sizes) if (options.only.some((o) => o === 'eval' || o === 'preview' || o === 'load')) needs.add(s);
  if (options.only.includes('lsp')) needs.add('100k');
  const data: TenantData[] = [];
  for (const size of (Object.keys(SIZES) as Size[]).filter((s) => needs.has(s))) data.push(await ensureTenant(repo, size, say));
  // The whole-tenant bench: the same users with thousands of dynamic groups, in a tenant of its own.
  if (options.only.includes('audit') || options.only.includes('whatif')) for (const size of options.sizes) data.push(await ensureTenant(repo, size, say, BENCH_DYNAMIC_GROUPS));
  say('bundling the code under test (esbuild, as dist/ ships it) ...');
  const script = await bundle();
  // Column caches stay in .bench/ (the language server would use the user's cache folder).
  const env = { ...process.env, DYNRULE_CACHE_DIR: path.join(repo, '.bench/cache') };
  const child = spawn(process.execPath, ['--max-old-space-size=16384', '--expose-gc', script, JSON.stringify({ options, data, repo })], { stdio: 'inherit', cwd: repo, env });
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  say(`bench finished in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  process.exitCode = code;
}

void SECTIONS;
await main();
