"""The knowledge base as answers: actor listings, one actor in full, concept-scheme choices.

Every function reads the compiled, validated dataset (:func:`graph.kb.store.open_store`) with fixed SPARQL
queries and returns plain dicts, so the CLI and a web server print or serve the same thing. Facts whose
sensitivity label (``dcterms:accessRights``) is above ``audience`` are left out.
"""

from __future__ import annotations

from graph.core.errors import CoopmapError

__all__ = ["AUDIENCES", "STALE_AFTER_DAYS", "is_stale", "scheme_choices", "choose", "list_actors", "describe_actor",
           "visible_filter"]

from graph.core.access import AUDIENCES, names_filter, visible_filter

SCHEMES = {"kind": "actor-kind", "level": "level", "mandate": "mandate", "crime-area": "crime-area",
           "link-kind": "link-kind", "phase": "phase", "condition": "case-condition", "measure": "measure",
           "instrument-type": "instrument-type", "role": "role", "tlp": "tlp", "availability": "availability"}


def scheme_choices(store, scheme: str, lang: str = "en"):
    """``{notation: (iri, label)}`` for the concepts of one scheme (a key of ``SCHEMES``)."""
    from graph.kb.store import select

    rows = select(store, f"""SELECT ?c ?n ?l WHERE {{
        ?c skos:inScheme <https://w3id.org/coopmap/scheme/{SCHEMES[scheme]}> ; skos:notation ?n .
        OPTIONAL {{ ?c skos:prefLabel ?l FILTER(lang(?l) = "{lang}") }} }} ORDER BY ?n""")
    return {r["n"]: (r["c"], r["l"] or r["n"]) for r in rows}


def choose(store, scheme: str, value: str) -> str:
    """The IRI of the concept ``value`` (its notation or label, any case) in ``scheme``.

    Raises
    ------
    CoopmapError
        Listing the valid values when ``value`` is not one of them.
    """
    from graph.kb.resolve import fold

    choices = scheme_choices(store, scheme)
    for notation, (iri, label) in choices.items():
        if fold(value) in (fold(notation), fold(label)):
            return iri
    raise CoopmapError(f"Unknown {scheme} '{value}'. Choose one of: {', '.join(choices)}.")


def list_actors(store, level=None, kind=None, mandate=None, lang="en", audience="clear", G=None):
    """Actors, optionally filtered by level, kind and mandate (notations), sorted by level then name.

    Only actors visible to ``audience`` are listed, and a parent is named only if visible too. Each row
    carries ``tlp``: the actor's TLP mark ("TLP:AMBER", see :func:`graph.core.access.tlp_mark`), '' when clear.
    """
    from graph.kb.store import select

    filters = []
    for scheme, prop, value in (("level", "coop:level", level), ("kind", "coop:actorKind", kind),
                                ("mandate", "coop:mandate", mandate)):
        if value:
            filters.append(f"?a {prop} <{choose(store, scheme, value)}> .")
    rows = select(store, f"""
    SELECT ?a (SAMPLE(?name) AS ?n) (SAMPLE(?acr) AS ?acronym) (SAMPLE(?k) AS ?kind) (SAMPLE(?lv) AS ?level)
           (GROUP_CONCAT(DISTINCT ?m; separator="|") AS ?mandates) (SAMPLE(?pn) AS ?parent) (SAMPLE(?acc) AS ?access)
    WHERE {{
      ?a a coop:Actor . {' '.join(filters)}
      {visible_filter('a', audience)}
      OPTIONAL {{ ?a skos:prefLabel ?name FILTER(lang(?name) = "{lang}") }}
      OPTIONAL {{ ?a skos:altLabel ?acr }}
      OPTIONAL {{ ?a coop:actorKind/skos:notation ?k }}
      OPTIONAL {{ ?a coop:level/skos:notation ?lv }}
      OPTIONAL {{ ?a coop:mandate/skos:notation ?m }}
      OPTIONAL {{ ?a dcterms:accessRights/skos:notation ?acc }}
      OPTIONAL {{ ?a org:subOrganizationOf|org:unitOf ?p . {visible_filter('p', audience)}
                 ?p skos:prefLabel ?pn FILTER(lang(?pn) = "en") }}
    }} GROUP BY ?a""")
    from graph.core.access import tlp_mark

    if G is not None:  # names and acronyms from the audience's own view: one resolver for every answer
        from graph.network.view import name_index

        index = name_index(G)
    else:
        from graph.kb.resolve import actor_index

        index = actor_index()
    out = []
    for r in rows:
        out.append({"name": r["n"] or index.label(r["a"], lang), "acronym": index.acronym(r["a"]),
                    "kind": r["kind"], "level": r["level"],
                    "mandates": sorted(_split(r["mandates"])),
                    "parent": r["parent"], "iri": r["a"], "tlp": tlp_mark(r["access"], audience)})
    order = {"national": 0, "regional": 1, "eu": 2, "international": 3}
    return sorted(out, key=lambda r: (order.get(r["level"], 9), r["name"].casefold()))


_CITATIONS = """SELECT ?s ?docid ?loc ?quote WHERE {
  VALUES ?s { %s }
  ?s coop:citation ?c . ?c prov:entity/dcterms:identifier ?docid ; coop:locator ?loc ; coop:quote ?quote .
  %s
} ORDER BY ?s ?docid ?loc"""


def _sources(store, subjects, audience="clear"):
    """``{subject: [{document, locator, quote}]}`` for the given IRIs."""
    from graph.kb.store import select

    subjects = [s for s in subjects if s]
    if not subjects:
        return {}
    out = {}
    rows = select(store, _CITATIONS % (" ".join(f"<{s}>" for s in subjects), visible_filter("c", audience)))
    for r in sorted(rows, key=lambda r: (r["s"], r["docid"], r["loc"], r["quote"])):  # the same order from any store
        out.setdefault(r["s"], []).append({"document": r["docid"], "locator": r["loc"], "quote": r["quote"]})
    return out


#: A contact channel not verified for this many days is flagged as stale.
STALE_AFTER_DAYS = 365


def is_stale(last_verified, today=None) -> bool:
    """True when a contact's ``coop:lastVerified`` (date, year-month or year) is older than ``STALE_AFTER_DAYS``.

    Examples
    --------
    >>> import datetime
    >>> is_stale("2015-11", today=datetime.date(2026, 11, 23)), is_stale("2026-06-01", today=datetime.date(2026, 11, 23))
    (True, False)
    >>> is_stale(None)
    True
    """
    import datetime

    from graph.core.periods import period

    if not last_verified:
        return True
    verified = period(last_verified)[1]  # a month or a year counts until its last day
    return ((today or datetime.date.today()) - verified).days > STALE_AFTER_DAYS


def _split(value):
    """The parts of a GROUP_CONCAT(…; separator="|") value (unbound when the group had none)."""
    return [v for v in (value or "").split("|") if v]


def _label_rows(store, query, lang="en", **bindings):
    from graph.kb.store import select

    return select(store, query.replace("$LANG", lang), **bindings)


def _name(G, n, lang="en"):
    """'ITM (Inspectorate of Labour and Mines)' for node ``n`` of view ``G``, the name in ``lang``."""
    from graph.kb.resolve import fold

    d = G.nodes[n]
    label = d["labels"].get(lang) or d.get("label") or n.rsplit("/", 1)[-1]
    a = d.get("acronym")
    return f"{a} ({label})" if a and fold(a) != fold(label) else label


def _access(store, iris):
    """``{iri: TLP notation}`` for the given IRIs that carry a sensitivity label."""
    from graph.kb.store import select

    iris = sorted({i for i in iris if i and i.startswith("http")})
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in iris)
    rows = select(store, f"SELECT ?s ?n WHERE {{ VALUES ?s {{ {values} }} ?s dcterms:accessRights/skos:notation ?n }}")
    return {r["s"]: r["n"] for r in rows}


def describe_actor(store, iri: str, lang="en", audience="clear", G=None):
    """Everything the graph says about one actor, each fact with its sources, as a dict.

    The actor's links, memberships, units, parents and availability come from the networkx view
    (:func:`graph.network.view.load_view`), the one projection that ``contact``, ``path`` and the maps
    read, so they all word a link the same way. A fact is shown only if it and every resource it names
    are at or below ``audience``: a link to a restricted actor is left out, a restricted legal basis,
    availability or agreement party is left out of the fact that names it. Each fact carries ``tlp``: the
    strictest label of the fact and what it names, as a TLP 2.0 mark ("TLP:AMBER"), '' when all are clear.

    Raises
    ------
    NotFound
        When ``iri`` is not an actor visible to ``audience``.
    """
    from graph.core.access import strictest
    from graph.core.errors import NotFound
    from graph.core.access import tlp_mark

    if G is None:
        from graph.network.view import load_view

        G = load_view(audience=audience)
    if iri not in G:
        raise NotFound(f"No actor {iri} (or it is above the '{audience}' audience).")
    vis = visible_filter
    node = G.nodes[iri]
    base = _label_rows(store, f"""SELECT ?p ?o WHERE {{ ?actor ?p ?o . {vis('actor', audience)}
        FILTER(?p IN (rdfs:comment, coop:vagueness)) }}""", actor=iri)
    # instruments that establish, govern, are passed by or have the actor as a party; a restricted
    # instrument, the restricted whole it is part of, and restricted parties are left out
    instruments = _label_rows(store, f"""SELECT ?i ?how ?title ?whole ?date
        (GROUP_CONCAT(DISTINCT STR(?party); separator="|") AS ?parties) WHERE {{
        {{ ?i coop:establishes ?actor BIND("establishes" AS ?how) }} UNION {{ ?i coop:governs ?actor BIND("governs" AS ?how) }}
        UNION {{ ?i coop:party ?actor BIND("party" AS ?how) }} UNION {{ ?i eli:passed_by ?actor BIND("passed by" AS ?how) }}
        {vis('i', audience)}
        ?i eli:title ?title FILTER(lang(?title) = "en")
        OPTIONAL {{ ?i eli:is_part_of ?w . {vis('w', audience)} ?w eli:title ?whole FILTER(lang(?whole) = "en") }}
        OPTIONAL {{ ?i eli:date_document ?date }} OPTIONAL {{ ?i eli:is_part_of/eli:date_document ?date }}
        OPTIONAL {{ ?i coop:party|eli:is_part_of/coop:party ?party }} }} GROUP BY ?i ?how ?title ?whole ?date ORDER BY ?date""",
                              actor=iri)
    contacts = _label_rows(store, f"""SELECT ?c ?p ?v WHERE {{ ?actor schema:contactPoint ?c . ?c ?p ?v . {vis('c', audience)}
        FILTER(?p IN (schema:email, schema:telephone, schema:url, schema:address, schema:name, coop:statedOn,
                      coop:lastVerified)) }}""",
                           actor=iri)
    figures = _label_rows(store, f"""SELECT ?f ?measure ?value ?start ?end ?comment WHERE {{
        ?f a coop:Figure ; coop:measure/skos:notation ?measure ; schema:value ?value .
        {{ ?f coop:about ?actor }} UNION {{ ?f coop:reportedBy ?actor }} {vis('f', audience)}
        {names_filter('f', ('coop:about', 'coop:reportedBy'), audience)}
        OPTIONAL {{ ?f schema:startDate ?start }} OPTIONAL {{ ?f schema:endDate ?end }}
        OPTIONAL {{ ?f rdfs:comment ?comment }} }} ORDER BY ?measure ?start""", actor=iri)

    # ---- from the view: links, memberships, structure, availability (both ends visible by construction)
    link_kinds = G.graph.get("link_kinds", {})
    links, memberships, parents, units = [], [], [], []
    for u, v, k, d in sorted(list(G.out_edges(iri, keys=True, data=True)) + list(G.in_edges(iri, keys=True, data=True)),
                             key=lambda e: (e[0] != iri, e[3].get("kind") or "", e[2])):
        if d.get("mirror"):
            continue
        origin, out = d.get("origin"), u == iri
        other = v if out else u
        if origin == "link":
            if u == v and any(l["iri"] == k for l in links):
                continue
            reads = d["reads"] if out else link_kinds.get(d["kind"], {}).get("inverse") or d["reads"]
            links.append({"direction": "out" if out else "in", "kind": d["kind"], "reads": reads,
                          "actor": _name(G, other, lang), "actor_iri": other, "condition": d.get("condition"),
                          "applies_when": list(d.get("applies_when") or []), "phases": list(d.get("phases") or []),
                          "legal_basis": [b["title"] for b in d.get("legal_basis") or []],
                          "availability": [a["hours"] for a in d.get("availability") or []],
                          "status": d.get("status"), "since": d.get("start"), "until": d.get("end"),
                          "stated_on": d.get("stated_on"), "iri": k, "sources": list(d.get("sources") or []),
                          "_names": [d.get("access"), G.nodes[other].get("access")]
                                    + [b["iri"] for b in d.get("legal_basis") or []]
                                    + [a["iri"] for a in d.get("availability") or []]})
        elif origin == "membership":
            memberships.append({"relation": "member of" if out else "has member", "actor": _name(G, other, lang),
                                "role": d.get("role"), "since": d.get("start"), "until": d.get("end"),
                                "sources": list(d.get("sources") or []), "iri": k,
                                "_names": [d.get("access"), G.nodes[other].get("access")]})
        elif d.get("kind") == "unit-of":
            (parents if out else units).append(other)
    links.sort(key=lambda r: (r["direction"], r["kind"]))
    memberships.sort(key=lambda m: (m["relation"], m["role"] != "chair", m["actor"]))

    subjects = [iri] + [r["i"] for r in instruments] + [r["c"] for r in contacts] + [r["f"] for r in figures]
    sources = _sources(store, list(dict.fromkeys(subjects)), audience)
    named = [r["i"] for r in instruments] + [r["c"] for r in contacts] + [r["f"] for r in figures] \
        + [a["iri"] for a in node.get("availability") or []] \
        + [x for r in links for x in r["_names"]] + [p for r in instruments for p in _split(r["parties"])]
    access = _access(store, named)

    def mark(*levels_or_iris):
        """The TLP mark of a fact whose own label and named resources are given (notations or IRIs)."""
        return tlp_mark(strictest(*(access.get(x, "clear") if x and x.startswith("http") else x
                                    for x in levels_or_iris)), audience)

    for r in links + memberships:
        r["tlp"] = mark(*r.pop("_names"))

    def values(prop):
        return [r["o"] for r in base if r["p"].endswith(prop)]

    record = {
        "iri": iri, "name": node["labels"].get(lang) or node["label"], "labels": dict(node["labels"]),
        "acronyms": list(node.get("alt_labels") or []), "tlp": tlp_mark(node.get("access"), audience),
        "comment": values("#comment"), "vagueness": values("#vagueness"),
        "since": node.get("start"), "until": node.get("end"),
        "kind": node.get("kind"), "level": node.get("level"), "mandates": list(node.get("mandates") or []),
        "crime_areas": list(node.get("crime_areas") or []), "phases": list(node.get("phases") or []),
    }
    country = node.get("country")
    record["country"] = [G.nodes[country]["labels"].get(lang) or G.nodes[country]["label"]] if country in G else []
    record["parents"] = [_name(G, p, lang) for p in parents]
    record["units"] = sorted(_name(G, u, lang) for u in units)
    record["memberships"] = memberships
    record["links"] = links
    record["instruments"] = []
    for r in instruments:
        parties = [p for p in _split(r["parties"]) if p in G]  # a restricted party is not named
        record["instruments"].append({"relation": r["how"], "title": _title(r["title"], r["whole"]), "date": r["date"],
                                      "iri": r["i"], "parties": sorted(_name(G, p, lang) for p in parties),
                                      "sources": sources.get(r["i"], []), "tlp": mark(r["i"], *parties)})
    cps = {}
    for r in contacts:
        cps.setdefault(r["c"], {"iri": r["c"], "sources": sources.get(r["c"], []), "tlp": mark(r["c"])})[
            r["p"].rsplit("/", 1)[-1].rsplit("#", 1)[-1]] = r["v"]
    for cp in cps.values():
        cp["stale"] = is_stale(cp.get("lastVerified"))
    record["contact_points"] = list(cps.values())
    record["availability"] = [{"hours": a["hours"], "status": a["status"], "since": a["start"], "stated_on": a["stated_on"],
                               "sources": list(a.get("sources") or []), "tlp": mark(a["iri"])}
                              for a in sorted(node.get("availability") or [], key=lambda a: (a.get("stated_on") or "", a["iri"]))]
    record["figures"] = [{"measure": r["measure"], "value": r["value"], "from": r["start"], "to": r["end"],
                          "reading": r["comment"], "sources": sources.get(r["f"], []), "tlp": mark(r["f"])}
                         for r in figures]
    record["sources"] = sources.get(iri, [])
    __import__("graph.kb.facts").kb.facts.enrich(store, record, iri, lang, audience, _sources)  # figures, activities (#18)
    activity_access = _access(store, [a["iri"] for a in record.get("activities", [])])
    for a in record.get("activities", []):
        a["tlp"] = tlp_mark(activity_access.get(a["iri"]), audience)
    return record


def _title(title, whole):
    """An instrument's title as the view words it: 'Article 19, Directive 2011/36/EU ...'."""
    if title and whole and whole not in title:
        return f"{title}, {whole}"
    return title or whole
