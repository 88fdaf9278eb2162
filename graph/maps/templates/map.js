/* coopmap map page. All text that comes from the data is written with textContent or as plain-text
   vis-network titles (which vis sets with innerText): never parsed as HTML. */
(function () {
  'use strict';

  performance.mark('coopmap:start');
  var D = JSON.parse(document.getElementById('coopmap-data').textContent);
  performance.mark('coopmap:parsed');
  var UI = {
    en: {search_placeholder: 'Search an actor (any name or acronym)…', filters: 'Filters', legend: 'Legend', fit: 'Fit',
      presentation: 'Presentation', exit: 'Exit', level: 'Level', kind: 'Actor kind', mandate: 'Mandate',
      link_kind: 'Link kind', all: 'all', none: 'none', unspecified: '(unspecified)', colour: 'Colour',
      colour_by_level: 'by level', colour_by_kind: 'by actor kind', shape: 'Shape: family of actor kind',
      size: 'Size', edges: 'Links', directed: 'one-way link (arrow: who acts towards whom)',
      mutual: 'mutual link (no arrow)', referral: 'solid: referral link (a case can be passed on)',
      other: 'dashed: other link (funds, supervises, evaluates…)', path: 'highlighted path', names: 'Names',
      kind_l: 'Kind', level_l: 'Level', country: 'Country', parent: 'Part of', mandates: 'Mandates',
      crime_areas: 'Crime areas', phases: 'Referral phases', links: 'Links', sources: 'Sources',
      condition: 'Condition', applies_when: 'Applies when', legal_basis: 'Legal basis', availability: 'Availability',
      status: 'Status', period: 'Period', no_match: 'No actor matches these filters: the previous view is kept.',
      hidden_by_filter: 'hidden by the current filters', no_results: 'No actor found.',
      members: 'Members', expand: 'Show its actors', collapse: 'Group again', actors: 'actors', links_n: 'links',
      step: 'Step', of: 'of', no_tour: 'This map has no presentation steps.', size_by: 'size: ',
      cluster_note: 'Large graph: actors are grouped by level and country. Click a group to list or show its actors.',
      cluster: 'Group', role: 'Role', tlp: 'Sensitivity'},
    fr: {search_placeholder: 'Chercher un acteur (nom ou sigle)…', filters: 'Filtres', legend: 'Légende', fit: 'Ajuster',
      presentation: 'Présentation', exit: 'Quitter', level: 'Niveau', kind: "Type d'acteur", mandate: 'Mandat',
      link_kind: 'Type de lien', all: 'tous', none: 'aucun', unspecified: '(non précisé)', colour: 'Couleur',
      colour_by_level: 'par niveau', colour_by_kind: "par type d'acteur", shape: "Forme : famille de type d'acteur",
      size: 'Taille', edges: 'Liens', directed: "lien orienté (flèche : qui agit envers qui)",
      mutual: 'lien mutuel (sans flèche)', referral: "trait plein : lien d'orientation (un cas peut être transmis)",
      other: 'tirets : autre lien (finance, supervise, évalue…)', path: 'chemin mis en évidence', names: 'Noms',
      kind_l: 'Type', level_l: 'Niveau', country: 'Pays', parent: 'Fait partie de', mandates: 'Mandats',
      crime_areas: 'Domaines criminels', phases: "Phases de l'orientation", links: 'Liens', sources: 'Sources',
      condition: 'Condition', applies_when: "S'applique si", legal_basis: 'Base juridique', availability: 'Disponibilité',
      status: 'Statut', period: 'Période', no_match: "Aucun acteur ne correspond à ces filtres : la vue précédente est conservée.",
      hidden_by_filter: 'masqué par les filtres actuels', no_results: 'Aucun acteur trouvé.',
      members: 'Membres', expand: 'Afficher ses acteurs', collapse: 'Regrouper', actors: 'acteurs', links_n: 'liens',
      step: 'Étape', of: 'sur', no_tour: "Cette carte n'a pas d'étapes de présentation.", size_by: 'taille : ',
      cluster_note: 'Grand graphe : les acteurs sont regroupés par niveau et pays. Cliquez sur un groupe pour lister ou afficher ses acteurs.',
      cluster: 'Groupe', role: 'Rôle', tlp: 'Sensibilité'},
    de: {search_placeholder: 'Akteur suchen (Name oder Abkürzung)…', filters: 'Filter', legend: 'Legende', fit: 'Einpassen',
      presentation: 'Präsentation', exit: 'Beenden', level: 'Ebene', kind: 'Akteurstyp', mandate: 'Mandat',
      link_kind: 'Verbindungstyp', all: 'alle', none: 'keine', unspecified: '(nicht angegeben)', colour: 'Farbe',
      colour_by_level: 'nach Ebene', colour_by_kind: 'nach Akteurstyp', shape: 'Form: Familie des Akteurstyps',
      size: 'Größe', edges: 'Verbindungen', directed: 'gerichtete Verbindung (Pfeil: wer wendet sich an wen)',
      mutual: 'gegenseitige Verbindung (ohne Pfeil)', referral: 'durchgezogen: Verweisung (ein Fall kann weitergegeben werden)',
      other: 'gestrichelt: andere Verbindung (finanziert, beaufsichtigt, bewertet…)', path: 'hervorgehobener Pfad',
      names: 'Namen', kind_l: 'Typ', level_l: 'Ebene', country: 'Land', parent: 'Teil von', mandates: 'Mandate',
      crime_areas: 'Kriminalitätsbereiche', phases: 'Phasen der Verweisung', links: 'Verbindungen', sources: 'Quellen',
      condition: 'Bedingung', applies_when: 'Gilt wenn', legal_basis: 'Rechtsgrundlage', availability: 'Erreichbarkeit',
      status: 'Status', period: 'Zeitraum', no_match: 'Kein Akteur entspricht diesen Filtern: die vorige Ansicht bleibt.',
      hidden_by_filter: 'durch die aktuellen Filter ausgeblendet', no_results: 'Kein Akteur gefunden.',
      members: 'Mitglieder', expand: 'Akteure anzeigen', collapse: 'Wieder gruppieren', actors: 'Akteure', links_n: 'Verbindungen',
      step: 'Schritt', of: 'von', no_tour: 'Diese Karte hat keine Präsentationsschritte.', size_by: 'Größe: ',
      cluster_note: 'Großer Graph: Akteure sind nach Ebene und Land gruppiert. Klicken Sie auf eine Gruppe, um ihre Akteure aufzulisten oder anzuzeigen.',
      cluster: 'Gruppe', role: 'Rolle', tlp: 'Vertraulichkeit'}
  };
  var FAMILY_GLYPH = {dot: '●', diamond: '◆', square: '■', triangle: '▲', triangleDown: '▼', star: '★', hexagon: '⬢'};

  var lang = UI[D.meta.lang] ? D.meta.lang : 'en';
  var colourBy = D.meta.colour_by || 'level';
  var NODES = D.nodes, EDGES = D.edges, CLUSTERS = D.clusters || null;
  var nodeById = new Map(), edgeById = new Map(), edgesOf = new Map();
  NODES.forEach(function (n) {  // empty values are left out of the data
    n.mandates = n.mandates || []; n.acr = n.acr || '';
    nodeById.set(n.id, n); edgesOf.set(n.id, []);
  });
  EDGES.forEach(function (e) {
    edgeById.set(e.id, e);
    edgesOf.get(e.from).push(e);
    if (e.to !== e.from) edgesOf.get(e.to).push(e);
  });
  var clusterById = new Map();
  if (CLUSTERS) CLUSTERS.forEach(function (c) { clusterById.set(c.id, c); });
  var pathNodes = new Set(D.path ? D.path.nodes : []), pathEdges = new Set(D.path ? D.path.edges : []);

  // ------------------------------------------------------------------ helpers
  function t(key) { return (UI[lang] && UI[lang][key]) || UI.en[key] || key; }
  function tr(v) {  // a {en, fr, de} dict or plain string, in the current language
    if (v == null) return '';
    if (typeof v === 'string') return v;
    return v[lang] || v.en || v.fr || v.de || Object.keys(v).map(function (k) { return v[k]; })[0] || '';
  }
  function schemeLabel(scheme, notation) {
    var s = D.schemes[scheme] || {};
    return s[notation] ? tr(s[notation]) : (notation || t('unspecified'));
  }
  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'class') e.className = attrs[k];
      else if (k === 'text') e.textContent = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c == null || c === false) continue;
      e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
  function fold(s) {
    return String(s || '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ').trim();
  }
  function nodeName(n) { return tr(n.labels) || n.acr || n.iri; }
  var LBL = D.meta.label;
  function nodeLabel(n) {  // the same rule as graph.maplayout.short_label
    if (n.acr && n.acr.length <= LBL.acronym) return n.acr;
    var s = nodeName(n);
    return s.length <= LBL.chars ? s : s.slice(0, LBL.chars - 1).replace(/\s+$/, '') + '…';
  }
  function nodeTitle(n) {
    var lines = [nodeName(n) + (n.acr ? ' (' + n.acr + ')' : '')];
    lines.push([schemeLabel('kind', n.kind), schemeLabel('level', n.level)].join(' · '));
    if (n.country) lines.push(tr(n.country));
    return lines.join('\n');
  }
  function alpha(hex, a) {
    var h = hex.replace('#', '');
    return 'rgba(' + parseInt(h.slice(0, 2), 16) + ',' + parseInt(h.slice(2, 4), 16) + ',' + parseInt(h.slice(4, 6), 16) + ',' + a + ')';
  }
  function nodeColour(n) {
    var pal = D.colours[colourBy] || {};
    return pal[colourBy === 'kind' ? n.kind : n.level] || '#9aa5b1';
  }
  var noticeTimer = null;
  function notice(msg) {
    var box = document.getElementById('notice');
    box.textContent = msg; box.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(function () { box.hidden = true; }, 4000);
  }

  // ------------------------------------------------------------------ filters
  function values(key) {  // the values present in the data for a filter, '' for "unspecified"
    var s = new Set();
    if (key === 'link') EDGES.forEach(function (e) { s.add(e.kind || ''); });
    else NODES.forEach(function (n) {
      if (key === 'mandate') { if (n.mandates.length) n.mandates.forEach(function (m) { s.add(m); }); else s.add(''); }
      else s.add(n[key] || '');
    });
    return Array.from(s).sort(function (a, b) {
      var sc = key === 'link' ? 'link' : key, oa = D.order[sc] || {}, ob = oa;
      if (a === '') return 1; if (b === '') return -1;
      if (oa[a] != null && ob[b] != null) return oa[a] - ob[b];
      return schemeLabel(sc, a).localeCompare(schemeLabel(sc, b));
    });
  }
  var FILTER_KEYS = [['level', 'level'], ['kind', 'kind'], ['mandate', 'mandate'], ['link', 'link_kind']];
  function initialFilters() {  // everything, except the link kinds the map hides at first
    var f = {};
    FILTER_KEYS.forEach(function (k) { f[k[0]] = new Set(values(k[0])); });
    (D.meta.hidden_kinds || []).forEach(function (k) { f.link.delete(k); });
    return f;
  }
  var filters = initialFilters();

  function nodePasses(n, f) {
    f = f || filters;
    if (!f.level.has(n.level || '')) return false;
    if (!f.kind.has(n.kind || '')) return false;
    if (n.mandates.length) { if (!n.mandates.some(function (m) { return f.mandate.has(m); })) return false; }
    else if (!f.mandate.has('')) return false;
    return true;
  }

  // ------------------------------------------------------------------ what is drawn
  var expanded = new Set();      // cluster ids shown as their actors
  var highlight = null;          // {nodes: Set, edges: Set} during a presentation step
  var visibleNodes = new Set();  // actor ids that pass the filters

  function rep(n) { return (n.cl != null && !expanded.has(n.cl)) ? 'c' + n.cl : n.id; }

  function nodeItem(n) {
    var col = nodeColour(n), dim = highlight && !highlight.nodes.has(n.id), onPath = pathNodes.has(n.id);
    var focus = n.id === D.meta.focus;
    var bg = dim ? alpha(col, 0.18) : col;
    var border = onPath ? '#c62828' : (focus ? '#111111' : (dim ? 'rgba(60,60,60,0.15)' : '#3d4651'));
    return {
      id: n.id, x: n.x, y: n.y, label: nodeLabel(n), title: nodeTitle(n), shape: D.shapes[n.kind] || 'dot',
      size: n.size, borderWidth: onPath || focus ? 4 : 1,
      color: {background: bg, border: border, highlight: {background: col, border: '#111'}, hover: {background: col, border: '#111'}},
      font: {color: dim ? 'rgba(40,40,40,0.25)' : '#1d2430'}
    };
  }
  function edgeItem(e) {
    var col = D.colours.link[e.kind] || '#7f8c99', dim = highlight && !highlight.edges.has(e.id);
    var onPath = pathEdges.has(e.id), lit = highlight && highlight.edges.has(e.id);
    return {
      id: e.id, from: e.from, to: e.to, title: edgeTitle(e),
      arrows: {to: {enabled: !e.sym, scaleFactor: 0.55}},
      dashes: e.ref ? false : [5, 5],
      width: onPath || lit ? 4 : 1.3,
      color: {color: onPath ? '#c62828' : alpha(col, dim ? 0.08 : 0.75), highlight: col, hover: col},
      smooth: e.curve ? {enabled: true, type: e.curve > 0 ? 'curvedCW' : 'curvedCCW', roundness: Math.abs(e.curve)} : false
    };
  }
  function clusterItem(c, count) {
    var col = (D.colours.level || {})[c.level] || '#9aa5b1', dim = highlight && !highlight.clusters.has(c.id);
    return {
      id: 'c' + c.id, x: c.x, y: c.y, label: tr(c.label) + '\n' + count, title: tr(c.label) + '\n' + count + ' ' + t('actors'),
      shape: 'dot', size: 10 + 4 * Math.sqrt(count), borderWidth: 2,
      color: {background: dim ? alpha(col, 0.2) : alpha(col, 0.85), border: '#3d4651'},
      font: {color: dim ? 'rgba(40,40,40,0.3)' : '#1d2430', size: 30}
    };
  }
  function edgeTitle(e) {
    var a = nodeById.get(e.from), b = nodeById.get(e.to);
    var s = nodeName(a) + ' — ' + schemeLabel('link', e.kind) + ' — ' + nodeName(b);
    if (e.cond) s += '\n' + tr(e.cond);
    return s;
  }

  function target(f) {  // {nodes: Map id->item, edges: Map id->item} for the filters f
    var shown = new Set(), items = new Map(), counts = new Map();
    NODES.forEach(function (n) {
      if (!nodePasses(n, f)) return;
      shown.add(n.id);
      var r = rep(n);
      if (r === n.id) items.set(n.id, null);
      else counts.set(r, (counts.get(r) || 0) + 1);
    });
    var edges = new Map(), agg = new Map();
    EDGES.forEach(function (e) {
      if (!f.link.has(e.kind || '') || !shown.has(e.from) || !shown.has(e.to)) return;
      var a = rep(nodeById.get(e.from)), b = rep(nodeById.get(e.to));
      if (a === e.from && b === e.to) { edges.set(e.id, e); return; }
      if (a === b) return;
      var key = String(a) < String(b) ? a + '|' + b : b + '|' + a;
      agg.set(key, (agg.get(key) || 0) + 1);
    });
    return {shown: shown, nodes: items, clusters: counts, edges: edges, agg: agg};
  }

  var nodes = new vis.DataSet(), edges = new vis.DataSet();

  function apply(tg) {
    visibleNodes = tg.shown;
    var nItems = [], eItems = [];
    tg.nodes.forEach(function (_, id) { nItems.push(nodeItem(nodeById.get(id))); });
    tg.clusters.forEach(function (count, cid) { nItems.push(clusterItem(clusterById.get(Number(cid.slice(1))), count)); });
    tg.edges.forEach(function (e) { eItems.push(edgeItem(e)); });
    tg.agg.forEach(function (count, key) {
      var ab = key.split('|');
      eItems.push({id: 'agg:' + key, from: isNaN(ab[0]) ? ab[0] : Number(ab[0]), to: isNaN(ab[1]) ? ab[1] : Number(ab[1]),
        width: Math.min(1 + Math.log2(count), 8), title: count + ' ' + t('links_n'), arrows: {to: {enabled: false}},
        color: {color: 'rgba(110,120,135,0.45)'}, smooth: false});
    });
    var wantN = new Set(nItems.map(function (i) { return i.id; })), wantE = new Set(eItems.map(function (i) { return i.id; }));
    var goneE = edges.getIds().filter(function (id) { return !wantE.has(id); });
    var goneN = nodes.getIds().filter(function (id) { return !wantN.has(id); });
    goneE.forEach(function (id) { drawnSig.delete('e' + id); });
    goneN.forEach(function (id) { drawnSig.delete('n' + id); });
    edges.remove(goneE);
    nodes.remove(goneN);
    nodes.update(changed(nItems, 'n'));  // only what is new or looks different: vis redoes each item given
    edges.update(changed(eItems, 'e'));
    updateStatus();
  }
  var drawnSig = new Map();
  function changed(items, prefix) {
    return items.filter(function (it) {
      var sig = JSON.stringify(it), key = prefix + it.id;
      if (drawnSig.get(key) === sig) return false;
      drawnSig.set(key, sig);
      return true;
    });
  }
  var booting = true;
  function render() { apply(target(filters)); }

  function updateStatus() {
    var s = document.getElementById('status');
    s.textContent = visibleNodes.size + '/' + NODES.length + ' ' + t('actors') + ' · ' + D.meta.size_label_short + ' · ' + D.meta.strategy;
  }

  // ------------------------------------------------------------------ network
  var big = D.meta.strategy !== 'full';
  var container = document.getElementById('net');
  render();
  performance.mark('coopmap:dataset');
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, {
    autoResize: true,
    physics: false,
    layout: {improvedLayout: false, randomSeed: 1},
    interaction: {hover: !big, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big, multiselect: false,
      navigationButtons: false, keyboard: false, zoomSpeed: 0.6},
    nodes: {font: {size: LBL.font, face: 'system-ui, sans-serif', strokeWidth: 3, strokeColor: '#ffffff'},
      widthConstraint: {maximum: LBL.width},
      // big maps: a label is drawn once zoomed in enough to read it, not as a smudge before
      scaling: {label: {enabled: false, drawThreshold: big ? 9 : 5}}},
    edges: {smooth: false, selectionWidth: 1.5, hoverWidth: 1.2}
  });
  performance.mark('coopmap:network');
  window.coopmap = {data: D, nodes: nodes, edges: edges, network: network, ready: false, readyAt: null,
    visibleActorIds: function () { return Array.from(visibleNodes); }};
  network.once('afterDrawing', function () {
    window.coopmap.ready = true;
    window.coopmap.readyAt = performance.now();
    document.documentElement.setAttribute('data-ready', '1');
  });

  // ------------------------------------------------------------------ side panel
  var panel = document.getElementById('panel'), panelBody = document.getElementById('panel-body');
  function actorLink(n) {
    var a = el('a', {class: 'actor', text: nodeName(n) + (n.acr ? ' (' + n.acr + ')' : ''), href: '#', 'data-node': String(n.id)});
    a.addEventListener('click', function (ev) { ev.preventDefault(); selectNode(n.id, true); });
    return a;
  }
  function sourcesList(ids) {
    var box = el('div', {class: 'sources'});
    (ids || []).forEach(function (i) {
      var s = D.sources[i] || {};
      box.appendChild(el('div', {class: 'src'},
        el('span', {class: 'doc', text: s.document || ''}), s.locator ? ' — ' + s.locator : '',
        s.quote ? el('q', {text: s.quote}) : null));
    });
    return box;
  }
  function dlRow(dl, key, value) {
    if (value == null || value === '' || (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el('dt', {text: t(key)}));
    dl.appendChild(el('dd', {text: Array.isArray(value) ? value.join(', ') : value}));
  }
  function linkBlock(e, fromSide) {
    var a = nodeById.get(e.from), b = nodeById.get(e.to), box = el('div', {class: 'link', 'data-edge': String(e.id)});
    var rel = schemeLabel('link', e.kind);
    var head = el('div');
    if (fromSide === undefined) head.append(actorLink(a), ' ', el('span', {class: 'rel', text: rel}), ' ', actorLink(b));
    else if (e.sym) head.append(el('span', {class: 'rel', text: rel}), ' ', actorLink(fromSide === e.from ? b : a));
    else if (fromSide === e.from) head.append(el('span', {class: 'rel', text: rel + ' →'}), ' ', actorLink(b));
    else head.append(actorLink(a), ' ', el('span', {class: 'rel', text: '→ ' + rel}));
    box.appendChild(head);
    var dl = el('dl');
    dlRow(dl, 'condition', tr(e.cond));
    dlRow(dl, 'applies_when', (e.when || []).map(function (c) { return schemeLabel('condition', c); }));
    dlRow(dl, 'phases', (e.phases || []).map(function (p) { return schemeLabel('phase', p); }));
    dlRow(dl, 'legal_basis', (e.basis || []).map(tr));
    dlRow(dl, 'availability', (e.avail || []).map(function (a) { return schemeLabel('availability', a); }));
    dlRow(dl, 'role', e.role ? schemeLabel('role', e.role) : null);
    dlRow(dl, 'tlp', e.tlp ? 'TLP:' + e.tlp.toUpperCase() : null);
    dlRow(dl, 'status', e.status ? schemeLabel('status', e.status) : null);
    dlRow(dl, 'period', (e.start || e.end) ? (e.start || '…') + ' – ' + (e.end || '…') : null);
    if (dl.firstChild) box.appendChild(dl);
    box.appendChild(sourcesList(e.src));
    return box;
  }
  function showNode(n) {
    clear(panelBody);
    panelBody.appendChild(el('h2', {text: nodeName(n)}));
    var names = [];
    ['en', 'fr', 'de'].forEach(function (l) { if (n.labels && n.labels[l] && names.indexOf(n.labels[l]) < 0) names.push(n.labels[l]); });
    (n.alt || []).forEach(function (a) { if (names.indexOf(a) < 0) names.push(a); });
    panelBody.appendChild(el('div', {class: 'names', text: names.join(' · ')}));
    if (!visibleNodes.has(n.id)) panelBody.appendChild(el('p', {class: 'rel', text: '(' + t('hidden_by_filter') + ')'}));
    var dl = el('dl');
    dlRow(dl, 'kind_l', schemeLabel('kind', n.kind));
    dlRow(dl, 'level_l', schemeLabel('level', n.level));
    dlRow(dl, 'country', tr(n.country));
    dlRow(dl, 'parent', tr(n.parent));
    dlRow(dl, 'mandates', n.mandates.map(function (m) { return schemeLabel('mandate', m); }));
    dlRow(dl, 'crime_areas', (n.crime || []).map(function (c) { return schemeLabel('crime', c); }));
    dlRow(dl, 'phases', (n.phases || []).map(function (p) { return schemeLabel('phase', p); }));
    panelBody.appendChild(dl);
    dlRow(dl, 'tlp', n.tlp ? 'TLP:' + n.tlp.toUpperCase() : null);
    if (n.src && n.src.length) { panelBody.appendChild(el('h3', {text: t('sources')})); panelBody.appendChild(sourcesList(n.src)); }
    var links = edgesOf.get(n.id) || [];
    panelBody.appendChild(el('h3', {text: t('links') + ' (' + links.length + ')'}));
    links.forEach(function (e) { panelBody.appendChild(linkBlock(e, n.id)); });
    panelBody.appendChild(el('div', {class: 'iri', text: n.iri}));
    panel.hidden = false;
  }
  function showEdge(e) {
    clear(panelBody);
    panelBody.appendChild(el('h2', {text: schemeLabel('link', e.kind)}));
    panelBody.appendChild(linkBlock(e));
    panelBody.appendChild(el('div', {class: 'iri', text: e.iri}));
    panel.hidden = false;
  }
  function showCluster(c) {
    clear(panelBody);
    var members = NODES.filter(function (n) { return n.cl === c.id && visibleNodes.has(n.id); });
    panelBody.appendChild(el('h2', {text: t('cluster') + ': ' + tr(c.label)}));
    var btn = el('button', {type: 'button', text: expanded.has(c.id) ? t('collapse') : t('expand')});
    btn.addEventListener('click', function () {
      if (expanded.has(c.id)) expanded.delete(c.id); else expanded.add(c.id);
      render(); showCluster(c);
    });
    panelBody.appendChild(el('p', null, btn));
    panelBody.appendChild(el('h3', {text: t('members') + ' (' + members.length + ')'}));
    var ul = el('ul');
    members.slice(0, 500).forEach(function (n) { ul.appendChild(el('li', null, actorLink(n))); });
    if (members.length > 500) ul.appendChild(el('li', {text: '… +' + (members.length - 500)}));
    panelBody.appendChild(ul);
    panel.hidden = false;
  }
  document.getElementById('panel-close').addEventListener('click', function () { panel.hidden = true; network.unselectAll(); });

  function selectNode(id, focus) {
    var n = nodeById.get(id);
    if (!n) return;
    if (n.cl != null && !expanded.has(n.cl) && visibleNodes.has(id)) { expanded.add(n.cl); render(); }
    if (nodes.get(id)) {
      network.selectNodes([id]);
      if (focus) network.focus(id, {scale: Math.max(network.getScale(), 1.1), animation: {duration: 350}});
    }
    showNode(n);
  }
  network.on('click', function (p) {
    if (p.nodes.length) {
      var id = p.nodes[0];
      if (typeof id === 'string' && id.charAt(0) === 'c') showCluster(clusterById.get(Number(id.slice(1))));
      else showNode(nodeById.get(id));
    } else if (p.edges.length) {
      var e = edgeById.get(p.edges[0]);
      if (e) showEdge(e);
    }
  });

  // ------------------------------------------------------------------ search
  var search = document.getElementById('search'), results = document.getElementById('search-results');
  var index = NODES.map(function (n) {
    var keys = [];
    Object.keys(n.labels || {}).forEach(function (l) { keys.push(fold(n.labels[l])); });
    (n.alt || []).forEach(function (a) { keys.push(fold(a)); });
    if (n.acr) keys.push(fold(n.acr));
    return {n: n, keys: keys};
  });
  var hits = [], cursor = -1;
  function runSearch() {
    var q = fold(search.value);
    clear(results); hits = []; cursor = -1;
    if (!q) { results.hidden = true; return; }
    index.forEach(function (rec) {
      var best = 99;
      rec.keys.forEach(function (k) {
        if (k === q) best = Math.min(best, 0);
        else if (k.indexOf(q) === 0) best = Math.min(best, 1);
        else if ((' ' + k).indexOf(' ' + q) >= 0) best = Math.min(best, 2);
        else if (k.indexOf(q) >= 0) best = Math.min(best, 3);
      });
      if (best < 99) hits.push([best, rec.n]);
    });
    hits.sort(function (a, b) { return a[0] - b[0] || nodeName(a[1]).localeCompare(nodeName(b[1])); });
    hits = hits.slice(0, 12).map(function (h) { return h[1]; });
    if (!hits.length) results.appendChild(el('li', {class: 'sub', text: t('no_results')}));
    hits.forEach(function (n, i) {
      var li = el('li', {role: 'option', 'data-node': String(n.id)},
        el('div', {text: nodeName(n) + (n.acr ? ' (' + n.acr + ')' : '')}),
        el('div', {class: 'sub', text: schemeLabel('kind', n.kind) + ' · ' + schemeLabel('level', n.level) +
          (visibleNodes.has(n.id) ? '' : ' · ' + t('hidden_by_filter'))}));
      li.addEventListener('mousedown', function (ev) { ev.preventDefault(); pick(i); });
      results.appendChild(li);
    });
    results.hidden = false;
  }
  function pick(i) {
    var n = hits[i];
    if (!n) return;
    results.hidden = true;
    search.value = nodeName(n);
    selectNode(n.id, true);
  }
  search.addEventListener('input', runSearch);
  search.addEventListener('keydown', function (ev) {
    var items = results.querySelectorAll('li[role="option"]');
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (!items.length) return;
      cursor = (cursor + (ev.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      items.forEach(function (li, i) { li.setAttribute('aria-selected', i === cursor ? 'true' : 'false'); });
    } else if (ev.key === 'Enter') { ev.preventDefault(); pick(cursor < 0 ? 0 : cursor); }
    else if (ev.key === 'Escape') { results.hidden = true; }
  });
  search.addEventListener('blur', function () { setTimeout(function () { results.hidden = true; }, 150); });

  // ------------------------------------------------------------------ filter panel
  var filterBox = document.getElementById('filters');
  function buildFilters() {
    clear(filterBox);
    FILTER_KEYS.forEach(function (fk) {
      var key = fk[0], scheme = key === 'link' ? 'link' : key, fs = el('fieldset', {'data-filter': key});
      fs.appendChild(el('legend', {text: t(fk[1])}));
      var all = el('button', {type: 'button', text: t('all')}), none = el('button', {type: 'button', text: t('none')});
      fs.appendChild(el('div', {class: 'tools'}, all, none));
      var vals = values(key);
      all.addEventListener('click', function () { setFilter(key, new Set(vals)); });
      none.addEventListener('click', function () { setFilter(key, new Set()); });
      vals.forEach(function (v) {
        var cb = el('input', {type: 'checkbox', value: v});
        cb.checked = filters[key].has(v);
        cb.addEventListener('change', function () {
          var s = new Set(filters[key]);
          if (cb.checked) s.add(v); else s.delete(v);
          setFilter(key, s);
        });
        var n = key === 'link' ? EDGES.filter(function (e) { return (e.kind || '') === v; }).length
          : NODES.filter(function (x) { return key === 'mandate' ? (v ? x.mandates.indexOf(v) >= 0 : !x.mandates.length) : (x[key] || '') === v; }).length;
        fs.appendChild(el('label', null, cb, v ? schemeLabel(scheme, v) : t('unspecified'), el('span', {class: 'count', text: String(n)})));
      });
      filterBox.appendChild(fs);
    });
  }
  function setFilter(key, set) {
    var f = {level: filters.level, kind: filters.kind, mandate: filters.mandate, link: filters.link};
    f[key] = set;
    var tg = target(f);
    if (!tg.shown.size) {  // never blank the whole graph
      notice(t('no_match'));
      buildFilters();
      return false;
    }
    filters = f;
    apply(tg);
    buildFilters();
    return true;
  }
  function toggle(btn, box) {
    box.hidden = !box.hidden;
    btn.setAttribute('aria-expanded', box.hidden ? 'false' : 'true');
  }
  document.getElementById('btn-filters').addEventListener('click', function (ev) { toggle(ev.currentTarget, filterBox); });

  // ------------------------------------------------------------------ legend
  var legendBox = document.getElementById('legend');
  function buildLegend() {
    clear(legendBox);
    legendBox.appendChild(el('h2', {text: t('colour')}));
    var sel = el('select', {'aria-label': t('colour')},
      el('option', {value: 'level', text: t('colour_by_level')}), el('option', {value: 'kind', text: t('colour_by_kind')}));
    sel.value = colourBy;
    sel.addEventListener('change', function () { colourBy = sel.value; render(); buildLegend(); });
    legendBox.appendChild(sel);
    var ul = el('ul'), present = values(colourBy === 'kind' ? 'kind' : 'level');
    present.forEach(function (v) {
      var sw = el('span', {class: 'sw'});
      sw.style.background = (D.colours[colourBy] || {})[v] || '#9aa5b1';
      ul.appendChild(el('li', null, sw, v ? schemeLabel(colourBy, v) : t('unspecified')));
    });
    legendBox.appendChild(ul);
    legendBox.appendChild(el('h2', {text: t('shape')}));
    ul = el('ul');
    var fams = new Map();
    NODES.forEach(function (n) { var f = D.families[n.kind]; if (f) fams.set(f, D.shapes[n.kind]); });
    D.family_order.forEach(function (f) {
      if (!fams.has(f)) return;
      ul.appendChild(el('li', null, el('span', {class: 'glyph', text: FAMILY_GLYPH[fams.get(f)] || '●'}), tr(D.family_labels[f])));
    });
    legendBox.appendChild(ul);
    legendBox.appendChild(el('h2', {text: t('size')}));
    legendBox.appendChild(el('div', {text: tr(D.meta.size_label)}));
    legendBox.appendChild(el('h2', {text: t('edges')}));
    ul = el('ul');
    var arrow = el('span', {class: 'line arrow'}), plain = el('span', {class: 'line'}), dash = el('span', {class: 'line dash'});
    ul.append(el('li', null, arrow, t('directed')), el('li', null, plain, t('mutual')),
      el('li', null, el('span', {class: 'line'}), t('referral')), el('li', null, dash, t('other')));
    if (D.path) {
      var p = el('span', {class: 'line'}); p.style.borderTop = '4px solid #c62828';
      ul.appendChild(el('li', null, p, t('path')));
    }
    values('link').forEach(function (k) {
      var line = el('span', {class: 'line'});
      line.style.borderTopColor = D.colours.link[k] || '#7f8c99';
      if (!(D.referral || {})[k]) line.style.borderTopStyle = 'dashed';
      ul.appendChild(el('li', null, line, schemeLabel('link', k)));
    });
    legendBox.appendChild(ul);
    if (CLUSTERS) legendBox.appendChild(el('p', {text: t('cluster_note')}));
    if (D.meta.notice) legendBox.appendChild(el('p', {text: tr(D.meta.notice)}));
  }
  document.getElementById('btn-legend').addEventListener('click', function (ev) {
    toggle(ev.currentTarget, legendBox);
    network.redraw(); network.fit();
  });
  document.getElementById('btn-fit').addEventListener('click', function () { network.fit({animation: {duration: 300}}); });

  // ------------------------------------------------------------------ presentation mode
  var tour = D.tour, step = -1, captionBox = document.getElementById('caption');
  function showStep(i) {
    if (!tour || !tour.steps.length) return;
    step = Math.max(0, Math.min(i, tour.steps.length - 1));
    var s = tour.steps[step], ns = new Set(s.nodes), es = new Set(s.edges), cl = new Set();
    ns.forEach(function (id) { var n = nodeById.get(id); if (n && n.cl != null) { expanded.add(n.cl); cl.add(n.cl); } });
    highlight = ns.size || es.size ? {nodes: ns, edges: es, clusters: cl} : null;
    render();
    var fitIds = s.nodes.filter(function (id) { return nodes.get(id); });
    network.fit({nodes: fitIds.length ? fitIds : undefined, animation: {duration: 450, easingFunction: 'easeInOutQuad'},
      maxZoomLevel: 1.6});
    document.getElementById('caption-step').textContent = tr(tour.title) + ' — ' + t('step') + ' ' + (step + 1) + ' ' + t('of') + ' ' + tour.steps.length;
    document.getElementById('caption-body').textContent = tr(s.caption);
    captionBox.hidden = false;
  }
  function startTour() {
    if (!tour || !tour.steps.length) { notice(t('no_tour')); return; }
    filters = initialFilters(); buildFilters();
    panel.hidden = true;
    network.unselectAll();
    document.getElementById('btn-tour').setAttribute('aria-pressed', 'true');
    showStep(0);
  }
  function endTour() {
    step = -1; highlight = null; captionBox.hidden = true;
    document.getElementById('btn-tour').setAttribute('aria-pressed', 'false');
    render(); network.fit({animation: {duration: 300}});
  }
  document.getElementById('btn-tour').addEventListener('click', function () { if (step < 0) startTour(); else endTour(); });
  document.getElementById('tour-next').addEventListener('click', function () { showStep(step + 1); });
  document.getElementById('tour-prev').addEventListener('click', function () { showStep(step - 1); });
  document.getElementById('tour-exit').addEventListener('click', endTour);
  document.addEventListener('keydown', function (ev) {
    if (step < 0 || ev.target === search) return;
    if (ev.key === 'ArrowRight' || ev.key === 'PageDown' || ev.key === ' ') { ev.preventDefault(); showStep(step + 1); }
    else if (ev.key === 'ArrowLeft' || ev.key === 'PageUp') { ev.preventDefault(); showStep(step - 1); }
    else if (ev.key === 'Escape') endTour();
  });

  // ------------------------------------------------------------------ language
  function setLang(l) {
    lang = UI[l] ? l : 'en';
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-i18n]').forEach(function (e) { e.textContent = t(e.getAttribute('data-i18n')); });
    document.querySelectorAll('[data-i18n-placeholder]').forEach(function (e) { e.placeholder = t(e.getAttribute('data-i18n-placeholder')); });
    document.querySelectorAll('#langs button').forEach(function (b) { b.setAttribute('aria-pressed', b.getAttribute('data-lang') === lang ? 'true' : 'false'); });
    document.getElementById('title').textContent = tr(D.meta.title);
    document.title = tr(D.meta.title);
    buildLegend(); buildFilters();
    if (!booting) render();
    if (!panel.hidden) {
      var sel = network.getSelectedNodes();
      if (sel.length && nodeById.get(sel[0])) showNode(nodeById.get(sel[0])); else panel.hidden = true;
    }
    if (step >= 0) showStep(step);
    if (search.value) runSearch();
    window.coopmap.lang = lang;
  }
  document.querySelectorAll('#langs button').forEach(function (b) {
    b.addEventListener('click', function () { setLang(b.getAttribute('data-lang')); });
  });
  window.coopmap.setLang = setLang;
  window.coopmap.setFilter = function (key, list) { return setFilter(key, new Set(list)); };
  window.coopmap.startTour = startTour;
  window.coopmap.showStep = showStep;
  setLang(lang);
  booting = false;
  if (D.meta.start_tour) startTour();
})();
