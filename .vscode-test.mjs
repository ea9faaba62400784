// Configuration for @vscode/test-cli (`npm run test:vscode`): the same extension-host suite that
// test/e2e/runExtensionTests.mjs runs in code-server, run in desktop VS Code downloaded by
// @vscode/test-electron. Needs internet access (the download) and, on Linux without a display,
// xvfb-run. Build first: `npm run build && node test/e2e/buildSuite.mjs`.
//
// A plain object rather than defineConfig() (which only returns its argument), so that this file
// loads even where @vscode/test-cli is not installed.
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

// The tests open the samples; give them a copy so nothing they do reaches samples/.
const workspace = join(root, '.vscode-test/workspace-desktop');
rmSync(workspace, { recursive: true, force: true });
cpSync(join(root, 'samples'), workspace, { recursive: true });

/** @type {import('@vscode/test-cli').IConfigurationWithGlobalOptions} */
export default {
  tests: [
    {
      label: 'integration',
      // test/e2e/buildSuite.mjs writes the bundles here; index.js is only for the code-server runner.
      files: '.vscode-test/build/suite/*.test.js',
      // The VS Code inside code-server 4.100.3, and the lowest engines.vscode allows.
      version: process.env.VSCODE_TEST_VERSION ?? '1.100.3',
      extensionDevelopmentPath: root,
      workspaceFolder: workspace,
      launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
      env: { DYNRULE_E2E_UI_KIND: 'desktop' },
      mocha: { ui: 'tdd', timeout: 30_000 },
    },
  ],
};
