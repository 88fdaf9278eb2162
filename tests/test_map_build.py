"""Maps without a browser: layout, page data, tours, CLI errors, audience filtering in the file."""

import json
import re

import networkx as nx
import pytest

from graph.core.errors import CoopmapError, NotFound


def _page_data(html):
    m = re.search(r'<script type="application/json" id="coopmap-data">(.*?)</script>', html, re.S)
    assert m, "no data block in the page"
    return json.loads(m.group(1))


# ---------------------------------------------------------------- layout


def test_remove_overlaps_leaves_no_overlap():
    from graph.maps.layout import remove_overlaps

    pos = {i: (float(i % 3), float(i // 3)) for i in range(30)}  # 30 boxes crammed into 3 x 10 units
    boxes = {i: (20.0, 10.0) for i in pos}
    out = remove_overlaps(pos, boxes)
    for a in out:
        for b in out:
            if a < b:
                ax, ay = out[a]
                bx, by = out[b]
                assert abs(ax - bx) >= 40 - 1e-6 or abs(ay - by) >= 20 - 1e-6, (a, b)


def test_layout_is_seeded_and_does_not_change_the_graph():
    from graph.maps.layout import layout

    G = nx.les_miserables_graph()
    before = nx.to_dict_of_dicts(G)
    boxes = {n: (25.0, 15.0) for n in G}
    assert layout(G, boxes, seed=7) == layout(G, boxes, seed=7)
    assert nx.to_dict_of_dicts(G) == before
    assert set(layout(G, boxes, seed=7)) == set(G)


def test_cluster_layout_groups_every_node_once():
    from graph.maps.layout import cluster_layout

    G = nx.MultiDiGraph()
    for i in range(40):
        G.add_node(i, level="national" if i < 30 else "eu", country=f"c{i % 3}" if i < 30 else None)
    G.add_edges_from((i, (i + 1) % 40) for i in range(40))
    groups, centres, pos = cluster_layout(G, lambda n, d: (d["level"], d["country"] or ""))
    members = [n for _, ns in groups for n in ns]
    assert sorted(members) == list(range(40))
    assert len(groups) == 4 and set(centres) == {k for k, _ in groups}
    assert set(pos) == set(G)


# ---------------------------------------------------------------- page data from a hand-built view


def _tiny_view():
    G = nx.MultiDiGraph(audience="clear", link_kinds={
        "notifies": {"label": "notifies", "referral": True, "symmetric": False},
        "cooperates-with": {"label": "cooperates with", "referral": True, "symmetric": True},
        "funds": {"label": "funds", "referral": False, "symmetric": False}},
        schemes={"phase": {"identification": {"label": "identification", "rank": 1}}})
    for n, kind, level in (("a", "inspectorate", "national"), ("b", "judicial-authority", "national"),
                           ("c", "eu-agency", "eu"), ("d", "ngo", "national")):
        G.add_node(n, label=n.upper(), labels={"en": n.upper(), "fr": n.upper() + " (fr)"}, acronym="", alt_labels=[],
                   kind=kind, level=level, country=None, mandates=[], crime_areas=[],
                   phases=["identification"] if n == "a" else [],
                   parent=None, access="clear", start=None, end=None, availability=[], sources=[])
    base = dict(condition=None, applies_when=[], phases=[], legal_basis=[], availability=[], status=None, start=None,
                end=None, access="clear", sources=[{"document": "doc1", "locator": "p. 1", "quote": "q"}])
    G.add_edge("a", "b", key="l1", kind="notifies", symmetric=False, referral=True, mirror=False,
               **{**base, "phases": ["identification"]})
    G.add_edge("b", "c", key="l2", kind="cooperates-with", symmetric=True, referral=True, mirror=False, **base)
    G.add_edge("c", "b", key="l2", kind="cooperates-with", symmetric=True, referral=True, mirror=True, **base)
    G.add_edge("a", "b", key="l3", kind="funds", symmetric=False, referral=False, mirror=False, **base)
    return G


def test_map_data_draws_each_link_once_and_keeps_the_graph():
    from graph.maps.page import map_data

    G = _tiny_view()
    before = (nx.to_dict_of_dicts(G), dict(G.nodes(data=True)))
    data = map_data(G)
    assert (nx.to_dict_of_dicts(G), dict(G.nodes(data=True))) == before
    assert {n["iri"] for n in data["nodes"]} == set(G)
    drawn = sorted((e["iri"], data["nodes"][e["from"]]["iri"], data["nodes"][e["to"]]["iri"]) for e in data["edges"])
    assert drawn == [("l1", "a", "b"), ("l2", "b", "c"), ("l3", "a", "b")]
    # two links between a and b: one of them is curved so that both show
    curves = [e.get("curve", 0) for e in data["edges"] if e["iri"] in ("l1", "l3")]
    assert sorted(bool(c) for c in curves) == [False, True]
    assert data == map_data(G)  # seeded: the same graph gives the same data


def test_referral_path_follows_referral_links_in_their_direction():
    from graph.maps.tour import referral_path

    G = _tiny_view()
    p = referral_path(G, "a", "c")
    assert p["nodes"] == ["a", "b", "c"] and p["edges"] == [("a", "b", "l1"), ("b", "c", "l2")]
    assert referral_path(G, "c", "b")["edges"] == [("c", "b", "l2")]  # symmetric: both ways
    with pytest.raises(NotFound, match="No referral path"):
        referral_path(G, "b", "a")  # notifies is one-way; funds is not a referral link
    with pytest.raises(NotFound):
        referral_path(G, "a", "d")


def test_phase_tour_and_path_tour():
    from graph.maps.tour import path_tour, phase_tour, referral_path

    G = _tiny_view()
    t = phase_tour(G)  # the story: the whole at once, then one sourced step per link
    assert len(t["steps"]) == 2 and t["steps"][0]["nodes"] == ["a", "b"]
    hop = t["steps"][1]
    assert hop["edges"] == [("a", "b", "l1")] and hop["chapter"]["en"] == "Detection"
    assert hop["caption"]["en"] == "A notifies B" and hop["source"]["en"] == "source: doc1, p. 1"
    t = path_tour(G, referral_path(G, "a", "c"))
    assert len(t["steps"]) == 3 and t["steps"][1]["edges"] == [("a", "b", "l1")]
    assert "A" in t["steps"][1]["caption"]["fr"] and "(fr)" in t["steps"][1]["caption"]["fr"]


def test_tour_file(tmp_path):
    from graph.maps.tour import load_tour

    G = _tiny_view()
    names = {"A": "a", "B": "b", "C": "c", "D": "d"}

    def resolve(name):
        if name not in names:
            raise NotFound(f"No actor called '{name}'.")
        return names[name]

    f = tmp_path / "tour.toml"
    f.write_text('title = "Demo"\n[[step]]\ncaption = { en = "one", fr = "un" }\nactors = ["A", "B"]\n'
                 '[[step]]\npath = ["A", "C"]\n[[step]]\nlink_kinds = ["funds"]\n', encoding="utf-8")
    t = load_tour(str(f), G, resolve)
    assert [s["caption"]["fr"] for s in t["steps"]][0] == "un"
    assert t["steps"][0]["edges"] == [("a", "b", "l1"), ("a", "b", "l3")]
    assert t["steps"][1]["nodes"] == ["a", "b", "c"]
    assert t["steps"][2]["edges"] == [("a", "b", "l3")]
    f.write_text('[[step]]\nactors = ["A"]\nzoom = 3\n', encoding="utf-8")
    with pytest.raises(CoopmapError, match=r"step 1: unknown key\(s\) zoom"):
        load_tour(str(f), G, resolve)
    f.write_text('[[step]]\nactors = ["Nobody"]\n', encoding="utf-8")
    with pytest.raises(NotFound, match="step 1: No actor called 'Nobody'"):
        load_tour(str(f), G, resolve)
    f.write_text('[[step]\n', encoding="utf-8")
    with pytest.raises(CoopmapError, match="not valid TOML"):
        load_tour(str(f), G, resolve)


def test_page_is_self_contained_and_data_cannot_break_out():
    from graph.maps.page import map_data, render_html

    G = _tiny_view()
    evil = "</script><script>alert(1)</script><!--"
    G.nodes["a"]["labels"] = {"en": evil}
    page = render_html(map_data(G))
    assert "</script><script>alert(1)" not in page
    assert page.count("</script>") == 3  # the data block, vis-network and the map script
    assert _page_data(page)["nodes"][0]["labels"]["en"] == evil
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
    assert "bootstrap" not in page.lower()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


# ---------------------------------------------------------------- CLI on the real data


def test_map_cli_errors_write_nothing(invoke, tmp_path):
    out = tmp_path / "m.html"
    r = invoke("map", "-o", str(out), "--level", "galactic")
    assert r.exit_code == 1 and "Unknown level 'galactic'. Choose one of:" in r.output
    r = invoke("map", "-o", str(out), "--focus", "No Such Actor Anywhere")
    assert r.exit_code == 1 and "No actor called 'No Such Actor Anywhere'" in r.output
    r = invoke("map", "-o", str(out), "--tour", str(tmp_path / "missing.toml"))
    assert r.exit_code == 1 and "no such file" in r.output
    r = invoke("map")
    assert r.exit_code == 1 and "--output" in r.output and "--png" in r.output  # the library says `output`, the CLI --output
    assert not list(tmp_path.iterdir())
    assert "Traceback" not in r.output


def test_map_cli_same_data_same_file(invoke, tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    assert invoke("map", "-o", str(a), "--level", "national").exit_code == 0
    assert invoke("map", "-o", str(b), "--level", "national").exit_code == 0
    assert a.read_bytes() == b.read_bytes()


def test_map_does_not_import_pyvis_or_write_lib(invoke, tmp_path, monkeypatch):
    import sys

    monkeypatch.chdir(tmp_path)
    sys.modules.pop("pyvis", None)
    r = invoke("map", "-o", "m.html", "--focus", "ITM")
    assert r.exit_code == 0, r.output
    assert "pyvis" not in sys.modules
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.html"]


def test_default_presentation_tells_the_story_of_a_case(invoke, project, tmp_path):
    from graph.maps.tour import CHAPTERS, chapter_of
    from graph.network.view import load_view

    G = load_view(project, "clear")
    out = tmp_path / "m.html"
    assert invoke("map", "-o", str(out)).exit_code == 0
    data = _page_data(out.read_text(encoding="utf-8"))
    steps = data["tour"]["steps"]
    story = {k for u, v, k, d in G.edges(keys=True, data=True) if chapter_of(G, u, v, d)}
    assert len(story) >= 8, "the real data states referral steps with phases"
    assert {data["edges"][e]["iri"] for s in steps[1:] for e in s["edges"]} == story  # every story link, once each
    assert len(steps) == len(story) + 1
    order = list(CHAPTERS)
    chapters = [order.index(next(k for k, v in CHAPTERS.items() if v == s["chapter"])) for s in steps[1:]]
    assert chapters == sorted(chapters) and chapters[0] == 0  # detection first, then in the order of a case
    titles = set(data["documents"].values())
    for s in steps[1:]:
        e = data["edges"][s["edges"][0]]
        assert {e["from"], e["to"]} <= set(s["nodes"])  # a step draws what it highlights
        src = data["sources"][e["src"][0]]
        assert src["locator"] in s["source"]["en"] and any(t in s["source"]["en"] for t in titles)
        assert data["nodes"][e["from"]]["labels"]["en"] in s["caption"]["en"]
    assert "ITM" in " ".join(s["caption"]["en"] for s in steps if s.get("chapter", {}).get("en") == "Detection")


# ---------------------------------------------------------------- issue 17: labels, link families, words, stills


def test_short_labels_keep_the_word_that_tells_actors_apart(view):
    from graph.maps.layout import SHORT_CHARS, short_labels

    names = {n: d["label"] for n, d in view.nodes(data=True)}
    short = short_labels(names, {n: d["acronym"] for n, d in view.nodes(data=True)},
                         {n: d["alt_labels"] for n, d in view.nodes(data=True)})
    by_name = {names[n]: s for n, s in short.items()}
    assert by_name["Inspectorate of Labour and Mines"] == "ITM"
    fam = [s for name, s in by_name.items() if name.startswith("Ministry of Family Affairs")]
    assert len(fam) == 2 and len(set(fam)) == 2, fam
    assert "Integration" in by_name["Ministry of Family Affairs, Integration and the Greater Region"]
    assert "Immigration" in by_name["Directorate General of Immigration"]
    assert len(set(short.values())) == len(short), "two actors share a short label"
    assert all(len(s) <= SHORT_CHARS + 8 for s in short.values())


def test_link_families_are_few_and_one_colour_each(view):
    from graph.maps.page import link_styles

    kinds = {d["kind"] for _, _, d in view.edges(data=True)}
    styles = link_styles(kinds, {k: v["referral"] for k, v in view.graph["link_kinds"].items()})
    families = {s["family"] for s in styles.values()}
    assert 4 <= len(families) <= 6, families
    for fam in families:
        members = [s for s in styles.values() if s["family"] == fam]
        assert len({s["colour"] for s in members}) == 1
        assert len({json.dumps(s["dash"]) for s in members}) == len(members), f"two kinds of {fam} look the same"
    assert styles["notifies"]["family"] == styles["refers-victims-to"]["family"] == "referral"
    assert styles["institution-of"]["family"] == styles["unit-of"]["family"] == "structure"


def test_one_i18n_file_holds_every_word_of_the_page():
    from graph.maps.page import I18N, SCRIPT_MODULES, TEMPLATES

    ui = I18N["ui"]
    assert set(ui) == {"en", "fr", "de"} and set(ui["en"]) == set(ui["fr"]) == set(ui["de"])
    assert all(v.strip() for lang in ui.values() for v in lang.values())
    used = set()
    for name in SCRIPT_MODULES:
        used |= set(re.findall(r"\bt\('([a-z_]+)'\)", (TEMPLATES / name).read_text(encoding="utf-8")))
    html = (TEMPLATES / "map.html").read_text(encoding="utf-8")
    used |= set(re.findall(r'data-i18n(?:-placeholder|-title)?="([a-z_]+)"', html))
    assert len(used) > 40 and used <= set(ui["en"]), sorted(used - set(ui["en"]))
    assert set(I18N["titles"]) == {"en", "fr", "de"}
    for section in ("tour", "chapters", "family_labels", "structural_labels", "size_labels"):
        for key, value in I18N[section].items():
            assert set(value) >= {"en", "fr", "de"}, (section, key)


def test_svg_still_is_the_map_alone_with_legend_title_and_sources(invoke, tmp_path):
    import xml.etree.ElementTree as ET

    svg = tmp_path / "m.svg"
    r = invoke("map", "--svg", str(svg), "--level", "national", "--title", "Luxembourg <national> & co")
    assert r.exit_code == 0, r.output
    text = svg.read_text(encoding="utf-8")
    root = ET.fromstring(text)  # well-formed, every text escaped
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Luxembourg <national> & co" in texts
    assert any(t.startswith("Sources: ") and "The international dimension of Luxembourg" in t for t in texts)
    assert "ITM" in texts and "referral and notification" in texts
    assert "<script" not in text and "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert invoke("map", "--svg", str(tmp_path / "b.svg"), "--level", "national", "--title",
                  "Luxembourg <national> & co").exit_code == 0
    assert (tmp_path / "b.svg").read_bytes() == svg.read_bytes()


def test_same_file_from_an_empty_and_a_warm_cache(tmp_path, monkeypatch):
    """A map written on an empty cache (compiled, scheme labels queried) equals the one from the warm cache."""
    from graph.kb.build import Project
    from graph.maps.page import make_map

    monkeypatch.setenv("COOPMAP_CACHE", str(tmp_path / "cache"))
    project = Project(cache_root=tmp_path / "cache")
    cold, warm = tmp_path / "cold.html", tmp_path / "warm.html"
    make_map(project, output=cold)
    assert list((tmp_path / "cache").rglob("scheme-labels.json")), "the labels were not cached: nothing to compare"
    make_map(project, output=warm)
    a, b = cold.read_bytes(), warm.read_bytes()
    assert a == b, f"first difference at byte {next(i for i, (x, y) in enumerate(zip(a, b)) if x != y)}"


def test_projector_option_opens_the_page_in_projector_mode(invoke, tmp_path):
    out = tmp_path / "room.html"
    r = invoke("map", "-o", str(out), "--projector", "--level", "national")
    assert r.exit_code == 0, r.output
    data = _page_data(out.read_text(encoding="utf-8"))
    assert data["meta"]["projector"] is True
    ranks = sorted(n["imp"] for n in data["nodes"])
    assert ranks == list(range(len(data["nodes"])))  # every actor ranked once, for the labels
    assert all(set(n["short"]) == {"en", "fr", "de"} for n in data["nodes"])


@pytest.mark.parametrize("audience, marked", [("clear", False), ("amber", True)])
def test_a_still_above_clear_carries_its_tlp_label(invoke, tmp_path, audience, marked):
    """FIRST's TLP 2.0: an image shown above TLP:CLEAR says which label it carries (issue 16, item 9)."""
    svg = tmp_path / "m.svg"
    r = invoke("map", "--svg", str(svg), "--level", "national", "--audience", audience)
    assert r.exit_code == 0, r.output
    assert ("TLP:AMBER" in svg.read_text(encoding="utf-8")) is marked


@pytest.mark.parametrize("seed", range(5))
def test_the_distinguishing_word_is_found_without_comparing_every_two_names(seed):
    """The shared start of each name with the closest other one, read from sorted neighbours, equals the
    one found by comparing every two names (random names from a small vocabulary share long starts)."""
    import random

    from graph.maps.layout import _longest_shared_starts

    rng = random.Random(seed)
    vocab = ["ministry", "of", "family", "affairs", "police", "unit", "national", "service", "support"]
    folded = {i: [rng.choice(vocab) for _ in range(rng.randint(1, 6))] for i in range(rng.randint(2, 120))}

    def brute(n):
        best = 0
        for m, theirs in folded.items():
            if m != n:
                i = 0
                while i < min(len(folded[n]), len(theirs)) and folded[n][i] == theirs[i]:
                    i += 1
                best = max(best, i)
        return best

    assert _longest_shared_starts(folded) == {n: brute(n) for n in folded}
