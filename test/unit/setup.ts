/**
 * The test process registers the linear-time -match engine, as the server and the CLI do at
 * start (server/src/server.ts, server/src/cli.ts): the core alone runs no pattern.
 */
import { setDefaultRegexEngine } from '../../grammar/src/index';
import { linearRegexEngine } from '../../server/src/regex/engine';

setDefaultRegexEngine(linearRegexEngine);
