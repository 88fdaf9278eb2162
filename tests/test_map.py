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


@pytest.fixture(scope="session")
def browser():
    from graph.maps.browser import chromium

    with chromium() as b:
        yield b


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
def view(project):
    from graph.network.view import load_view

    return load_view(project, "clear")


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

link:zz-amber-link-qzxv a coop:Link ; coop:linkKind lk:notifies ;
    coop:from <ITM> ; coop:to <PROSECUTOR> ;
    coop:condition "Amber condition QZXV"@en ;
    coop:citation [ a coop:Citation ; prov:entity doc:emn-lu-2024-thb-international ;
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
                   "zz-amber-link-qzxv"]


@pytest.fixture(scope="session")
def amber_maps(project, tmp_path_factory, private_cache, itm, prosecutor):
    """Maps of a copy of the data with planted AMBER facts, for audiences clear and amber."""
    from graph.kb.build import Project, build
    from graph.maps.page import make_map

    data = tmp_path_factory.mktemp("amber") / "data"
    shutil.copytree(project.data_dir, data)
    (data / "zz-planted-amber.ttl").write_text(turtle(PLANTED).replace("<ITM>", f"<{itm}>").replace("<PROSECUTOR>", f"<{prosecutor}>"),
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
        links: window.coopmap.edges.getIds().filter(id => typeof id === 'number').map(id => window.coopmap.data.edges[id].iri)})""")


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
