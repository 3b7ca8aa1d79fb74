/* Applies the reader's saved care-mode settings (关怀模式) before the first paint, so the
   page never flashes in the default look. Loaded synchronously in <head>; site.js owns the UI. */
(function () {
  try {
    var saved = JSON.parse(window.localStorage.getItem('gazette-care') || 'null');
    if (!saved || typeof saved !== 'object') return;
    var cls = document.documentElement.classList;
    var size = Number(saved.size);
    if (size === 2 || size === 3) cls.add('care-size-' + size);
    if (saved.contrast === true) cls.add('care-contrast');
    if (saved.plain === true) cls.add('care-plain');
    if (size === 2 || size === 3 || saved.contrast === true || saved.plain === true) cls.add('care-mode');
  } catch (e) {
    /* storage blocked (private mode) or corrupt: keep the default look */
  }
})();
