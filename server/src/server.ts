/**
 * The language server's entry point (dist/server.js). VS Code starts it over IPC; other editors
 * run `node dist/server.js --stdio`.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/languageServer';

startServer(createConnection(ProposedFeatures.all));
