/* Self-assessment (附件1 自评表) on the criteria page: totals the bands the reader picks and
   says whether the enterprise would pass and why not. Without this script the same form is
   a printable paper worksheet; the rules (category minimums, pass total) come from the page. */
(function () {
  'use strict';
  var form = document.getElementById('selfassess');
  if (!form) return;
  var BLANK = '______';
  var totalOut = document.getElementById('total');
  var verdict = document.getElementById('verdict');
  var reasons = document.getElementById('reasons');
  var passTotal = Number(form.getAttribute('data-pass-total')) || 60;
  var initialVerdict = verdict ? verdict.textContent : '';

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  /** Names of the radio groups (indicators) in a category fieldset, in page order. */
  function indicatorsOf(fieldset) {
    var names = [];
    each(fieldset.querySelectorAll('input[type="radio"]'), function (r) {
      if (names.indexOf(r.name) < 0) names.push(r.name);
    });
    return names;
  }

  function legendOf(input) {
    var fs = input.closest('fieldset.indicator');
    var legend = fs && fs.querySelector('legend');
    return legend ? legend.textContent.replace(/（满分.*?）/, '').trim() : input.name;
  }

  function compute() {
    var categories = [];
    var missing = [];
    var anyChosen = false;
    each(form.querySelectorAll('fieldset.category'), function (fs) {
      var id = fs.getAttribute('data-category');
      var score = 0;
      var chosen = 0;
      var names = indicatorsOf(fs);
      names.forEach(function (name) {
        var picked = fs.querySelector('input[type="radio"][name="' + CSS.escape(name) + '"]:checked');
        if (picked) {
          score += Number(picked.value) || 0;
          chosen += 1;
        } else {
          missing.push(legendOf(fs.querySelector('input[type="radio"][name="' + CSS.escape(name) + '"]')));
        }
      });
      if (chosen) anyChosen = true;
      categories.push({
        id: id,
        name: fs.getAttribute('data-name') || id,
        min: Number(fs.getAttribute('data-min')) || 0,
        score: score,
        chosen: chosen
      });
    });
    var direct = [];
    each(form.querySelectorAll('input[name="direct"]:checked'), function (c) { direct.push(c.value); });
    var total = categories.reduce(function (s, c) { return s + c.score; }, 0);
    return { categories: categories, missing: missing, anyChosen: anyChosen, direct: direct, total: total };
  }

  function setReasons(list) {
    while (reasons.firstChild) reasons.removeChild(reasons.firstChild);
    list.forEach(function (text) {
      var li = document.createElement('li');
      li.textContent = text;
      reasons.appendChild(li);
    });
  }

  function update() {
    var r = compute();
    r.categories.forEach(function (c) {
      var out = form.querySelector('output[data-subtotal="' + CSS.escape(c.id) + '"]');
      if (out) out.textContent = c.chosen ? String(c.score) : BLANK;
    });
    if (totalOut) totalOut.textContent = r.anyChosen ? String(r.total) : BLANK;
    if (!verdict || !reasons) return;

    var shortfalls = [];
    if (r.total < passTotal) shortfalls.push('总分' + r.total + '分，低于' + passTotal + '分');
    r.categories.forEach(function (c) {
      if (c.score < c.min) shortfalls.push(c.name + '得分' + c.score + '分，低于' + c.min + '分');
    });

    verdict.classList.remove('pass', 'fail');
    if (r.direct.length) {
      verdict.textContent = '结论：符合（符合直通条件第' + r.direct.join('、') + '项，可直接认定，不看评分）';
      verdict.classList.add('pass');
      setReasons([]);
    } else if (!r.anyChosen) {
      verdict.textContent = initialVerdict;
      setReasons([]);
    } else if (r.missing.length) {
      verdict.textContent = '结论：尚未完成（还有' + r.missing.length + '项指标未选择）';
      setReasons(r.missing.map(function (name) { return '未选择：' + name; }));
    } else if (shortfalls.length) {
      verdict.textContent = '结论：不符合（' + shortfalls.join('；') + '）';
      verdict.classList.add('fail');
      setReasons(shortfalls);
    } else {
      verdict.textContent = '结论：符合（总分' + r.total + '分，达到' + passTotal + '分，各类指标均不低于最低分）';
      verdict.classList.add('pass');
      setReasons([]);
    }
  }

  form.addEventListener('change', update);
  form.addEventListener('reset', function () { window.setTimeout(update, 0); });
  each(document.querySelectorAll('.js-only'), function (el) { el.hidden = false; });
  var printButton = document.getElementById('print-form');
  if (printButton) printButton.addEventListener('click', function () { window.print(); });
  update();
})();
