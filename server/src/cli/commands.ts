/**
 * The CLI's commands as one table: each command's arguments, options and help, with the options
 * several commands share defined once. The table parses every command's arguments, writes
 * `dynrule --help` and each `dynrule <command> --help`, and tells `--tenant live` which options
 * a command takes.
 */
import { auditCommand } from './audit';
import { checkCommand } from './check';
import { evalCommand } from './eval';
import { explainCommand } from './explain';
import { EXIT_CODES_HELP, parse, type Options, type Output, type ParsedArgs } from './io';
import { previewCommand } from './preview';
import { pullCommand } from './pull';
import { reviewCommand } from './review';
import { SNAPSHOT_DETAILS, snapshotCommand } from './snapshot';
import { testCommand } from './test';
import { whatifCommand } from './whatif';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  /** The value's placeholder in the help: `<dir|live>`, `text|json`. */
  readonly value?: string;
  readonly help: string;
  /** Shown without brackets in the synopsis: the command needs it. */
  readonly required?: boolean;
  /** Left out of the synopsis (the command's arguments already show it). */
  readonly inArguments?: boolean;
}

export interface CommandSpec {
  readonly name: string;
  /** The positional arguments, as the synopsis shows them. */
  readonly arguments: string;
  /** What the command does, in a line or two. */
  readonly summary: string;
  /** More help, shown by `dynrule <command> --help` only. */
  readonly details?: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly run: (args: ParsedArgs, io: Output) => Promise<number>;
}

/** Options several commands share. */
const TENANT: OptionSpec = { type: 'string', value: '<dir|live>', help: 'the tenant: a snapshot folder, or live (Microsoft Graph, read-only)' };
const NOW: OptionSpec = { type: 'string', value: '<iso>', help: 'the time system.now stands for (ISO 8601), for reproducible results' };
const RULE: OptionSpec = { type: 'string', value: '"<text>"', help: 'the rule itself instead of a rule file', inArguments: true };
const format = (choices: string): OptionSpec => ({ type: 'string', value: choices, help: `output format (${choices.split('|').join(', ')}; default ${choices.split('|')[0]})` });

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'check', arguments: '<file|dir>...', run: checkCommand,
    summary: 'Check rule files, and the group rules inside *.tf, *.bicep and Microsoft365DSC *.ps1 files.\nExit 1 on an error (with --strict: on any finding). --tenant adds the checks that need the\ntenant: groups, managers and subscriptions the rules name. sarif: SARIF 2.1.0 for code scanning.',
    options: {
      tenant: { ...TENANT, help: 'also check the groups, managers and subscriptions the rules name against this tenant' },
      format: format('text|json|sarif'),
      strict: { type: 'boolean', help: 'exit 1 on warnings and infos too' },
      now: { ...NOW, help: 'the time the checks stand at (ISO 8601): what Entra does changes with the date, as memberOf\'s retirement' },
    },
  },
  {
    name: 'eval', arguments: '(<rule-file> | --rule "<text>")', run: evalCommand,
    summary: 'List the users or devices of the tenant snapshot that the rule selects.',
    options: { rule: RULE, tenant: { ...TENANT, required: true }, format: format('text|json'), now: NOW },
  },
  {
    name: 'explain', arguments: '(<rule-file> | --rule "<text>")', run: explainCommand,
    summary: 'Show why the rule does or does not select one user or device.',
    options: {
      rule: RULE, tenant: { ...TENANT, required: true },
      user: { type: 'string', value: '<upn|id>', help: 'the user: userPrincipalName or object id', required: true },
      device: { type: 'string', value: '<id|name>', help: 'the device (device rules): object id, device id or display name' },
      format: format('text|json'), now: NOW,
    },
  },
  {
    name: 'preview', arguments: '<rule-file>', run: previewCommand,
    summary: 'Who joins and leaves the group, which licenses move, seats and errors.',
    options: {
      tenant: { ...TENANT, required: true },
      group: { type: 'string', value: '<id|name>', help: 'the group, instead of the rule file\'s # @group' },
      licenses: { type: 'string', value: '"<SKU>[(-PLAN)], ..."', help: 'the licenses the group assigns, instead of # @licenses or the group\'s' },
      format: format('text|json'),
      explain: { type: 'boolean', help: 'with --format json: why each member is added or removed' },
      now: NOW,
    },
  },
  {
    name: 'test', arguments: '[<path>...]', run: testCommand,
    summary: 'Run *.ruletests.json files. Exit 1 when a case fails.',
    options: {
      reporter: { type: 'string', value: 'spec|json|junit', help: 'report format (default spec)' },
      tenant: { ...TENANT, help: 'the tenant for test files that name none' },
      now: NOW,
    },
  },
  {
    name: 'review', arguments: '[<path>...]', run: reviewCommand,
    summary: 'Preview every rule file added, modified or deleted since the ref (markdown: a pull-request comment).\nExit 1 when a rule has errors or a change removes more than N% of a group.',
    options: {
      base: { type: 'string', value: '<git ref>', help: 'the git ref to compare with (e.g. origin/main)', required: true },
      tenant: { ...TENANT, required: true },
      format: format('text|json|markdown'),
      'max-removed-percent': { type: 'string', value: 'N', help: 'exit 1 when a change removes more than N% of a group\'s members' },
      now: NOW,
    },
  },
  {
    name: 'pull', arguments: '', run: pullCommand,
    summary: 'Write one rule file per dynamic group and dynamic administrative unit of the tenant into a folder.\nAgain into the same folder: files whose rule changed in the tenant are updated; a file edited\nhere is never overwritten (exit 1: a conflict, the tenant\'s version written beside it as <file>.tenant).',
    options: {
      tenant: { ...TENANT, required: true },
      out: { type: 'string', value: '<dir>', help: 'the folder for the rule files (created if missing)', required: true },
      format: format('text|json'),
    },
  },
  {
    name: 'audit', arguments: '', run: auditCommand,
    summary: 'Check every dynamic group and dynamic administrative unit of the tenant at once: rule findings,\nretired memberOf rules, paused processing, members that differ from the rule, licensing groups that\nadmit guests, rules a guest can satisfy, tenant limits and Entra ID P1 seats. Exit 1 on an error.',
    options: {
      tenant: { ...TENANT, required: true },
      format: format('text|json|markdown|sarif'),
      now: { ...NOW, help: 'the date the checks stand at (ISO 8601), as memberOf\'s retirement; system.now in rules stands at the snapshot\'s takenAt, when its members were read' },
    },
  },
  {
    name: 'whatif', arguments: '', run: whatifCommand,
    summary: 'What HR\'s changes do to every dynamic group: who joins and leaves, which licenses move,\nseats per SKU and the errors Entra would raise. Changes: the bulk-create CSV, an attribute-change\nCSV or JSON; exit 2, with every problem and its place, when a changes file has problems.',
    options: {
      tenant: { ...TENANT, required: true },
      changes: { type: 'string', multiple: true, value: '<file>', help: 'a changes file: .csv (bulk-create template or attribute changes) or .json (repeatable, applied in order)', required: true },
      rules: { type: 'string', value: '<dir>', help: 'rule files (# @group) that replace their groups\' rules, evaluated with the changes' },
      format: format('text|json|markdown'),
      now: { ...NOW, help: 'the time system.now and memberOf\'s retirement stand at (ISO 8601)' },
    },
  },
  {
    name: 'snapshot', arguments: '', run: snapshotCommand,
    summary: 'Read the live tenant from Microsoft Graph (read-only) into a snapshot folder; an earlier\nsnapshot there is refreshed with only the changes.',
    details: SNAPSHOT_DETAILS,
    options: {
      out: { type: 'string', value: '<dir>', help: 'the snapshot folder', required: true },
      endpoint: { type: 'string', value: '<graph url>', help: 'the Microsoft Graph endpoint (national clouds)' },
      group: { type: 'string', multiple: true, value: '<id|name>', help: 'a group to read with its members (repeatable)' },
      rules: { type: 'string', multiple: true, value: '<dir>', help: 'read the groups and extension properties these rules use (repeatable)' },
      all: { type: 'boolean', help: 'also every dynamic group and dynamic administrative unit, with their members (for pull, audit, whatif)' },
      full: { type: 'boolean', help: 'read everything again instead of only the changes' },
      format: format('text|json'),
    },
  },
];

export const findCommand = (name: string): CommandSpec | undefined => COMMANDS.find((c) => c.name === name);

/** The options as util.parseArgs takes them. */
export function parseOptions(spec: CommandSpec): NonNullable<Options> {
  return Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, { type: o.type, ...(o.multiple ? { multiple: true } : {}) }]));
}

/** Parses a command's arguments against its table entry. */
export function parseCommand(spec: CommandSpec, argv: string[]): ParsedArgs {
  return parse(spec.name, argv, parseOptions(spec));
}

const flag = (name: string, o: OptionSpec): string => `--${name}${o.value ? ` ${o.value}` : ''}`;

export function synopsis(spec: CommandSpec): string {
  const options = Object.entries(spec.options).filter(([, o]) => !o.inArguments)
    .map(([name, o]) => (o.required ? flag(name, o) : `[${flag(name, o)}]${o.multiple ? '...' : ''}`));
  return [spec.name, spec.arguments, ...options].filter(Boolean).join(' ');
}

const indent = (text: string, by: string): string => text.split('\n').map((l) => `${by}${l}`).join('\n');

/** `dynrule --help`. */
export function globalHelp(): string {
  return `Usage: dynrule <command> [options]

Commands:
${COMMANDS.map((c) => `  ${synopsis(c)}\n${indent(c.summary, '      ')}`).join('\n')}

Options:
  -h, --help       Show this help (dynrule <command> --help: that command's).
  -v, --version    Show the version.

${EXIT_CODES_HELP}`;
}

/** `dynrule <command> --help`. */
export function commandHelp(spec: CommandSpec): string {
  const rows = [...Object.entries(spec.options).map(([name, o]) => [flag(name, o), o.help] as const), ['-h, --help', 'show this help'] as const];
  const width = Math.max(...rows.map(([f]) => f.length));
  return `Usage: dynrule ${synopsis(spec)}

${spec.summary}${spec.details ? `\n\n${spec.details}` : ''}

Options:
${rows.map(([f, h]) => `  ${f.padEnd(width)}   ${h}`).join('\n')}

${EXIT_CODES_HELP}`;
}
