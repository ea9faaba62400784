#!/usr/bin/env node
// `npm stop`: stops the code-server that `npm start` started, with every process it forked
// (extension host, language server, file watcher, pty host). Nothing to do if none is running.
import { startRunDir, stopCodeServer } from './e2e/codeServer.mjs';

console.log((await stopCodeServer(startRunDir)) ? 'Stopped code-server.' : 'No code-server from npm start is running.');
