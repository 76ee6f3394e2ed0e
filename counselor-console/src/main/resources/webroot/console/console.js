// Veilig Praten counselor console. Plain JS, no inline script (strict CSP); all text set with textContent.
// Layout: conversation list (left) | the open chat (messages and composer) with its context panel (intake, actions).
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { csrf: null, user: null, ws: null, chats: new Map(), outcomes: [], tags: [], canned: [],
    staff: [], helpPoints: [], retry: 0, boardTimer: null, refTimer: null,
    // wantSocket: this role chats and the session is live; live: the server said hello on the current socket.
    wantSocket: false, live: false, sessionOver: false, reconnectTimer: null,
    active: null, activateNext: null, queue: [], queueIds: new Set(), board: null, overdueKey: '',
    loadedAt: Date.now(), lang: 'nl', labels: null, audio: null, overrideReasons: [] };
  /** A message without its ack after this long (socket open) is shown as not sent, with a retry. */
  const ACK_TIMEOUT_MS = 20000;
  const OVERRIDE_NL = { age_mismatch: 'Leeftijd klopt niet', role_mismatch: 'Rol klopt niet',
    setting_mismatch: 'Plek of situatie klopt niet', acute: 'Acuter dan de antwoorden', safety: 'Veiligheid',
    visitor_request: 'Wens van de bezoeker', capacity: 'Geen plek of gesloten', other: 'Anders' };
  const PRIO = ['P0', 'P1', 'P2', 'P3'];
  const BASE_TITLE = 'Veilig Praten – console';
  const OUTCOME = {
    nl: { listened: 'Geluisterd', advice: 'Advies gegeven', referred: 'Doorverwezen', emergency_112: '112-advies',
      police_info: 'Info over politie', visitor_left: 'Bezoeker weg', other: 'Anders' },
    en: { listened: 'Listened', advice: 'Advice given', referred: 'Referred', emergency_112: 'Advised 112',
      police_info: 'Police information', visitor_left: 'Visitor left', other: 'Other' } };

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function button(text, cls, onClick) {
    const b = el('button', text, cls);
    b.type = 'button';
    if (onClick) { b.addEventListener('click', onClick); }
    return b;
  }
  function minutes(s) {
    s = Math.max(0, Math.floor(Number(s) || 0));
    return Math.floor(s / 60) + 'm ' + String(s % 60).padStart(2, '0') + 's';
  }
  /** A short neutral label that is the same on every screen (colleagues can say "neem gesprek 3F2A over"). */
  function shortLabel(id) { return 'Gesprek ' + String(id).replace(/-/g, '').slice(0, 4).toUpperCase(); }
  function prioBadge(p) { return el('span', PRIO[p] || 'P?', 'prio p' + p); }
  function clock(at) {
    const d = at ? new Date(at) : new Date();
    return d.toLocaleTimeString('nl-NL', { hour: '2-digit', minute: '2-digit' });
  }

  /**
   * JSON request. background: the page asks on its own (polling), which does not count as activity on the server.
   * Status 0 means the server could not be reached. A 401 while signed in means the session is over.
   */
  async function api(method, path, body, background) {
    const headers = { 'Accept': 'application/json' };
    if (method !== 'GET') { headers['X-CSRF-Token'] = state.csrf || ''; headers['Content-Type'] = 'application/json'; }
    if (background) { headers['X-VP-Background'] = '1'; }
    let res;
    try {
      res = await fetch(path, { method, headers, credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      return { status: 0, data: {} };
    }
    let data = {};
    try { data = await res.json(); } catch (e) { data = {}; }
    if (res.status === 401 && state.user && !state.sessionOver && path !== '/api/login') { sessionEnded(); }
    return { status: res.status, data };
  }

  // ---- login ----------------------------------------------------------------------------------------------------
  async function boot() {
    ssoOutcome();
    // Loaded once, also when signed in: the sign-in page shows them again after a logout or an ended session.
    ssoProviders();
    const me = await api('GET', '/api/me');
    if (me.status === 200) { started(me.data); } else { $('login').hidden = false; }
  }

  // ---- single sign-on through the organisation's provider (issue 21) ---------------------------------------------
  const SSO_ERRORS = {
    state: 'De inlogpoging is verlopen of in een andere browser begonnen. Probeer het opnieuw.',
    provider_refused: 'Je organisatie heeft het inloggen niet toegestaan.',
    provider_unreachable: 'De inlogdienst van je organisatie is nu niet bereikbaar. Probeer het later opnieuw.',
    not_provisioned: 'Je account is nog niet gekoppeld aan je organisatie. Vraag je beheerder om het te koppelen.',
    no_role: 'Je organisatie geeft je geen toegang tot de console. Vraag je beheerder.',
    role_mismatch: 'Je organisatie bevestigt de rol van je account niet. Vraag je beheerder.',
    mfa_required: 'Log bij je organisatie in met tweestapsverificatie (bijvoorbeeld een code of app) en probeer het '
      + 'opnieuw.'
  };

  /** The sign-in page after a refused single sign-on: the reason, then the code out of the address bar. */
  function ssoOutcome() {
    const m = /^#sso-error=([a-z_]{1,40})$/.exec(location.hash);
    if (!m) { return; }
    history.replaceState(null, '', location.pathname);
    $('login-error').textContent = (SSO_ERRORS[m[1]]
      || 'Inloggen via je organisatie is geweigerd: het bewijs van je organisatie klopt niet.')
      + ' (' + m[1] + ')';
  }

  async function ssoProviders() {
    const res = await api('GET', '/sso/providers');
    const list = res.status === 200 && Array.isArray(res.data.providers) ? res.data.providers : [];
    const links = $('sso-links');
    links.textContent = '';
    list.forEach((p) => {
      // A link, not a form: the provider's address is another origin, which the page's form-action forbids.
      const a = el('a', 'Inloggen via ' + p.name, 'button sso-link');
      a.href = '/sso/start?org=' + encodeURIComponent(p.organisation);
      a.dataset.org = p.organisation;
      links.appendChild(a);
      links.appendChild(document.createTextNode(' '));
    });
    $('sso').hidden = list.length === 0;
  }

  $('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('login-error').textContent = '';
    const body = { username: $('login-user').value, password: $('login-pass').value };
    if (!$('totp-row').hidden && $('login-totp').value) { body.totp = $('login-totp').value; }
    const res = await api('POST', '/api/login', body);
    if (res.status === 200) { $('login-pass').value = ''; $('login-totp').value = ''; started(res.data); return; }
    if (res.data.error === 'totp_required') { $('totp-row').hidden = false; $('login-totp').focus(); }
    $('login-error').textContent = res.data.message || 'Inloggen mislukt.';
  });

  function started(data) {
    if (state.user && state.user.id !== data.user.id) {
      // Someone else signed in on this screen: nothing of the previous counselor's chats may stay.
      state.chats.forEach((c) => { clearOutbox(c); c.root.remove(); c.item.remove(); });
      state.chats.clear();
      state.active = null;
    }
    stopTimers();
    state.sessionOver = false;
    state.csrf = data.csrfToken;
    state.user = data.user;
    $('login').hidden = true;
    $('login-notice').textContent = '';
    $('app').hidden = false;
    $('me-name').textContent = data.user.displayName;
    $('me-org').textContent = (data.user.organisation || '') + ' · ' + data.user.role;
    // A single sign-on session has its second factor at the organisation's provider, not here.
    $('enrol-btn').hidden = !!data.sso;
    if (data.totpEnrolmentRequired) {
      // First sign-in of an account without TOTP (required in production): only enrolment is possible, so the
      // enrolment panel opens at once; after it is confirmed the console starts (issue 20, finding 6).
      state.enrolRequired = true;
      $('enrol-btn').click();
      return;
    }
    state.enrolRequired = false;
    loadLists();
    const chats = data.user.role === 'counselor' || data.user.role === 'supervisor';
    if (chats) {
      state.wantSocket = true; state.retry = 0; connect();
      $('inbox-section').hidden = false;
      refreshInbox();
    } else {
      $('conn').textContent = '';
      $('take-next').hidden = true;
      $('status').disabled = true;
    }
    // Statistics: roles that may see them (the API checks again; see docs/statistics.md §3).
    $('stats-link').hidden = !['stats_viewer', 'supervisor', 'org_admin', 'chain_viewer', 'platform_admin']
      .includes(data.user.role);
    // Staff administration (issue 21) has its own page, admin.html.
    $('admin-link').hidden = !['org_admin', 'platform_admin'].includes(data.user.role);
    if (data.user.role === 'org_admin') { $('canned-admin').hidden = false; }
    if (data.user.role === 'supervisor' || data.user.role === 'org_admin') {
      $('board').hidden = false;
      refreshBoard();
      state.boardTimer = setInterval(refreshBoard, 5000);
    }
    refreshReferrals();
    state.refTimer = setInterval(refreshReferrals, 5000);
    renderList();
  }

  async function loadLists() {
    const [canned, staff, hps, labels] = await Promise.all([api('GET', '/api/canned'), api('GET', '/api/staff'),
      api('GET', '/api/help-points'), api('GET', '/api/labels')]);
    state.canned = canned.data.canned || [];
    renderCannedAdmin();
    state.staff = (staff.data.staff || []).filter((s) => state.user && s.id !== state.user.id);
    state.helpPoints = hps.data.helpPoints || [];
    if (labels.status === 200) { state.labels = labels.data; }
    state.chats.forEach((c) => { fillSelects(c); renderIntake(c); });
  }

  async function refreshStaff() {
    const res = await api('GET', '/api/staff', undefined, true);
    if (res.status !== 200) { return; }
    state.staff = (res.data.staff || []).filter((s) => state.user && s.id !== state.user.id);
    state.chats.forEach((c) => fillTransfer(c));
  }

  function statusNl(s) { return { available: 'beschikbaar', away: 'afwezig', busy: 'bezet' }[s] || s; }

  function renderCannedAdmin() {
    const ul = $('canned-list');
    ul.replaceChildren();
    state.canned.filter((c) => c.own).forEach((c) => {
      const li = el('li', c.title + ' ');
      li.append(button('Verwijder', 'canned-del', async () => { await api('DELETE', '/api/canned/' + c.id); loadLists(); }));
      ul.append(li);
    });
  }
  $('canned-add').addEventListener('click', async () => {
    const res = await api('POST', '/api/canned', { title: $('canned-title').value, body: $('canned-body').value });
    if (res.status === 201) { $('canned-title').value = ''; $('canned-body').value = ''; loadLists(); }
    else { $('app-error').textContent = res.data.message || 'Mislukt.'; }
  });

  $('logout').addEventListener('click', async () => {
    state.wantSocket = false;
    await api('POST', '/api/logout');
    location.reload();
  });

  function stopTimers() {
    clearInterval(state.boardTimer);
    clearInterval(state.refTimer);
    clearTimeout(state.reconnectTimer);
    state.boardTimer = null;
    state.refTimer = null;
  }

  /**
   * The server ended the session (expiry, logout elsewhere, a disabled account): show the sign-in screen instead of
   * retrying for ever. Chats, drafts and unsent messages stay in this page's memory only; they come back when the
   * same counselor signs in again, and are dropped if someone else does.
   */
  function sessionEnded() {
    if (state.sessionOver) { return; }
    state.sessionOver = true;
    state.wantSocket = false;
    stopTimers();
    dropSocket();
    renderConn();
    $('app').hidden = true;
    $('login').hidden = false;
    $('totp-row').hidden = true;
    $('login-notice').textContent = 'Je sessie is beëindigd. Log opnieuw in: je concepten en niet verzonden '
      + 'berichten zijn bewaard.';
    if (state.user) { $('login-user').value = state.user.username || ''; }
    document.title = BASE_TITLE;
    $('login-pass').focus();
  }

  $('status').addEventListener('change', () => send({ type: 'status', status: $('status').value }));

  // TOTP enrolment. The first one needs the session only; replacing an enrolled app needs the password and a current
  // code of the old app (the server answers reauth_required), so the panel then asks for those first.
  function showNewSecret(data) {
    $('reenrol-form').hidden = true;
    $('enrol-new').hidden = false;
    $('enrol-secret').textContent = data.secret;
    $('enrol-uri').textContent = data.otpauthUri;
    const qr = $('enrol-qr');
    if (data.qrPng) { qr.src = 'data:image/png;base64,' + data.qrPng; qr.hidden = false; } else { qr.hidden = true; }
    $('enrol-code').value = '';
    $('enrol-code').focus();
  }
  $('enrol-btn').addEventListener('click', async () => {
    $('enrol-result').textContent = '';
    $('enrol-close').hidden = state.enrolRequired;
    const res = await api('POST', '/api/totp/enrol');
    if (res.status === 403 && res.data.error === 'reauth_required') {
      state.reenrol = true;
      $('enrol-title').textContent = 'Nieuwe authenticator-app instellen';
      $('enrol').hidden = false;
      $('enrol-new').hidden = true;
      $('reenrol-form').hidden = false;
      $('reenrol-error').textContent = '';
      $('reenrol-pass').value = '';
      $('reenrol-code').value = '';
      $('reenrol-pass').focus();
      return;
    }
    if (res.status !== 200) { $('app-error').textContent = res.data.message || 'Mislukt.'; return; }
    state.reenrol = false;
    $('enrol-title').textContent = 'Tweestapsverificatie instellen';
    $('enrol').hidden = false;
    showNewSecret(res.data);
  });
  const REENROL_ERRORS = {
    bad_credentials: 'Je wachtwoord of de code klopt niet. Probeer het opnieuw.',
    totp_reused: 'Deze code is al gebruikt. Wacht tot je app een nieuwe code laat zien en vul die in.',
    throttled: 'Te veel pogingen. Wacht even en probeer het dan opnieuw.',
    reauth_required: 'Vul je wachtwoord en de code uit je huidige app in.'
  };
  $('reenrol-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('reenrol-error').textContent = '';
    const res = await api('POST', '/api/totp/enrol', { password: $('reenrol-pass').value,
      code: $('reenrol-code').value.trim() });
    $('reenrol-pass').value = '';
    if (res.status !== 200) {
      $('reenrol-code').value = '';
      $('reenrol-error').textContent = REENROL_ERRORS[res.data.error] || res.data.message || 'Mislukt.';
      return;
    }
    showNewSecret(res.data);
  });
  $('enrol-confirm').addEventListener('click', async () => {
    const res = await api('POST', '/api/totp/confirm', { code: $('enrol-code').value.trim() });
    if (res.status !== 200) { $('enrol-result').textContent = res.data.message || 'Mislukt.'; return; }
    $('enrol-new').hidden = true;
    $('enrol-result').textContent = state.reenrol
      ? 'Ingeschakeld. Vanaf nu log je in met de code uit je nieuwe app; de oude app werkt niet meer.'
      : 'Ingeschakeld.';
    if (state.enrolRequired) {
      const me = await api('GET', '/api/me');
      if (me.status === 200) { $('enrol').hidden = true; started(me.data); }
    }
  });
  $('enrol-close').addEventListener('click', () => {
    if (state.enrolRequired) { return; }
    $('enrol').hidden = true;
    $('reenrol-pass').value = '';
    $('enrol-btn').focus();
  });

  // ---- attention: sound, title count, desktop notifications (never with message content) ------------------------
  function beep() {
    if (!$('sound-on').checked) { return; }
    try {
      if (!state.audio) { state.audio = new (window.AudioContext || window.webkitAudioContext)(); }
      const ctx = state.audio;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.15, ctx.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.35);
      osc.connect(gain).connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.35);
    } catch (e) { /* no audio device: the title and the markers still show it */ }
  }
  function notify(text, tag) {
    if (document.visibilityState === 'visible' || !('Notification' in window)
      || Notification.permission !== 'granted') { return; }
    try { new Notification('Veilig Praten', { body: text, tag, silent: true }); } catch (e) { /* not supported */ }
  }
  $('notify-btn').addEventListener('click', async () => {
    if (!('Notification' in window)) { $('notify-btn').textContent = 'Meldingen niet mogelijk'; return; }
    const p = await Notification.requestPermission();
    $('notify-btn').textContent = p === 'granted' ? 'Meldingen staan aan' : 'Meldingen geweigerd';
  });
  function renderTitle() {
    let unread = 0;
    state.chats.forEach((c) => { unread += c.unread; });
    document.title = (unread ? '(' + unread + ') ' : '') + BASE_TITLE
      + (state.queue.length ? ' · wachtrij ' + state.queue.length : '');
    const total = $('unread-total');
    total.hidden = unread === 0;
    total.replaceChildren(String(unread), el('span', ' ongelezen', 'sr-only'));
  }
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && state.active) { markRead(state.chats.get(state.active)); }
  });

  // ---- socket ---------------------------------------------------------------------------------------------------
  function connect() {
    clearTimeout(state.reconnectTimer);
    if (state.ws || !state.wantSocket) { return; }
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    state.ws = ws;
    renderConn();
    startHeartbeat(ws);
    ws.addEventListener('message', (ev) => {
      if (state.ws === ws) { state.pingSentAt = 0; onFrame(JSON.parse(ev.data)); }
    });
    ws.addEventListener('close', (ev) => {
      if (state.ws !== ws) { return; }
      state.ws = null;
      state.live = false;
      renderConn();
      if (ev.code === 4401) { sessionEnded(); return; }
      reconnectLater();
    });
  }
  /**
   * Heartbeat: a ping every hello.heartbeat.pingSeconds; when nothing at all comes back within pongTimeoutSeconds
   * the line is dead although the browser did not notice (a silent drop): give this socket up and reconnect.
   */
  function startHeartbeat(ws) {
    let lastPing = Date.now();
    state.pingSentAt = 0;
    const timer = setInterval(() => {
      if (state.ws !== ws) { clearInterval(timer); return; }
      const hb = state.heartbeat || {};
      const now = Date.now();
      if (state.pingSentAt && now - state.pingSentAt > (hb.pongTimeoutSeconds || 10) * 1000) {
        clearInterval(timer);
        dropSocket();
        state.retry = Math.max(state.retry, 1);
        renderConn();
        reconnectLater();
        return;
      }
      if (ws.readyState === WebSocket.OPEN && now - lastPing >= (hb.pingSeconds || 15) * 1000) {
        lastPing = now;
        if (!state.pingSentAt) { state.pingSentAt = now; }
        ws.send(JSON.stringify({ type: 'ping' }));
      }
    }, 500);
  }
  function dropSocket() {
    const ws = state.ws;
    state.ws = null;
    state.live = false;
    if (ws) { try { ws.close(); } catch (e) { /* already closing */ } }
  }
  /**
   * A refused handshake looks like any other drop, so ask whether the session still lives before trying again:
   * an ended session shows the sign-in screen instead of "niet verbonden" for ever. The check is background.
   */
  async function reconnectLater() {
    if (!state.wantSocket) { return; }
    const me = await api('GET', '/api/me', undefined, true);
    if (me.status === 401 || !state.wantSocket) { return; } // api() showed the sign-in screen
    state.retry = Math.min(state.retry + 1, 6);
    clearTimeout(state.reconnectTimer);
    state.reconnectTimer = setTimeout(connect, Math.min(10000, 500 * state.retry));
  }
  function renderConn() {
    const c = $('conn');
    if (!state.wantSocket && !state.ws) { c.textContent = state.sessionOver ? 'uitgelogd' : ''; return; }
    const waiting = Array.from(state.chats.values()).reduce((n, ch) => n + ch.outbox.size, 0);
    c.textContent = state.live ? 'verbonden' : (state.ws && state.retry === 0 ? 'verbinden…'
      : 'Geen verbinding, we proberen het opnieuw' + (waiting ? ' (' + waiting + ' bericht(en) wachten)' : ''));
    c.classList.toggle('offline', !state.live && state.retry > 0);
  }
  // The browser says the network is gone: the socket is dead even if TCP has not noticed yet.
  window.addEventListener('offline', () => {
    if (state.ws) { dropSocket(); renderConn(); reconnectLater(); }
  });
  window.addEventListener('online', () => {
    if (state.wantSocket && !state.ws) { state.retry = 0; connect(); }
  });
  function send(frame) {
    if (state.ws && state.ws.readyState === WebSocket.OPEN) { state.ws.send(JSON.stringify(frame)); return true; }
    return false;
  }

  function onFrame(f) {
    switch (f.type) {
      case 'hello':
        state.outcomes = f.outcomes || []; state.tags = f.tags || [];
        state.overrideReasons = f.overrideReasons || [];
        state.heartbeat = f.heartbeat;
        state.live = true; state.retry = 0; renderConn();
        state.chats.forEach((c) => fillSelects(c));
        break;
      case 'chats': resync(f.conversationIds || []); break;
      case 'deleted': chatDeleted(f.conversationId); break;
      case 'counselor-rule': systemLine(f.conversationId, f.rule === 'U1'
        ? 'Suïciderisico gemarkeerd: de bezoeker ziet de 113-kaart, prioriteit P0, leidinggevende gewaarschuwd.'
        : 'Regel ' + f.rule + ' toegepast.'); break;
      case 'override': systemLine(f.conversationId, 'Route aangepast naar ' + helpPointName(f.helpPoint) + ' ('
        + (OVERRIDE_NL[f.reason] || f.reason) + ').'); break;
      case 'alert': supervisorAlert(f); break;
      case 'reassigned': case 'closed-abuse': case 'p0-confirmed': refreshBoard(); break;
      case 'queue': setQueue(f.items || []); break;
      case 'inbox': refreshInbox(f.conversationId); break;
      case 'assigned': openChat(f); break;
      case 'message': addMessage(f); break;
      case 'note': addNote(f); break;
      case 'ack': ackMessage(f); break;
      case 'typing': showTyping(f.conversationId); break;
      case 'closed': chatClosed(f); break;
      case 'released': chatEnded(f.conversationId, releasedText(f.reason)); break;
      case 'referral': referralState(f); break;
      case 'transfer-offered': transferOffered(f); break;
      case 'transfer-declined': transferDeclined(f); break;
      case 'transfer-offer': showOffer(f); break;
      case 'transfer-offer-ended': offerEnded(f); break;
      case 'visitor-disconnected': systemLine(f.conversationId, 'Bezoeker is (even) weg.'); break;
      case 'visitor-paused': visitorPause(f.conversationId, true); break;
      case 'visitor-back': visitorPause(f.conversationId, false); break;
      case 'status': $('status').value = f.status; break;
      case 'error': showError(f); break;
      default: break;
    }
  }
  /** Closed by the counselor, a supervisor or the system; or ended by the visitor, then the outcome is still due. */
  function chatClosed(f) {
    const chat = state.chats.get(f.conversationId);
    if (chat && chat.needsOutcome && f.by === 'counselor') { outcomeRecorded(chat, f.outcome); return; }
    chatEnded(f.conversationId, f.by === 'visitor' ? (f.outcomePending
      ? 'De bezoeker is weg: het gesprek is beëindigd. Kies nog een uitkomst om het af te sluiten.'
      : 'De bezoeker heeft het gesprek beëindigd.')
      : 'Gesprek gesloten (' + outcomeLabel(f.outcome || '') + ').', !!f.outcomePending);
  }
  function releasedText(reason) {
    return { transferred: 'Overgedragen.', referred: 'Doorverwezen met toestemming.', requeued: 'Terug in de wachtrij.',
      left: 'Gestopt met meekijken.' }[reason] || 'Gesprek is niet meer bij jou.';
  }
  function showError(f) {
    const text = f.message || f.code;
    const chat = f.conversationId && state.chats.get(f.conversationId);
    if (chat && f.clientId && chat.outbox.has(f.clientId)) {
      // This one message was refused or failed: mark it, the rest of the chat goes on.
      markFailed(chat, chat.outbox.get(f.clientId), f.code !== 'closed' && f.code !== 'not_yours');
      return;
    }
    if (chat) { systemLine(f.conversationId, text); }
    $('app-error').textContent = text;
    setTimeout(() => { $('app-error').textContent = ''; }, 6000);
  }

  // ---- timers: computed in the page from "since", so they keep ticking without any frame from the server --------
  /** A timer element: counts up from since (ms), coloured against the help point's target for that priority. */
  function timerNode(since, target, prefix) {
    const t = el('span', '', 'timer');
    t.dataset.since = String(since);
    if (target) { t.dataset.target = String(target); }
    t.dataset.prefix = prefix || 'wacht ';
    updateTimer(t, Date.now());
    return t;
  }
  function updateTimer(t, now) {
    const secs = Math.max(0, (now - Number(t.dataset.since)) / 1000);
    const target = Number(t.dataset.target || 0);
    let cls = 'timer';
    let suffix = '';
    if (target) {
      if (secs > target) { cls += ' t-over'; suffix = ' – te lang (doel ' + minutes(target) + ')'; }
      else if (secs >= target * 0.75) { cls += ' t-warn'; suffix = ' – bijna te lang'; }
      else { cls += ' t-ok'; }
    }
    t.className = cls;
    t.textContent = t.dataset.prefix + minutes(secs) + suffix;
  }
  function tick() {
    const now = Date.now();
    document.querySelectorAll('.timer[data-since]').forEach((t) => updateTimer(t, now));
    // Overdue P0/P1 chats (queue and board from the same items) are recomputed too.
    state.queue.forEach((i) => {
      const over = i.priority <= 1 && i.targetSeconds && (now - i.since) / 1000 > i.targetSeconds;
      if (i.node) { i.node.classList.toggle('overdue', !!over); }
    });
    const key = overdueItems(now).map((i) => i.conversationId).join(',');
    if (key !== state.overdueKey) { state.overdueKey = key; renderBoardQueue(); }
  }
  setInterval(tick, 1000);
  function overdueItems(now) {
    return state.queue.filter((i) => i.priority <= 1 && i.targetSeconds && (now - i.since) / 1000 > i.targetSeconds);
  }

  // ---- queue ----------------------------------------------------------------------------------------------------
  function setQueue(items) {
    const now = Date.now();
    const fresh = items.filter((i) => !state.queueIds.has(i.conversationId));
    state.queue = items.map((i) => Object.assign({}, i, { since: now - (Number(i.waitingSeconds) || 0) * 1000 }));
    state.queueIds = new Set(items.map((i) => i.conversationId));
    renderQueue();
    renderBoardQueue();
    renderTitle();
    if (fresh.length && state.live) {
      beep();
      notify('Nieuw gesprek in de wachtrij (' + PRIO[fresh[0].priority] + ').', 'queue');
    }
  }
  function renderQueue() {
    const ul = $('queue');
    ul.replaceChildren();
    $('queue-count').textContent = state.queue.length;
    state.queue.forEach((i) => {
      const li = el('li', null, 'p' + i.priority);
      i.node = li;
      li.dataset.conversationId = i.conversationId;
      li.append(prioBadge(i.priority), ' ', el('strong', shortLabel(i.conversationId)), ' ',
        el('span', i.helpPointName || i.helpPoint, 'muted'), el('br'), timerNode(i.since, i.targetSeconds));
      modeFlags(i).forEach((f) => li.append(' ', f));
      const row = el('div', null, 'row');
      row.append(button('Bekijk', 'preview-btn', () => preview(i.conversationId)),
        button('Aannemen', 'take-btn', () => takeChat(i.conversationId)));
      li.append(row);
      ul.append(li);
    });
    tick();
  }
  // ---- message inbox (issue 19) ---------------------------------------------------------------------------------
  /** Re-reads the list; the open thread is re-read too when the change was about it. */
  async function refreshInbox(changedId) {
    const res = await api('GET', '/api/inbox', undefined, true);
    if (res.status !== 200) { return; }
    state.inbox = res.data.inbox || [];
    renderInboxList();
    if (state.inboxOpen && (!changedId || changedId === state.inboxOpen)) {
      if (state.inbox.some((i) => i.conversationId === state.inboxOpen)) { openThread(state.inboxOpen); }
      else { closeThread(); }
    }
  }
  function renderInboxList() {
    const ul = $('inbox');
    ul.replaceChildren();
    $('inbox-count').textContent = state.inbox.filter((i) => i.waiting).length;
    state.inbox.forEach((i) => {
      const li = el('li', null, 'p' + i.priority);
      li.dataset.conversationId = i.conversationId;
      li.dataset.waiting = String(!!i.waiting);
      li.append(prioBadge(i.priority), ' ', el('strong', shortLabel(i.conversationId)), ' ',
        el('span', i.helpPointName || i.helpPoint, 'muted'), el('br'),
        el('span', (i.waiting ? 'Wacht op antwoord' : 'Beantwoord') + ' · ' + clock(i.lastAt || i.leftAt),
          i.waiting ? 'waiting' : 'muted'));
      if (i.visitorHere) { li.append(' ', el('span', 'Bezoeker is er nu', 'badge here')); }
      const row = el('div', null, 'row');
      row.append(button('Openen', 'inbox-open-btn', () => openThread(i.conversationId)));
      li.append(row);
      ul.append(li);
    });
  }
  function closeThread() {
    state.inboxOpen = null;
    $('inbox-thread').hidden = true;
    $('inbox-thread').replaceChildren();
  }
  /** Opening a thread is a transcript read: the server writes an access-log row for it. */
  async function openThread(id) {
    const res = await api('GET', '/api/inbox/' + encodeURIComponent(id));
    const box = $('inbox-thread');
    if (res.status !== 200) { closeThread(); return; }
    const keepDraft = state.inboxOpen === id && box.querySelector('.inbox-text')
      ? box.querySelector('.inbox-text').value : '';
    state.inboxOpen = id;
    box.replaceChildren();
    box.dataset.conversationId = id;
    box.append(el('h3', 'Bericht: ' + shortLabel(id)), intakeCard(res.data));
    const list = el('ol', null, 'messages');
    (res.data.messages || []).forEach((m) => {
      const li = messageNode(m.from, m.body, (m.from === 'visitor' ? 'Bezoeker' : 'Hulpverlener') + ' · '
        + new Date(m.at).toLocaleString('nl-NL', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }));
      li.dataset.seq = String(m.seq);
      list.append(li);
    });
    box.append(list);
    const text = el('textarea', null, 'inbox-text');
    text.rows = 4;
    text.maxLength = 4000;
    text.value = keepDraft;
    text.setAttribute('aria-label', 'Antwoord');
    const status = el('p', '', 'inbox-status small');
    status.setAttribute('role', 'status');
    const sendBtn = button('Antwoord versturen', 'inbox-send', () => replyThread(id, text, status, sendBtn));
    box.append(text, sendBtn, status);
    const item = (state.inbox || []).find((i) => i.conversationId === id);
    if (item && item.visitorHere) {
      box.append(el('p', 'De bezoeker is nu op de pagina.', 'small'),
        button('Live chat beginnen', 'inbox-take', () => takeThread(id, status)));
    }
    box.append(button('Sluiten', 'quiet inbox-close', closeThread));
    box.hidden = false;
  }
  async function replyThread(id, text, status, sendBtn) {
    const body = text.value.trim();
    if (!body) { text.focus(); return; }
    if (!text.dataset.clientId || text.dataset.body !== body) { text.dataset.clientId = newClientId(); text.dataset.body = body; }
    sendBtn.disabled = true;
    status.textContent = 'Wordt verstuurd…';
    const res = await api('POST', '/api/inbox/' + encodeURIComponent(id) + '/reply',
      { clientId: text.dataset.clientId, body });
    sendBtn.disabled = false;
    if (res.status === 200) {
      text.value = '';
      delete text.dataset.clientId;
      openThread(id);
    } else {
      // Not stored: the text stays, a retry keeps the client id (stored at most once).
      status.textContent = 'Niet verstuurd: ' + (res.data.message || 'geen verbinding') + ' Probeer het opnieuw.';
    }
  }
  async function takeThread(id, status) {
    state.activateNext = id;
    const res = await api('POST', '/api/inbox/' + encodeURIComponent(id) + '/take', {});
    if (res.status === 200) { closeThread(); refreshInbox(); } else {
      status.textContent = res.data.message || 'Dat lukte niet.';
    }
  }

  function takeChat(id) {
    state.activateNext = id || 'next';
    send(id ? { type: 'take', conversationId: id } : { type: 'take' });
  }
  $('take-next').addEventListener('click', () => takeChat(null));

  async function preview(id) {
    const res = await api('GET', '/api/conversations/' + encodeURIComponent(id));
    const box = $('preview');
    box.replaceChildren();
    if (res.status !== 200) { box.hidden = true; return; }
    box.append(el('h3', 'Voorbeeld: ' + shortLabel(id)), intakeCard(res.data));
    box.hidden = false;
  }

  // ---- readable intake ------------------------------------------------------------------------------------------
  function modeFlags(c) {
    const out = [];
    const skills = c.skills || [];
    if (c.easyLanguage || skills.indexOf('easy_language') >= 0) { out.push(el('span', 'makkelijke taal', 'flag')); }
    // Issue 23: the visitor's language when it is not Dutch (the chat prefers a counselor who speaks it).
    const LANG_FLAGS = { english: 'Engels', arabic: 'Arabisch', turkish: 'Turks', polish: 'Pools', ukrainian: 'Oekraïens' };
    Object.keys(LANG_FLAGS).forEach((k) => { if (skills.indexOf(k) >= 0) { out.push(el('span', LANG_FLAGS[k], 'flag')); } });
    return out;
  }
  function outcomeLabel(code) {
    const l = state.labels && state.labels.outcomes && state.labels.outcomes[code];
    return l ? (l[state.lang] || l.nl) : ((OUTCOME[state.lang] || OUTCOME.nl)[code] || code);
  }
  function tagLabel(code) {
    const l = state.labels && state.labels.tags && state.labels.tags[code];
    return l ? (l[state.lang] || l.nl) : code.replace(/_/g, ' ');
  }
  function labelOf(kind, key, code) {
    const l = state.labels && state.labels[kind] && state.labels[kind][key];
    if (!l) { return null; }
    const v = code === undefined ? l : (l.answers || {})[code];
    return v ? (v[state.lang] || v.nl) : null;
  }
  function intakeCard(c) {
    const dl = el('dl');
    const add = (k, v, cls) => { dl.append(el('dt', k), el('dd', v, cls)); };
    const intake = c.intake || {};
    const en = state.lang === 'en';
    add(en ? 'Help point' : 'Hulppunt', c.helpPointName || c.helpPoint);
    add(en ? 'Priority' : 'Prioriteit', PRIO[c.priority] + (c.overdue ? (en ? ' (waited too long)' : ' (te lang gewacht)') : ''));
    const mode = intake.lang || (intake.answers || {}).lang;
    add(en ? 'Visitor reads' : 'Bezoeker leest', { nl_easy: en ? 'easy-read Dutch' : 'makkelijke taal',
      en: en ? 'English' : 'Engels', nl: en ? 'Dutch' : 'Nederlands', ar: en ? 'Arabic' : 'Arabisch',
      tr: en ? 'Turkish' : 'Turks', pl: en ? 'Polish' : 'Pools', uk: en ? 'Ukrainian' : 'Oekraïens' }[mode] || (c.easyLanguage
      ? (en ? 'easy-read Dutch' : 'makkelijke taal') : (en ? 'Dutch' : 'Nederlands')), 'mode');
    if (intake.emergency) { add(en ? 'Danger' : 'Gevaar', en ? 'YES – 112 advice was shown' : 'JA – 112-advies is getoond', 'danger'); }
    const rule = intake.rule;
    if (rule === 'chosen_by_visitor') {
      add('Route', en ? 'chosen by the visitor' : 'door de bezoeker gekozen');
    } else if (rule) {
      add('Route', (c.helpPointName || c.helpPoint) + (en ? ' (rule ' : ' (regel ') + rule + ')');
      const why = labelOf('rules', rule);
      if (why) { add(en ? 'Why' : 'Waarom', why); }
    }
    const also = Array.from(new Set((intake.suggested || []).concat(intake.alsoOffer || [])))
      .filter((h) => h !== c.helpPoint);
    if (also.length) { add(en ? 'Also offered' : 'Ook mogelijk', also.map(hpName).join(', ')); }
    if ((intake.counselorRules || []).indexOf('U1') >= 0) {
      add(en ? 'Suicide risk' : 'Suïciderisico', en ? 'YES – 113 card shown (P0)' : 'JA – 113-kaart getoond (P0)', 'danger');
    }
    (intake.overrides || []).forEach((o) => add(en ? 'Route changed' : 'Route aangepast', hpName(o.helpPoint) + ' ('
      + (OVERRIDE_NL[o.reason] || o.reason) + ')'));
    const answers = intake.answers || {};
    Object.keys(answers).filter((k) => k !== 'lang' && k !== 'easy').forEach((k) => {
      const v = answers[k];
      const vals = (Array.isArray(v) ? v : [v]).map((x) => labelOf('questions', k, String(x)) || String(x));
      add(labelOf('questions', k) || k, vals.join(', '));
    });
    const wrap = el('div', null, 'card');
    wrap.append(dl);
    return wrap;
  }
  function helpPointName(id) { return hpName(id); }
  function hpName(id) {
    const h = state.helpPoints.find((x) => x.id === id);
    return h ? h.name : ((state.labels && state.labels.helpPoints && state.labels.helpPoints[id]) || id);
  }
  function renderIntake(chat) {
    if (chat.deleted) { return; }
    const card = intakeCard(chat.card);
    card.classList.add('intake');
    chat.root.querySelector('.intake').replaceWith(card);
  }
  $('lang-btn').addEventListener('click', () => {
    state.lang = state.lang === 'nl' ? 'en' : 'nl';
    $('lang-btn').textContent = state.lang === 'nl' ? 'English' : 'Nederlands';
    $('lang-btn').lang = state.lang === 'nl' ? 'en' : 'nl';
    state.chats.forEach((c) => { renderIntake(c); fillSelects(c); });
  });

  // ---- conversation list ----------------------------------------------------------------------------------------
  function renderList() {
    $('no-chats').hidden = state.chats.size > 0;
    $('no-chat').hidden = !!state.active;
    renderTitle();
  }
  function renderItem(chat) {
    const b = chat.item.querySelector('.chat-link');
    b.replaceChildren();
    const unread = el('span', chat.unread ? String(chat.unread) : '', 'unread');
    unread.hidden = !chat.unread;
    if (chat.unread) { unread.append(el('span', ' ongelezen', 'sr-only')); }
    b.append(prioBadge(chat.card.priority), el('span', shortLabel(chat.id), 'label'), unread,
      where(chat));
    if (chat.needsOutcome) {
      b.append(el('span', 'bezoeker is weg · uitkomst nodig', 'timer visitor-gone'));
    } else if (chat.ended) {
      b.append(el('span', 'beëindigd', 'timer'));
    } else if (chat.waitingSince) {
      b.append(timerNode(chat.waitingSince, chat.card.targetSeconds, 'wacht op antwoord '));
    } else {
      b.append(el('span', chat.lastAt ? 'laatste bericht ' + clock(chat.lastAt) : 'nog geen berichten', 'timer'));
    }
    chat.item.classList.toggle('has-unread', chat.unread > 0);
    chat.item.classList.toggle('ended', chat.ended);
    chat.item.classList.toggle('active', state.active === chat.id);
    b.setAttribute('aria-current', state.active === chat.id ? 'true' : 'false');
  }
  function where(chat) {
    const w = el('span', (chat.card.helpPointName || chat.card.helpPoint) + (chat.observer ? ' · meekijken' : '')
      + (chat.ended ? ' · beëindigd' : ''), 'where');
    modeFlags(chat.card).forEach((f) => w.append(' ', f));
    return w;
  }
  function activate(id) {
    const chat = state.chats.get(id);
    if (!chat) { return; }
    state.active = id;
    state.chats.forEach((c) => {
      c.root.classList.toggle('active', c.id === id);
      renderItem(c);
    });
    markRead(chat);
    renderList();
    const list = chat.root.querySelector('.messages');
    list.scrollTop = list.scrollHeight;
  }
  function markRead(chat) {
    if (!chat || !chat.unread || document.visibilityState !== 'visible') { return; }
    chat.unread = 0;
    renderItem(chat);
    renderTitle();
  }
  function cycle(step) {
    const ids = Array.from(state.chats.keys());
    if (!ids.length) { return; }
    const at = ids.indexOf(state.active);
    const next = ids[(at + step + ids.length) % ids.length];
    activate(next);
    const ta = state.chats.get(next).root.querySelector('.text');
    if (!ta.closest('[hidden]')) { ta.focus(); }
  }

  // ---- keyboard shortcuts (Alt+key by code, so they work on every keyboard layout) ------------------------------
  document.addEventListener('keydown', (ev) => {
    if (!ev.altKey || ev.ctrlKey || ev.metaKey || $('app').hidden) { return; }
    const chat = state.active && state.chats.get(state.active);
    switch (ev.code) {
      case 'ArrowDown': ev.preventDefault(); cycle(1); break;
      case 'ArrowUp': ev.preventDefault(); cycle(-1); break;
      case 'KeyN': ev.preventDefault(); takeChat(null); break;
      case 'KeyK':
        if (chat && !chat.ended) { ev.preventDefault(); chat.root.querySelector('.canned').focus(); }
        break;
      case 'KeyW':
        if (chat && !chat.observer) {
          ev.preventDefault();
          chat.root.querySelector('details.actions').open = true;
          chat.root.querySelector('.outcome').focus();
        }
        break;
      default: break;
    }
  });

  // ---- chats ----------------------------------------------------------------------------------------------------
  function openChat(f) {
    let chat = state.chats.get(f.conversationId);
    if (chat && f.outcomePending) { return; }
    if (chat) {
      chat.observer = !!f.observer;
      chat.root.classList.toggle('observing', chat.observer);
      return;
    }
    const node = $('chat-template').content.firstElementChild.cloneNode(true);
    node.dataset.conversationId = f.conversationId;
    const item = el('li');
    item.dataset.conversationId = f.conversationId;
    const link = button('', 'chat-link', () => activate(f.conversationId));
    item.append(link);
    chat = { id: f.conversationId, root: node, item, card: f, observer: !!f.observer, seen: new Set(),
      typingTimer: null, ended: false, outbox: new Map(), unread: 0, lastAt: null, waitingSince: null };
    state.chats.set(f.conversationId, chat);
    const q = (s) => node.querySelector(s);
    q('.chat-title').textContent = shortLabel(f.conversationId);
    q('.chat-sub').replaceChildren(prioBadge(f.priority), ' ' + (f.helpPointName || f.helpPoint));
    modeFlags(f).forEach((m) => q('.chat-sub').append(' ', m));
    renderIntake(chat);
    node.querySelector('.intake').after(routingActions(chat, f));
    node.classList.toggle('observing', chat.observer);
    q('.observer-flag').hidden = !chat.observer;
    q('.chat-leave').hidden = !chat.observer;
    q('.compose').hidden = chat.observer;
    fillSelects(chat);
    q('.send').addEventListener('click', () => sendMessage(chat));
    q('.text').addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.altKey) { ev.preventDefault(); sendMessage(chat); return; }
      const now = Date.now();
      if (!chat.lastTyping || now - chat.lastTyping > 2000) { chat.lastTyping = now; send({ type: 'typing', conversationId: chat.id }); }
    });
    q('.canned').addEventListener('change', (ev) => {
      const c = state.canned.find((x) => String(x.id) === ev.target.value);
      if (c) { q('.text').value = c.body; q('.text').focus(); }
      ev.target.value = '';
    });
    q('.whisper-send').addEventListener('click', () => {
      const body = q('.whisper-text').value.trim();
      if (body) { send({ type: 'whisper', conversationId: chat.id, body }); q('.whisper-text').value = ''; }
    });
    q('.chat-leave').addEventListener('click', () => send({ type: 'leave', conversationId: chat.id }));
    // The transfer list shows colleagues' load as it is now, not as it was at sign-in.
    q('details.actions').addEventListener('toggle', (ev) => { if (ev.target.open) { refreshStaff(); } });
    q('.transfer-to').addEventListener('focus', refreshStaff);
    q('.transfer').addEventListener('click', () => {
      const to = q('.transfer-to').value;
      if (!to) { return; }
      const frame = { type: 'transfer', conversationId: chat.id, note: q('.transfer-note').value };
      if (to === 'queue') { frame.toQueue = true; } else { frame.toStaffId = Number(to); }
      if (send(frame) && to !== 'queue') { transferState(chat.id, 'Overdracht wordt aangeboden…'); }
    });
    q('.refer').addEventListener('click', () => {
      const hp = q('.refer-to').value;
      const note = q('.refer-note').value.trim();
      if (hp) { send(note ? { type: 'refer', conversationId: chat.id, helpPoint: hp, note }
        : { type: 'refer', conversationId: chat.id, helpPoint: hp }); }
    });
    q('.close').addEventListener('click', () => {
      const outcome = q('.outcome').value;
      if (!outcome) {
        q('.close-error').textContent = 'Kies eerst een uitkomst.';
        q('.outcome').focus();
        return;
      }
      q('.close-error').textContent = '';
      const tags = Array.from(node.querySelectorAll('.tags input:checked')).map((i) => i.value);
      send({ type: 'close', conversationId: chat.id, outcome, tags });
    });
    $('chats').append(node);
    $('chat-list').append(item);
    const wanted = state.activateNext === f.conversationId || state.activateNext === 'next';
    if (wanted) { state.activateNext = null; }
    if (!state.active || wanted) {
      activate(f.conversationId);
    } else {
      // A chat arrived in the background (auto-assignment): tell, but do not pull the counselor out of a chat.
      chat.unread = 1;
      renderItem(chat);
      beep();
      notify('Nieuw gesprek: ' + shortLabel(f.conversationId) + ' (' + PRIO[f.priority] + ').', f.conversationId);
    }
    if (f.outcomePending) {
      // After a reload: the visitor ended this chat earlier and its outcome is still due.
      chatEnded(f.conversationId, 'De bezoeker is weg: het gesprek is beëindigd. Kies nog een uitkomst om het af te '
        + 'sluiten.', true);
    }
    renderList();
  }

  function fillSelects(chat) {
    const q = (s) => chat.root.querySelector(s);
    const canned = q('.canned');
    canned.replaceChildren(new Option('Standaardtekst…', ''));
    state.canned.forEach((c) => canned.append(new Option(c.title, String(c.id))));
    fillTransfer(chat);
    const rf = q('.refer-to');
    const referTo = rf.value;
    rf.replaceChildren(new Option('Doorverwijzen naar…', ''));
    state.helpPoints.filter((h) => !h.own).forEach((h) => rf.append(new Option(h.name, h.id)));
    rf.value = referTo;
    const oc = q('.outcome');
    const chosen = oc.value;
    // No default: closing needs a deliberate choice.
    oc.replaceChildren(new Option('Kies een uitkomst…', ''));
    (state.outcomes.length ? state.outcomes : Object.keys(OUTCOME.nl)).forEach((o) => oc.append(new Option(outcomeLabel(o), o)));
    oc.value = chosen;
    const tags = q('.tags');
    const checked = new Set(Array.from(tags.querySelectorAll('input:checked')).map((i) => i.value));
    tags.replaceChildren();
    state.tags.forEach((t) => {
      const label = el('label', null, 'tag');
      const cb = document.createElement('input');
      cb.type = 'checkbox'; cb.value = t; cb.checked = checked.has(t);
      label.append(cb, ' ' + tagLabel(t));
      tags.append(label);
    });
  }
  /** Colleagues with their load, status and presence; the choice made so far is kept. */
  function fillTransfer(chat) {
    const tr = chat.root.querySelector('.transfer-to');
    const keep = tr.value;
    tr.replaceChildren(new Option('Overdragen aan…', ''), new Option('Terug naar de wachtrij', 'queue'));
    state.staff.forEach((s) => tr.append(new Option(s.displayName + ' – ' + s.load + '/' + s.capacity + ' gesprekken'
      + (s.online ? '' : ', offline') + (s.status && s.status !== 'available' ? ', ' + statusNl(s.status) : ''),
      String(s.id))));
    tr.value = keep;
  }

  // ---- outbox: a message is "verzenden…" until its ack, resent with the same clientId after a reconnect ----------
  function newClientId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return 'c-' + Array.from(bytes, (b) => ('0' + b.toString(16)).slice(-2)).join('');
  }
  /** One message line: who (for screen readers), the text (bidi-isolated), and a meta line (time or state). */
  function messageNode(from, body, meta) {
    const li = el('li', null, from);
    const who = { visitor: 'Bezoeker', counselor: 'Hulpverlener', system: 'Systeem' }[from] || from;
    li.append(el('span', who + ': ', 'sr-only'), el('bdi', body, 'body'), el('span', meta || '', 'meta'));
    return li;
  }
  function sendMessage(chat) {
    const ta = chat.root.querySelector('.text');
    const body = ta.value.trim();
    if (!body || chat.ended || chat.observer) { return; }
    const item = { clientId: newClientId(), body, failed: false, timer: null, li: messageNode('counselor', body) };
    item.li.classList.add('pending');
    item.li.dataset.clientId = item.clientId;
    chat.outbox.set(item.clientId, item);
    const list = chat.root.querySelector('.messages');
    list.append(item.li);
    list.scrollTop = list.scrollHeight;
    ta.value = '';
    chat.waitingSince = null;
    chat.lastAt = Date.now();
    renderItem(chat);
    transmit(chat, item);
    renderConn();
  }
  /** Sends an outbox item if the socket is live; otherwise it waits for the next "chats" frame after a reconnect. */
  function transmit(chat, item) {
    item.failed = false;
    item.li.classList.remove('failed');
    item.li.classList.add('pending');
    item.li.querySelector('.meta').replaceChildren('verzenden…');
    clearTimeout(item.timer);
    if (!state.live) { return; }
    if (send({ type: 'message', conversationId: chat.id, clientId: item.clientId, body: item.body })) {
      item.timer = setTimeout(() => { if (chat.outbox.get(item.clientId) === item) { markFailed(chat, item, true); } },
        ACK_TIMEOUT_MS);
    }
  }
  function markFailed(chat, item, canRetry) {
    clearTimeout(item.timer);
    item.failed = true;
    item.li.classList.remove('pending');
    item.li.classList.add('failed');
    const meta = item.li.querySelector('.meta');
    if (canRetry) {
      meta.replaceChildren(button('niet verzonden — opnieuw?', 'retry', () => transmit(chat, item)));
    } else {
      meta.replaceChildren('niet verzonden');
    }
  }
  function markSent(chat, clientId, seq, at) {
    const item = chat.outbox.get(clientId);
    if (item) { clearTimeout(item.timer); chat.outbox.delete(clientId); }
    const li = item ? item.li : chat.root.querySelector('li[data-client-id="' + CSS.escape(clientId) + '"]');
    if (li) {
      li.classList.remove('pending', 'failed');
      li.dataset.seq = seq;
      placeBySeq(li);
      li.querySelector('.meta').replaceChildren(clock(at) + ' · verzonden');
    }
    renderConn();
    return !!li;
  }
  function clearOutbox(chat) {
    chat.outbox.forEach((item) => clearTimeout(item.timer));
  }
  /** After a (re)connect: resend what is unacknowledged in the chats the server says are still ours. */
  function resync(ids) {
    const held = new Set(ids);
    state.chats.forEach((chat) => {
      if (chat.ended) { return; }
      if (held.has(chat.id) && !chat.observer) {
        chat.outbox.forEach((item) => { if (!item.failed) { transmit(chat, item); } });
      } else {
        chatEnded(chat.id, chat.observer ? 'Meekijken gestopt (de verbinding was weg).'
          : 'Dit gesprek is niet meer bij jou (terug in de wachtrij, overgedragen of gesloten).');
      }
    });
  }

  function addMessage(f) {
    const chat = state.chats.get(f.conversationId);
    if (!chat || chat.seen.has(f.seq)) { return; }
    chat.seen.add(f.seq);
    // Our own message, stored before a drop swallowed its ack: this is its confirmation.
    if (f.clientId && f.from === 'counselor' && markSent(chat, f.clientId, f.seq, f.at)) { return; }
    const list = chat.root.querySelector('.messages');
    const li = messageNode(f.from, f.body, f.at ? clock(f.at) : '');
    li.dataset.seq = f.seq;
    list.append(li);
    placeBySeq(li);
    list.scrollTop = list.scrollHeight;
    const at = f.at ? Date.parse(f.at) : Date.now();
    chat.lastAt = at;
    if (f.from === 'visitor') {
      chat.root.querySelector('.typing').hidden = true;
      if (!chat.waitingSince) { chat.waitingSince = at; }
      // History sent again after a reload is not news; a message that arrives while the chat is not in view is.
      const news = at >= state.loadedAt - 5000;
      const inView = state.active === chat.id && document.visibilityState === 'visible';
      if (news && !inView) {
        chat.unread += 1;
        beep();
        notify('Nieuw bericht in ' + shortLabel(chat.id) + '.', chat.id);
      } else if (news && chat.observer === false) {
        beep();
      }
    } else {
      chat.waitingSince = null;
    }
    renderItem(chat);
    renderTitle();
  }
  /**
   * Keeps messages in seq order (issue 19: the visitor's page shows the same order after any reconnect): a stored
   * message moves before the first later one and before what is still being sent; notes and system lines stay put.
   */
  function placeBySeq(li) {
    const list = li.parentNode;
    if (!list) { return; }
    const seq = Number(li.dataset.seq);
    for (const other of list.children) {
      if (other === li) { continue; }
      const unsent = other.classList.contains('pending') || other.classList.contains('failed');
      if ((other.dataset.seq && Number(other.dataset.seq) > seq) || unsent) {
        if (other.compareDocumentPosition(li) & Node.DOCUMENT_POSITION_FOLLOWING) { list.insertBefore(li, other); }
        return;
      }
    }
  }
  function ackMessage(f) {
    const chat = state.chats.get(f.conversationId);
    if (!chat) { return; }
    chat.seen.add(f.seq);
    markSent(chat, f.clientId, f.seq, null);
  }
  function addNote(f) {
    const chat = state.chats.get(f.conversationId);
    if (!chat) { return; }
    const label = { transfer: 'Overdrachtsnotitie van ', handover: 'Doorverwezen door ' }[f.kind]
      || 'Gefluisterd door ';
    const li = el('li', null, 'note');
    li.append(el('span', label + f.from + ': '), el('bdi', f.body, 'body'),
      el('span', f.at ? clock(f.at) : '', 'meta'));
    chat.root.querySelector('.messages').append(li);
  }
  /** Issue 19: the visitor tapped "ik kan nu even niet praten"; the chat stays open and keeps its place. */
  function visitorPause(id, paused) {
    const chat = state.chats.get(id);
    if (!chat) { return; }
    if (paused === !!chat.paused) { return; }
    chat.paused = paused;
    chat.root.classList.toggle('paused', paused);
    chat.item.classList.toggle('paused', paused);
    let flag = chat.root.querySelector('.pause-flag');
    if (paused && !flag) {
      flag = el('p', 'Bezoeker heeft even pauze', 'pause-flag');
      flag.setAttribute('role', 'status');
      chat.root.prepend(flag);
    } else if (!paused && flag) {
      flag.remove();
    }
    systemLine(id, paused ? 'Bezoeker heeft even pauze. Het gesprek blijft open.' : 'Bezoeker is terug.');
  }
  function systemLine(id, text) {
    const chat = state.chats.get(id);
    if (chat) { chat.root.querySelector('.messages').append(messageNode('system', text, clock())); }
  }
  function showTyping(id) {
    const chat = state.chats.get(id);
    if (!chat) { return; }
    const t = chat.root.querySelector('.typing');
    t.hidden = false;
    clearTimeout(chat.typingTimer);
    chat.typingTimer = setTimeout(() => { t.hidden = true; }, 4000);
  }
  function referralState(f) {
    const chat = state.chats.get(f.conversationId);
    const text = { offered: 'Toestemming gevraagd aan de bezoeker…', accepted: 'Bezoeker gaf toestemming.',
      declined: 'Bezoeker wil niet doorverwezen worden; de infokaart is getoond.' }[f.state] || f.state;
    if (chat) { chat.root.querySelector('.referral-state').textContent = 'Doorverwijzing: ' + text; }
    refreshReferrals();
  }
  /**
   * The chat is over for this screen. needsOutcome: the visitor ended it and the counselor still records the
   * outcome (the close form stays; everything that talks to the visitor goes).
   */
  function chatEnded(id, text, needsOutcome) {
    const chat = state.chats.get(id);
    if (!chat || chat.ended) { return; }
    chat.ended = true;
    chat.needsOutcome = !!needsOutcome;
    chat.outbox.forEach((item) => markFailed(chat, item, false));
    systemLine(id, text);
    chat.root.classList.add('ended');
    chat.root.querySelector('.compose').hidden = true;
    chat.root.querySelector('.whisper-row').hidden = true;
    chat.root.querySelector('.typing').hidden = true;
    chat.root.querySelector('.routing-actions').hidden = true;
    if (needsOutcome) {
      // Only the outcome is left to do; the window stays until it is recorded.
      chat.root.querySelectorAll('.actions > .row:not(.close-row)').forEach((r) => { r.hidden = true; });
      chat.root.querySelector('.actions').open = true;
      chat.root.querySelector('.close').textContent = 'Uitkomst vastleggen';
    } else {
      chat.root.querySelector('.actions').hidden = true;
      addDismiss(chat);
    }
    renderItem(chat);
  }
  function addDismiss(chat) {
    chat.root.querySelector('.chat-head').append(' ', button('Sluit venster', 'dismiss', () => dismiss(chat)));
  }
  /** The outcome of a chat the visitor ended is stored: now it may go. */
  function outcomeRecorded(chat, outcome) {
    chat.needsOutcome = false;
    systemLine(chat.id, 'Uitkomst vastgelegd (' + outcomeLabel(outcome || '') + ').');
    chat.root.querySelector('.actions').hidden = true;
    addDismiss(chat);
    renderItem(chat);
  }
  function dismiss(chat) {
    clearOutbox(chat);
    chat.root.remove();
    chat.item.remove();
    state.chats.delete(chat.id);
    if (state.active === chat.id) {
      state.active = null;
      const next = state.chats.keys().next();
      if (!next.done) { activate(next.value); }
    }
    renderList();
  }
  /** The visitor deleted the conversation: its words leave this screen at once, and the composer closes. */
  function chatDeleted(id) {
    const chat = state.chats.get(id);
    if (!chat) { return; }
    clearOutbox(chat);
    chat.outbox.clear();
    chat.deleted = true;
    chat.unread = 0;
    chat.root.querySelectorAll('.messages, .intake, .typing, .referral-state').forEach((n) => n.replaceChildren());
    chatEnded(id, 'De bezoeker heeft het gesprek gewist.');
    chat.root.classList.add('deleted');
    renderTitle();
  }

  // ---- warm transfer: the sender waits for the colleague, who sees the offer with the intake and the note --------
  function transferState(id, text) {
    const chat = state.chats.get(id);
    if (chat) { chat.root.querySelector('.transfer-state').textContent = text; }
  }
  function transferOffered(f) {
    const chat = state.chats.get(f.conversationId);
    if (!chat) { return; }
    const p = chat.root.querySelector('.transfer-state');
    p.replaceChildren('Overdracht aangeboden aan ' + (f.to || 'je collega') + ': wacht op akkoord (max. '
      + f.expiresInSeconds + ' s). Het gesprek blijft tot dan bij jou. ',
    button('Intrekken', 'transfer-cancel', () => send({ type: 'transfer-cancel', conversationId: chat.id })));
  }
  function transferDeclined(f) {
    const why = { declined: 'Je collega heeft de overdracht geweigerd', timeout: 'Je collega reageerde niet op tijd',
      offline: 'Je collega is niet (meer) online', at_capacity: 'Je collega heeft geen ruimte meer',
      withdrawn: 'De overdracht is ingetrokken' }[f.reason] || 'De overdracht is niet gelukt';
    transferState(f.conversationId, why + '; het gesprek blijft bij jou.');
    systemLine(f.conversationId, why + '; het gesprek blijft bij jou.');
  }
  function showOffer(f) {
    const li = el('li', null, 'offer card');
    li.dataset.offerId = f.offerId;
    li.dataset.conversationId = f.conversationId;
    li.append(el('h3', shortLabel(f.conversationId) + ' van ' + f.from));
    if (f.note) {
      const p = el('p', 'Notitie: ');
      p.append(el('bdi', f.note, 'offer-note'));
      li.append(p);
    }
    li.append(intakeCard(f));
    const row = el('div', null, 'row');
    row.append(button('Accepteren', 'accept-offer', () => answerOffer(f, true)),
      button('Weigeren', 'decline-offer', () => answerOffer(f, false)));
    li.append(row);
    $('offers').append(li);
    $('offers-box').hidden = false;
    $('offers-state').textContent = '';
    beep();
    notify('Een collega wil een gesprek aan je overdragen.', 'offer-' + f.offerId);
  }
  function answerOffer(f, accept) {
    if (accept) { state.activateNext = f.conversationId; }
    send({ type: 'transfer-answer', offerId: f.offerId, conversationId: f.conversationId, accept });
  }
  function offerEnded(f) {
    const li = $('offers').querySelector('li[data-offer-id="' + CSS.escape(f.offerId) + '"]');
    if (li) { li.remove(); }
    $('offers-box').hidden = $('offers').children.length === 0;
    if (f.reason !== 'accepted' && f.reason !== 'declined') {
      $('offers-state').textContent = 'Een aangeboden overdracht (' + shortLabel(f.conversationId) + ') is vervallen.';
    }
  }

  // ---- routing actions: suicide risk (U1) and route override ---------------------------------------------------
  /** A small, self-contained control in the chat: mark suicide risk, or override the suggested route with a reason. */
  function routingActions(chat, f) {
    const box = el('details', null, 'routing-actions');
    box.append(el('summary', 'Route en veiligheid'));
    const risk = el('button', 'Suïciderisico: 113-kaart sturen (P0)', 'suicide-risk'); risk.type = 'button';
    risk.addEventListener('click', () => {
      if (window.confirm('De bezoeker krijgt de kaart van 113 Zelfmoordpreventie en je leidinggevende een melding. Doorgaan?')) {
        send({ type: 'suicide-risk', conversationId: chat.id });
      }
    });
    const to = document.createElement('select'); to.className = 'override-to'; to.setAttribute('aria-label', 'Andere route');
    const ids = new Set();
    to.append(new Option('Andere route…', ''));
    const intake = f.intake || {};
    (intake.suggested || []).concat(intake.alsoOffer || []).concat(state.helpPoints.map((h) => h.id)).forEach((id) => {
      if (!ids.has(id)) { ids.add(id); to.append(new Option(helpPointName(id), id)); }
    });
    const why = document.createElement('select'); why.className = 'override-reason'; why.setAttribute('aria-label', 'Reden');
    why.append(new Option('Reden…', ''));
    (state.overrideReasons.length ? state.overrideReasons : Object.keys(OVERRIDE_NL))
      .forEach((r) => why.append(new Option(OVERRIDE_NL[r] || r, r)));
    const go = el('button', 'Route aanpassen', 'override'); go.type = 'button';
    go.addEventListener('click', () => {
      if (to.value && why.value) { send({ type: 'override', conversationId: chat.id, helpPoint: to.value, reason: why.value }); }
    });
    const row = el('div', null, 'row');
    row.append(to, why, go);
    const riskRow = el('p', null, 'row');
    riskRow.append(risk);
    box.append(riskRow, row);
    return box;
  }

  /** Supervisor: an alert from a counselor (suicide risk), shown at the top of the board and in the error line. */
  function supervisorAlert(f) {
    const where = ' (' + helpPointName(f.helpPoint) + ', P' + f.priority + ')';
    const text = f.kind === 'suicide_risk' ? 'LET OP: suïciderisico gemeld door ' + (f.by || 'een hulpverlener')
      + ' (' + helpPointName(f.helpPoint) + ', P0)'
      : f.kind === 'target' ? 'LET OP: ' + PRIO[f.priority] + ' bij ' + helpPointName(f.helpPoint) + ' ('
        + shortLabel(f.conversationId) + ') haalt de doeltijd van ' + minutes(f.targetSeconds) + ' bijna niet'
      : f.kind === 'p0_held' ? 'LET OP: veel "in gevaar"-meldingen tegelijk; ' + shortLabel(f.conversationId)
        + ' wacht als P1 op jouw bevestiging'
      : f.kind === 'unanswered_assignment' ? 'LET OP: gesprek' + where + ' kreeg binnen ' + f.afterSeconds
        + ' s geen antwoord van ' + (f.counselor || 'de hulpverlener') + ' en staat weer vooraan in de wachtrij.'
      : f.kind === 'counselor_gone' ? 'LET OP: gesprek' + where + ' staat weer vooraan in de wachtrij: de console van '
        + 'de hulpverlener is weg.'
      : 'LET OP: ' + f.kind;
    const li = el('li', text, 'alert-live');
    li.dataset.conversationId = f.conversationId || '';
    li.dataset.kind = f.kind;
    const list = $('live-alerts') || (() => {
      const ul = el('ul', null, 'alerts'); ul.id = 'live-alerts'; ul.setAttribute('role', 'alert');
      $('app-error').after(ul);
      return ul;
    })();
    list.prepend(li);
    beep();
    notify(f.kind === 'suicide_risk' ? 'Melding: suïciderisico in een gesprek.' : 'Melding voor de leidinggevende.',
      'alert');
  }

  // ---- referrals and supervisor board ---------------------------------------------------------------------------
  async function refreshReferrals() {
    const res = await api('GET', '/api/referrals', undefined, true);
    if (res.status !== 200) { return; }
    const ul = $('referrals');
    ul.replaceChildren();
    const stateNl = { offered: 'gevraagd', accepted: 'toegestemd', declined: 'geweigerd', picked_up: 'opgepakt',
      closed: 'afgesloten' };
    (res.data.referrals || []).forEach((r) => {
      const li = el('li', (r.direction === 'sent' ? '→ ' + r.toOrg : '← ' + r.fromOrg) + ': '
        + (stateNl[r.state] || r.state) + ' · ' + shortLabel(r.conversationId));
      li.dataset.referralId = r.referralId;
      li.dataset.state = r.state;
      ul.append(li);
    });
  }

  /** The board's queue part is computed from the same queue items as the queue list, with the same timers. */
  function renderBoardQueue() {
    if ($('board').hidden) { return; }
    const now = Date.now();
    const alerts = $('board-alerts');
    alerts.replaceChildren();
    ((state.board && state.board.riskAlerts) || []).forEach((a) => alerts.append(el('li',
      'LET OP: suïciderisico in een gesprek bij ' + helpPointName(a.helpPoint) + ' (P0, '
      + (a.status === 'assigned' ? 'in gesprek' : 'wacht') + ')', 'alert-live')));
    overdueItems(now).forEach((a) => {
      const li = el('li', 'LET OP: ' + PRIO[a.priority] + ' bij ' + (a.helpPointName || a.helpPoint) + ' ('
        + shortLabel(a.conversationId) + ') ');
      li.append(timerNode(a.since, a.targetSeconds));
      alerts.append(li);
    });
    const groups = new Map();
    state.queue.forEach((i) => {
      const key = i.helpPoint + '/' + i.priority;
      const g = groups.get(key) || { helpPoint: i.helpPointName || i.helpPoint, priority: i.priority, waiting: 0,
        oldest: now, target: i.targetSeconds };
      g.waiting += 1;
      g.oldest = Math.min(g.oldest, i.since);
      groups.set(key, g);
    });
    const tbody = $('board-queues');
    tbody.replaceChildren();
    $('board-table').hidden = groups.size === 0;
    $('board-empty').hidden = groups.size > 0;
    groups.forEach((g) => {
      const tr = el('tr');
      const longest = el('td');
      longest.append(timerNode(g.oldest, g.target, ''));
      tr.append(el('td', g.helpPoint), el('td', PRIO[g.priority]), el('td', g.waiting), longest,
        el('td', g.target ? minutes(g.target) : '–'));
      tbody.append(tr);
    });
  }

  /** Issue 17: take over, or hand to a named colleague, one chat of the own organisation. */
  function supervisorControls(id) {
    const take = button('Overnemen', 'takeover-btn', () => {
      state.activateNext = id;
      send({ type: 'takeover', conversationId: id });
    });
    const move = button('Doorzetten…', 'reassign-btn', () => {
      const names = (state.board && state.board.counselors || []).map((c) => c.id + ' = ' + c.displayName).join(', ');
      const to = window.prompt('Naar welke collega (nummer)? ' + names, '');
      if (to && /^[0-9]+$/.test(to.trim())) {
        send({ type: 'reassign', conversationId: id, toStaffId: Number(to.trim()) });
      }
    });
    return [take, move];
  }

  /** Issue 17: targets missed right now, and P0 claims held at P1 after a flood (confirm, or close as abuse). */
  function renderSupervisorLists(b) {
    let box = $('board-control');
    if (!box) {
      box = el('section', null, 'board-control');
      box.id = 'board-control';
      $('board-alerts').after(box);
    }
    box.replaceChildren();
    if ((b.missed || []).length) {
      box.append(el('h3', 'Doeltijd nu gemist'));
      const ul = el('ul', null, 'alerts');
      b.missed.forEach((m) => {
        const li = el('li', PRIO[m.priority] + ' bij ' + helpPointName(m.helpPoint) + ' (' + shortLabel(m.conversationId)
          + ', ' + (m.status === 'assigned' ? 'toegewezen, nog geen antwoord' : 'wacht') + '): '
          + minutes(m.waitingSeconds) + ' / doel ' + minutes(m.targetSeconds) + ' ');
        li.dataset.conversationId = m.conversationId;
        li.append(...supervisorControls(m.conversationId));
        ul.append(li);
      });
      box.append(ul);
    }
    const held = b.heldP0 || [];
    if (held.length) {
      box.append(el('h3', '"In gevaar" wacht op bevestiging (' + held.length + ')'));
      const ul = el('ul');
      held.forEach((h) => {
        const li = el('li', shortLabel(h.conversationId) + ' · ' + helpPointName(h.helpPoint) + ' · '
          + minutes(h.waitingSeconds) + ' ');
        li.dataset.conversationId = h.conversationId;
        li.append(button('Bevestig P0', 'confirm-p0-btn', () => send({ type: 'confirm-p0',
          conversationId: h.conversationId })));
        ul.append(li);
      });
      box.append(ul, button('Sluit deze ' + held.length + ' als misbruik', 'close-abuse-btn', () => {
        if (window.confirm('Deze ' + held.length + ' gesprekken sluiten als misbruik?')) {
          send({ type: 'close-abuse', reason: 'misbruik', conversationIds: held.map((h) => h.conversationId) });
        }
      }));
    }
  }

  async function refreshBoard() {
    const res = await api('GET', '/api/board', undefined, true);
    if (res.status !== 200) { return; }
    const b = res.data;
    state.board = b;
    // Without a console socket (org admin) the board's own queue list is the source; with one, the pushed queue is.
    if (!state.wantSocket && Array.isArray(b.queue)) { setQueue(b.queue); }
    const staff = $('board-staff');
    staff.replaceChildren();
    (b.counselors || []).forEach((s) => staff.append(el('li', s.displayName + ' – ' + s.status
      + (s.online ? '' : ' (offline)') + ' – ' + s.load + '/' + s.capacity)));
    const active = $('board-active');
    active.replaceChildren();
    (b.active || []).forEach((a) => {
      const li = el('li', PRIO[a.priority] + ' ' + shortLabel(a.conversationId) + ' · ' + a.helpPoint + ' – '
        + a.counselor + ' ');
      const join = button('Meekijken', 'join-btn', () => {
        // Supervisor reads are logged with a reason (access log).
        const reason = window.prompt('Reden om mee te kijken (komt in het toegangslog):', '');
        if (reason && reason.trim()) {
          state.activateNext = a.conversationId;
          send({ type: 'join', conversationId: a.conversationId, reason: reason.trim() });
        }
      });
      li.dataset.conversationId = a.conversationId;
      li.append(join, ...supervisorControls(a.conversationId));
      active.append(li);
    });
    renderSupervisorLists(b);
    renderBoardQueue();
  }

  boot();
}());
