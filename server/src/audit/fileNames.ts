/**
 * File names for pulled rules, from display names that anyone who can edit a group writes: the
 * name is only ever a single path segment inside the output folder, on every file system. Path
 * separators, characters Windows forbids, control and invisible characters go; leading dots
 * (hidden files, `..`) and trailing dots and spaces (Windows drops them) go; names Windows
 * reserves (`CON`, `NUL`, `COM1`, …) get a suffix; long names are cut. A name left empty is
 * replaced by the object id, and a name already taken gets the id's first block, then the id.
 */
import * as path from 'node:path';

export const RULE_EXTENSION = '.dynrule';
/** Beside an edited file, the tenant's version of it after a conflict. */
export const TENANT_COPY_EXTENSION = '.tenant';
/** The longest base name, in UTF-16 code units (well inside the 255-byte limit of common file systems in UTF-8). */
export const MAX_BASE_LENGTH = 80;

const FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const RESERVED = /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])(\..*)?$/i;
/** An object id as Graph writes it; anything else is not written into a file name or a directive. */
export const OBJECT_ID = /^[0-9A-Za-z][0-9A-Za-z-]{0,63}$/;

/** The base of a file name for a display name (may be empty). */
export function baseName(displayName: string): string {
  let s = displayName.normalize('NFC').replace(FORBIDDEN, '-').replace(/\s+/g, ' ');
  s = s.replace(/-{2,}/g, '-').replace(/^[\s.-]+|[\s.]+$/g, '');
  if (s.length > MAX_BASE_LENGTH) {
    let cut = MAX_BASE_LENGTH;
    // Not between the halves of a surrogate pair.
    if (/[\ud800-\udbff]/.test(s[cut - 1]!)) cut--;
    s = s.slice(0, cut).replace(/[\s.]+$/, '');
  }
  if (RESERVED.test(s)) s = s.replace(/^[^.]*/, '$&-group');
  return s;
}

/** The key two names collide under on case-insensitive file systems. */
export const nameKey = (file: string): string => file.normalize('NFC').toLowerCase();

/** A file name for the object that none of `taken` (keys of {@link nameKey}) has. */
export function chooseFileName(displayName: string, id: string, taken: ReadonlySet<string>): string {
  const base = baseName(displayName) || id;
  const candidates = [base, `${base} (${id.split('-')[0]})`, `${base} (${id})`];
  for (const c of candidates) {
    const file = `${c}${RULE_EXTENSION}`;
    if (!taken.has(nameKey(file))) return file;
  }
  for (let n = 2; ; n++) {
    const file = `${base} (${id}) ${n}${RULE_EXTENSION}`;
    if (!taken.has(nameKey(file))) return file;
  }
}

/** Whether a name read back (from the pull record) is one this module could have chosen: a plain `.dynrule` file name. */
export function isSafeFileName(file: string): boolean {
  if (!file.endsWith(RULE_EXTENSION) || file.length > MAX_BASE_LENGTH + 100) return false;
  FORBIDDEN.lastIndex = 0;
  if (FORBIDDEN.test(file)) return false;
  const base = file.slice(0, -RULE_EXTENSION.length);
  return base !== '' && !base.startsWith('.') && !/[\s.]$/.test(base) && !RESERVED.test(base) && path.basename(file) === file;
}

/** `file` inside `dir`, refusing anything that would leave it. */
export function inside(dir: string, file: string): string {
  const root = path.resolve(dir);
  const full = path.resolve(root, file);
  if (path.dirname(full) !== root) throw new Error(`refusing to write ${JSON.stringify(file)} outside ${root}`);
  return full;
}
