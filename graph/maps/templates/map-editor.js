/* coopmap map page: a trainer writes a tour in the page and saves it as the file `coopmap map --tour` reads. */
const editorBox = document.getElementById('editor');
const draft = {title: '', steps: [{caption: '', actors: [], links: []}]};
const editorOpen = () => !editorBox.hidden;
const cur = () => draft.steps[draft.steps.length - 1];
const actorRef = (n) => (n.labels && n.labels.en) || n.acr || n.iri;  // what the CLI resolves

function editorPick(p) {
  const s = cur();
  if (p.nodes.length && typeof p.nodes[0] === 'number') {
    const n = nodeById.get(p.nodes[0]), ref = actorRef(n), i = s.actors.indexOf(ref);
    if (i >= 0) s.actors.splice(i, 1); else s.actors.push(ref);
  } else if (p.edges.length && typeof p.edges[0] === 'number') {
    const e = edgeById.get(p.edges[0]), i = s.links.indexOf(e.iri);
    if (i >= 0) s.links.splice(i, 1); else s.links.push(e.iri);
  }
  buildEditor();
}
function buildEditor() {
  clear(editorBox);
  const close = el('button', {type: 'button', class: 'close', text: '×', 'aria-label': t('close')});
  close.addEventListener('click', () => toggleEditor(false));
  editorBox.appendChild(close);
  editorBox.appendChild(el('h2', {text: t('tour_editor')}));
  editorBox.appendChild(el('p', {class: 'note', text: t('editor_help')}));
  const title = el('input', {type: 'text', id: 'editor-title', placeholder: t('tour_title')});
  title.value = draft.title;
  title.addEventListener('input', () => { draft.title = title.value; });
  editorBox.appendChild(el('label', null, t('tour_title') + ' ', title));
  const ol = el('ol');
  draft.steps.forEach((s, i) => {
    const last = i === draft.steps.length - 1;
    const li = el('li', {class: last ? 'current' : ''});
    const bits = s.actors.concat(s.links.map((iri) => {
      const e = EDGES.find((x) => x.iri === iri);
      return e ? nodeName(nodeById.get(e.from)) + ' — ' + schemeLabel('link', e.kind) + ' — ' + nodeName(nodeById.get(e.to)) : iri;
    }));
    li.appendChild(el('div', {class: 'sub', text: bits.join(' · ') || '—'}));
    if (last) {
      const cap = el('textarea', {id: 'editor-caption', rows: '3', placeholder: t('caption_l')});
      cap.value = s.caption;
      cap.addEventListener('input', () => { s.caption = cap.value; });
      li.appendChild(cap);
    } else li.appendChild(el('div', {text: s.caption}));
    ol.appendChild(li);
  });
  editorBox.appendChild(ol);
  const add = el('button', {type: 'button', id: 'editor-add', text: t('add_step')});
  add.addEventListener('click', () => { draft.steps.push({caption: '', actors: [], links: []}); buildEditor(); });
  const save = el('button', {type: 'button', id: 'editor-save', text: t('save_tour')});
  save.addEventListener('click', saveTour);
  editorBox.appendChild(el('div', {class: 'tools'}, add, ' ', save));
}
function tourText() {
  const steps = draft.steps.filter((s) => s.actors.length || s.links.length || s.caption);
  return Pure.tourToml({title: draft.title || tr(D.meta.title), steps});
}
function saveTour() {
  const url = URL.createObjectURL(new Blob([tourText()], {type: 'application/toml'}));
  const a = el('a', {href: url, download: 'tour.toml'});
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
function toggleEditor(open) {
  editorBox.hidden = open === undefined ? !editorBox.hidden : !open;
  document.getElementById('btn-editor').setAttribute('aria-pressed', editorBox.hidden ? 'false' : 'true');
  if (!editorBox.hidden) { panel.hidden = true; buildEditor(); }
}
document.getElementById('btn-editor').addEventListener('click', () => toggleEditor());
window.coopmap.editor = {draft, text: tourText, open: toggleEditor, pick: editorPick};
