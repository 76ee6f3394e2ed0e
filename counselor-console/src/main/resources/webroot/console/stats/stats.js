'use strict';
// Statistics page: filters -> /api/stats/figure (JSON tables), /api/stats/chart.svg (server-side SVG charts),
// /api/stats/export.csv. No inline script or style (strict CSP); text goes in with textContent only.
(function () {
  const $ = (id) => document.getElementById(id);
  let meta = null;

  function option(select, value, text) {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = text || value;
    select.appendChild(o);
  }

  function params() {
    const p = new URLSearchParams();
    ['figure', 'from', 'to', 'rows', 'granularity', 'by', 'scope'].forEach((name) => {
      const v = $(name).value;
      if (v) { p.set(name, v); }
    });
    const fig = meta.figures.find((f) => f.code === $('figure').value);
    if (fig && !fig.timeRows) { p.delete('granularity'); p.set('rows', 'help_point'); }
    if (fig && fig.code === 'queue') { p.set('rows', 'time'); }
    if (p.get('rows') !== 'time') { p.delete('granularity'); }
    return p;
  }

  function fillSplits() {
    const fig = meta.figures.find((f) => f.code === $('figure').value);
    const by = $('by');
    by.textContent = '';
    fig.splits.forEach((s) => option(by, s));
    if (fig.splits.includes('none')) { by.value = 'none'; }
    $('rows').disabled = !fig.timeRows || fig.code === 'queue';
  }

  function showError(message) {
    $('error').textContent = message;
    $('error').hidden = false;
  }

  function cell(tr, tag, value, suppressed) {
    const c = document.createElement(tag);
    if (suppressed) {
      c.textContent = '·';
      c.className = 'suppressed';
      c.title = 'suppressed';
    } else {
      c.textContent = value;
    }
    tr.appendChild(c);
  }

  function renderTable(t) {
    const table = document.createElement('table');
    const caption = document.createElement('caption');
    caption.textContent = t.name + (t.suppressed ? ' (' + t.suppressed + ' suppressed)' : '');
    table.appendChild(caption);
    const head = document.createElement('tr');
    cell(head, 'td', ''); // the empty corner is no header (axe: empty-table-header)
    t.columns.forEach((c) => cell(head, 'th', c));
    if (t.rowTotals) { cell(head, 'th', 'total'); }
    table.appendChild(head);
    t.rows.forEach((r, i) => {
      const tr = document.createElement('tr');
      cell(tr, 'th', r);
      const values = t.cells || t.values;
      values[i].forEach((v) => cell(tr, 'td', typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(1) : v,
        v === null && !!t.cells));
      if (t.rowTotals) { cell(tr, 'td', t.rowTotals[i], t.rowTotals[i] === null); }
      table.appendChild(tr);
    });
    if (t.columnTotals) {
      const tr = document.createElement('tr');
      cell(tr, 'th', 'total');
      t.columnTotals.forEach((v) => cell(tr, 'td', v, v === null));
      cell(tr, 'td', t.total, t.total === null);
      table.appendChild(tr);
    }
    return table;
  }

  async function show(event) {
    if (event) { event.preventDefault(); }
    $('error').hidden = true;
    document.body.dataset.state = 'loading';
    const p = params();
    $('csv').href = '/api/stats/export.csv?' + p.toString();
    const response = await fetch('/api/stats/figure?' + p.toString(), { credentials: 'same-origin' });
    const body = await response.json();
    $('charts').textContent = '';
    $('tables').textContent = '';
    if (!response.ok) {
      showError(body.message || 'The figure could not be loaded.');
      document.body.dataset.state = 'error';
      return;
    }
    $('note').hidden = false;
    $('note').textContent = body.threshold
      ? 'Shown outside one organisation: counts below ' + body.threshold + ' and cells that would reveal them are suppressed (·).'
      : 'Your own organisation: nothing suppressed.';
    body.tables.concat(body.values).forEach((t) => {
      const q = new URLSearchParams(p);
      q.set('table', t.name);
      const img = document.createElement('img');
      img.src = '/api/stats/chart.svg?' + q.toString();
      img.alt = body.title + ': ' + t.name;
      img.width = 820;
      img.height = 340;
      $('charts').appendChild(img);
      $('tables').appendChild(renderTable(t));
    });
    document.body.dataset.state = 'ready';
  }

  async function start() {
    const response = await fetch('/api/stats/meta', { credentials: 'same-origin' });
    if (response.status === 401) {
      $('who').textContent = 'Not logged in.';
      $('login').hidden = false;
      return;
    }
    const body = await response.json();
    if (!response.ok) {
      $('who').textContent = '';
      showError(body.message);
      return;
    }
    meta = body;
    $('who').textContent = 'Role ' + meta.role + (meta.organisation ? ' · organisation ' + meta.organisation : '');
    meta.figures.forEach((f) => option($('figure'), f.code, f.title));
    meta.granularities.forEach((g) => option($('granularity'), g));
    meta.scopes.forEach((s) => option($('scope'), s));
    $('granularity').value = meta.granularities.includes('day') ? 'day' : meta.granularities[0];
    $('from').value = meta.defaultFrom;
    $('to').value = meta.defaultTo;
    fillSplits();
    $('figure').addEventListener('change', fillSplits);
    $('filters').addEventListener('submit', show);
    $('filters').hidden = false;
    show();
  }

  start();
}());
