/* Live honour status on an enterprise page (有效 → 即将到期 → 已失效, a revocation taking
   effect, a publicity ending), recomputed in the reader's browser from China Standard Time.
   The page already shows the status as of the build date and works without this; the
   rule is the one of src/domain/honour.rs, applied to the dates the page carries. */
(function () {
  'use strict';
  var CHINA_OFFSET_MS = 8 * 3600000;
  var ISO = /^\d{4}-\d{2}-\d{2}$/;

  function chinaDate(nowMs) {
    return new Date(nowMs + CHINA_OFFSET_MS).toISOString().slice(0, 10);
  }

  /**
   * The state on `today` (YYYY-MM-DD) from the dates of one programme's record:
   * { state, until, warn, revoked, publicityEnd }, each date YYYY-MM-DD or empty. `state`
   * is the state as of the build date, kept when no date moves it on.
   */
  function honourState(d, today) {
    var has = function (x) { return ISO.test(x || ''); };
    if (d.state === 'none') return 'none';
    if (d.state !== 'publicity') {
      if (has(d.revoked) && today >= d.revoked) return 'revoked';
      if (d.state === 'revoked') return 'revoked';
      if (has(d.until)) {
        if (today > d.until) return 'lapsed';
        if (has(d.warn) && today >= d.warn) return 'expiring';
      }
      return 'valid';
    }
    if (has(d.publicityEnd) && today > d.publicityEnd) return 'publicity-ended';
    return d.state === 'publicity' && d.ended ? 'publicity-ended' : 'publicity';
  }

  function update() {
    var today = chinaDate(Date.now());
    Array.prototype.forEach.call(document.querySelectorAll('[data-honour]'), function (el) {
      var d = {
        state: el.getAttribute('data-state'),
        until: el.getAttribute('data-until'),
        warn: el.getAttribute('data-warn'),
        revoked: el.getAttribute('data-revoked'),
        publicityEnd: el.getAttribute('data-publicity-end')
      };
      var s = honourState(d, today);
      var label = el.getAttribute('data-label-' + s);
      if (label && el.textContent !== label) el.textContent = label;
      var box = el.closest('.honour-box');
      if (!box) return;
      var key = s === 'publicity-ended' ? 'publicity' : s;
      ['publicity', 'valid', 'expiring', 'lapsed', 'revoked', 'none'].forEach(function (k) {
        box.classList.toggle('honour-' + k, k === key);
      });
      var advice = box.querySelector('[data-honour-advice]');
      if (advice) advice.hidden = s !== 'expiring';
      var pub = box.querySelector('[data-honour-publicity]');
      if (pub && has(d.publicityEnd) && today > d.publicityEnd) pub.hidden = true;
    });
  }
  function has(x) { return ISO.test(x || ''); }

  var api = window.gazette = window.gazette || {};
  api.honourState = honourState;
  api.updateHonour = update;
  update();
  window.setInterval(update, 60000);
})();
