"""The networkx view: the compiled RDF graph projected, with SPARQL, into a ``networkx.MultiDiGraph``.

Nodes are the ``coop:Actor`` IRIs; edges are the facts that connect two actors. The view is built once
per compiled dataset and audience and cached as a pickle beside the compiled graph, so answering from it
needs neither rdflib nor Oxigraph. Nothing is ever written back into RDF.

How each kind of fact becomes edges (``origin`` attribute)
-----------------------------------------------------------
``link``
    One edge per ``coop:Link``, keyed by the link IRI, from ``coop:from`` to ``coop:to``. Links of a
    symmetric kind (``coop:symmetric true``: exchanges information with, cooperates with, partners with)
    are stored **both ways**: the stated edge and a mirror ``to -> from`` with the same key, the same
    attribute values and ``mirror=True``. Path-finding and centrality then need no special case, and
    the number of distinct links is the number of distinct keys.
``structure``
    ``org:unitOf`` / ``org:subOrganizationOf``: kind ``unit-of``, unit -> parent plus its mirror (keyed by
    the unit IRI). ``coop:country``: kind ``institution-of``, institution -> its state, one way only. Their
    sources are the unit's (institution's) citations whose quote names the parent (state): the sentences
    that state the relation, not every sentence that mentions the actor.
``membership``
    ``org:Membership``: kind ``member-of``, member -> organisation (keyed by the membership IRI), with
    ``role`` (``chair``, ``member``...).
``agreement``
    An instrument with ``coop:party``: kind ``party-to``, one edge between every two parties, both ways
    (keyed by the instrument IRI), the instrument as ``instrument`` and ``legal_basis``. Validity runs
    from ``schema:startDate`` or else ``eli:date_document``.

Which kinds are referral steps is read from the ontology, not decided here: ``coop:referral`` on the
link-kind concept (the collections ``link-kind/referral-steps`` and ``link-kind/context`` say the same).
The four structural kinds (:data:`STRUCTURAL_KINDS`) are concepts of that scheme too, with
``coop:referral false``: they are context, never a step between organisations (what routing still
allows on them, a unit <-> own parent hop or a membership as last step, is decided in
:mod:`graph.network.routing`).

Activities (workshops, campaigns) are not projected: attending the same event is not a channel.

Every edge carries the same attributes: ``origin, kind, kind_label, reads, symmetric, referral, step`` (both
True when the kind is a referral step), ``mirror, condition, applies_when, independent_of, phases,
crime_areas, serves`` (mandate notations the step serves, ``coop:serves``), ``area`` (``schema:areaServed``
notations), ``vagueness`` (the ``coop:vagueness`` note, or None), ``legal_basis [{iri, title, status,
start, end}], availability [{iri, hours, status, start, end, stated_on, vagueness, sources}], status, start,
end, stated_on, sources [{document, locator, quote}], access`` (TLP notation: the strictest of the edge's
own label and its two ends', :func:`graph.core.access.strictest`), plus ``role`` (memberships) and
``instrument`` (agreements).

Every node carries ``label, labels, acronym, alt_labels, kind, level, country, mandates, crime_areas,
phases, area`` (``schema:areaServed`` notations), ``parent, access, placeholder`` (a ``coop:Placeholder``:
unnamed, collective or stand-in actor), ``stands_for`` (its ``coop:standsFor`` phrase), ``vagueness``,
``contact_points [{iri, name, type, email, telephone, url, address, stated_on, sources}], start, end,
availability, sources``.
"""

from __future__ import annotations

import functools
import os
import pickle
import re
import sys
import tempfile
from pathlib import Path

from graph.core.prefixes import PREFIXES

__all__ = ["VIEW_VERSION", "STRUCTURAL_KINDS", "build_view", "load_view", "filter_view", "view_path", "is_loaded_view", "name_index",
           "resolve_name"]

#: Bump when the view's layout changes: old pickles are then ignored.
VIEW_VERSION = "9"

#: The edge kinds the view derives from structure rather than from ``coop:Link``: {kind: origin}. Their
#: labels and flags (``coop:referral false``, ``coop:symmetric``) come from the link-kind scheme like every
#: other kind; this table only says which kinds they are (maps and analysis share it).
STRUCTURAL_KINDS = {"unit-of": "structure", "institution-of": "structure", "member-of": "membership",
                    "party-to": "agreement"}

_Q_ACTORS = """SELECT ?a ?access ?start ?end ?ph ?stands WHERE { ?a a coop:Actor . $VIS_a
  OPTIONAL { ?a dcterms:accessRights/skos:notation ?access }
  OPTIONAL { ?a a ?ph FILTER(?ph = coop:Placeholder) }
  OPTIONAL { ?a coop:standsFor ?stands FILTER(lang(?stands) = "en" || lang(?stands) = "") }
  OPTIONAL { ?a schema:startDate ?start } OPTIONAL { ?a schema:endDate ?end } }"""
_Q_REFS = """SELECT ?a ?p ?o WHERE { ?a a coop:Actor ; ?p ?o . ?o a coop:Actor .
  VALUES ?p { coop:country org:unitOf org:subOrganizationOf } }"""
_Q_AVAIL = """SELECT ?s ?av ?hours ?status ?start ?end ?stated ?vague WHERE {
  ?s coop:availability ?av . { ?s a coop:Actor } UNION { ?s a coop:Link }
  OPTIONAL { ?av skos:notation ?n1 } OPTIONAL { ?av coop:hours/skos:notation ?n2 }
  BIND(COALESCE(?n2, ?n1) AS ?hours) FILTER(BOUND(?hours))
  OPTIONAL { ?av coop:status/skos:notation ?status }
  OPTIONAL { ?av schema:startDate ?start } OPTIONAL { ?av schema:endDate ?end } OPTIONAL { ?av coop:statedOn ?stated }
  OPTIONAL { ?av coop:vagueness ?vague FILTER(lang(?vague) = "en" || lang(?vague) = "") }
  $VIS_av }"""
_Q_VAGUE_ACTORS = """SELECT ?a ?v WHERE { ?a a coop:Actor ; coop:vagueness ?v FILTER(lang(?v) = "en" || lang(?v) = "") }"""
_Q_CONTACT_POINTS = """SELECT ?a ?cp ?name ?type ?email ?tel ?url ?address ?stated WHERE {
  ?a a coop:Actor ; schema:contactPoint ?cp . $VIS_cp
  OPTIONAL { ?cp schema:name ?name } OPTIONAL { ?cp schema:contactType ?type }
  OPTIONAL { ?cp schema:email ?email } OPTIONAL { ?cp schema:telephone ?tel } OPTIONAL { ?cp schema:url ?url }
  OPTIONAL { ?cp schema:address ?address } OPTIONAL { ?cp coop:statedOn ?stated } }"""
_Q_CITATIONS = """SELECT ?s ?doc ?loc ?quote WHERE {
  ?s coop:citation ?c . ?c prov:entity/dcterms:identifier ?doc ; coop:locator ?loc ; coop:quote ?quote . $VIS_c }"""
_Q_KINDS = """SELECT ?k ?n ?label ?fr ?de ?sym ?ref ?inv WHERE {
  ?k skos:inScheme <https://w3id.org/coopmap/scheme/link-kind> ; skos:notation ?n .
  OPTIONAL { ?k skos:prefLabel ?label FILTER(lang(?label) = "en") }
  OPTIONAL { ?k skos:prefLabel ?fr FILTER(lang(?fr) = "fr") } OPTIONAL { ?k skos:prefLabel ?de FILTER(lang(?de) = "de") }
  OPTIONAL { ?k coop:symmetric ?sym } OPTIONAL { ?k coop:referral ?ref }
  OPTIONAL { ?k coop:inverseLabel ?inv FILTER(lang(?inv) = "en") } }"""
_Q_SCHEME = """SELECT ?s ?n ?label ?rank ?broader WHERE { ?c skos:inScheme ?scheme ; skos:notation ?n .
  BIND(STRAFTER(STR(?scheme), "https://w3id.org/coopmap/scheme/") AS ?s) FILTER(?s != "")
  OPTIONAL { ?c skos:prefLabel ?label FILTER(lang(?label) = "en") } OPTIONAL { ?c coop:rank ?rank }
  OPTIONAL { ?c skos:broader/skos:notation ?broader } }"""
_Q_LINK_TEXT = """SELECT ?s ?p ?v WHERE { ?s ?p ?v . { ?s a coop:Link } UNION { ?s a org:Membership }
  VALUES ?p { coop:condition coop:statedOn coop:vagueness } }"""
_Q_BASIS = """SELECT ?s ?i ?title ?whole ?istatus ?istart ?iend WHERE { ?s coop:legalBasis ?i .
  { ?s a coop:Link } UNION { ?s a org:Membership } $VIS_i
  OPTIONAL { ?i coop:status/skos:notation ?istatus }
  OPTIONAL { ?i schema:startDate ?istart } OPTIONAL { ?i schema:endDate ?iend }
  OPTIONAL { ?i eli:title ?title FILTER(lang(?title) = "en") }
  OPTIONAL { ?i eli:is_part_of/eli:title ?whole FILTER(lang(?whole) = "en") } }"""
_Q_MEMBERSHIPS = """SELECT ?m ?member ?org ?role ?access ?status ?start ?end WHERE {
  ?m a org:Membership ; org:member ?member ; org:organization ?org . $VIS_m
  OPTIONAL { ?m org:role/skos:notation ?role }
  OPTIONAL { ?m dcterms:accessRights/skos:notation ?access }
  OPTIONAL { ?m coop:status/skos:notation ?status }
  OPTIONAL { ?m schema:startDate ?start } OPTIONAL { ?m schema:endDate ?end } }"""
_Q_AGREEMENTS = """SELECT ?i ?party ?title ?whole ?access ?status ?start ?end ?date WHERE {
  ?i coop:party ?party . ?party a coop:Actor . $VIS_i
  OPTIONAL { ?i eli:title ?title FILTER(lang(?title) = "en") }
  OPTIONAL { ?i eli:is_part_of/eli:title ?whole FILTER(lang(?whole) = "en") }
  OPTIONAL { ?i dcterms:accessRights/skos:notation ?access }
  OPTIONAL { ?i coop:status/skos:notation ?status }
  OPTIONAL { ?i schema:startDate ?start } OPTIONAL { ?i schema:endDate ?end } OPTIONAL { ?i eli:date_document ?date } }"""


def _q(query, audience):
    from graph.core.access import visible_filter

    return re.sub(r"\$VIS_(\w+)", lambda m: visible_filter(m.group(1), audience), query)


def _title(title, whole):
    if title and whole and whole not in title:
        return f"{title}, {whole}"
    return title or whole


def _base_edge(origin, kind, kinds, access, empty):
    info = kinds[kind]
    return {"origin": origin, "kind": kind, "kind_label": info["label"], "reads": info["reads"],
            "symmetric": info["symmetric"], "referral": info["referral"], "step": info["referral"], "mirror": False,
            "condition": None, "applies_when": empty, "independent_of": empty, "phases": empty, "crime_areas": empty,
            "serves": empty, "area": empty, "vagueness": None, "legal_basis": empty, "availability": empty,
            "status": None, "start": None, "end": None, "stated_on": None, "sources": empty,
            "access": access or "clear"}


def _kind_info(label, reads, inverse, symmetric, referral, labels=None):
    return {"label": label, "reads": reads, "inverse": inverse, "symmetric": symmetric, "referral": referral,
            "labels": labels or {"en": label}}


#: How a structural edge reads, when the link-kind scheme gives only its label (the sentence differs).
_STRUCTURAL_READS = {"unit-of": "is a unit or part of", "institution-of": "is an institution of",
                     "member-of": "is a member of", "party-to": "is party to an agreement with"}


_COOP, _SKOS, _DCT, _SCHEMA = (PREFIXES[p] for p in ("coop", "skos", "dcterms", "schema"))
_RDF_TYPE = PREFIXES["rdf"] + "type"


def _objects(store, predicate, lang=False, nodes=False):
    """{subject: [object]} of one predicate, read as a query over the union of the graphs reads it (a triple
    stated in two graphs counts twice), values as :func:`graph.kb.rows.select` gives them (``lang``: text
    and language pairs). ``nodes`` keeps only IRI and blank-node objects (what can be a subject in turn).

    A pattern read instead of a SELECT: on 10^5 rows, several times quicker than a join with OPTIONALs.
    """
    import pyoxigraph as ox

    from graph.kb.rows import term_value

    iri, literal = ox.NamedNode, ox.Literal
    out = {}
    for q in store.quads_for_pattern(None, iri(predicate), None, None):
        o = q.object
        if type(o) is iri:
            v = o.value
        elif type(o) is literal:
            if nodes:
                continue
            v = (o.value, o.language) if lang and o.language else term_value(o)
        else:
            v = o.value
        out.setdefault(q.subject.value, []).append(v)
    return out


def _typed(store, cls):
    """{instance of ``cls``: how many graphs state it}."""
    import pyoxigraph as ox

    out = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(cls), None):
        k = q.subject.value
        out[k] = out.get(k, 0) + 1
    return out


def _notations(store, predicate, notation):
    """{subject: [notation of each concept it names with ``predicate``]}, a row per ``?s predicate/skos:notation ?n``."""
    out = {}
    for s, concepts in _objects(store, predicate, nodes=True).items():
        ns = [n for c in concepts for n in notation.get(c, ())]
        if ns:
            out[s] = ns
    return out


def _hidden(store, audience):
    """The resources labelled above ``audience`` (what :func:`graph.core.access.visible_filter` drops)."""
    from graph.core.access import above_audience
    from graph.kb.store import select

    return {r["x"] for r in select(store, f"SELECT DISTINCT ?x WHERE {{ {above_audience('x', audience)} }}")}


def build_view(store, audience: str = "clear"):
    """Project the compiled dataset in ``store`` into a ``networkx.MultiDiGraph``.

    Parameters
    ----------
    store : pyoxigraph.Store
        The compiled dataset (:func:`graph.kb.store.open_store`).
    audience : str
        Highest TLP level kept (``clear``, ``green``, ``amber``, ``amber-strict``, ``red``): actors,
        links, memberships, agreements, availability statements and citations above it are left out.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes are actor IRIs, edges as described in the module docstring. ``G.graph`` holds
        ``audience``, ``link_kinds`` ({notation: {label, reads, inverse, symmetric, referral}}) and
        ``schemes`` ({scheme: {notation: {label, rank}}}), so answers can be explained and options
        checked without SPARQL.
    """
    from graph.core.memory import collector_paused

    with collector_paused():  # the projection makes ~10^6 containers and no cycle
        return _project(store, audience)


def _project(store, audience):
    """:func:`build_view`, with the collector off."""
    import networkx as nx

    from graph.kb.resolve import fold

    empty = []  # one shared empty list for every empty edge attribute: a smaller, faster pickle (read-only!)
    G = nx.MultiDiGraph(audience=audience)
    schemes = _schemes(store)
    kinds = _link_kinds(store)
    G.graph.update(link_kinds=kinds, schemes=schemes)
    sources = _sources(store, audience)
    availability = _availability(store, audience, sources)
    _add_actors(G, store, audience, sources, availability, empty)
    nodes = G.nodes
    notation = _objects(store, _SKOS + "notation")
    _add_names(store, nodes)
    _add_concepts(store, nodes, notation)
    structure, countries = _structure(store, nodes)
    _finish_nodes(nodes)
    fold = functools.lru_cache(maxsize=None)(fold)  # quotes and names repeat: fold each once
    G.graph["name_keys"] = _name_keys(nodes, fold)
    fill = _filler(store, audience, sources, availability, empty)
    _add_links(G, store, audience, kinds, fill, notation, empty)
    _add_structure(G, structure, countries, kinds, fold, empty)
    _add_memberships(G, store, audience, kinds, fill, empty)
    _add_agreements(G, store, audience, kinds, sources, empty)
    return G


def _schemes(store):
    """{scheme: {notation: {label, rank[, broader]}}} of every concept scheme."""
    from graph.kb.store import select

    schemes = {}
    for r in select(store, _Q_SCHEME):
        entry = schemes.setdefault(r["s"], {}).setdefault(sys.intern(r["n"]), {"label": r["label"] or r["n"], "rank": r["rank"]})
        if r["broader"]:
            entry["broader"] = r["broader"]
    return schemes


def _link_kinds(store):
    """{notation: kind info} of the link-kind scheme, the structural kinds included (never referral steps)."""
    from graph.kb.store import select

    link_kinds = {}
    for r in select(store, _Q_KINDS):
        label = r["label"] or r["n"]
        labels = {lang: r[lang] for lang in ("fr", "de") if r[lang]}
        reads = _STRUCTURAL_READS.get(r["n"], label)
        link_kinds[r["n"]] = _kind_info(label, reads, r["inv"] or label, bool(r["sym"]), bool(r["ref"]),
                                        {"en": label, **labels})
    for k in STRUCTURAL_KINDS:  # an ontology older than issue 13 lacks them: context only, never a step
        if k not in link_kinds:
            label = k.replace("-", " ")
            link_kinds[k] = _kind_info(label, _STRUCTURAL_READS[k], label, k in ("unit-of", "party-to"), False)
    for k in STRUCTURAL_KINDS:
        link_kinds[k]["referral"] = False  # structure never carries a route between organisations (issue 13)
    return link_kinds


def _sources(store, audience):
    """{resource: [{document, locator, quote}]}, the citations ``audience`` may see, in order."""
    from graph.kb.store import select

    intern = sys.intern
    sources = {}
    for r in sorted(select(store, _q(_Q_CITATIONS, audience)), key=lambda r: (r["s"], r["doc"], r["loc"], r["quote"])):
        sources.setdefault(r["s"], []).append({"document": intern(r["doc"]), "locator": intern(r["loc"]),
                                              "quote": intern(r["quote"])})
    return sources


def _availability(store, audience, sources):
    """{actor or link: [availability statement]}."""
    from graph.kb.store import select

    availability = {}
    for r in sorted(select(store, _q(_Q_AVAIL, audience)), key=lambda r: (r["s"], r["av"])):
        availability.setdefault(r["s"], []).append(
            {"iri": r["av"], "hours": sys.intern(r["hours"]), "status": r["status"], "start": r["start"], "end": r["end"],
             "stated_on": r["stated"], "vagueness": r["vague"], "sources": sources.get(r["av"], [])})
    return availability


def _contact_points(store, audience, sources):
    """{actor: [contact point]}, one entry per contact point (its first row)."""
    from graph.kb.store import select

    contact_points = {}
    for r in sorted(select(store, _q(_Q_CONTACT_POINTS, audience)), key=lambda r: (r["a"], r["cp"])):
        cps = contact_points.setdefault(r["a"], [])
        if any(c["iri"] == r["cp"] for c in cps):
            continue
        cps.append({"iri": r["cp"], "name": r["name"], "type": r["type"], "email": r["email"], "telephone": r["tel"],
                    "url": r["url"], "address": r["address"], "stated_on": r["stated"],
                    "sources": sources.get(r["cp"], [])})
    return contact_points


def _add_actors(G, store, audience, sources, availability, empty):
    """One node per visible actor, in IRI order, with the attributes read so far (names come next)."""
    from graph.kb.store import select

    contact_points = _contact_points(store, audience, sources)
    actor_vagueness = {r["a"]: r["v"] for r in select(store, _Q_VAGUE_ACTORS)}
    for r in sorted(select(store, _q(_Q_ACTORS, audience)), key=lambda r: r["a"]):
        if r["a"] in G:
            continue
        G.add_node(r["a"], label=None, labels={}, acronym="", alt_labels=[], kind=None, level=None, country=None,
                   mandates=[], crime_areas=[], phases=[], area=[], parent=None, access=r["access"] or "clear",
                   placeholder=bool(r["ph"]), stands_for=r["stands"], vagueness=actor_vagueness.get(r["a"]),
                   contact_points=contact_points.get(r["a"], empty),
                   start=r["start"], end=r["end"], availability=availability.get(r["a"], empty),
                   sources=sources.get(r["a"], empty))


def _add_names(store, nodes):
    """Each actor's preferred labels (the first per language, in the order read) and alternative labels."""
    for a, values in _objects(store, _SKOS + "prefLabel", lang=True).items():
        if a in nodes:
            labels = nodes[a]["labels"]
            for v in values:
                text, lang = v if isinstance(v, tuple) else (v, "")
                labels.setdefault(lang or "en", text)
    for a, values in _objects(store, _SKOS + "altLabel", lang=True).items():
        if a in nodes:
            alt = nodes[a]["alt_labels"]
            for v in values:
                text = v[0] if isinstance(v, tuple) else v
                if text not in alt:
                    alt.append(text)


#: The concept properties of an actor: (property, node attribute); ``kind`` and ``level`` hold one notation.
_ACTOR_CONCEPTS = ((_COOP + "actorKind", "kind"), (_COOP + "level", "level"), (_COOP + "mandate", "mandates"),
                   (_COOP + "crimeArea", "crime_areas"), (_COOP + "phase", "phases"), (_SCHEMA + "areaServed", "area"))


def _add_concepts(store, nodes, notation):
    """Each actor's kind and level (the last read), and its mandates, crime areas, phases and areas (notations)."""
    intern = sys.intern
    for prop, attr in _ACTOR_CONCEPTS:
        for a, ns in _notations(store, prop, notation).items():
            if a not in nodes:
                continue
            if attr in ("kind", "level"):
                nodes[a][attr] = intern(ns[-1])
            else:
                nodes[a][attr].extend(map(intern, ns))


def _structure(store, nodes):
    """Set each actor's country and parent; return the (unit, parent) and (institution, state) pairs."""
    from graph.kb.store import select

    structure, countries = [], []
    for r in sorted(select(store, _Q_REFS), key=lambda r: (r["a"], r["p"], r["o"])):
        if r["a"] not in nodes or r["o"] not in nodes:
            continue
        if r["p"].endswith("country"):
            nodes[r["a"]]["country"] = r["o"]
            if r["a"] != r["o"]:
                countries.append((r["a"], r["o"]))
        else:
            nodes[r["a"]]["parent"] = nodes[r["a"]]["parent"] or r["o"]
            structure.append((r["a"], r["o"]))
    return structure, countries


def _finish_nodes(nodes):
    """Sort the multi-valued node attributes; pick each actor's acronym and display label."""
    from graph.kb.resolve import is_acronym

    for n, d in nodes.items():
        for key in ("mandates", "crime_areas", "phases", "area"):
            d[key] = sorted(set(d[key]))
        d["alt_labels"].sort(key=lambda s: (len(s), s))
        d["acronym"] = next((a for a in d["alt_labels"] if is_acronym(a)), "")
        d["label"] = d["labels"].get("en") or next(iter(d["labels"].values()), n.rsplit("/", 1)[-1])


def _name_keys(nodes, fold):
    """{folded name: [actor]}: every name an actor answers to, folded as :mod:`graph.kb.resolve` folds them."""
    name_keys = {}
    for n, d in nodes.items():
        for name in {*d["labels"].values(), *d["alt_labels"], n.rsplit("/", 1)[-1]}:
            name_keys.setdefault(fold(name), []).append(n)
    return {k: sorted(set(v)) for k, v in name_keys.items()}


def _link_texts(store):
    """{link or membership: {conditions, vagueness, stated}}: its texts, with the language of each."""
    from graph.kb.store import select

    texts = {}
    for r in select(store, _Q_LINK_TEXT, lang=True):
        v = r["v"]
        if r["p"].endswith("condition") or r["p"].endswith("vagueness"):
            text, lang = v if isinstance(v, tuple) else (v, "en")
            key = "conditions" if r["p"].endswith("condition") else "vagueness"
            texts.setdefault(r["s"], {}).setdefault(key, []).append((lang != "en", text))
        else:
            texts.setdefault(r["s"], {}).setdefault("stated", []).append(str(v))
    return texts


def _bases(store, audience):
    """{link or membership: [legal basis]}, one entry per instrument (its first row)."""
    from graph.kb.store import select

    basis = {}
    for r in sorted(select(store, _q(_Q_BASIS, audience)), key=lambda r: (r["s"], r["i"])):
        entry = {"iri": r["i"], "title": _title(r["title"], r["whole"]) or r["i"].rsplit("/", 1)[-1],
                 "status": r["istatus"], "start": r["istart"], "end": r["iend"]}
        if all(e["iri"] != r["i"] for e in basis.setdefault(r["s"], [])):
            basis[r["s"]].append(entry)
    return basis


def _filler(store, audience, sources, availability, empty):
    """``fill(d, iri)``: set the condition, vagueness, date stated, legal bases, sources and availability of
    the link or membership ``iri`` in its edge attributes ``d``."""
    texts, basis = _link_texts(store), _bases(store, audience)

    def fill(d, iri):
        t = texts.get(iri, {})
        if t.get("conditions"):
            d["condition"] = sorted(t["conditions"])[0][1]
        if t.get("vagueness"):
            d["vagueness"] = " ".join(text for _, text in sorted(t["vagueness"]) if text)
        if t.get("stated"):
            d["stated_on"] = max(t["stated"])
        d["legal_basis"] = basis.get(iri, empty)
        d["sources"] = sources.get(iri, empty)
        d["availability"] = availability.get(iri, empty)

    return fill


def _access(nodes, d, u, v):
    """Make the edge ``d`` as sensitive as the strictest of itself and its two ends."""
    d["access"] = _strictest(d["access"], nodes[u]["access"], nodes[v]["access"])
    return d


@functools.cache
def _strictest(*levels):
    """:func:`graph.core.access.strictest`, remembered: a few TLP notations, combined 10^5 times."""
    from graph.core.access import strictest

    return strictest(*levels)


#: The concept properties of a link: (property, the name ``extra`` files its notations under).
_LINK_CONCEPTS = ((_COOP + "appliesWhen", "appliesWhen"), (_COOP + "independentOf", "independentOf"),
                  (_COOP + "phase", "phase"), (_COOP + "crimeArea", "crimeArea"), (_COOP + "serves", "serves"),
                  (_SCHEMA + "areaServed", "areaServed"))


def _link_extras(store, links, notation):
    """{link: {property: [notation]}} for the multi-valued link properties (a row per way a query finds it)."""
    intern = sys.intern
    extra = {}
    for prop, name in _LINK_CONCEPTS:
        for link, ns in _notations(store, prop, notation).items():
            times = links.get(link)
            if times:
                extra.setdefault(link, {})[name] = [intern(n) for n in ns for _ in range(times)]
    return extra


def _link_rows(store, audience, links, notation):
    """The visible links' rows, sorted by link: {l, from, to, kind, access, status, start, end}, a row per
    combination of values (normally one), as a SELECT with OPTIONAL access, status and dates gives them."""
    hidden = _hidden(store, audience)
    kind = _notations(store, _COOP + "linkKind", notation)
    ends = _objects(store, _COOP + "from"), _objects(store, _COOP + "to")
    access, status = _notations(store, _DCT + "accessRights", notation), _notations(store, _COOP + "status", notation)
    dates = _objects(store, _SCHEMA + "startDate"), _objects(store, _SCHEMA + "endDate")
    none = [None]
    rows = []
    for link in sorted(links):
        if link in hidden or link not in kind or link not in ends[0] or link not in ends[1]:
            continue
        rows.extend({"l": link, "from": u, "to": v, "kind": k, "access": a, "status": st, "start": b, "end": e}
                    for k in kind[link] for u in ends[0][link] for v in ends[1][link]
                    for a in access.get(link, none) for st in status.get(link, none)
                    for b in dates[0].get(link, none) for e in dates[1].get(link, none))
    return rows


_LINK_LISTS = (("applies_when", "appliesWhen"), ("independent_of", "independentOf"), ("phases", "phase"),
               ("crime_areas", "crimeArea"), ("serves", "serves"), ("area", "areaServed"))


def _add_links(G, store, audience, kinds, fill, notation, empty):
    """One edge per visible ``coop:Link`` between two actors of ``G`` (and its mirror when symmetric)."""
    nodes = G.nodes
    links = _typed(store, _COOP + "Link")
    extra = _link_extras(store, links, notation)
    for r in _link_rows(store, audience, links, notation):
        u, v, kind = r["from"], r["to"], r["kind"]
        if u not in nodes or v not in nodes or kind not in kinds or G.has_edge(u, v, key=r["l"]):
            continue
        d = _access(nodes, _base_edge("link", kind, kinds, r["access"], empty), u, v)
        d.update(status=r["status"], start=r["start"], end=r["end"])
        ex = extra.get(r["l"], {})
        for attr, prop in _LINK_LISTS:
            if prop in ex:
                d[attr] = sorted(ex[prop])
        fill(d, r["l"])
        G.add_edge(u, v, key=r["l"], **d)
        if d["symmetric"] and u != v:
            G.add_edge(v, u, key=r["l"], **{**d, "mirror": True})


def _add_structure(G, structure, countries, kinds, fold, empty):
    """The ``unit-of`` edges (and mirrors) and ``institution-of`` edges, cited by the sentences that state them."""
    nodes = G.nodes

    def stating(child, other):
        """The citations of ``child`` whose quote names ``other``: the sentences that state the relation,
        not every sentence that mentions ``child``."""
        names = {fold(x) for x in (*nodes[other]["labels"].values(), *nodes[other]["alt_labels"]) if len(x) > 2}
        return [src for src in nodes[child]["sources"] if any(n and n in fold(src["quote"]) for n in names)] or empty

    for unit, parent in structure:
        if G.has_edge(unit, parent, key=unit):
            continue
        d = _access(nodes, _base_edge("structure", "unit-of", kinds, nodes[unit]["access"], empty), unit, parent)
        d.update(start=nodes[unit]["start"], end=nodes[unit]["end"], sources=stating(unit, parent))
        G.add_edge(unit, parent, key=unit, **d)
        G.add_edge(parent, unit, key=unit, **{**d, "mirror": True, "reads": kinds["unit-of"]["inverse"]})
    for actor, state in countries:
        d = _access(nodes, _base_edge("structure", "institution-of", kinds, nodes[actor]["access"], empty), actor, state)
        d.update(start=nodes[actor]["start"], end=nodes[actor]["end"], sources=stating(actor, state))
        G.add_edge(actor, state, key=actor, **d)


def _add_memberships(G, store, audience, kinds, fill, empty):
    """One ``member-of`` edge per visible ``org:Membership`` between two actors of ``G``."""
    from graph.kb.store import select

    nodes = G.nodes
    for r in sorted(select(store, _q(_Q_MEMBERSHIPS, audience)), key=lambda r: r["m"]):
        if r["member"] not in nodes or r["org"] not in nodes or G.has_edge(r["member"], r["org"], key=r["m"]):
            continue
        d = _access(nodes, _base_edge("membership", "member-of", kinds, r["access"], empty), r["member"], r["org"])
        d.update(status=r["status"], start=r["start"], end=r["end"], role=r["role"])
        fill(d, r["m"])
        G.add_edge(r["member"], r["org"], key=r["m"], **d)


def _add_agreements(G, store, audience, kinds, sources, empty):
    """``party-to`` edges between every two parties of each visible agreement, both ways."""
    from graph.kb.store import select

    nodes = G.nodes
    parties = {}
    for r in sorted(select(store, _q(_Q_AGREEMENTS, audience)), key=lambda r: (r["i"], r["party"])):
        if r["party"] not in nodes:
            continue
        rec = parties.setdefault(r["i"], {"row": r, "parties": []})
        if r["party"] not in rec["parties"]:
            rec["parties"].append(r["party"])
    for iri, rec in parties.items():
        r, ps = rec["row"], rec["parties"]
        instrument = {"iri": iri, "title": _title(r["title"], r["whole"]) or iri.rsplit("/", 1)[-1]}
        d = _base_edge("agreement", "party-to", kinds, r["access"], empty)
        d.update(status=r["status"], start=r["start"] or r["date"], end=r["end"], instrument=instrument,
                 legal_basis=[instrument], sources=sources.get(iri, []))
        for a in ps:
            for b in ps:
                if a != b:
                    G.add_edge(a, b, key=iri, **{**d, "mirror": a > b,
                                                 "access": _strictest(d["access"], nodes[a]["access"], nodes[b]["access"])})


def view_path(project=None, audience: str = "clear") -> Path:
    """Where the cached view of ``project`` for ``audience`` lives (compiling the project if needed)."""
    from graph.kb.build import compiled, default_project
    from graph.core.access import AUDIENCES

    if audience not in AUDIENCES:
        from graph.core.errors import CoopmapError

        raise CoopmapError(f"Unknown audience '{audience}'. Choose one of: {', '.join(AUDIENCES)}.")
    project = project or default_project()
    cache = project.cache_dir()
    if not (cache / "meta.json").exists():  # compiled() imports pyoxigraph: only when really building
        cache = compiled(project)
    return cache / f"view-v{VIEW_VERSION}-{audience}.pickle"


_MEMO = {}


def _share_strings(G):
    """Make equal strings in node and edge attributes one object, so the pickle stores each once.

    Query results give every row its own copy of "notifies", "national", …; pickle only shares objects
    it has seen by identity, so sharing them makes the cached view smaller and quicker to load.
    """
    memo = {}

    def share(v):
        if isinstance(v, str):
            return memo.setdefault(v, v)
        if isinstance(v, list):
            return [share(x) for x in v]
        if isinstance(v, tuple):
            return tuple(share(x) for x in v)
        if isinstance(v, dict):
            return {share(k): share(x) for k, x in v.items()}
        return v

    for attrs in [d for _, d in G.nodes(data=True)] + [d for _, _, d in G.edges(data=True)]:
        for k in list(attrs):
            attrs[k] = share(attrs[k])


#: Every node and edge of a built view has these attributes first, in this order. The pickle leaves out
#: those holding an empty value (None, False, []) and the load puts them back in place: most edges state no
#: condition, date or area, and their ~20 empty keys doubled the time to unpickle a large view.
_EDGE_ORDER = ("origin", "kind", "kind_label", "reads", "symmetric", "referral", "step", "mirror", "condition",
               "applies_when", "independent_of", "phases", "crime_areas", "serves", "area", "vagueness", "legal_basis",
               "availability", "status", "start", "end", "stated_on", "sources", "access")
_NODE_ORDER = ("label", "labels", "acronym", "alt_labels", "kind", "level", "country", "mandates", "crime_areas", "phases",
               "area", "parent", "access", "placeholder", "stands_for", "vagueness", "contact_points", "start", "end",
               "availability", "sources")
_EMPTY = []  # the one shared empty list of a loaded view (read-only, like every attribute)


def _is_empty(v):
    return v is None or v is False or (type(v) is list and not v)


def _slim_plan(G):
    """``(edge_empty, node_empty)``: for each attribute that may be left out, its one empty value; or None
    when some dict does not start with the usual attributes in order (then nothing is left out)."""
    plans = []
    for dicts, order in (((d for _u, _v, d in G.edges(data=True)), _EDGE_ORDER), ((d for _n, d in G.nodes(data=True)), _NODE_ORDER)):
        n, seen, mixed = len(order), {}, set()
        for d in dicts:
            keys = tuple(d)
            if keys[:n] != order:
                return None
            for k in order:
                v = d[k]
                if _is_empty(v):
                    e = _EMPTY if type(v) is list else v
                    if seen.setdefault(k, e) is not e:
                        mixed.add(k)
        plans.append({k: v for k, v in seen.items() if k not in mixed})
    return tuple(plans)


def _swap_dicts(G, edge_empty, node_empty):
    """Replace every attribute dict of ``G`` by one without the empty values of the plan, in place; return
    what puts the originals back: ``[(container, key, original dict)]``."""
    undo = []

    def slim(container, key, d, empties):
        s = {k: v for k, v in d.items() if not (k in empties and _is_empty(v))}
        if len(s) != len(d):
            undo.append((container, key, d))
            container[key] = s

    for n, d in list(G._node.items()):
        slim(G._node, n, d, node_empty)
    for nbrs in G._succ.values():
        for kd in nbrs.values():  # shared with G._pred
            for k, d in list(kd.items()):
                slim(kd, k, d, edge_empty)
    return undo


def _dump_view(G, path):
    """Pickle ``G`` to ``path`` atomically, without its empty attribute values (:func:`_restore_dicts` puts
    them back); ``G`` itself is left as it was."""
    plan = _slim_plan(G)
    fd, tmp = tempfile.mkstemp(prefix=".view-", suffix=".tmp", dir=path.parent)
    undo = []
    try:
        if plan is not None:
            undo = _swap_dicts(G, *plan)
        payload = {"format": "slim-1" if plan else "full", "graph": G, "edge_empty": plan[0] if plan else {},
                   "node_empty": plan[1] if plan else {}}
        with os.fdopen(fd, "wb") as f:
            pickle.dump(payload, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        for container, key, d in undo:
            container[key] = d


def _restore_dicts(payload):
    """The view of a pickle written by :func:`_dump_view`, every attribute back: same keys, order and values."""
    G = payload["graph"]
    if payload["format"] != "slim-1":
        return G
    # every dict had all these keys, in this order: merging into the template restores both (the marker is
    # always overwritten, as only empty values were left out)
    marker = object()
    edge_t = {k: payload["edge_empty"].get(k, marker) for k in _EDGE_ORDER}
    node_t = {k: payload["node_empty"].get(k, marker) for k in _NODE_ORDER}
    nodes = G._node
    for n, d in nodes.items():
        nodes[n] = {**node_t, **d}
    for nbrs in G._succ.values():
        for kd in nbrs.values():  # the same dict as in G._pred: each edge is restored once
            for k, d in kd.items():
                kd[k] = {**edge_t, **d}
    return G


def load_view(project=None, audience: str = "clear"):
    """The view of the compiled ``project`` for ``audience``, from its pickle cache when present.

    The pickle sits in the compiled cache directory (:func:`graph.kb.build.compiled`), whose name is a hash
    of ``data/`` and ``ontology/``: editing the data compiles a new directory and so a new view. Loading
    a cached view imports neither rdflib nor pyoxigraph. The same object is returned to every caller in
    a process: treat it as read-only (use :func:`filter_view` to narrow it). The pickle leaves out empty
    attribute values (half the time to load at 20,000 actors); they are put back on load, so the loaded
    view equals the built one, key order included.
    """
    path = view_path(project, audience)
    key = str(path)
    if key in _MEMO:
        return _MEMO[key]
    if path.exists():
        import gc

        from graph.core.memory import collector_paused

        with collector_paused():  # unpickling creates ~10^5 containers
            with open(path, "rb") as f:
                G = _restore_dicts(pickle.load(f))
            gc.freeze()  # and the view lives as long as the process: keep later collections from rescanning it
    else:
        from graph.kb.store import open_store

        G = build_view(open_store(project), audience)
        _share_strings(G)
        _dump_view(G, path)
    _MEMO[key] = G
    return G


def is_loaded_view(G) -> bool:
    """Whether ``G`` is a view returned by :func:`load_view` in this process (read-only, so what is derived
    from it may be cached for the life of the process)."""
    return any(G is v for v in _MEMO.values())


def _as_set(value):
    if value is None:
        return None
    return {value} if isinstance(value, str) else set(value)


def filter_view(G, level=None, kind=None, mandate=None, crime_area=None, link_kind=None, as_of=None):
    """A new graph with only the actors and edges that pass every given filter; ``G`` is left unchanged.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A view from :func:`build_view` or :func:`load_view`.
    level, kind, mandate, crime_area : str or iterable of str, optional
        Keep actors whose level / actor kind is one of these, or who hold one of these mandates /
        crime areas (notations). Edges are kept when both ends are.
    link_kind : str or iterable of str, optional
        Keep only edges of these kinds (link-kind notations, or ``unit-of``, ``member-of``, ``party-to``).
    as_of : str, optional
        A date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``): drop actors, edges and availability statements
        whose validity (``start``/``end``, read as periods by :func:`graph.core.periods.in_force`) does not
        overlap it. Status (planned, ended) is kept as an attribute for the caller to judge.

    Returns
    -------
    networkx.MultiDiGraph
        With copied attribute dicts (availability lists narrowed by ``as_of``).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", level="national", kind="police", mandates=["investigation"], crime_areas=[], start=None, end=None, availability=[])
    >>> G.add_node("b", level="eu", kind="eu-agency", mandates=[], crime_areas=[], start="2030", end=None, availability=[])
    >>> G.add_edge("a", "b", key="l1", kind="notifies", start=None, end=None, availability=[])
    'l1'
    >>> sorted(filter_view(G, as_of="2025-01-01").nodes), sorted(filter_view(G, level="eu").nodes)
    (['a'], ['b'])
    """
    from graph.core.periods import in_force, parse_as_of

    levels, kinds, mandates, crimes, lks = map(_as_set, (level, kind, mandate, crime_area, link_kind))
    when = parse_as_of(as_of) if as_of is not None else None

    def avail(items):
        if when is None:
            return list(items)
        return [a for a in items if in_force(a.get("start"), a.get("end"), when)]

    def keep_node(d):
        if levels is not None and d.get("level") not in levels:
            return False
        if kinds is not None and d.get("kind") not in kinds:
            return False
        if mandates is not None and not mandates & set(d.get("mandates", ())):
            return False
        if crimes is not None and not crimes & set(d.get("crime_areas", ())):
            return False
        return when is None or in_force(d.get("start"), d.get("end"), when)

    H = G.__class__()
    H.graph.update(G.graph)
    H.graph["filters"] = {k: v for k, v in dict(level=level, kind=kind, mandate=mandate, crime_area=crime_area,
                                                link_kind=link_kind, as_of=as_of).items() if v is not None}
    H.add_nodes_from((n, {**d, "availability": avail(d.get("availability", ()))})
                     for n, d in G.nodes(data=True) if keep_node(d))
    for u, v, k, d in G.edges(keys=True, data=True):
        if u not in H or v not in H:
            continue
        if lks is not None and d.get("kind") not in lks:
            continue
        if when is not None and not in_force(d.get("start"), d.get("end"), when):
            continue
        H.add_edge(u, v, key=k, **{**d, "availability": avail(d.get("availability", ()))})
    return H


def resolve_name(G, name: str) -> str:
    """The IRI of the actor of ``G`` called ``name`` (any label in any language, acronym, IRI or its slug;
    case, accents and punctuation ignored), as ``coopmap show`` resolves names.

    Raises
    ------
    NotFound
        With the closest names as suggestions, or the candidates when ``name`` is ambiguous.
    """
    from graph.kb.resolve import fold

    if name in G:
        return name
    hits = G.graph.get("name_keys", {}).get(fold(name))
    if hits and len(hits) == 1:
        return hits[0]
    return name_index(G).resolve(name)  # unknown or ambiguous: the full index words the error


def name_index(G):
    """A :class:`graph.kb.resolve.ActorIndex` over the actors of ``G`` (labels, acronyms): resolves names as
    ``coopmap show`` does, for exactly the actors of this view, without reading the compiled graph."""
    from graph.kb.resolve import ActorIndex

    return ActorIndex([{"iri": n, "labels": dict(d.get("labels") or {}), "alt": list(d.get("alt_labels") or []),
                        "kind": d.get("kind"), "level": d.get("level")} for n, d in sorted(G.nodes(data=True))])
