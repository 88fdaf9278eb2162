/* coopmap map page: data, words and small DOM helpers. All text from the data is written with
   textContent or as plain-text vis-network titles (set with innerText): never parsed as HTML. */
performance.mark('coopmap:start');
const D = JSON.parse(document.getElementById('coopmap-data').textContent);
performance.mark('coopmap:parsed');
const UI = D.ui;  // graph/core/i18n.json, the file Python reads too
const LANGS = ['en', 'fr', 'de'];
const FAMILY_GLYPH = {dot: '●', diamond: '◆', square: '■', triangle: '▲', triangleDown: '▼', star: '★', hexagon: '⬢'};
const NODES = D.nodes, EDGES = D.edges, CLUSTERS = D.clusters || null;
const nodeById = new Map(), edgeById = new Map(), edgesOf = new Map(), clusterById = new Map(), membersOf = new Map();
NODES.forEach((n) => {  // empty values are left out of the data
  n.mandates = n.mandates || []; n.acr = n.acr || ''; n.alt = n.alt || []; n.short = n.short || {};
  nodeById.set(n.id, n); edgesOf.set(n.id, []);
  if (n.cl != null) { if (!membersOf.has(n.cl)) membersOf.set(n.cl, []); membersOf.get(n.cl).push(n); }
});
EDGES.forEach((e) => {
  edgeById.set(e.id, e);
  edgesOf.get(e.from).push(e);
  if (e.to !== e.from) edgesOf.get(e.to).push(e);
});
if (CLUSTERS) CLUSTERS.forEach((c) => clusterById.set(c.id, c));
membersOf.forEach((list) => list.sort((a, b) => (a.ci || 0) - (b.ci || 0)));
const pathNodes = new Set(D.path ? D.path.nodes : []), pathEdges = new Set(D.path ? D.path.edges : []);
const STRUCTURAL = new Set(Object.keys(D.link_styles).filter((k) => D.link_styles[k].family === 'structure'));

const S = {  // the page's state, in one place
  lang: UI[D.meta.lang] ? D.meta.lang : 'en',
  colourBy: D.meta.colour_by || 'level',
  projector: !!D.meta.projector,
  still: false,
  expanded: new Map(),       // cluster id -> pages of members drawn
  highlight: null,           // {nodes: Set, edges: Set, clusters: Set} during a presentation step
  visibleNodes: new Set(),   // actor ids that pass the filters
  hidden: new Set(),         // actors the trainer hid
  focus: null,               // an actor whose neighbourhood alone is shown
  step: -1,
  selected: null,
  booting: true,
  overviewScale: null,
};
const GROUP_PAGE = 250;  // a group draws at most this many more actors at a time

const t = (key) => (UI[S.lang] && UI[S.lang][key]) || UI.en[key] || key;
const tr = (v) => Pure.inLang(v, S.lang)[0];
const schemeLabel = (scheme, notation) => {
  const s = D.schemes[scheme] || {};
  return s[notation] ? tr(s[notation]) : (notation || t('unspecified'));
};
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  if (attrs) Object.keys(attrs).forEach((k) => {
    if (k === 'class') e.className = attrs[k];
    else if (k === 'text') e.textContent = attrs[k];
    else e.setAttribute(k, attrs[k]);
  });
  for (const c of children) {
    if (c == null || c === false) continue;
    e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
}
const clear = (e) => { while (e.firstChild) e.removeChild(e.firstChild); };
const nodeName = (n) => tr(n.labels) || n.acr || n.iri;
const nameInLang = (n) => Pure.inLang(n.labels, S.lang)[1];
const nodeLabel = (n) => n.short[S.lang] || n.short.en || n.acr || nodeName(n);
const docTitle = (slug) => (D.documents && D.documents[slug]) || slug || '';
function nodeTitle(n) {
  const lines = [nodeName(n) + (n.acr ? ' (' + n.acr + ')' : '')];
  if (!nameInLang(n)) lines.push('(' + t('missing_name') + ')');
  lines.push([schemeLabel('kind', n.kind), schemeLabel('level', n.level)].join(' · '));
  if (n.country) lines.push(tr(n.country));
  return lines.join('\n');
}
function alpha(hex, a) {
  const h = hex.replace('#', '');
  return 'rgba(' + parseInt(h.slice(0, 2), 16) + ',' + parseInt(h.slice(2, 4), 16) + ',' + parseInt(h.slice(4, 6), 16) + ',' + a + ')';
}
const nodeColour = (n) => (D.colours[S.colourBy] || {})[S.colourBy === 'kind' ? n.kind : n.level] || '#9aa5b1';
const linkStyle = (kind) => D.link_styles[kind] || {family: 'other', colour: '#a0662d', dash: false};
let noticeTimer = null;
function notice(msg) {
  const box = document.getElementById('notice');
  box.textContent = msg; box.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { box.hidden = true; }, 4000);
}
