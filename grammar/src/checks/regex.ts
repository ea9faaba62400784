/** `-match` / `-notMatch` patterns: invalid, .NET-only, refused by the engine, behaving differently, catastrophic. */
import type { Span } from '../ast';
import { DOCS_URL, TROUBLESHOOT_DOCS_URL } from '../catalogue';
import { issue, type Issue } from '../issues';
import * as l10n from '../l10n';
import { analyzeRegex, defaultRegexEngine, type RegexFinding } from '../regex';
import type { Check } from './context';

export const regexChecks: Check = (ctx) => {
  const out: Issue[] = [];
  for (const { node } of ctx.comparisons) {
    const op = node.op.name;
    if (op !== 'match' && op !== 'notMatch') continue;
    const v = node.value;
    if (v.kind !== 'string' || !v.terminated) continue;
    const a = analyzeRegex(v.value);
    // Map a finding inside the pattern onto the document when the string has no escapes.
    const at = (f: RegexFinding): Span =>
      v.raw.length === v.value.length + 2 ? { start: v.span.start + 1 + f.index, end: v.span.start + 1 + f.index + f.length } : v.span;
    if (a.error) {
      const hint = /nothing to repeat/i.test(a.error) && /^[*+?]/.test(v.value) ? ` ${l10n.t('A pattern cannot start with {0}: use .{0} for "anything".', v.value[0]!)}` : '';
      out.push(issue('regex/invalid', 'error', l10n.t('Query compilation error: the regular expression is invalid ({0}).{1}', a.error, hint), v.span, {
        fixes: hint ? [{ title: l10n.t('Change to {0}', `".${v.value}"`), edits: [{ span: v.span, newText: `".${v.raw.slice(1, -1)}"` }] }] : [],
        docs: TROUBLESHOOT_DOCS_URL,
      }));
      continue;
    }
    for (const f of a.dotnetOnly) {
      out.push(issue('regex/dotnet-only', 'warning', l10n.t('{0} Entra runs the pattern as .NET, so the preview cannot evaluate it: results are unknown.', f.message), at(f), { docs: DOCS_URL }));
    }
    // Valid in both flavours, yet the process's engine cannot run it in bounded time: refused.
    const refusal = a.dotnetOnly.length === 0 ? defaultRegexEngine().refusal(a) : undefined;
    if (refusal !== undefined) {
      out.push(issue('regex/refused', 'warning', l10n.t('The pattern is not run ({0}), so the preview, eval, explain and rule tests give unknown for it. Entra runs it as .NET.', refusal), v.span, { docs: DOCS_URL }));
    }
    for (const f of a.differences) {
      out.push(issue('regex/dotnet-difference', 'warning', f.message, at(f), { docs: DOCS_URL }));
    }
    if (a.catastrophic) {
      out.push(issue('regex/catastrophic', 'warning', l10n.t('{0} Rewrite it without nested repetition.', a.catastrophic.message), at(a.catastrophic), { docs: DOCS_URL }));
    }
  }
  return out;
};
