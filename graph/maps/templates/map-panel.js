/* coopmap map page: the side panel (an actor, a link, a group), search, filters and legend. */
const panel = document.getElementById('panel'), panelBody = document.getElementById('panel-body');
const search = document.getElementById('search'), results = document.getElementById('search-results');
const filterBox = document.getElementById('filters');
const legendBox = document.getElementById('legend');

function actorLink(n) {
  const a = el('a', {class: 'actor', text: nodeName(n) + (n.acr ? ' (' + n.acr + ')' : ''), href: '#', 'data-node': String(n.id)});
  a.addEventListener('click', (ev) => { ev.preventDefault(); selectNode(n.id, true); });
  return a;
}
function sourceBlock(i) {
  const s = D.sources[i] || {};
  return el('div', {class: 'src'}, el('span', {class: 'doc', text: docTitle(s.document), title: s.document || ''}),
    s.locator ? ' — ' + s.locator : '', s.quote ? el('q', {text: s.quote}) : null);
}
function sourcesList(ids, one) {  // one: the first quote, the others behind a button
  const box = el('div', {class: 'sources'});
  const list = ids || [];
  (one ? list.slice(0, 1) : list).forEach((i) => box.appendChild(sourceBlock(i)));
  if (one && list.length > 1) {
    const more = el('button', {type: 'button', class: 'more', text: t('more_quotes') + ' (' + (list.length - 1) + ')'});
    more.addEventListener('click', () => { more.remove(); list.slice(1).forEach((i) => box.appendChild(sourceBlock(i))); });
    box.appendChild(more);
  }
  return box;
}
function dlRow(dl, key, value) {
  if (value == null || value === '' || (Array.isArray(value) && !value.length)) return;
  dl.appendChild(el('dt', {text: t(key)}));
  dl.appendChild(el('dd', {text: Array.isArray(value) ? value.join(', ') : value}));
}
function langText(v) {  // text of the data in the current language, or the English with a discreet mark
  const [text, ok] = Pure.inLang(v, S.lang);
  if (ok || !text) return text;
  return text + ' [' + t('missing_text') + ']';
}
function linkBlock(e, fromSide) {
  const a = nodeById.get(e.from), b = nodeById.get(e.to), box = el('div', {class: 'link', 'data-edge': String(e.id)});
  const rel = schemeLabel('link', e.kind), head = el('div');
  const sw = el('span', {class: 'line'});
  sw.style.borderTopColor = linkStyle(e.kind).colour;
  if (linkStyle(e.kind).dash) sw.style.borderTopStyle = 'dashed';
  head.append(sw, ' ');
  if (fromSide === undefined) head.append(actorLink(a), ' ', el('span', {class: 'rel', text: rel}), ' ', actorLink(b));
  else if (e.sym) head.append(el('span', {class: 'rel', text: rel}), ' ', actorLink(fromSide === e.from ? b : a));
  else if (fromSide === e.from) head.append(el('span', {class: 'rel', text: rel + ' →'}), ' ', actorLink(b));
  else head.append(actorLink(a), ' ', el('span', {class: 'rel', text: '→ ' + rel}));
  box.appendChild(head);
  const dl = el('dl');
  dlRow(dl, 'condition', e.cond ? langText(e.cond) : null);
  dlRow(dl, 'applies_when', (e.when || []).map((c) => schemeLabel('condition', c)));
  dlRow(dl, 'phases', (e.phases || []).map((p) => schemeLabel('phase', p)));
  dlRow(dl, 'legal_basis', (e.basis || []).map(tr));
  dlRow(dl, 'availability', (e.avail || []).map((x) => schemeLabel('availability', x)));
  dlRow(dl, 'role', e.role ? schemeLabel('role', e.role) : null);
  dlRow(dl, 'tlp', e.tlp ? 'TLP:' + e.tlp.toUpperCase() : null);
  dlRow(dl, 'status', e.status ? schemeLabel('status', e.status) : null);
  dlRow(dl, 'period', (e.start || e.end) ? (e.start || '…') + ' – ' + (e.end || '…') : null);
  dlRow(dl, 'vague', e.vague ? langText(e.vague) : null);
  if (dl.firstChild) box.appendChild(dl);
  box.appendChild(sourcesList(e.src, true));
  return box;
}
function showNode(n) {
  clear(panelBody);
  S.selected = n.id;
  panelBody.appendChild(el('h2', {text: nodeName(n)}));
  if (!nameInLang(n)) panelBody.appendChild(el('div', {class: 'missing', text: t('missing_name')}));
  const names = [];
  LANGS.forEach((l) => { if (n.labels && n.labels[l] && !names.includes(n.labels[l])) names.push(n.labels[l]); });
  n.alt.forEach((a) => { if (!names.includes(a)) names.push(a); });
  panelBody.appendChild(el('div', {class: 'names', text: names.join(' · ')}));
  if (!S.visibleNodes.has(n.id)) panelBody.appendChild(el('p', {class: 'rel', text: '(' + t('hidden_by_filter') + ')'}));
  const tools = el('div', {class: 'tools'});
  const hide = el('button', {type: 'button', 'data-act': 'hide', text: t('hide_actor')});
  hide.addEventListener('click', () => hideActor(n.id));
  const foc = el('button', {type: 'button', 'data-act': 'focus', text: t('focus_actor')});
  foc.addEventListener('click', () => focusActor(n.id));
  tools.append(hide, ' ', foc);
  panelBody.appendChild(tools);
  const dl = el('dl');
  dlRow(dl, 'kind_l', schemeLabel('kind', n.kind));
  dlRow(dl, 'level_l', schemeLabel('level', n.level));
  dlRow(dl, 'country', tr(n.country));
  dlRow(dl, 'parent', tr(n.parent));
  dlRow(dl, 'mandates', n.mandates.map((m) => schemeLabel('mandate', m)));
  dlRow(dl, 'crime_areas', (n.crime || []).map((c) => schemeLabel('crime', c)));
  dlRow(dl, 'phases', (n.phases || []).map((p) => schemeLabel('phase', p)));
  dlRow(dl, 'how_to_reach', n.reach && n.reach.length ? n.reach : t('no_contact'));
  dlRow(dl, 'tlp', n.tlp ? 'TLP:' + n.tlp.toUpperCase() : null);
  panelBody.appendChild(dl);
  const links = edgesOf.get(n.id) || [];
  const working = links.filter((e) => !STRUCTURAL.has(e.kind)), structural = links.filter((e) => STRUCTURAL.has(e.kind));
  panelBody.appendChild(el('h3', {text: t('links') + ' (' + working.length + ')'}));
  working.forEach((e) => panelBody.appendChild(linkBlock(e, n.id)));
  if (structural.length) {  // unit of, member of, party to, state: folded away
    const det = el('details', {class: 'structural'}, el('summary', {text: t('structural_links') + ' (' + structural.length + ')'}));
    structural.forEach((e) => det.appendChild(linkBlock(e, n.id)));
    panelBody.appendChild(det);
  }
  if (n.src && n.src.length) { panelBody.appendChild(el('h3', {text: t('sources')})); panelBody.appendChild(sourcesList(n.src, true)); }
  panelBody.appendChild(el('div', {class: 'iri', text: n.iri}));
  panel.hidden = false;
  search.value = nodeName(n);  // the search box follows the selection
  saveState();
}
function showEdge(e) {
  clear(panelBody);
  S.selected = null;
  panelBody.appendChild(el('h2', {text: schemeLabel('link', e.kind)}));
  panelBody.appendChild(linkBlock(e));
  panelBody.appendChild(el('div', {class: 'iri', text: e.iri}));
  panel.hidden = false;
}
function showCluster(c) {
  clear(panelBody);
  const members = (membersOf.get(c.id) || []).filter((n) => S.visibleNodes.has(n.id));
  const pages = S.expanded.get(c.id) || 0, drawnN = Math.min(members.length, pages * GROUP_PAGE);
  panelBody.appendChild(el('h2', {text: t('cluster') + ': ' + tr(c.label)}));
  const tools = el('p');
  if (drawnN < members.length) {
    const more = el('button', {type: 'button', 'data-act': 'more', text: (pages ? t('show_more') : t('expand')) +
      ' (+' + Math.min(GROUP_PAGE, members.length - drawnN) + ')'});
    more.addEventListener('click', () => { S.expanded.set(c.id, pages + 1); render(); showCluster(c); });
    tools.appendChild(more);
  }
  if (pages) {
    const fold = el('button', {type: 'button', 'data-act': 'collapse', text: t('collapse')});
    fold.addEventListener('click', () => { S.expanded.delete(c.id); render(); showCluster(c); });
    tools.append(' ', fold);
  }
  panelBody.appendChild(tools);
  panelBody.appendChild(el('p', {class: 'rel', text: drawnN + ' / ' + members.length + ' ' + t('shown')}));
  panelBody.appendChild(el('h3', {text: t('members') + ' (' + members.length + ')'}));
  const ul = el('ul');
  members.slice(0, 500).forEach((n) => ul.appendChild(el('li', null, actorLink(n))));
  if (members.length > 500) ul.appendChild(el('li', {text: '… +' + (members.length - 500)}));
  panelBody.appendChild(ul);
  panel.hidden = false;
}
function closePanel() { panel.hidden = true; S.selected = null; network.unselectAll(); saveState(); }
document.getElementById('panel-close').addEventListener('click', closePanel);

function selectNode(id, focus) {
  const n = nodeById.get(id);
  if (!n) return;
  if (n.cl != null && rep(n) !== n.id && S.visibleNodes.has(id)) {  // draw enough of its group to show it
    S.expanded.set(n.cl, Math.floor((n.ci || 0) / GROUP_PAGE) + 1);
    render();
  }
  if (nodes.get(id)) {
    network.selectNodes([id]);
    if (focus) network.focus(id, {scale: Math.max(network.getScale(), 1.1), animation: {duration: 350}});
  }
  showNode(n);
}
function hideActor(id) { S.hidden.add(id); closePanel(); render(); fitVisible(true); saveState(); }
function focusActor(id) { S.focus = id; S.hidden.delete(id); render(); fitVisible(true); saveState(); showAllButton(); }
function showAll() { S.hidden.clear(); S.focus = null; render(); fitVisible(true); saveState(); showAllButton(); }
function showAllButton() {
  const b = document.getElementById('btn-showall');
  b.hidden = !(S.hidden.size || S.focus != null);
  b.textContent = t('show_all');
}
document.getElementById('btn-showall').addEventListener('click', showAll);

network.on('click', (p) => {
  if (editorOpen()) { editorPick(p); return; }
  if (p.nodes.length) {
    const id = p.nodes[0];
    if (typeof id === 'string' && id.charAt(0) === 'c') showCluster(clusterById.get(Number(id.slice(1))));
    else showNode(nodeById.get(id));
  } else if (p.edges.length) {
    const e = edgeById.get(p.edges[0]);
    if (e) showEdge(e);
  }
});

// ------------------------------------------------------------------ search: any stored name, any language
const index = NODES.map((n) => {
  const keys = [];
  Object.keys(n.labels || {}).forEach((l) => keys.push(Pure.fold(n.labels[l])));
  n.alt.forEach((a) => keys.push(Pure.fold(a)));
  if (n.acr) keys.push(Pure.fold(n.acr));
  return {n, keys};
});
let hits = [], cursor = -1;
function runSearch() {
  const q = Pure.fold(search.value);
  clear(results); hits = []; cursor = -1;
  if (!q) { results.hidden = true; return; }
  const found = [];
  index.forEach((rec) => { const r = Pure.matchRank(rec.keys, q); if (r < 99) found.push([r, rec.n]); });
  found.sort((a, b) => a[0] - b[0] || nodeName(a[1]).localeCompare(nodeName(b[1])));
  hits = found.slice(0, 12).map((h) => h[1]);
  if (!hits.length) results.appendChild(el('li', {class: 'sub', text: t('no_results')}));
  hits.forEach((n, i) => {
    const li = el('li', {role: 'option', 'data-node': String(n.id)},
      el('div', {text: nodeName(n) + (n.acr ? ' (' + n.acr + ')' : '')}),
      el('div', {class: 'sub', text: schemeLabel('kind', n.kind) + ' · ' + schemeLabel('level', n.level) +
        (S.visibleNodes.has(n.id) ? '' : ' · ' + t('hidden_by_filter'))}));
    li.addEventListener('mousedown', (ev) => { ev.preventDefault(); pick(i); });
    results.appendChild(li);
  });
  results.hidden = false;
}
function pick(i) {
  const n = hits[i];
  if (!n) return;
  results.hidden = true;
  selectNode(n.id, true);
}
search.addEventListener('input', runSearch);
search.addEventListener('keydown', (ev) => {
  const items = results.querySelectorAll('li[role="option"]');
  if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
    ev.preventDefault();
    if (!items.length) return;
    cursor = (cursor + (ev.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
    items.forEach((li, i) => li.setAttribute('aria-selected', i === cursor ? 'true' : 'false'));
  } else if (ev.key === 'Enter') { ev.preventDefault(); pick(cursor < 0 ? 0 : cursor); }
  else if (ev.key === 'Escape') { results.hidden = true; }
});
search.addEventListener('blur', () => setTimeout(() => { results.hidden = true; }, 150));

// ------------------------------------------------------------------ filters
function buildFilters() {
  clear(filterBox);
  FILTER_KEYS.forEach(([key, word]) => {
    const scheme = key === 'link' ? 'link' : key, fs = el('fieldset', {'data-filter': key});
    fs.appendChild(el('legend', {text: t(word)}));
    const all = el('button', {type: 'button', text: t('all')}), none = el('button', {type: 'button', text: t('none')});
    fs.appendChild(el('div', {class: 'tools'}, all, none));
    const vals = values(key);
    all.addEventListener('click', () => setFilter(key, new Set(vals)));
    none.addEventListener('click', () => setFilter(key, new Set()));
    vals.forEach((v) => {
      const cb = el('input', {type: 'checkbox', value: v});
      cb.checked = filters[key].has(v);
      cb.addEventListener('change', () => {
        const s = new Set(filters[key]);
        if (cb.checked) s.add(v); else s.delete(v);
        setFilter(key, s);
      });
      const n = key === 'link' ? EDGES.filter((e) => (e.kind || '') === v).length
        : NODES.filter((x) => (key === 'mandate' ? (v ? x.mandates.includes(v) : !x.mandates.length) : (x[key] || '') === v)).length;
      const label = el('label', null, cb);
      if (key === 'link') {
        const sw = el('span', {class: 'line'});
        sw.style.borderTopColor = linkStyle(v).colour;
        if (linkStyle(v).dash) sw.style.borderTopStyle = 'dashed';
        label.append(sw);
      }
      label.append(v ? schemeLabel(scheme, v) : t('unspecified'), el('span', {class: 'count', text: String(n)}));
      fs.appendChild(label);
    });
    filterBox.appendChild(fs);
  });
}
function setFilter(key, set, quiet) {
  const f = {level: filters.level, kind: filters.kind, mandate: filters.mandate, link: filters.link};
  f[key] = set;
  const tg = target(f);
  if (!tg.shown.size) {  // never blank the whole graph
    if (!quiet) notice(t('no_match'));
    buildFilters();
    return false;
  }
  filters = f;
  apply(tg);
  buildFilters();
  if (!quiet) { fitVisible(true); saveState(); }  // the view re-fits what the filters leave
  return true;
}
function toggle(btn, box, open) {
  box.hidden = open === undefined ? !box.hidden : !open;
  btn.setAttribute('aria-expanded', box.hidden ? 'false' : 'true');
}
document.getElementById('btn-filters').addEventListener('click', (ev) => toggle(ev.currentTarget, filterBox));

// ------------------------------------------------------------------ legend (fits the panel at 1280x720)
function legendContent(compact) {
  const box = el('div', {class: compact ? 'legend compact' : 'legend'});
  box.appendChild(el('h2', {text: t('colour')}));
  if (!compact) {
    const sel = el('select', {'aria-label': t('colour')},
      el('option', {value: 'level', text: t('colour_by_level')}), el('option', {value: 'kind', text: t('colour_by_kind')}));
    sel.value = S.colourBy;
    sel.addEventListener('change', () => { S.colourBy = sel.value; render(); buildLegend(); });
    box.appendChild(sel);
  }
  let ul = el('ul');
  values(S.colourBy === 'kind' ? 'kind' : 'level').forEach((v) => {
    const sw = el('span', {class: 'sw'});
    sw.style.background = (D.colours[S.colourBy] || {})[v] || '#9aa5b1';
    ul.appendChild(el('li', null, sw, v ? schemeLabel(S.colourBy, v) : t('unspecified')));
  });
  box.appendChild(ul);
  box.appendChild(el('h2', {text: t('shape')}));
  ul = el('ul');
  const fams = new Map();
  NODES.forEach((n) => { const f = D.families[n.kind]; if (f) fams.set(f, D.shapes[n.kind]); });
  D.family_order.forEach((f) => {
    if (fams.has(f)) ul.appendChild(el('li', null, el('span', {class: 'glyph', text: FAMILY_GLYPH[fams.get(f)] || '●'}), tr(D.family_labels[f])));
  });
  box.appendChild(ul);
  if (!compact) box.appendChild(el('p', {class: 'note', text: t('size') + ': ' + tr(D.meta.size_label)}));
  box.appendChild(el('h2', {text: t('link_families')}));
  ul = el('ul', {class: 'families'});
  const present = new Map();
  EDGES.forEach((e) => {
    const f = linkStyle(e.kind).family;
    if (!present.has(f)) present.set(f, new Set());
    present.get(f).add(e.kind);
  });
  Object.keys(D.link_families).forEach((f) => {
    if (!present.has(f)) return;
    const line = el('span', {class: 'line'});
    line.style.borderTopColor = D.link_families[f];
    line.style.borderTopWidth = '3px';
    const kinds = Array.from(present.get(f)).sort().map((k) => schemeLabel('link', k));
    ul.appendChild(el('li', {'data-family': f, title: kinds.join(' · ')}, line, t('family_' + f)));
  });
  if (D.path) {
    const p = el('span', {class: 'line'}); p.style.borderTop = '4px solid ' + D.colours.path;
    ul.appendChild(el('li', null, p, t('path')));
  }
  box.appendChild(ul);
  box.appendChild(el('p', {class: 'note', text: t('line_note')}));
  if (!compact) {
    if (CLUSTERS) box.appendChild(el('p', {class: 'note', text: t('groups_note')}));
    if (D.meta.notice) box.appendChild(el('p', {class: 'note', text: tr(D.meta.notice)}));
  }
  return box;
}
function buildLegend() {
  clear(legendBox);
  legendBox.appendChild(legendContent(false));
  const still = document.getElementById('still-legend');
  clear(still);
  still.appendChild(legendContent(true));
}
document.getElementById('btn-legend').addEventListener('click', (ev) => {
  toggle(ev.currentTarget, legendBox);
  network.redraw(); fitVisible(false);
});
document.getElementById('btn-fit').addEventListener('click', () => fitVisible(true));
