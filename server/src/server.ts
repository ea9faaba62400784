/**
 * The language server's entry point (dist/server.js). VS Code starts it over IPC; other editors
 * run `node dist/server.js --stdio`.
 */
import * as path from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { setDefaultRegexEngine } from '../../grammar/src/index';
import { startServer } from './lsp/languageServer';
import { linearRegexEngine } from './regex/engine';

// Every -match in this process runs on the linear-time engine (server/src/regex/engine.ts).
setDefaultRegexEngine(linearRegexEngine);

// The bundle is dist/server.js (CommonJS); its message bundles ship in l10n/ beside dist/.
const l10nDir = typeof __dirname === 'string' ? path.join(__dirname, '..', 'l10n') : undefined;
startServer(createConnection(ProposedFeatures.all), l10nDir ? { l10nDir } : {});
