import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';

/**
 * The README's samples are what the CLI prints: every code block of the sections below that
 * starts with `$ dynrule …` is run as written, from a folder that has the repository's samples/,
 * and its output compared line for line (stderr for a sample of input problems, exit 2).
 */
const CLI = path.resolve('dist/cli.js');
const SECTIONS: Readonly<Record<string, readonly string[]>> = {
  'The whole tenant: pull and audit': ['pull', 'audit'],
  'What if people change': ['whatif', 'whatif', 'whatif', 'whatif'],
};

function samples(SECTION: string): { command: string; output: string }[] {
  const tokens = new MarkdownIt().parse(readFileSync('README.md', 'utf8'), {});
  const out: { command: string; output: string }[] = [];
  let inSection = false;
  tokens.forEach((t, i) => {
    if (t.type === 'heading_open' && t.tag === 'h2') inSection = tokens[i + 1]!.content === SECTION;
    if (inSection && t.type === 'fence' && t.content.startsWith('$ dynrule ')) {
      const [first, ...rest] = t.content.trimEnd().split('\n');
      out.push({ command: first!.slice(2), output: rest.join('\n') });
    }
  });
  return out;
}

for (const [section, commands] of Object.entries(SECTIONS)) describe(`README, "${section}": the samples are what the CLI prints`, () => {
  const found = samples(section);
  it(`the section has the samples of ${[...new Set(commands)].join(' and ')}`, () => {
    assert.deepEqual(found.map((s) => s.command.split(' ')[1]), commands);
  });
  for (const s of found) {
    it(s.command, () => {
      const cwd = mkdtempSync(path.join(tmpdir(), 'dynrule-readme-'));
      try {
        symlinkSync(path.resolve('samples'), path.join(cwd, 'samples'));
        const args = s.command.split(' ').slice(1);
        const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
        assert.ok(r.status === 0 || r.status === 1 || r.status === 2, r.stderr);
        assert.equal((r.status === 2 ? r.stderr : r.stdout).trimEnd(), s.output);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    });
  }
});
