// The preview view's script. Runs in the webview sandbox after table.js (the shared tables);
// every tenant value is set with textContent, never as HTML. State (filter, sort) survives re-renders as the rule changes.
(function () {
  'use strict';
  const { el } = window.dynruleTable;
  const { vscode, app, state, page, matches, sortRows, head: tableHead, filterBox } = window.dynruleTable.view();
  let last = null;

  function objectRow(p, L, id, list) {
    const o = (p.objects && p.objects[id]) || { displayName: id };
    const e = (p.explanations && p.explanations[id]) || {};
    return {
      id,
      cells: [o.displayName || id, o.userPrincipalName || o.operatingSystem || '', o.department || '', o.jobTitle || '', e.decidedBy ? e.decidedBy + (e.rule === 'current' ? ' (' + L.inCurrentRule + ')' : e.rule === 'edited' ? ' (' + L.inEditedRule + ')' : '') : '', e.value !== undefined ? e.value : ''],
      guest: o.userType === 'Guest',
      list,
    };
  }

  function listSection(p, L, list, title, help) {
    const ids = p[list] || [];
    const rows = sortRows(ids.map((id) => objectRow(p, L, id, list)).filter(matches), list);
    const headers = [L.name, L.upn, L.department, L.jobTitle, L.decidedBy, L.value];
    const head = tableHead(list, headers, render, ['']);
    const visible = page(list, rows, L, renderLists);
    const body = el('tbody', {}, ...visible.rows.map((r) => el('tr', { class: r.guest ? 'guest' : '', 'data-id': r.id },
      ...r.cells.map((c, i) => el('td', i === 4 ? { class: 'code' } : {}, String(c))),
      el('td', {}, el('a', { href: '#', class: 'explain', onclick: (ev) => { ev.preventDefault(); vscode.postMessage({ type: 'explain', id: r.id }); } }, L.explain)),
    )));
    const shown = rows.length === ids.length ? String(ids.length) : `${rows.length} / ${ids.length}`;
    return el('section', { id: `list-${list}`, class: `list ${list}` },
      el('h2', {}, `${title} (${shown})`,
        el('button', { class: 'secondary', onclick: () => vscode.postMessage({ type: 'copyCsv', list }) }, L.copyCsv),
        el('button', { class: 'secondary', onclick: () => vscode.postMessage({ type: 'saveCsv', list }) }, L.saveCsv)),
      help ? el('p', { class: 'help' }, help) : null,
      ids.length === 0 ? el('p', { class: 'empty' }, L.none) : el('table', {}, el('thead', {}, head), body),
      visible.more);
  }

  function licenseSection(p, L) {
    if (!p.licenses || p.licenses.length === 0) return null;
    const name = (id) => { const o = p.objects && p.objects[id]; return o ? (o.userPrincipalName || o.displayName) : id; };
    const known = (n) => (n === null || n === undefined ? '?' : String(n));
    // Every figure is the server's: the view computes none of them.
    const rows = p.licenses.map((l) => el('tr', { class: l.shortfall > 0 ? 'short' : '' },
      el('td', {}, el('strong', {}, l.skuPartNumber || l.skuId), l.displayName ? el('div', { class: 'muted' }, l.displayName) : null),
      el('td', {}, l.disabledPlans.map((d) => d.name || d.id).join(', ')),
      el('td', { class: 'num', title: l.gained.map(name).join('\n') }, `+${l.gained.length}`),
      el('td', { class: 'num', title: l.lost.map(name).join('\n') }, `−${l.lost.length}`),
      el('td', { class: 'num available' }, known(l.available)),
      el('td', { class: 'num needed' }, String(l.needed)),
      el('td', { class: 'num freed' }, String(l.freed)),
      el('td', { class: 'num left' }, known(l.left)),
      el('td', { class: 'num shortfall' }, l.shortfall === null ? '?' : l.shortfall > 0 ? `${l.shortfall} ${L.short}` : '0')));
    return el('section', { id: 'licenses' }, el('h2', {}, L.licenses),
      el('table', {}, el('thead', {}, el('tr', {}, ...[L.sku, L.disabled, L.gained, L.lost, L.available, L.needed, L.freed, L.left, L.shortfall].map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, ...rows)),
      plansLostTable(p, L, name));
  }

  function plansLostTable(p, L, name) {
    const rows = [];
    for (const l of p.licenses) for (const x of l.plansLost || []) rows.push([name(x.user), l.skuPartNumber || l.skuId, x.plans.map((q) => q.name || q.id).join(', ')]);
    if (rows.length === 0) return null;
    return el('div', { id: 'plans-lost' }, el('h3', {}, `${L.plansLost} (${rows.length})`),
      el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, L.user), el('th', {}, L.sku), el('th', {}, L.plans))),
        el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c)))))));
  }

  /** Each error kind the preview shows, by name, with what it means. */
  function meaningsSection(p, L) {
    const kinds = Object.entries(p.errorKinds || {});
    if (kinds.length === 0) return null;
    return el('section', { id: 'error-kinds' }, el('h2', {}, L.meanings),
      el('dl', {}, ...kinds.flatMap(([kind, text]) => [el('dt', { class: 'code' }, kind), el('dd', {}, text)])));
  }

  function errorsSection(p, L) {
    if (!p.errors || p.errors.length === 0) return null;
    const sku = (id) => { const l = p.licenses.find((x) => x.skuId === id); return l ? (l.skuPartNumber || id) : id; };
    const who = (id) => { const o = p.objects && p.objects[id]; return o ? `${o.displayName} <${o.userPrincipalName || id}>` : id; };
    // One row per person and product. Folded when long, so that the added and removed lists stay
    // in view; the count in the summary line says they are there.
    const visible = page('errors', p.errors, L, render);
    const details = el('details', { id: 'errors' }, el('summary', {}, el('h2', {}, `${L.errors} (${p.errors.length})`)),
      el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, L.reason), el('th', {}, L.sku), el('th', {}, L.user), el('th', {}, L.detail))),
        el('tbody', {}, ...visible.rows.map((e) => el('tr', {}, el('td', { class: 'code', title: (p.errorKinds && p.errorKinds[e.reason]) || '' }, e.reason), el('td', {}, sku(e.skuId)), el('td', {}, who(e.user)), el('td', {}, e.detail || ''))))),
      visible.more);
    details.open = state.errorsOpen !== undefined ? state.errorsOpen : p.errors.length <= 5;
    details.addEventListener('toggle', () => { state.errorsOpen = details.open; });
    return details;
  }

  function render() {
    const m = last;
    if (!m) return;
    const p = m.data;
    const L = m.labels;
    app.replaceChildren();
    if (!p.ok) {
      app.append(el('h1', {}, L.unavailable), el('p', { class: 'reason' }, p.reason || ''),
        el('button', { onclick: () => vscode.postMessage({ type: 'chooseTenant' }) }, L.chooseTenant));
      return;
    }
    const noun = p.type === 'device' ? L.devices : L.members;
    const group = p.group ? `${p.group.displayName || p.group.id}` : L.newGroup;
    // append() would show a null section as the text "null": leave absent sections out.
    const sections = [
      el('header', {},
        el('h1', {}, m.rule),
        el('p', { class: 'meta' }, `${L.group}: ${group} · ${L.tenant}: ${p.tenant}`),
        el('p', { class: 'summary', id: 'summary' },
          `${noun} ${p.before} → ${p.after} `, el('span', { class: 'plus' }, `+${p.added.length}`), ' ', el('span', { class: 'minus' }, `−${p.removed.length}`),
          p.unknown.length ? el('span', { class: 'unknown' }, ` · ${p.unknown.length} ${L.unknown.toLowerCase()}`) : null)),
      p.warnings && p.warnings.length ? el('section', { id: 'warnings', class: 'warnings' }, el('h2', {}, L.warnings), el('ul', {}, ...p.warnings.map((w) => el('li', { 'data-code': w.code, class: w.severity === 'error' ? 'error' : '' }, w.message)))) : null,
      licenseSection(p, L),
      errorsSection(p, L),
      meaningsSection(p, L),
      filterBox(L.filter, renderLists),
      el('div', { id: 'lists' }),
      p.notes && p.notes.length ? el('section', { id: 'notes', class: 'notes' }, el('h2', {}, L.notes), el('ul', {}, ...p.notes.map((n) => el('li', {}, n)))) : null,
    ];
    app.append(...sections.filter(Boolean));
    renderLists();
  }

  function renderLists() {
    const p = last.data;
    const L = last.labels;
    const lists = document.getElementById('lists');
    if (!lists) return;
    lists.replaceChildren(
      listSection(p, L, 'added', L.added),
      listSection(p, L, 'removed', L.removed),
      p.unknown.length ? listSection(p, L, 'unknown', L.unknown, L.unknownHelp) : '',
    );
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m && m.type === 'preview') {
      last = m;
      const focused = document.activeElement && document.activeElement.id === 'filter';
      render();
      if (focused) { const f = document.getElementById('filter'); if (f) { f.focus(); f.setSelectionRange(f.value.length, f.value.length); } }
    }
  });
  vscode.postMessage({ type: 'ready' });
}());
