// Shared by the admin screens (admin.js, config.js): element creation with textContent only (strict CSP, no
// innerHTML) and the JSON API call with the CSRF token, so each screen keeps only what is its own.
'use strict';
window.VpAdminKit = (function () {
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  /**
   * An api(method, path, body) function: JSON in and out, the CSRF token on every change, status 0 when there is no
   * connection, and onSignedOut() on a 401.
   */
  function apiWith(csrf, onSignedOut) {
    return async function api(method, path, body) {
      const headers = { 'Accept': 'application/json' };
      if (method !== 'GET') { headers['X-CSRF-Token'] = csrf() || ''; headers['Content-Type'] = 'application/json'; }
      let res;
      try {
        res = await fetch(path, { method, headers, credentials: 'same-origin',
          body: body === undefined ? undefined : JSON.stringify(body) });
      } catch (e) {
        return { status: 0, data: { message: 'Geen verbinding. / No connection.' } };
      }
      let data = {};
      try { data = await res.json(); } catch (e) { data = {}; }
      if (res.status === 401) { onSignedOut(); }
      return { status: res.status, data };
    };
  }

  return { el, apiWith };
})();
