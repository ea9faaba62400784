// Bundles the extension-host test suite (test/e2e/suite/*.ts) into .vscode-test/build/suite/, one
// CommonJS file per entry, as the extension host require()s it. `vscode` comes from the extension
// host and mocha from the repo's node_modules (as with @vscode/test-electron), so both stay external.
//
//   node test/e2e/buildSuite.mjs        prints the folder it wrote
import { build } from 'esbuild';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const suiteSourceDir = join(here, 'suite');
export const suiteBuildDir = join(here, '../../.vscode-test/build/suite');

export async function buildSuite() {
  rmSync(suiteBuildDir, { recursive: true, force: true });
  mkdirSync(suiteBuildDir, { recursive: true });
  // The repo is "type": "module"; these bundles are CommonJS.
  writeFileSync(join(suiteBuildDir, 'package.json'), JSON.stringify({ type: 'commonjs' }) + '\n');
  const entryPoints = readdirSync(suiteSourceDir)
    .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
    .map((f) => join(suiteSourceDir, f));
  await build({
    entryPoints,
    outdir: suiteBuildDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    // As scripts/build.mjs: the snapshot reader (bundled with test/support/graphServer.ts) reads
    // import.meta only where there is no __filename, which a CommonJS bundle always has.
    define: { 'import.meta.url': 'undefined' },
    logLevel: 'warning',
  });
  return suiteBuildDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await buildSuite());
}
