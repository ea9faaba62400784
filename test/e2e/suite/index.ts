// Entry point the extension host loads through extensionTestsPath (the @vscode/test-electron
// contract): run() resolves when every test passed and rejects otherwise. Runs the *.test.js files
// next to it with mocha from the repo's node_modules.
//
// Environment (the extension host inherits code-server's):
//   DYNRULE_E2E_GREP     only tests whose full title matches this regular expression
//   DYNRULE_E2E_RESULTS  write a JSON report of every test to this file
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export function run(): Promise<void> {
  const grep = process.env.DYNRULE_E2E_GREP;
  const mocha = new Mocha({ ui: 'tdd', timeout: 30_000, color: false, ...(grep ? { grep: new RegExp(grep) } : {}) });
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(join(__dirname, file));
  }

  const results: TestResult[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      writeResults(results, runner.stats);
      if (failures > 0) reject(new Error(`${failures} of ${results.length} tests failed`));
      else resolve();
    });
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 }));
    runner.on('fail', (t, err: Error) => results.push({ title: t.fullTitle(), state: 'failed', error: err?.stack ?? String(err) }));
    runner.on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending' }));
  });
}

function writeResults(tests: TestResult[], stats: Mocha.Stats | undefined): void {
  const file = process.env.DYNRULE_E2E_RESULTS;
  if (!file) return;
  const report = {
    passed: tests.filter((t) => t.state === 'passed').length,
    failed: tests.filter((t) => t.state === 'failed').length,
    pending: tests.filter((t) => t.state === 'pending').length,
    durationMs: stats?.duration ?? 0,
    // What the tests measured (helpers.ts recordMetric), e.g. the extension's activation time.
    metrics: (globalThis as { __dynruleE2eMetrics?: Record<string, number> }).__dynruleE2eMetrics ?? {},
    host: {
      appName: vscode.env.appName,
      appHost: vscode.env.appHost,
      vscodeVersion: vscode.version,
      uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop',
      remoteName: vscode.env.remoteName ?? null,
      node: process.version,
    },
    tests,
  };
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
}
