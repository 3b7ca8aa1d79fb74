/* Gazette search: exact search of the published lists, in the browser, over the index
 * that `gazette build` writes under search/<version>/ (format: docs/search.md).
 * API: await window.gazette.search(query, {district, list, stage, programme, year, offset, limit})
 *   → {total, exact, results: [{name, credit_code, district, list, stage, url, sample, withdrawn}]}
 * The page works without this script (it then links the district and list pages). */
(function () {
  'use strict';
  var form = document.getElementById('search-form');
  var manifestAttr = form && form.getAttribute('data-manifest');
  var SENTINEL = '\u0001';
  var IGNORABLE = /[\s\p{Cc}\u200B-\u200D\u2060\uFEFF]/u;
  var STAGE_ZH = { publicity: '公示', announced: '公告' };
  var files = new Map();
  var manifestPromise = null;
  var base = '';

  // ---- normalisation (mirror of src/search/normalize.rs) ----
  function norm(s, upper) {
    var out = [];
    for (var ch of String(s || '').normalize('NFKC')) {
      if (IGNORABLE.test(ch)) continue;
      for (var c of upper ? ch.toUpperCase() : ch.toLowerCase()) out.push(c.codePointAt(0));
    }
    return out;
  }
  function str(cps) { return String.fromCodePoint.apply(null, cps); }
  function cmp(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return a.length - b.length;
  }
  function startsWith(a, q) {
    if (a.length < q.length) return false;
    for (var i = 0; i < q.length; i++) if (a[i] !== q[i]) return false;
    return true;
  }
  function cps(s) { return Array.from(s, function (c) { return c.codePointAt(0); }); }
  function hash(s) { // FNV-1a over UTF-16 units (src/search/format.rs)
    var h = 0x811c9dc5;
    for (var i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619) >>> 0; }
    return h >>> 0;
  }
  function varints(buf) { // decodes a whole file of LEB128 varints
    var bytes = new Uint8Array(buf), out = [], v = 0, mul = 1;
    for (var i = 0; i < bytes.length; i++) {
      var b = bytes[i];
      v += (b & 0x7f) * mul;
      if (b < 0x80) { out.push(v); v = 0; mul = 1; } else mul *= 128;
    }
    return out;
  }

  // ---- files (same origin, under the manifest's folder only) ----
  function get(path, kind) {
    var url = base + path;
    if (!files.has(url)) {
      files.set(url, fetch(url, { credentials: 'same-origin' }).then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status + ' ' + path);
        return kind === 'json' ? r.json() : r.arrayBuffer();
      }).catch(function (e) { files.delete(url); throw e; }));
    }
    return files.get(url);
  }
  function manifest() {
    if (!manifestPromise) {
      manifestPromise = Promise.resolve().then(function () {
        if (!manifestAttr) throw new Error('no search index in this build');
        var u = new URL(manifestAttr, location.href);
        if (u.origin !== location.origin) throw new Error('index must be on this site');
        base = u.href.slice(0, u.href.lastIndexOf('/') + 1);
        return get(u.href.slice(base.length), 'json');
      }).then(function (m) {
        if (m.format !== 2) throw new Error('unknown index format ' + m.format);
        m.topKeys = m.top.map(cps);
        return m;
      });
      manifestPromise.catch(function () { manifestPromise = null; });
    }
    return manifestPromise;
  }

  // ---- sources: each yields (record, district) pairs in record order ----
  function unpack(m, v) { var s = Math.pow(2, m.dbits); return [Math.floor(v / s), v % s]; }

  function posting(m, node) { // node = [id, count, blocks]
    var s = { buf: [], i: 0, next: 0, node: node, heads: null, count: node[1] };
    s.done = function () { return s.i >= s.buf.length && s.next >= node[2]; };
    s.fill = async function (ranges) {
      while (s.i >= s.buf.length && s.next < node[2]) {
        var b = s.next++;
        if (ranges && node[2] > 1) {
          if (!s.heads) {
            var acc = 0;
            s.heads = varints(await get('n/' + node[0] + '/h.bin')).map(function (d) { return (acc += d); });
          }
          var lo = s.heads[b], hi = b + 1 < s.heads.length ? s.heads[b + 1] : Infinity;
          if (!ranges.some(function (r) { return r[0] < hi && lo < r[1]; })) continue;
        }
        var vals = varints(await get('n/' + node[0] + '/' + b + '.bin')), prev = 0;
        s.buf = vals.map(function (v, k) {
          var e = unpack(m, v);
          e[0] = k === 0 ? e[0] : prev + e[0];
          prev = e[0];
          return e;
        });
        s.i = 0;
      }
    };
    return s;
  }
  function ready(list) {
    var s = { buf: list, i: 0, count: list.length, fill: async function () {} };
    s.done = function () { return s.i >= s.buf.length; };
    return s;
  }
  function rangeStream(ranges) { // every record of the ranges (no payloads needed)
    var s = { buf: [], i: 0, r: 0, at: ranges[0][0], count: 0 };
    ranges.forEach(function (r) { s.count += r[1] - r[0]; });
    s.fill = async function () {
      while (s.i >= s.buf.length && s.r < ranges.length) {
        var r = ranges[s.r], end = Math.min(r[1], s.at + 4096), a = [];
        for (var k = s.at; k < end; k++) a.push([k, -1]);
        s.at = end;
        if (end >= r[1] && ++s.r < ranges.length) s.at = ranges[s.r][0];
        s.buf = a; s.i = 0;
      }
    };
    s.done = function () { return s.i >= s.buf.length && s.r >= ranges.length; };
    return s;
  }

  // The suffix-table range of key q: every record with a name suffix (or code) starting with q.
  async function tableRange(m, q) {
    var top = m.topKeys, out = [];
    if (!top.length) return out;
    var last = function (keys) {
      var k = 0;
      for (var i = 0; i < keys.length; i++) if (cmp(keys[i], q) < 0) k = i;
      return k;
    };
    var dirs = {};
    var dir = async function (d) { return dirs[d] || (dirs[d] = (await get('t/' + d + '.json', 'json')).map(cps)); };
    var d = last(top), page = d * m.dir + last(await dir(d));
    for (;;) {
      var v = varints(await get('s/' + page + '.bin')), p = 0, key = [], done = false;
      while (p < v.length) {
        var l = v[p++], rest = v[p++];
        key.length = l;
        for (var k = 0; k < rest; k++) key.push(v[p++]);
        var rec = v[p++];
        if (startsWith(key, q)) out.push(unpack(m, rec));
        else if (cmp(key, q) > 0) { done = true; break; }
      }
      page++;
      if (done || page >= m.pages) break;
      var nd = Math.floor(page / m.dir);
      if (nd >= top.length) break;
      var next = page % m.dir === 0 ? top[nd] : (await dir(nd))[page % m.dir];
      if (!next || !startsWith(next, q)) break;
    }
    out.sort(function (a, b) { return a[0] - b[0]; });
    return out.filter(function (e, k) { return k === 0 || e[0] !== out[k - 1][0]; });
  }

  // The table keeps the first m.key characters of every suffix: a longer query looks up
  // those, then keeps the candidates whose name (or code) holds the whole query.
  async function longTerm(m, q) {
    var inner = await term(m, q.slice(0, m.key)), all = [];
    for (;;) {
      await inner.fill(null);
      if (inner.i >= inner.buf.length) break;
      all = all.concat(inner.buf.slice(inner.i));
      inner.i = inner.buf.length;
    }
    var code = q[0] === 1, rest = code ? q.slice(1) : q;
    var rows = await Promise.all(all.map(function (e) { return payload(m, e[0]); }));
    return ready(all.filter(function (e, k) {
      return code ? startsWith(cps(rows[k][1]), rest) : contains(norm(rows[k][0], false), rest);
    }));
  }
  function contains(a, q) {
    for (var i = 0; i + q.length <= a.length; i++) {
      var k = 0;
      while (k < q.length && a[i + k] === q[k]) k++;
      if (k === q.length) return true;
    }
    return false;
  }

  async function term(m, q) { // heavy term → its posting; otherwise the table range
    if (q.length > m.key) return longTerm(m, q);
    var key = str(q);
    var shard = await get('d/' + (hash(key) & (m.shards - 1)) + '.json', 'json');
    var node = Object.prototype.hasOwnProperty.call(shard, key) ? shard[key] : null;
    return node ? posting(m, node) : ready(await tableRange(m, q));
  }

  function listRanges(m, opts) {
    var lists = m.lists.filter(function (l) {
      return (!opts.list || l.id === opts.list) && (!opts.stage || l.stage === opts.stage) &&
        (!opts.programme || l.programme === opts.programme) && (!opts.year || String(l.year) === String(opts.year));
    });
    return lists.map(function (l) { return [l.start, l.end]; }).filter(function (r) { return r[1] > r[0]; });
  }

  async function search(query, opts) {
    opts = opts || {};
    var m = await manifest();
    var offset = Math.max(0, Math.floor(+opts.offset || 0));
    var limit = Math.min(10000, Math.max(1, Math.floor(+opts.limit || 20)));
    var district = -1;
    if (opts.district) {
      district = m.districts.findIndex(function (d) { return d.name === opts.district; });
      if (district < 0) return { total: 0, exact: true, results: [] };
    }
    var ranges = opts.list || opts.stage || opts.programme || opts.year ? listRanges(m, opts) : null;
    if (ranges && !ranges.length) return { total: 0, exact: true, results: [] };
    var nq = norm(query, false), cq = norm(query, true), sources = [], known = null;
    if (!nq.length) {
      if (district >= 0) {
        sources.push(posting(m, m.districts[district].node));
        if (!ranges) known = m.districts[district].node[1];
      } else if (ranges) {
        sources.push(rangeStream(ranges));
        known = sources[0].count;
      } else return { total: 0, exact: true, results: [] };
    } else {
      var parts = [term(m, nq)];
      if (cq.length >= 4 && /^[0-9A-Z]+$/.test(str(cq))) parts.push(term(m, [1].concat(cq)));
      sources = (await Promise.all(parts)).filter(function (s) { return s.count > 0; });
      var nqs = str(nq);
      m.districts.forEach(function (d) { if (d.key === nqs && d.node[1]) sources.push(posting(m, d.node)); });
      if (sources.length === 1 && district < 0 && !ranges) known = sources[0].count;
    }
    // With an exact total already known, only the requested page has to be found.
    var need = known != null ? offset + limit : Math.max(offset + limit, m.threshold + 1);
    var matches = [], exhausted = true;
    var inRanges = function (r) {
      if (!ranges) return true;
      for (var k = 0; k < ranges.length; k++) if (r >= ranges[k][0] && r < ranges[k][1]) return true;
      return false;
    };
    for (;;) {
      await Promise.all(sources.map(function (s) { return s.fill(ranges); }));
      var min = null;
      sources.forEach(function (s) { if (s.i < s.buf.length && (!min || s.buf[s.i][0] < min[0])) min = s.buf[s.i]; });
      if (!min) break;
      var d = min[1];
      sources.forEach(function (s) {
        if (s.i < s.buf.length && s.buf[s.i][0] === min[0]) { if (s.buf[s.i][1] >= 0) d = s.buf[s.i][1]; s.i++; }
      });
      if ((district < 0 || d === district) && inRanges(min[0])) {
        matches.push(min[0]);
        if (matches.length >= need) { exhausted = false; break; }
      }
    }
    var total = matches.length, exact = true;
    if (!exhausted && !sources.every(function (s) { return s.done(); })) {
      if (known != null) total = known; else exact = false;
    }
    var ids = matches.slice(offset, offset + limit);
    var results = await Promise.all(ids.map(function (id) { return record(m, id); }));
    return { total: total, exact: exact, results: results };
  }

  async function payload(m, id) { // [name, code, district, withdrawn]
    return (await get('r/' + Math.floor(id / m.chunk) + '.json', 'json'))[id % m.chunk];
  }

  async function record(m, id) {
    var row = await payload(m, id);
    var list = m.lists.find(function (l) { return id >= l.start && id < l.end; });
    if (!list) { // a renamed enterprise's new name, before any list carries it
      return {
        name: row[0], credit_code: row[1], district: m.districts[row[2]].name,
        list: null, stage: null, url: enterpriseUrl(m, row[1]), sample: false, withdrawn: false
      };
    }
    var i = id - list.start;
    var page = i < list.shown ? Math.floor(i / list.page_size) + 1 : Math.max(1, Math.ceil(list.shown / list.page_size));
    return {
      name: row[0], credit_code: row[1], district: m.districts[row[2]].name,
      list: list.id, stage: list.stage,
      url: (page <= 1 ? list.url : list.page_url + page + '/') + '#' + row[1],
      sample: list.sample, withdrawn: row[3] === 1
    };
  }

  function enterpriseUrl(m, code) { return m.enterprises ? m.enterprises + code + '/' : null; }

  // ---- the directory: each result's current status, from the enterprise's JSON ----
  var enterprises = new Map();
  function enterprise(m, code) {
    if (!m.enterprises) return Promise.resolve(null);
    if (!enterprises.has(code)) {
      enterprises.set(code, fetch(m.enterprises + code + '.json', { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; }));
    }
    return enterprises.get(code);
  }
  var CODE = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
  function zhDate(iso) { var p = iso.split('-'); return +p[0] + '年' + (+p[1]) + '月' + (+p[2]) + '日'; }
  /**
   * A programme's status today, in the theme's words (the data-label-* patterns on the
   * results list), by honour.js's rule (the enterprise pages' own); without that script,
   * the status as of the build date.
   */
  function statusText(p, labels) {
    var g = window.gazette || {};
    if (typeof g.honourState !== 'function') return p.status_text;
    var today = new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
    var s = g.honourState({
      state: p.status, until: p.valid_until, warn: p.expiry_warning_from,
      revoked: p.revocation && p.revocation.date, publicityEnd: p.publicity && p.publicity.end,
      ended: p.publicity_ended
    }, today);
    var key = s === 'valid' && !p.valid_until ? 'valid-open' : s;
    var pattern = labels && labels.getAttribute('data-label-' + key);
    if (!pattern) return p.status_text;
    return pattern.replace('{until}', p.valid_until ? zhDate(p.valid_until) : '')
      .replace('{date}', p.revocation ? zhDate(p.revocation.date) : '');
  }

  window.gazette = window.gazette || {};
  window.gazette.search = search;
  window.gazette.enterprise = enterprise;
  window.gazette.normalize = function (s) { return str(norm(s, false)); };

  // ---- the page ----
  if (!form) return;
  var input = document.getElementById('q');
  var selects = ['district', 'list', 'stage'].map(function (id) { return document.getElementById(id); });
  // Programme and year: added from the manifest when the lists span more than one of either.
  var scope = { programme: null, year: null };
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var more = document.getElementById('search-more');
  var empty = document.getElementById('search-empty');
  var PAGE = 20, seq = 0, timer = 0, shown = 0;

  function params() {
    return {
      q: input.value, district: selects[0].value, list: selects[1].value, stage: selects[2].value,
      programme: scope.programme ? scope.programme.value : '', year: scope.year ? scope.year.value : ''
    };
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  // Appends `text` with the part matching normalised `q` in <mark> (DOM only, no HTML).
  function marked(parent, text, q, prefixOnly) {
    var chars = Array.from(text), flat = [], at = [];
    chars.forEach(function (ch, i) { norm(ch, prefixOnly).forEach(function (c) { flat.push(c); at.push(i); }); });
    var hit = -1;
    if (q.length) {
      for (var s = 0; s + q.length <= flat.length && (!prefixOnly || s === 0); s++) {
        if (startsWith(flat.slice(s, s + q.length), q)) { hit = s; break; }
      }
    }
    if (hit < 0) { parent.appendChild(document.createTextNode(text)); return; }
    var a = at[hit], b = at[hit + q.length - 1] + 1;
    parent.appendChild(document.createTextNode(chars.slice(0, a).join('')));
    parent.appendChild(el('mark', null, chars.slice(a, b).join('')));
    parent.appendChild(document.createTextNode(chars.slice(b).join('')));
  }
  function item(m, r, q) {
    var li = el('li', 'search-result' + (r.withdrawn ? ' withdrawn' : ''));
    var a = el('a', 'result-name');
    a.href = r.url;
    marked(a, r.name, norm(q, false), false);
    var h = el('p', 'result-title');
    h.appendChild(a);
    if (r.sample) h.appendChild(el('span', 'tag tag-sample', '示例数据'));
    if (r.withdrawn) h.appendChild(el('span', 'tag tag-withdrawn', '已撤回'));
    li.appendChild(h);
    var info = el('p', 'result-info');
    info.appendChild(document.createTextNode('统一社会信用代码：'));
    var code = el('span', 'code');
    var cq = norm(q, true);
    marked(code, r.credit_code, cq.length >= 4 ? cq : [], true);
    info.appendChild(code);
    info.appendChild(document.createTextNode('　区县：' + r.district));
    var l = m.lists.find(function (x) { return x.id === r.list; });
    if (r.list) info.appendChild(document.createTextNode('　名单：' + (l ? l.title : r.list) + '（' + STAGE_ZH[r.stage] + '）'));
    li.appendChild(info);
    var page = enterpriseUrl(m, r.credit_code);
    if (page) {
      var honour = el('p', 'result-honour');
      li.appendChild(honour);
      enterprise(m, r.credit_code).then(function (e) {
        if (!e) return;
        if (e.name !== r.name) honour.appendChild(document.createTextNode('现名：' + e.name + '　'));
        var former = (e.former_names || []).map(function (f) { return f.name; });
        if (former.length) honour.appendChild(document.createTextNode('原名：' + former.join('、') + '　'));
        e.programmes.forEach(function (p) {
          honour.appendChild(document.createTextNode(p.programme_name + '：'));
          honour.appendChild(el('strong', 'honour-' + p.status, statusText(p, list)));
          honour.appendChild(document.createTextNode('　'));
        });
        var a = el('a', null, '查看企业信息和称号状态');
        a.href = page;
        honour.appendChild(a);
      });
    }
    return li;
  }
  function setStatus(text) { status.textContent = text; }

  async function run(append) {
    var p = params(), my = ++seq;
    var active = p.q.trim() || p.district || p.list || p.stage || p.programme || p.year;
    if (!append) {
      var u = new URL(location.href);
      ['q', 'district', 'list', 'stage', 'programme', 'year'].forEach(function (k) { if (p[k]) u.searchParams.set(k, p[k]); else u.searchParams.delete(k); });
      history.replaceState(null, '', u.pathname + u.search + u.hash);
      shown = 0;
    }
    if (!active) {
      list.textContent = ''; more.textContent = ''; empty.hidden = true; setStatus('');
      return;
    }
    if (!append) setStatus('正在查询…');
    try {
      var m = await manifest();
      // A whole credit code goes straight to the enterprise's page.
      var whole = str(norm(p.q, true));
      if (!append && CODE.test(whole) && !p.district && !p.list && !p.stage && await enterprise(m, whole)) {
        if (my !== seq) return;
        location.assign(enterpriseUrl(m, whole));
        return;
      }
      var res = await search(p.q, {
        district: p.district, list: p.list, stage: p.stage, programme: p.programme, year: p.year,
        offset: shown, limit: PAGE
      });
      if (my !== seq) return;
      if (!append) list.textContent = '';
      res.results.forEach(function (r) { list.appendChild(item(m, r, p.q)); });
      shown += res.results.length;
      empty.hidden = res.total > 0;
      if (!res.total) setStatus('没有找到符合条件的企业。');
      else setStatus((res.exact ? '共找到' + res.total + '条结果' : '找到' + res.total + '条以上结果') +
        '，已显示' + shown + '条（按名单从新到旧排列）。');
      more.textContent = '';
      if (shown < res.total || !res.exact) {
        if (res.results.length === PAGE) {
          var btn = el('button', 'search-more', '显示更多结果');
          btn.type = 'button';
          btn.addEventListener('click', function () { run(true); });
          more.appendChild(btn);
        }
      }
    } catch (e) {
      if (my !== seq) return;
      setStatus('查询出错（' + e.message + '）。请刷新页面后重试；也可以按区县或名单查看企业。');
    }
  }

  function hasOption(s, v) { return Array.prototype.some.call(s.options, function (o) { return o.value === v; }); }
  function changed() { clearTimeout(timer); run(false); }

  // The 名单 options outside the chosen programme and year are disabled (a list chosen
  // before that no longer fits goes back to 全部名单).
  function fitLists(m) {
    var p = params(), fits = {};
    m.lists.forEach(function (l) {
      fits[l.id] = (!p.programme || l.programme === p.programme) && (!p.year || String(l.year) === p.year);
    });
    Array.prototype.forEach.call(selects[1].options, function (o) {
      o.disabled = Boolean(o.value) && fits[o.value] === false;
    });
    if (selects[1].selectedOptions[0] && selects[1].selectedOptions[0].disabled) selects[1].value = '';
  }

  // A labelled <select> in the style of the page's own filters, placed before 名单.
  function addSelect(m, id, label, all, options) {
    var p = el('p');
    var l = el('label', null, label);
    l.htmlFor = id;
    var s = el('select');
    s.id = id;
    s.name = id;
    s.appendChild(new Option(all, ''));
    options.forEach(function (o) { s.appendChild(new Option(o[1], o[0])); });
    p.appendChild(l);
    p.appendChild(s);
    var before = selects[1].closest('p');
    before.parentNode.insertBefore(p, before);
    s.addEventListener('change', function () { fitLists(m); changed(); });
    return s;
  }

  function addScope(m, wanted) {
    var programmes = [], names = {}, years = [];
    m.lists.forEach(function (l) {
      if (l.programme != null && !Object.prototype.hasOwnProperty.call(names, l.programme)) {
        names[l.programme] = l.programme_name;
        programmes.push(l.programme);
      }
      if (l.year != null && years.indexOf(l.year) < 0) years.push(l.year);
    });
    years.sort(function (a, b) { return b - a; });
    if (programmes.length > 1) {
      scope.programme = addSelect(m, 'programme', '项目', '全部项目',
        programmes.map(function (id) { return [id, names[id]]; }));
    }
    if (years.length > 1) {
      scope.year = addSelect(m, 'year', '年份', '全部年份',
        years.map(function (y) { return [String(y), y + '年']; }));
    }
    ['programme', 'year'].forEach(function (k) {
      if (scope[k] && wanted[k] && hasOption(scope[k], wanted[k])) scope[k].value = wanted[k];
    });
    if (scope.programme || scope.year) fitLists(m);
  }

  form.addEventListener('submit', function (e) { e.preventDefault(); clearTimeout(timer); run(false); });
  input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(function () { run(false); }, 250); });
  selects.forEach(function (s) { s.addEventListener('change', changed); });
  var initial = new URLSearchParams(location.search);
  input.value = initial.get('q') || '';
  selects.forEach(function (s) {
    var v = initial.get(s.id);
    if (v && hasOption(s, v)) s.value = v;
  });
  // The manifest says whether the programme and year filters are needed; a search in the
  // URL runs once they are there (or at once, to show the error, when the index is missing).
  var wanted = { programme: initial.get('programme') || '', year: initial.get('year') || '' };
  manifest().then(function (m) { addScope(m, wanted); }, function () {}).then(function () {
    var p = params();
    if (p.q || p.district || p.list || p.stage || p.programme || p.year) run(false);
  });
})();
