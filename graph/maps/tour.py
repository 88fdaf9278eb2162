"""Presentation steps for maps: a referral path hop by hop, the referral phases, or a trainer's tour file.

A tour is ``{"title": {lang: text}, "steps": [{"caption": {lang: text}, "nodes": [iri], "edges": [(u, v, key)]}]}``;
the page steps through it, focusing on and highlighting each step's actors and links under its caption.

A tour file (TOML or JSON) names actors as a trainer would::

    title = "From the labour inspection to victim support"
    [[step]]
    caption = "The ITM finds signs of labour exploitation"
    actors = ["ITM"]
    [[step]]
    caption = { en = "It notifies the prosecutor", fr = "Elle signale au parquet" }
    path = ["ITM", "Public Prosecutor's Office"]
    [[step]]
    phase = "first-assistance"
    [[step]]
    link_kinds = ["refers-victims-to"]

Each step takes any of ``actors`` (those actors and the links between them), ``links`` (link IRIs, as the
page's tour editor saves them), ``path`` (the referral path between two actors), ``phase`` (actors and
links of that referral phase) and ``link_kinds``; a step without ``caption`` gets one made from what it
shows (for links: who does what, for whom, on what condition, with the source).

``phases`` is the story of a case through the referral mechanism (:func:`phase_tour`): detection,
identification, referral, support, investigation, international cooperation, one sourced link per step.
"""

from __future__ import annotations

from pathlib import Path

from graph.core.errors import CoopmapError, NotFound
from graph.core.i18n import I18N

__all__ = ["referral_path", "path_tour", "phase_tour", "load_tour", "STEP_KEYS"]

STEP_KEYS = ("caption", "actors", "links", "path", "phase", "link_kinds")
LANGS = ("en", "fr", "de")


WORDS = I18N["tour"]
CHAPTERS = I18N["chapters"]
#: Structural kinds a referral path never follows between organisations (graph.network.view.STRUCTURAL_KINDS
#: but unit-of, which a path may take inside one organisation and then names as such).
NOT_STEPS = ("institution-of", "member-of", "party-to")
#: The kinds that carry the story of a case (the referral and notification family, and information exchange).
STORY_KINDS = ("notifies", "signposts-to", "reports-irregular-stay-to", "refers-victims-to", "places-victims-with",
               "transmits-reports-to", "exchanges-information-with", "exchanges-information-via",
               "requests-mutual-legal-assistance-from")


def _name(G, iri, lang):
    d = G.nodes[iri]
    labels = d.get("labels") or {}
    name = labels.get(lang) or labels.get("en") or d.get("label") or iri.rsplit("/", 1)[-1]
    acr = d.get("acronym")
    return f"{name} ({acr})" if acr and acr != name else name


def referral_path(G, source, target, as_of=None):
    """A shortest chain of referral links from ``source`` to ``target`` in ``G`` (unchanged).

    The path is :func:`graph.network.paths.shortest_paths`' first (the same as ``coopmap path``): the
    referral network of ``contact`` (referral steps followed in their direction, at most one internal unit
    <-> parent hop, a membership only as the last hop, no placeholder or state as a relay), with the facts
    in force on ``as_of`` (default today). Among parallel links of one hop, the first by link IRI is taken.

    Returns
    -------
    dict
        ``{"nodes": [iri, ...], "edges": [(u, v, key), ...]}``.

    Raises
    ------
    NotFound
        When no such chain exists in that direction.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(link_kinds={"notifies": {"referral": True}, "funds": {"referral": False}})
    >>> for n in "abc":
    ...     G.add_node(n, label=n.upper())
    >>> _ = G.add_edge("a", "b", key="l1", kind="notifies"); _ = G.add_edge("b", "c", key="l2", kind="notifies")
    >>> _ = G.add_edge("a", "c", key="l3", kind="funds")
    >>> referral_path(G, "a", "c")["nodes"]
    ['a', 'b', 'c']
    """
    from graph.network.paths import shortest_paths

    none = NotFound(f"No referral path from {_name(G, source, 'en')} to {_name(G, target, 'en')} on this map "
                    "(links that refer, notify or exchange information, followed in their direction).")
    try:  # the referral network of graph.network.paths: referral steps, one internal hop, a membership last
        found = shortest_paths(G, source, target, as_of=as_of, limit=1)
    except NotFound:
        raise none from None
    if not found["directed"] or not found["paths"]:
        raise none
    p = found["paths"][0]
    return {"nodes": list(p["iris"]),
            "edges": [(s["from_iri"], s["to_iri"], min(link["link"] for link in s["links"])) for s in p["steps"]]}


def _kind_label(G, kind, lang, labels):
    langs = (labels or {}).get("link-kind", {}).get(kind) or {}
    if langs.get(lang):
        return langs[lang]
    if kind in I18N["structural_labels"]:
        return I18N["structural_labels"][kind][lang]
    return ((G.graph.get("link_kinds") or {}).get(kind) or {}).get("label") or kind


def _lang_text(value, lang):
    """``(text, in_lang)`` of a plain or ``{lang: text}`` value; ``in_lang`` False when the sources lack ``lang``."""
    if isinstance(value, dict):
        if value.get(lang):
            return value[lang], True
        return value.get("en") or next(iter(value.values()), ""), False
    return value or "", lang == "en"


def _scheme(labels, scheme, notation, lang):
    lab = (labels or {}).get(scheme, {}).get(notation) or {}
    return lab.get(lang) or lab.get("en") or notation


def _source(G, d, lang, documents=None):
    """The first source of a link as "title, locator" (the document's title when known)."""
    src = (d.get("sources") or [None])[0]
    if not src:
        return ""
    title = (documents or {}).get(src["document"]) or src["document"]
    return f"{WORDS['source'][lang]}: {title}, {src['locator']}"


def sentence(G, u, v, k, lang="en", labels=None, documents=None):
    """Who does what, for whom, on what condition, with the legal basis: one link as a sentence.

    Returns ``(text, source)``; a condition the sources give only in English says so in French and German.
    """
    d = G.edges[u, v, k]
    kind = d.get("kind")
    if kind == "unit-of":
        verb = WORDS["internal"][lang]
        return f"{_name(G, u, lang)} → {_name(G, v, lang)} ({verb})", _source(G, d, lang, documents)
    rel = _kind_label(G, kind, lang, labels)
    text = f"{_name(G, u, lang)} {rel} {_name(G, v, lang)}"
    if kind in ("institution-of", "party-to"):
        text += f" ({WORDS['structural'][lang]})"
    when = [_scheme(labels, "case-condition", c, lang) for c in d.get("applies_when") or ()]
    if when:
        text += f" — {WORDS['for'][lang]}: " + ", ".join(when)
    crime = [_scheme(labels, "crime-area", c, lang) for c in d.get("crime_areas") or ()]
    if crime and not when:
        text += f" — {WORDS['for'][lang]}: " + ", ".join(crime)
    if d.get("condition"):
        cond, ok = _lang_text(d["condition"], lang)
        text += f" — {WORDS['if'][lang]}: {cond}" + ("" if ok else f" [{WORDS['not_in_lang'][lang]}]")
    if d.get("legal_basis"):
        text += f" — {WORDS['basis'][lang]}: " + ", ".join(b.get("title") or b.get("iri") for b in d["legal_basis"])
    if d.get("vagueness"):
        note, _ = _lang_text(d["vagueness"], lang)
        text += f" ({WORDS['note'][lang]}: {note})"
    return text, _source(G, d, lang, documents)


def _hop_step(G, u, v, k, labels, documents, chapter=None):
    caption, source = {}, {}
    for lg in LANGS:
        caption[lg], source[lg] = sentence(G, u, v, k, lg, labels, documents)
    step = {"caption": caption, "source": source, "nodes": [u, v], "edges": [(u, v, k)]}
    if chapter:
        step["chapter"] = dict(CHAPTERS[chapter])
    return step


def path_tour(G, path, labels=None, documents=None):
    """A tour of ``path`` (from :func:`referral_path`): the whole path first, then one step per hop."""
    n = len(path["edges"])
    first = {lg: f"{WORDS['path'][lg]}: {_name(G, path['nodes'][0], lg)} → {_name(G, path['nodes'][-1], lg)} "
                 f"({n} {WORDS['steps'][lg]})" for lg in LANGS}
    steps = [{"caption": first, "nodes": list(path["nodes"]), "edges": list(path["edges"])}]
    for u, v, k in path["edges"]:
        steps.append(_hop_step(G, u, v, k, labels, documents))
    return {"title": {lg: WORDS["path"][lg] for lg in LANGS}, "steps": steps}


def chapter_of(G, u, v, d):
    """The chapter of a case's story a link belongs to (:data:`CHAPTERS`), or None when it is not a story step.

    Detection (the first notice of a case), identification, referral to support, support, investigation
    and prosecution, international cooperation: read from the link's kind, its referral phases and the
    level of the actor it reaches.
    """
    kind = d.get("kind")
    if kind not in STORY_KINDS or d.get("mirror") or d.get("step") is False:
        return None
    phases = set(d.get("phases") or ())
    if not phases:
        return None
    abroad = G.nodes[v].get("level") in ("eu", "international") or G.nodes[v].get("kind") == "foreign-authority"
    if kind == "requests-mutual-legal-assistance-from" or (abroad and "proceedings" in phases):
        return "international"
    if kind in ("notifies", "signposts-to") and "identification" in phases:
        return "detection"
    if "identification" in phases:
        return "identification"
    if kind in ("refers-victims-to", "places-victims-with"):
        return "referral"
    if phases & {"first-assistance", "long-term-assistance", "return"}:
        return "support"
    if "proceedings" in phases:
        return "investigation"
    return None


def _count(n, word, lang):
    """'1 actor', '3 links', in ``lang``.

    Examples
    --------
    >>> _count(1, "link", "fr"), _count(2, "link", "de")
    ('1 lien', '2 Verbindungen')
    """
    return f"{n} {WORDS[word if n == 1 else word + 's'][lang]}"


def _phase_step(G, phase, labels):
    edges = [(u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if phase in (d.get("phases") or ())]
    nodes = {n for n, d in G.nodes(data=True) if phase in (d.get("phases") or ())}
    nodes |= {x for u, v, _ in edges for x in (u, v)}
    lab = (labels or {}).get("phase", {}).get(phase) or {}
    drawn = sum(1 for u, v, k in edges if not G.edges[u, v, k].get("mirror"))
    caption = {}
    for lg in LANGS:
        name = lab.get(lg) or lab.get("en") or phase
        caption[lg] = f"{name[:1].upper()}{name[1:]}: {_count(len(nodes), 'actor', lg)}, {_count(drawn, 'link', lg)}"
    return {"caption": caption, "nodes": sorted(nodes), "edges": edges}


def phase_tour(G, labels=None, documents=None):
    """A case through the referral mechanism, one sourced step per link: detection, identification,
    referral, support, investigation, international cooperation (the chapters the map has links for).

    The first step shows the whole story at once; each next step one link, captioned from its data
    (:func:`sentence`), with its chapter.
    """
    by_chapter = {c: [] for c in CHAPTERS}
    for u, v, k, d in G.edges(keys=True, data=True):
        c = chapter_of(G, u, v, d)
        if c:
            by_chapter[c].append((_name(G, u, "en"), _kind_label(G, d.get("kind"), "en", labels), _name(G, v, "en"), k, u, v))
    hops = [(c, u, v, k) for c in CHAPTERS for *_, k, u, v in sorted(by_chapter[c])]
    if not hops:
        raise NotFound("No referral link on this map has a referral phase: no story of a case to tell.")
    present = [c for c in CHAPTERS if by_chapter[c]]
    first = {lg: " → ".join(CHAPTERS[c][lg] for c in present) + f" ({len(hops)} {WORDS['steps'][lg]})" for lg in LANGS}
    steps = [{"caption": first, "nodes": sorted({x for _, u, v, _ in hops for x in (u, v)}),
              "edges": [(u, v, k) for _, u, v, k in hops]}]
    steps += [_hop_step(G, u, v, k, labels, documents, chapter=c) for c, u, v, k in hops]
    return {"title": {lg: WORDS["phases"][lg] for lg in LANGS}, "steps": steps}


def _text(value, where):
    if isinstance(value, str):
        return {lg: value for lg in LANGS}
    if isinstance(value, dict) and value and all(k in LANGS and isinstance(v, str) for k, v in value.items()):
        return {lg: value.get(lg) or value.get("en") or next(iter(value.values())) for lg in LANGS}
    raise CoopmapError(f"{where}: write a text, or a table of texts by language (en, fr, de).")


def _read_tour_file(path: Path):
    import json
    import tomllib

    try:
        raw = path.read_bytes()
    except OSError as e:
        raise CoopmapError(f"Cannot read the tour file {path}: {e.strerror}.") from None
    try:
        if path.suffix.lower() == ".json":
            return json.loads(raw)
        return tomllib.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        kind = "JSON" if path.suffix.lower() == ".json" else "TOML"
        raise CoopmapError(f"{path}: not valid {kind}: {e}") from None


def load_tour(spec, G, resolve, labels=None, as_of=None, documents=None):
    """The tour named by ``spec`` on the map ``G``.

    Parameters
    ----------
    spec : str
        ``"path:A:B"`` (the referral path from A to B, hop by hop), ``"phases"`` (each referral phase), or
        the path of a tour file (TOML, or JSON with the same keys; see the module docstring).
    resolve : callable
        Actor name -> IRI (raising :class:`graph.core.errors.NotFound`).
    as_of : str, optional
        Date the referral paths are found for (default today).

    Raises
    ------
    CoopmapError
        On an unreadable file, an unknown key, or a name, phase or link kind that does not exist, naming
        the file and the step.
    """
    if spec == "phases":
        return phase_tour(G, labels, documents)
    if spec.startswith("path:"):
        rest = spec[5:]
        cuts = [i for i, c in enumerate(rest) if c == ":" and 0 < i < len(rest) - 1]
        if not cuts:
            raise CoopmapError(f"`tour` {spec}: write path:FROM:TO, e.g. path:ITM:Police.")
        for i in cuts[:-1]:  # names or IRIs may hold colons: take the first cut where both ends are actors
            try:
                ends = resolve(rest[:i]), resolve(rest[i + 1:])
            except NotFound:
                continue
            return path_tour(G, referral_path(G, *ends, as_of=as_of), labels, documents)
        i = cuts[-1]
        return path_tour(G, referral_path(G, resolve(rest[:i]), resolve(rest[i + 1:]), as_of=as_of), labels, documents)
    path = Path(spec)
    if not path.exists():
        raise CoopmapError(f"`tour` {spec}: not 'phases', not 'path:FROM:TO', and no such file.")
    doc = _read_tour_file(path)
    steps_in = doc.get("step", doc.get("steps")) if isinstance(doc, dict) else None
    if not isinstance(steps_in, list) or not steps_in:
        raise CoopmapError(f"{path}: no steps. Add [[step]] tables (TOML) or a \"steps\" list (JSON).")
    unknown = set(doc) - {"title", "step", "steps"}
    if unknown:
        raise CoopmapError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}; use title and step.")
    kinds = set(G.graph.get("link_kinds") or {})
    phases = set((G.graph.get("schemes") or {}).get("phase") or {})
    steps = []
    for i, s in enumerate(steps_in, start=1):
        where = f"{path}, step {i}"
        if not isinstance(s, dict):
            raise CoopmapError(f"{where}: a step is a table of {', '.join(STEP_KEYS)}.")
        bad = set(s) - set(STEP_KEYS)
        if bad:
            raise CoopmapError(f"{where}: unknown key(s) {', '.join(sorted(bad))}; use {', '.join(STEP_KEYS)}.")
        nodes, edges, auto = set(), set(), {lg: [] for lg in LANGS}
        try:
            if "actors" in s:
                names = s["actors"] if isinstance(s["actors"], list) else [s["actors"]]
                chosen = {resolve(str(n)) for n in names}
                nodes |= chosen
                edges |= {(u, v, k) for u, v, k in G.edges(chosen, keys=True) if v in chosen}
                for lg in LANGS:
                    auto[lg].append(", ".join(_name(G, n, lg) for n in sorted(chosen)))
            if "links" in s:
                wanted = s["links"] if isinstance(s["links"], list) else [s["links"]]
                keyed = {}
                for u, v, k, d in G.edges(keys=True, data=True):
                    if not d.get("mirror"):
                        keyed.setdefault(k, (u, v, k))
                for key in wanted:
                    if str(key) not in keyed:
                        raise CoopmapError(f"{where}: the link {key} is not on this map.")
                    u, v, k = keyed[str(key)]
                    edges.add((u, v, k))
                    nodes |= {u, v}
                    for lg in LANGS:
                        auto[lg].append(sentence(G, u, v, k, lg, labels, documents)[0])
            if "path" in s:
                ends = s["path"]
                if not (isinstance(ends, list) and len(ends) == 2):
                    raise CoopmapError(f"{where}: path takes two actor names, e.g. path = [\"ITM\", \"Police\"].")
                p = referral_path(G, resolve(str(ends[0])), resolve(str(ends[1])), as_of=as_of)
                nodes |= set(p["nodes"])
                edges |= set(p["edges"])
                for lg in LANGS:
                    auto[lg].append(" → ".join(_name(G, n, lg) for n in p["nodes"]))
            if "phase" in s:
                if s["phase"] not in phases:
                    raise CoopmapError(f"{where}: unknown phase '{s['phase']}'. Choose one of: {', '.join(sorted(phases))}.")
                st = _phase_step(G, s["phase"], labels)
                nodes |= set(st["nodes"])
                edges |= set(st["edges"])
                for lg in LANGS:
                    auto[lg].append(st["caption"][lg])
            if "link_kinds" in s:
                lks = s["link_kinds"] if isinstance(s["link_kinds"], list) else [s["link_kinds"]]
                for k in lks:
                    if k not in kinds:
                        raise CoopmapError(f"{where}: unknown link kind '{k}'. Choose one of: {', '.join(sorted(kinds))}.")
                sel = [(u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if d.get("kind") in lks]
                edges |= set(sel)
                nodes |= {x for u, v, _ in sel for x in (u, v)}
                for lg in LANGS:
                    auto[lg].append(", ".join(_kind_label(G, k, lg, labels) for k in lks))
        except NotFound as e:
            raise NotFound(f"{where}: {e}") from None
        caption = _text(s["caption"], f"{where}, caption") if "caption" in s else {lg: " · ".join(auto[lg]) for lg in LANGS}
        steps.append({"caption": caption, "nodes": sorted(nodes), "edges": sorted(edges)})
    title = _text(doc["title"], f"{path}, title") if "title" in doc else {lg: path.stem for lg in LANGS}
    return {"title": title, "steps": steps}
