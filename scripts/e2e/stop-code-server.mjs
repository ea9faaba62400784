#!/usr/bin/env node
// Stops a code-server started by start-code-server.mjs (its whole process group).
//
//   node scripts/e2e/stop-code-server.mjs [--run-dir DIR]     (default .vscode-test/run-manual)
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stopCodeServer, vscodeTestDir } from './codeServer.mjs';

const { values } = parseArgs({ options: { 'run-dir': { type: 'string', default: join(vscodeTestDir, 'run-manual') } } });
const stopped = await stopCodeServer(values['run-dir']);
console.log(stopped ? `stopped code-server of ${values['run-dir']}` : `no code-server running for ${values['run-dir']}`);
