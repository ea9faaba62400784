/**
 * The one redaction path. Every `GraphError` message, every log line of the Graph client, every
 * retry notice and warning passes through `redact`; the snapshot writer refuses text for which
 * `carriesSecret` is true. Graph's answers are not trusted to leave the token out: a server that
 * echoes the request (an error body quoting the Authorization header, a link with the token in its
 * query) is caught here whatever the token's shape, because the tokens this process sent are
 * remembered — in memory only, the most recent few — and searched for.
 */

/** Tokens live about an hour and are refreshed rarely; a process sends few distinct ones. */
const REMEMBERED = 32;
const MIN_SECRET = 8;
/** A JWT part this long is specific to its token (the header part is shared, and not secret). */
const MIN_PART = 16;

/** Recently sent tokens' telling fragments, newest first. */
let fragments: string[][] = [];

/**
 * The pieces of a token that must never appear: the token itself (also percent-encoded, as it
 * would be in a URL), and for a JWT its payload and signature, each of which identifies it.
 */
function fragmentsOf(token: string): string[] {
  const out = new Set<string>([token]);
  const encoded = encodeURIComponent(token);
  if (encoded !== token) out.add(encoded);
  const parts = token.split('.');
  if (parts.length === 3) for (const p of parts.slice(1)) if (p.length >= MIN_PART) out.add(p);
  return [...out];
}

/** Remembers a token sent to Graph (or about to be), so that no message or file can carry it. */
export function rememberSecret(token: string): void {
  const t = token.trim();
  if (t.length < MIN_SECRET) return;
  if (fragments[0]?.[0] === t) return;
  fragments = [fragmentsOf(t), ...fragments.filter((f) => f[0] !== t)].slice(0, REMEMBERED);
}

const JWT = /eyJ[\w-]{6,}\.[\w-]{6,}\.[\w-]*/g;
const BEARER = /(bearer\s+)(?!\[redacted\])[^\s'",;]+/gi;

/**
 * Removes every remembered token (and its telling parts), the given extra secrets, bearer values
 * and anything shaped like a JWT.
 */
export function redact(text: string, extra: Iterable<string> = []): string {
  let out = text.replace(JWT, '[redacted]');
  const known = [...fragments.flat(), ...[...extra].flatMap((s) => (s.length >= MIN_SECRET ? fragmentsOf(s) : []))];
  // Longest first, so that a token is removed whole before any of its parts.
  for (const s of known.sort((a, b) => b.length - a.length)) if (out.includes(s)) out = out.split(s).join('[redacted]');
  return out.replace(BEARER, '$1[redacted]');
}

/** True when `text` holds a remembered token or a telling part of one. */
export function carriesSecret(text: string): boolean {
  for (const list of fragments) for (const s of list) if (text.includes(s)) return true;
  return false;
}
