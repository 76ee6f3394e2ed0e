// Admin screen (issue 21): staff lifecycle for organisation admins (own organisation) and platform admins (all),
// organisations (platform admins) and the admin audit trail. Plain JS, no inline script (strict CSP); all text set
// with textContent. The server checks every rule again; this page only offers what the role may do.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { csrf: null, user: null, roles: [], skills: [], languages: [], editing: null };
  const ROLE_NL = { counselor: 'hulpverlener', supervisor: 'leidinggevende', stats_viewer: 'cijfers',
    org_admin: 'organisatiebeheerder', platform_admin: 'platformbeheerder', chain_viewer: 'ketencijfers' };
  const SKILL_NL = { youth: 'jongeren', perpetrator: 'pleger-hulp' };
  const LANG_NL = { nl: 'Nederlands', nl_easy: 'makkelijk Nederlands', en: 'Engels', ar: 'Arabisch', tr: 'Turks',
    pl: 'Pools', uk: 'Oekraïens' };
  const ACTION_NL = { invite: 'uitgenodigd', edit: 'bewerkt', disable: 'uitgeschakeld', enable: 'ingeschakeld',
    reset_two_factor: 'tweestaps gereset', enrol: 'account ingesteld', create_user: 'account gemaakt',
    create_organisation: 'organisatie toegevoegd', create_first_admin: 'eerste beheerder',
    read_access_log: 'toegangslog andere organisatie', edit_config: 'configuratie gewijzigd',
    import_config: 'configuratie geïmporteerd', rollback_config: 'configuratie teruggezet' };

  const el = VpAdminKit.el;
  function button(text, onClick) {
    const b = el('button', text);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }
  const api = VpAdminKit.apiWith(() => state.csrf, () => signedOut());
  function signedOut() {
    $('admin').hidden = true;
    $('admin-error').textContent = 'Je bent niet (meer) ingelogd. Log in via de console. / Please sign in.';
  }
  function when(at) { return at ? new Date(at).toLocaleString('nl-NL') : '—'; }

  function checkboxes(fieldset, codes, names, checked) {
    fieldset.querySelectorAll('label').forEach((l) => l.remove());
    codes.forEach((c) => {
      const box = el('input');
      box.type = 'checkbox';
      box.value = c;
      box.checked = checked.includes(c);
      if (c === 'nl') { box.checked = true; box.disabled = true; }
      const label = el('label');
      label.append(box, ' ' + (names[c] || c));
      fieldset.append(label);
    });
  }
  function picked(fieldset) {
    return Array.from(fieldset.querySelectorAll('input:checked')).map((b) => b.value).filter((c) => c !== 'nl');
  }
  function roleOptions(select, selected) {
    select.replaceChildren();
    state.roles.forEach((r) => {
      const o = el('option', ROLE_NL[r] || r);
      o.value = r;
      o.selected = r === selected;
      select.append(o);
    });
  }

  async function boot() {
    const me = await api('GET', '/api/me');
    if (me.status !== 200) { return; }
    state.csrf = me.data.csrfToken;
    state.user = me.data.user;
    $('me-name').textContent = state.user.displayName;
    $('me-org').textContent = (state.user.organisation || 'platform') + ' · ' + state.user.role;
    if (state.user.role !== 'org_admin' && state.user.role !== 'platform_admin') {
      $('admin-error').textContent = 'Alleen voor beheerders. / Admins only.';
      return;
    }
    const platform = state.user.role === 'platform_admin';
    $('org-filter-row').hidden = !platform;
    $('invite-org-row').hidden = !platform;
    $('org-section').hidden = !platform;
    $('admin').hidden = false;
    await refresh();
  }

  async function refresh() {
    const org = state.user.role === 'platform_admin' ? $('org-filter').value.trim() : '';
    const [staff, audit] = await Promise.all([
      api('GET', '/api/admin/staff' + (org ? '?org=' + encodeURIComponent(org) : '')),
      api('GET', '/api/admin/audit?limit=100' + (org ? '&org=' + encodeURIComponent(org) : ''))]);
    if (staff.status !== 200) { $('admin-error').textContent = staff.data.message || 'Laden mislukt.'; return; }
    state.roles = staff.data.roles;
    state.skills = staff.data.skills;
    state.languages = staff.data.languages;
    state.ssoOrgs = staff.data.ssoOrganisations || [];
    if (!$('invite-role').options.length) {
      roleOptions($('invite-role'), 'counselor');
      checkboxes($('invite-skills'), state.skills, SKILL_NL, []);
      checkboxes($('invite-languages'), state.languages, LANG_NL, ['nl']);
    }
    renderStaff(staff.data.staff);
    renderAudit(audit.data.entries || []);
  }

  function renderStaff(list) {
    const body = $('staff-rows');
    body.replaceChildren();
    list.forEach((u) => {
      const tr = el('tr');
      tr.dataset.username = u.username;
      const stateText = u.state === 'disabled' ? 'uitgeschakeld' : u.state === 'invited' ? 'uitgenodigd'
        : (u.online ? 'actief, online' : 'actief') + (u.sso ? ', via organisatie (SSO)' : '');
      tr.append(el('td', u.displayName), el('td', u.username), el('td', ROLE_NL[u.role] || u.role),
        el('td', u.organisation || 'platform'), el('td', u.skills.map((s) => SKILL_NL[s] || s).join(', ') || '—'),
        el('td', u.languages.map((l) => LANG_NL[l] || l).join(', ')), el('td', u.capacity),
        el('td', stateText, 'state-' + u.state), el('td', when(u.lastSignInAt)));
      const actions = el('td');
      if (u.id !== state.user.id) {
        actions.append(button('Bewerken', () => openEdit(u)));
        if (u.state === 'disabled') {
          actions.append(button('Inschakelen', () => act(u, 'enable', u.displayName + ' is weer ingeschakeld.')));
        } else {
          actions.append(button('Uitschakelen', () => {
            if (confirm(u.displayName + ' uitschakelen? Alle sessies stoppen meteen.')) {
              act(u, 'disable', u.displayName + ' is uitgeschakeld; alle sessies zijn gestopt.');
            }
          }));
          if (!u.sso) {
            actions.append(button('Tweestaps resetten', () => act(u, 'reset-two-factor',
              'Tweestapsverificatie van ' + u.displayName + ' is gereset. Stuur deze eenmalige link:')));
          }
          if (!u.sso && state.ssoOrgs.includes(u.organisation)) {
            actions.append(button('Koppelen aan SSO', () => bindSso(u)));
          }
        }
      }
      tr.append(actions);
      body.append(tr);
    });
  }

  /** Single sign-on (issue 21): the account signs in only through the organisation's identity provider from now on. */
  async function bindSso(u) {
    const subject = prompt('Koppelen aan de identity provider van je organisatie. Vul de "sub" (subject) van '
      + u.displayName + ' bij de provider in. Daarna kan dit account alleen nog via de organisatie inloggen.');
    if (subject === null || subject.trim() === '') { return; }
    $('action-result').textContent = '';
    $('action-link').hidden = true;
    const res = await api('POST', '/api/admin/staff/' + u.id + '/sso', { subject: subject.trim() });
    if (res.status !== 200) { $('action-result').textContent = res.data.message || 'Dat lukte niet.'; return; }
    $('action-result').textContent = u.displayName + ' is gekoppeld: inloggen gaat nu alleen via de organisatie.';
    refresh();
  }

  async function act(u, what, done) {
    $('action-result').textContent = '';
    $('action-link').hidden = true;
    const res = await api('POST', '/api/admin/staff/' + u.id + '/' + what);
    if (res.status !== 200) { $('action-result').textContent = res.data.message || 'Dat lukte niet.'; return; }
    $('action-result').textContent = done;
    if (res.data.enrolmentUrl) { $('action-link').textContent = res.data.enrolmentUrl; $('action-link').hidden = false; }
    refresh();
  }

  function openEdit(u) {
    state.editing = u;
    $('edit-who').textContent = u.displayName + ' (' + u.username + ')';
    $('edit-name').value = u.displayName;
    roleOptions($('edit-role'), u.role);
    checkboxes($('edit-skills'), state.skills, SKILL_NL, u.skills);
    checkboxes($('edit-languages'), state.languages, LANG_NL, u.languages);
    $('edit-capacity').value = u.capacity;
    $('edit-error').textContent = '';
    $('edit').hidden = false;
    $('edit-name').focus();
  }
  $('edit-cancel').addEventListener('click', () => { $('edit').hidden = true; state.editing = null; });
  $('edit-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const u = state.editing;
    if (!u) { return; }
    const res = await api('PATCH', '/api/admin/staff/' + u.id, { displayName: $('edit-name').value,
      role: $('edit-role').value, skills: picked($('edit-skills')), languages: picked($('edit-languages')),
      capacity: Number($('edit-capacity').value) });
    if (res.status !== 200) { $('edit-error').textContent = res.data.message || 'Opslaan mislukt.'; return; }
    $('edit').hidden = true;
    $('action-result').textContent = 'Opgeslagen: ' + u.displayName + '.';
    refresh();
  });

  $('invite-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('invite-error').textContent = '';
    $('invite-link').hidden = true;
    const body = { username: $('invite-username').value.trim(), displayName: $('invite-name').value.trim(),
      role: $('invite-role').value, skills: picked($('invite-skills')), languages: picked($('invite-languages')),
      capacity: Number($('invite-capacity').value) };
    if (state.user.role === 'platform_admin' && $('invite-org').value.trim()) { body.orgId = $('invite-org').value.trim(); }
    const res = await api('POST', '/api/admin/invitations', body);
    if (res.status !== 201) { $('invite-error').textContent = res.data.message || 'Uitnodigen mislukt.'; return; }
    $('invite-link').textContent = res.data.enrolmentUrl;
    $('invite-link').hidden = false;
    $('invite-username').value = '';
    $('invite-name').value = '';
    refresh();
  });

  $('org-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const res = await api('POST', '/api/admin/organisations', { id: $('org-id').value.trim(),
      name: $('org-name').value.trim() });
    $('org-result').textContent = res.status === 201 ? 'Toegevoegd: ' + res.data.id + ' (sleutel ' + res.data.keyId + ')'
      : (res.data.message || 'Toevoegen mislukt.');
    if (res.status === 201) { refresh(); }
  });
  $('org-filter-btn').addEventListener('click', refresh);

  function renderAudit(entries) {
    const body = $('audit-rows');
    body.replaceChildren();
    entries.forEach((e) => {
      const tr = el('tr');
      const detail = e.detail && e.detail.changes ? Object.keys(e.detail.changes).map((k) => k + ': '
        + JSON.stringify(e.detail.changes[k].from) + ' → ' + JSON.stringify(e.detail.changes[k].to)).join('; ')
        : (e.detail && e.detail.role ? 'rol ' + e.detail.role : '');
      tr.append(el('td', when(e.at)), el('td', e.actor.name + ' (' + e.actor.role + ')'),
        el('td', ACTION_NL[e.action] || e.action), el('td', e.target.name || (e.target.id || '—')),
        el('td', e.target.otherOrganisation ? 'andere organisatie' : (e.target.organisation || '—')),
        el('td', e.outcome === 'done' ? 'gedaan' : 'geweigerd: ' + e.reason, e.outcome === 'done' ? '' : 'refused'),
        el('td', detail));
      body.append(tr);
    });
  }

  boot();
})();
