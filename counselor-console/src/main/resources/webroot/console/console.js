// Veilig Praten counselor console. Plain JS, no inline script (strict CSP); all text set with textContent.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { csrf: null, user: null, ws: null, chats: new Map(), outcomes: [], tags: [], canned: [],
    staff: [], helpPoints: [], retry: 0, boardTimer: null, refTimer: null,
    // wantSocket: this role chats and the session is live; live: the server said hello on the current socket.
    wantSocket: false, live: false, sessionOver: false, reconnectTimer: null, overrideReasons: [] };
  /** A message without its ack after this long (socket open) is shown as not sent, with a retry. */
  const ACK_TIMEOUT_MS = 20000;
  const OVERRIDE_NL = { age_mismatch: 'Leeftijd klopt niet', role_mismatch: 'Rol klopt niet',
    setting_mismatch: 'Plek of situatie klopt niet', acute: 'Acuter dan de antwoorden', safety: 'Veiligheid',
    visitor_request: 'Wens van de bezoeker', capacity: 'Geen plek of gesloten', other: 'Anders' };
  const PRIO = ['P0', 'P1', 'P2', 'P3'];
  const OUTCOME_NL = { listened: 'Geluisterd', advice: 'Advies gegeven', referred: 'Doorverwezen',
    emergency_112: '112-advies', police_info: 'Info over politie', visitor_left: 'Bezoeker weg', other: 'Anders' };

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function minutes(s) { s = Math.max(0, Number(s) || 0); return Math.floor(s / 60) + 'm ' + (s % 60) + 's'; }

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
    const me = await api('GET', '/api/me');
    if (me.status === 200) { started(me.data); } else { $('login').hidden = false; }
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
      state.chats.forEach((c) => { clearOutbox(c); c.root.remove(); });
      state.chats.clear();
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
    loadLists();
    const chats = data.user.role === 'counselor' || data.user.role === 'supervisor';
    if (chats) { state.wantSocket = true; state.retry = 0; connect(); } else {
      $('conn').textContent = '';
      $('take-next').hidden = true;
      $('status').disabled = true;
    }
    if (data.user.role === 'org_admin') { $('canned-admin').hidden = false; }
    if (data.user.role === 'supervisor' || data.user.role === 'org_admin') {
      $('board').hidden = false;
      refreshBoard();
      clearInterval(state.boardTimer);
      state.boardTimer = setInterval(refreshBoard, 3000);
    }
    refreshReferrals();
    state.refTimer = setInterval(refreshReferrals, 5000);
  }

  async function loadLists() {
    const [canned, staff, hps] = await Promise.all([api('GET', '/api/canned'), api('GET', '/api/staff'),
      api('GET', '/api/help-points')]);
    state.canned = canned.data.canned || [];
    renderCannedAdmin();
    state.staff = (staff.data.staff || []).filter((s) => s.id !== state.user.id);
    state.helpPoints = hps.data.helpPoints || [];
    state.chats.forEach((c) => fillSelects(c));
  }

  function renderCannedAdmin() {
    const ul = $('canned-list');
    ul.replaceChildren();
    state.canned.filter((c) => c.own).forEach((c) => {
      const li = el('li', c.title + ' ');
      const del = el('button', 'Verwijder', 'canned-del'); del.type = 'button';
      del.addEventListener('click', async () => { await api('DELETE', '/api/canned/' + c.id); loadLists(); });
      li.append(del);
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
    $('login-pass').focus();
  }

  $('status').addEventListener('change', () => send({ type: 'status', status: $('status').value }));

  $('enrol-btn').addEventListener('click', async () => {
    const res = await api('POST', '/api/totp/enrol');
    if (res.status !== 200) { return; }
    $('enrol').hidden = false;
    $('enrol-secret').textContent = res.data.secret;
    $('enrol-uri').textContent = res.data.otpauthUri;
  });
  $('enrol-confirm').addEventListener('click', async () => {
    const res = await api('POST', '/api/totp/confirm', { code: $('enrol-code').value });
    $('enrol-result').textContent = res.status === 200 ? 'Ingeschakeld.' : (res.data.message || 'Mislukt.');
  });

  // ---- socket ---------------------------------------------------------------------------------------------------
  function connect() {
    clearTimeout(state.reconnectTimer);
    if (state.ws || !state.wantSocket) { return; }
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    state.ws = ws;
    renderConn();
    ws.addEventListener('message', (ev) => { if (state.ws === ws) { onFrame(JSON.parse(ev.data)); } });
    ws.addEventListener('close', (ev) => {
      if (state.ws !== ws) { return; }
      state.ws = null;
      state.live = false;
      renderConn();
      if (ev.code === 4401) { sessionEnded(); return; }
      reconnectLater();
    });
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
      : 'niet verbonden – we proberen het opnieuw' + (waiting ? ' (' + waiting + ' bericht(en) wachten)' : ''));
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
        state.live = true; state.retry = 0; renderConn();
        break;
      case 'chats': resync(f.conversationIds || []); break;
      case 'deleted': chatDeleted(f.conversationId); break;
      case 'counselor-rule': systemLine(f.conversationId, f.rule === 'U1'
        ? 'Suïciderisico gemarkeerd: de bezoeker ziet de 113-kaart, prioriteit P0, leidinggevende gewaarschuwd.'
        : 'Regel ' + f.rule + ' toegepast.'); break;
      case 'override': systemLine(f.conversationId, 'Route aangepast naar ' + helpPointName(f.helpPoint) + ' ('
        + (OVERRIDE_NL[f.reason] || f.reason) + ').'); break;
      case 'alert': supervisorAlert(f); break;
      case 'queue': renderQueue(f.items || []); break;
      case 'assigned': openChat(f); break;
      case 'message': addMessage(f); break;
      case 'note': addNote(f); break;
      case 'ack': ackMessage(f); break;
      case 'typing': showTyping(f.conversationId); break;
      case 'closed': chatEnded(f.conversationId, 'Gesprek gesloten (' + (f.outcome || '') + ').'); break;
      case 'released': chatEnded(f.conversationId, releasedText(f.reason)); break;
      case 'referral': referralState(f); break;
      case 'visitor-disconnected': systemLine(f.conversationId, 'Bezoeker is (even) weg.'); break;
      case 'status': $('status').value = f.status; break;
      case 'error': showError(f); break;
      default: break;
    }
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

  // ---- queue ----------------------------------------------------------------------------------------------------
  function renderQueue(items) {
    const ul = $('queue');
    ul.replaceChildren();
    $('queue-count').textContent = items.length;
    items.forEach((i) => {
      const li = el('li', null, 'p' + i.priority + (i.overdue ? ' overdue' : ''));
      li.dataset.conversationId = i.conversationId;
      li.append(el('strong', PRIO[i.priority] + ' · ' + (i.helpPointName || i.helpPoint)), ' ',
        el('span', 'wacht ' + minutes(i.waitingSeconds), 'muted'));
      if (i.easyLanguage) { li.append(' ', el('span', 'makkelijke taal', 'easy')); }
      const pv = el('button', 'Bekijk', 'preview-btn'); pv.type = 'button';
      pv.addEventListener('click', () => preview(i.conversationId));
      const tk = el('button', 'Aannemen', 'take-btn'); tk.type = 'button';
      tk.addEventListener('click', () => send({ type: 'take', conversationId: i.conversationId }));
      li.append(el('br'), pv, ' ', tk);
      ul.append(li);
    });
  }
  $('take-next').addEventListener('click', () => send({ type: 'take' }));

  async function preview(id) {
    const res = await api('GET', '/api/conversations/' + encodeURIComponent(id));
    const box = $('preview');
    box.replaceChildren();
    if (res.status !== 200) { box.hidden = true; return; }
    box.append(intakeCard(res.data));
    box.hidden = false;
  }

  function intakeCard(c) {
    const dl = el('dl');
    const add = (k, v) => { dl.append(el('dt', k), el('dd', v)); };
    const intake = c.intake || {};
    add('Hulppunt', c.helpPointName || c.helpPoint);
    add('Prioriteit', PRIO[c.priority] + (c.overdue ? ' (te lang!)' : ''));
    add('Wachttijd', minutes(c.waitingSeconds));
    add('Route', intake.rule || '–');
    add('Waarom', (intake.suggested || []).join(', ') || '–');
    add('Makkelijke taal', c.easyLanguage ? 'ja' : 'nee');
    const answers = intake.answers || {};
    Object.keys(answers).forEach((k) => {
      const v = answers[k];
      add(k, Array.isArray(v) ? v.join(', ') : String(v));
    });
    if (intake.emergency) { add('Gevaar', 'JA – 112-advies is getoond'); }
    if ((intake.alsoOffer || []).length) { add('Ook mogelijk', intake.alsoOffer.map(helpPointName).join(', ')); }
    if ((intake.counselorRules || []).indexOf('U1') >= 0) { add('Suïciderisico', 'JA – 113-kaart getoond (P0)'); }
    (intake.overrides || []).forEach((o) => add('Route aangepast', helpPointName(o.helpPoint) + ' ('
      + (OVERRIDE_NL[o.reason] || o.reason) + ')'));
    const wrap = el('div', null, 'card');
    wrap.append(dl);
    return wrap;
  }

  // ---- chats ----------------------------------------------------------------------------------------------------
  function openChat(f) {
    let chat = state.chats.get(f.conversationId);
    if (chat) { chat.observer = f.observer; chat.root.classList.toggle('observing', !!f.observer); return; }
    const node = $('chat-template').content.firstElementChild.cloneNode(true);
    node.dataset.conversationId = f.conversationId;
    chat = { id: f.conversationId, root: node, observer: !!f.observer, seen: new Set(), typingTimer: null, ended: false,
      outbox: new Map() };
    state.chats.set(f.conversationId, chat);
    node.querySelector('.chat-title').textContent = PRIO[f.priority] + ' · ' + (f.helpPointName || f.helpPoint);
    const card = intakeCard(f);
    card.classList.add('intake');
    node.querySelector('.intake').replaceWith(card);
    node.classList.toggle('observing', chat.observer);
    node.querySelector('.observer-flag').hidden = !chat.observer;
    node.querySelector('.chat-leave').hidden = !chat.observer;
    node.querySelector('.compose').hidden = chat.observer;
    fillSelects(chat);
    const q = (s) => node.querySelector(s);
    q('.send').addEventListener('click', () => sendMessage(chat));
    q('.text').addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && !ev.shiftKey) { ev.preventDefault(); sendMessage(chat); return; }
      const now = Date.now();
      if (!chat.lastTyping || now - chat.lastTyping > 2000) { chat.lastTyping = now; send({ type: 'typing', conversationId: chat.id }); }
    });
    q('.canned').addEventListener('change', (ev) => {
      const c = state.canned.find((x) => String(x.id) === ev.target.value);
      if (c) { q('.text').value = c.body; }
      ev.target.value = '';
    });
    q('.whisper-send').addEventListener('click', () => {
      const body = q('.whisper-text').value.trim();
      if (body) { send({ type: 'whisper', conversationId: chat.id, body }); q('.whisper-text').value = ''; }
    });
    q('.chat-leave').addEventListener('click', () => send({ type: 'leave', conversationId: chat.id }));
    node.querySelector('.intake').after(routingActions(chat, f));
    q('.transfer').addEventListener('click', () => {
      const to = q('.transfer-to').value;
      if (!to) { return; }
      const frame = { type: 'transfer', conversationId: chat.id, note: q('.transfer-note').value };
      if (to === 'queue') { frame.toQueue = true; } else { frame.toStaffId = Number(to); }
      send(frame);
    });
    q('.refer').addEventListener('click', () => {
      const hp = q('.refer-to').value;
      if (hp) { send({ type: 'refer', conversationId: chat.id, helpPoint: hp }); }
    });
    q('.close').addEventListener('click', () => {
      const tags = Array.from(node.querySelectorAll('.tags input:checked')).map((i) => i.value);
      send({ type: 'close', conversationId: chat.id, outcome: q('.outcome').value, tags });
    });
    $('chats').append(node);
  }

  function fillSelects(chat) {
    const q = (s) => chat.root.querySelector(s);
    const canned = q('.canned');
    canned.replaceChildren(new Option('Standaardtekst…', ''));
    state.canned.forEach((c) => canned.append(new Option(c.title, String(c.id))));
    const tr = q('.transfer-to');
    tr.replaceChildren(new Option('Overdragen aan…', ''), new Option('Terug naar de wachtrij', 'queue'));
    state.staff.forEach((s) => tr.append(new Option(s.displayName + ' (' + s.load + '/' + s.capacity + ')', String(s.id))));
    const rf = q('.refer-to');
    rf.replaceChildren(new Option('Doorverwijzen naar…', ''));
    state.helpPoints.filter((h) => !h.own).forEach((h) => rf.append(new Option(h.name, h.id)));
    const oc = q('.outcome');
    oc.replaceChildren();
    (state.outcomes.length ? state.outcomes : Object.keys(OUTCOME_NL)).forEach((o) => oc.append(new Option(OUTCOME_NL[o] || o, o)));
    const tags = q('.tags');
    tags.replaceChildren();
    state.tags.forEach((t) => {
      const label = el('label', null, 'tag');
      const cb = document.createElement('input');
      cb.type = 'checkbox'; cb.value = t;
      label.append(cb, ' ' + t.replace(/_/g, ' '));
      tags.append(label);
    });
  }

  // ---- outbox: a message is "verzenden…" until its ack, resent with the same clientId after a reconnect ----------
  function newClientId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return 'c-' + Array.from(bytes, (b) => ('0' + b.toString(16)).slice(-2)).join('');
  }
  function clock(at) {
    const d = at ? new Date(at) : new Date();
    return d.toLocaleTimeString('nl-NL', { hour: '2-digit', minute: '2-digit' });
  }
  /** One message line: who (for screen readers), the text (bidi-isolated), and a meta line (time or state). */
  function messageNode(from, body, meta) {
    const li = el('li', null, from);
    const who = { visitor: 'Bezoeker', counselor: 'Jij', system: 'Systeem' }[from] || from;
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
      const retry = el('button', 'niet verzonden — opnieuw?', 'retry'); retry.type = 'button';
      retry.addEventListener('click', () => transmit(chat, item));
      meta.replaceChildren(retry);
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
    list.scrollTop = list.scrollHeight;
    if (f.from === 'visitor') { chat.root.querySelector('.typing').hidden = true; }
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
    const label = f.kind === 'transfer' ? 'Overdrachtsnotitie van ' : 'Gefluisterd door ';
    const li = el('li', label + f.from + ': ' + f.body, 'note');
    chat.root.querySelector('.messages').append(li);
  }
  function systemLine(id, text) {
    const chat = state.chats.get(id);
    if (chat) { chat.root.querySelector('.messages').append(el('li', text, 'system')); }
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
  function chatEnded(id, text) {
    const chat = state.chats.get(id);
    if (!chat || chat.ended) { return; }
    chat.ended = true;
    chat.outbox.forEach((item) => markFailed(chat, item, false));
    systemLine(id, text);
    chat.root.classList.add('ended');
    chat.root.querySelector('.compose').hidden = true;
    chat.root.querySelector('.actions').hidden = true;
    chat.root.querySelector('.whisper-row').hidden = true;
    const dismiss = el('button', 'Sluit venster', 'dismiss'); dismiss.type = 'button';
    dismiss.addEventListener('click', () => { clearOutbox(chat); chat.root.remove(); state.chats.delete(id); });
    chat.root.querySelector('.chat-head').append(' ', dismiss);
  }
  /** The visitor deleted the conversation: its words leave this screen at once, and the composer closes. */
  function chatDeleted(id) {
    const chat = state.chats.get(id);
    if (!chat) { return; }
    clearOutbox(chat);
    chat.outbox.clear();
    chat.root.querySelectorAll('.messages, .intake, .typing, .referral-state').forEach((n) => n.replaceChildren());
    chatEnded(id, 'De bezoeker heeft het gesprek gewist.');
    chat.root.classList.add('deleted');
  }

  // ---- routing actions: suicide risk (U1) and route override ---------------------------------------------------
  function helpPointName(id) {
    const h = state.helpPoints.find((x) => x.id === id);
    return h ? h.name : String(id);
  }

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
    const text = f.kind === 'suicide_risk' ? 'LET OP: suïciderisico gemeld door ' + (f.by || 'een hulpverlener')
      + ' (' + helpPointName(f.helpPoint) + ', P0)' : 'LET OP: ' + f.kind;
    const li = el('li', text, 'alert-live');
    li.dataset.conversationId = f.conversationId || '';
    li.dataset.kind = f.kind;
    const list = $('live-alerts') || (() => {
      const ul = el('ul', null, 'alerts'); ul.id = 'live-alerts'; ul.setAttribute('role', 'alert');
      $('app-error').after(ul);
      return ul;
    })();
    list.prepend(li);
  }

  // ---- referrals and supervisor board ---------------------------------------------------------------------------
  async function refreshReferrals() {
    const res = await api('GET', '/api/referrals', undefined, true);
    if (res.status !== 200) { return; }
    const ul = $('referrals');
    ul.replaceChildren();
    (res.data.referrals || []).forEach((r) => {
      const li = el('li', (r.direction === 'sent' ? '→ ' + r.toOrg : '← ' + r.fromOrg) + ': ' + r.state);
      li.dataset.referralId = r.referralId;
      li.dataset.state = r.state;
      ul.append(li);
    });
  }

  async function refreshBoard() {
    const res = await api('GET', '/api/board', undefined, true);
    if (res.status !== 200) { return; }
    const b = res.data;
    const alerts = $('board-alerts');
    alerts.replaceChildren();
    (b.riskAlerts || []).forEach((a) => alerts.append(el('li', 'LET OP: suïciderisico in een gesprek bij '
      + helpPointName(a.helpPoint) + ' (P0, ' + (a.status === 'assigned' ? 'in gesprek' : 'wacht') + ')', 'alert-live')));
    (b.alerts || []).forEach((a) => alerts.append(el('li', 'LET OP: ' + PRIO[a.priority] + ' bij ' + a.helpPoint
      + ' wacht ' + minutes(a.waitingSeconds) + ' (doel ' + a.targetSeconds + 's)')));
    const tbody = $('board-queues');
    tbody.replaceChildren();
    (b.queues || []).forEach((g) => {
      const tr = el('tr');
      [g.helpPoint, PRIO[g.priority], g.waiting, minutes(g.longestWaitSeconds), g.targetSeconds ? g.targetSeconds + 's' : '–']
        .forEach((v) => tr.append(el('td', v)));
      tbody.append(tr);
    });
    const staff = $('board-staff');
    staff.replaceChildren();
    (b.counselors || []).forEach((s) => staff.append(el('li', s.displayName + ' – ' + s.status
      + (s.online ? '' : ' (offline)') + ' – ' + s.load + '/' + s.capacity)));
    const active = $('board-active');
    active.replaceChildren();
    (b.active || []).forEach((a) => {
      const li = el('li', PRIO[a.priority] + ' ' + a.helpPoint + ' – ' + a.counselor + ' ');
      const join = el('button', 'Meekijken', 'join-btn'); join.type = 'button';
      join.addEventListener('click', () => {
        // Supervisor reads are logged with a reason (access log).
        const reason = window.prompt('Reden om mee te kijken (komt in het toegangslog):', '');
        if (reason && reason.trim()) { send({ type: 'join', conversationId: a.conversationId, reason: reason.trim() }); }
      });
      li.dataset.conversationId = a.conversationId;
      li.append(join);
      active.append(li);
    });
  }

  boot();
}());
