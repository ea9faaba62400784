/**
 * Hand-off to where a rule is saved: the rule as the Entra admin center's rule box takes it, a
 * Microsoft Graph request and a PowerShell command that set it on the `# @group` group. Only text:
 * the product never sends them (nothing is ever written to a tenant); an admin pastes them.
 *
 * The rule is the admin's text, so it may hold anything: quotes, backticks, `$`, line breaks and
 * control characters. Each format carries it exactly, and none lets a character of it end a string
 * early or reach a terminal as a control sequence.
 */

/** Characters written as escapes, never raw: C0 and C1 controls, DEL, line and paragraph separators, bidi controls. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Graph endpoint used when the configured one is not an http(s) URL. */
export const DEFAULT_GRAPH_ENDPOINT = 'https://graph.microsoft.com';

const hex = (c: string, width: number): string => c.charCodeAt(0).toString(16).padStart(width, '0');

/**
 * `PATCH <endpoint>/v1.0/groups/<id>` with `{"membershipRule": …}`, as an HTTP request (Graph
 * Explorer, a .http file, a change ticket). The rule is a JSON string with every unsafe character
 * escaped as `\uXXXX`.
 */
export function graphRequest(groupId: string, rule: string, endpoint: string): string {
  const value = JSON.stringify(rule).replace(UNSAFE, (c) => `\\u${hex(c, 4)}`);
  const body = `{\n  "membershipRule": ${value}\n}`;
  return `PATCH ${graphOrigin(endpoint)}/v1.0/groups/${checkedId(groupId)}\nContent-Type: application/json\n\n${body}\n`;
}

/**
 * `Update-MgGroup -GroupId '<id>' -MembershipRule '<rule>'` (Microsoft Graph PowerShell). The rule
 * is a single-quoted string, where nothing expands (`$`, backticks) and a quote is doubled —
 * including the typographic single quotes, which PowerShell also reads as quotes. Control
 * characters and line breaks are joined in as `[char]0x…`, so the command is one line and its
 * text shows nothing but printable characters.
 */
export function powerShellCommand(groupId: string, rule: string): string {
  return `Update-MgGroup -GroupId ${powerShellString(checkedId(groupId))} -MembershipRule ${powerShellString(rule)}`;
}

/** A PowerShell expression whose value is exactly `text`: a single-quoted string, or a sum of them with `[char]` codes. */
export function powerShellString(text: string): string {
  const quoted = (s: string): string => `'${s.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
  const parts: string[] = [];
  let from = 0;
  for (const m of text.matchAll(UNSAFE)) {
    if (m.index > from) parts.push(quoted(text.slice(from, m.index)));
    parts.push(`[char]0x${hex(m[0], 2)}`);
    from = m.index + 1;
  }
  if (from < text.length || parts.length === 0) parts.push(quoted(text.slice(from)));
  return parts.length === 1 ? parts[0]! : `(${parts.join(' + ')})`;
}

/** The origin of a Graph endpoint (no path, query or credentials); the global cloud's when it is not http(s). */
export function graphOrigin(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.origin;
  } catch {
    // Not a URL: the default below.
  }
  return DEFAULT_GRAPH_ENDPOINT;
}

function checkedId(id: string): string {
  if (!GUID.test(id)) throw new Error(`not a group id: ${JSON.stringify(id)}`);
  return id.toLowerCase();
}

/** A group as the tenant knows it. */
export interface GroupRef {
  readonly id: string;
  readonly displayName: string | null;
}

export type GroupResolution =
  | { readonly ok: true; readonly group: GroupRef }
  | { readonly ok: false; readonly reason: 'no-directive' | 'no-tenant' | 'not-found' | 'ambiguous' | 'not-an-id'; readonly matches?: readonly GroupRef[] };

/**
 * The group `# @group` names: its id as written (a GUID needs no tenant), or the one group of the
 * tenant with that display name (case-insensitive). `groups` is undefined when no tenant is loaded.
 */
export function resolveGroup(value: string | undefined, groups: readonly GroupRef[] | undefined): GroupResolution {
  const v = value?.trim();
  if (!v) return { ok: false, reason: 'no-directive' };
  if (GUID.test(v)) {
    const known = groups?.find((g) => g.id.toLowerCase() === v.toLowerCase());
    return { ok: true, group: { id: v.toLowerCase(), displayName: known?.displayName ?? null } };
  }
  if (!groups) return { ok: false, reason: 'no-tenant' };
  const key = v.toLowerCase();
  const matches = groups.filter((g) => g.displayName?.toLowerCase() === key);
  if (matches.length === 0) return { ok: false, reason: 'not-found' };
  if (matches.length > 1) return { ok: false, reason: 'ambiguous', matches };
  const group = matches[0]!;
  return GUID.test(group.id) ? { ok: true, group: { id: group.id.toLowerCase(), displayName: group.displayName } } : { ok: false, reason: 'not-an-id' };
}
