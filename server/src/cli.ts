/** The `dynrule` executable (bundled as dist/cli.js). */
import { setDefaultRegexEngine } from '../../grammar/src/index';
import { EXIT_INTERNAL } from './cli/io';
import { run } from './cli/main';
import { terminalText } from './printable';
import { linearRegexEngine } from './regex/engine';

// Every -match in this process runs on the linear-time engine (server/src/regex/engine.ts).
setDefaultRegexEngine(linearRegexEngine);

const lines = { out: [] as string[], err: [] as string[] };
run(process.argv.slice(2), {
  out: (s) => lines.out.push(s),
  err: (s) => lines.err.push(s),
}).then((code) => {
  // Write everything before exiting so piped output is never cut short.
  if (lines.out.length) process.stdout.write(lines.out.join('\n') + '\n');
  if (lines.err.length) process.stderr.write(lines.err.join('\n') + '\n');
  process.exitCode = code;
}, (e: unknown) => {
  process.stderr.write(`${terminalText(`dynrule: internal error: ${e instanceof Error ? e.message : String(e)}`)}\n`);
  process.exitCode = EXIT_INTERNAL;
});
