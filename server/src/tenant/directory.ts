/**
 * A snapshot as the core's directory port: which users and groups exist, for the checks of the
 * ids a rule names (a Direct Reports manager, memberOf groups). A snapshot without users.json or
 * groups.json does not know them, and then nothing is reported about them.
 */
import type { DirectoryPort } from '../../../grammar/src/index';
import { printable } from './jsonError';
import type { Snapshot } from './snapshot';

export function directoryOf(s: Snapshot): DirectoryPort {
  return {
    // The name reaches terminals and the editor: no control characters.
    name: printable(s.name, 100),
    ...(s.users ? { hasUser: (id: string) => s.userById.has(id.toLowerCase()) } : {}),
    ...(s.groups ? { hasGroup: (id: string) => s.groupById.has(id.toLowerCase()) } : {}),
  };
}
