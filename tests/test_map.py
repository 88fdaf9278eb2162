"""Maps in real headless Chromium (Debian's /usr/bin/chromium via playwright; launched once per session).

The pages are built through the real pipeline: the validated Luxembourg graph, a tiny hand-built data
folder whose names are HTML/JS injections, and a copy of the data with planted TLP:AMBER facts.
"""

import shutil
import struct

import networkx as nx
import pytest

pytestmark = pytest.mark.browser

ITM_FR = "Inspection du travail et des mines"  # the ITM's French name, as document 004 gives it


# ---------------------------------------------------------------- fixtures


@pytest.fixture()
def open_page(browser):
    """``open_page(html_path)`` -> (page, log); every page opened is closed after the test."""
    from graph.maps.browser import open_map

    pages = []

    def run(path, **kw):
        page, log = open_map(browser, path, **kw)
        pages.append(page)
        return page, log

    yield run
    for p in pages:
        p.context.close()


@pytest.fixture(scope="session")
def maps_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("maps")


@pytest.fixture(scope="session")
def itm(store):
    from graph.kb.store import select

    rows = select(store, 'SELECT DISTINCT ?a WHERE { ?a a coop:Actor ; skos:altLabel "ITM" }')
    assert len(rows) == 1, rows
    return rows[0]["a"]


@pytest.fixture(scope="session")
def prosecutor(store):
    from graph.kb.store import select

    rows = select(store, """SELECT DISTINCT ?a WHERE { ?a a coop:Actor ; skos:prefLabel "Public Prosecutor's Office"@en }""")
    assert len(rows) == 1, rows
    return rows[0]["a"]


@pytest.fixture(scope="session")
def real_map(project, maps_dir, itm, prosecutor):
    """The whole Luxembourg graph, with the ITM -> Public Prosecutor path as a presentation."""
    from graph.maps.page import make_map

    out = maps_dir / "luxembourg.html"
    make_map(project, output=out, tour=f"path:{itm}:{prosecutor}", path=(itm, prosecutor))
    return out


def turtle(body):
    """``body`` with every coopmap prefix declared."""
    from graph.core.namespaces import PREFIXES

    return "".join(f"@prefix {k}: <{v}> .\n" for k, v in PREFIXES.items()) + body


XSS_TTL = """

doc:xss a coop:SourceDocument ; dcterms:identifier "<img src=y onerror=window.__pwned=6>" ; dcterms:accessRights tlp:clear .

actor:xss-evil a coop:Actor ;
    skos:prefLabel "<img src=x onerror=alert(1)>"@en , "<img src=x onerror=window.__pwned=1>"@fr ;
    skos:altLabel "<b onmouseover=window.__pwned=2>bold</b>" ;
    coop:actorKind kind:ngo ; coop:level level:national ; coop:mandate mandate:victim-support ;
    coop:citation [ a coop:Citation ; prov:entity doc:xss ; coop:locator "<svg onload=window.__pwned=3>" ;
                    coop:quote "</script><script>window.__pwned=4</script>" ] ;
    dcterms:accessRights tlp:clear .

actor:xss-good a coop:Actor ;
    skos:prefLabel "Good Service"@en , "Bon service"@fr ; skos:altLabel "GS" ;
    coop:actorKind kind:support-service ; coop:level level:national ; coop:mandate mandate:victim-support ;
    coop:citation [ a coop:Citation ; prov:entity doc:xss ; coop:locator "p. 1" ; coop:quote "plain" ] ;
    dcterms:accessRights tlp:clear .

link:xss-link a coop:Link ; coop:linkKind lk:refers-victims-to ;
    coop:from actor:xss-evil ; coop:to actor:xss-good ;
    coop:condition "<iframe src=javascript:window.__pwned=5></iframe>"@en ;
    coop:citation [ a coop:Citation ; prov:entity doc:xss ; coop:locator "p. 2" ;
                    coop:quote "<img src=z onerror=window.__pwned=7>" ] ;
    dcterms:accessRights tlp:clear .
"""


@pytest.fixture(scope="session")
def xss_map(tmp_path_factory, private_cache):
    from graph.kb.build import Project, build
    from graph.maps.page import make_map

    data = tmp_path_factory.mktemp("xss-data")
    (data / "xss.ttl").write_text(turtle(XSS_TTL), encoding="utf-8")
    project = Project(data_dir=data, cache_root=private_cache)
    build(project, validate=False)
    out = tmp_path_factory.mktemp("xss-map") / "xss.html"
    make_map(project, output=out, tour="path:<img src=x onerror=alert(1)>:GS")
    return out


PLANTED = """

actor:zz-amber-unit-qzxv a coop:Actor ;
    skos:prefLabel "Planted Amber Unit QZXV"@en ; skos:altLabel "PAU-QZXV" ;
    coop:actorKind kind:police-unit ; coop:level level:national ; coop:country actor:state-lu ;
    org:unitOf <ITM> ;
    coop:citation [ a coop:Citation ; prov:entity doc:emn-lu-2024-thb-international ;
                    coop:locator "Amber locator QZXV one" ; coop:quote "amber quote QZXV one" ] ;
    dcterms:accessRights tlp:amber .

doc:zz-amber-doc-qzxv a coop:SourceDocument ; dcterms:identifier "zz-amber-doc-qzxv" ;
    dcterms:title "Amber document title QZXV"@en ; dcterms:accessRights tlp:amber .

<ITM> schema:contactPoint contact:zz-amber-contact-qzxv .
contact:zz-amber-contact-qzxv a schema:ContactPoint ; schema:name "Amber contact point QZXV"@en ;
    schema:telephone "+352 0000 QZXV" ; dcterms:accessRights tlp:amber .

link:zz-amber-link-qzxv a coop:Link ; coop:linkKind lk:notifies ;
    coop:from <ITM> ; coop:to <PROSECUTOR> ;
    coop:condition "Amber condition QZXV"@en ;
    coop:citation [ a coop:Citation ; prov:entity doc:zz-amber-doc-qzxv ;
                    coop:locator "Amber locator QZXV two" ; coop:quote "amber quote QZXV two" ] ;
    dcterms:accessRights tlp:amber .

<ITM> coop:citation [ a coop:Citation ; prov:entity doc:emn-lu-2024-thb-international ;
        coop:locator "Amber locator QZXV three" ; coop:quote "amber quote QZXV three" ;
        dcterms:accessRights tlp:amber ] .

mship:zz-amber-membership-qzxv a org:Membership ; org:member <ITM> ; org:organization <PROSECUTOR> ;
    coop:citation [ a coop:Citation ; prov:entity doc:emn-lu-2024-thb-international ;
                    coop:locator "p. 1" ; coop:quote "membership quote" ] ;
    dcterms:accessRights tlp:amber .

instr:zz-amber-law a eli:LegalResource ; eli:title "Amber Law QZXV"@en ; coop:instrumentType itype:law ;
    dcterms:accessRights tlp:amber .

link:zz-clear-link-with-restricted-basis a coop:Link ; coop:linkKind lk:cooperates-with ;
    coop:from <ITM> ; coop:to <PROSECUTOR> ; coop:legalBasis instr:zz-amber-law ;
    coop:citation [ a coop:Citation ; prov:entity doc:emn-lu-2024-thb-international ;
                    coop:locator "p. 1" ; coop:quote "a clear quote" ] ;
    dcterms:accessRights tlp:clear .
"""
PLANTED_STRINGS = ["Planted Amber Unit QZXV", "PAU-QZXV", "Amber locator QZXV one", "amber quote QZXV one",
                   "Amber condition QZXV", "amber quote QZXV two", "Amber locator QZXV three",
                   "amber quote QZXV three", "zz-amber-membership-qzxv", "Amber Law QZXV", "zz-amber-unit-qzxv",
                   "zz-amber-link-qzxv", "Amber document title QZXV", "Amber contact point QZXV", "+352 0000 QZXV"]


@pytest.fixture(scope="session")
def amber_maps(project, tmp_path_factory, private_cache, itm, prosecutor):
    """Maps of a copy of the data with planted AMBER facts, for audiences clear and amber."""
    from graph.kb.build import Project, build
    from graph.maps.page import make_map

    data = tmp_path_factory.mktemp("amber") / "data"
    shutil.copytree(project.data_dir, data)
    planted_ttl = turtle(PLANTED).replace("<ITM>", f"<{itm}>").replace("<PROSECUTOR>", f"<{prosecutor}>")
    (data / "zz-planted-amber.ttl").write_text(planted_ttl,
                                               encoding="utf-8")
    planted = Project(data_dir=data, cache_root=private_cache)
    build(planted, validate=False)
    out = {}
    for audience in ("clear", "amber"):
        out[audience] = tmp_path_factory.mktemp("amber-maps") / f"{audience}.html"
        make_map(planted, output=out[audience], audience=audience)
    return out


# ---------------------------------------------------------------- helpers


def drawn(page):
    return page.evaluate("""() => ({nodes: window.coopmap.nodes.getIds(), edges: window.coopmap.edges.getIds(),
        iris: window.coopmap.nodes.getIds().filter(id => typeof id === 'number').map(id => window.coopmap.data.nodes[id].iri),
        links: window.coopmap.edges.getIds().filter(id => typeof id === 'number')
            .map(id => window.coopmap.data.edges[id].iri)})""")


def node_id(page, iri):
    nid = page.evaluate("iri => (window.coopmap.data.nodes.find(n => n.iri === iri) || {}).id", iri)
    assert nid is not None, iri
    return nid


def click_node(page, nid):
    """Click the node on the canvas, where it is drawn (after centring it)."""
    xy = page.evaluate("""id => { const n = window.coopmap.network;
        n.focus(id, {scale: 1.5, animation: false});
        const d = n.canvasToDOM(n.getPositions([id])[id]);
        const r = document.getElementById('net').getBoundingClientRect();
        return [d.x + r.left, d.y + r.top]; }""", nid)
    page.mouse.click(*xy)


HIDDEN_AT_FIRST = {"institution-of"}  # institution -> its state: in the page, drawn once ticked


def expected_edges(G, keep, hidden=HIDDEN_AT_FIRST):
    """The links a map of ``keep`` draws: every edge of the view between kept actors, mirrors once."""
    return sorted(k for u, v, k, d in G.edges(keys=True, data=True)
                  if u in keep and v in keep and not d["mirror"] and d["kind"] not in hidden)


# ---------------------------------------------------------------- tests


def test_loads_offline_without_errors_or_requests(real_map, open_page):
    page, log = open_page(real_map)
    assert log["console_errors"] == [] and log["page_errors"] == []
    assert log["blocked"] == []
    assert log["requests"] and all(u.startswith("file:") for u in log["requests"]), log["requests"]
    assert page.evaluate("typeof window.bootstrap") == "undefined"
    assert page.locator("#legend li").count() >= 8  # colours, shapes and link styles are explained


def test_drawn_counts_equal_the_filtered_view(project, view, maps_dir, open_page):
    from graph.maps.page import make_map

    out = maps_dir / "national-eu.html"
    make_map(project, output=out, level=("national", "eu"))
    keep = {n for n, d in view.nodes(data=True) if d["level"] in ("national", "eu")}
    page, log = open_page(out)
    d = drawn(page)
    assert sorted(d["iris"]) == sorted(keep)
    assert len(d["nodes"]) == len(keep) and len(keep) > 20
    assert sorted(d["links"]) == expected_edges(view, keep)
    assert log["console_errors"] == []


def test_search_by_acronym_and_by_french_name(real_map, open_page, itm):
    page, _ = open_page(real_map)
    for query in ("ITM", ITM_FR, "inspection du TRAVAIL"):
        page.fill("#search", "")
        page.type("#search", query)
        first = page.locator("#search-results li[role=option]").first
        assert page.evaluate("id => window.coopmap.data.nodes[id].iri", int(first.get_attribute("data-node"))) == itm, query
    page.keyboard.press("Enter")
    assert page.locator("#panel").is_visible()
    assert page.locator("#panel-body h2").text_content() == "Inspectorate of Labour and Mines"


def test_filter_hides_what_it_should_and_never_blanks(real_map, open_page, view):
    page, _ = open_page(real_map)
    page.click("#btn-filters")
    page.check('#filters fieldset[data-filter="level"] input[value="eu"]')  # already checked: no change
    page.uncheck('#filters fieldset[data-filter="level"] input[value="eu"]')
    keep = {n for n, d in view.nodes(data=True) if d["level"] != "eu"}
    d = drawn(page)
    assert sorted(d["iris"]) == sorted(keep) and len(keep) < len(view)
    assert sorted(d["links"]) == expected_edges(view, keep)
    # hiding one link kind hides exactly its links, and no actor
    page.uncheck('#filters fieldset[data-filter="link"] input[value="member-of"]')
    d2 = drawn(page)
    assert sorted(d2["iris"]) == sorted(keep)
    assert sorted(d2["links"]) == expected_edges(view, keep, HIDDEN_AT_FIRST | {"member-of"})
    # ticking a kind hidden at first draws exactly its links too
    page.check('#filters fieldset[data-filter="link"] input[value="institution-of"]')
    assert sorted(drawn(page)["links"]) == expected_edges(view, keep, {"member-of"})
    # "none" would leave nothing: refused, the graph stays
    page.click('#filters fieldset[data-filter="level"] .tools button:nth-child(2)')
    assert page.locator("#notice").is_visible()
    assert sorted(drawn(page)["iris"]) == sorted(keep)


def test_click_shows_names_links_and_sources(real_map, open_page, store, itm):
    from graph.kb.store import select

    page, _ = open_page(real_map)
    click_node(page, node_id(page, itm))
    panel = page.locator("#panel")
    assert panel.is_visible()
    # one quote per link at first; structural links folded away; the rest on click
    first = panel.inner_text()
    assert page.locator("#panel details.structural").count() == 1
    assert not page.locator("#panel details.structural .link").first.is_visible()
    assert page.locator("#panel button.more").count() >= 1
    page.evaluate("() => document.querySelectorAll('#panel details').forEach(d => { d.open = true; })")
    while page.locator("#panel button.more").count():
        page.locator("#panel button.more").first.click()
    text = panel.inner_text()
    assert len(text) > len(first)
    assert "emn-lu-2024-thb-international" not in text  # documents by title, not by identifier
    assert "The international dimension of Luxembourg" in text
    assert page.input_value("#search") == "Inspectorate of Labour and Mines"  # search follows the selection
    assert ITM_FR in text and "Inspectorate of Labour and Mines" in text
    quotes = select(store, "SELECT ?q WHERE { ?a coop:citation/coop:quote ?q }", a=itm)
    assert quotes
    for r in quotes:  # the actor's own sources, each quote verbatim
        assert " ".join(r["q"].split()) in " ".join(text.split())
    link_quotes = select(store, """SELECT ?q WHERE { ?l a coop:Link ; coop:from ?a ; coop:citation/coop:quote ?q }""", a=itm)
    for r in link_quotes:  # and the sources of its links
        assert " ".join(r["q"].split()) in " ".join(text.split())


def test_language_switch(real_map, open_page, itm):
    page, _ = open_page(real_map)
    page.click('#langs button[data-lang="fr"]')
    assert page.locator("#btn-filters").text_content() == "Filtres"
    nid = node_id(page, itm)
    assert ITM_FR in page.evaluate("id => window.coopmap.nodes.get(id).title", nid)
    page.click('#langs button[data-lang="de"]')
    assert page.locator("#btn-filters").text_content() == "Filter"


def test_presentation_walks_the_referral_path(real_map, open_page, view, itm, prosecutor):
    page, _ = open_page(real_map)
    referral = nx.subgraph_view(view, filter_edge=lambda u, v, k: view.edges[u, v, k]["referral"])
    hops = nx.shortest_path_length(referral, itm, prosecutor)
    page.click("#btn-tour")
    assert page.locator("#caption").is_visible()
    steps = page.evaluate("window.coopmap.data.tour.steps.length")
    assert steps == hops + 1  # an overview, then one step per hop
    at = itm
    for i in range(1, steps):
        page.click("#tour-next")
        link = page.evaluate("""i => { const d = window.coopmap.data, e = d.edges[d.tour.steps[i].edges[0]];
            return [d.nodes[e.from].iri, d.nodes[e.to].iri, e.iri]; }""", i)
        u, v, key = link
        nxt = v if u == at else u  # a symmetric link is drawn once, either way round
        assert referral.has_edge(at, nxt, key), (at, link)  # a referral link, followed in its direction
        at = nxt
    assert at == prosecutor
    assert "Public Prosecutor's Office" in page.locator("#caption-body").text_content()
    page.click("#tour-exit")
    assert not page.locator("#caption").is_visible()


def test_injected_markup_shows_as_text_and_runs_nothing(xss_map, open_page):
    page, log = open_page(xss_map)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    label = "<img src=x onerror=alert(1)>"
    page.type("#search", "img src")
    assert label in page.locator("#search-results").inner_text()
    page.keyboard.press("Enter")
    assert page.locator("#panel-body h2").text_content() == label
    nid = node_id(page, "https://w3id.org/coopmap/id/actor/xss-evil")
    click_node(page, nid)
    page.mouse.move(5, 5)
    box = page.evaluate("""id => { const n = window.coopmap.network; const d = n.canvasToDOM(n.getPositions([id])[id]);
        const r = document.getElementById('net').getBoundingClientRect(); return [d.x + r.left, d.y + r.top]; }""", nid)
    page.mouse.move(*box)  # tooltip
    page.wait_for_timeout(400)
    page.click('#langs button[data-lang="fr"]')
    page.click("#btn-tour")
    page.wait_for_timeout(200)
    text = page.locator("#panel").inner_text()
    assert "</script><script>window.__pwned=4</script>" in text and "<svg onload=window.__pwned=3>" in text
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, b, script:not([id])').length") == 2  # our 2 scripts
    assert dialogs == [] and log["page_errors"] == [] and log["blocked"] == []


def test_audience_clear_holds_no_planted_amber_fact(amber_maps):
    clear = amber_maps["clear"].read_text(encoding="utf-8")
    amber = amber_maps["amber"].read_text(encoding="utf-8")
    for s in PLANTED_STRINGS:
        assert s in amber, f"the planted fact {s!r} did not reach the amber map: the test would prove nothing"
        assert s not in clear, s
    assert "qzxv" not in clear.lower()
    assert "a clear quote" in clear  # the clear link around the restricted legal basis is kept


def test_clustered_strategy_groups_and_expands(project, view, maps_dir, open_page):
    from graph.maps.page import make_map

    out = maps_dir / "clustered.html"
    make_map(project, output=out, strategy="clustered")
    groups = {(d["level"], d["country"] if d["level"] == "national" else None) for _, d in view.nodes(data=True)}
    page, log = open_page(out)
    d = drawn(page)
    assert len(d["nodes"]) == len(groups) and all(str(i).startswith("c") for i in d["nodes"])
    big = page.evaluate("window.coopmap.data.clusters[0]")
    page.evaluate("id => window.coopmap.network.emit('click', {nodes: ['c' + id], edges: []})", big["id"])
    page.click("#panel-body button")
    assert len(drawn(page)["nodes"]) == len(groups) - 1 + big["n"]
    assert log["console_errors"] == [] and log["page_errors"] == []


def test_real_map_fits_1280x720_without_piled_up_labels(real_map, open_page):
    page, _ = open_page(real_map, width=1280, height=720)
    res = page.evaluate("""() => { const c = window.coopmap, ids = c.nodes.getIds();
        const b = ids.map(i => c.network.getBoundingBox(i)); let overlaps = 0;
        for (let i = 0; i < b.length; i++) for (let j = i + 1; j < b.length; j++)
          if (b[i].left < b[j].right && b[j].left < b[i].right && b[i].top < b[j].bottom && b[j].top < b[i].bottom) overlaps++;
        const all = {l: Math.min(...b.map(x => x.left)), r: Math.max(...b.map(x => x.right)),
                     t: Math.min(...b.map(x => x.top)), bt: Math.max(...b.map(x => x.bottom))};
        const tl = c.network.canvasToDOM({x: all.l, y: all.t}), br = c.network.canvasToDOM({x: all.r, y: all.bt});
        const r = document.getElementById('net').getBoundingClientRect();
        return {overlaps, n: ids.length, scale: c.network.getScale(), tl, br, w: r.width, h: r.height}; }""")
    assert res["overlaps"] <= res["n"] // 50, res  # at most one label box in fifty touches another
    assert res["tl"]["x"] >= -1 and res["tl"]["y"] >= -1 and res["br"]["x"] <= res["w"] + 1 and res["br"]["y"] <= res["h"] + 1


def test_png_for_slides(invoke, tmp_path):
    png = tmp_path / "map.png"
    r = invoke("map", "--png", str(png), "--level", "national")
    assert r.exit_code == 0, r.output
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (2560, 1440)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png"]


def test_a_png_above_clear_carries_its_tlp_label(invoke, tmp_path, open_page):
    """The still's title, which every PNG shows, starts with the TLP label when the audience is above CLEAR."""
    from graph.maps.browser import STILL

    out = tmp_path / "amber.html"
    assert invoke("map", "-o", str(out), "--level", "national", "--audience", "amber").exit_code == 0
    page, log = open_page(out, fragment=STILL)
    assert page.inner_text("#still-title").startswith("TLP:AMBER")
    clear = tmp_path / "clear.html"
    assert invoke("map", "-o", str(clear), "--level", "national").exit_code == 0
    page, log = open_page(clear, fragment=STILL)
    assert "TLP:" not in page.inner_text("#still-title")


# ---------------------------------------------------------------- issue 17: maps for the room


@pytest.fixture(scope="session")
def shots():
    """Screenshots kept as test artefacts: ``$COOPMAP_ARTEFACTS/maps`` or ``tests/.artefacts/maps`` (git-ignored)."""
    import os
    from pathlib import Path

    root = Path(os.environ.get("COOPMAP_ARTEFACTS") or Path(__file__).parent / ".artefacts")
    (root / "maps").mkdir(parents=True, exist_ok=True)
    if not (root / ".gitignore").exists():
        (root / ".gitignore").write_text("*\n", encoding="utf-8")
    return root / "maps"


@pytest.fixture(scope="session")
def phases_map(project, maps_dir):
    from graph.maps.page import make_map

    out = maps_dir / "phases.html"
    make_map(project, output=out, tour="phases")
    return out


def clean(log):
    assert log["console_errors"] == [] and log["page_errors"] == [], log
    assert log["blocked"] == [], log["blocked"]


PROJECTOR_CHECK = """async () => { await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    window.coopmap.network.redraw();  // vis measures a label when it draws it
    const c = window.coopmap, net = c.network, scale = net.getScale(), B = net.body.nodes;
    const ids = c.nodes.getIds().filter(id => typeof id === 'number');
    const a = net.DOMtoCanvas({x: 0, y: 0}), z = net.DOMtoCanvas({x: document.getElementById('net').clientWidth,
        y: document.getElementById('net').clientHeight});  // vis measures only the labels it draws: those on screen
    const onScreen = id => B[id].x >= a.x && B[id].x <= z.x && B[id].y >= a.y && B[id].y <= z.y;
    const labelled = ids.filter(id => (c.nodes.get(id).label || '') !== '' && onScreen(id));
    const shapes = ids.map(id => { const n = B[id]; const r = c.nodes.get(id).size;
        return {id, l: n.x - r, r: n.x + r, t: n.y - r, b: n.y + r}; });
    const labels = labelled.map(id => { const s = B[id].labelModule.size, v = B[id].labelModule.fontOptions.vadjust || 0;
        return {id, l: s.left, r: s.left + s.width, t: s.top + v, b: s.top + v + s.height,
                px: B[id].labelModule.fontOptions.size * scale}; });  // vis draws the text vadjust lower than its box
    const hit = (a, b) => a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;
    const bad = [];
    labels.forEach(a => {
        shapes.forEach(s => { if (s.id !== a.id && hit(a, s)) bad.push([a.id, 'shape', s.id]); });
        labels.forEach(b => { if (b.id < a.id && hit(a, b)) bad.push([a.id, 'label', b.id]); });
    });
    return {n: ids.length, labelled: labelled.length, minPx: Math.min(...labels.map(l => l.px)), bad, scale,
            bar: getComputedStyle(document.getElementById('bar')).display,
            legend: getComputedStyle(document.getElementById('legend')).display}; }"""


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_projector_mode_labels_are_large_and_clear_of_shapes(real_map, open_page, shots, size):
    page, log = open_page(real_map, width=size[0], height=size[1], fragment="projector=1")
    res = page.evaluate(PROJECTOR_CHECK)
    page.screenshot(path=str(shots / f"projector-{size[0]}x{size[1]}.png"))
    assert res["bar"] == "none" and res["legend"] == "none"  # the chrome is hidden
    assert round(res["minPx"], 3) >= 24, res  # every label at 24 px or more on screen
    assert res["bad"] == [], res["bad"]  # no label over a shape or over another label
    if size == (1920, 1080):
        assert 30 <= res["labelled"] <= 40, res  # the overview names the most important actors
    else:
        assert res["labelled"] >= 15, res
    # the labelled actors are the most important ones that fit: the top of the ranking is named
    top = page.evaluate("""() => { const c = window.coopmap; return c.data.nodes.filter(n => n.imp < 5).map(n => n.id)
        .filter(id => (c.nodes.get(id).label || '') !== '').length; }""")
    assert top >= (3 if size == (1920, 1080) else 1)
    # zooming in names more actors, still clear of shapes
    page.evaluate("""() => { const n = window.coopmap.network;
        n.moveTo({scale: n.getScale() * 2, animation: false}); window.coopmap.relabel(); }""")
    more = page.evaluate(PROJECTOR_CHECK)
    assert more["labelled"] > res["labelled"] and more["bad"] == [] and round(more["minPx"], 3) >= 24, more
    clean(log)


def test_projector_button_and_escape(real_map, open_page):
    page, log = open_page(real_map)
    page.click("#btn-projector")
    assert not page.locator("#bar").is_visible()
    page.wait_for_function("() => location.hash.includes('projector=1')")
    page.keyboard.press("Escape")
    assert page.locator("#bar").is_visible()
    clean(log)


def test_legend_fits_the_panel_at_1280x720(real_map, open_page, shots):
    page, log = open_page(real_map, width=1280, height=720)
    box = page.evaluate("""() => { const l = document.getElementById('legend');
        return {scroll: l.scrollHeight, client: l.clientHeight,
                families: l.querySelectorAll('.families li[data-family]').length}; }""")
    page.screenshot(path=str(shots / "legend-1280x720.png"))
    assert box["scroll"] <= box["client"], box
    assert 4 <= box["families"] <= 6, box
    for lang in ("fr", "de"):  # longer words, same room
        size = page.evaluate("""l => { window.coopmap.setLang(l); const e = document.getElementById('legend');
            return [e.scrollHeight, e.clientHeight]; }""", lang)
        assert size[0] <= size[1], (lang, size)
    clean(log)


STEP_DRAWN = """i => { const c = window.coopmap; c.showStep(i); const s = c.data.tour.steps[i];
    return {nodes: s.nodes.filter(id => !c.nodes.get(id)), edges: s.edges.filter(id => !c.edges.get(id)),
            n: s.nodes.length, e: s.edges.length, head: document.getElementById('caption-step').textContent,
            end: document.getElementById('caption-end').textContent, next: document.getElementById('tour-next').disabled}; }"""


@pytest.mark.parametrize("which", ["path", "phases"])
def test_every_tour_step_draws_what_it_highlights(real_map, phases_map, open_page, which):
    page, log = open_page(real_map if which == "path" else phases_map)
    page.click("#btn-tour")
    n = page.evaluate("window.coopmap.data.tour.steps.length")
    assert n >= 2
    for i in range(n):
        r = page.evaluate(STEP_DRAWN, i)
        assert r["nodes"] == [] and r["edges"] == [], (i, r)  # nothing highlighted is missing from the screen
        assert r["n"] >= 1
        last = i == n - 1
        assert ("last step" in r["head"]) == last and bool(r["end"]) == last and r["next"] == last, (i, r)
    clean(log)


def test_phases_tour_tells_the_story_in_sourced_sentences(phases_map, open_page, shots):
    page, log = open_page(phases_map, width=1920, height=1080, fragment="projector=1")
    page.evaluate("window.coopmap.startTour()")
    page.evaluate("window.coopmap.showStep(1)")
    page.wait_for_timeout(600)
    head = page.locator("#caption-step").text_content()
    body = page.locator("#caption-body").text_content()
    assert "Detection" in head and "ITM" in body
    assert page.locator("#caption-source").text_content().startswith("source: The international dimension")
    page.screenshot(path=str(shots / "projector-phases-step2.png"))
    page.evaluate("window.coopmap.setLang('fr')")  # the language buttons are hidden in projector mode
    assert "Détection" in page.locator("#caption-step").text_content()
    assert "texte des sources en anglais" in page.locator("#caption-body").text_content()  # said, not hidden
    clean(log)


def test_stills_have_no_toolbar_and_one_image_per_step(invoke, tmp_path, phases_map, open_page, shots):
    from graph.maps.browser import STILL

    page, log = open_page(phases_map, fragment=STILL)
    assert not page.locator("#bar").is_visible() and not page.locator("#legend").is_visible()
    assert page.locator("#still-legend li").count() >= 6 and page.locator("#still-title").is_visible()
    assert "The international dimension of Luxembourg" in page.locator("#still-source").text_content()
    page.screenshot(path=str(shots / "still.png"))
    clean(log)
    out = tmp_path / "slides"
    r = invoke("map", "--tour", "phases", "--png", str(out))
    assert r.exit_code == 0, r.output
    files = sorted(out.iterdir())
    steps = page.evaluate("window.coopmap.data.tour.steps.length")
    assert [f.name for f in files] == [f"step-{i:02d}.png" for i in range(1, steps + 1)]
    for f in files:
        head = f.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", head[16:24]) == (2560, 1440)
    assert len({f.read_bytes() for f in files}) == len(files)  # each step is its own picture
    shutil.copy(files[1], shots / "tour-step-02.png")


def test_view_lives_in_the_url_fragment(real_map, open_page, itm):
    page, log = open_page(real_map)
    page.click("#btn-filters")
    page.uncheck('#filters fieldset[data-filter="level"] input[value="eu"]')
    page.keyboard.press("Escape")
    assert not page.locator("#filters").is_visible()  # Esc closes the filter box
    page.type("#search", "ITM")
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)  # the map centres on the actor
    page.mouse.move(700, 400)
    page.keyboard.press("+")
    page.wait_for_function("() => location.hash.includes('z=' + Math.round(window.coopmap.scale() * 1000) / 1000 + '%2C')")
    hash_ = page.evaluate("location.hash")
    assert "f.level=" in hash_ and "sel=" in hash_ and "z=" in hash_
    before = page.evaluate("""() => ({shown: window.coopmap.visibleActorIds().sort((a, b) => a - b),
        scale: window.coopmap.scale(), panel: document.querySelector('#panel-body h2').textContent})""")
    page2, log2 = open_page(real_map, fragment=hash_[1:])
    after = page2.evaluate("""() => ({shown: window.coopmap.visibleActorIds().sort((a, b) => a - b),
        scale: window.coopmap.scale(),
        panel: document.querySelector('#panel-body h2') && document.querySelector('#panel-body h2').textContent})""")
    assert after["shown"] == before["shown"] and after["panel"] == before["panel"] == "Inspectorate of Labour and Mines"
    assert abs(after["scale"] - before["scale"]) < 0.01
    page2.keyboard.press("Escape")  # Esc closes the panel
    assert not page2.locator("#panel").is_visible()
    # a tour step in the fragment reopens that step
    page3, log3 = open_page(real_map, fragment="step=2")
    assert page3.locator("#caption").is_visible() and "Step 2 of" in page3.locator("#caption-step").text_content()
    for lg in (log, log2, log3):
        clean(lg)


def test_filters_refit_and_keys_move_the_view(real_map, open_page):
    page, log = open_page(real_map)
    s0 = page.evaluate("window.coopmap.scale()")
    page.evaluate("window.coopmap.setFilter('level', ['international'])")
    page.wait_for_timeout(500)
    box = page.evaluate("""() => { const c = window.coopmap, ids = c.nodes.getIds();
        const r = document.getElementById('net').getBoundingClientRect();
        const p = ids.map(i => c.network.canvasToDOM(c.network.getPositions([i])[i]));
        return {w: r.width, h: r.height, l: Math.min(...p.map(x => x.x)), r: Math.max(...p.map(x => x.x)),
                t: Math.min(...p.map(x => x.y)), b: Math.max(...p.map(x => x.y))}; }""")
    assert box["r"] - box["l"] > 0.6 * box["w"] or box["b"] - box["t"] > 0.6 * box["h"], box  # re-fitted, not left half empty
    assert page.evaluate("window.coopmap.scale()") != s0
    s1 = page.evaluate("window.coopmap.scale()")
    page.mouse.move(600, 400)
    page.keyboard.press("+")
    page.wait_for_timeout(300)
    assert page.evaluate("window.coopmap.scale()") > s1
    p0 = page.evaluate("window.coopmap.network.getViewPosition()")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    assert page.evaluate("window.coopmap.network.getViewPosition()")["x"] > p0["x"]
    clean(log)


def test_hide_an_actor_and_focus_on_a_neighbourhood(real_map, open_page, view, itm):
    page, log = open_page(real_map)
    nid = node_id(page, itm)
    page.evaluate("id => window.coopmap.selectNode(id, false)", nid)
    page.click('#panel-body button[data-act="focus"]')
    keep = {itm} | {x for u, v, d in view.edges(itm, data=True) if d["kind"] != "institution-of" for x in (u, v)}
    keep |= {u for u, v, d in view.in_edges(itm, data=True) if d["kind"] != "institution-of"}
    assert sorted(drawn(page)["iris"]) == sorted(keep)
    assert page.locator("#btn-showall").is_visible()
    page.evaluate("id => window.coopmap.selectNode(id, false)", nid)
    page.click('#panel-body button[data-act="hide"]')
    assert itm not in drawn(page)["iris"]
    page.click("#btn-showall")
    assert len(drawn(page)["iris"]) == len(view)
    clean(log)


def test_print_layout_map_then_directory(real_map, open_page, tmp_path, shots):
    page, log = open_page(real_map)
    page.emulate_media(media="print")
    rows = page.locator("#directory tbody tr")
    assert rows.count() == page.evaluate("window.coopmap.data.nodes.length")
    assert page.locator("#directory").is_visible() and not page.locator("#bar").is_visible()
    assert page.locator("#still-legend").is_visible()
    itm_row = page.locator("#directory tbody tr", has_text="Inspectorate of Labour and Mines").inner_text()
    assert "The international dimension of Luxembourg" in itm_row
    assert page.locator("#directory tbody tr", has_text="no contact point in the sources").count() >= 1
    pdf = page.pdf(path=str(shots / "handout.pdf"), format="A4", landscape=True)
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page/") >= 2 or pdf.count(b"/Page") >= 3
    clean(log)


def test_tour_written_in_the_page_is_read_by_the_cli(real_map, open_page, invoke, tmp_path, itm, prosecutor):
    page, log = open_page(real_map)
    page.click("#btn-editor")
    assert page.locator("#editor").is_visible()
    for iri in (itm, prosecutor):
        page.evaluate("id => window.coopmap.editor.pick({nodes: [id], edges: []})", node_id(page, iri))
    page.fill("#editor-caption", "The ITM and the prosecutor")
    page.click("#editor-add")
    link = page.evaluate("""() => window.coopmap.data.edges.find(e => e.kind === 'notifies').id""")
    page.evaluate("id => window.coopmap.editor.pick({nodes: [], edges: [id]})", link)
    with page.expect_download() as dl:
        page.click("#editor-save")
    f = tmp_path / "tour.toml"
    dl.value.save_as(str(f))
    out = tmp_path / "m.html"
    r = invoke("map", "-o", str(out), "--tour", str(f))
    assert r.exit_code == 0, r.output
    import json as _json
    import re as _re

    data = _json.loads(_re.search(r'id="coopmap-data">(.*?)</script>', out.read_text(encoding="utf-8"), _re.S).group(1))
    steps = data["tour"]["steps"]
    assert len(steps) == 2 and steps[0]["caption"]["en"] == "The ITM and the prosecutor"
    assert {data["nodes"][i]["iri"] for i in steps[0]["nodes"]} >= {itm, prosecutor}
    assert " notifies " in steps[1]["caption"]["en"]
    clean(log)


def test_large_graph_opens_on_labelled_groups_and_draws_a_few_hundred_at_a_time(tmp_path_factory, private_cache,
                                                                               open_page, shots):
    from graph.kb.build import Project, build
    from graph.maps.page import make_map
    from graph.network.synthetic import generate

    data = generate(2000, 1, tmp_path_factory.mktemp("syn2000"))
    project = Project(data_dir=data, cache_root=private_cache)
    build(project, validate=False)
    out = tmp_path_factory.mktemp("syn-map") / "big.html"
    assert make_map(project, output=out)["strategy"] == "clustered"
    page, log = open_page(out)
    d = drawn(page)
    assert len(d["nodes"]) <= 60 and all(str(i).startswith("c") for i in d["nodes"])
    labels = page.evaluate("() => window.coopmap.nodes.get().map(n => [n.label, n.font.size * window.coopmap.scale()])")
    assert all(lab and lab.split("\n")[-1].split()[0].isdigit() and px >= 13 for lab, px in labels), labels[:3]
    page.screenshot(path=str(shots / "large-overview.png"))
    big = page.evaluate("window.coopmap.data.clusters[0]")
    assert big["n"] > 400
    page.evaluate("id => window.coopmap.network.emit('click', {nodes: ['c' + id], edges: []})", big["id"])
    page.click('#panel-body button[data-act="more"]')
    n1 = len([i for i in drawn(page)["nodes"] if isinstance(i, int)])
    assert 0 < n1 <= 300
    page.click('#panel-body button[data-act="more"]')
    n2 = len([i for i in drawn(page)["nodes"] if isinstance(i, int)])
    assert n1 < n2 <= 2 * 300
    clean(log)
