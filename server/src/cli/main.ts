/**
 * `dynrule`: check, evaluate and explain Entra dynamic membership rules from the command line.
 * Exit codes: 0 ok, 1 findings or failures, 2 usage or input error (one line on stderr), 3 an
 * internal error (a bug in dynrule; one line on stderr, the stack with DYNRULE_DEBUG=1).
 */
import { COMMANDS, commandHelp, findCommand, globalHelp, parseCommand, parseOptions, type CommandSpec } from './commands';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, outLines, terminalOutput, UsageError, type Output } from './io';
import { resolveLiveTenant } from './snapshot';

declare const DYNRULE_VERSION: string | undefined;

const isHelp = (a: string): boolean => a === '-h' || a === '--help';

/** Runs one command line; `commands` is the command table (the CLI's own unless given). */
export async function run(argv: string[], sink: Output, commands: readonly CommandSpec[] = COMMANDS): Promise<number> {
  // Every line printed goes through one filter: nothing from a tenant or a file acts on a terminal.
  const io = terminalOutput(sink);
  const [command, ...rest] = argv;
  if (command === undefined || isHelp(command) || command === 'help') {
    const spec = command === 'help' && rest[0] !== undefined ? findCommand(rest[0]) : undefined;
    outLines(io, spec ? commandHelp(spec) : globalHelp());
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (command === '-v' || command === '--version') {
    io.out(typeof DYNRULE_VERSION === 'string' ? DYNRULE_VERSION : 'development');
    return EXIT_OK;
  }
  const spec = commands.find((c) => c.name === command);
  if (!spec) {
    io.err(`dynrule: unknown command "${command}" (commands: ${commands.map((c) => c.name).join(', ')}; see dynrule --help)`);
    return EXIT_USAGE;
  }
  // `--help` anywhere before a `--` asks for this command's help, not for a run.
  const end = rest.indexOf('--');
  if ((end < 0 ? rest : rest.slice(0, end)).some(isHelp)) {
    outLines(io, commandHelp(spec));
    return EXIT_OK;
  }
  try {
    const args = await resolveLiveTenant(spec.name, rest, io, parseOptions(spec));
    return await spec.run(parseCommand(spec, args), io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`dynrule: ${e.message}`);
      return EXIT_USAGE;
    }
    // Anything else is a bug: say so in one line (DYNRULE_DEBUG=1 for the stack) with its own code.
    io.err(`dynrule: internal error: ${e instanceof Error ? e.message : String(e)} (this is a bug in dynrule; DYNRULE_DEBUG=1 shows where)`);
    if (process.env['DYNRULE_DEBUG']) outLines({ out: io.err, err: io.err }, e instanceof Error ? String(e.stack) : String(e));
    return EXIT_INTERNAL;
  }
}
