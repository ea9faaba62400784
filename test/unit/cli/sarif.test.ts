import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import type * as Sarif from 'sarif';
import { codeInfo } from '../../../grammar/src/index';
import { SARIF_SUBSET_SCHEMA } from '../../support/sarifSchema';

/** The bundled CLI, run in `cwd` (SARIF URIs are relative to it). */
function dynrule(cwd: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.resolve('dist/cli.js'), ...args], { encoding: 'utf8', cwd });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const validate = new Ajv({ allErrors: true }).compile(SARIF_SUBSET_SCHEMA);

function sarifOf(cwd: string, ...args: string[]): { code: number; log: Sarif.Log } {
  const r = dynrule(cwd, 'check', ...args, '--format', 'sarif');
  assert.equal(r.stderr, '');
  const log = JSON.parse(r.stdout) as Sarif.Log;
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  return { code: r.code, log };
}

describe('dynrule check --format sarif', () => {
  it('gives one result per finding with its 1-based region and a rule for every code', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'dynrule-sarif-'));
    mkdirSync(path.join(d, 'rules', 'with space'), { recursive: true });
    writeFileSync(path.join(d, 'rules', 'with space', 'bad.dynrule'), '# a comment\nuser.departmnt -eq "Sales" -or user.city -eq “Oslo”\n');
    writeFileSync(path.join(d, 'rules', 'style.dynrule'), 'user.department eq "Sales"');
    const json = JSON.parse(dynrule(d, 'check', 'rules', '--format', 'json').stdout) as { file: string; code: string; message: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[];
    const { code, log } = sarifOf(d, 'rules');
    assert.equal(code, 1);
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0]!;
    assert.equal(run.tool.driver.name, 'dynrule');
    const results = run.results!;
    assert.equal(results.length, json.length);
    assert.ok(json.length >= 3, JSON.stringify(json));
    results.forEach((r, n) => {
      const i = json[n]!;
      assert.equal(r.ruleId, i.code);
      assert.equal(r.message.text, i.message);
      const loc = r.locations![0]!.physicalLocation!;
      assert.equal(loc.artifactLocation!.uri, path.relative(d, path.resolve(d, i.file)).split(path.sep).map(encodeURIComponent).join('/'));
      assert.equal(loc.artifactLocation!.uriBaseId, '%SRCROOT%');
      assert.deepEqual(loc.region, {
        startLine: i.range.start.line + 1, startColumn: i.range.start.character + 1,
        endLine: i.range.end.line + 1, endColumn: i.range.end.character + 1,
      });
      assert.equal(run.tool.driver.rules![r.ruleIndex!]!.id, i.code);
    });
    assert.equal(results[0]!.locations![0]!.physicalLocation!.artifactLocation!.uri, 'rules/style.dynrule');
    assert.ok(results.some((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri === 'rules/with%20space/bad.dynrule'));
    const unknown = results.find((r) => r.ruleId === 'type/unknown-property')!;
    assert.deepEqual(unknown.locations![0]!.physicalLocation!.region, { startLine: 2, startColumn: 1, endLine: 2, endColumn: 15 });
    assert.equal(unknown.level, 'error');
    assert.equal(results.find((r) => r.ruleId === 'style/missing-hyphen')!.level, 'note');

    const ids = run.tool.driver.rules!.map((r) => r.id);
    assert.deepEqual([...ids].sort(), [...new Set(json.map((i) => i.code))].sort());
    const rule = run.tool.driver.rules!.find((r) => r.id === 'type/unknown-property')!;
    assert.equal(rule.shortDescription!.text, 'Type: unknown property');
    // The rule is described by what the code means, not by its first finding.
    assert.equal(rule.fullDescription!.text, codeInfo('type/unknown-property').summary);
    assert.equal(rule.helpUri, 'https://learn.microsoft.com/entra/identity/users/groups-dynamic-membership');
    assert.match(rule.help!.text, /See https:\/\/learn\.microsoft\.com\//);
  });

  it('is a valid empty log for clean rules (exit 0), and names files outside the folder by file URI', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'dynrule-sarif-'));
    const other = mkdtempSync(path.join(tmpdir(), 'dynrule-sarif-other-'));
    writeFileSync(path.join(d, 'ok.dynrule'), 'user.city -eq "Oslo"');
    writeFileSync(path.join(other, 'bad.dynrule'), 'user.city -eq');
    const clean = sarifOf(d, 'ok.dynrule');
    assert.equal(clean.code, 0);
    assert.deepEqual(clean.log.runs[0]!.results, []);
    assert.deepEqual(clean.log.runs[0]!.tool.driver.rules, []);
    const outside = sarifOf(d, path.join(other, 'bad.dynrule'));
    assert.equal(outside.code, 1);
    const loc = outside.log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!;
    assert.match(loc.uri!, /^file:\/\/\/.*\/bad\.dynrule$/);
    assert.equal(loc.uriBaseId, undefined);
  });

  it('the schema check fails on a log without required fields', () => {
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false);
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 'a' }] }] }), false);
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a b' }, region: { startLine: 0 } } }] }] }] }), false);
  });
});
