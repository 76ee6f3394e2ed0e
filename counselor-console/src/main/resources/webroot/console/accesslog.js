// Access log viewer (issue 21): the organisation's transcript reads, exports and deletions, and the reads of this
// log, filtered by staff member, conversation, period and action, with a CSV download of the same filter. Plain JS,
// no inline script (strict CSP); all text set with textContent. The server decides which organisation is shown and
// logs every read of the log, also the CSV download.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { user: null, query: '', next: null, staff: {} };
  const ROLE_NL = { counselor: 'hulpverlener', supervisor: 'leidinggevende', stats_viewer: 'cijfers',
    org_admin: 'organisatiebeheerder', platform_admin: 'platformbeheerder', chain_viewer: 'ketencijfers',
    visitor: 'bezoeker', system: 'systeem' };
  const ACTION_NL = { read_transcript: 'transcript gelezen', export_transcript: 'transcript geëxporteerd',
    delete_on_request: 'verwijderd op verzoek', retention_shred: 'verwijderd na bewaartermijn',
    read_audit_log: 'toegangslog bekeken' };
  const FILTER_NL = { staff: 'medewerker', conversation: 'gesprek', from: 'van', to: 'tot', action: 'handeling' };

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  async function api(path) {
    let res;
    try {
      res = await fetch(path, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' });
    } catch (e) {
      return { status: 0, data: { message: 'Geen verbinding. / No connection.' } };
    }
    let data = {};
    try { data = await res.json(); } catch (e) { data = {}; }
    if (res.status === 401) {
      $('accesslog').hidden = true;
      $('admin-error').textContent = 'Je bent niet (meer) ingelogd. Log in via de console. / Please sign in.';
    }
    return { status: res.status, data };
  }
  function when(at) { return at ? new Date(at).toLocaleString('nl-NL') : '—'; }

  // The filter of the form as query parameters; the server checks every value again.
  function query() {
    const p = new URLSearchParams();
    const put = (name, value) => { if (value && value.trim()) { p.set(name, value.trim()); } };
    if (state.user.role === 'platform_admin') { put('org', $('log-org').value); }
    put('staff', $('log-staff').value);
    put('conversation', $('log-conversation').value);
    put('from', $('log-from').value);
    put('to', $('log-to').value);
    put('action', $('log-action').value);
    return p.toString();
  }

  async function boot() {
    const me = await api('/api/me');
    if (me.status !== 200) { return; }
    state.user = me.data.user;
    $('me-name').textContent = state.user.displayName;
    $('me-org').textContent = (state.user.organisation || 'platform') + ' · ' + state.user.role;
    if (state.user.role !== 'org_admin' && state.user.role !== 'platform_admin') {
      $('admin-error').textContent = 'Alleen voor beheerders. / Admins only.';
      return;
    }
    const platform = state.user.role === 'platform_admin';
    $('log-org-row').hidden = !platform;
    $('accesslog').hidden = false;
    if (platform) {
      $('log-status').textContent = 'Kies een organisatie en klik op Toon.';
      return;
    }
    await loadStaff('');
    await show();
  }

  async function loadStaff(org) {
    const res = await api('/api/admin/staff' + (org ? '?org=' + encodeURIComponent(org) : ''));
    const select = $('log-staff');
    const chosen = select.value;
    select.replaceChildren(el('option', 'alle medewerkers'));
    select.options[0].value = '';
    if (res.status !== 200) { return; }
    state.staff = {};
    res.data.staff.forEach((u) => {
      state.staff[u.id] = u.displayName;
      const o = el('option', u.displayName + ' (' + (ROLE_NL[u.role] || u.role) + ')');
      o.value = String(u.id);
      o.selected = String(u.id) === chosen;
      select.append(o);
    });
  }

  async function show() {
    state.query = query();
    $('log-rows').replaceChildren();
    await load(null);
  }

  async function load(before) {
    $('log-error').textContent = '';
    const q = state.query + (before ? (state.query ? '&' : '') + 'before=' + before : '');
    const res = await api('/api/audit' + (q ? '?' + q : ''));
    if (res.status !== 200) {
      $('log-error').textContent = res.data.message || 'Laden mislukt.';
      $('log-csv').hidden = true;
      $('log-more').hidden = true;
      $('log-status').textContent = '';
      return;
    }
    $('log-csv').href = '/api/audit/export.csv' + (state.query ? '?' + state.query : '');
    $('log-csv').hidden = false;
    res.data.entries.forEach(render);
    state.next = res.data.next;
    $('log-more').hidden = !state.next;
    const n = $('log-rows').children.length;
    $('log-status').textContent = n === 1 ? '1 regel.' : n + ' regels.';
  }

  function render(e) {
    const tr = el('tr');
    const messages = e.messageCount === null || e.messageCount === undefined ? '—'
      : e.messageCount + (e.lastSeq ? ' (nr. ' + (e.afterSeq + 1) + '–' + e.lastSeq + ')' : '');
    const filter = e.detail && e.detail.filter ? Object.keys(e.detail.filter).map((k) => (FILTER_NL[k] || k) + ': '
      + (k === 'staff' ? (state.staff[e.detail.filter[k]] || e.detail.filter[k])
        : k === 'action' ? (ACTION_NL[e.detail.filter[k]] || e.detail.filter[k]) : e.detail.filter[k]))
      .concat([e.detail.format === 'csv' ? 'CSV-download' : e.detail.format === 'jsonl' ? 'SIEM-feed' : 'scherm'])
      .join('; ') : '';
    tr.append(el('td', when(e.at)), el('td', e.staffName || (e.staffId ? '#' + e.staffId : '—')),
      el('td', ROLE_NL[e.role] || e.role), el('td', ACTION_NL[e.action] || e.action),
      el('td', e.conversationId || '—', 'mono'), el('td', messages), el('td', e.reason || ''), el('td', filter));
    $('log-rows').append(tr);
  }

  $('log-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (state.user.role === 'platform_admin') { await loadStaff($('log-org').value.trim()); }
    await show();
  });
  $('log-more').addEventListener('click', () => load(state.next));

  boot();
})();
