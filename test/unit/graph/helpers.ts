/** Shared pieces of the live-tenant tests: the sample served over HTTP, temp folders, a captured log. */
import assert from 'node:assert/strict';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { GetToken, Logger, SnapshotProgress } from '../../../server/src/graph/index';
import { readTenantDir, type GraphServerData } from '../../support/graphStore';
import { startGraphServer, type GraphServer, type GraphServerOptions } from '../../support/graphServer';

export const SAMPLE = 'samples/tenant/contoso';

/** Retries quick enough for unit tests; Retry-After values from the server are still honoured. */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 40, maxAttempts: 5 } as const;

let sample: Promise<GraphServerData> | undefined;
/** The sample tenant as server data, read once per run. */
export const sampleData = (): Promise<GraphServerData> => (sample ??= readTenantDir(SAMPLE));

export async function serveSample(options: Omit<GraphServerOptions, 'tenantDir' | 'data'> = {}): Promise<GraphServer> {
  return startGraphServer({ ...options, data: await sampleData() });
}

export const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'dynrule-graph-'));

/** A getToken that hands out the server's current token and counts forced refreshes. */
export function tokens(server: GraphServer): { getToken: GetToken; refreshes: () => number; calls: () => number } {
  let refreshes = 0;
  let calls = 0;
  return {
    getToken: async ({ forceRefresh }) => {
      calls++;
      if (forceRefresh) refreshes++;
      return server.token;
    },
    refreshes: () => refreshes,
    calls: () => calls,
  };
}

/** Every log line and progress event, as text, to search for tokens. */
export function capture(): { log: Logger; onProgress: (p: SnapshotProgress) => void; text: () => string; events: SnapshotProgress[] } {
  const lines: string[] = [];
  const events: SnapshotProgress[] = [];
  return {
    log: (level, message) => lines.push(`${level} ${message}`),
    onProgress: (p) => {
      events.push(p);
      lines.push(JSON.stringify(p));
    },
    text: () => lines.join('\n'),
    events,
  };
}

/** Entries of a folder's parent that a failed write could leave behind. */
export async function leftovers(out: string): Promise<string[]> {
  const parent = path.dirname(out);
  const name = path.basename(out);
  return (await fs.readdir(parent)).filter((e) => e === name || e.startsWith(`.${name}.`));
}

/** After a test: asserts that only GET requests reached its Graph server, then closes it. */
export async function closeAfterOnlyGets(server: GraphServer | undefined): Promise<void> {
  if (!server) return;
  assert.deepEqual([...new Set(server.requests.map((r) => r.method))], ['GET'], 'only GET requests reach the server');
  await server.close();
}
