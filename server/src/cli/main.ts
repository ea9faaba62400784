/**
 * `dynrule`: check, evaluate and explain Entra dynamic membership rules from the command line.
 * Exit codes: 0 ok, 1 findings or failures, 2 usage or input error (one line on stderr).
 */
import { checkCommand } from './check';
import { evalCommand } from './eval';
import { explainCommand } from './explain';
import { previewCommand } from './preview';
import { reviewCommand } from './review';
import { resolveLiveTenant, SNAPSHOT_HELP, snapshotCommand } from './snapshot';
import { testCommand } from './test';
import { EXIT_OK, EXIT_USAGE, UsageError, type Output } from './io';

declare const DYNRULE_VERSION: string | undefined;

export const USAGE = `Usage: dynrule <command> [options]

Commands:
  check <file|dir>... [--format text|json|sarif] [--strict]
      Check rule files, and the group rules inside *.tf, *.bicep and Microsoft365DSC *.ps1 files.
      Exit 1 on an error (with --strict: on any finding). sarif: SARIF 2.1.0 for code scanning.
  eval (<rule-file> | --rule "<text>") --tenant <dir|live> [--format text|json] [--now <iso>]
      List the users or devices of the tenant snapshot that the rule selects.
  explain (<rule-file> | --rule "<text>") --tenant <dir|live> --user <upn|id> [--device <id|name>] [--format text|json] [--now <iso>]
      Show why the rule does or does not select one user or device.
  preview <rule-file> --tenant <dir|live> [--group <id|name>] [--licenses "<SKU>[(-PLAN)], ..."] [--format text|json] [--explain] [--now <iso>]
      Who joins and leaves the group, which licenses move, seats and errors.
  test [<path>...] [--reporter spec|json|junit] [--tenant <dir|live>] [--now <iso>]
      Run *.ruletests.json files. Exit 1 when a case fails.
  review --base <git ref> [<path>...] --tenant <dir|live> [--format text|json|markdown] [--max-removed-percent N] [--now <iso>]
      Preview every rule file added, modified or deleted since the ref (markdown: a pull-request comment).
      Exit 1 when a rule has errors or a change removes more than N% of a group.
${SNAPSHOT_HELP}

Options:
  -h, --help       Show this help.
  -v, --version    Show the version.

Exit codes: 0 ok, 1 findings or failures, 2 usage or input error.`;

type Command = (argv: string[], io: Output) => Promise<number>;
const COMMANDS: Record<string, Command> = {
  check: checkCommand,
  eval: evalCommand,
  explain: explainCommand,
  preview: previewCommand,
  review: reviewCommand,
  test: testCommand,
  snapshot: snapshotCommand,
};

export async function run(argv: string[], io: Output): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.out(USAGE);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (command === '-v' || command === '--version') {
    io.out(typeof DYNRULE_VERSION === 'string' ? DYNRULE_VERSION : 'development');
    return EXIT_OK;
  }
  const handler = COMMANDS[command];
  if (!handler) {
    io.err(`dynrule: unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(', ')}; see dynrule --help)`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(USAGE);
    return EXIT_OK;
  }
  try {
    return await handler(await resolveLiveTenant(command, rest, io), io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`dynrule: ${e.message}`);
      return EXIT_USAGE;
    }
    // Anything else is a bug; say so in one line (set DYNRULE_DEBUG=1 for the stack).
    io.err(`dynrule: internal error: ${e instanceof Error ? e.message : String(e)}`);
    if (process.env['DYNRULE_DEBUG']) io.err(e instanceof Error ? String(e.stack) : String(e));
    return EXIT_USAGE;
  }
}
