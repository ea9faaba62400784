// The what-if view's script. Runs in the webview sandbox after table.js (the shared tables);
// every tenant value is set with textContent, never as HTML. Filter and sort survive new reports.
(function () {
  'use strict';
  const { el } = window.dynruleTable;
  const { vscode, app, page, matches, sortRows, head, filterBox } = window.dynruleTable.view();
  let last = null;

  const num = (n) => (n === null || n === undefined ? '?' : n);

  // Each table: its rows ({id, cells, cls}) and headings, from the report and the labels.
  function tableDefs(r, L) {
    const rep = r.report;
    const groupName = new Map(rep.groups.map((g) => [g.id, g.displayName || g.id]));
    const licensing = new Set(rep.groups.filter((g) => g.licenses.length).map((g) => g.id));
    const skuName = new Map(rep.licenses.map((l) => [l.skuId, l.skuPartNumber || l.skuId]));
    const names = (ids, m) => ids.map((i) => m.get(i) || i).join(', ');
    const userName = new Map(rep.users.map((u) => [u.user, u.displayName || u.userPrincipalName || u.user]));
    const fileName = new Map(last.files.edits);
    return [
      {
        key: 'groups', title: L.groups,
        headers: [L.group, L.kind, L.before, L.after, L.added, L.removed, L.ruleFile],
        rows: rep.groups.filter((g) => g.added || g.removed).map((g) => ({
          id: g.id, file: g.ruleFile,
          cells: [g.displayName || g.id, g.kind === 'administrativeUnit' ? L.administrativeUnit : L.groupKind, num(g.before), num(g.after), g.added, g.removed, g.ruleFile ? fileName.get(g.ruleFile) || '' : ''],
          nums: [2, 3, 4, 5], plus: 4, minus: 5,
        })),
      },
      {
        key: 'people', title: L.people,
        headers: [L.user, L.upn, L.change, L.joined, L.left, L.gainedSkus, L.lostSkus, L.licensingGroups],
        rows: rep.users.map((u) => {
          const lic = u.joined.filter((g) => licensing.has(g)).length;
          return {
            id: u.user, cls: lic > 1 ? 'several' : '',
            cells: [u.displayName || '', u.userPrincipalName || u.user, L[u.change] || u.change, names(u.joined, groupName), names(u.left, groupName), names(u.gained, skuName), names(u.lost, skuName), lic],
            nums: [7],
          };
        }),
      },
      {
        key: 'licenses', title: L.licenses,
        headers: [L.sku, L.gained, L.lost, L.available, L.shortfall],
        rows: rep.licenses.map((l) => ({
          id: l.skuId, cls: l.shortfall ? 'short' : '',
          cells: [l.skuPartNumber || l.skuId, l.gained, l.lost, num(l.available), num(l.shortfall)],
          nums: [1, 2, 3, 4], plus: 1, minus: 2, shortfall: 4,
        })),
      },
      {
        key: 'errors', title: L.errors,
        headers: [L.user, L.sku, L.group, L.reason, L.dueTo],
        rows: rep.errors.map((e, i) => ({
          id: `${e.user}:${e.skuId}:${i}`,
          cells: [userName.get(e.user) || e.user, skuName.get(e.skuId) || e.skuId, groupName.get(e.group) || e.group, e.reason, e.detail || (e.dueTo ? skuName.get(e.dueTo) || e.dueTo : '')],
          nums: [],
        })),
      },
    ];
  }

  function renderTable(def, L) {
    const host = document.getElementById(def.key);
    if (!host) return;
    const rerender = () => renderTable(def, L);
    const shownRows = sortRows(def.rows.filter(matches), def.key);
    const visible = page(def.key, shownRows, L, rerender);
    const count = shownRows.length === def.rows.length ? String(def.rows.length) : `${shownRows.length} / ${def.rows.length}`;
    const cell = (x, c, i) => {
      const cls = [x.nums.includes(i) ? 'num' : '', i === x.plus && c ? 'plus' : '', i === x.minus && c ? 'minus' : '', i === x.shortfall ? 'shortfall' : ''].filter(Boolean).join(' ');
      const text = i === x.plus && c ? `+${c}` : i === x.minus && c ? `−${c}` : String(c);
      return el('td', cls ? { class: cls } : {}, text);
    };
    const body = el('tbody', {}, ...visible.rows.map((x) => el('tr', { class: x.cls || '', 'data-id': x.id },
      ...x.cells.map((c, i) => cell(x, c, i)),
      ...(def.key === 'groups' ? [el('td', {}, x.file ? el('a', { href: '#', class: 'open', onclick: (ev) => { ev.preventDefault(); vscode.postMessage({ type: 'open', file: x.file }); } }, L.open) : '')] : []))));
    host.replaceChildren(
      el('h2', {}, `${def.title} (${count})`,
        el('button', { class: 'secondary', onclick: () => vscode.postMessage({ type: 'copyCsv', table: def.key }) }, L.copyCsv),
        el('button', { class: 'secondary', onclick: () => vscode.postMessage({ type: 'saveCsv', table: def.key }) }, L.saveCsv)),
      def.rows.length === 0 ? el('p', { class: 'empty' }, L.nobody)
        : el('table', {}, el('thead', {}, head(def.key, def.headers, rerender, def.key === 'groups' ? [''] : [])), body),
      visible.more || '');
  }

  function problems(r, L) {
    if (!r.issues.length) return null;
    return el('section', { id: 'problems' }, el('h2', {}, `${L.problems} (${r.issues.length})`),
      el('table', {}, el('thead', {}, el('tr', {}, ...[L.line, L.column, L.code, L.message].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...r.issues.map((i) => el('tr', { class: 'severity-error' },
          el('td', { class: 'num' }, el('a', { href: '#', class: 'open', onclick: (ev) => { ev.preventDefault(); vscode.postMessage({ type: 'open', file: i.file, line: i.range.start.line, character: i.range.start.character }); } }, String(i.range.start.line + 1))),
          el('td', { class: 'num' }, String(i.range.start.character + 1)), el('td', { class: 'code' }, i.code),
          el('td', {}, i.heading !== undefined ? `"${i.heading}": ${i.message}` : i.message))))));
  }

  function list(id, title, items) {
    return items.length ? el('section', { id, class: id }, el('h2', {}, title), el('ul', {}, ...items.map((x) => el('li', {}, x)))) : null;
  }

  function render() {
    const r = last.data;
    const L = last.labels;
    const files = last.files;
    app.replaceChildren();
    const meta = el('p', { class: 'meta' }, `${L.tenant}: ${r.tenant} · ${L.changes}: ${files.changes || L.none} · ${L.edits}: ${r.edits.length ? files.edits.map((e) => e[1]).join(', ') : L.none}`);
    const skipped = list('skipped', L.skipped, r.skipped.map((s, i) => `${files.skipped[i] ? files.skipped[i][1] : s.file}: ${s.reason}`));
    if (!r.ok || !r.report) {
      app.append(...[el('h1', {}, L.unavailable), meta, el('p', { class: 'reason' }, r.reason || ''), problems(r, L), skipped].filter(Boolean));
      return;
    }
    const s = r.report.summary;
    const defs = tableDefs(r, L);
    function p1Line(p1, labels) {
      const owned = p1.owned === null ? `${labels.owned}: ${labels.unknown}` : `${labels.owned}: ${p1.owned}`;
      return el('p', { class: p1.shortfall ? 'summary short' : 'summary', id: 'p1' },
        `${labels.p1}: ${p1.before} → ${p1.after} · ${owned}${p1.shortfall ? ` · ${labels.short}: ${p1.shortfall}` : ''}`);
    }
    app.append(...[
      el('header', {}, el('h1', {}, L.title), meta,
        el('p', { class: 'summary', id: 'summary' },
          `${L.groups}: ${s.groupsChanged} · `, el('span', { class: 'plus' }, `+${s.joins}`), ' ', el('span', { class: 'minus' }, `−${s.leaves}`),
          ` · ${L.shortfall}: ${s.seatsShort === null ? '?' : s.seatsShort} · ${L.errors}: ${s.errors}`),
        p1Line(r.report.p1, L)),
      skipped,
      list('notes', L.notes, r.report.notes),
      filterBox(L.filter, () => defs.forEach((d) => renderTable(d, L))),
      ...defs.map((d) => el('section', { id: d.key })),
    ].filter(Boolean));
    defs.forEach((d) => renderTable(d, L));
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m && m.type === 'whatif') {
      last = m;
      const focused = document.activeElement && document.activeElement.id === 'filter';
      render();
      if (focused) { const f = document.getElementById('filter'); if (f) { f.focus(); f.setSelectionRange(f.value.length, f.value.length); } }
    }
  });
  vscode.postMessage({ type: 'ready' });
}());
