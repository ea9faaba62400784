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
  define: { DYNRULE_VERSION: JSON.stringify(pkg.version) },
};

await mkdir('dist', { recursive: true });
await writeFile('dist/package.json', JSON.stringify({ type: 'commonjs' }) + '\n');
await Promise.all([
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
]);
await chmod('dist/cli.js', 0o755);
