/*
 * Inlined at the end of index.html by the visitor listener (VisitorPage; allowed by its hash in the CSP). It runs as
 * soon as the static first question is parsed, long before app.js has arrived on a slow connection (issue 23):
 *  - a tap on an answer, "overslaan", the language, "Ik heb een code", privacy or "meteen praten" is kept in
 *    window.VP_EARLY and the button shows it was taken; app.js carries it out when it starts (window.VP_STARTED);
 *  - "Snel weg" (the button, or Shift three times) leaves at once, as app.js would before any chat exists.
 * Nothing is stored anywhere but this page's memory.
 */
(function () {
  'use strict';
  var data = {};
  try { data = JSON.parse(document.getElementById('vp-page').textContent) || {}; } catch (e) { data = {}; }
  function leave() {
    document.title = 'Weer';
    document.body.replaceChildren();
    window.location.replace(data.neutralExitUrl || 'about:blank');
  }
  document.addEventListener('click', function (e) {
    if (window.VP_STARTED) { return; }
    var b = e.target && e.target.closest ? e.target.closest('button') : null;
    if (!b) { return; }
    if (b.id === 'exit') { leave(); return; }
    var tap = b.getAttribute('data-code') ? { code: b.getAttribute('data-code') }
      : (b.getAttribute('data-lang') ? { lang: b.getAttribute('data-lang') } : { id: b.id });
    if (tap.lang) {
      window.VP_LANG = tap.lang; // a language choice is kept beside the tap, not instead of it
    } else {
      window.VP_EARLY = tap;
      var old = document.querySelector('.tapped');
      if (old) { old.classList.remove('tapped'); }
      b.classList.add('tapped');
      document.getElementById('screen').setAttribute('aria-busy', 'true');
    }
  });
  var taps = [];
  var alone = false;
  document.addEventListener('keydown', function (e) { alone = e.key === 'Shift' && !e.repeat; }, true);
  document.addEventListener('keyup', function (e) {
    if (window.VP_STARTED || e.key !== 'Shift' || !alone) { return; }
    var now = Date.now();
    taps = taps.filter(function (t) { return now - t < 2000; });
    taps.push(now);
    if (taps.length >= 3) { leave(); }
  }, true);
  if (window.performance && performance.mark) { performance.mark('vp-tappable'); }
}());
