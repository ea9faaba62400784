// The tables of the webviews (the preview, the audit report and the what-if view): elements built from text only,
// columns sorted by a click on their heading, rows filtered by a search box, long tables shown a
// page at a time. Loaded before the view's own script; every tenant value is set with
// textContent (a text node), never as HTML.
(function () {
  'use strict';

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return e;
  }

  // Long tables show their first rows and more on request: a page of 100,000 rows would be slow
  // to open and to filter. Filter and sort still see every row; the CSV buttons export them all.
  const PAGE = 200;

  /**
   * The table state of one view: `state.filter` (the search text) and `state.sort[key]` ({col, dir})
   * survive re-renders; `save` persists them (the webview's setState).
   */
  function tables(state, save) {
    const shown = {};

    /** The rows of table `key` to show, and what to offer under it when some are left out. */
    function page(key, rows, L, rerender) {
      const n = shown[key] || PAGE;
      if (rows.length <= n) return { rows, more: null };
      const show = (count) => () => { shown[key] = count; rerender(); };
      return {
        rows: rows.slice(0, n),
        more: el('p', { class: 'more', 'data-table': key }, `${n} / ${rows.length} `,
          el('button', { class: 'secondary', onclick: show(n + PAGE) }, L.showMore),
          el('button', { class: 'secondary', onclick: show(rows.length) }, L.showAll)),
      };
    }

    /** Rows ({id, cells}) any of whose cells, or whose id, holds the filter text. */
    function matches(row) {
      const f = state.filter.trim().toLowerCase();
      return !f || row.cells.some((c) => String(c).toLowerCase().includes(f)) || row.id.toLowerCase().includes(f);
    }

    /** Rows in the order the heading clicks of table `key` asked for; numbers as numbers. */
    function sortRows(rows, key) {
      const s = state.sort[key];
      if (!s) return rows;
      const dir = s.dir === 'desc' ? -1 : 1;
      const cmp = (a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)));
      return rows.slice().sort((a, b) => cmp(a.cells[s.col], b.cells[s.col]) * dir);
    }

    /** The heading row of table `key`: a click sorts by that column, a second click the other way. */
    function head(key, headers, rerender, extra) {
      return el('tr', {}, ...headers.map((h, col) => {
        const s = state.sort[key];
        const mark = s && s.col === col ? (s.dir === 'desc' ? ' ▼' : ' ▲') : '';
        return el('th', { scope: 'col', tabindex: '0', role: 'button', onclick: () => {
          const cur = state.sort[key];
          state.sort[key] = { col, dir: cur && cur.col === col && cur.dir === 'asc' ? 'desc' : 'asc' };
          save();
          rerender();
        } }, h + mark);
      }), ...(extra || []).map((h) => el('th', { scope: 'col' }, h)));
    }

    /** The search box over the tables; `onchange` re-renders them. */
    function filterBox(placeholder, onchange) {
      return el('div', { class: 'filter' }, el('input', { type: 'search', id: 'filter', placeholder, 'aria-label': placeholder, value: state.filter, oninput: (ev) => { state.filter = ev.target.value; save(); onchange(); } }));
    }

    return { page, matches, sortRows, head, filterBox };
  }

  /**
   * What every view's script starts with: the VS Code API (acquired once), the page's root element,
   * the filter and sort saved with the webview's state, and the tables over them.
   */
  function view() {
    const vscode = acquireVsCodeApi();
    const app = document.getElementById('app');
    const state = Object.assign({ filter: '', sort: {} }, vscode.getState() || {});
    const save = () => vscode.setState({ filter: state.filter, sort: state.sort });
    return { vscode, app, state, save, ...tables(state, save) };
  }

  window.dynruleTable = { el, tables, view };
}());
