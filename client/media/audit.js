// The audit report's script. Runs in the webview sandbox after table.js (the shared tables);
// every tenant value is set with textContent, never as HTML. Filter and sort survive new reports.
(function () {
  'use strict';
  const { el } = window.dynruleTable;
  const { vscode, app, page, matches, sortRows, head, filterBox } = window.dynruleTable.view();
  let last = null;

  // The rows in the order the extension numbers them (client/src/auditReport.ts reportRows):
  // the tenant's findings, then each group's.
  function rows(r, L) {
    const out = [];
    const severity = (s) => L[s] || s;
    for (const f of r.findings) out.push({ id: String(out.length), severity: f.severity, cells: [severity(f.severity), f.code, '', L.tenantKind, '', f.message] });
    for (const g of r.groups) {
      for (const f of g.findings) {
        out.push({
          id: String(out.length), severity: f.severity, file: g.file, group: true,
          cells: [severity(f.severity), f.code, g.displayName, g.kind === 'administrativeUnit' ? L.administrativeUnit : L.groupKind, g.members === null ? '?' : g.members, f.message],
        });
      }
    }
    return out;
  }

  function summary(r, L) {
    const s = r.summary;
    if (!s) return null;
    return el('p', { class: 'summary', id: 'summary' },
      `${L.groups}: ${s.groups} · ${L.administrativeUnits}: ${s.administrativeUnits} · ${L.dynamicObjects}: ${s.dynamicObjects} / ${s.dynamicLimit} ${L.limit} · `,
      el('span', { class: 'minus' }, `${L.errors}: ${s.errors}`), ` · ${L.warnings}: ${s.warnings} · ${L.infos}: ${s.infos}`);
  }

  function renderTable() {
    const r = last.data;
    const L = last.labels;
    const host = document.getElementById('findings');
    if (!host) return;
    const all = rows(r, L);
    const shownRows = sortRows(all.filter(matches), 'findings');
    const visible = page('findings', shownRows, L, renderTable);
    const body = el('tbody', {}, ...visible.rows.map((x) => el('tr', { class: `severity-${x.severity}`, 'data-index': x.id },
      ...x.cells.map((c, i) => el('td', i === 1 ? { class: 'code' } : i === 4 ? { class: 'num' } : {}, String(c))),
      el('td', {}, x.group ? el('a', { href: '#', class: 'open', onclick: (ev) => { ev.preventDefault(); vscode.postMessage({ type: 'open', index: Number(x.id) }); } }, x.file ? L.open : L.pull) : ''))));
    const count = shownRows.length === all.length ? String(all.length) : `${shownRows.length} / ${all.length}`;
    host.replaceChildren(
      el('h2', {}, `${L.findings} (${count})`,
        el('button', { class: 'secondary', onclick: () => vscode.postMessage({ type: 'copyCsv' }) }, L.copyCsv),
        el('button', { class: 'secondary', onclick: () => vscode.postMessage({ type: 'saveCsv' }) }, L.saveCsv)),
      all.length === 0 ? el('p', { class: 'empty' }, L.none)
        : el('table', {}, el('thead', {}, head('findings', [L.severity, L.code, L.group, L.kind, L.members, L.message], renderTable, [''])), body),
      visible.more || '');
  }

  function render() {
    const r = last.data;
    const L = last.labels;
    app.replaceChildren();
    if (!r.ok) {
      app.append(el('h1', {}, L.unavailable), el('p', { class: 'reason' }, r.reason || ''));
      return;
    }
    app.append(...[
      el('header', {}, el('h1', {}, L.title), el('p', { class: 'meta' }, `${L.tenant}: ${r.tenant}`), summary(r, L)),
      filterBox(L.filter, renderTable),
      el('section', { id: 'findings' }),
    ].filter(Boolean));
    renderTable();
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m && m.type === 'audit') {
      last = m;
      const focused = document.activeElement && document.activeElement.id === 'filter';
      render();
      if (focused) { const f = document.getElementById('filter'); if (f) { f.focus(); f.setSelectionRange(f.value.length, f.value.length); } }
    }
  });
  vscode.postMessage({ type: 'ready' });
}());
