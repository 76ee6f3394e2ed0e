/*
 * Veilig Praten visitor page. Plain JavaScript, no build step, no third-party hosts.
 *
 * Shared-phone safety rules this file keeps:
 *  - nothing is written to cookies, localStorage, IndexedDB or caches, and sessionStorage holds at most one entry:
 *    half of the single-use reload ticket while a chat is open (the other half is in window.name, so a tab restored
 *    by "reopen closed tab" has only half); the server accepts it for about a minute after the line dropped, and it
 *    is wiped at quick exit, "Gesprek stoppen" and the end of the chat. The resume token lives in this closure only;
 *  - no history entries are added (no pushState), and quick exit replaces the current entry;
 *  - the 112 screen is rendered from constants in this file, so it works when the server is unreachable;
 *  - server text (messages, names) is only ever set with textContent, never parsed as HTML.
 * Protocol: chat-gateway/PROTOCOL.md (v1).
 */
(function () {
  'use strict';

  var PROTOCOL_VERSION = 1;
  var EMERGENCY_NUMBER = '112'; // the only fixed number (brief): everything else comes from the configuration
  var TRIAGE = 'triage';        // help point id of the general triage queue ("Ik wil meteen met iemand praten")
  var NEUTRAL_TITLE = 'Weer';
  var MAX_BODY = 4000;
  var WS_WAIT_MS = 4000;         // the first WebSocket gets this long to bring a welcome before the fallback is used
  var SOCKJS_PATH = '/sockjs';
  var SOCKJS_CLIENT = 'vendor/sockjs-1.6.1.min.js';
  var TICKET_KEY = 'vp.r';       // sessionStorage: first half of the reload ticket
  var TICKET_NAME = 'vp-r.';     // window.name prefix: second half
  var EXIT_RETRY_MS = 120000;    // an offline quick exit keeps trying to tell the server this long (the queue grace)
  // Help-point websites opened from this page: quick exit closes them too. Outside S, which quick exit resets.
  var helpWindows = [];

  // ------------------------------------------------------------------ texts
  // The page's texts come from the configuration (visitor-texts.yaml: the same loader and missing-text check as the
  // questionnaire, help points and rules), in the languages this start offers (production: the reviewed ones), in the
  // page's data block (PAGE.texts, PAGE.languages below), so no screen waits for the server. Keys are the
  // configuration's: nl, nl_easy, en, ar, tr, pl, uk; the page calls easy-read 'easy' (S.lang), see langKey.
  // Only if the data block cannot be read: the danger line and the way out still read in Dutch.
  var FALLBACK = {
    exit: 'Snel weg', exitHint: 'Druk 3 keer op Shift om snel weg te gaan.',
    talkNow: 'Ik wil meteen met iemand praten', keep112: 'In gevaar? Bel 112.',
    e112Title: 'Ben je in gevaar? Bel nu 112.',
    e112Text: '112 is gratis en altijd bereikbaar. De politie of ambulance komt dan naar je toe.', e112Call: 'Bel 112',
    e112Silent: 'Kun je niet praten? Bel toch 112 en blijf aan de lijn.',
    offline: 'Geen verbinding. We proberen het opnieuw. Ben je in gevaar? Bel 112.', waiting: 'Even geduld…'
  };
  var DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

  // ------------------------------------------------------------------ easy-read pictograms (issue 23)
  // Own simple line drawings (24x24, stroke only), never from another host. They stand beside the answer's text in
  // easy-read mode and are hidden from screen readers: the text is the button's name.
  var PICTO = {
    check: '<path d="M4 12l5 5L20 6"/>',
    cross: '<path d="M6 6l12 12M18 6L6 18"/>',
    question: '<path d="M9 9a3 3 0 1 1 4 2.8c-.7.3-1 1-1 1.7V15"/><circle cx="12" cy="19" r=".8"/>',
    danger: '<path d="M12 3L2 21h20z"/><path d="M12 10v5M12 18v.5"/>',
    lock: '<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>',
    person: '<circle cx="12" cy="7" r="4"/><path d="M4 21c0-4 4-7 8-7s8 3 8 7"/>',
    people: '<circle cx="9" cy="8" r="3"/><circle cx="17" cy="9" r="2.5"/><path d="M3 20c0-3 3-6 6-6s6 3 6 6M15 14.5c3 0 6 2 6 5"/>',
    eye: '<path d="M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12z"/><circle cx="12" cy="12" r="3"/>',
    heart: '<path d="M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.5A4 4 0 0 1 19 10c0 5.5-7 10-7 10z"/>',
    work: '<rect x="3" y="7" width="18" height="13" rx="2"/><path d="M9 7V5h6v2M3 13h18"/>',
    phone: '<rect x="7" y="2" width="10" height="20" rx="2"/><path d="M11 18h2"/>',
    home: '<path d="M3 11l9-8 9 8M5 10v10h14V10"/>',
    school: '<path d="M2 9l10-5 10 5-10 5z"/><path d="M6 11v5c3 2 9 2 12 0v-5"/>',
    ball: '<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18"/>',
    calendar: '<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18M8 3v4M16 3v4"/>',
    again: '<path d="M4 12a8 8 0 0 1 14-5l2 2M20 12a8 8 0 0 1-14 5l-2-2M20 4v5h-5M4 20v-5h5"/>',
    doctor: '<path d="M10 4h4v6h6v4h-6v6h-4v-6H4v-4h6z"/>',
    shield: '<path d="M12 3l8 3v6c0 5-4 8-8 9-4-1-8-4-8-9V6z"/>',
    talk: '<path d="M4 5h16v11H9l-5 4z"/>',
    idea: '<path d="M9 18h6M10 21h4M12 3a6 6 0 0 0-4 10.5c.7.7 1 1.5 1 2.5h6c0-1 .3-1.8 1-2.5A6 6 0 0 0 12 3z"/>',
    paper: '<path d="M6 3h9l4 4v14H6z"/><path d="M14 3v5h5M9 13h7M9 17h7"/>',
    place: '<path d="M12 21s-7-6-7-11a7 7 0 0 1 14 0c0 5-7 11-7 11z"/><circle cx="12" cy="10" r="2.5"/>',
    more: '<circle cx="6" cy="12" r="1.2"/><circle cx="12" cy="12" r="1.2"/><circle cx="18" cy="12" r="1.2"/>',
    music: '<path d="M9 18V5l11-2v13"/><circle cx="6" cy="18" r="3"/><circle cx="17" cy="16" r="3"/>',
    faith: '<path d="M12 2v4M10 4h4M5 21V11l7-5 7 5v10zM10 21v-5h4v5"/>',
    search: '<circle cx="11" cy="11" r="7"/><path d="M21 21l-5-5"/>',
    speaker: '<path d="M3 10v4h4l6 5V5L7 10z"/><path d="M16 9a4 4 0 0 1 0 6M19 6a8 8 0 0 1 0 12"/>'
  };
  // Which drawing goes with which answer code; "QID.code" first (Q0 "ja" is danger, not a plain yes).
  var PICTO_FOR = {
    'Q0.yes': 'danger', yes: 'check', no: 'cross', unknown: 'question', rather_not: 'lock',
    victim: 'person', relative: 'people', bystander: 'eye', perpetrator: 'heart', professional: 'work',
    feelings: 'heart', did_something: 'person', online_images: 'phone',
    today: 'calendar', week: 'calendar', older: 'calendar', ongoing: 'again',
    physical: 'person', verbal: 'talk', online: 'phone', sextortion: 'danger', question: 'question',
    home: 'home', partner: 'heart', education: 'school', work: 'work', sport: 'ball', culture_media: 'music',
    religion: 'faith', care: 'doctor', street: 'place', elsewhere: 'more', other: 'more',
    listen: 'talk', advice: 'idea', medical: 'doctor', report: 'paper', police: 'shield',
    gp: 'doctor', school: 'school', friend_family: 'people', search: 'search', campaign: 'talk'
  };

  function pictogram(name) {
    var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('class', 'picto');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.innerHTML = PICTO[name]; // constants of this file, never server text
    return svg;
  }

  /** In easy-read mode: the answer's pictogram before its text (the text stays the button's accessible name). */
  function withPictogram(b, questionId, code) {
    var name = PICTO_FOR[questionId + '.' + code] || PICTO_FOR[code];
    if (S.lang === 'easy' && name) {
      b.insertBefore(pictogram(name), b.firstChild);
      b.classList.add('has-picto');
    }
    return b;
  }

  // ------------------------------------------------------------------ read-aloud (issue 23)
  // Only a voice with localService === true is ever used: a network voice would send the question (and with it what
  // the visitor is looking at) to a third party. Without such a voice for the page's language the control is not
  // shown at all. Never speaks by itself; stops when the screen changes and at quick exit.
  function localVoice() {
    var synth = window.speechSynthesis;
    if (!synth || typeof synth.getVoices !== 'function' || typeof window.SpeechSynthesisUtterance !== 'function') {
      return null;
    }
    var lang = S.lang === 'en' ? 'en' : 'nl';
    var voices = (synth.getVoices() || []).filter(function (v) {
      return v && v.localService === true && typeof v.lang === 'string'
        && v.lang.toLowerCase().replace('_', '-').split('-')[0] === lang;
    });
    var exact = voices.filter(function (v) { return /^nl-nl$|^en-gb$/i.test(v.lang.replace('_', '-')); })[0];
    return exact || voices[0] || null;
  }

  function stopReading() {
    try { if (window.speechSynthesis) { window.speechSynthesis.cancel(); } } catch (e) { /* nothing was speaking */ }
    S.reading = false;
  }

  /** The read-aloud button of a question (easy-read mode, local voice only); null when it must not be offered. */
  function readAloudButton(q) {
    if (S.lang !== 'easy' || !localVoice()) { return null; }
    var b = button(t('readAloud'), function () {
      if (S.reading) { stopReading(); b.lastChild.textContent = t('readAloud'); return; }
      var voice = localVoice();
      if (!voice) { b.hidden = true; return; } // the voice went away: say nothing rather than use another
      stopReading();
      var parts = [lt(q.text)];
      q.answers.forEach(function (a, i) { parts.push(t('readAnswer', { n: i + 1, text: lt(a.text) })); });
      var u = new window.SpeechSynthesisUtterance(parts.join('. '));
      u.voice = voice;
      u.lang = voice.lang;
      u.rate = 0.9;
      u.onend = function () { S.reading = false; if (b.isConnected) { b.lastChild.textContent = t('readAloud'); } };
      S.reading = true;
      b.lastChild.textContent = t('readStop');
      window.speechSynthesis.speak(u);
    }, 'quiet read-aloud', { id: 'read-aloud' });
    b.replaceChildren(pictogram('speaker'), el('span', { text: t('readAloud') }));
    b.classList.add('has-picto');
    return el('p', null, [b]);
  }

  /** The configuration's key of the reading mode: the page's 'easy' is nl_easy. */
  function langKey(lang) { return lang === 'easy' ? 'nl_easy' : lang; }

  /** The offered language entry {code, label, locale, dir} of the reading mode, or a Dutch default. */
  function language(lang) {
    var key = langKey(lang);
    for (var i = 0; i < LANGUAGES.length; i++) {
      if (LANGUAGES[i].code === key) { return LANGUAGES[i]; }
    }
    return { code: key, locale: key === 'en' ? 'en-GB' : 'nl-NL', dir: 'ltr' };
  }

  // The page's data block (#vp-page, rendered into index.html by the visitor listener, issue 23): the published
  // questionnaire (questionnaire.yaml is its single source), the neutral exit address, the heartbeat timing and the
  // longest retention. It arrives with the page itself, not over the socket or a fetch, so the danger question, the
  // 112 screen and the next questions never wait for the server. Without it the page opens on the 112 screen: safe
  // by default.
  var PAGE = (function () {
    try { return JSON.parse($('vp-page').textContent) || {}; } catch (e) { return {}; }
  }());
  var QUESTIONS = Array.isArray(PAGE.questions) ? PAGE.questions : [];
  var T = PAGE.texts && typeof PAGE.texts === 'object' ? PAGE.texts : {};
  var LANGUAGES = Array.isArray(PAGE.languages) ? PAGE.languages : [];

  /**
   * Whether the texts of a language are here: the data block carries Dutch, easy-read Dutch and English only (issue
   * 23: all seven made the first screen 52 KB); another offered language comes from GET /texts/<code> when picked.
   */
  function hasTexts(lang) {
    var key = langKey(lang);
    return key === 'nl' || !!(T.exit && typeof T.exit[key] === 'string');
  }

  /**
   * Merges a language's texts (the data block's shapes with that language only) into the ones here: localized
   * objects get the new key; lists of questions or answers are matched by id or code, so a questionnaire changed
   * live since this page loaded never puts a text on the wrong question.
   */
  function mergeTexts(target, source) {
    if (Array.isArray(source) && Array.isArray(target)) {
      source.forEach(function (s, i) {
        var match = target[i];
        if (s && (s.id !== undefined || s.code !== undefined)) {
          match = target.filter(function (x) { return x && x.id === s.id && x.code === s.code; })[0];
        }
        if (match && typeof match === 'object' && s && typeof s === 'object') { mergeTexts(match, s); }
      });
      return;
    }
    Object.keys(source || {}).forEach(function (k) {
      var s = source[k];
      var tv = target[k];
      if (tv && typeof tv === 'object' && s && typeof s === 'object') { mergeTexts(tv, s); }
      else if (tv === undefined) { target[k] = s; }
    });
  }

  /** One line under the language buttons while a language loads, or why it did not (in the language kept). */
  function langStatus(text) {
    var p = $('lang-status');
    if (!text) { if (p) { p.remove(); } return; }
    if (!p) {
      p = el('p', { className: 'notice', id: 'lang-status', role: 'status' });
      var more = $('langs-more');
      $('main').insertBefore(p, more ? more.nextSibling : $('main').firstChild);
    }
    p.textContent = text;
  }

  /**
   * Switches the page to a language: at once when its texts are here, otherwise after one GET (no-store like
   * everything on this page). Until it arrives the page stays in the language it has and stays usable; if it fails,
   * the page keeps that language and says so.
   */
  function chooseLanguage(lang) {
    if (hasTexts(lang)) {
      S.langLoading = null;
      langStatus(null);
      S.lang = lang;
      rerender();
      return;
    }
    var key = langKey(lang);
    S.langLoading = key;
    langStatus(t('langLoading'));
    fetch('/texts/' + encodeURIComponent(key), { cache: 'no-store', credentials: 'omit' })
      .then(function (r) { if (!r.ok) { throw new Error('texts ' + r.status); } return r.json(); })
      .then(function (data) {
        if (!data || data.lang !== key || !data.texts) { throw new Error('texts malformed'); }
        mergeTexts(T, data.texts);
        mergeTexts(QUESTIONS, data.questions || []);
        if (S.exiting || S.langLoading !== key) { return; }
        chooseLanguage(lang);
      })
      .catch(function () {
        if (S.exiting || S.langLoading !== key) { return; }
        S.langLoading = null;
        langStatus(t('langFailed'));
      });
  }
  var Q0 = QUESTIONS.length && QUESTIONS[0].id === 'Q0' ? {
    id: 'Q0', type: 'single', index: 1, text: QUESTIONS[0].text, answers: QUESTIONS[0].answers
  } : null;

  // ------------------------------------------------------------------ state (memory only)
  var S = freshState();

  function freshState() {
    return {
      lang: 'nl', config: pageConfig(), answers: {}, question: Q0, nextQuestion: null, suggestions: null, cards: {},
      ws: null, session: false, token: null, code: null, typedCode: null, lastSeq: 0, retries: 0,
      reconnectTimer: 0, intakeRequest: null, status: 'intake', counselor: null, queue: null, pending: [],
      messages: [], screen: null, ended: false, exiting: false, typingTimer: 0, lastTypingSent: 0, draft: '',
      readSeq: 0, notice: null, confirmStop: false, talkNowPending: false, urgentCard: null, alternatives: null,
      fallback: false, wsWorked: false, httpIntake: null, reloadTicket: null, reloading: false
    };
  }

  /** What the page knows without asking: the data block; /api/config adds the help points when they are needed. */
  function pageConfig() {
    return { neutralExitUrl: PAGE.neutralExitUrl, heartbeat: PAGE.heartbeat, retentionDays: PAGE.retentionDays };
  }

  function t(key, vars) {
    var entry = T[key];
    var text = entry ? (entry[langKey(S.lang)] || entry.nl) : (FALLBACK[key] || key);
    if (vars) {
      Object.keys(vars).forEach(function (k) { text = text.split('{' + k + '}').join(String(vars[k])); });
    }
    return text;
  }

  /**
   * A phone number, code or name set inside a sentence in its own direction (Unicode isolate): in an Arabic sentence
   * "0800-2000" would otherwise be shown as "2000-0800", a wrong number to dial by hand.
   */
  function isolate(s) { return '\u2068' + s + '\u2069'; }

  /** Text from the server configuration: {nl, nl_easy, en, ar, ...}. */
  function lt(text) {
    if (!text) { return ''; }
    if (typeof text === 'string') { return text; }
    return text[langKey(S.lang)] || text.nl || '';
  }

  // ------------------------------------------------------------------ DOM helpers
  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) { return; }
        if (k === 'text') { node.textContent = v; } else if (k === 'onclick') { node.addEventListener('click', v); }
        else if (k === 'className') { node.className = v; } else { node.setAttribute(k, v === true ? '' : v); }
      });
    }
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }

  function button(text, onclick, className, extra) {
    var attrs = { type: 'button', className: 'btn' + (className ? ' ' + className : ''), text: text, onclick: onclick };
    if (extra) { Object.keys(extra).forEach(function (k) { attrs[k] = extra[k]; }); }
    return el('button', attrs);
  }

  function heading(text) {
    return el('h1', { id: 'screen-title', tabindex: '-1', text: text });
  }

  /** Replaces the screen; focus goes to its heading so keyboard and screen-reader users start at the top. */
  function show(name, nodes, keepFocus) {
    S.screen = name;
    if (S.reading) { stopReading(); }
    nodes = nodes.filter(function (n) { return !!n; });
    if (inDanger() && name !== 'emergency' && name !== 'ended' && name !== 'paused') {
      // Once the visitor said "Ja, ik ben in gevaar", every later screen keeps the call button (also offline).
      nodes = [keep112()].concat(nodes);
    }
    var screen = $('screen');
    screen.replaceChildren.apply(screen, nodes);
    screen.setAttribute('data-screen', name);
    screen.removeAttribute('data-question');
    $('talk').hidden = !(name === 'question' || name === 'suggestions' || name === 'unavailable'
      || name === 'card' || name === 'emergency' || name === 'resume');
    if (!keepFocus) {
      var h = $('screen-title');
      if (h) { h.focus(); }
    }
  }

  /** Q0 answered "Ja" (or the route says emergency): the 112 button stays on every screen from then on. */
  function inDanger() {
    return S.answers.Q0 === 'yes' || !!(S.suggestions && S.suggestions.emergency);
  }

  function keep112() {
    return el('div', { className: 'emergency keep112', id: 'keep-112', role: 'region', 'aria-label': t('keep112') }, [
      el('p', { className: 'keep112-text', text: t('keep112') }),
      el('a', { className: 'call112', href: 'tel:' + EMERGENCY_NUMBER, id: 'keep-112-call', text: t('e112Call') })]);
  }

  function announce(text, assertive) {
    if (S.paused) { return; } // the neutral screen says nothing, also not to a screen reader nearby
    var region = assertive ? $('announce') : $('announce-polite');
    region.textContent = '';
    // A fresh text node after clearing makes screen readers read repeated texts too.
    setTimeout(function () { region.textContent = text; }, 30);
  }

  /**
   * The Shift hint only where a keyboard is likely (issue 19): a touch-only phone has no Shift key. Touch-only is a
   * coarse primary pointer and no fine pointer at all; the first real key press shows the hint anyway (a phone with a
   * keyboard attached).
   */
  var keyboardSeen = false;
  function keyboardLikely() {
    if (keyboardSeen) { return true; }
    if (!window.matchMedia) { return true; }
    var touchOnly = window.matchMedia('(pointer: coarse)').matches && !window.matchMedia('(any-pointer: fine)').matches;
    return !touchOnly;
  }

  function renderChrome() {
    // Language and direction of the whole document: Arabic reads right to left, and the layout mirrors with it
    // (the style sheet uses logical properties: start/end instead of left/right).
    var lang = language(S.lang);
    document.documentElement.lang = S.lang === 'easy' ? 'nl' : lang.code;
    document.documentElement.dir = lang.dir === 'rtl' ? 'rtl' : 'ltr';
    $('exit-label').textContent = t('exit');
    $('exit-hint').textContent = t('exitHint');
    $('exit-hint').hidden = !keyboardLikely();
    $('talk-now').textContent = t('talkNow');
    var buttons = document.querySelectorAll('button[data-lang]');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute('aria-pressed', String(buttons[i].getAttribute('data-lang') === S.lang));
    }
    renderNet();
  }

  function renderNet() {
    var net = $('net');
    var offline = S.wantConnection && !S.session && !S.ended && S.retries > 0;
    net.hidden = !offline;
    if (offline) {
      net.textContent = t('offline') + (S.status === 'queued' || S.status === 'assigned' ? ' ' + t('offlineChat') : '');
    }
  }

  function rerender() {
    renderChrome();
    var screens = { question: renderQuestion, emergency: renderEmergency, suggestions: renderSuggestions,
      unavailable: renderUnavailable, card: renderCard, chat: renderChat, ended: renderEnded, resume: renderResume,
      waiting: renderWaiting, leave: renderLeave, inbox: renderInbox, paused: renderPaused, privacy: renderPrivacy };
    if (S.screen && screens[S.screen]) { screens[S.screen](true); }
  }

  // ------------------------------------------------------------------ intake
  function renderQuestion(keepFocus) {
    var q = S.question;
    var text = lt(q.text);
    var nodes = [];
    if (q.id === 'Q0' && !inDanger()) {
      // The same 112 line as in the static HTML (index.html), so nothing moves when this script takes over.
      nodes.push(el('div', { className: 'emergency keep112', id: 'static-112' }, [
        el('p', { className: 'keep112-text', text: t('keep112') }),
        el('a', { className: 'call112', href: 'tel:' + EMERGENCY_NUMBER, text: t('e112Call') })]));
    }
    nodes.push(el('p', { className: 'progress', text: t('question', { n: q.index || 1 }) }));
    nodes.push(heading(text));
    nodes.push(readAloudButton(q));
    if (q.id === 'Q0') { nodes.push(el('p', { className: 'hint', text: t('intro') })); }
    if (q.id === 'Q0' && S.notice) { nodes.push(el('p', { className: 'notice', id: 'start-notice', text: S.notice })); }
    if (q.type === 'multi') { nodes.push(el('p', { className: 'hint', id: 'multi-hint', text: t('multiHint') })); }
    var list = el('ul', { className: 'choices', 'aria-labelledby': 'screen-title' });
    var selected = q.type === 'multi' ? (S.answers[q.id] || []).slice() : null;
    q.answers.forEach(function (a) {
      var label = lt(a.text);
      var b;
      if (q.type === 'multi') {
        b = button(label, function () {
          var i = selected.indexOf(a.code);
          if (i >= 0) { selected.splice(i, 1); } else { selected.push(a.code); }
          b.setAttribute('aria-pressed', String(selected.indexOf(a.code) >= 0));
        }, null, { 'aria-pressed': String(selected.indexOf(a.code) >= 0), 'data-code': a.code });
      } else {
        b = button(label, function () { answer(q, a.code); }, null, { 'data-code': a.code });
      }
      list.appendChild(el('li', null, [withPictogram(b, q.id, a.code)]));
    });
    nodes.push(list);
    if (q.type === 'multi') {
      nodes.push(button(t('next'), function () { answer(q, selected.length ? selected : null); }, 'primary',
        { id: 'next' }));
    }
    nodes.push(el('p', null, [button(t('skip'), function () { answer(q, null); }, 'quiet', { id: 'skip' })]));
    if (q.id === 'Q0') {
      nodes.push(el('button', { type: 'button', className: 'linkish', id: 'have-code', text: t('haveCode'),
        onclick: function () { renderResume(); } }));
      nodes.push(aboutBox());
    }
    show('question', nodes, keepFocus);
    $('screen').setAttribute('data-question', q.id);
  }

  function answer(q, value) {
    if (value === null || value === undefined) { delete S.answers[q.id]; } else { S.answers[q.id] = value; }
    S.nextQuestion = null;
    // The next question from the published questionnaire, when the page can decide it (issue 23: on a slow
    // connection each question would otherwise wait a round trip). The answers go to the server only when the page
    // cannot decide, and at the end, where the server checks them all and answers with the suggestions (or with a
    // question, if it sees one the page did not).
    var next = localNext(q.id);
    if (q.id === 'Q0' && value === 'yes') {
      // Rendered before anything touches the network: this must work when the server is down.
      renderEmergency();
      announce(t('e112Title') + ' ' + t('e112Text'), true);
      if (next) { S.nextQuestion = next; openLine(); return; }
    } else if (next) {
      S.question = next;
      renderQuestion();
      openLine();
      return;
    } else {
      renderWaiting();
    }
    requestIntake({ type: 'answers', answers: copyAnswers(), after: q.id });
  }

  /** The line to the server opens while the visitor answers, so it is up when the answers go. */
  function openLine() {
    S.wantConnection = true;
    if (!S.ws && !S.exiting && !S.ended) { connect(); }
  }

  /**
   * The question after {@code afterId} as the server would send it (same order, showIf, variants, index and total;
   * EngineIntakeRouting.nextQuestion), from the page's copy of the questionnaire. Returns null when the intake is
   * complete or when the page cannot decide (a question the server marked "server", a condition the page does not
   * know): then the server is asked.
   */
  function localNext(afterId) {
    try {
      var at = -1;
      for (var i = 0; i < QUESTIONS.length; i++) { if (QUESTIONS[i].id === afterId) { at = i; } }
      if (at < 0) { return null; }
      var visible = [];
      var next = null;
      for (var j = 0; j < QUESTIONS.length; j++) {
        var q = QUESTIONS[j];
        if (q.server) { return null; }
        if (!q.showIf || holds(q.showIf)) {
          visible.push(q);
          if (j > at && !next) { next = q; }
        }
      }
      if (!next) { return null; }
      var variant = (next.variants || []).filter(function (v) { return holds(v.when); })[0];
      var answers = next.answers.map(function (a) {
        return variant && variant.answers && variant.answers[a.code] ? { code: a.code, text: variant.answers[a.code] } : a;
      });
      return { id: next.id, type: next.type, text: variant ? variant.text : next.text, answers: answers,
        index: visible.indexOf(next) + 1, total: visible.length, local: true };
    } catch (e) {
      return null; // a condition this page does not know: the server decides
    }
  }

  /** The page's part of the condition language (README-routing.md); anything else throws, so the server decides. */
  function holds(c) {
    var given = function (id) { return S.answers[id]; };
    if (c.answer !== undefined) { return typeof given(c.answer) === 'string' && c['in'].indexOf(given(c.answer)) >= 0; }
    if (c.contains !== undefined) {
      var list = given(c.contains);
      return Array.isArray(list) && list.some(function (code) { return c.any.indexOf(code) >= 0; });
    }
    if (c.answered !== undefined) { return given(c.answered) !== undefined; }
    if (c.not !== undefined) { return !holds(c.not); }
    if (Array.isArray(c.all)) { return c.all.every(holds); }
    if (Array.isArray(c.any) && c.contains === undefined) { return c.any.some(holds); }
    throw new Error('unknown condition');
  }

  function copyAnswers(extra) {
    var out = {};
    Object.keys(S.answers).forEach(function (k) { out[k] = S.answers[k]; });
    if (extra) { Object.keys(extra).forEach(function (k) { out[k] = extra[k]; }); }
    return out;
  }

  function renderWaiting(keepFocus) {
    var nodes = [heading(t('waiting')), el('p', { className: 'hint', text: t('e112Silent') })];
    if (!S.session && (S.fallback || S.retries > 0)) { nodes.push(phonesNow()); }
    show('waiting', nodes, keepFocus);
  }

  /**
   * While no line to the server is up: the configured phone lines that are open now (from /api/config, which loads
   * over plain HTTP), so waiting never hides a number the visitor could call. 112 is always on the screen.
   */
  function phonesNow() {
    if (!S.config.helpPoints) { loadConfig(); } // the waiting screen is drawn again when it arrives
    var points = (S.config && S.config.helpPoints) || {};
    var list = el('ul', { className: 'phones', id: 'phones-now' });
    Object.keys(points).forEach(function (id) {
      var card = points[id];
      if (card && card.phone && card.openNow === true) {
        list.appendChild(el('li', { 'data-help-point': id }, [el('span', { text: cardName(card) + ': ' }),
          el('a', { href: 'tel:' + card.phone.replace(/[^0-9+]/g, ''), text: card.phone })]));
      }
    });
    return el('section', { id: 'phones', 'aria-label': t('phonesNow') }, [el('h2', { text: t('phonesNow') }), list,
      el('p', null, [el('a', { className: 'call112', href: 'tel:' + EMERGENCY_NUMBER, text: t('e112Call') })])]);
  }

  function renderEmergency(keepFocus) {
    var box = el('div', { className: 'emergency', role: 'alert' }, [
      heading(t('e112Title')),
      el('p', { text: t('e112Text') }),
      el('a', { className: 'call112', href: 'tel:' + EMERGENCY_NUMBER, id: 'call-112', text: t('e112Call') }),
      el('p', { text: t('e112Silent') })
    ]);
    show('emergency', [box,
      el('p', null, [button(t('e112Chat'), function () { talkNow(); }, 'primary', { id: 'emergency-chat' })]),
      el('p', null, [button(t('e112Continue'), function () {
        if (S.nextQuestion) { S.question = S.nextQuestion; renderQuestion(); } else { renderWaiting(); S.waitForNext = true; }
      }, 'quiet', { id: 'emergency-continue' })])
    ], keepFocus);
  }

  function onQuestion(q) {
    S.intakeRequest = null;
    if (S.screen === 'emergency') {
      S.nextQuestion = q; // the 112 screen stays until the visitor chooses to go on
      return;
    }
    S.question = q;
    S.waitForNext = false;
    renderQuestion();
  }

  function onSuggestions(frame) {
    S.intakeRequest = null;
    S.suggestions = frame.route || { suggestions: [] };
    S.cards = frame.cards || {};
    if (S.talkNowPending) {
      // Triage could not be chosen (e.g. renamed in the configuration): take the first suggested queue instead.
      S.talkNowPending = false;
      var queue = (S.suggestions.suggestions || []).filter(function (s) { return s.kind === 'queue'; })[0];
      if (queue) { choose(queue.helpPoint, true); return; }
    }
    if (S.screen === 'emergency') { S.nextQuestion = null; }
    renderSuggestions();
  }

  function renderSuggestions(keepFocus) {
    var nodes = [heading(t('suggestTitle')), el('p', { className: 'hint', text: t('suggestHint') })];
    (S.suggestions.suggestions || []).forEach(function (s) {
      nodes.push(suggestionCard(s, 'card'));
    });
    var also = S.suggestions.alsoOffer || [];
    if (also.length) {
      // The rules' "also offer" column (brief §4.2 v2): a second, smaller list under the suggestions.
      var list = el('section', { className: 'also', id: 'also-offer', 'aria-labelledby': 'also-title' }, [
        el('h2', { id: 'also-title', text: t('alsoTitle') }), el('p', { className: 'hint', text: t('alsoHint') })]);
      also.forEach(function (s) { list.appendChild(suggestionCard(s, 'card small')); });
      nodes.push(list);
    }
    show('suggestions', nodes, keepFocus);
  }

  /** Before choosing: is someone there now, and (only when it can be said honestly) how long is the wait. */
  function waitText(wait) {
    if (!wait.staffed) { return t('unstaffedShort'); }
    if (wait.estimatedWaitSeconds === null || wait.estimatedWaitSeconds === undefined) { return t('staffedNow'); }
    return t('staffedWait', { m: Math.max(1, Math.round(wait.estimatedWaitSeconds / 60)) });
  }

  /** One suggested (or also-offered) help point: name, why, description, chat button, contact data, cost. */
  function suggestionCard(s, className) {
    var card = S.cards[s.helpPoint] || { id: s.helpPoint, name: s.helpPoint, kind: s.kind };
    var why = whyText(s);
    // Reachable now (brief §4 N1) is the engine's view when present: a queue can be open by its hours but unstaffed,
    // and a help point with unknown hours is never reachable now. "Nu gesloten" is said only from the hours.
    var openNow = typeof s.reachableNow === 'boolean' ? s.reachableNow
      : (typeof card.reachableNow === 'boolean' ? card.reachableNow : card.openNow);
    var parts = [el(className === 'card' ? 'h2' : 'h3', { text: cardName(card) }),
      why ? el('p', { className: 'why', text: why }) : null, el('p', { text: lt(card.description) }),
      card.notice ? el('p', { className: 'notice-note', text: lt(card.notice) }) : null];
    if ((card.openNow === false || (openNow === false && s.opensAt)) && (card.kind === 'queue' || card.phone)) {
      parts.push(el('p', { className: 'closed-note', text: t('closedNow') }));
      if (opensAtText(s.opensAt)) { parts.push(el('p', { className: 'opens-at', text: opensAtText(s.opensAt) })); }
    } else if (openNow === true && Array.isArray(s.openNow) && Array.isArray(s.channels)
      && s.openNow.length < s.channels.length) {
      // Some lines open, some not (e.g. the phone is open, the chat here is not staffed): say which work now.
      parts.push(el('p', { className: 'open-note', text: t('linesOpen', { lines: s.openNow.map(function (c) {
        return t('line_' + c);
      }).join(', ') }) }));
    }
    // The wait note follows the queue's hours, not reachableNow: a queue open by its hours but unstaffed is not
    // reachable now (the engine counts staffing), and that is exactly when "Nu is er niemand online" must be said.
    if (card.openNow !== false && card.kind === 'queue' && card.full) {
      parts.push(el('p', { className: 'closed-note wait-note', text: t('fullShort') }));
    } else if (card.openNow !== false && card.kind === 'queue' && card.wait) {
      // Issue 17: before choosing, whether someone is online now and (only when honest) the wait.
      parts.push(el('p', { className: card.wait.staffed ? 'wait-note' : 'closed-note wait-note',
        text: waitText(card.wait) }));
    }
    if (card.kind === 'queue') {
      parts.push(button(t('chatWith', { name: cardName(card) }), function () { choose(s.helpPoint, false); },
        className === 'card' ? 'primary' : null, { 'data-help-point': s.helpPoint }));
      // Issue 19: leaving a message is always a choice, not only when the chat is closed.
      parts.push(leaveButton(s.helpPoint, card));
    }
    contactLinks(card, s.cost).forEach(function (n) { parts.push(n); });
    return el('article', { className: className, 'data-help-point': s.helpPoint, 'data-rule': s.rule || null,
      'data-kind': card.kind || null,
      'data-open-now': openNow === true ? 'true' : (openNow === false ? 'false' : 'unknown') }, parts);
  }

  /** " Open vanaf di 09:00." from the engine's opensAt (local time in the Netherlands, ISO-8601 with offset). */
  function opensAtText(iso) {
    var m = typeof iso === 'string' && /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
    if (!m) { return ''; }
    var day = new Date(m[1] + 'T12:00:00Z').getUTCDay();
    var key = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][day];
    return t('opensAt', { day: t('day_' + key), time: m[2] });
  }

  /** The "why" of a suggestion in the reader's mode: {nl, nl_easy, en} or the older why/whyEasy/whyEn strings. */
  function whyText(s) {
    if (s.whyText && typeof s.whyText === 'object') { return lt(s.whyText); }
    if (s.why && typeof s.why === 'object') { return lt(s.why); }
    if (S.lang === 'en') { return s.whyEn || s.why || ''; }
    if (S.lang === 'easy') { return s.whyEasy || s.whyNlEasy || s.why || ''; }
    return s.why || '';
  }

  /** A help point's name: a plain string, or {nl, nl_easy, en} when the configuration translates it. */
  function cardName(card) {
    if (card.names && typeof card.names === 'object') { return lt(card.names) || card.name || card.id; }
    if (card.name && typeof card.name === 'object') { return lt(card.name); }
    if (S.lang === 'en' && card.nameEn) { return card.nameEn; }
    return card.name || card.id;
  }

  function contactLinks(card, itemCost) {
    var out = [];
    if (card.phone) {
      out.push(el('p', { className: 'contact' }, [el('a', { href: 'tel:' + card.phone.replace(/[^0-9+]/g, ''),
        text: t('call', { phone: isolate(card.phone) }) })]));
      var cost = itemCost || card.cost;
      if (cost === 'free' || cost === 'paid') {
        // Paid 0900 numbers say so: the call costs money and shows on the (possibly shared) phone bill.
        out.push(el('p', { className: 'cost cost-' + cost, text: t(cost) }));
      }
    }
    if (card.chatUrl && /^https?:\/\//.test(card.chatUrl)) {
      out.push(el('p', { className: 'contact' }, [helpLink(card.chatUrl, t('otherChat'))]));
    }
    if (card.url && /^https?:\/\//.test(card.url)) { // only web links, never javascript: or data:
      out.push(el('p', { className: 'contact' }, [helpLink(card.url,
        t('website') + ': ' + card.url.replace(/^https?:\/\//, ''))]));
    }
    return out;
  }

  /**
   * A help point's website: opened by script in a new window whose handle this page keeps, so quick exit closes it
   * as well (issue 19). Without script or when the window is refused, the plain link still works.
   */
  function helpLink(url, text) {
    return el('a', { href: url, rel: 'noopener noreferrer', target: '_blank', className: 'help-link', text: text,
      onclick: function (e) { if (openHelpWindow(url)) { e.preventDefault(); } } });
  }

  function choose(helpPoint, talk) {
    var answers = copyAnswers(talk ? { talk_now: true } : null);
    S.chosen = helpPoint;
    renderWaiting();
    // The reading mode goes along, so the counselor knows how to write and statistics count it.
    requestIntake({ type: 'choose', helpPoint: helpPoint, answers: answers,
      lang: langKey(S.lang) });
  }

  function talkNow() {
    S.talkNowPending = true;
    choose(TRIAGE, true);
  }

  /** A counselor proposes a referral: ask the visitor, in the chat, whether the conversation may be forwarded. */
  function onReferral(f) {
    if (typeof f.referralId !== 'string') { return; }
    S.referral = f;
    removeReferralBox();
    if (S.screen === 'chat' && $('composer')) { $('composer').before(referralBox()); }
    announce(referralQuestion(f), true);
  }

  /** The referral question in the reader's language ({@code questions}), or the older nl/easy/en strings. */
  function referralQuestion(f) {
    if (f.questions && typeof f.questions === 'object') { return lt(f.questions); }
    if (S.lang === 'en') { return f.questionEn || f.question; }
    if (S.lang === 'easy') { return f.questionEasy || f.question; }
    return f.question;
  }

  function referralBox() {
    var f = S.referral;
    var answer = function (accept) {
      return function () {
        sendFrame({ type: 'consent', referralId: f.referralId, accept: accept });
        S.referral = null;
        removeReferralBox();
      };
    };
    return el('div', { className: 'notice', id: 'referral', role: 'alert' }, [
      el('p', { text: referralQuestion(f) }),
      el('div', { className: 'row' }, [
        button(t('referralYes'), answer(true), null, { id: 'referral-yes' }),
        button(t('referralNo'), answer(false), 'quiet', { id: 'referral-no' })])]);
  }

  /**
   * A counselor-triggered rule (U1, suicide risk): the help point's card (113) shown at the top of the chat, with
   * its phone and chat. Kept in memory, so it stays after a re-render and on the ended screen.
   */
  function onUrgentCard(f) {
    if (!f.card || typeof f.card !== 'object') { return; }
    S.urgentCard = f;
    var old = $('urgent-card');
    if (old) { old.replaceWith(urgentBox()); } else if (S.screen === 'chat' && $('log-region')) { $('log-region').before(urgentBox()); }
    else if (S.screen === 'ended') { renderEnded(true); }
    announce(cardName(f.card) + '. ' + whyText(f), true);
  }

  function urgentBox() {
    var f = S.urgentCard;
    var parts = [el('h2', { text: t('urgentTitle') }), el('p', { className: 'why', text: whyText(f) }),
      el('p', { className: 'urgent-name', text: cardName(f.card) + (f.card.description ? ': ' + lt(f.card.description) : '') })];
    contactLinks(f.card).forEach(function (n) { parts.push(n); });
    return el('section', { className: 'card urgent', id: 'urgent-card', role: 'alert', 'data-rule': f.rule || null,
      'data-help-point': f.helpPoint || f.card.id }, parts);
  }

  function removeReferralBox() {
    var box = $('referral');
    if (box) { box.remove(); }
  }

  function onCard(frame) {
    if (S.screen === 'chat') {
      // A declined referral: nothing was shared and the chat goes on; show the other help point's contacts here.
      var c = frame.card || { name: frame.helpPoint };
      setNotice(t('referralDeclined', { name: (cardName(c) || frame.helpPoint) + (c.phone ? ' (' + isolate(c.phone) + ')' : '') }));
      return;
    }
    S.intakeRequest = null;
    S.card = frame.card || { id: frame.helpPoint, name: frame.helpPoint };
    S.alternatives = Array.isArray(frame.alternatives) ? frame.alternatives : null;
    renderCard();
  }

  function renderCard(keepFocus) {
    var card = S.card;
    var nodes = [heading(t('cardTitle', { name: cardName(card) })), el('p', { text: lt(card.description) })];
    if (card.notice) { nodes.push(el('p', { className: 'notice-note', text: lt(card.notice) })); }
    contactLinks(card).forEach(function (n) { nodes.push(n); });
    if (card.openNow === false) { nodes.push(el('p', { className: 'closed-note', text: t('closedNow') })); }
    if (opensAtText(card.opensAt)) { nodes.push(el('p', { className: 'opens-at', text: opensAtText(card.opensAt) })); }
    if (!reachable(card)) {
      // Not known to be open now (closed, unknown hours, or no phone at all): never a dead end (brief §4 N1).
      openNowList(S.alternatives || openAlternatives(card.id)).forEach(function (n) { nodes.push(n); });
    }
    nodes.push(backButton());
    show('card', nodes, keepFocus);
  }

  /** Every screen after a choice has a way back: to the suggestions, or to the questions when there are none yet. */
  function backButton() {
    if (S.suggestions) {
      return button(t('back'), function () { renderSuggestions(); }, 'quiet', { id: 'back' });
    }
    return button(t('backQuestions'), function () { renderQuestion(); }, 'quiet', { id: 'back' });
  }

  function onUnavailable(frame) {
    S.intakeRequest = null;
    S.talkNowPending = false;
    S.card = frame.card || { id: frame.helpPoint, name: frame.helpPoint };
    S.alternatives = Array.isArray(frame.alternatives) ? frame.alternatives : null;
    S.unavailableReason = frame.reason;
    renderUnavailable();
  }

  function renderUnavailable(keepFocus) {
    var card = S.card;
    var full = S.unavailableReason === 'full';
    var nodes = [heading(t(full ? 'fullTitle' : 'closedTitle', { name: cardName(card) }))];
    if (opensAtText(card.opensAt)) { nodes.push(el('p', { className: 'opens-at', text: opensAtText(card.opensAt) })); }
    if (card.openingHours && typeof card.openingHours === 'object') {
      nodes.push(el('p', { text: t('closedHours') }));
      var list = el('ul', { className: 'hours' });
      DAY_KEYS.forEach(function (d) {
        var ranges = card.openingHours[d] || [];
        list.appendChild(el('li', { text: t('day_' + d) + ' ' + (ranges.length ? ranges.join(', ') : t('closedDay')) }));
      });
      nodes.push(list);
    }
    contactLinks(card).forEach(function (n) { nodes.push(n); });
    if (card.kind === 'queue' || S.leaveAllowed) {
      // Issue 19: closed, unstaffed or full, the visitor can still leave a message and come back for the answer.
      nodes.push(el('section', { className: 'leave-offer', id: 'leave-offer', 'aria-labelledby': 'leave-offer-title' }, [
        el('h2', { id: 'leave-offer-title', text: t('leaveOfferTitle') }), el('p', { text: t('leaveOfferText') }),
        leaveButton(card.id, card, 'primary')]));
    }
    if (!inDanger()) { // in danger, the 112 button is already at the top of every screen
      nodes.push(el('div', { className: 'emergency' }, [el('p', { text: t('e112Title') }),
        el('a', { className: 'call112', href: 'tel:' + EMERGENCY_NUMBER, text: t('e112Call') })]));
    }
    openNowList(S.alternatives || openAlternatives(card.id)).forEach(function (n) { nodes.push(n); });
    nodes.push(backButton());
    show('unavailable', nodes, keepFocus);
  }

  /** While waiting with nobody online (issue 17): what is open now, listed without chat buttons (already queued). */
  function alternativesBlock(alt) {
    if (!Array.isArray(alt) || !alt.length) { return null; }
    return el('section', { id: 'alternatives', 'aria-label': t('openNowTitle') },
      [el('h2', { text: t('openNowTitle') }), openNowList(alt, true)[1]]);
  }

  /** Reachable now: the engine's view on the card when present, else its hours (unknown hours never count). */
  function reachable(card) {
    return typeof card.reachableNow === 'boolean' ? card.reachableNow : card.openNow === true;
  }

  /** "Deze hulp is nu wel bereikbaar": the options open now, each with its chat button or phone. */
  function openNowList(open, noChoose) {
    if (!open.length) { return []; }
    var list = el('div', { id: 'open-now' });
    open.forEach(function (other) {
      var parts = [el('h2', { text: cardName(other) }), el('p', { className: 'open-note', text: t('openNowLines') })];
      if (other.wait) { parts.push(el('p', { className: 'wait-note', text: waitText(other.wait) })); }
      // A queue nobody can answer now (chatNow false) is listed only for its phone line (issue 17).
      if (other.kind === 'queue' && other.chatNow !== false && !noChoose) {
        parts.push(button(t('chatWith', { name: cardName(other) }), function () {
          choose(other.id, other.id === TRIAGE);
        }, 'primary', { 'data-help-point': other.id }));
      }
      contactLinks(other).forEach(function (n) { parts.push(n); });
      list.appendChild(el('article', { className: 'card', 'data-help-point': other.id, 'data-open-now': 'true' },
        parts));
    });
    return [el('h2', { id: 'open-now-title', text: t('closedOther') }), list];
  }

  /**
   * Fallback when the gateway sent no list (older gateway): help that is open right now and fits this visitor, i.e.
   * the other suggestions and also-offers of their own route, plus the general triage chat. Only what is known to be
   * open counts (openNow === true): unknown hours are never advertised as reachable now.
   */
  function openAlternatives(exceptId) {
    var out = [];
    var seen = {};
    var add = function (card) {
      if (card && !seen[card.id] && card.id !== exceptId && reachable(card)
        && (card.kind === 'queue' || card.phone)) {
        seen[card.id] = true;
        out.push(card);
      }
    };
    var route = S.suggestions || {};
    (route.suggestions || []).concat(route.alsoOffer || []).forEach(function (s) { add(S.cards[s.helpPoint]); });
    if (!S.config.helpPoints) { loadConfig(); }
    add((S.config && S.config.helpPoints && S.config.helpPoints[TRIAGE]) || S.cards[TRIAGE]);
    return out;
  }

  // ------------------------------------------------------------------ say what happens (issue 19)
  /** Longest retention of the organisations that hold chats here, from the configuration; null when unknown. */
  function maxRetentionDays() {
    var points = (S.config && S.config.helpPoints) || {};
    var max = S.config && !S.config.helpPoints && typeof S.config.retentionDays === 'number'
      ? S.config.retentionDays : null;
    Object.keys(points).forEach(function (id) {
      var d = points[id].retentionDays;
      if (typeof d === 'number' && (max === null || d > max)) { max = d; }
    });
    return max;
  }

  /** Before the first intake question: what this is, who reads it, how long it is kept, the one limit, a tip. */
  function aboutBox() {
    var days = maxRetentionDays();
    return el('section', { className: 'about', id: 'about', 'aria-labelledby': 'about-title' }, [
      el('h2', { id: 'about-title', text: t('aboutTitle') }),
      el('p', { text: t('about1') }),
      el('p', { id: 'about-retention', text: days ? t('about2', { days: days }) : t('about2NoDays') }),
      el('p', { text: t('about3') }),
      el('p', null, [el('button', { type: 'button', className: 'linkish', id: 'privacy-link', text: t('privacyLink'),
        onclick: function () { S.beforePrivacy = S.screen; renderPrivacy(); } })]),
      el('p', { className: 'hint', id: 'private-tip', text: t('privateTip') })]);
  }

  /**
   * The privacy page, generated from the configuration (each organisation's retention) and shown in the page, so
   * reading it adds no history entry and loses nothing. Its last part is the short version of
   * docs/vertrouwelijkheid.md: when anonymity ends.
   */
  function renderPrivacy(keepFocus) {
    if (!S.config.helpPoints) { loadConfig(); } // drawn again when it arrives
    var points = (S.config && S.config.helpPoints) || {};
    var list = el('ul', { id: 'privacy-retention' });
    Object.keys(points).forEach(function (id) {
      var h = points[id];
      if (h.kind === 'queue' && typeof h.retentionDays === 'number') {
        list.appendChild(el('li', { 'data-help-point': id,
          text: cardName(h) + ': ' + t('privacyDays', { days: h.retentionDays }) }));
      }
    });
    var nodes = [heading(t('privacyTitle')), el('p', { text: t('privacyStore') }),
      el('p', { text: t('privacyRetention') }), list, el('p', { text: t('privacyDelete') }),
      el('h2', { text: t('privacyLimitTitle') }), el('p', { id: 'privacy-limit', text: t('privacyLimit') }),
      el('p', { className: 'hint', text: t('privateTip') }),
      button(t('backToStart'), function () {
        if (S.beforePrivacy && S.beforePrivacy !== 'privacy') { rerenderScreen(S.beforePrivacy); }
        else { renderQuestion(); }
      }, 'quiet', { id: 'back' })];
    show('privacy', nodes, keepFocus);
  }

  function rerenderScreen(name) {
    S.screen = name;
    rerender();
    var h = $('screen-title');
    if (h) { h.focus(); }
  }

  // ------------------------------------------------------------------ messages by code (issue 19)
  function leaveButton(helpPoint, card, className) {
    return button(t('leaveButton'), function () {
      S.leaveFor = { helpPoint: helpPoint, card: card };
      S.notice = null;
      renderLeave();
    }, className || 'quiet', { 'data-leave': helpPoint });
  }

  function renderLeave(keepFocus) {
    var card = S.leaveFor.card;
    var textarea = el('textarea', { id: 'leave-body', maxlength: String(MAX_BODY), rows: '6' });
    textarea.value = S.leaveDraft || '';
    textarea.addEventListener('input', function () { S.leaveDraft = textarea.value; });
    var sending = !!(S.intakeRequest && S.intakeRequest.type === 'leave-message');
    var form = el('form', { className: 'composer', id: 'composer', novalidate: true }, [
      el('label', { 'for': 'leave-body', text: t('yourMessage') }), textarea,
      el('button', { type: 'submit', className: 'btn primary', id: 'leave-send', disabled: sending,
        text: sending ? t('sending') : t('leaveSend') })]);
    form.addEventListener('submit', function (e) { e.preventDefault(); submitLeave(); });
    var nodes = [heading(t('leaveTitle', { name: cardName(card) })),
      el('p', { text: t('leaveText', { name: cardName(card) }) })];
    if (S.notice) { nodes.push(el('p', { className: 'notice', id: 'notice', role: 'alert', text: S.notice })); }
    nodes.push(form);
    nodes.push(backButton());
    show('leave', nodes, keepFocus);
  }

  function submitLeave() {
    var body = ($('leave-body').value || '').trim();
    if (!body) { $('leave-body').focus(); return; }
    if (body.length > MAX_BODY) { setNotice(t('tooLong')); return; }
    // One client id per message, kept over retries: the server stores it once and answers a resend with its seq.
    if (!S.leaving || S.leaving.body !== body) { S.leaving = { clientId: newClientId(), body: body }; }
    S.notice = null;
    requestIntake({ type: 'leave-message', helpPoint: S.leaveFor.helpPoint, answers: copyAnswers(),
      lang: langKey(S.lang), clientId: S.leaving.clientId,
      body: body });
    renderLeave(true);
  }

  /** Stored (after commit) and a code handed out: the code is shown once, on this screen only. */
  function onMessageLeft(f) {
    S.intakeRequest = null;
    S.status = 'inbox';
    S.code = f.code;
    S.justLeft = true;
    S.leaveDraft = '';
    if (S.leaving && !S.messages.some(function (m) { return m.clientId === S.leaving.clientId; })) {
      S.messages.push({ clientId: S.leaving.clientId, body: S.leaving.body, from: 'visitor', acked: true });
    }
    S.leaving = null;
    renderInbox();
    announce(t('leftTitle'), true);
  }

  function renderInbox(keepFocus) {
    var nodes = [heading(t(S.justLeft ? 'leftTitle' : 'inboxTitle'))];
    if (S.justLeft && S.code) {
      nodes.push(el('div', { className: 'code', id: 'message-code-box' }, [
        el('span', { text: t('leftCode') + ' ' }), el('strong', { id: 'message-code', text: groupCode(S.code) }),
        el('p', { text: t('leftHint') })]));
    }
    var log = el('ol', { className: 'log', id: 'log' });
    S.messages.forEach(function (m) { log.appendChild(messageNode(m)); });
    nodes.push(logRegion(log));
    var answered = S.messages.some(function (m) { return m.from === 'counselor'; });
    nodes.push(el('p', { className: 'status', id: 'inbox-status', role: 'status',
      text: answered ? '' : t('inboxWaiting') }));
    if (S.notice) { nodes.push(el('p', { className: 'notice', id: 'notice', role: 'alert', text: S.notice })); }
    var textarea = el('textarea', { id: 'message', maxlength: String(MAX_BODY), rows: '3' });
    textarea.value = S.draft;
    textarea.addEventListener('input', function () { S.draft = textarea.value; });
    var form = el('form', { className: 'composer', id: 'composer' }, [
      el('label', { 'for': 'message', text: t('inboxReply') }), textarea,
      el('button', { type: 'submit', className: 'btn primary', id: 'send', text: t('send') })]);
    form.addEventListener('submit', function (e) { e.preventDefault(); submitMessage(); });
    nodes.push(form);
    nodes.push(el('p', null, [button(t('wipe'), wipeScreen, 'primary', { id: 'wipe' })]));
    nodes.push(stopControls(true));
    show('inbox', nodes, keepFocus);
  }

  /**
   * One tap leaves nothing on the screen: the socket goes (a message thread stays open for its code, a chat that
   * already ended stays ended), the page state is dropped and the page is replaced without a history entry.
   */
  function wipeScreen() {
    clearTimeout(S.reconnectTimer);
    clearInterval(S.heartbeatTimer);
    S.exiting = true;
    dropSocket();
    S = freshState();
    S.exiting = true;
    document.body.replaceChildren();
    location.replace(location.pathname);
  }

  // ------------------------------------------------------------------ resume by code
  function renderResume(keepFocus) {
    var input = el('input', { type: 'text', id: 'resume-code', autocomplete: 'off', autocapitalize: 'characters',
      spellcheck: 'false', maxlength: '24', inputmode: 'text' });
    var form = el('form', { id: 'resume-form', novalidate: true }, [
      el('label', { 'for': 'resume-code', text: t('resumeLabel') }), input,
      el('p', null, [el('button', { type: 'submit', className: 'btn primary', text: t('resumeGo') })])
    ]);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var code = input.value.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
      if (code.length < 4) { input.focus(); return; }
      resumeWithCode(code);
    });
    var nodes = [heading(t('resumeTitle'))];
    if (S.notice) { nodes.push(el('p', { className: 'notice', role: 'alert', text: S.notice })); }
    nodes.push(form);
    nodes.push(button(t('e112Continue'), function () {
      S.notice = null;
      if (Q0) { S.question = Q0; renderQuestion(); } else { renderEmergency(); }
    }, 'quiet'));
    show('resume', nodes, keepFocus);
  }

  function resumeWithCode(code) {
    S.notice = null;
    S.typedCode = code;
    S.resumingByCode = true;
    S.token = null;
    S.lastSeq = 0;
    if (S.ws) { dropSocket(); }
    renderWaiting();
    connect();
  }

  // ------------------------------------------------------------------ chat
  /** The live region around the message list: role=log is not allowed on a list (axe aria-allowed-role). */
  function logRegion(list) {
    return el('div', { id: 'log-region', role: 'log', 'aria-live': 'polite',
      'aria-label': t('messages') }, [list]);
  }

  function renderChat(keepFocus) {
    var nodes = [];
    nodes.push(heading(S.status === 'assigned' ? t('chatTitle') : t('queuedTitle')));
    nodes.push(el('p', { className: 'status', id: 'status', role: 'status', text: statusText() }));
    var alternatives = S.status === 'queued' && S.queue && S.queue.staffed === false
      ? alternativesBlock(S.queue.alternatives) : null;
    if (alternatives) { nodes.push(alternatives); }
    if (S.code) {
      nodes.push(el('div', { className: 'code', id: 'resume-box' }, [
        el('span', { text: t('codeText') + ' ' }), el('strong', { id: 'resume-code-shown', text: groupCode(S.code) }),
        el('p', { text: t('codeHint') })]));
    }
    if (S.urgentCard) { nodes.push(urgentBox()); }
    nodes.push(el('div', { className: 'pause-box' }, [button(t('pause'), pauseChat, 'quiet', { id: 'pause' }),
      el('p', { className: 'hint', text: t('pauseHint') })]));
    var log = el('ol', { className: 'log', id: 'log' });
    S.messages.forEach(function (m) { log.appendChild(messageNode(m)); });
    nodes.push(logRegion(log));
    nodes.push(el('p', { className: 'typing', id: 'typing', 'aria-live': 'polite' }));
    if (S.notice) { nodes.push(el('p', { className: 'notice', id: 'notice', role: 'alert', text: S.notice })); }
    if (S.referral) { nodes.push(referralBox()); }
    var textarea = el('textarea', { id: 'message', maxlength: String(MAX_BODY), rows: '3' });
    textarea.value = S.draft;
    textarea.addEventListener('input', function () { S.draft = textarea.value; sendTyping(); });
    textarea.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submitMessage(); }
    });
    var form = el('form', { className: 'composer', id: 'composer' }, [
      el('label', { 'for': 'message', text: t('yourMessage') }), textarea,
      el('button', { type: 'submit', className: 'btn primary', id: 'send', text: t('send') })]);
    form.addEventListener('submit', function (e) { e.preventDefault(); submitMessage(); });
    nodes.push(form);
    nodes.push(stopControls());
    show('chat', nodes, keepFocus);
  }

  /**
   * "Ik kan nu even niet praten": one tap hides the chat behind a neutral screen and tells the server, which keeps
   * the queue place for the pause grace (a locked phone suspends the page and its socket) and tells the counselor.
   * Messages that arrive meanwhile are kept in memory and shown after "Verder"; no read receipts, no announcements.
   */
  function pauseChat() {
    S.paused = true;
    sendFrame({ type: 'pause' }); // offline: sent again with the next welcome
    renderPaused();
  }

  function renderPaused(keepFocus) {
    document.body.classList.add('paused');
    // Nothing left in the page that a screen reader or a curious tap could bring back.
    $('announce').textContent = '';
    $('announce-polite').textContent = '';
    show('paused', [el('h1', { id: 'screen-title', tabindex: '-1', text: t('pausedTitle') }),
      button(t('pauseBack'), resumeChat, 'primary', { id: 'pause-back' })], keepFocus);
  }

  function resumeChat() {
    S.paused = false;
    document.body.classList.remove('paused');
    if (S.ended) { renderEnded(); return; }
    sendFrame({ type: 'resume' });
    renderChat();
    var last = S.messages.filter(function (m) { return m.from !== 'visitor' && m.seq; }).pop();
    if (last && S.session) { sendFrame({ type: 'read', seq: last.seq }); }
  }

  function stopControls(deleteOnly) {
    if (S.confirmStop && !deleteOnly) {
      return el('div', { id: 'stop-confirm' }, [el('p', { text: t('stopConfirm') }), el('div', { className: 'row' }, [
        button(t('stopYes'), function () { leave(false); }, 'danger', { id: 'stop-yes' }),
        button(t('stopNo'), function () { S.confirmStop = false; rerenderStop(); }, 'quiet')])]);
    }
    if (S.confirmDelete) {
      return el('div', { id: 'stop-confirm' }, [el('p', { text: t('deleteConfirm') }), el('div', { className: 'row' }, [
        button(t('deleteYes'), function () { deleteConversation(); }, 'danger', { id: 'delete-yes' }),
        button(t('stopNo'), function () { S.confirmDelete = false; rerenderStop(); }, 'quiet')])]);
    }
    return el('div', { id: 'stop-controls' }, [
      deleteOnly ? null
        : el('p', null, [button(t('stop'), function () { S.confirmStop = true; rerenderStop(); }, 'danger', { id: 'stop' })]),
      el('p', null, [button(t('delete'), function () { S.confirmDelete = true; rerenderStop(); }, 'quiet',
        { id: 'delete' })])]);
  }

  /** Delete on request: the server destroys keys and messages at once; the page forgets the chat too. */
  function deleteConversation() {
    S.confirmDelete = false;
    if (!sendFrame({ type: 'delete' })) { rerenderStop(); setNotice(t('offline')); }
  }

  function rerenderStop() {
    var old = $('stop-controls') || $('stop-confirm');
    if (old) { old.replaceWith(stopControls(S.screen === 'inbox')); }
  }

  function groupCode(code) {
    return code.length === 8 || code.length === 12 || code.length === 16 ? code.match(/.{4}/g).join(' ') : code;
  }

  /**
   * Issue 23, said honestly in the visitor's language: while queued, that nobody on shift speaks it (and which
   * language the counselor will likely use); once assigned, the language this counselor writes in when it is not
   * the visitor's own.
   */
  function languageText() {
    var name = S.counselor || t('counselor');
    if (S.status === 'assigned') {
      // Only Dutch or English can differ from what the visitor reads (a counselor writing the visitor's own
      // language is what they expect).
      var mine = langKey(S.lang);
      if ((S.writes !== 'nl' && S.writes !== 'en') || mine === S.writes || (S.writes === 'nl' && mine === 'nl_easy')) {
        return '';
      }
      return ' ' + t(S.writes === 'en' ? 'writesEn' : 'writesNl', { name: name });
    }
    var l = S.queue && S.queue.language;
    if (!l || l.spoken !== false) { return ''; }
    return ' ' + t(l.writes === 'en' ? 'langNoneEn' : 'langNoneNl');
  }

  function statusText() {
    return queueText() + languageText();
  }

  function queueText() {
    if (S.status === 'assigned') { return t('assigned', { name: S.counselor || t('counselor') }); }
    if (S.queue) {
      if (S.queue.staffed === false) { return t('unstaffed', { n: S.queue.position }) + ' ' + t('queueHint'); }
      if (S.queue.wait === null || S.queue.wait === undefined) {
        return t('queuePosOnly', { n: S.queue.position }) + ' ' + t('queueHint');
      }
      if (S.queue.wait === 0) { return t('queueSoon', { n: S.queue.position }) + ' ' + t('queueHint'); }
      return t('queuePos', { n: S.queue.position, m: Math.max(1, Math.round(S.queue.wait / 60)) }) + ' '
        + t('queueHint');
    }
    return t('queueHint');
  }

  function updateStatus() {
    if (S.paused) { return; }
    if (S.screen !== 'chat') { renderChat(); return; }
    $('status').textContent = statusText();
    var old = $('alternatives');
    var alt = S.status === 'queued' && S.queue && S.queue.staffed === false ? alternativesBlock(S.queue.alternatives)
      : null;
    if (old && !alt) { old.parentNode.removeChild(old); }
    if (alt) { if (old) { old.parentNode.replaceChild(alt, old); } else { $('status').insertAdjacentElement('afterend', alt); } }
    var h = $('screen-title');
    if (h) { h.textContent = S.status === 'assigned' ? t('chatTitle') : t('queuedTitle'); }
  }

  function messageNode(m) {
    var mine = m.from === 'visitor';
    var meta = mine ? (m.read ? t('read') : (m.acked ? t('sent') : t('sending'))) : (m.time || '');
    var who = el('span', { className: 'sr-only', text: (mine ? t('you') : t('counselor')) + ': ' });
    return el('li', { className: 'msg ' + (mine ? 'me' : 'them'), 'data-client-id': m.clientId || null,
      'data-seq': m.seq ? String(m.seq) : null }, [who, document.createTextNode(m.body),
      el('span', { className: 'meta', text: meta })]);
  }

  function refreshMessage(m) {
    if (S.screen !== 'chat' && S.screen !== 'inbox') { return; }
    var log = $('log');
    var nodes = log.children;
    for (var i = 0; i < nodes.length; i++) {
      if (m.clientId && nodes[i].getAttribute('data-client-id') === m.clientId) {
        nodes[i].replaceWith(messageNode(m));
        return;
      }
    }
  }

  /**
   * Adds a message in seq order (issue 19: after a reconnect the page shows what the counselor sees): a stored
   * message goes before every later one and before what is still being sent; unsent ones stay last, as typed.
   */
  function appendMessage(m, quiet) {
    var i = S.messages.length;
    if (m.seq) {
      while (i > 0 && (!S.messages[i - 1].seq || S.messages[i - 1].seq > m.seq)) { i--; }
    }
    S.messages.splice(i, 0, m);
    if (S.screen === 'chat' || S.screen === 'inbox') {
      if (m.from === 'counselor' && $('inbox-status')) { $('inbox-status').textContent = ''; }
      var node = messageNode(m);
      var log = $('log');
      log.insertBefore(node, log.children[i] || null);
      // Keep the newest message in view above the composer, without stealing focus from the text box.
      if (!quiet) { node.scrollIntoView({ block: 'nearest' }); }
    }
  }

  /** A sent message got its seq: it moves to its place in seq order. */
  function reposition(m) {
    var at = S.messages.indexOf(m);
    if (at < 0) { return; }
    S.messages.splice(at, 1);
    var log = S.screen === 'chat' || S.screen === 'inbox' ? $('log') : null;
    if (log && log.children[at]) { log.removeChild(log.children[at]); }
    appendMessage(m, true);
  }

  function submitMessage() {
    var textarea = $('message');
    var body = textarea.value.trim();
    if (!body || S.ended) { return; }
    if (body.length > MAX_BODY) { setNotice(t('tooLong')); return; }
    var m = { clientId: newClientId(), body: body, from: 'visitor', acked: false };
    S.pending.push(m);
    appendMessage(m);
    textarea.value = '';
    S.draft = '';
    textarea.focus();
    if (S.session) { sendFrame({ type: 'message', clientId: m.clientId, body: m.body }); }
  }

  function newClientId() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return 'm-' + Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  function sendTyping() {
    var now = Date.now();
    if (S.session && now - S.lastTypingSent > 3000) {
      S.lastTypingSent = now;
      sendFrame({ type: 'typing' });
    }
  }

  function setNotice(text) {
    S.notice = text;
    var n = $('notice');
    if (S.screen === 'chat' || S.screen === 'inbox' || S.screen === 'leave') {
      if (!n) { n = el('p', { className: 'notice', id: 'notice', role: 'alert' }); $('composer').before(n); }
      n.textContent = text;
    } else {
      announce(text, true);
    }
  }

  function onMessage(f) {
    if (typeof f.seq !== 'number' || f.seq <= S.lastSeq) { return; } // replayed twice: already shown
    S.lastSeq = f.seq;
    if (f.from === 'visitor') {
      var mine = S.messages.filter(function (m) { return m.clientId && m.clientId === f.clientId; })[0];
      if (mine) {
        mine.seq = f.seq; mine.acked = true;
        removePending(f.clientId);
        reposition(mine);
        return;
      }
      appendMessage({ seq: f.seq, from: 'visitor', body: f.body, clientId: f.clientId, acked: true });
      return;
    }
    var time = f.at ? new Date(f.at).toLocaleTimeString(language(S.lang).locale,
      { hour: '2-digit', minute: '2-digit' }) : '';
    appendMessage({ seq: f.seq, from: f.from, body: f.body, time: time });
    showTyping(false);
    // The log is role=log/aria-live=polite: screen readers read the new item ("Hulpverlener: …") themselves.
    if (S.session && !S.paused && document.visibilityState === 'visible') { sendFrame({ type: 'read', seq: f.seq }); }
  }

  function removePending(clientId) {
    S.pending = S.pending.filter(function (p) { return p.clientId !== clientId; });
  }

  function onAck(f) {
    removePending(f.clientId);
    var mine = S.messages.filter(function (m) { return m.clientId === f.clientId; })[0];
    if (mine) { mine.acked = true; mine.seq = f.seq; reposition(mine); }
  }

  function onRead(f) {
    S.messages.forEach(function (m) {
      if (m.from === 'visitor' && m.seq && m.seq <= f.seq && !m.read) { m.read = true; refreshMessage(m); }
    });
  }

  function showTyping(on) {
    clearTimeout(S.typingTimer);
    var node = $('typing');
    if (!node) { return; }
    node.textContent = on ? t('typing') : '';
    if (on) { S.typingTimer = setTimeout(function () { showTyping(false); }, 5000); }
  }

  function onClosed() {
    S.ended = true;
    S.status = 'closed';
    S.pending = [];
    S.reloadTicket = null;
    wipeTicket();
    dropSocket();
    if (S.paused) { return; } // shown after "Verder", not on the neutral screen
    renderEnded();
    announce(t('endedTitle'), true);
  }

  function renderEnded(keepFocus) {
    var nodes = [heading(t('endedTitle'))];
    if (S.notice) { nodes.push(el('p', { className: 'notice', text: S.notice })); }
    nodes.push(el('p', { text: t('endedText') }));
    nodes.push(el('a', { className: 'call112', href: 'tel:' + EMERGENCY_NUMBER, id: 'ended-112', text: t('e112Call') }));
    if (S.urgentCard) { nodes.push(urgentBox()); }
    if (S.messages.length) {
      var log = el('ol', { className: 'log', id: 'log', 'aria-label': t('messages') });
      S.messages.forEach(function (m) { log.appendChild(messageNode(m)); });
      nodes.push(log);
    }
    // Issue 19: next steps, and one tap that leaves nothing of the conversation on a shared phone.
    nodes.push(el('h2', { text: t('nextTitle') }));
    nodes.push(el('p', { text: t('nextMessage') }));
    nodes.push(el('p', { text: t('nextWipe') }));
    nodes.push(el('p', null, [button(t('wipe'), wipeScreen, 'primary', { id: 'wipe' })]));
    // A fresh page without a history entry: location.replace keeps Back from leading into the old chat.
    nodes.push(button(t('again'), function () { location.replace(location.pathname); }, null, { id: 'again' }));
    show('ended', nodes, keepFocus);
  }

  function leave(hurry) {
    if (S.session) { sendFrame({ type: 'bye', hurry: hurry }); return; }
    // Not connected: the server still hears it (and revokes the reload ticket) when the network lets it through.
    if (S.token || S.code) {
      try {
        navigator.sendBeacon('/api/quick-exit', JSON.stringify(S.token ? { resume: S.token, hurry: hurry }
          : { resumeCode: S.code, hurry: hurry }));
      } catch (e) { /* the queue grace ends it on the server */ }
    }
    onClosed();
  }

  // ------------------------------------------------------------------ continuity in the same tab (issue 19)
  /** A chat is open: in the queue or with a counselor, not ended, not leaving. */
  function chatOpen() {
    return (S.status === 'queued' || S.status === 'assigned') && !S.ended && !S.exiting;
  }

  /**
   * Keeps the current reload ticket for a reload or Back in this tab while a chat is open: half in sessionStorage,
   * half in window.name. Neither half alone resumes anything; the server takes the ticket once, for about a
   * minute after the line dropped. Without an open chat nothing is kept.
   */
  function keepTicket() {
    if (!(chatOpen() || S.reloading) || !S.reloadTicket) { wipeTicket(); return; }
    var half = Math.floor(S.reloadTicket.length / 2);
    try {
      sessionStorage.setItem(TICKET_KEY, S.reloadTicket.slice(0, half));
      window.name = TICKET_NAME + S.reloadTicket.slice(half);
    } catch (e) { wipeTicket(); }
  }

  function wipeTicket() {
    try { sessionStorage.removeItem(TICKET_KEY); } catch (e) { /* storage blocked: nothing was kept */ }
    try { if (String(window.name).indexOf(TICKET_NAME) === 0) { window.name = ''; } } catch (e) { /* ignore */ }
  }

  /** At start: takes (and wipes at once) a reload ticket this tab kept; true when there was a whole one. */
  function takeTicket() {
    var first = null;
    var second = null;
    try { first = sessionStorage.getItem(TICKET_KEY); } catch (e) { first = null; }
    try { second = String(window.name).indexOf(TICKET_NAME) === 0 ? String(window.name).slice(TICKET_NAME.length) : null; }
    catch (e) { second = null; }
    wipeTicket();
    if (!first || !second) { return false; }
    S.reloadTicket = first + second;
    S.reloading = true;
    return true;
  }

  /** Help-point websites open in a window this page keeps a handle to, so quick exit can close it too. */
  function openHelpWindow(url) {
    var w = null;
    try { w = window.open(url, '_blank'); } catch (e) { w = null; }
    if (!w) { return false; }
    // The opener link stays: without it Chromium no longer lets this page close the window. The sites are the help
    // points' own (configured in help-points.yaml), and no referrer goes along (Referrer-Policy: no-referrer).
    helpWindows.push(w);
    return true;
  }

  function closeHelpWindows() {
    helpWindows.forEach(function (w) { try { w.close(); } catch (e) { /* already closed */ } });
    helpWindows = [];
  }

  // ------------------------------------------------------------------ connection
  function requestIntake(frame) {
    S.intakeRequest = frame;
    S.wantConnection = true;
    if (S.session) { sendFrame(frame); return; }
    // No socket (yet) on a network that blocks WebSockets: the intake goes on over plain HTTP (issue 19); choosing a
    // help point waits for the fallback line.
    if (S.fallback && frame.type === 'answers') { httpIntake(frame); }
    if (!S.ws) { connect(); }
  }

  /** One intake step over HTTP: the same answers frame, and the reply is the frame the socket would send. */
  function httpIntake(frame) {
    if (S.httpIntake === frame) { return; }
    S.httpIntake = frame;
    var body = { answers: frame.answers };
    if (frame.after) { body.after = frame.after; }
    fetch('/api/intake', { method: 'POST', cache: 'no-store', credentials: 'omit',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json(); })
      .then(function (reply) {
        if (S.httpIntake === frame) { S.httpIntake = null; }
        if (S.intakeRequest !== frame || S.exiting) { return; }
        if (reply && (reply.type === 'question' || reply.type === 'suggestions')) { onFrame(reply); }
      })
      .catch(function () {
        // The socket may still answer; meanwhile the waiting screen lists the phone lines open now.
        if (S.httpIntake === frame) { S.httpIntake = null; }
      });
  }

  /**
   * The WebSocket did not bring a welcome in time on its first try: this network probably blocks WebSockets. From
   * now on this page uses the SockJS fallback (same frames, same server), and the intake goes on over HTTP at once.
   */
  function useFallback() {
    S.fallback = true;
    dropSocket();
    if (S.intakeRequest && S.intakeRequest.type === 'answers') { httpIntake(S.intakeRequest); }
    if (S.screen === 'waiting') { renderWaiting(true); }
    connect();
  }

  /** The SockJS client is loaded only when it is needed (it is served from this origin, MIT licence beside it). */
  function openFallbackLine() {
    if (window.SockJS) {
      try {
        return new window.SockJS(SOCKJS_PATH, null, { transports: ['xhr-streaming', 'xhr-polling'] });
      } catch (e) {
        return null;
      }
    }
    if (!S.sockjsLoading) {
      S.sockjsLoading = true;
      var script = document.createElement('script');
      script.src = SOCKJS_CLIENT;
      script.onload = function () { S.sockjsLoading = false; if (!S.ws) { connect(); } };
      script.onerror = function () { S.sockjsLoading = false; scheduleReconnect(); };
      document.head.appendChild(script);
    }
    return undefined;
  }

  function connect() {
    if (S.exiting || S.ended) { return; }
    clearTimeout(S.reconnectTimer);
    S.wantConnection = true;
    var ws;
    var firstTry = !S.fallback && !S.wsWorked;
    if (S.fallback) {
      ws = openFallbackLine();
      if (ws === undefined) { return; } // the client script is loading; connect() runs again when it is there
      if (!ws) { scheduleReconnect(); return; }
    } else {
      try {
        ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
      } catch (e) {
        useFallback();
        return;
      }
    }
    S.ws = ws;
    S.session = false;
    // A connection attempt over a dead network can hang without failing: give it up after twice the pong timeout
    // and try again (the backoff continues), so the page comes back as soon as the network does. The very first
    // WebSocket of the page gets WS_WAIT_MS to bring a welcome; without one the page switches to the fallback.
    var hb = (S.config && S.config.heartbeat) || {};
    clearTimeout(S.connectTimer);
    S.connectTimer = setTimeout(function () {
      if (ws !== S.ws || S.ended || S.exiting) { return; }
      if (firstTry && !S.session) { useFallback(); return; }
      if (ws.readyState !== 1) { dropSocket(); scheduleReconnect(); }
    }, firstTry ? WS_WAIT_MS : 2 * (hb.pongTimeoutSeconds || 10) * 1000);
    ws.onopen = function () {
      if (!firstTry) { clearTimeout(S.connectTimer); }
      startHeartbeat(ws);
      var hello = { type: 'hello', v: PROTOCOL_VERSION };
      if (S.token) { hello.resume = S.token; hello.lastSeq = S.lastSeq; }
      else if (S.typedCode) { hello.resumeCode = S.typedCode; hello.lastSeq = S.lastSeq; }
      else if (S.reloadTicket && S.reloading) { hello.reload = S.reloadTicket; hello.lastSeq = 0; }
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = function (ev) {
      if (ws !== S.ws) { return; }
      S.pingSentAt = 0; // any frame proves the line is alive
      var frame;
      try { frame = JSON.parse(ev.data); } catch (e) { return; }
      // Over SockJS the line's close code comes as a last frame (SockJS itself always closes with 3000).
      if (frame && frame.type === 'close') { ws.vpCloseCode = frame.code; return; }
      onFrame(frame);
    };
    ws.onclose = function (ev) {
      if (ws !== S.ws) { return; }
      S.ws = null;
      S.session = false;
      if (S.exiting || S.ended) { return; }
      if ((ws.vpCloseCode || ev.code) === 4409) { S.notice = t('replaced'); onClosed(); return; }
      // The first WebSocket closed before any welcome: refused or cut by the network, so the fallback at once.
      if (firstTry) { clearTimeout(S.connectTimer); useFallback(); return; }
      scheduleReconnect();
    };
    ws.onerror = function () { /* onclose follows */ };
  }

  function dropSocket() {
    var ws = S.ws;
    S.ws = null;
    S.session = false;
    if (ws) { try { ws.close(1000); } catch (e) { /* already closed */ } }
  }

  /**
   * Heartbeat: a ping every heartbeat.pingSeconds (from /api/config); when no pong (or any frame) comes within
   * heartbeat.pongTimeoutSeconds the line is dead even though the phone did not notice (Wi-Fi to 4G, a NAT that
   * forgot us): drop the socket, show "Geen verbinding" and reconnect. One ticker, so settings that arrive after the
   * socket opened still apply.
   */
  function startHeartbeat(ws) {
    clearInterval(S.heartbeatTimer);
    S.pingSentAt = 0;
    S.lastPingAt = Date.now();
    S.heartbeatTimer = setInterval(function () {
      if (ws !== S.ws) { clearInterval(S.heartbeatTimer); return; }
      var hb = (S.config && S.config.heartbeat) || {};
      var now = Date.now();
      if (S.pingSentAt && now - S.pingSentAt > (hb.pongTimeoutSeconds || 10) * 1000) {
        clearInterval(S.heartbeatTimer);
        if (!S.ended && !S.exiting) { dropSocket(); scheduleReconnect(); }
        return;
      }
      if (ws.readyState === 1 && now - S.lastPingAt >= (hb.pingSeconds || 15) * 1000) {
        S.lastPingAt = now;
        if (!S.pingSentAt) { S.pingSentAt = now; }
        ws.send(JSON.stringify({ type: 'ping' }));
      }
    }, 500);
  }

  /** Exponential backoff with jitter, so thousands of phones do not reconnect in the same second. */
  function scheduleReconnect() {
    var base = Math.min(15000, 500 * Math.pow(2, S.retries));
    var delay = Math.round(base * (0.5 + Math.random() * 0.5));
    S.retries++;
    renderNet();
    if (S.screen === 'waiting') { renderWaiting(true); } // "Geen verbinding": the phone lines open now show
    clearTimeout(S.reconnectTimer);
    S.reconnectTimer = setTimeout(connect, delay);
  }

  function sendFrame(frame) {
    if (S.ws && S.ws.readyState === 1) { S.ws.send(JSON.stringify(frame)); return true; }
    return false;
  }

  function onFrame(f) {
    switch (f.type) {
      case 'welcome': return onWelcome(f);
      case 'question': return onQuestion(f.question);
      case 'suggestions': return onSuggestions(f);
      case 'card': return onCard(f);
      case 'referral': return onReferral(f);
      case 'referral-accepted':
        S.referral = null;
        removeReferralBox();
        setNotice(t('referralAccepted'));
        return;
      case 'unavailable': return onUnavailable(f);
      case 'urgent-card': return onUrgentCard(f);
      case 'queued':
        S.status = 'queued';
        var before = S.queue && S.queue.position;
        S.queue = { position: f.position, wait: f.estimatedWaitSeconds, staffed: f.staffed,
          alternatives: f.alternatives || null, language: f.language || null };
        S.intakeRequest = null;
        keepTicket();
        updateStatus();
        if (before !== f.position) { announce(statusText(), false); }
        return;
      case 'assigned':
        S.status = 'assigned';
        S.counselor = f.counselor;
        S.writes = typeof f.writes === 'string' ? f.writes : null;
        S.justLeft = false;
        keepTicket();
        updateStatus();
        announce(statusText(), true);
        return;
      case 'message': return onMessage(f);
      case 'message-left': return onMessageLeft(f);
      case 'ack': return onAck(f);
      case 'typing': return showTyping(true);
      case 'read': return onRead(f);
      case 'counselor-left': setNotice(t('counselorLeft')); return;
      case 'closed': return onClosed();
      case 'deleted':
        S.notice = t('deleted');
        S.messages = [];
        return onClosed();
      case 'error': return onError(f);
      default: return; // pong, reconnect, and frames of later protocol versions
    }
  }

  function onWelcome(f) {
    S.session = true;
    S.retries = 0;
    clearTimeout(S.connectTimer);
    if (!S.fallback) { S.wsWorked = true; }
    renderNet();
    var reloaded = S.reloading;
    S.reloading = false;
    if (f.resumeToken) { S.token = f.resumeToken; }
    // Every welcome brings a new single-use reload ticket; the one used (if any) is worthless now.
    S.reloadTicket = f.reloadTicket || null;
    if (f.resumeCode) { S.code = f.resumeCode; }
    if (S.typedCode && !S.code) { S.code = S.typedCode; }
    var resumedByCode = S.resumingByCode;
    S.resumingByCode = false;
    S.status = f.status;
    keepTicket();
    if (f.status === 'inbox') {
      if (S.intakeRequest && S.intakeRequest.type === 'leave-message') {
        // Stored before the connection dropped, but the code never arrived: ask again (same client id, new code).
        sendFrame(S.intakeRequest);
      } else if (S.screen !== 'inbox' || resumedByCode) {
        renderInbox();
      }
      S.pending.forEach(function (m) { sendFrame({ type: 'message', clientId: m.clientId, body: m.body }); });
    } else if (f.status === 'queued' || f.status === 'assigned') {
      if (S.paused) {
        // Back online while still paused (the resume cleared the pause on the server): pause again, stay neutral.
        sendFrame({ type: 'pause' });
      } else if (S.screen !== 'chat' || resumedByCode || reloaded) { renderChat(); }
      // Resend what the server has not acknowledged, in the original order and with the same client ids.
      S.pending.forEach(function (m) { sendFrame({ type: 'message', clientId: m.clientId, body: m.body }); });
    } else if (f.status === 'intake') {
      if (reloaded) {
        // Reloaded during the intake: the answers were in the old page's memory, so the questions start again.
        S.question = Q0;
        renderQuestion();
      } else if (S.intakeRequest && S.intakeRequest !== S.httpIntake) {
        sendFrame(S.intakeRequest);
      } else if (resumedByCode) {
        // Continued with a code during the intake: the earlier answers stayed on the other device, so ask again.
        requestIntake({ type: 'answers', answers: copyAnswers(), after: 'Q0' });
      }
    }
  }

  function onError(f) {
    switch (f.code) {
      case 'rate_limited':
        if (S.screen === 'leave') { S.intakeRequest = null; S.notice = t('rate'); renderLeave(true); return; }
        setNotice(t('rate'));
        return;
      case 'busy': setNotice(t('busy')); return;
      case 'unknown_resume':
        if (S.reloading) {
          // The reload ticket was used, expired or never valid (e.g. a tab restored after closing): start afresh.
          S.reloading = false; S.reloadTicket = null;
          dropSocket();
          S.wantConnection = false;
          S.notice = t('reloadLost');
          S.question = Q0;
          renderQuestion();
          return;
        }
        if (!S.resumingByCode) {
          // The conversation ended while this device was away (e.g. the queue grace ran out).
          S.notice = t('resumeUnknown');
          onClosed();
          return;
        }
        S.token = null; S.typedCode = null; S.code = null; S.resumingByCode = false;
        dropSocket();
        S.wantConnection = false;
        S.notice = t('resumeUnknown');
        renderResume();
        return;
      case 'replaced': S.notice = t('replaced'); onClosed(); return;
      case 'closed': onClosed(); return;
      case 'invalid_answer':
        if (S.talkNowPending && S.intakeRequest && S.intakeRequest.type === 'choose') {
          requestIntake({ type: 'answers', answers: copyAnswers({ talk_now: true }) });
        }
        return;
      case 'already_routed': return;
      default:
        if (S.screen === 'leave') {
          // The message was not stored: the text stays, the button comes back, and a retry keeps the client id.
          S.intakeRequest = null;
          S.notice = f.code === 'too_long' ? t('tooLong') : t('failed');
          renderLeave(true);
          return;
        }
        if (S.screen === 'chat' || S.screen === 'inbox') { setNotice(t('failed')); }
    }
  }

  function loadConfig() {
    if (S.configLoading) { return; }
    S.configLoading = true;
    fetch('/api/config', { cache: 'no-store', credentials: 'omit' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (c) {
        S.configLoading = false;
        if (!c) { return; }
        Object.keys(c).forEach(function (k) { S.config[k] = c[k]; });
        // The notice and the privacy screen say each organisation's retention, which comes with the configuration.
        var r = $('about-retention');
        if (r && maxRetentionDays()) { r.textContent = t('about2', { days: maxRetentionDays() }); }
        if (S.screen === 'privacy') { renderPrivacy(true); }
        if (S.screen === 'waiting') { renderWaiting(true); } // the phone lines open now need the configuration
      })
      .catch(function () { S.configLoading = false; /* asked again the next time a screen needs it */ });
  }

  // ------------------------------------------------------------------ quick exit
  /**
   * Ends the conversation on the server ("visitor left in a hurry"), wipes the page and replaces the history
   * entry with a neutral site, so Back does not lead into the chat.
   */
  function quickExit() {
    if (S.exiting) { return; }
    stopReading();
    // First what could give the visitor away: help-point windows this page opened, and the reload ticket.
    closeHelpWindows();
    wipeTicket();
    var target = (S.config && S.config.neutralExitUrl) || 'about:blank';
    var ws = S.ws;
    var sent = false;
    var beacon = S.token ? { resume: S.token } : (S.code ? { resumeCode: S.code } : null);
    if (ws && ws.readyState === 1 && S.session) {
      try { ws.send(JSON.stringify({ type: 'bye', hurry: true })); sent = true; } catch (e) { sent = false; }
    }
    if (sent && beacon) {
      // The bye may sit in a line that died a moment ago (the heartbeat has not noticed yet), and over SockJS it is an
      // XHR that the navigation below may cancel: the beacon (idempotent; whichever arrives first closes) goes too.
      try { navigator.sendBeacon('/api/quick-exit', JSON.stringify(beacon)); } catch (e) { /* the bye may still arrive */ }
    }
    clearTimeout(S.reconnectTimer);
    clearTimeout(S.typingTimer);
    clearInterval(S.heartbeatTimer);
    clearTimeout(S.connectTimer);
    S = freshState();
    S.exiting = true;
    document.title = NEUTRAL_TITLE;
    document.body.replaceChildren();
    var go = function () { window.location.replace(target); };
    if (!sent) {
      if (!beacon) { go(); return; }
      // Not connected right now (reconnecting, or offline): the screen is blank at once, and the page keeps telling
      // the server until it hears (or the queue grace is over), then leaves. Offline, leaving would only show the
      // browser's error page, and the chat would stay queued until it counted as abandoned.
      deliverExit(JSON.stringify(beacon), go);
      return;
    }
    // Give the bye frame to the network before the page goes (at most a quarter second, the screen is blank).
    var started = Date.now();
    (function waitFlushed() {
      if (!ws.bufferedAmount || Date.now() - started > 250) { setTimeout(go, 30); } else { setTimeout(waitFlushed, 10); }
    })();
  }

  /** POST /api/quick-exit until any answer comes (or EXIT_RETRY_MS passed); retried at once when back online. */
  function deliverExit(body, done) {
    var started = Date.now();
    var finished = false;
    var finish = function () { if (!finished) { finished = true; done(); } };
    (function attempt() {
      fetch('/api/quick-exit', { method: 'POST', body: body, keepalive: true, credentials: 'omit', cache: 'no-store' })
        .then(finish)
        .catch(function () {
          if (Date.now() - started > EXIT_RETRY_MS) { finish(); return; }
          var timer = 0;
          var again = function () {
            window.removeEventListener('online', again);
            clearTimeout(timer);
            attempt();
          };
          timer = setTimeout(again, 2000);
          window.addEventListener('online', again);
        });
    }());
  }

  var shiftTaps = [];
  var shiftAlone = false;
  function onKeyDown(e) {
    // Keys an on-screen keyboard does not send (iOS sends letters, Android 'Unidentified'): a real keyboard.
    if (!keyboardSeen && /^(Shift|Tab|Escape|ArrowUp|ArrowDown|ArrowLeft|ArrowRight)$/.test(e.key || '')) {
      keyboardSeen = true;
      $('exit-hint').hidden = false;
    }
    if (e.key === 'Shift') { shiftAlone = !e.repeat; return; }
    shiftAlone = false;
    if (e.key === 'Escape' && (S.confirmStop || S.confirmDelete)) {
      S.confirmStop = false; S.confirmDelete = false; rerenderStop();
    }
  }
  /** Three Shift taps on their own within 2 seconds; Shift used for capitals does not count. */
  function onKeyUp(e) {
    if (e.key !== 'Shift' || !shiftAlone) { return; }
    shiftAlone = false;
    var now = Date.now();
    shiftTaps = shiftTaps.filter(function (ts) { return now - ts < 2000; });
    shiftTaps.push(now);
    if (shiftTaps.length >= 3) { shiftTaps = []; quickExit(); }
  }

  // ------------------------------------------------------------------ start
  /** A tap made before this script ran (boot.js kept it): carried out now, as if it came just now. */
  function takeEarly(tap) {
    if (!tap || S.screen !== 'question' || !S.question) { return; }
    if (tap.code && S.question.answers.some(function (a) { return a.code === tap.code; })) { answer(S.question, tap.code); }
    else if (tap.id === 'skip') { answer(S.question, null); }
    else if (tap.id === 'have-code') { renderResume(); }
    else if (tap.id === 'privacy-link') { S.beforePrivacy = 'question'; renderPrivacy(); }
    else if (tap.id === 'talk-now') { talkNow(); }
  }

  /**
   * The language picker: NL, Makkelijk and EN are in the static HTML header; the other offered languages (a demo
   * start, or languages an organisation reviewed) get their own row at the top of the page, each labelled in its own
   * script and marked with its language and direction, so a screen reader reads العربية as Arabic. That row is not
   * in the sticky header: with seven buttons the header would wrap to several lines at 200% text and cover the
   * answers. A static button whose language is not offered goes.
   */
  function languageButtons() {
    if (!LANGUAGES.length) { return; }
    var present = {};
    var statics = $('langs').querySelectorAll('button');
    for (var i = 0; i < statics.length; i++) {
      var code = langKey(statics[i].getAttribute('data-lang'));
      present[code] = true;
      if (!LANGUAGES.some(function (l) { return l.code === code; })) { statics[i].remove(); }
    }
    var more = LANGUAGES.filter(function (l) { return !present[l.code]; });
    if (!more.length) { return; }
    var row = el('div', { className: 'langs more-langs', id: 'langs-more', role: 'group',
      'aria-label': 'Meer talen / More languages' });
    more.forEach(function (l) {
      row.appendChild(el('button', { type: 'button', 'data-lang': l.code, 'aria-pressed': 'false', lang: l.locale,
        dir: l.dir, text: l.label }));
    });
    $('main').insertBefore(row, $('main').firstChild);
  }

  function start() {
    // From here on this script handles every tap; what boot.js kept before is taken over below.
    window.VP_STARTED = true;
    // Voices often arrive after the page has started: the read-aloud button shows once a local one is there.
    var synth = window.speechSynthesis;
    if (synth && typeof synth.addEventListener === 'function') {
      synth.addEventListener('voiceschanged', function () {
        if (S.lang === 'easy' && S.screen === 'question' && !S.reading) { renderQuestion(true); }
      });
    }
    var early = window.VP_EARLY;
    // A language picked before this script arrived: at once when its texts are inline, else once the page is drawn.
    var earlyLang = window.VP_LANG;
    if (earlyLang && hasTexts(earlyLang)) { S.lang = earlyLang; }
    $('screen').removeAttribute('aria-busy');
    $('exit').addEventListener('click', quickExit);
    $('talk-now').addEventListener('click', talkNow);
    document.addEventListener('keydown', onKeyDown, true);
    document.addEventListener('keyup', onKeyUp, true);
    languageButtons();
    var buttons = document.querySelectorAll('button[data-lang]');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener('click', function (e) {
        chooseLanguage(e.currentTarget.getAttribute('data-lang'));
      });
    }
    renderChrome();
    if (takeTicket()) {
      // Reloaded (or Back/Forward) in the same tab during a chat: continue it with the reload ticket.
      S.wantConnection = true;
      renderWaiting(true);
      connect();
    } else if (Q0) {
      // The static first question is drawn again by this script (the same markup); focus stays where it was.
      var focused = document.activeElement;
      var again = focused && focused.closest && focused.closest('#screen') ? (focused.getAttribute('data-code')
        ? 'button[data-code="' + focused.getAttribute('data-code') + '"]' : (focused.id ? '#' + focused.id : null)) : null;
      renderQuestion(true);
      var refocus = again ? $('screen').querySelector(again) : null;
      if (refocus) { refocus.focus(); }
      takeEarly(early);
    } else {
      renderEmergency(true);
      requestIntake({ type: 'answers', answers: {}, after: 'Q0' });
    }
    if (earlyLang && !hasTexts(earlyLang)) { chooseLanguage(earlyLang); }
    // /api/config (the help points) is not loaded here: the intake needs none of it, and on a slow connection it would
    // compete with what does. The privacy screen and the phone lines while waiting load it when they open.
    // Reload, Back or closing the tab during a chat asks first (the browser shows its own question); the reload
    // ticket is in place for the reload.
    window.addEventListener('beforeunload', function (e) {
      if (chatOpen() || S.reloading) {
        keepTicket();
        e.preventDefault();
        e.returnValue = '';
      }
    });
    // Restored from the back/forward cache with its memory: the socket was closed meanwhile, so reconnect.
    window.addEventListener('pageshow', function (e) {
      if (e.persisted && !S.ws && S.wantConnection && !S.ended && !S.exiting) { S.retries = 0; connect(); }
    });
    // The phone says the network is gone: the socket is dead even if TCP has not noticed yet. Drop it and queue
    // what the visitor types until a new socket is up.
    window.addEventListener('offline', function () {
      if (S.ws && !S.ended && !S.exiting) { dropSocket(); scheduleReconnect(); }
    });
    // Back online (Wi-Fi ↔ 4G): try at once instead of waiting for the backoff timer.
    window.addEventListener('online', function () {
      if (!S.ws && S.wantConnection && !S.ended && !S.exiting) { S.retries = 0; connect(); }
    });
  }

  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
}());
