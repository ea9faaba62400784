#!/usr/bin/env node
// `npm start`: try the extension in a real VS Code without installing one. Builds and packages the
// extension, installs code-server 4.100.3 into .vscode-test/ if needed, starts it with the .vsix
// installed and samples/ open, prints the URL, and stays in the foreground: Ctrl+C (or `npm stop`
// from another terminal) stops code-server with everything it started.
//
//   node scripts/start.mjs [--port N] [--workspace DIR] [--no-package]
//
//   --port        listen on 127.0.0.1:N (default: a free port)
//   --workspace   folder to open (default samples/)
//   --no-package  reuse entra-dynamic-rules.vsix as it is
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  codeServerVersion, ensureCodeServer, repoRoot, startCodeServer, startRunDir, stopCodeServer, workbenchUrl,
} from './e2e/codeServer.mjs';

const vsix = join(repoRoot, 'entra-dynamic-rules.vsix');

const { values: opts } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT },
    workspace: { type: 'string', default: join(repoRoot, 'samples') },
    'no-package': { type: 'boolean', default: false },
  },
});

function run(command, args) {
  const r = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

if (!opts['no-package'] || !existsSync(vsix)) {
  console.log('Building and packaging the extension (npm run package)...');
  run('npm', ['run', '--silent', 'package']);
}
ensureCodeServer();

let stopping = false;
async function stop(exitCode) {
  if (stopping) return;
  stopping = true;
  await stopCodeServer(startRunDir);
  process.exit(exitCode);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.log(`\n${signal}: stopping code-server...`);
    void stop(0);
  });
}

try {
  const server = await startCodeServer({
    runDir: startRunDir,
    workspace: opts.workspace,
    vsix: [vsix],
    port: opts.port ? Number(opts.port) : undefined,
  });
  // Stay alive as long as code-server does; `npm stop` ends it, and then us.
  server.child.ref();
  server.child.on('exit', (code, signal) => {
    if (stopping) return;
    // stopCodeServer() removes the pid file first, so a missing one means `npm stop` did this.
    if (!existsSync(join(startRunDir, 'pid'))) {
      console.log('code-server was stopped (npm stop).');
      void stop(0);
      return;
    }
    console.log(`code-server exited on its own (${signal ?? `exit code ${code}`}); its log: ${server.logFile}`);
    void stop(1);
  });
  console.log(`
  Entra Dynamic Rules in code-server ${codeServerVersion} (VS Code 1.100.3), with ${server.workspace} open:

      ${workbenchUrl(server.url, server.workspace)}

  Log: ${server.logFile}
  Press Ctrl+C here, or run npm stop, to stop it.
`);
} catch (e) {
  console.error(e.message);
  await stop(1);
}
