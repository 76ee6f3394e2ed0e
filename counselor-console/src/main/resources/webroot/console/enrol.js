// One-time enrolment link (issue 21): the token is in the URL fragment (never sent to a server log or Referer); it is
// read once, removed from the address bar, and sent only in the JSON bodies of /api/enrolment/*.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const match = /[#&]t=([A-Za-z0-9_-]{20,64})/.exec(location.hash);
  const token = match ? match[1] : null;
  history.replaceState(null, '', location.pathname);

  async function post(path, body) {
    let res;
    try {
      res = await fetch(path, { method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' }, body: JSON.stringify(body) });
    } catch (e) {
      return { status: 0, data: { message: 'Geen verbinding. Probeer het opnieuw. / No connection.' } };
    }
    let data = {};
    try { data = await res.json(); } catch (e) { data = {}; }
    return { status: res.status, data };
  }

  async function start() {
    if (!token) { $('enrol-error').textContent = 'Deze link is niet compleet. / This link is incomplete.'; return; }
    const res = await post('/api/enrolment/start', { token });
    if (res.status !== 200) { $('enrol-error').textContent = res.data.message || 'Dat lukte niet.'; return; }
    const d = res.data;
    $('enrol-name').textContent = d.displayName;
    $('enrol-username').textContent = d.username;
    $('enrol-expires').textContent = new Date(d.expiresAt).toLocaleString('nl-NL');
    $('enrol-min').textContent = d.minPasswordLength;
    $('enrol-qr').src = 'data:image/png;base64,' + d.qrPng;
    $('enrol-key').textContent = d.secret;
    $('enrol-form').hidden = false;
    $('enrol-pass').focus();
  }

  $('enrol-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('enrol-error').textContent = '';
    if ($('enrol-pass').value !== $('enrol-pass2').value) {
      $('enrol-error').textContent = 'De wachtwoorden zijn niet gelijk. / The passwords differ.';
      return;
    }
    $('enrol-submit').disabled = true;
    const res = await post('/api/enrolment/finish', { token, password: $('enrol-pass').value,
      code: $('enrol-code').value });
    $('enrol-submit').disabled = false;
    if (res.status === 200) {
      $('enrol-pass').value = ''; $('enrol-pass2').value = '';
      $('enrol-form').hidden = true;
      $('enrol-done').hidden = false;
      return;
    }
    $('enrol-error').textContent = res.data.message || 'Dat lukte niet.';
    if (res.status === 410 || res.status === 404) { $('enrol-form').hidden = true; }
  });

  start();
})();
