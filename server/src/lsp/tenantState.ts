/**
 * The tenant the server evaluates against: loading (cancellable, with progress), the loaded
 * snapshot, and what it tells the editor services (values seen, groups, managers, plans).
 */
import * as path from 'node:path';
import {
  findProperty, l10n, type GraphObject, type RuleObject, type TenantData,
} from '../../../grammar/src/index';
import { redact } from '../graph/secrets';
import { snapshotNames } from '../tenant/facts';
import { reportCounts, searchRows, tableOf, valueCounts } from '../tenant/queries';
import { loadSnapshot, SnapshotError, type Collection, type Snapshot } from '../tenant/snapshot';
import type { LiveSelection, ObjectSummary, TenantInfo, TenantSelection } from './protocol';

/** Fetches or refreshes a live tenant's snapshot; returns its folder. */
export type LiveFetcher = (selection: LiveSelection, progress: LoadProgress) => Promise<{ dir: string; tenantId: string; mode: 'full' | 'delta' }>;

/**
 * A load the user called off — sign-in cancelled, or Cancel on the progress notification. The
 * tenant in use before stays in use: cancelling is not a failure.
 */
export class LoadCancelled extends Error {}

export interface LoadProgress {
  report(message: string): void;
  readonly signal: AbortSignal;
}

const MAX_VALUES = 200;

export function summarize(o: GraphObject): ObjectSummary {
  const s = (k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  const out: Record<string, string> = { id: String(o['id'] ?? ''), displayName: s('displayName') ?? String(o['id'] ?? '') };
  for (const k of ['userPrincipalName', 'department', 'jobTitle', 'userType', 'operatingSystem']) {
    const v = s(k);
    if (v !== undefined) out[k] = v;
  }
  return out as unknown as ObjectSummary;
}

export class TenantState {
  private selection: TenantSelection = { kind: 'none' };
  private snapshot: Snapshot | undefined;
  private state: TenantInfo['state'] = 'none';
  private error: string | undefined;
  private loading: AbortController | undefined;
  /** Bumped whenever the loaded tenant changes, so cached previews can tell they are stale. */
  generation = 0;
  private valueCache = new Map<string, { value: string; count: number }[]>();
  private managerCache: ReturnType<NonNullable<TenantData['managers']>> | undefined;
  private namesCache: ReturnType<typeof snapshotNames> | undefined;
  /** Other snapshot folders loaded for rule test files, by absolute path. */
  private readonly others = new Map<string, Promise<Snapshot>>();

  private liveResult: { dir: string; tenantId: string; mode: 'full' | 'delta' } | undefined;

  constructor(private readonly onChange: (info: TenantInfo) => void, private readonly fetchLive?: LiveFetcher) {}

  get current(): Snapshot | undefined {
    return this.snapshot;
  }

  info(): TenantInfo {
    const s = this.snapshot;
    const sel = this.selection;
    const label = sel.kind === 'folder' ? (sel.label ?? path.basename(sel.path)) : sel.kind === 'live' ? (sel.label ?? sel.tenant ?? l10n.t('live tenant')) : l10n.t('no tenant');
    return {
      selection: this.selection,
      label: s?.meta?.tenantName && typeof s.meta.tenantName === 'string' ? s.meta.tenantName : label,
      state: this.state,
      ...(s?.users ? { users: s.users.length } : {}),
      ...(s?.devices ? { devices: s.devices.length } : {}),
      ...(s?.groups ? { groups: s.groups.length } : {}),
      ...(typeof s?.meta?.takenAt === 'string' ? { takenAt: s.meta.takenAt } : {}),
      ...(this.error ? { error: this.error } : {}),
      ...(s ? { notes: s.notes } : {}),
      ...(sel.kind === 'live' ? { live: { endpoint: sel.endpoint, ...(this.liveResult ? { tenantId: this.liveResult.tenantId, mode: this.liveResult.mode, dir: this.liveResult.dir } : {}) } } : {}),
    };
  }

  /**
   * Loads a tenant; a newer selection cancels a load in progress. A load the user cancels
   * ({@link LoadCancelled}, or `progress.signal`) puts back the tenant that was in use.
   */
  async select(selection: TenantSelection, progress?: LoadProgress): Promise<TenantInfo> {
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    progress?.signal.addEventListener('abort', () => controller.abort());
    const previous = { selection: this.selection, snapshot: this.snapshot, state: this.state, error: this.error, liveResult: this.liveResult };
    this.selection = selection;
    if (selection.kind === 'none') {
      this.setLoaded(undefined, 'none');
      return this.info();
    }
    this.state = 'loading';
    this.error = undefined;
    this.onChange(this.info());
    try {
      let dir: string;
      if (selection.kind === 'live') {
        if (!this.fetchLive) throw new Error(l10n.t('live tenants are not available in this editor'));
        const fetched = await this.fetchLive(selection, { signal: controller.signal, report: (m) => progress?.report(m) });
        if (this.loading !== controller) return this.info();
        this.liveResult = fetched;
        dir = fetched.dir;
      } else dir = selection.path;
      const snapshot = await loadSnapshot(dir, {
        signal: controller.signal,
        onProgress: (c: Collection, n: number) => progress?.report(`${l10n.formatNumber(n)} ${c}`),
      });
      if (this.loading !== controller) return this.info();
      this.setLoaded(snapshot, 'ready');
    } catch (e) {
      if (this.loading !== controller) return this.info();
      if (e instanceof LoadCancelled || controller.signal.aborted) {
        const cancelled = e instanceof LoadCancelled ? e : new LoadCancelled(l10n.t('loading was cancelled'));
        // The tenant before was itself still loading (this selection stopped it): load it again.
        if (previous.state === 'loading') {
          this.select(previous.selection).catch(() => undefined);
          throw cancelled;
        }
        // Back to the tenant in use before, as it was: its snapshot is still loaded.
        Object.assign(this, previous);
        this.generation++;
        this.onChange(this.info());
        throw cancelled;
      }
      this.snapshot = undefined;
      this.state = 'failed';
      // Shown in the code lens, the status bar and the log: never with a token a server echoed.
      this.error = controller.signal.aborted ? l10n.t('loading was cancelled') : redact(e instanceof SnapshotError || e instanceof Error ? e.message : String(e));
      this.generation++;
      this.onChange(this.info());
    }
    return this.info();
  }

  private setLoaded(s: Snapshot | undefined, state: TenantInfo['state']): void {
    this.snapshot = s;
    this.state = state;
    this.error = undefined;
    this.generation++;
    this.valueCache.clear();
    this.managerCache = undefined;
    this.namesCache = undefined;
    this.onChange(this.info());
  }

  /** A snapshot folder other than the selected one (rule test files name their own). */
  loadOther(dir: string): Promise<Snapshot> {
    const key = path.resolve(dir);
    if (this.selection.kind === 'folder' && path.resolve(this.selection.path) === key && this.snapshot) return Promise.resolve(this.snapshot);
    let p = this.others.get(key);
    if (!p) {
      p = loadSnapshot(key);
      this.others.set(key, p);
      p.catch(() => this.others.delete(key));
    }
    return p;
  }

  /** Forgets cached test tenants (their files changed). */
  invalidateOthers(): void {
    this.others.clear();
  }

  objects(object: RuleObject): readonly GraphObject[] {
    return (object === 'user' ? this.snapshot?.users : this.snapshot?.devices) ?? [];
  }

  /** What the editor services may ask the tenant. */
  data(): TenantData {
    const s = this.snapshot;
    if (!s) return {};
    return {
      valuesOf: (object, property) => this.valuesOf(object, property),
      groups: () => (s.groups ?? []).map((g) => ({
        id: g.id,
        displayName: typeof g.displayName === 'string' ? g.displayName : g.id,
        ...(typeof g['description'] === 'string' ? { description: g['description'] as string } : {}),
        ...(Array.isArray(g.members) ? { memberCount: g.members.length } : {}),
        ...(typeof g.membershipRule === 'string' && g.membershipRule.trim() ? { membershipRule: g.membershipRule } : {}),
      })),
      administrativeUnits: () => s.administrativeUnits.map((u) => ({
        id: u.id,
        displayName: typeof u.displayName === 'string' ? u.displayName : u.id,
        ...(typeof u.membershipRule === 'string' && u.membershipRule.trim() ? { membershipRule: u.membershipRule } : {}),
      })),
      managers: () => (this.managerCache ??= this.managers(s)),
      ...(this.namesCache ??= snapshotNames(s)),
    };
  }

  private valuesOf(object: RuleObject, property: string): { value: string; count: number }[] {
    const key = `${object}.${property.toLowerCase()}`;
    const hit = this.valueCache.get(key);
    if (hit) return hit;
    const def = findProperty(object, property);
    const out: { value: string; count: number }[] = [];
    if (def && (def.type === 'string' || def.type === 'stringCollection')) {
      // Counted over the snapshot's columns: once per distinct value, not once per object.
      const table = this.snapshot && tableOf(this.snapshot, object);
      // Unique values (ids, UPNs) are not useful as suggestions; keep values that repeat first.
      if (table) out.push(...valueCounts(table, object, property));
      out.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
      out.splice(MAX_VALUES);
    }
    this.valueCache.set(key, out);
    return out;
  }

  private managers(s: Snapshot): { id: string; displayName: string; userPrincipalName?: string; reports: number }[] {
    const counts = s.tables.users ? reportCounts(s.tables.users) : new Map<string, number>();
    const out: { id: string; displayName: string; userPrincipalName?: string; reports: number }[] = [];
    for (const [id, reports] of counts) {
      const u = s.userById.get(id);
      if (!u) continue;
      out.push({ id: String(u['id']), displayName: String(u['displayName'] ?? u['id']), ...(typeof u['userPrincipalName'] === 'string' ? { userPrincipalName: u['userPrincipalName'] as string } : {}), reports });
    }
    return out.sort((a, b) => b.reports - a.reports || a.displayName.localeCompare(b.displayName));
  }

  /** Users or devices whose name, UPN or id contains the query, for pickers. */
  search(object: RuleObject, query: string, limit: number): ObjectSummary[] {
    const q = query.trim().toLowerCase();
    const table = this.snapshot && tableOf(this.snapshot, object);
    return table ? searchRows(table, q, limit).map((r) => summarize(table.objectAt(r))) : [];
  }
}
