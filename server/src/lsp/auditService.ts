/**
 * The whole tenant in the editor: `dynrule/audit` and `dynrule/pull` against the tenant in use,
 * and the audit's findings on the groups' pulled rule files.
 *
 * One source of diagnostics per file: the server publishes a pulled file's diagnostics in one
 * list. While the file is open, its rule findings are the live checks of the text in the editor
 * (as for any rule file) and the audit adds what only it knows (drift, paused processing, guests
 * in a licensing group…) at the file's `# @group` line; the audit's own rule findings stand only
 * for the text they were found in, and are left out when a live check gives the same code at the
 * same place. A closed file shows the audit's findings, rule findings at their place in the file.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { l10n } from '../../../grammar/src/index';
import { auditTenantInSlices, filePosition, pulledFileOf, pullRules, type AuditFinding, type AuditReport } from '../audit/index';
import { DIAGNOSTIC_SOURCE, type AuditFindingDto, type AuditGroupDto, type AuditParams, type AuditResponse, type PullParams, type PullResponse } from '../../../protocol/src/protocol';
import type { Snapshot } from '../tenant/snapshot';
import type { TenantState } from './tenantState';

const SEVERITY: Record<AuditFinding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** The line of a rule file's `# @group` (or `# @administrativeUnit`) directive; the first line when it has none. */
export function directiveLine(text: string): number {
  const i = text.split(/\r\n|\r|\n/).findIndex((l) => /^\s*#\s*@(group|administrativeUnit)\b/i.test(l));
  return Math.max(0, i);
}

/** `file` when it is inside `folder` (a pull record is tenant-derived data: it never names a path outside). */
function inside(folder: string, file: string): string | undefined {
  const abs = path.resolve(folder, file);
  const rel = path.relative(folder, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? abs : undefined;
}

const keyOf = (file: string): string => path.resolve(file);

/** What the audit found for one pulled file, with the text it was found in. */
interface FileFindings {
  readonly uri: string;
  readonly text: string;
  /** Ranged: rule findings; the others sit on the directive line. */
  readonly findings: readonly (AuditFindingDto & { readonly range: NonNullable<AuditFindingDto['range']>; readonly onRule: boolean })[];
}

export interface AuditServiceHost {
  /** Publishes a file's whole list of diagnostics (the server merges them with the live checks of an open file). */
  republish(uri: string): void;
  /** The server's log (the output channel). */
  log?(message: string): void;
}

/** Where a request hears how far the audit is (LSP work-done progress on the request's token). */
export interface AuditProgress {
  begin(title: string, percentage?: number, message?: string, cancellable?: boolean): void;
  report(percentage: number, message?: string): void;
  done(): void;
}

/** A request waiting for the audit in progress. */
interface Waiter {
  readonly cancelled: () => boolean;
  readonly progress?: AuditProgress;
  readonly resolve: (r: AuditReport | undefined) => void;
  readonly reject: (e: unknown) => void;
}

/** The audit in progress: one per tenant generation, shared by every request that asks meanwhile. */
interface AuditJob {
  readonly generation: number;
  readonly waiters: Set<Waiter>;
  /** Every waiter cancelled, or the tenant changed: the job stops at its next slice and takes no one new. */
  abandoned: boolean;
}

export class AuditService {
  private report: { generation: number; report: AuditReport } | undefined;
  private running: AuditJob | undefined;
  /** Findings by pulled file (absolute path), from the last audit answered. */
  private files = new Map<string, FileFindings>();

  constructor(private readonly tenant: TenantState, private readonly host: AuditServiceHost) {}

  /** The audit of the tenant in use, with each group's pulled file in `folder`; computed once per loaded tenant unless `refresh`. */
  async audit(p: AuditParams, cancelled: () => boolean, progress?: AuditProgress): Promise<AuditResponse> {
    const info = this.tenant.info();
    const snapshot = this.tenant.current;
    if (!snapshot || info.state !== 'ready') {
      this.clear();
      return { ok: false, reason: this.unavailable(), tenant: info.label, findings: [], groups: [] };
    }
    const folder = p.folder && path.isAbsolute(p.folder) ? p.folder : undefined;
    const generation = this.tenant.generation;
    const stopped = (): AuditResponse => ({
      ok: false, reason: this.tenant.generation !== generation ? l10n.t('the tenant changed during the audit') : l10n.t('the audit was cancelled'),
      tenant: info.label, findings: [], groups: [],
    });
    if (p.refresh || !this.report || this.report.generation !== generation) {
      progress?.begin(l10n.t('Auditing the tenant'), 0, undefined, false);
      let fresh: AuditReport | undefined;
      try {
        fresh = await this.fresh(snapshot, generation, cancelled, progress);
      } finally {
        progress?.done();
      }
      if (!fresh) return stopped();
      this.report = { generation, report: fresh };
    }
    if (cancelled()) return stopped();
    const report = this.report.report;
    const files = new Map<string, FileFindings>();
    const groups: AuditGroupDto[] = report.groups.map((g) => {
      const file = folder ? this.pulledFile(folder, g.id) : undefined;
      let text: string | undefined;
      if (file) {
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          text = undefined;
        }
      }
      const uri = file && text !== undefined ? pathToFileURL(file).href : undefined;
      const findings = g.findings.map((f): AuditFindingDto & { onRule: boolean } => {
        const base = { code: f.code, severity: f.severity, message: f.message, onRule: f.range !== undefined };
        if (text === undefined) return base;
        if (f.range) return { ...base, range: { start: filePosition(text, f.range.start), end: filePosition(text, f.range.end) } };
        const line = directiveLine(text);
        return { ...base, range: { start: { line, character: 0 }, end: { line, character: text.split(/\r\n|\r|\n/)[line]?.length ?? 0 } } };
      });
      if (file && uri && text !== undefined) files.set(keyOf(file), { uri, text, findings: findings.filter((f): f is FileFindings['findings'][number] => f.range !== undefined) });
      return {
        id: g.id, displayName: g.displayName, kind: g.kind, type: g.type, processingState: g.processingState, members: g.members,
        ruleMembers: g.ruleMembers, missing: g.missing.length, extra: g.extra.length, unknown: g.unknown, licenses: g.licenses,
        findings: findings.map(({ onRule: _, ...f }) => f),
        ...(uri ? { file: uri } : {}),
      };
    });
    this.replaceFiles(files);
    const s = report.summary;
    return {
      ok: true, tenant: info.label,
      summary: { groups: s.groups, administrativeUnits: s.administrativeUnits, dynamicObjects: s.dynamicObjects, dynamicLimit: s.dynamicLimit, errors: s.errors, warnings: s.warnings, infos: s.infos },
      ...(folder ? { folder } : {}),
      findings: report.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message })),
      groups,
    };
  }

  /**
   * A new audit of the tenant in use, in slices (a cancel or a tenant change stops it between two
   * groups, and the server answers other requests meanwhile). Requests that ask while one runs
   * share it: a request's cancel answers that request at the next slice, and the audit itself
   * stops only once every request waiting for it is cancelled or the tenant changes — so the view's
   * refresh cancelling an older refresh does not start the audit again from the first group.
   */
  private fresh(snapshot: Snapshot, generation: number, cancelled: () => boolean, progress?: AuditProgress): Promise<AuditReport | undefined> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { cancelled, resolve, reject, ...(progress ? { progress } : {}) };
      const joined = this.running;
      if (joined && !joined.abandoned && joined.generation === generation) {
        joined.waiters.add(waiter);
        return;
      }
      const job: AuditJob = { generation, waiters: new Set([waiter]), abandoned: false };
      this.running = job;
      const t0 = performance.now();
      const settle = (f: (w: Waiter) => void): void => {
        if (this.running === job) this.running = undefined;
        for (const w of job.waiters) f(w);
        job.waiters.clear();
      };
      auditTenantInSlices(snapshot, {
        isCancelled: () => {
          const gone = [...job.waiters].filter((w) => w.cancelled());
          for (const w of gone) job.waiters.delete(w);
          if (!job.abandoned && (job.waiters.size === 0 || this.tenant.generation !== generation)) {
            job.abandoned = true;
            // Logged before the requests are answered, so the log tells why in order.
            this.host.log?.('[audit] stopped: every request for it was cancelled, or the tenant changed');
          }
          for (const w of gone) w.resolve(undefined);
          return job.abandoned;
        },
        onProgress: (done, total) => {
          const message = l10n.t('{0} of {1} dynamic groups and units', l10n.formatNumber(done), l10n.formatNumber(total));
          for (const w of job.waiters) w.progress?.report(Math.floor((done / Math.max(1, total)) * 100), message);
        },
      }).then((r) => {
        if (r) this.host.log?.(`[audit] ${r.groups.length} dynamic groups and units audited in ${Math.round(performance.now() - t0)} ms`);
        settle((w) => w.resolve(r));
      }, (e: unknown) => settle((w) => w.reject(e)));
    });
  }

  /** Writes every dynamic group's rule into `folder` (`dynrule pull`). */
  pull(p: PullParams): PullResponse {
    const empty = { written: [], unchanged: [], conflicts: [], gone: [] };
    const snapshot = this.tenant.current;
    if (!snapshot || this.tenant.info().state !== 'ready') return { ok: false, reason: this.unavailable(), ...empty };
    if (!p.folder || !path.isAbsolute(p.folder)) return { ok: false, reason: l10n.t('the pull folder must be an absolute path'), ...empty };
    const r = pullRules(snapshot, p.folder);
    const uri = (f: string): string | undefined => {
      const abs = inside(p.folder, f);
      return abs ? pathToFileURL(abs).href : undefined;
    };
    const files = <T extends { file: string }>(list: readonly T[]): T[] => list.flatMap((x) => {
      const u = uri(x.file);
      return u ? [{ ...x, file: u }] : [];
    });
    return {
      ok: true,
      written: files(r.written).map(({ file, id }) => ({ file, id })),
      unchanged: files(r.unchanged).map(({ file, id }) => ({ file, id })),
      conflicts: files(r.conflicts).map(({ file, id, reason, tenantFile }) => {
        const copy = tenantFile ? uri(tenantFile) : undefined;
        return { file, id, reason, ...(copy ? { tenantFile: copy } : {}) };
      }),
      gone: files(r.gone).map(({ file, id }) => ({ file, id })),
    };
  }

  /**
   * The audit's diagnostics for a file: every finding when `liveText` is undefined (the file is not
   * open); else the group's own findings, and its rule findings only while the text is the one
   * they were found in and no live diagnostic already says the same there.
   */
  diagnostics(uri: string, liveText?: string, live: readonly Diagnostic[] = []): Diagnostic[] {
    const f = this.filesByUri(uri);
    if (!f) return [];
    const same = (d: Diagnostic, a: FileFindings['findings'][number]): boolean => d.code === a.code
      && d.range.start.line === a.range.start.line && d.range.start.character === a.range.start.character;
    return f.findings
      .filter((a) => liveText === undefined || !a.onRule || (liveText === f.text && !live.some((d) => same(d, a))))
      .map((a) => ({ range: a.range, severity: SEVERITY[a.severity], code: a.code, source: DIAGNOSTIC_SOURCE, message: a.message }));
  }

  /** The tenant changed: the report no longer stands, and its findings leave the files. */
  clear(): void {
    this.report = undefined;
    this.replaceFiles(new Map());
  }

  /** Why there is no tenant to audit or pull. */
  private unavailable(): string {
    const info = this.tenant.info();
    return info.state === 'loading' ? l10n.t('the tenant is still loading') : info.error ?? l10n.t('no tenant is selected');
  }

  private filesByUri(uri: string): FileFindings | undefined {
    if (!uri.startsWith('file:')) return undefined;
    try {
      return this.files.get(keyOf(fileURLToPath(uri)));
    } catch {
      return undefined;
    }
  }

  private pulledFile(folder: string, id: string): string | undefined {
    const file = pulledFileOf(folder, id);
    return file ? inside(folder, file) : undefined;
  }

  private replaceFiles(next: Map<string, FileFindings>): void {
    const before = this.files;
    this.files = next;
    for (const [k, f] of next) if (!before.has(k)) this.host.republish(f.uri);
    for (const [k, f] of before) this.host.republish(next.get(k)?.uri ?? f.uri);
  }
}
