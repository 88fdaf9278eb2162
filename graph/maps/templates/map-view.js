/* coopmap map page: presentation, projector and still modes, the view in the URL, keys, language, print. */
const tour = D.tour, captionBox = document.getElementById('caption');

function showStep(i) {
  if (!tour || !tour.steps.length) return;
  S.step = Math.max(0, Math.min(i, tour.steps.length - 1));
  const s = tour.steps[S.step], ns = new Set(s.nodes), es = new Set(s.edges), cl = new Set();
  ns.forEach((id) => {
    const n = nodeById.get(id);
    if (n && n.cl != null) {
      S.expanded.set(n.cl, Math.max(S.expanded.get(n.cl) || 0, Math.floor((n.ci || 0) / GROUP_PAGE) + 1));
      cl.add(n.cl);
    }
  });
  S.highlight = ns.size || es.size ? {nodes: ns, edges: es, clusters: cl} : null;
  render();
  const fitIds = s.nodes.filter((id) => nodes.get(id));
  const last = S.step === tour.steps.length - 1;
  network.fit({nodes: fitIds.length ? fitIds : undefined, maxZoomLevel: S.projector ? 2.2 : 1.6,
    animation: S.still ? false : {duration: 450, easingFunction: 'easeInOutQuad'}});
  document.getElementById('caption-step').textContent = Pure.stepHeader(tr(tour.title), s.chapter ? tr(s.chapter) : '',
    S.step, tour.steps.length, {step: t('step'), of: t('of'), last: t('last_step')});
  document.getElementById('caption-body').textContent = tr(s.caption);
  document.getElementById('caption-source').textContent = s.source ? tr(s.source) : '';
  document.getElementById('caption-end').textContent = last ? t('end_of_tour') : '';
  document.getElementById('tour-next').disabled = last;
  document.getElementById('tour-prev').disabled = S.step === 0;
  captionBox.hidden = false;
  captionBox.setAttribute('data-step', String(S.step));
  if (S.still) relabel();
  saveState();
}
function startTour(at) {
  if (!tour || !tour.steps.length) { notice(t('no_tour')); return; }
  filters = initialFilters(); buildFilters();
  panel.hidden = true;
  network.unselectAll();
  document.getElementById('btn-tour').setAttribute('aria-pressed', 'true');
  showStep(at || 0);
}
function endTour() {
  S.step = -1; S.highlight = null; captionBox.hidden = true;
  document.getElementById('btn-tour').setAttribute('aria-pressed', 'false');
  render(); fitVisible(true); saveState();
}
document.getElementById('btn-tour').addEventListener('click', () => { if (S.step < 0) startTour(); else endTour(); });
document.getElementById('tour-next').addEventListener('click', () => showStep(S.step + 1));
document.getElementById('tour-prev').addEventListener('click', () => showStep(S.step - 1));
document.getElementById('tour-exit').addEventListener('click', endTour);

// ------------------------------------------------------------------ projector and still modes
function setProjector(on) {
  S.projector = !!on;
  document.body.classList.toggle('projector', S.projector);
  document.getElementById('btn-projector').setAttribute('aria-pressed', S.projector ? 'true' : 'false');
  labelled = null;
  network.setOptions({interaction: {dragNodes: !S.projector}});
  network.redraw();
  redrawAll();
  fitVisible(false);
  S.overviewScale = network.getScale();
  relabel();
  saveState();
}
document.getElementById('btn-projector').addEventListener('click', () => setProjector(!S.projector));
document.getElementById('proj-exit').addEventListener('click', () => setProjector(false));
network.on('animationFinished', () => { if (S.projector) relabel(); });

function setStill(on) {  // for images: the map alone, a compact legend, the title and a source line
  S.still = !!on;
  document.body.classList.toggle('still', S.still);
  network.redraw();
  fitVisible(false);
}

// ------------------------------------------------------------------ the view in the URL fragment
let restoring = false, saveTimer = null;
function currentState() {
  const f = {};
  FILTER_KEYS.forEach(([k]) => {
    const init = initialFilters()[k], cur = filters[k];
    if (init.size !== cur.size || Array.from(cur).some((v) => !init.has(v))) f[k] = Array.from(cur);
  });
  const pos = network.getViewPosition();
  return {projector: S.projector && !D.meta.projector, still: S.still, lang: S.lang !== D.meta.lang ? S.lang : null, f,
    z: S.booting ? null : [network.getScale(), pos.x, pos.y], sel: S.selected, step: S.step,
    hide: Array.from(S.hidden), focus: S.focus};
}
function saveState() {
  if (restoring || S.booting) return;
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    const h = Pure.encodeState(currentState());
    if (('#' + h) !== location.hash && !(h === '' && location.hash === '')) {
      try { history.replaceState(null, '', h ? '#' + h : location.pathname + location.search); } catch (e) { /* file:// may refuse */ }
    }
  }, 120);
}
network.on('dragEnd', saveState);
network.on('zoom', saveState);
network.on('animationFinished', saveState);
function restoreState(hash) {
  const st = Pure.decodeState(hash);
  restoring = true;
  try {
    if (st.lang) setLang(st.lang);
    Object.keys(st.f).forEach((k) => {
      if (filters[k]) setFilter(k, new Set(st.f[k].filter((v) => values(k).includes(v))), true);
    });
    (st.hide || []).forEach((id) => { if (nodeById.has(id)) S.hidden.add(id); });
    if (st.focus != null && nodeById.has(st.focus)) S.focus = st.focus;
    render();
    showAllButton();
    if (st.still) setStill(true);
    if (st.projector) setProjector(true);
    if (st.step != null && tour && tour.steps.length) startTour(st.step);
    if (st.sel != null && nodeById.has(st.sel)) selectNode(st.sel, false);
    if (st.z) { network.moveTo({scale: st.z[0], position: {x: st.z[1], y: st.z[2]}, animation: false}); relabel(); }
    else if (st.step == null) { fitVisible(false); if (S.projector) { S.overviewScale = network.getScale(); relabel(); } }
  } finally { restoring = false; }
  window.coopmap.state = st;
}

// ------------------------------------------------------------------ keys: Esc closes, + − 0 and arrows move
document.addEventListener('keydown', (ev) => {
  if (ev.target === search || (ev.target && /^(INPUT|TEXTAREA|SELECT)$/.test(ev.target.tagName))) return;
  if (ev.key === 'Escape') {
    if (!filterBox.hidden) { toggle(document.getElementById('btn-filters'), filterBox, false); return; }
    if (!panel.hidden) { closePanel(); return; }
    if (editorOpen()) { toggleEditor(false); return; }
    if (S.step >= 0) { endTour(); return; }
    if (S.projector) { setProjector(false); return; }
    return;
  }
  if (S.step >= 0) {
    if (ev.key === 'ArrowRight' || ev.key === 'PageDown' || ev.key === ' ') { ev.preventDefault(); showStep(S.step + 1); return; }
    if (ev.key === 'ArrowLeft' || ev.key === 'PageUp') { ev.preventDefault(); showStep(S.step - 1); return; }
  }
  const pos = network.getViewPosition(), sc = network.getScale(), stepPx = 80 / sc;
  const move = (x, y, s) => { network.moveTo({position: {x, y}, scale: s, animation: {duration: 150}}); saveState(); };
  if (ev.key === '+' || ev.key === '=') move(pos.x, pos.y, sc * 1.25);
  else if (ev.key === '-' || ev.key === '_') move(pos.x, pos.y, sc / 1.25);
  else if (ev.key === '0') fitVisible(true);
  else if (ev.key === 'ArrowLeft') move(pos.x - stepPx, pos.y, sc);
  else if (ev.key === 'ArrowRight') move(pos.x + stepPx, pos.y, sc);
  else if (ev.key === 'ArrowUp') move(pos.x, pos.y - stepPx, sc);
  else if (ev.key === 'ArrowDown') move(pos.x, pos.y + stepPx, sc);
  else return;
  ev.preventDefault();
});

// ------------------------------------------------------------------ the handout: an actor directory for print
function buildDirectory() {
  const box = document.getElementById('directory');
  clear(box);
  box.appendChild(el('h2', {text: t('directory') + ' — ' + tr(D.meta.title)}));
  const table = el('table'), head = el('tr');
  ['names', 'role', 'how_to_reach', 'sources'].forEach((k) => head.appendChild(el('th', {text: t(k)})));
  table.appendChild(el('thead', null, head));
  const body = el('tbody');
  NODES.filter((n) => !n.tlp || true).slice().sort((a, b) => nodeName(a).localeCompare(nodeName(b))).forEach((n) => {
    const role = [schemeLabel('kind', n.kind), schemeLabel('level', n.level)]
      .concat(n.mandates.map((m) => schemeLabel('mandate', m))).join(' · ');
    const byDoc = new Map();  // each document once, with its locators
    (n.src || []).forEach((i) => {
      const s = D.sources[i] || {};
      if (!byDoc.has(s.document)) byDoc.set(s.document, []);
      if (s.locator && !byDoc.get(s.document).includes(s.locator)) byDoc.get(s.document).push(s.locator);
    });
    const docs = Array.from(byDoc).map(([d, locs]) => docTitle(d) + (locs.length ? ' (' + locs.join('; ') + ')' : '')).join(' · ');
    body.appendChild(el('tr', {'data-node': String(n.id)},
      el('td', {text: nodeName(n) + (n.acr ? ' (' + n.acr + ')' : '')}), el('td', {text: role}),
      el('td', {text: n.reach && n.reach.length ? n.reach.join(' / ') : t('no_contact')}), el('td', {text: docs})));
  });
  table.appendChild(body);
  box.appendChild(table);
  const sl = document.getElementById('still-source');
  const titles = Array.from(new Set(D.sources.map((s) => docTitle(s.document)).filter(Boolean))).sort();
  sl.textContent = t('source_line') + ': ' + titles.join(' · ') + ' — ' + t('made_with');
  const aud = D.meta.audience || 'clear';  // TLP 2.0: a still or print above CLEAR carries its label
  document.getElementById('still-title').textContent = (aud !== 'clear' ? 'TLP:' + aud.toUpperCase() + ' — ' : '') +
    tr(D.meta.title);
}

// ------------------------------------------------------------------ language
function setLang(l) {
  S.lang = UI[l] ? l : 'en';
  document.documentElement.lang = S.lang;
  document.querySelectorAll('[data-i18n]').forEach((e) => { e.textContent = t(e.getAttribute('data-i18n')); });
  document.querySelectorAll('[data-i18n-placeholder]').forEach((e) => { e.placeholder = t(e.getAttribute('data-i18n-placeholder')); });
  document.querySelectorAll('[data-i18n-title]').forEach((e) => { e.title = t(e.getAttribute('data-i18n-title')); });
  document.querySelectorAll('#langs button').forEach((b) => b.setAttribute('aria-pressed', b.getAttribute('data-lang') === S.lang ? 'true' : 'false'));
  document.getElementById('title').textContent = tr(D.meta.title);
  document.getElementById('btn-fit').title = t('keys_note');
  document.title = tr(D.meta.title);
  buildLegend(); buildFilters(); buildDirectory(); showAllButton();
  if (!S.booting) { if (S.projector) relabel(); else render(); }
  if (!panel.hidden) {
    const sel = network.getSelectedNodes();
    if (sel.length && nodeById.get(sel[0])) showNode(nodeById.get(sel[0])); else panel.hidden = true;
  }
  if (S.step >= 0) showStep(S.step);
  if (document.activeElement === search && search.value) runSearch();
  window.coopmap.lang = S.lang;
  saveState();
}
document.querySelectorAll('#langs button').forEach((b) => b.addEventListener('click', () => setLang(b.getAttribute('data-lang'))));
