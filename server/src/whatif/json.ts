/**
 * Changes to people as JSON (README, "What if people change"):
 * `[{"user": "<upn|id>", "set": {…}}, {"user": …, "delete": true}, {"create": {…}}]`, with the
 * fields of `set` and `create` named as the CSV headings are (rule or Graph property names).
 * A syntax error names its line and column; every other problem names the value's place.
 */
import { LineIndex } from '../text';
import { parseJsonWithLocations, type JsonPath, type LocatedJson } from '../jsonLocations';
import type { Change, ChangeIssue, FieldChange, Place } from './changes';
import type { ChangeCode } from './codes';
import { convert, findSettable, isGuid, isUpn } from './properties';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function parseChangesJson(file: string, text: string): { changes: Change[]; issues: ChangeIssue[] } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parsed = parseJsonWithLocations(body);
  if (!parsed.ok) {
    return { changes: [], issues: [{ file, line: parsed.error.line, column: parsed.error.column, code: 'changes/invalid-json', message: parsed.error.message }] };
  }
  const json: LocatedJson = parsed.json;
  const issues: ChangeIssue[] = [];
  const lines = new LineIndex(body);
  const place = (path: JsonPath): Place => {
    const span = json.locate(path) ?? json.locate(path.slice(0, -1)) ?? { start: 0, end: 0 };
    const p = lines.position(span.start);
    return { file, line: p.line + 1, column: p.character + 1 };
  };
  const report = (code: ChangeCode, path: JsonPath, message: string): void => {
    issues.push({ ...place(path), code, message });
  };
  const list = json.value;
  if (!Array.isArray(list)) {
    report('changes/bad-entry', [], 'expected an array of changes: [{"user": "<upn|id>", "set": {…}}, {"user": …, "delete": true}, {"create": {…}}]');
    return { changes: [], issues };
  }
  const changes: Change[] = [];
  const seen = new Map<string, number>();
  const fieldsOf = (obj: Record<string, unknown>, path: JsonPath): FieldChange[] => {
    const out: FieldChange[] = [];
    for (const [name, raw] of Object.entries(obj)) {
      const p = [...path, name];
      const found = findSettable(name);
      if (!found.ok) {
        report(found.readOnly ? 'changes/read-only-property' : 'changes/unknown-heading', p, found.message);
        continue;
      }
      const v = convert(found.property, raw, 'json');
      if (!v.ok) report('changes/bad-value', p, v.message);
      else out.push({ property: found.property, value: v.value, at: place(p) });
    }
    return out;
  };
  list.forEach((entry, n) => {
    const at = place([n]);
    if (!isObject(entry)) {
      report('changes/bad-entry', [n], 'a change is an object: {"user", "set"}, {"user", "delete": true} or {"create"}');
      return;
    }
    const keys = Object.keys(entry);
    if ('create' in entry) {
      if (keys.length !== 1 || !isObject(entry['create'])) {
        report('changes/bad-entry', [n], '{"create": {…}} holds the new user\'s properties and nothing else');
        return;
      }
      const fields = fieldsOf(entry['create'], [n, 'create']);
      const upn = fields.find((f) => f.property.name === 'userPrincipalName');
      if (!upn) report('changes/missing-value', [n, 'create'], 'a new user needs a userPrincipalName');
      else remember(String(upn.value), upn.at);
      changes.push({ kind: 'create', fields, at });
      return;
    }
    const user = entry['user'];
    if (typeof user !== 'string' || user.trim() === '') {
      report('changes/bad-entry', 'user' in entry ? [n, 'user'] : [n], '"user" must be the userPrincipalName or object id of the user');
      return;
    }
    if (!isUpn(user.trim()) && !isGuid(user.trim())) {
      report('changes/bad-value', [n, 'user'], `"${user}" is neither a userPrincipalName (alias@domain) nor an object id (a GUID)`);
      return;
    }
    const extra = keys.filter((k) => k !== 'user' && k !== 'set' && k !== 'delete');
    if (extra.length || ('set' in entry) === ('delete' in entry)) {
      report('changes/bad-entry', extra.length ? [n, extra[0]!] : [n], 'a change to a user has "set": {…} or "delete": true, one of them, and nothing else');
      return;
    }
    remember(user.trim(), place([n, 'user']));
    if ('delete' in entry) {
      if (entry['delete'] !== true) {
        report('changes/bad-entry', [n, 'delete'], '"delete" must be true');
        return;
      }
      changes.push({ kind: 'delete', key: user.trim(), at });
      return;
    }
    if (!isObject(entry['set'])) {
      report('changes/bad-entry', [n, 'set'], '"set" must be an object of property names and values');
      return;
    }
    changes.push({ kind: 'set', key: user.trim(), fields: fieldsOf(entry['set'], [n, 'set']), at });
  });
  return { changes, issues };

  function remember(key: string, at: Place): void {
    const first = seen.get(key.toLowerCase());
    if (first !== undefined) issues.push({ ...at, code: 'changes/duplicate-user', message: `${key} is already on line ${first}` });
    else seen.set(key.toLowerCase(), at.line);
  }
}
