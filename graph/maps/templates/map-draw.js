/* coopmap map page: what is drawn (filters, groups, highlights) and the vis-network that draws it. */
function values(key) {  // the values present in the data for a filter, '' for "unspecified"
  const s = new Set();
  if (key === 'link') EDGES.forEach((e) => s.add(e.kind || ''));
  else NODES.forEach((n) => {
    if (key === 'mandate') { if (n.mandates.length) n.mandates.forEach((m) => s.add(m)); else s.add(''); }
    else s.add(n[key] || '');
  });
  const sc = key === 'link' ? 'link' : key, ord = D.order[sc] || {};
  const fam = (k) => Object.keys(D.link_families).indexOf(linkStyle(k).family);
  return Array.from(s).sort((a, b) => {
    if (a === '') return 1;
    if (b === '') return -1;
    if (key === 'link' && fam(a) !== fam(b)) return fam(a) - fam(b);
    if (ord[a] != null && ord[b] != null) return ord[a] - ord[b];
    return schemeLabel(sc, a).localeCompare(schemeLabel(sc, b));
  });
}
const FILTER_KEYS = [['level', 'level'], ['kind', 'kind'], ['mandate', 'mandate'], ['link', 'link_kind']];
function initialFilters() {  // everything, except the link kinds the map hides at first
  const f = {};
  FILTER_KEYS.forEach(([k]) => { f[k] = new Set(values(k)); });
  (D.meta.hidden_kinds || []).forEach((k) => f.link.delete(k));
  return f;
}
let filters = initialFilters();

function nodePasses(n, f) {
  if (S.hidden.has(n.id)) return false;
  if (S.focus != null && n.id !== S.focus &&
      !edgesOf.get(S.focus).some((e) => f.link.has(e.kind || '') && (e.from === n.id || e.to === n.id))) return false;
  if (!f.level.has(n.level || '')) return false;
  if (!f.kind.has(n.kind || '')) return false;
  if (n.mandates.length) { if (!n.mandates.some((m) => f.mandate.has(m))) return false; }
  else if (!f.mandate.has('')) return false;
  return true;
}

// the id an actor is drawn as: itself, or its group while the group is folded or the actor not yet shown
function rep(n) {
  if (n.cl == null) return n.id;
  const pages = S.expanded.get(n.cl) || 0;
  return pages && (n.ci || 0) < pages * GROUP_PAGE ? n.id : 'c' + n.cl;
}

function nodeItem(n, label) {
  const col = nodeColour(n), hl = S.highlight, dim = hl && !hl.nodes.has(n.id), onPath = pathNodes.has(n.id);
  const focus = n.id === D.meta.focus || n.id === S.focus;
  const border = onPath ? D.colours.path : (focus ? '#111111' : (dim ? 'rgba(60,60,60,0.15)' : '#3d4651'));
  const item = {
    id: n.id, x: n.x, y: n.y, label: label, title: nodeTitle(n), shape: D.shapes[n.kind] || 'dot',
    size: n.size, borderWidth: onPath || focus || (hl && !dim) ? 4 : 1,
    color: {background: dim ? alpha(col, 0.18) : col, border: border,
      highlight: {background: col, border: '#111'}, hover: {background: col, border: '#111'}},
    font: {color: dim ? 'rgba(40,40,40,0.25)' : '#1d2430'}
  };
  if (S.projector) {  // projector: labelled actors at full size, the others as small dots
    if (!label) item.size = Math.min(n.size, PROJECTOR_DOT);
    const px = projectorFont() / (network ? network.getScale() : 1);
    // every option spelled out: vis keeps an option an update leaves out (a vadjust would stay)
    item.font = {color: item.font.color, size: px, strokeWidth: Math.max(2, 4 / (network ? network.getScale() : 1)), vadjust: 0};
    item.widthConstraint = false;
  }
  return item;
}
function edgeItem(e) {
  const st = linkStyle(e.kind), hl = S.highlight, dim = hl && !hl.edges.has(e.id);
  const onPath = pathEdges.has(e.id), lit = hl && hl.edges.has(e.id);
  return {
    id: e.id, from: e.from, to: e.to, title: edgeTitle(e),
    arrows: {to: {enabled: !e.sym, scaleFactor: S.projector ? 0.9 : 0.55}},
    dashes: st.dash,
    width: onPath || lit ? (S.projector ? 6 : 4) : (S.projector ? 2.2 : 1.3),
    color: {color: onPath && !hl ? D.colours.path : alpha(st.colour, dim ? 0.08 : 0.8), highlight: st.colour, hover: st.colour},
    smooth: e.curve ? {enabled: true, type: e.curve > 0 ? 'curvedCW' : 'curvedCCW', roundness: Math.abs(e.curve)} : false
  };
}
function clusterItem(c, count) {
  const col = (D.colours.level || {})[c.level] || '#9aa5b1', dim = S.highlight && !S.highlight.clusters.has(c.id);
  const more = (S.expanded.get(c.id) || 0) > 0;
  return {
    id: 'c' + c.id, x: c.x, y: c.y, label: tr(c.label) + '\n' + count + (more ? ' ' + t('show_more').toLowerCase() + '…' : ''),
    title: tr(c.label) + '\n' + count + ' ' + t('actors'),
    shape: 'dot', size: 10 + 4 * Math.sqrt(count), borderWidth: 2,
    color: {background: dim ? alpha(col, 0.2) : alpha(col, 0.85), border: '#3d4651'},
    // a group's name and count stay readable at any zoom: 14 screen pixels
    font: {color: dim ? 'rgba(40,40,40,0.3)' : '#1d2430', size: Math.round(14 / groupScale()), strokeWidth: 3 / groupScale(), strokeColor: '#ffffff'}
  };
}
const groupScale = () => Math.max(0.02, network ? network.getScale() : 0.3);
function edgeTitle(e) {
  const a = nodeById.get(e.from), b = nodeById.get(e.to), st = linkStyle(e.kind);
  let s = nodeName(a) + ' — ' + schemeLabel('link', e.kind) + ' — ' + nodeName(b);
  s += '\n' + t('family_' + st.family);
  if (e.cond) {
    const [text, ok] = Pure.inLang(e.cond, S.lang);
    s += '\n' + text + (ok ? '' : ' (' + t('missing_text') + ')');
  }
  return s;
}

function target(f) {  // what the filters f show: actors, groups with counts, links, and links between groups
  const shown = new Set(), items = new Map(), counts = new Map(), hl = S.highlight;
  NODES.forEach((n) => {
    if (!nodePasses(n, f) && !(hl && hl.nodes.has(n.id))) return;  // a step always draws what it highlights
    shown.add(n.id);
    const r = rep(n);
    if (r === n.id) items.set(n.id, null);
    else counts.set(r, (counts.get(r) || 0) + 1);
  });
  const edges = new Map(), agg = new Map();
  EDGES.forEach((e) => {
    const lit = (hl && hl.edges.has(e.id)) || (pathEdges.has(e.id) && shown.has(e.from) && shown.has(e.to));
    if (!lit && (!f.link.has(e.kind || '') || !shown.has(e.from) || !shown.has(e.to))) return;  // a path always shows
    const a = rep(nodeById.get(e.from)), b = rep(nodeById.get(e.to));
    if (a === e.from && b === e.to) { edges.set(e.id, e); return; }
    if (a === b) return;
    const key = String(a) < String(b) ? a + '|' + b : b + '|' + a;
    agg.set(key, (agg.get(key) || 0) + 1);
  });
  return {shown, nodes: items, clusters: counts, edges, agg};
}

const nodes = new vis.DataSet(), edges = new vis.DataSet();
const drawnSig = new Map();
let labelled = null;  // projector mode: the actor ids that carry a label now

function changed(items, prefix) {  // only what is new or looks different: vis redoes each item given
  return items.filter((it) => {
    const sig = JSON.stringify(it), key = prefix + it.id;
    if (drawnSig.get(key) === sig) return false;
    drawnSig.set(key, sig);
    return true;
  });
}
function apply(tg) {
  S.visibleNodes = tg.shown;
  const nItems = [], eItems = [];
  tg.nodes.forEach((_, id) => {
    const n = nodeById.get(id);
    const where = S.projector && labelled ? labelled.get(id) : null;
    const item = nodeItem(n, S.projector ? (where ? nodeLabel(n) : '') : nodeLabel(n));
    // vis draws a label's top font/2 + 4 under the shape; above: its bottom LABEL_GAP over the shape
    if (where === 'above') item.font.vadjust = -(2 * n.size + 1.5 * item.font.size + 4 + LABEL_GAP / network.getScale());
    nItems.push(item);
  });
  tg.clusters.forEach((count, cid) => nItems.push(clusterItem(clusterById.get(Number(cid.slice(1))), count)));
  tg.edges.forEach((e) => eItems.push(edgeItem(e)));
  tg.agg.forEach((count, key) => {
    const ab = key.split('|').map((x) => (isNaN(x) ? x : Number(x)));
    eItems.push({id: 'agg:' + key, from: ab[0], to: ab[1], width: Math.min(1 + Math.log2(count), 8),
      title: count + ' ' + t('links_n'), arrows: {to: {enabled: false}}, color: {color: 'rgba(110,120,135,0.45)'}, smooth: false});
  });
  const wantN = new Set(nItems.map((i) => i.id)), wantE = new Set(eItems.map((i) => i.id));
  const goneE = edges.getIds().filter((id) => !wantE.has(id));
  const goneN = nodes.getIds().filter((id) => !wantN.has(id));
  goneE.forEach((id) => drawnSig.delete('e' + id));
  goneN.forEach((id) => drawnSig.delete('n' + id));
  edges.remove(goneE);
  nodes.remove(goneN);
  nodes.update(changed(nItems, 'n'));
  edges.update(changed(eItems, 'e'));
  updateStatus();
}
function render() { apply(target(filters)); }
function redrawAll() { nodes.clear(); edges.clear(); drawnSig.clear(); render(); }

function updateStatus() {
  document.getElementById('status').textContent = S.visibleNodes.size + '/' + NODES.length + ' ' + t('actors') +
    ' · ' + D.meta.size_label_short + ' · ' + D.meta.strategy;
}

// ------------------------------------------------------------------ projector labels
// Labels of at least 24 px on a 1920x1080 screen (and never smaller on a smaller one).
const LABEL_GAP = 3;  // screen pixels kept free around a projector label
const PROJECTOR_DOT = 5;  // canvas radius of an unlabelled actor in projector mode
const projectorFont = () => Math.max(24, Math.round(24 * window.innerHeight / 1080));
const measure = (() => {
  const ctx = document.createElement('canvas').getContext('2d');
  const cache = new Map();
  return (text, px) => {
    const key = px + '|' + text;
    if (!cache.has(key)) { ctx.font = px + 'px system-ui, sans-serif'; cache.set(key, ctx.measureText(text).width); }
    return cache.get(key);
  };
})();
function relabel() {  // projector mode: the most important actors that fit, labelled; the others as shapes
  if (!S.projector || !network) return;
  const scale = network.getScale(), px = projectorFont(), hl = S.highlight;
  const items = [];
  const a = network.DOMtoCanvas({x: 0, y: 0}), b = network.DOMtoCanvas({x: container.clientWidth, y: container.clientHeight});
  const inView = (n) => n.x >= a.x && n.x <= b.x && n.y >= a.y && n.y <= b.y;  // only what is on screen gets a label
  nodes.getIds().forEach((id) => {
    const n = nodeById.get(id);
    if (!n) return;
    const text = nodeLabel(n);
    items.push({id, x: n.x, y: n.y, r: n.size, dot: Math.min(n.size, PROJECTOR_DOT),
      w: inView(n) ? measure(text, px / scale) * 1.04 + 8 / scale : 0, h: px / scale,
      imp: hl && hl.nodes.has(id) ? -1 : n.imp || 0});
  });
  const budget = Pure.labelBudget(scale, S.overviewScale);
  labelled = Pure.placeLabels(items, budget, px / 2 / scale + 4, LABEL_GAP / scale, LABEL_GAP / scale);
  render();
  window.coopmap.labelled = Array.from(labelled);
}

// ------------------------------------------------------------------ network
const big = D.meta.strategy !== 'full';
const container = document.getElementById('net');
let network = null;
render();
performance.mark('coopmap:dataset');
network = new vis.Network(container, {nodes, edges}, {
  autoResize: true,
  physics: false,
  layout: {improvedLayout: false, randomSeed: 1},
  interaction: {hover: !big, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big, multiselect: false,
    navigationButtons: false, keyboard: false, zoomSpeed: 0.6},
  nodes: {font: {size: D.meta.label.font, face: 'system-ui, sans-serif', strokeWidth: 3, strokeColor: '#ffffff'},
    widthConstraint: {maximum: D.meta.label.width},
    // big maps: a label is drawn once zoomed in enough to read it, not as a smudge before
    scaling: {label: {enabled: false, drawThreshold: big ? 9 : 5}}},
  edges: {smooth: false, selectionWidth: 1.5, hoverWidth: 1.2}
});
performance.mark('coopmap:network');
window.coopmap = {data: D, nodes, edges, network, ready: false, readyAt: null, pure: Pure,
  visibleActorIds: () => Array.from(S.visibleNodes)};
network.once('afterDrawing', () => {
  window.coopmap.ready = true;
  window.coopmap.readyAt = performance.now();
  document.documentElement.setAttribute('data-ready', '1');
});
let relabelQueued = false;
network.on('zoom', () => {
  if (relabelQueued || !(S.projector || CLUSTERS)) return;
  relabelQueued = true;
  requestAnimationFrame(() => { relabelQueued = false; if (S.projector) relabel(); else render(); });
});
network.on('animationFinished', () => { if (CLUSTERS && !S.projector) render(); });

function fitVisible(animate) {  // the view fitted to what is drawn (projector: as large as the screen allows)
  const ids = nodes.getIds();
  network.fit({nodes: ids.length ? ids : undefined, maxZoomLevel: S.projector ? 4 : 1,
    animation: animate ? {duration: 300} : false});
  if (!animate && S.projector) relabel();
  else if (!animate && CLUSTERS) render();
}
