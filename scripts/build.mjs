// Bundles what ships into dist/: the CLI, the language server and the VS Code extension.
// dist/ is CommonJS (VS Code loads extensions with require); the sources are ES modules.
import { build } from 'esbuild';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: 'none',
  logLevel: 'warning',
  // import.meta is only read where there is no __filename (the ES module sources run by tsx).
  define: { DYNRULE_VERSION: JSON.stringify(pkg.version), 'import.meta.url': 'undefined' },
};

await mkdir('dist', { recursive: true });
await writeFile('dist/package.json', JSON.stringify({ type: 'commonjs' }) + '\n');
await Promise.all([
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  // The snapshot loader's worker threads (server and CLI read large tenants on every core).
  build({ ...common, entryPoints: ['server/src/tenant/scanWorker.ts'], outfile: 'dist/scanWorker.js' }),
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
]);
await chmod('dist/cli.js', 0o755);
