'use strict';
// Statistics page: filters -> /api/stats/figure (JSON tables), /api/stats/chart.svg (server-side SVG charts),
// /api/stats/export.csv. No inline script or style (strict CSP); text goes in with textContent only.
(function () {
  const $ = (id) => document.getElementById(id);
  let meta = null;
  // Dutch first; English on request (kept for the session in sessionStorage: no trace after the tab closes).
  let lang = sessionStorage.getItem('stats-lang') === 'en' ? 'en' : 'nl';
  const TEXT = {
    nl: {
      title: 'Cijfers', back: 'Terug naar de console', login: 'Log eerst in op de console:', figure: 'Cijfer',
      from: 'Van', to: 'Tot en met', rows: 'Rijen', rows_hp: 'Hulppunt', rows_time: 'Tijd', per: 'Per',
      by: 'Uitgesplitst naar', scope: 'Bereik', show: 'Toon', csv: 'Download CSV', other_lang: 'English',
      own: 'Eigen organisatie', chain: 'Hele keten', total: 'totaal', suppressed: 'weggelaten',
      role: 'Rol', organisation: 'organisatie', not_logged_in: 'Niet ingelogd.',
      note_own: 'Cijfers van je eigen organisatie: niets weggelaten.',
      note_chain: 'Buiten je eigen organisatie: aantallen onder de 10 van andere organisaties, en cellen waaruit je ze '
        + 'zou kunnen terugrekenen (ook met andere tabellen of je eigen cijfers), zijn weggelaten (·).',
      note_values: 'Waarden (geen aantallen) staan er alleen waar het aantal waarop ze rusten zichtbaar is.',
      csv_table: 'Download dit cijfer als CSV', failed: 'Het cijfer kon niet worden geladen.',
      hour: 'uur', day: 'dag', week: 'week', month: 'maand'
    },
    en: {
      title: 'Statistics', back: 'Back to the console', login: 'Please log in to the console first:',
      figure: 'Figure', from: 'From', to: 'To', rows: 'Rows', rows_hp: 'Help point', rows_time: 'Time', per: 'Per',
      by: 'Split by', scope: 'Scope', show: 'Show', csv: 'Export CSV', other_lang: 'Nederlands',
      own: 'Own organisation', chain: 'Whole chain', total: 'total', suppressed: 'suppressed',
      role: 'Role', organisation: 'organisation', not_logged_in: 'Not logged in.',
      note_own: 'Your own organisation: nothing suppressed.',
      note_chain: 'Outside your organisation: other organisations\' counts below 10, and cells from which they could '
        + 'be worked out (also with other tables or your own figures), are suppressed (·).',
      note_values: 'Values (not counts) are shown only where the count they rest on is shown.',
      csv_table: 'Download this figure as CSV', failed: 'The figure could not be loaded.',
      hour: 'hour', day: 'day', week: 'week', month: 'month'
    }
  };
  const t = (key) => TEXT[lang][key] || key;
  let lastBody = null;
  let lastParams = null;

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-t]').forEach((el) => { el.textContent = t(el.dataset.t); });
    $('lang').textContent = t('other_lang');
    $('lang').lang = lang === 'nl' ? 'en' : 'nl';
    document.title = t('title') + ' · Veilig Praten';
    if (meta) {
      Array.from($('figure').options).forEach((o) => {
        const f = meta.figures.find((x) => x.code === o.value);
        o.textContent = lang === 'nl' ? f.titleNl : f.title;
      });
      Array.from($('scope').options).forEach((o) => { o.textContent = t(o.value); });
      Array.from($('granularity').options).forEach((o) => { o.textContent = t(o.value); });
      $('who').textContent = t('role') + ' ' + meta.role
        + (meta.organisation ? ' · ' + t('organisation') + ' ' + meta.organisation : '');
    }
    if (lastBody) { render(lastBody, lastParams); }
  }

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
    if (fig && (fig.code === 'queue' || fig.code === 'heatmap')) { p.set('rows', 'time'); }
    if (p.get('rows') !== 'time') { p.delete('granularity'); }
    return p;
  }

  function fillSplits() {
    const fig = meta.figures.find((f) => f.code === $('figure').value);
    const by = $('by');
    by.textContent = '';
    fig.splits.forEach((s) => option(by, s));
    if (fig.splits.includes('none')) { by.value = 'none'; } else if (fig.splits.includes('priority')) { by.value = 'priority'; }
    $('rows').disabled = !fig.timeRows || fig.code === 'queue' || fig.code === 'heatmap';
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
      c.title = t('suppressed');
    } else {
      c.textContent = value;
    }
    tr.appendChild(c);
  }

  function renderTable(tab) {
    const table = document.createElement('table');
    const caption = document.createElement('caption');
    caption.textContent = tab.name + (tab.suppressed ? ' (' + tab.suppressed + ' suppressed)' : '');
    table.appendChild(caption);
    const head = document.createElement('tr');
    cell(head, 'td', ''); // the empty corner is no header (axe: empty-table-header)
    tab.columns.forEach((c) => cell(head, 'th', c));
    if (tab.rowTotals) { cell(head, 'th', t('total')); }
    table.appendChild(head);
    tab.rows.forEach((r, i) => {
      const tr = document.createElement('tr');
      cell(tr, 'th', r);
      const values = tab.cells || tab.values;
      values[i].forEach((v) => cell(tr, 'td', typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(1) : v,
        v === null && !!tab.cells));
      if (tab.rowTotals) { cell(tr, 'td', tab.rowTotals[i], tab.rowTotals[i] === null); }
      table.appendChild(tr);
    });
    if (tab.columnTotals) {
      const tr = document.createElement('tr');
      cell(tr, 'th', t('total'));
      tab.columnTotals.forEach((v) => cell(tr, 'td', v, v === null));
      cell(tr, 'td', tab.total, tab.total === null);
      table.appendChild(tr);
    }
    return table;
  }

  function render(body, p) {
    $('charts').textContent = '';
    $('tables').textContent = '';
    $('note').hidden = false;
    $('note').textContent = (body.threshold ? t('note_chain') : t('note_own'));
    body.tables.concat(body.values).forEach((tab) => {
      const q = new URLSearchParams(p);
      q.set('table', tab.name);
      const img = document.createElement('img');
      img.src = '/api/stats/chart.svg?' + q.toString();
      img.alt = body.title + ': ' + tab.name;
      img.width = 820;
      img.height = 340;
      $('charts').appendChild(img);
      $('tables').appendChild(renderTable(tab));
      // One sentence under each table on what is left out, and the figure as CSV.
      const explain = document.createElement('p');
      explain.className = 'explain';
      explain.textContent = tab.cells ? (body.threshold ? t('note_chain') : t('note_own')) : t('note_values');
      $('tables').appendChild(explain);
      const link = document.createElement('a');
      link.href = '/api/stats/export.csv?' + p.toString();
      link.textContent = t('csv_table');
      link.setAttribute('download', '');
      link.className = 'csv-table';
      $('tables').appendChild(link);
    });
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
      lastBody = null;
      showError(body.message || t('failed'));
      document.body.dataset.state = 'error';
      return;
    }
    lastBody = body;
    lastParams = p;
    render(body, p);
    document.body.dataset.state = 'ready';
  }

  async function start() {
    const response = await fetch('/api/stats/meta', { credentials: 'same-origin' });
    applyLanguage();
    $('lang').addEventListener('click', () => {
      lang = lang === 'nl' ? 'en' : 'nl';
      sessionStorage.setItem('stats-lang', lang);
      applyLanguage();
    });
    if (response.status === 401) {
      $('who').textContent = t('not_logged_in');
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
    meta.figures.forEach((f) => option($('figure'), f.code, f.title));
    meta.granularities.forEach((g) => option($('granularity'), g));
    meta.scopes.forEach((s) => option($('scope'), s));
    $('granularity').value = meta.granularities.includes('day') ? 'day' : meta.granularities[0];
    $('from').value = meta.defaultFrom;
    $('to').value = meta.defaultTo;
    applyLanguage();
    fillSplits();
    $('figure').addEventListener('change', fillSplits);
    $('filters').addEventListener('submit', show);
    $('filters').hidden = false;
    show();
  }

  start();
}());
