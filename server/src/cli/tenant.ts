/** `--tenant <dir|live>` for the CLI. */
import type { GraphObject, RuleObject } from '../../../grammar/src/index';
import { loadSnapshot, SnapshotError, type Collection, type Snapshot } from '../tenant/snapshot';
import { terminalText } from '../printable';
import { UsageError } from './io';
import { openLiveSnapshot } from './snapshot';

export async function openTenant(value: string | undefined, only?: readonly Collection[]): Promise<Snapshot> {
  if (!value) throw new UsageError('give --tenant <snapshot folder>');
  // The CLI turns `live` into the cached snapshot's folder before a command runs (main.ts);
  // this is for other callers, which get the cache without group or extension hints.
  const dir = value === 'live' ? await openLiveSnapshot({ notice: (s) => process.stderr.write(`${terminalText(`dynrule: ${s}`)}\n`) }) : value;
  try {
    return await loadSnapshot(dir, { only });
  } catch (e) {
    if (e instanceof SnapshotError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * The tenant for the commands that need every dynamic group and unit (pull, audit). A live
 * snapshot holds only the groups that rules name: it would look like a tenant with few dynamic
 * groups, so it is refused rather than presented as the whole tenant.
 */
export async function openWholeTenant(command: string, value: string | undefined, only: readonly Collection[]): Promise<Snapshot> {
  if (value === 'live') {
    throw new UsageError(`${command}: --tenant live reads only the groups that rules name, not every dynamic group; give a snapshot folder of the whole tenant (samples/tenant/README.md, Exporting your own tenant)`);
  }
  return openTenant(value, only);
}

/** The users or devices a rule runs over; a usage error if the snapshot lacks them. */
export function objectsFor(s: Snapshot, object: RuleObject): readonly GraphObject[] {
  const list = object === 'user' ? s.users : s.devices;
  if (!list) throw new UsageError(`${s.dir} has no ${object === 'user' ? 'users' : 'devices'}.json: ${object} rules cannot be evaluated`);
  return list;
}

export const idOf = (o: GraphObject): string => String(o['id'] ?? '');

/** A short human label: display name and UPN (users) or display name and OS (devices). */
export function labelOf(o: GraphObject): string {
  const name = typeof o['displayName'] === 'string' ? o['displayName'] : idOf(o);
  const second = o['userPrincipalName'] ?? o['operatingSystem'];
  return typeof second === 'string' ? `${name} <${second}>` : name;
}
