// Configuration screen (issue 21): an organisation admin edits its own help points (YAML of one entry, as in
// help-points.yaml); a platform admin also edits or imports whole files and exports them. Every save names the
// version it started from and a reason; the server validates it with the start-up loader and answers its error.
// Plain JS, no inline script (strict CSP); all text set with textContent.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { csrf: null, user: null, data: null };
  const NEW = '__new__';
  const KIND_NL = { seed: 'start (bestanden)', edit: 'wijziging', import: 'import', rollback: 'teruggezet' };

  const el = VpAdminKit.el;
  const api = VpAdminKit.apiWith(() => state.csrf, () => {
    $('config').hidden = true;
    $('config-error').textContent = 'Log in via de console.';
  });

  async function boot() {
    const me = await api('GET', '/api/me');
    if (me.status !== 200) { $('config-error').textContent = 'Log in via de console. / Please sign in.'; return; }
    state.csrf = me.data.csrfToken;
    state.user = me.data.user;
    $('me-name').textContent = state.user.displayName;
    $('me-org').textContent = (state.user.organisation || 'platform') + ' · ' + state.user.role;
    if (state.user.role !== 'org_admin' && state.user.role !== 'platform_admin') {
      $('config-error').textContent = 'Alleen voor beheerders. / Admins only.';
      return;
    }
    $('config').hidden = false;
    await refresh();
  }

  async function refresh(keepSelection) {
    const r = await api('GET', '/api/admin/config');
    if (r.status !== 200) { $('config-error').textContent = r.data.message || 'Laden mislukt.'; return; }
    state.data = r.data;
    $('config-version').textContent = 'Actieve versie ' + r.data.version + ' · deze server draait versie '
      + r.data.appliedVersion;
    const select = $('hp-select');
    const selected = keepSelection ? select.value : null;
    select.textContent = '';
    r.data.helpPoints.forEach((h) => {
      const o = el('option', h.name + ' (' + h.id + ')');
      o.value = h.id;
      select.append(o);
    });
    const o = el('option', 'Nieuw hulppunt…');
    o.value = NEW;
    select.append(o);
    if (selected) { select.value = selected; }
    showHelpPoint();
    $('file-section').hidden = !r.data.platform;
    if (r.data.platform) { files(r.data.files); }
    history(r.data.history);
  }

  function showHelpPoint() {
    const id = $('hp-select').value;
    $('hp-new-row').hidden = id !== NEW;
    const h = state.data.helpPoints.find((x) => x.id === id);
    $('hp-yaml').value = h ? h.yaml : 'id: \nkind: queue\nname: \ncost: free\ndescription:\n  nl: \n  nl_easy: \n  en: \n'
      + 'openingHours: "24/7"\nretentionDays: 30\ntargetFirstResponseSeconds: {P0: 30, P1: 60, P2: 600, P3: 1800}\n'
      + 'queueCap: 20\n';
  }

  function files(names) {
    const select = $('file-select');
    if (select.options.length === 0) {
      names.forEach((n) => { const o = el('option', n); o.value = n; select.append(o); });
    }
    const links = $('export-links');
    links.textContent = '';
    names.forEach((n) => {
      const a = el('a', n);
      a.href = '/api/admin/config/export?version=' + state.data.version + '&file=' + encodeURIComponent(n);
      a.download = n;
      links.append(a, ' ');
    });
  }

  function history(rows) {
    const body = $('history-rows');
    body.textContent = '';
    rows.forEach((v, i) => {
      const tr = el('tr');
      tr.dataset.version = v.version;
      const kind = (KIND_NL[v.kind] || v.kind) + (v.restoredFrom ? ' (naar versie ' + v.restoredFrom + ')' : '');
      [v.version, new Date(v.at).toLocaleString('nl-NL'), v.author, kind, v.reason].forEach((t) => tr.append(el('td', t)));
      const actions = el('td');
      if (i > 0) {
        const b = el('button', 'Terugzetten naar ' + v.version);
        b.type = 'button';
        b.addEventListener('click', () => rollback(v.version));
        actions.append(b);
      }
      tr.append(actions);
      body.append(tr);
    });
  }

  function report(prefix, r, okText) {
    $(prefix + '-error').textContent = '';
    $(prefix + '-result').textContent = '';
    if (r.status === 200) {
      $(prefix + '-result').textContent = okText + ' Versie ' + r.data.version + ' is opgeslagen.';
      return true;
    }
    $(prefix + '-error').textContent = r.data.message || ('Mislukt (' + r.status + ').');
    return false;
  }

  async function saveHelpPoint(ev) {
    ev.preventDefault();
    let id = $('hp-select').value;
    if (id === NEW) { id = $('hp-new-id').value.trim(); }
    const r = await api('PUT', '/api/admin/config/help-points/' + encodeURIComponent(id), {
      yaml: $('hp-yaml').value, reason: $('hp-reason').value.trim(), baseVersion: state.data.version });
    if (report('hp', r, 'Opgeslagen.')) {
      $('hp-reason').value = '';
      await refresh(true);
      if ($('hp-select').value === NEW && state.data.helpPoints.some((h) => h.id === id)) {
        $('hp-select').value = id;
        showHelpPoint();
      }
    }
  }

  async function loadFile() {
    const r = await api('GET', '/api/admin/config/export?version=' + state.data.version);
    if (r.status === 200) { $('file-yaml').value = r.data.files[$('file-select').value]; }
  }

  async function saveFile(ev) {
    ev.preventDefault();
    const r = await api('PUT', '/api/admin/config/files/' + encodeURIComponent($('file-select').value), {
      yaml: $('file-yaml').value, reason: $('file-reason').value.trim(), baseVersion: state.data.version });
    if (report('file', r, 'Opgeslagen.')) {
      $('file-reason').value = '';
      await refresh(true);
    }
  }

  async function rollback(version) {
    const reason = $('rollback-reason').value.trim();
    if (!reason) {
      $('rollback-error').textContent = 'Schrijf eerst waarom je terugzet. / Give a reason first.';
      $('rollback-reason').focus();
      return;
    }
    const r = await api('POST', '/api/admin/config/rollback', { version, reason, baseVersion: state.data.version });
    if (report('rollback', r, 'Teruggezet naar versie ' + version + '.')) {
      $('rollback-reason').value = '';
      await refresh(true);
    }
  }

  $('hp-select').addEventListener('change', showHelpPoint);
  $('hp-form').addEventListener('submit', saveHelpPoint);
  $('file-form').addEventListener('submit', saveFile);
  $('file-load').addEventListener('click', loadFile);
  boot();
})();
