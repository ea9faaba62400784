/**
 * Test helpers: read a snapshot folder (Graph pages or JSON Lines) and run the generator in a
 * child process, as a user would.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Obj = Record<string, unknown>;

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SAMPLE = path.join(REPO, 'samples/tenant/contoso');
export const COLLECTIONS = ['users', 'devices', 'groups', 'subscribedSkus'] as const;

export interface Tenant {
  readonly meta: Obj;
  readonly users: Obj[];
  readonly devices: Obj[];
  readonly groups: Obj[];
  readonly skus: Obj[];
}

export function readCollection(dir: string, name: string): Obj[] {
  const jsonl = path.join(dir, `${name}.jsonl`);
  if (existsSync(jsonl)) {
    return readFileSync(jsonl, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Obj);
  }
  const data = JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as unknown;
  return (Array.isArray(data) ? data : (data as { value: Obj[] }).value) as Obj[];
}

export function readTenant(dir: string): Tenant {
  return {
    meta: JSON.parse(readFileSync(path.join(dir, 'snapshot.json'), 'utf8')) as Obj,
    users: readCollection(dir, 'users'),
    devices: readCollection(dir, 'devices'),
    groups: readCollection(dir, 'groups'),
    skus: readCollection(dir, 'subscribedSkus'),
  };
}

/** Runs scripts/generate-tenant.ts with `args`; throws with its output if it fails. */
export function runGenerator(args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'scripts/generate-tenant.ts'), ...args], {
    cwd: REPO, encoding: 'utf8', timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`generate-tenant ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
