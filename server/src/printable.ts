/**
 * Text from outside — tenant data above all (anyone who can edit a display name writes it), but
 * also file content and paths — made safe to show: control characters (ESC sequences that move
 * the cursor and erase lines, CR, BS), C1 controls, line and paragraph separators, bidirectional
 * overrides, zero-width and other invisible characters, and lone surrogates are written as
 * `\u001b`-style escapes. Printable text of every script is kept as it is.
 *
 * - {@link printable}: a quotation inside a message, capped in length;
 * - {@link terminalText}: one line printed to a terminal (the CLI's output goes through it, all of it);
 * - {@link editorText}: text the editor shows (line breaks and tabs kept: hovers are Markdown).
 */

const CONTROLS = '\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb';
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const UNPRINTABLE = new RegExp(`[${CONTROLS}]|${LONE_SURROGATE}`, 'g');
/** The same without line feed and tab. */
const UNPRINTABLE_IN_EDITOR = new RegExp(`[${CONTROLS.replace('\\u0000-\\u001f', '\\u0000-\\u0008\\u000b-\\u001f')}]|${LONE_SURROGATE}`, 'g');

const escape = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

function replaceAll(s: string, re: RegExp): string {
  re.lastIndex = 0;
  if (!re.test(s)) return s;
  re.lastIndex = 0;
  return s.replace(re, escape);
}

/** One line for a terminal: every unprintable character escaped, line breaks included. */
export const terminalText = (s: string): string => replaceAll(s, UNPRINTABLE);

/** Text for the editor: every unprintable character escaped but line feeds and tabs. */
export const editorText = (s: string): string => replaceAll(s, UNPRINTABLE_IN_EDITOR);

/**
 * File content for a message: at most `max` characters (then `…`), escaped as {@link terminalText}
 * escapes it, so that a message stays one readable line whatever the file holds.
 */
export function printable(s: string, max = 40): string {
  let n = 0;
  let end = 0;
  for (const ch of s) {
    if (n++ === max) return `${terminalText(s.slice(0, end))}…`;
    end += ch.length;
  }
  return terminalText(s);
}
