/* coopmap map page, pure functions: no DOM, no vis-network, no global state. Joined first into the page's
   one script; tests run this file alone in node (tests/test_map_js.py). */
const Pure = (() => {
  // The same key as graph.kb.resolve.fold in Python: NFKD, accents dropped, case folded (ß -> ss),
  // punctuation to spaces, runs of letters and digits joined by one space.
  const fold = (s) => {
    const text = String(s == null ? '' : s).normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
      .toLowerCase().replace(/ß/g, 'ss').replace(/ẞ/g, 'ss');
    return (text.match(/[a-z0-9]+/g) || []).join(' ');
  };

  // A {en, fr, de} dict or a plain string in `lang`: [text, inLang] (inLang false when the language is missing).
  const inLang = (v, lang) => {
    if (v == null) return ['', true];
    if (typeof v === 'string') return [v, lang === 'en'];
    if (v[lang]) return [v[lang], true];
    const any = v.en || v.fr || v.de || Object.values(v)[0] || '';
    return [any, false];
  };

  // How well `keys` (folded names) match the folded query `q`: 0 exact, 1 prefix, 2 word prefix, 3 inside, 99 none.
  const matchRank = (keys, q) => {
    let best = 99;
    for (const k of keys) {
      if (k === q) best = Math.min(best, 0);
      else if (k.startsWith(q)) best = Math.min(best, 1);
      else if ((' ' + k).includes(' ' + q)) best = Math.min(best, 2);
      else if (k.includes(q)) best = Math.min(best, 3);
    }
    return best;
  };

  const overlaps = (a, b) => a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;

  // Which nodes get a label, most important first, so that no label box touches any node's shape (but its
  // own) or another label. items: [{id, x, y, r, dot, w, h, imp}] in one unit (canvas units): r the radius
  // of a labelled node, dot (default r) that of an unlabelled one; w = 0 for a node that may not be labelled
  // (off screen). A label sits centred under its shape, its top `below` under it, or else above it, its
  // bottom `above` over it. At most `budget` labels. A uniform grid keeps it near-linear.
  // Returns a Map id -> 'below' | 'above'.
  const placeLabels = (items, budget, below = 3, above = 3, pad = 2) => {
    const cell = Math.max(1, ...items.map((i) => Math.max(i.w, 2 * i.r, i.h)));
    const grid = new Map();
    const cells = (box, fn) => {
      for (let cx = Math.floor(box.l / cell); cx <= Math.floor(box.r / cell); cx++) {
        for (let cy = Math.floor(box.t / cell); cy <= Math.floor(box.b / cell); cy++) {
          if (fn(cx + ',' + cy)) return true;
        }
      }
      return false;
    };
    const add = (box, owner, label) => cells(box, (k) => {
      if (!grid.has(k)) grid.set(k, []);
      grid.get(k).push([box, owner, label]);
      return false;
    });
    const hits = (box, owner, labelsOnly) => cells(box, (k) => (grid.get(k) || [])
      .some(([other, who, label]) => who !== owner && (label || !labelsOnly) && overlaps(box, other)));
    const square = (it, r) => ({l: it.x - r, r: it.x + r, t: it.y - r, b: it.y + r});
    for (const it of items) add(square(it, it.dot == null ? it.r : it.dot), it.id, false);
    const chosen = new Map();
    const order = items.slice().sort((a, b) => a.imp - b.imp || a.id - b.id);
    for (const it of order) {
      if (chosen.size >= budget) break;
      if (!it.w) continue;
      const shape = square(it, it.r);
      if (hits(shape, it.id, true)) continue;  // drawn full size, it would cover a label already placed
      const l = it.x - it.w / 2 - pad, r = it.x + it.w / 2 + pad;
      const under = {l, r, t: it.y + it.r + below - pad, b: it.y + it.r + below + it.h + pad};
      const over = {l, r, t: it.y - it.r - above - it.h - pad, b: it.y - it.r - above + pad};
      for (const [where, box] of [['below', under], ['above', over]]) {
        if (!hits(box, it.id, false)) {
          chosen.set(it.id, where);
          add(box, it.id, true);
          add(shape, it.id, false);
          break;
        }
      }
    }
    return chosen;
  };

  // How many labels the projector shows at `scale`, given the overview scale: `base` at the overview, then
  // growing with the area zoomed into.
  const labelBudget = (scale, overviewScale, base = 35) =>
    Math.round(base * Math.max(1, (scale / (overviewScale || scale)) ** 2));

  // The view in the URL fragment and back. state: {lang, f: {key: [values]}, z: [scale, x, y], sel, step,
  // hide: [ids], focus, projector, still}. Only what is set is written; values are escaped.
  const encodeState = (st) => {
    const parts = [];
    const put = (k, v) => parts.push(k + '=' + encodeURIComponent(v));
    if (st.projector) put('projector', 1);
    if (st.still) put('still', 1);
    if (st.lang) put('lang', st.lang);
    Object.keys(st.f || {}).sort().forEach((k) => put('f.' + k, st.f[k].map(String).sort().join('|')));
    if (st.z) put('z', st.z.map((x) => Math.round(x * 1000) / 1000).join(','));
    if (st.sel != null) put('sel', st.sel);
    if (st.step != null && st.step >= 0) put('step', st.step + 1);
    if (st.hide && st.hide.length) put('hide', st.hide.slice().sort((a, b) => a - b).join(','));
    if (st.focus != null) put('focus', st.focus);
    return parts.join('&');
  };
  const decodeState = (hash) => {
    const st = {f: {}};
    String(hash || '').replace(/^#/, '').split('&').forEach((p) => {
      if (!p) return;
      const i = p.indexOf('=');
      const k = i < 0 ? p : p.slice(0, i);
      let v;
      try { v = i < 0 ? '1' : decodeURIComponent(p.slice(i + 1)); } catch (e) { return; }
      const num = (x) => (/^-?\d+(\.\d+)?$/.test(x) ? Number(x) : null);
      if (k === 'projector' || k === 'still') st[k] = v !== '0';
      else if (k === 'lang' && /^(en|fr|de)$/.test(v)) st.lang = v;
      else if (k.startsWith('f.')) st.f[k.slice(2)] = v === '' ? [] : v.split('|');
      else if (k === 'z') { const z = v.split(',').map(num); if (z.length === 3 && z.every((x) => x !== null)) st.z = z; }
      else if (k === 'sel' || k === 'focus') { const n = num(v); if (n !== null) st[k] = n; }
      else if (k === 'step') { const n = num(v); if (n !== null && n >= 1) st.step = n - 1; }
      else if (k === 'hide') st.hide = v.split(',').map(num).filter((x) => x !== null);
    });
    return st;
  };

  // The header of a tour step: "Title — Chapter — Step 3 of 14 (last step)".
  const stepHeader = (title, chapter, i, n, words) =>
    [title, chapter, words.step + ' ' + (i + 1) + ' ' + words.of + ' ' + n + (i === n - 1 ? ' (' + words.last + ')' : '')]
      .filter(Boolean).join(' — ');

  // A tour as the TOML file `coopmap map --tour FILE` reads: steps of actor names, link IRIs and a caption.
  const tomlString = (s) => '"' + String(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"')
    .replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')
    .replace(/[\u0000-\u001f\u007f]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) + '"';
  const tourToml = (tour) => {
    const out = ['title = ' + tomlString(tour.title || 'Tour'), ''];
    for (const s of tour.steps) {
      out.push('[[step]]');
      if (s.caption) out.push('caption = ' + tomlString(s.caption));
      if (s.actors && s.actors.length) out.push('actors = [' + s.actors.map(tomlString).join(', ') + ']');
      if (s.links && s.links.length) out.push('links = [' + s.links.map(tomlString).join(', ') + ']');
      out.push('');
    }
    return out.join('\n');
  };

  // Members of a group to draw: the first `limit` * `pages` (best connected first, as the layout lists them).
  const pageOf = (members, pages, limit) => members.slice(0, Math.max(1, pages) * limit);

  return {fold, inLang, matchRank, placeLabels, labelBudget, encodeState, decodeState, stepHeader, tomlString,
    tourToml, pageOf, overlaps};
})();
if (typeof module !== 'undefined') module.exports = Pure;
