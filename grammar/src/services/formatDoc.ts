/**
 * A small Wadler/Prettier-style document printer for the formatter: a group is printed on one
 * line when it fits in the remaining width, otherwise its line breaks become newlines. Groups
 * break outside-in, so a long rule breaks at its top-level -or first, then at -and, then inside
 * parentheses.
 */

export type Doc =
  | string
  | readonly Doc[]
  | { readonly kind: 'group'; readonly contents: Doc; broken: boolean }
  | { readonly kind: 'indent'; readonly contents: Doc }
  /** A space (or nothing when `soft`) on one line; a newline when its group breaks. `hard` always breaks. */
  | { readonly kind: 'line'; readonly soft: boolean; readonly hard: boolean };

export const line: Doc = { kind: 'line', soft: false, hard: false };
export const softline: Doc = { kind: 'line', soft: true, hard: false };
export const hardline: Doc = { kind: 'line', soft: false, hard: true };
export const group = (contents: Doc): Doc => ({ kind: 'group', contents, broken: false });
export const indent = (contents: Doc): Doc => ({ kind: 'indent', contents });

/** Marks every group that holds a hard line as broken; returns whether `doc` holds one. */
function propagateBreaks(doc: Doc): boolean {
  if (typeof doc === 'string') return false;
  if (Array.isArray(doc)) {
    let hard = false;
    for (const d of doc as readonly Doc[]) hard = propagateBreaks(d) || hard;
    return hard;
  }
  const d = doc as Exclude<Doc, string | readonly Doc[]>;
  switch (d.kind) {
    case 'line': return d.hard;
    case 'indent': return propagateBreaks(d.contents);
    case 'group': {
      const hard = propagateBreaks(d.contents);
      if (hard) d.broken = true;
      return hard;
    }
  }
}

type Mode = 'flat' | 'break';
type Command = readonly [indent: string, mode: Mode, doc: Doc];

/** Whether `next` fits in `width` columns, up to the first line break of what follows it. */
function fits(next: Command, rest: readonly Command[], width: number): boolean {
  const cmds: Command[] = [next];
  let restIndex = rest.length;
  while (width >= 0) {
    if (cmds.length === 0) {
      if (restIndex === 0) return true;
      cmds.push(rest[--restIndex]!);
      continue;
    }
    const [ind, mode, doc] = cmds.pop()!;
    if (typeof doc === 'string') {
      width -= doc.length;
    } else if (Array.isArray(doc)) {
      for (let i = doc.length - 1; i >= 0; i--) cmds.push([ind, mode, doc[i] as Doc]);
    } else {
      const d = doc as Exclude<Doc, string | readonly Doc[]>;
      switch (d.kind) {
        case 'indent': cmds.push([ind, mode, d.contents]); break;
        case 'group': cmds.push([ind, d.broken ? 'break' : mode, d.contents]); break;
        case 'line':
          if (mode === 'break' || d.hard) return true;
          if (!d.soft) width -= 1;
          break;
      }
    }
  }
  return false;
}

/** Prints a document in `width` columns. */
export function printDoc(doc: Doc, width: number, indentUnit: string, eol: string): string {
  propagateBreaks(doc);
  const out: string[] = [];
  let column = 0;
  const cmds: Command[] = [['', 'break', doc]];
  while (cmds.length > 0) {
    const [ind, mode, d] = cmds.pop()!;
    if (typeof d === 'string') {
      out.push(d);
      column += d.length;
    } else if (Array.isArray(d)) {
      for (let i = d.length - 1; i >= 0; i--) cmds.push([ind, mode, d[i] as Doc]);
    } else {
      const x = d as Exclude<Doc, string | readonly Doc[]>;
      switch (x.kind) {
        case 'indent':
          cmds.push([ind + indentUnit, mode, x.contents]);
          break;
        case 'group': {
          const flat = !x.broken && (mode === 'flat' || fits([ind, 'flat', x.contents], cmds, width - column));
          cmds.push([ind, flat ? 'flat' : 'break', x.contents]);
          break;
        }
        case 'line':
          if (mode === 'flat' && !x.hard) {
            if (!x.soft) {
              out.push(' ');
              column += 1;
            }
          } else {
            out.push(eol + ind);
            column = ind.length;
          }
          break;
      }
    }
  }
  return out.join('');
}
