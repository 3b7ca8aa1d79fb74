/* Elderly-friendly mode (适老化/关怀模式): text size, high contrast, plain reading view and
   read-aloud through the browser's own speech synthesis. Without this script the tools stay
   hidden and the page is fully readable; with it the settings persist in localStorage. */
(function () {
  'use strict';
  var KEY = 'gazette-care';
  var DEFAULTS = { size: 1, contrast: false, plain: false };
  var root = document.documentElement;
  var tools = document.getElementById('care-tools');
  var toggle = document.getElementById('care-toggle');
  var panel = document.getElementById('care-panel');
  if (!tools || !toggle || !panel) return;

  function load() {
    var prefs = { size: DEFAULTS.size, contrast: DEFAULTS.contrast, plain: DEFAULTS.plain };
    try {
      var saved = JSON.parse(window.localStorage.getItem(KEY) || 'null');
      if (saved && typeof saved === 'object') {
        var size = Number(saved.size);
        if (size === 1 || size === 2 || size === 3) prefs.size = size;
        prefs.contrast = saved.contrast === true;
        prefs.plain = saved.plain === true;
      }
    } catch (e) { /* unreadable storage: defaults */ }
    return prefs;
  }

  function save(prefs) {
    try {
      if (prefs.size === 1 && !prefs.contrast && !prefs.plain) window.localStorage.removeItem(KEY);
      else window.localStorage.setItem(KEY, JSON.stringify(prefs));
    } catch (e) { /* private mode: the setting lasts for this page only */ }
  }

  function apply(prefs) {
    var cls = root.classList;
    cls.toggle('care-size-2', prefs.size === 2);
    cls.toggle('care-size-3', prefs.size === 3);
    cls.toggle('care-contrast', prefs.contrast);
    cls.toggle('care-plain', prefs.plain);
    cls.toggle('care-mode', prefs.size > 1 || prefs.contrast || prefs.plain);
    each(panel.querySelectorAll('[data-size]'), function (b) {
      b.setAttribute('aria-pressed', String(Number(b.getAttribute('data-size')) === prefs.size));
    });
    each(panel.querySelectorAll('[data-toggle]'), function (b) {
      b.setAttribute('aria-pressed', String(prefs[b.getAttribute('data-toggle')] === true));
    });
  }

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  var prefs = load();
  apply(prefs);
  tools.hidden = false;

  function setOpen(open) {
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
  }
  toggle.addEventListener('click', function () { setOpen(panel.hidden); });

  panel.addEventListener('click', function (event) {
    var b = event.target.closest('button');
    if (!b || !panel.contains(b)) return;
    if (b.hasAttribute('data-size')) {
      prefs.size = Number(b.getAttribute('data-size')) || 1;
    } else if (b.hasAttribute('data-toggle')) {
      var name = b.getAttribute('data-toggle');
      if (name === 'contrast' || name === 'plain') prefs[name] = !prefs[name];
    } else if (b.hasAttribute('data-reset')) {
      prefs = { size: DEFAULTS.size, contrast: DEFAULTS.contrast, plain: DEFAULTS.plain };
      speech.stop();
    } else if (b.getAttribute('data-speak') === 'start') {
      speech.start();
      return;
    } else if (b.getAttribute('data-speak') === 'stop') {
      speech.stop();
      return;
    } else {
      return;
    }
    apply(prefs);
    save(prefs);
  });

  /* Escape closes the panel from anywhere inside it (or on the toggle) and returns focus. */
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape' || panel.hidden) return;
    if (panel.contains(document.activeElement) || document.activeElement === toggle) {
      setOpen(false);
      toggle.focus();
    }
  });

  /* Another tab changed the settings: follow them. */
  window.addEventListener('storage', function (event) {
    if (event.key === KEY || event.key === null) { prefs = load(); apply(prefs); }
  });

  /* Read-aloud: only with a Chinese voice installed in the reader's own browser. */
  var speech = (function () {
    var synth = window.speechSynthesis;
    var fieldset = panel.querySelector('.speech');
    var voice = null;
    function pickVoice() {
      if (!synth || typeof synth.getVoices !== 'function') return;
      var voices = synth.getVoices() || [];
      voice = null;
      for (var i = 0; i < voices.length; i++) {
        var lang = String(voices[i].lang || '').toLowerCase();
        if (lang.indexOf('zh') === 0) {
          if (!voice || lang === 'zh-cn') voice = voices[i];
        }
      }
      if (fieldset) fieldset.hidden = !voice;
    }
    if (synth && typeof window.SpeechSynthesisUtterance === 'function') {
      pickVoice();
      if (typeof synth.addEventListener === 'function') synth.addEventListener('voiceschanged', pickVoice);
    }
    /* Long utterances stall in some browsers, so speak sentence-sized pieces in turn. */
    function chunks(text) {
      var parts = text.replace(/[ \t\u3000]+/g, ' ').split(/(?<=[。！？；\n])/);
      var out = [];
      var cur = '';
      parts.forEach(function (p) {
        p = p.trim();
        if (!p) return;
        if ((cur + p).length > 180 && cur) { out.push(cur); cur = ''; }
        cur += p;
      });
      if (cur) out.push(cur);
      return out;
    }
    return {
      start: function () {
        if (!synth || !voice) return;
        var main = document.getElementById('main');
        if (!main) return;
        synth.cancel();
        chunks(main.innerText || main.textContent || '').forEach(function (text) {
          var u = new window.SpeechSynthesisUtterance(text);
          u.voice = voice;
          u.lang = voice.lang || 'zh-CN';
          u.rate = 0.9;
          synth.speak(u);
        });
      },
      stop: function () { if (synth) synth.cancel(); }
    };
  })();
  window.addEventListener('pagehide', function () { speech.stop(); });
})();
