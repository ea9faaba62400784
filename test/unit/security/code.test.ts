/**
 * What the shipped code never does: turn text into JavaScript (eval, new Function, Function()),
 * spawn a process the workspace could choose, or give an untrusted workspace live access or a
 * say in which folder, endpoint or sign-in provider is used.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { changedFiles } from '../../../server/src/review/git';
import { workerScript } from '../../../server/src/tenant/parallel';
import { ensureBuilt } from '../robustness/helpers';

function filesUnder(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p, ext));
    else if (ext.test(e.name)) out.push(p);
  }
  return out;
}

/** The code of a source file without its comment lines. */
const code = (file: string): string => readFileSync(file, 'utf8').split('\n').filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l)).join('\n');

const DYNAMIC_CODE = /(?<![.\w$])eval\(|\bnew\s+Function\b|(?<![.\w$])Function\s*\(|\bvm\.(runIn|compileFunction|Script)|\bnew\s+Script\s*\(/g;

/**
 * Occurrences in the bundles that come from third-party code, each with why it is harmless. Matched
 * by the text around the occurrence; anything else fails the test.
 */
const THIRD_PARTY: readonly { readonly context: string; readonly why: string }[] = [
  {
    context: 'var root = freeGlobal_default || freeSelf || Function("return this")();',
    why: 'lodash-es (used by chevrotain) finding the global object; in Node `freeGlobal` is `global`, so the Function call is never reached, and its text is a constant',
  },
  {
    context: '  eval(input, pos) {',
    why: 're2js\'s Prefilter class defines a method named `eval` (a literal prefilter check), not a call of the global eval',
  },
];

describe('security: no text becomes code', function () {
  this.timeout(60_000);

  it('no eval, new Function, Function() or vm in the sources (grammar, server, client, the webview script)', () => {
    // A source check: that no code path anywhere turns text into code is an absence, which no
    // behaviour test can show. The bundles are checked the same way below.
    const files = [...filesUnder('grammar', /\.ts$/), ...filesUnder('server/src', /\.ts$/), ...filesUnder('client/src', /\.ts$/), ...filesUnder('client/media', /\.js$/)];
    assert.ok(files.length > 50);
    const found = files.flatMap((f) => [...code(f).matchAll(DYNAMIC_CODE)].map((m) => `${f}: ${m[0]}`));
    assert.deepEqual(found, []);
  });

  it('worker threads start from our own files; the one `eval: true` is a constant bootstrap in development', () => {
    // A source check: that no other module starts a worker is an absence no behaviour test can show.
    const workers = [...filesUnder('server/src', /\.ts$/), ...filesUnder('client/src', /\.ts$/)].filter((f) => /new Worker\(/.test(code(f)));
    assert.deepEqual(workers, ['server/src/tenant/parallel.ts']);
    // Run from the TypeScript sources (tests, development), the snapshot loader's worker starts
    // from a constant bootstrap — an import() of its own scanWorker.ts through tsx, no rule or
    // tenant text — given to Worker with `eval: true`.
    const here = pathToFileURL(path.resolve('server/src/tenant/parallel.ts')).href;
    const worker = pathToFileURL(path.resolve('server/src/tenant/scanWorker.ts')).href;
    assert.deepEqual(workerScript(), { script: `import('tsx/esm/api').then((m) => m.tsImport(${JSON.stringify(worker)}, ${JSON.stringify(here)}))`, eval: true });
    // Run from a bundle, it starts scanWorker.js beside that bundle by path, without eval.
    ensureBuilt();
    for (const bundle of ['dist/cli.js', 'dist/server.js']) {
      assert.deepEqual(workerScript(path.resolve(bundle)), { script: path.resolve('dist/scanWorker.js'), eval: false }, bundle);
    }
  });

  it('none in the built bundles (dist/*.js) either, but for known third-party code', () => {
    ensureBuilt();
    const bundles = readdirSync('dist').filter((f) => f.endsWith('.js')).map((f) => path.join('dist', f));
    assert.ok(bundles.includes('dist/cli.js') && bundles.includes('dist/server.js') && bundles.includes('dist/extension.js'), bundles.join(', '));
    const unexplained: string[] = [];
    for (const b of bundles) {
      const text = readFileSync(b, 'utf8');
      for (const m of text.matchAll(DYNAMIC_CODE)) {
        const line = text.slice(text.lastIndexOf('\n', m.index) + 1, text.indexOf('\n', m.index));
        if (!THIRD_PARTY.some((t) => line === t.context)) unexplained.push(`${b}: ${line.trim().slice(0, 160)}`);
      }
    }
    assert.deepEqual(unexplained, []);
  });
});

interface Manifest {
  contributes: { configuration: { properties: Record<string, { type: string; scope?: string; enum?: string[] }> }[] };
  capabilities: { untrustedWorkspaces: { supported: boolean | 'limited'; restrictedConfigurations?: string[] } };
}

describe('security: untrusted workspaces and processes', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;

  it('an untrusted workspace cannot choose the tenant folder, the Graph endpoint or the sign-in provider', () => {
    const u = manifest.capabilities.untrustedWorkspaces;
    assert.equal(u.supported, 'limited');
    const restricted = new Set(u.restrictedConfigurations ?? []);
    for (const s of ['dynrule.tenant.folder', 'dynrule.graph.endpoint', 'dynrule.graph.authenticationProvider']) assert.ok(restricted.has(s), s);
    // Every setting that holds free text (a path, a URL, a provider id) is restricted; the others
    // are numbers, booleans or closed choices.
    const properties = Object.assign({}, ...manifest.contributes.configuration.map((c) => c.properties)) as Record<string, { type: string; enum?: string[] }>;
    const freeText = Object.entries(properties).filter(([, p]) => p.type === 'string' && !(p.enum && p.enum.every((v) => /^[a-z]+$/.test(v)))).map(([k]) => k);
    assert.deepEqual(freeText.filter((k) => !restricted.has(k)), []);
    for (const k of restricted) assert.ok(properties[k], `${k} is a contributed setting`);
  });

  it('live access checks workspace trust: no token for an untrusted workspace, no live tenant picked or restored', () => {
    // Source checks: these lines read VS Code's workspace trust, which the unit tests run without,
    // and the end-to-end tests open a trusted workspace only.
    const live = readFileSync('client/src/live.ts', 'utf8');
    assert.match(live, /export async function provideToken[\s\S]*?if \(!vscode\.workspace\.isTrusted\) throw/);
    assert.match(live, /if \(configured && vscode\.workspace\.isTrusted\) return configured;/, 'the provider setting counts only when trusted');
    const tenant = readFileSync('client/src/tenant.ts', 'utf8');
    assert.match(tenant, /selection\.kind === 'live' && !vscode\.workspace\.isTrusted/);
    assert.match(tenant, /remembered\.kind !== 'live' \|\| vscode\.workspace\.isTrusted/);
  });

  it('the client never starts a process (no child_process), and the server only its own bundled script', () => {
    for (const f of filesUnder('client/src', /\.ts$/)) assert.doesNotMatch(code(f), /child_process|\bspawn\b|\bexecFile\b|\bfork\s*\(/, f);
    // Source checks, as absences are: no other module starts a process or reaches git. The one
    // process our code starts is git, for `dynrule review`, and only the CLI's review command
    // reaches it, never the language server; that git gets no shell is the next test's.
    const GIT = path.join('server', 'src', 'review', 'git.ts');
    for (const f of [...filesUnder('server/src', /\.ts$/), ...filesUnder('grammar', /\.ts$/)]) {
      if (f !== GIT) assert.doesNotMatch(code(f), /child_process|\bexecFile\b|\bspawn\s*\(/, f);
      if (f !== path.join('server', 'src', 'cli', 'review.ts')) assert.doesNotMatch(code(f), /^import (?!type )[^;]*from '(\.\.\/review|\.)\/git'/m, `${f} must not reach git`);
    }
    // The server module the client starts is a path inside the extension, not a setting: a
    // source check, as client.ts runs only inside VS Code.
    const client = readFileSync('client/src/client.ts', 'utf8');
    assert.match(client, /const module = vscode\.Uri\.joinPath\(context\.extensionUri, 'dist', 'server\.js'\)\.fsPath;/);
    assert.doesNotMatch(client, /getConfiguration\([^)]*\)\.get<string>\([^)]*(path|command|executable|node)/i);
    // Worker threads, where used, run a bundled file next to the server.
    for (const f of filesUnder('server/src', /\.ts$/)) {
      for (const m of code(f).matchAll(/new Worker\(([^)]*)\)/g)) assert.doesNotMatch(m[1]!, /settings|config|process\.env/i, `${f}: ${m[0]}`);
    }
    assert.ok(existsSync('dist/server.js'));
  });

  it('git runs without a shell: a ref or a path with shell syntax reaches git as text and runs nothing', async () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'dynrule-git-'));
    try {
      const git = (...args: string[]): void => {
        const r = spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=CI', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
      };
      git('init', '-q');
      writeFileSync(path.join(repo, 'a.dynrule'), 'user.department -eq "Sales"\n');
      git('add', '.');
      git('commit', '-q', '-m', 'one');
      const marker = path.join(repo, 'ran');
      for (const ref of [`HEAD;touch ${marker}`, `$(touch ${marker})`, `\`touch ${marker}\``, `HEAD && touch ${marker}`]) {
        await assert.rejects(changedFiles(repo, ref, [], () => true), /is not a commit/, ref);
      }
      const changes = await changedFiles(repo, 'HEAD', [`$(touch ${marker})`, `a.dynrule;touch ${marker}`], () => true);
      assert.deepEqual(changes.files, []);
      assert.equal(existsSync(marker), false, 'no shell ran the text');
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
