#!/usr/bin/env bash
# The end-to-end part of CI: install code-server (once), run the integration tests in its
# extension host, then the UI test against the packaged .vsix. Runs both even if the first
# fails, and ends with one summary line over both.
#
# Needs Debian packages: chromium ripgrep build-essential python3 pkg-config libkrb5-dev libsecret-1-dev
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

started=$SECONDS
bash scripts/e2e/install-code-server.sh || exit 1
echo "[e2e] code-server ready after $((SECONDS - started)) s"

rm -f .e2e-artifacts/integration-results.json .e2e-artifacts/ui-results.json
node test/e2e/runExtensionTests.mjs
integration=$?
node test/e2e/ui/ui.test.mjs
ui=$?
echo "[e2e] total $((SECONDS - started)) s"

node - "$integration" "$ui" <<'JS'
const { existsSync, readFileSync } = require('node:fs');
const [integrationExit, uiExit] = process.argv.slice(2).map(Number);
const read = (f) => (existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : {});
let passed = 0, failed = 0, skipped = 0;
for (const [report, exit] of [[read('.e2e-artifacts/integration-results.json'), integrationExit],
  [read('.e2e-artifacts/ui-results.json'), uiExit]]) {
  passed += report.passed ?? 0;
  // A run that failed before its tests (start-up, a hook) counts as one failure.
  failed += Math.max(report.failed ?? 0, exit !== 0 && !report.failed ? 1 : 0);
  skipped += (report.pending ?? 0) + (report.skipped ?? 0);
}
console.log(`e2e: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
JS
[ "$integration" -eq 0 ] && [ "$ui" -eq 0 ]
