/** Reading a live snapshot's snapshot.json back, to refresh it. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { GraphError } from './errors';
import type { LiveSnapshotMeta } from './types';

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** The folder's snapshot.json if it is a finished live snapshot that can be refreshed; else undefined. */
export async function tryReadLiveMeta(dir: string): Promise<LiveSnapshotMeta | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, 'snapshot.json'), 'utf8');
  } catch {
    return undefined;
  }
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!m || typeof m !== 'object' || m['source'] !== 'graph' || m['complete'] !== true) return undefined;
  const links = m['deltaLinks'] as Record<string, unknown> | undefined;
  const select = m['select'] as Record<string, unknown> | undefined;
  if (typeof m['tenantId'] !== 'string' || typeof m['endpoint'] !== 'string') return undefined;
  if (!links || typeof links['users'] !== 'string' || typeof links['devices'] !== 'string') return undefined;
  if (!select || !isStrings(select['users']) || !isStrings(select['devices'])) return undefined;
  return {
    ...(m as unknown as LiveSnapshotMeta),
    extensionProperties: isStrings(m['extensionProperties']) ? m['extensionProperties'] : [],
    groupsRequested: isStrings(m['groupsRequested']) ? m['groupsRequested'] : [],
    missingGroups: isStrings(m['missingGroups']) ? m['missingGroups'] : [],
    fullFetchAt: typeof m['fullFetchAt'] === 'string' ? m['fullFetchAt'] : String(m['takenAt'] ?? ''),
  };
}

export async function readLiveMeta(dir: string): Promise<LiveSnapshotMeta> {
  const meta = await tryReadLiveMeta(dir);
  if (!meta) throw new GraphError('bad-request', `${dir} is not a finished snapshot taken from Graph with change tracking (snapshot.json); take a full snapshot`);
  return meta;
}

/** The groups an earlier snapshot asked for and found: asked again on every refresh. */
export function carriedGroups(meta: { groupsRequested: readonly string[]; missingGroups: readonly string[] }): string[] {
  const missing = new Set(meta.missingGroups.map((g) => g.toLowerCase()));
  return meta.groupsRequested.filter((g) => !missing.has(g.toLowerCase()));
}
