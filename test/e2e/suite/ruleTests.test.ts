import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { RunRuleTestsResponse } from '../../../protocol/src/protocol';
import { getApi, workspacePath, workspaceUri } from './helpers';

const failingFile = 'failing/e3-contractors.ruletests.json';
const failingCase = 'Contractors are licensed';

/** What a test run reported to VS Code, per test item id: the state and any message. */
interface Reported { state: 'passed' | 'failed' | 'errored' | 'skipped'; messages: vscode.TestMessage[] }

/**
 * Records what the controller reports to the Test Explorer during `fn`: the API has no way to
 * read test results back, so wrap the controller's createTestRun and forward every call.
 */
async function recordRuns<T>(controller: vscode.TestController, fn: () => Thenable<T>): Promise<{ result: T; reported: Map<vscode.TestItem, Reported> }> {
  const reported = new Map<vscode.TestItem, Reported>();
  const original = controller.createTestRun.bind(controller);
  controller.createTestRun = (request, name, persist) => {
    const run = original(request, name, persist);
    const record = (state: Reported['state']) => (item: vscode.TestItem, message?: vscode.TestMessage | readonly vscode.TestMessage[]) => {
      reported.set(item, { state, messages: message === undefined ? [] : Array.isArray(message) ? [...message] : [message as vscode.TestMessage] });
    };
    return new Proxy(run, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (prop === 'passed' || prop === 'failed' || prop === 'errored' || prop === 'skipped') {
            (record(prop) as (...a: unknown[]) => void)(...args);
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  };
  try {
    return { result: await fn(), reported };
  } finally {
    controller.createTestRun = original;
  }
}

/** The 0-based line of `"name": "<case>"` in a rule test file. */
function caseLine(relativePath: string, name: string): number {
  const lines = readFileSync(workspacePath(relativePath), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(`"name": ${JSON.stringify(name)}`));
  assert.ok(i >= 0, `no case ${name} in ${relativePath}`);
  return i;
}

function fileItems(controller: vscode.TestController): Map<string, vscode.TestItem> {
  const out = new Map<string, vscode.TestItem>();
  controller.items.forEach((item) => out.set(vscode.workspace.asRelativePath(item.uri!), item));
  return out;
}

suite('Rule tests in the Test Explorer', () => {
  test('the controller discovers every sample rule test file and its cases, each located on its case', async () => {
    const api = await getApi();
    const controller = api.tests.controller;
    assert.equal(controller.id, 'dynrule.ruleTests');
    await api.tests.discoverAll();
    const files = [...(await vscode.workspace.findFiles('**/*.ruletests.json'))].map((u) => vscode.workspace.asRelativePath(u)).sort();
    assert.ok(files.includes(failingFile), `found ${files.join(', ')}`);
    assert.ok(files.filter((f) => f.startsWith('rules/licensing/')).length >= 3, `found ${files.join(', ')}`);
    const items = fileItems(controller);
    assert.deepEqual([...items.keys()].sort(), files);
    for (const file of files) {
      const json = JSON.parse(readFileSync(workspacePath(file), 'utf8')) as { cases: { name: string }[] };
      const item = items.get(file)!;
      assert.equal(item.error, undefined, `${file}: ${String(item.error)}`);
      const children: vscode.TestItem[] = [];
      item.children.forEach((c) => children.push(c));
      assert.deepEqual(children.map((c) => c.label).filter((l) => l !== 'member count'), json.cases.map((c) => c.name), file);
      for (const c of children) {
        if (c.label === 'member count') continue;
        assert.equal(c.uri?.toString(), workspaceUri(file).toString());
        // The item's range is the case's object: it holds the line that names the case.
        const line = caseLine(file, c.label);
        assert.ok(c.range && c.range.start.line <= line && line <= c.range.end.line && c.range.start.line >= line - 1,
          `${file}: ${c.label} is located at lines ${c.range?.start.line}-${c.range?.end.line}, its name is on line ${line}`);
      }
    }
  });

  test('running all rule tests reports the one intentional failure, on its case, with expected and actual', async function () {
    this.timeout(60_000);
    const api = await getApi();
    const { result, reported } = await recordRuns(api.tests.controller, () => vscode.commands.executeCommand<RunRuleTestsResponse>('dynrule.runAllRuleTests'));
    assert.equal(result.failed, 1, JSON.stringify(result.files.map((f) => [f.file, f.cases.filter((c) => !c.passed).map((c) => c.name)])));
    assert.ok(result.passed >= 10, `only ${result.passed} passed`);

    const failed = [...reported].filter(([, r]) => r.state === 'failed' || r.state === 'errored');
    assert.deepEqual(failed.map(([item]) => `${vscode.workspace.asRelativePath(item.uri!)}: ${item.label}`), [`${failingFile}: ${failingCase}`]);
    const [item, { messages }] = failed[0]!;
    assert.equal(item.parent?.uri?.toString(), workspaceUri(failingFile).toString());
    const message = messages[0]!;
    assert.equal(message.expectedOutput, 'member');
    assert.equal(message.actualOutput, 'notMember');
    assert.match(String(message.message), /extensionAttribute7 = Contractor/);
    assert.equal(message.location?.uri.toString(), workspaceUri(failingFile).toString());
    assert.equal(message.location?.range.start.line, caseLine(failingFile, failingCase), 'the failure is not shown on its case');
    assert.deepEqual(message.location?.range, item.range);
    // Every other case was reported as passed.
    const passed = [...reported].filter(([, r]) => r.state === 'passed').length;
    assert.equal(passed, result.passed);
  });

  test('"Run Rule Tests for This Rule" runs only the files that test that rule', async () => {
    const rule = workspaceUri('rules/licensing/m365-e3-all-staff.dynrule');
    const result = await vscode.commands.executeCommand<RunRuleTestsResponse>('dynrule.runRuleTestsForRule', rule);
    assert.deepEqual(result.files.map((f) => vscode.workspace.asRelativePath(f.file)).sort(), [failingFile, 'rules/licensing/m365-e3-all-staff.ruletests.json']);
    assert.equal(result.failed, 1);
  });
});
