/**
 * The language server's entry point (dist/server.js). VS Code starts it over IPC; other editors
 * run `node dist/server.js --stdio`.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { setDefaultRegexEngine } from '../../grammar/src/index';
import { startServer } from './lsp/languageServer';
import { linearRegexEngine } from './regex/engine';

// Every -match in this process runs on the linear-time engine (server/src/regex/engine.ts).
setDefaultRegexEngine(linearRegexEngine);

startServer(createConnection(ProposedFeatures.all));
