/* Live period state (未开始 / 公示中 / 已结束) recomputed in the reader's browser.
   Periods are defined in China Standard Time (UTC+8, no daylight saving): a period runs
   from 00:00 of its first day to 24:00 of its last day, whatever the reader's time zone.
   The page already shows the state as of the build date; this only keeps it current. */
(function () {
  'use strict';
  var DAY_MS = 86400000;
  var CHINA_OFFSET_MS = 8 * 3600000;
  var ISO = /^\d{4}-\d{2}-\d{2}$/;

  /** The calendar date in China (YYYY-MM-DD) at the instant nowMs (UTC milliseconds). */
  function chinaDate(nowMs) {
    return new Date(nowMs + CHINA_OFFSET_MS).toISOString().slice(0, 10);
  }

  function toList(workdays) {
    if (!workdays) return [];
    var list = Array.isArray(workdays) ? workdays : String(workdays).split(/\s+/);
    return list.filter(function (d) { return ISO.test(d); });
  }

  /**
   * State of the period [startIso, endIso] at nowMs. `left` counts the days still to come
   * including today: the listed working days when `workdays` is given, else calendar days.
   * Returns null for malformed dates.
   */
  function periodState(startIso, endIso, workdays, nowMs) {
    if (!ISO.test(startIso) || !ISO.test(endIso) || typeof nowMs !== 'number' || !isFinite(nowMs)) return null;
    var today = chinaDate(nowMs);
    if (today < startIso) return { state: 'upcoming', left: null, today: today };
    if (today > endIso) return { state: 'ended', left: null, today: today };
    var days = toList(workdays);
    var left;
    if (days.length) {
      left = days.filter(function (d) { return d >= today && d >= startIso && d <= endIso; }).length;
    } else {
      left = Math.round((Date.parse(endIso + 'T00:00:00Z') - Date.parse(today + 'T00:00:00Z')) / DAY_MS) + 1;
    }
    return { state: 'open', left: left, today: today };
  }

  var LABELS = { upcoming: '未开始', ended: '已结束' };

  function render(el, nowMs) {
    var workdays = el.getAttribute('data-workdays') || '';
    var unit = el.getAttribute('data-unit') || '';
    var r = periodState(el.getAttribute('data-start') || '', el.getAttribute('data-end') || '', workdays, nowMs);
    if (!r) return;
    // The words come from the theme (theme.toml [status]) on each element; these are fallbacks.
    var label = el.getAttribute('data-' + r.state + '-label') || (r.state === 'open' ? '进行中' : LABELS[r.state]);
    var labelEl = el.querySelector('.status-label');
    if (!labelEl) {
      labelEl = document.createElement('span');
      labelEl.className = 'status-label';
      el.insertBefore(labelEl, el.firstChild);
    }
    if (labelEl.textContent !== label) labelEl.textContent = label;
    /* Only periods that say their unit show a count (calendar-day periods have no workdays). */
    var showLeft = r.state === 'open' && unit !== '' && r.left > 0 && (workdays.trim() !== '' || unit === '天');
    var leftEl = el.querySelector('.status-left');
    if (showLeft) {
      var text = '，还剩' + r.left + unit;
      if (!leftEl) {
        leftEl = document.createElement('span');
        leftEl.className = 'status-left';
        el.appendChild(leftEl);
      }
      if (leftEl.textContent !== text) leftEl.textContent = text;
    } else if (leftEl) {
      leftEl.parentNode.removeChild(leftEl);
    }
    ['upcoming', 'open', 'ended'].forEach(function (s) {
      el.classList.toggle('status-' + s, s === r.state);
    });
    var box = el.closest('.state-box');
    if (box) {
      ['upcoming', 'open', 'ended'].forEach(function (s) {
        box.classList.toggle('state-' + s, s === r.state);
      });
    }
  }

  function update() {
    var now = Date.now();
    Array.prototype.forEach.call(document.querySelectorAll('[data-live-status]'), function (el) {
      render(el, now);
    });
  }

  var api = window.gazette = window.gazette || {};
  api.periodState = periodState;
  api.chinaDate = chinaDate;
  api.updateStatus = update;

  update();
  /* Once a minute, so an open page flips at midnight China time. */
  window.setInterval(update, 60000);
})();
