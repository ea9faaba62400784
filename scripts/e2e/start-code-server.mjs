#!/usr/bin/env node
// Starts a throw-away code-server in the background and prints its workbench URL.
//
//   node scripts/e2e/start-code-server.mjs [--run-dir DIR] [--workspace DIR] [--vsix FILE]... [--port N]
//
// Defaults: --run-dir .vscode-test/run-manual, --workspace samples/. Stop it with
// `node scripts/e2e/stop-code-server.mjs --run-dir DIR`.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot, startCodeServer, vscodeTestDir, workbenchUrl } from './codeServer.mjs';

const { values } = parseArgs({
  options: {
    'run-dir': { type: 'string', default: join(vscodeTestDir, 'run-manual') },
    workspace: { type: 'string', default: join(repoRoot, 'samples') },
    vsix: { type: 'string', multiple: true, default: [] },
    port: { type: 'string' },
  },
});

try {
  const server = await startCodeServer({
    runDir: values['run-dir'],
    workspace: values.workspace,
    vsix: values.vsix,
    port: values.port ? Number(values.port) : undefined,
  });
  console.log(workbenchUrl(server.url, server.workspace));
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
