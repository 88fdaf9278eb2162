/* coopmap map page: start. The view comes from the URL fragment when it holds one (a bookmark). */
Object.assign(window.coopmap, {
  setLang, startTour, showStep, endTour, setProjector, setStill, relabel, hideActor, focusActor, showAll,
  selectNode, saveState, restoreState, fold: Pure.fold,
  setFilter: (key, list) => setFilter(key, new Set(list)),
  stateHash: () => Pure.encodeState(currentState()),
  scale: () => network.getScale(),
});
setLang(S.lang);
document.body.classList.toggle('projector', S.projector);
document.getElementById('btn-projector').setAttribute('aria-pressed', S.projector ? 'true' : 'false');
if (S.projector) network.setOptions({interaction: {dragNodes: false}});
network.redraw();
fitVisible(false);
S.overviewScale = network.getScale();
S.booting = false;
restoreState(location.hash);
if (S.projector && !labelled) relabel();
if (D.meta.start_tour && S.step < 0) startTour();
window.addEventListener('hashchange', () => {
  if (Pure.encodeState(currentState()) !== location.hash.replace(/^#/, '')) restoreState(location.hash);
});
