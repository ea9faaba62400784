/**
 * `dynrule snapshot --out <dir> [--endpoint <url>] [--group <id|name>]... [--rules <dir>]... [--all] [--full]`
 * and `--tenant live` for check, eval, explain, preview and test: the live tenant, read-only, through
 * Microsoft Graph (server/src/graph), into a snapshot folder the other commands read.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DIRECTORY_EXTENSION, extractRules, hostLanguageOf, parseRule, walkExpr, type ParsedRule } from '../../../grammar/src/index';
import { GraphError, normalizeEndpoint, syncSnapshot, tenantIdFor, tryReadLiveMeta, type SnapshotProgress, type SnapshotResult } from '../graph/index';
import { cliAuth, NATIONAL_CLOUDS } from '../graph/identity';
import { tenantFolder } from '../graph/organization';
import { DEFAULT_ENDPOINT } from '../graph/types';
import { readTextFile } from '../files';
import { terminalText } from '../printable';
import { MAX_RULE_FILE_BYTES, tooLargeIssue } from '../limits';
import { findRuleTestFiles, readRuleTestFile } from '../ruletests/file';
import { EXIT_OK, outLines, ruleFiles, str, UsageError, type Options, type Output, type ParsedArgs } from './io';

/** What `dynrule snapshot --help` says beyond its options. */
export const SNAPSHOT_DETAILS = `Auth: DYNRULE_GRAPH_TOKEN, AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET (or
AZURE_CLIENT_CERTIFICATE_PATH), az login, or device code.
Endpoints: ${NATIONAL_CLOUDS.map((c) => `${c.graph} (${c.name})`).join(', ')}.
--tenant live on check, eval, explain, preview, test, pull, audit and whatif uses a cached
snapshot in $XDG_CACHE_HOME/dynrule/<tenant id> (DYNRULE_GRAPH_ENDPOINT or --endpoint for the
cloud); for pull, audit and whatif it holds every dynamic group and unit (--all).`;

/** What rules need from the tenant beyond users and devices. */
export interface RuleNeeds {
  /** `# @group` values and `memberOf` group ids. */
  readonly groups: string[];
  /** `extension_<appId>_<name>` properties. */
  readonly extensions: string[];
}

/** Groups and directory extensions that a rule uses. */
export function needsOfRule(parsed: ParsedRule, into: { groups: Set<string>; extensions: Set<string> }): void {
  for (const d of parsed.directives) if (d.kind === 'group' && d.value) into.groups.add(d.value);
  if (!parsed.expr) return;
  walkExpr(parsed.expr, (e) => {
    if (e.kind === 'compare' && DIRECTORY_EXTENSION.test(e.left.name)) into.extensions.add(e.left.name);
    if (e.kind === 'quantifier' && e.collection.name.toLowerCase() === 'memberof') {
      walkExpr(e.predicate, (inner) => {
        if (inner.kind === 'compare' && inner.value.kind === 'array') {
          for (const item of inner.value.items) if (item.kind === 'string' && item.value) into.groups.add(item.value);
        }
      });
    }
  });
}

/** Terraform, Bicep and PowerShell files larger than this hold no group resources worth a read here. */
const MAX_HOST_FILE = 16 * 1024 * 1024;

export async function needsOfRuleFiles(inputs: readonly string[]): Promise<RuleNeeds> {
  const into = { groups: new Set<string>(), extensions: new Set<string>() };
  for (const file of await ruleFiles(inputs, ['.dynrule', '.tf', '.bicep', '.ps1'])) {
    if (hostLanguageOf(file)) {
      // Rules inside IaC files: the resource's display name is their group.
      if ((await fs.stat(file)).size > MAX_HOST_FILE) continue;
      for (const r of extractRules(file, await fs.readFile(file, 'utf8'))) {
        if (r.groupName) into.groups.add(r.groupName);
        if (!r.problems.length && !tooLargeIssue(r.rule.length)) needsOfRule(r.document.parsed, into);
      }
      continue;
    }
    // The language server reads the workspace's rules too: never parse a file too large to be one.
    const text = await readTextFile(file, MAX_RULE_FILE_BYTES).catch(() => undefined);
    if (text !== undefined && !tooLargeIssue(text.length)) needsOfRule(parseRule(text), into);
  }
  return { groups: [...into.groups], extensions: [...into.extensions] };
}

const COLLECTION_LABEL: Record<string, string> = { users: 'users', devices: 'devices', groups: 'groups', members: 'group members', subscribedSkus: 'SKUs', administrativeUnits: 'administrative units' };

/**
 * Progress on stderr as it happens (the CLI's io buffers until exit): one updating line on a
 * terminal, otherwise a line every 15 s. Retries and warnings always get their own line.
 */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): { onProgress: (p: SnapshotProgress) => void; end: () => void } {
  const counts = new Map<string, number>();
  const tty = stream.isTTY === true;
  let last = tty ? 0 : Date.now();
  let shown = false;
  const status = (): string => `dynrule: reading ${[...counts].map(([k, n]) => `${COLLECTION_LABEL[k] ?? k} ${n.toLocaleString('en-US')}`).join(', ')}`;
  const line = (s: string): void => {
    if (tty && shown) stream.write('\r\x1b[K');
    stream.write(`${terminalText(s)}\n`);
    shown = false;
  };
  return {
    onProgress: (p) => {
      if (p.kind === 'count') {
        counts.set(p.collection, p.count);
        const now = Date.now();
        if (tty && now - last > 100) {
          stream.write(`\r\x1b[K${status()}`);
          shown = true;
          last = now;
        } else if (!tty && now - last > 15_000) {
          line(status());
          last = now;
        }
      } else if (p.kind === 'retry') {
        const n = p.notice;
        const why = n.reason === 'token' ? 'token rejected, getting a new one' : `${n.reason}${n.status ? ` (${n.status})` : ''}, retrying in ${(n.waitMs / 1000).toFixed(1)} s`;
        line(`dynrule: ${why}: ${n.url.split('?')[0]}`);
      } else if (p.kind === 'warning') {
        line(`dynrule: warning: ${p.message}`);
      }
    },
    end: () => {
      if (tty && shown) stream.write('\r\x1b[K');
    },
  };
}

/** Debug log lines (already redacted by the client) on stderr with DYNRULE_DEBUG=1. */
const debugLog = (level: string, message: string): void => {
  if (process.env['DYNRULE_DEBUG']) process.stderr.write(`${terminalText(`dynrule: [${level}] ${message}`)}\n`);
};

/**
 * An AbortController that Ctrl+C or SIGTERM fires: the fetch stops, removes its partial folder and
 * the command exits 2. A second signal exits at once (the snapshot writer removes partial folders
 * on exit).
 */
function interruptible(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    process.stderr.write('\ndynrule: cancelling…\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

function endpointOf(flag: string | undefined): string {
  return flag ?? process.env['DYNRULE_GRAPH_ENDPOINT'] ?? DEFAULT_ENDPOINT;
}

function describe(r: SnapshotResult): string {
  const m = r.meta;
  const units = m.counts.administrativeUnits !== undefined ? `, ${m.counts.administrativeUnits} dynamic administrative units` : '';
  const counts = `${m.counts.users} users, ${m.counts.devices} devices, ${m.counts.groups} groups${units}, ${m.counts.subscribedSkus} SKUs`;
  const how = r.mode === 'delta' && r.changes
    ? `refreshed with changes only (${(['users', 'devices', 'groups'] as const).map((k) => `${k} +${r.changes![k].added} ~${r.changes![k].updated} −${r.changes![k].removed}`).join(', ')})`
    : `full read${r.fullReason ? ` (${r.fullReason})` : ''}`;
  return `${how}: ${counts}; ${r.requests} requests, ${r.retries} retries, ${(r.durationMs / 1000).toFixed(1)} s`;
}

function failure(e: unknown, dir: string): UsageError {
  if (e instanceof GraphError) {
    const why = e.kind === 'cancelled' ? 'cancelled' : `failed: ${e.message}`;
    return new UsageError(`snapshot ${why}; nothing was saved (${dir} is as it was)`);
  }
  return e instanceof UsageError ? e : new UsageError(`snapshot failed: ${e instanceof Error ? e.message : String(e)}; nothing was saved`);
}

export async function snapshotCommand({ values, positionals }: ParsedArgs, io: Output): Promise<number> {
  const format = str(values.format) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be one of text, json (got "${format}")`);
  if (positionals.length) throw new UsageError(`snapshot: unexpected argument "${positionals[0]}" (give the folder with --out)`);
  const out = str(values.out);
  if (!out) throw new UsageError('snapshot: give --out <folder> for the snapshot');
  const endpoint = endpointOf(str(values.endpoint));
  const groups = [...((values.group as string[] | undefined) ?? [])];
  const extensions: string[] = [];
  const rules = (values.rules as string[] | undefined) ?? [];
  if (rules.length) {
    const needs = await needsOfRuleFiles(rules);
    groups.push(...needs.groups);
    extensions.push(...needs.extensions);
  }
  const interrupt = interruptible();
  const progress = progressPrinter();
  try {
    const auth = await cliAuth({ endpoint, env: process.env, interactive: process.stdin.isTTY === true, prompt: (m) => process.stderr.write(`${terminalText(`dynrule: ${m}`)}\n`) });
    const result = await syncSnapshot({
      out, endpoint, getToken: auth.getToken, groups, extensionProperties: extensions, signal: interrupt.signal,
      onProgress: progress.onProgress, log: debugLog, full: values.full === true, allDynamicGroups: values.all === true,
    });
    progress.end();
    if (format === 'json') {
      outLines(io, JSON.stringify({ dir: result.dir, mode: result.mode, tenantId: result.meta.tenantId, takenAt: result.meta.takenAt, counts: result.meta.counts, changes: result.changes ?? null, missingGroups: result.meta.missingGroups, warnings: result.warnings, requests: result.requests, retries: result.retries, durationMs: result.durationMs }, null, 2));
    } else {
      io.out(`Snapshot of ${result.meta.tenantName ?? 'tenant'} ${result.meta.tenantId} in ${result.dir}`);
      io.out(`  ${describe(result)}`);
      if (result.meta.missingGroups.length) io.out(`  not found: ${result.meta.missingGroups.join(', ')}`);
    }
    return EXIT_OK;
  } catch (e) {
    progress.end();
    throw failure(e, out);
  } finally {
    interrupt.dispose();
  }
}

// --- --tenant live -------------------------------------------------------------------------

/** The cache folder for live snapshots: $XDG_CACHE_HOME/dynrule (or ~/.cache/dynrule). */
export function liveCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CACHE_HOME'] || (process.platform === 'win32' && env['LOCALAPPDATA']) || path.join(os.homedir(), '.cache');
  return path.join(base, 'dynrule');
}

export function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 129_600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} days ago`;
}

export interface LiveOptions {
  readonly endpoint?: string;
  readonly groups?: readonly string[];
  readonly extensions?: readonly string[];
  /** Every dynamic group and dynamic administrative unit (pull, audit, whatif). */
  readonly allDynamicGroups?: boolean;
  /** One-line notices (where the snapshot is, how old). */
  readonly notice: (s: string) => void;
}

/**
 * The cached live snapshot folder, fetched or refreshed as needed: used as is while younger than
 * DYNRULE_LIVE_MAX_AGE seconds (default 600) and holding what the rules need; else refreshed
 * by delta (or read in full when that is not possible). Never inside the workspace.
 */
export async function openLiveSnapshot(options: LiveOptions): Promise<string> {
  const endpoint = endpointOf(options.endpoint);
  const interrupt = interruptible();
  const progress = progressPrinter();
  try {
    const auth = await cliAuth({ endpoint, env: process.env, interactive: process.stdin.isTTY === true, prompt: (m) => process.stderr.write(`${terminalText(`dynrule: ${m}`)}\n`) });
    const tenantId = await tenantIdFor({ endpoint, getToken: auth.getToken, signal: interrupt.signal, log: debugLog });
    const root = liveCacheRoot();
    await fs.mkdir(root, { recursive: true, mode: 0o700 });
    await fs.chmod(root, 0o700);
    const dir = tenantFolder(root, tenantId);
    const meta = await tryReadLiveMeta(dir);
    const maxAge = Number(process.env['DYNRULE_LIVE_MAX_AGE'] ?? 600) * 1000;
    const lower = (l: readonly string[]): Set<string> => new Set(l.map((s) => s.toLowerCase()));
    const covered = (need: readonly string[] | undefined, have: readonly string[]): boolean => {
      const h = lower(have);
      return (need ?? []).every((n) => h.has(n.toLowerCase()));
    };
    if (meta && meta.endpoint === normalizeEndpoint(endpoint) && Date.now() - Date.parse(meta.takenAt) < maxAge
      && covered(options.groups, meta.groupsRequested) && covered(options.extensions, meta.extensionProperties)
      && (!options.allDynamicGroups || meta.allDynamicGroups === true)) {
      options.notice(`live tenant ${meta.tenantName ?? tenantId}: cached snapshot ${dir}, taken ${ago(Date.now() - Date.parse(meta.takenAt))}`);
      return dir;
    }
    const result = await syncSnapshot({
      out: dir, endpoint, getToken: auth.getToken, groups: options.groups ?? [], extensionProperties: options.extensions ?? [],
      signal: interrupt.signal, onProgress: progress.onProgress, log: debugLog, allDynamicGroups: options.allDynamicGroups === true,
    });
    progress.end();
    options.notice(`live tenant ${result.meta.tenantName ?? tenantId}: snapshot ${dir}, taken just now (${describe(result)}; last full read ${ago(Date.now() - Date.parse(result.meta.fullFetchAt))})`);
    return dir;
  } catch (e) {
    progress.end();
    if (e instanceof GraphError) throw new UsageError(`--tenant live: ${e.kind === 'cancelled' ? 'cancelled' : e.message}`);
    throw e;
  } finally {
    interrupt.dispose();
  }
}

/** The commands that take `--tenant live`. */
export const LIVE_COMMANDS: ReadonlySet<string> = new Set(['check', 'eval', 'explain', 'preview', 'test', 'pull', 'audit', 'whatif']);

/** Of those, the ones that work on every dynamic group of the tenant: their live snapshot is read with `--all`. */
export const WHOLE_TENANT_COMMANDS: ReadonlySet<string> = new Set(['pull', 'audit', 'whatif']);

/**
 * For `--tenant live`: opens the live snapshot with what the command's rules need and returns
 * the arguments with `live` replaced by its folder (and `--endpoint` taken out), so that every
 * command reads it as it reads any snapshot folder. Other arguments are returned unchanged.
 */
export async function resolveLiveTenant(command: string, argv: string[], io: Output, options: NonNullable<Options>): Promise<string[]> {
  if (!LIVE_COMMANDS.has(command)) return argv;
  const liveAt = argv.findIndex((a, i) => a === '--tenant=live' || (a === '--tenant' && argv[i + 1] === 'live'));
  if (liveAt < 0) return argv;
  // The command's own options (from the command table), and the cloud to read.
  const { values, positionals } = parseArgs({ args: argv, options: { ...options, endpoint: { type: 'string' } }, allowPositionals: true, strict: false });
  const into = { groups: new Set<string>(), extensions: new Set<string>() };
  const ruleTexts: string[] = [];
  if (typeof values['rule'] === 'string') ruleTexts.push(values['rule']);
  if (typeof values['group'] === 'string') into.groups.add(values['group']);
  let files: string[] = [];
  if (command === 'test') {
    try {
      for (const f of await findRuleTestFiles(positionals.length ? positionals : ['.'])) files.push((await readRuleTestFile(f)).rule);
    } catch {
      // The test command reports broken test files itself.
    }
  } else if (command === 'check') {
    // check takes folders too; it reports missing files itself.
    const needs = await needsOfRuleFiles(positionals).catch(() => ({ groups: [], extensions: [] }));
    for (const g of needs.groups) into.groups.add(g);
    for (const x of needs.extensions) into.extensions.add(x);
  } else if (WHOLE_TENANT_COMMANDS.has(command)) {
    // whatif --rules <dir>: edited rule files, which may use extension properties.
    const dirs = ([] as unknown[]).concat(values['rules'] ?? []).filter((d): d is string => typeof d === 'string');
    const needs = dirs.length ? await needsOfRuleFiles(dirs).catch(() => ({ groups: [], extensions: [] })) : { groups: [], extensions: [] };
    for (const x of needs.extensions) into.extensions.add(x);
  } else files = positionals.filter((p) => p.endsWith('.dynrule'));
  for (const f of files) {
    try {
      ruleTexts.push(await readTextFile(f, MAX_RULE_FILE_BYTES));
    } catch {
      // The command reports a missing rule file itself.
    }
  }
  for (const t of ruleTexts) needsOfRule(parseRule(t), into);

  const dir = await openLiveSnapshot({
    ...(typeof values['endpoint'] === 'string' ? { endpoint: values['endpoint'] } : {}),
    groups: [...into.groups], extensions: [...into.extensions],
    ...(WHOLE_TENANT_COMMANDS.has(command) ? { allDynamicGroups: true } : {}),
    notice: (s) => io.err(`dynrule: ${s}`),
  });
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (i === liveAt) {
      out.push('--tenant', dir);
      if (a === '--tenant') i++;
    } else if (a === '--endpoint') i++;
    else if (!a.startsWith('--endpoint=')) out.push(a);
  }
  return out;
}
