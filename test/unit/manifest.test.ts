import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkRule, OPERATORS, parseRule } from '../../grammar/src/index';
import { Commands, LANGUAGE_ID } from '../../protocol/src/protocol';
import { GRAPH_ENDPOINTS, SETTING_DEFAULTS, SETTINGS_SECTION } from '../../protocol/src/settings';
import { tmGrammar } from '../../scripts/generate-tmgrammar';

interface Manifest {
  activationEvents: string[];
  contributes: {
    languages: { id: string; extensions: string[] }[];
    commands: { command: string; title: string; category: string }[];
    configuration: { id: string; title: string; properties: Record<string, { default: unknown }> }[];
    menus: Record<string, { command: string }[]>;
    grammars: { path: string; language: string }[];
    snippets: { path: string }[];
    jsonValidation: { url: string }[];
  };
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
const nls = JSON.parse(readFileSync('package.nls.json', 'utf8')) as Record<string, string>;
const nlsNl = JSON.parse(readFileSync('package.nls.nl.json', 'utf8')) as Record<string, string>;

function sources(dir: string): string {
  let out = '';
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out += sources(p);
    else if (p.endsWith('.ts')) out += readFileSync(p, 'utf8');
  }
  return out;
}
const clientCode = sources('client/src');

describe('extension manifest (package.json) against the code', () => {
  it('contributes the language the server and client use', () => {
    assert.deepEqual(manifest.contributes.languages.map((l) => l.id), [LANGUAGE_ID]);
    assert.deepEqual(manifest.contributes.languages[0]!.extensions, ['.dynrule']);
    assert.ok(manifest.activationEvents.includes(`onLanguage:${LANGUAGE_ID}`));
  });

  it('every contributed command is registered in the client, and every command the code uses is contributed', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(contributed, (Object.values(Commands) as string[]).sort());
    for (const id of Object.keys(Commands)) assert.match(clientCode, new RegExp(`register\\(Commands\\.${id},`), `Commands.${id} is not registered`);
    for (const c of manifest.contributes.commands) assert.equal(c.category, '%category%', `${c.command} has no category`);
    for (const list of Object.values(manifest.contributes.menus)) for (const m of list) assert.ok(contributed.includes(m.command), m.command);
  });

  it('offers the Graph endpoints the code knows as the graph.endpoint setting\'s choices', () => {
    const properties = Object.assign({}, ...manifest.contributes.configuration.map((c) => c.properties)) as Record<string, { enum?: unknown[] }>;
    assert.deepEqual(properties[`${SETTINGS_SECTION}.graph.endpoint`]?.enum, Object.values(GRAPH_ENDPOINTS));
  });

  it('contributes exactly the settings the code defines, with the same defaults', () => {
    // One definition (protocol/src/settings.ts): the server and the client read their defaults there.
    const contributed = Object.fromEntries(manifest.contributes.configuration.flatMap((c) => Object.entries(c.properties)).map(([k, v]) => [k, v.default]));
    const defined = Object.fromEntries(Object.entries(SETTING_DEFAULTS).map(([k, v]) => [`${SETTINGS_SECTION}.${k}`, v]));
    assert.deepEqual(contributed, defined);
    // The language client reads dynrule.trace.server itself: its id must be the section's name.
    assert.match(clientCode, /new LanguageClient\(SETTINGS_SECTION,/);
  });

  it('groups the settings under titles whose ids start with the settings\' prefix, so VS Code shows no "Dynrule ›" before them', () => {
    // The settings editor drops from a setting's label the part of its key that is its group's id.
    for (const c of manifest.contributes.configuration) {
      assert.match(c.title, /^%[\w.]+%$/, `${c.id} has a translated title`);
      for (const key of Object.keys(c.properties)) assert.ok(key.startsWith(`${c.id}.`), `${key} is in the group ${c.id}`);
    }
    assert.equal(new Set(manifest.contributes.configuration.map((c) => c.id)).size, manifest.contributes.configuration.length);
  });

  it('every %placeholder% has an English and a Dutch string, and nothing is left over', () => {
    const used = new Set([...readFileSync('package.json', 'utf8').matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]!));
    assert.deepEqual([...used].sort(), Object.keys(nls).sort());
    assert.deepEqual(Object.keys(nlsNl).sort(), Object.keys(nls).sort());
    for (const [k, v] of Object.entries(nlsNl)) if (k !== 'displayName' && k !== 'category') assert.notEqual(v, nls[k], `${k} is not translated`);
  });

  it('the TextMate grammar is generated from the catalogue and colours every operator', () => {
    const file = manifest.contributes.grammars[0]!.path;
    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as object;
    assert.deepEqual(onDisk, JSON.parse(JSON.stringify(tmGrammar())), 'syntaxes/dynrule.tmLanguage.json is stale: run npx tsx scripts/generate-tmgrammar.ts');
    const patterns = (onDisk as { repository: { operator: { patterns: { name: string; match: string }[] } } }).repository.operator.patterns;
    const known = patterns.filter((p) => !p.name.startsWith('invalid'));
    for (const op of OPERATORS) {
      for (const spelling of [`-${op.name}`, op.name, `-${op.name.toUpperCase()}`]) {
        const hit = known.some((p) => new RegExp(p.match.replace('(?i)', ''), 'i').test(` ${spelling} `));
        assert.ok(hit, `the grammar does not colour ${spelling}`);
      }
    }
  });

  it('every snippet is a valid rule once its placeholders are filled', () => {
    const snippets = JSON.parse(readFileSync(manifest.contributes.snippets[0]!.path, 'utf8')) as Record<string, { body: string[] }>;
    for (const [name, s] of Object.entries(snippets)) {
      const text = s.body.join('\n').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '');
      const parsed = parseRule(text);
      // The header snippet holds only comment lines: directives, and the cursor for the rule.
      if (parsed.tokens.length === 0) {
        assert.ok(parsed.directives.length > 0, name);
        continue;
      }
      const errors = checkRule(parsed).filter((i) => i.severity === 'error' && !(i.code === 'type/invalid-guid' && /object id/.test(text)));
      assert.deepEqual(errors.map((e) => e.code), [], name);
    }
  });

  it('ships the rule test schema, and the sample test files follow it', () => {
    const schema = JSON.parse(readFileSync(manifest.contributes.jsonValidation[0]!.url, 'utf8')) as { required: string[]; properties: Record<string, unknown>; definitions: { case: { properties: Record<string, unknown> } } };
    const files = ['samples/failing/e3-contractors.ruletests.json', ...readdirSync('samples/rules/licensing').filter((f) => f.endsWith('.ruletests.json')).map((f) => `samples/rules/licensing/${f}`)];
    for (const f of files) {
      const t = JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown> & { cases: Record<string, unknown>[] };
      for (const k of schema.required) assert.ok(k in t, `${f}: ${k}`);
      for (const k of Object.keys(t)) assert.ok(k in schema.properties, `${f}: ${k} is not in the schema`);
      for (const c of t.cases) for (const k of Object.keys(c)) assert.ok(k in schema.definitions.case.properties, `${f}: case key ${k}`);
    }
  });
});
