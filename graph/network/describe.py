"""The knowledge base as answers: actor listings, one actor in full, concept-scheme choices.

Every function reads the compiled, validated dataset (:func:`graph.kb.store.open_store`) with fixed SPARQL
queries and returns plain dicts, so the CLI and a web server print or serve the same thing. Facts whose
sensitivity label (``dcterms:accessRights``) is above ``audience`` are left out.
"""

from __future__ import annotations

from graph.core.errors import CoopmapError

__all__ = ["AUDIENCES", "STALE_AFTER_DAYS", "is_stale", "scheme_choices", "choose", "list_actors", "describe_actor", "visible_filter"]

from graph.core.access import AUDIENCES, visible_filter

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


def list_actors(store, level=None, kind=None, mandate=None, lang="en", audience="clear"):
    """Actors, optionally filtered by level, kind and mandate (notations), sorted by level then name."""
    from graph.kb.store import select

    filters = []
    for scheme, prop, value in (("level", "coop:level", level), ("kind", "coop:actorKind", kind),
                                ("mandate", "coop:mandate", mandate)):
        if value:
            filters.append(f"?a {prop} <{choose(store, scheme, value)}> .")
    rows = select(store, f"""
    SELECT ?a (SAMPLE(?name) AS ?n) (SAMPLE(?acr) AS ?acronym) (SAMPLE(?k) AS ?kind) (SAMPLE(?lv) AS ?level)
           (GROUP_CONCAT(DISTINCT ?m; separator="|") AS ?mandates) (SAMPLE(?pn) AS ?parent)
    WHERE {{
      ?a a coop:Actor . {' '.join(filters)}
      {visible_filter('a', audience)}
      OPTIONAL {{ ?a skos:prefLabel ?name FILTER(lang(?name) = "{lang}") }}
      OPTIONAL {{ ?a skos:altLabel ?acr }}
      OPTIONAL {{ ?a coop:actorKind/skos:notation ?k }}
      OPTIONAL {{ ?a coop:level/skos:notation ?lv }}
      OPTIONAL {{ ?a coop:mandate/skos:notation ?m }}
      OPTIONAL {{ ?a org:subOrganizationOf|org:unitOf ?p . ?p skos:prefLabel ?pn FILTER(lang(?pn) = "en") }}
    }} GROUP BY ?a""")
    from graph.kb.resolve import actor_index

    index = actor_index()
    out = []
    for r in rows:
        out.append({"name": r["n"] or index.label(r["a"], lang), "acronym": index.acronym(r["a"]),
                    "kind": r["kind"], "level": r["level"],
                    "mandates": sorted(_split(r["mandates"])),
                    "parent": r["parent"], "iri": r["a"]})
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
    for r in rows:
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


def describe_actor(store, iri: str, lang="en", audience="clear"):
    """Everything the graph says about one actor, each fact with its sources, as a dict."""
    from graph.kb.resolve import actor_index

    index = actor_index()
    vis = visible_filter
    base = _label_rows(store, f"""SELECT ?p ?o WHERE {{ ?actor ?p ?o . {vis('actor', audience)}
        FILTER(?p IN (skos:prefLabel, skos:altLabel, rdfs:comment, coop:vagueness, schema:startDate, schema:endDate)) }}""",
                       actor=iri)
    if not base:
        from graph.core.errors import NotFound
        raise NotFound(f"No actor {iri} (or it is above the '{audience}' audience).")
    concepts = _label_rows(store, """SELECT ?p ?n ?l WHERE { ?actor ?p ?c . ?c skos:notation ?n .
        OPTIONAL { ?c skos:prefLabel ?l FILTER(lang(?l) = "$LANG") }
        FILTER(?p IN (coop:actorKind, coop:level, coop:mandate, coop:crimeArea, coop:phase)) } ORDER BY ?n""",
                           lang, actor=iri)
    rel = _label_rows(store, f"""SELECT ?rel ?other WHERE {{
        {{ ?actor org:subOrganizationOf|org:unitOf ?other BIND("parent" AS ?rel) }}
        UNION {{ ?other org:subOrganizationOf|org:unitOf ?actor BIND("unit" AS ?rel) }}
        UNION {{ ?actor coop:country ?other BIND("country" AS ?rel) }}
        {vis('other', audience)} }}""", actor=iri)
    memberships = _label_rows(store, f"""SELECT ?m ?dir ?other ?role ?start ?end WHERE {{
        {{ ?m org:member ?actor ; org:organization ?other BIND("member of" AS ?dir) }}
        UNION {{ ?m org:organization ?actor ; org:member ?other BIND("has member" AS ?dir) }}
        ?m a org:Membership . {vis('m', audience)}
        OPTIONAL {{ ?m org:role/skos:notation ?role }}
        OPTIONAL {{ ?m schema:startDate ?start }} OPTIONAL {{ ?m schema:endDate ?end }} }}""", actor=iri)
    links = _label_rows(store, f"""SELECT ?link ?dir ?kind ?kindlabel ?inverse ?other ?cond ?status ?start ?end ?stated
            (GROUP_CONCAT(DISTINCT ?w; separator="|") AS ?when) (GROUP_CONCAT(DISTINCT ?ph; separator="|") AS ?phases)
            (GROUP_CONCAT(DISTINCT ?lb; separator="|") AS ?basis) (GROUP_CONCAT(DISTINCT ?av; separator="|") AS ?avail)
        WHERE {{
        {{ ?link coop:from ?actor ; coop:to ?other BIND("out" AS ?dir) }}
        UNION {{ ?link coop:to ?actor ; coop:from ?other BIND("in" AS ?dir) }}
        ?link a coop:Link ; coop:linkKind ?k . ?k skos:notation ?kind ; skos:prefLabel ?kindlabel FILTER(lang(?kindlabel) = "en")
        OPTIONAL {{ ?k coop:inverseLabel ?inverse }}
        {vis('link', audience)}
        OPTIONAL {{ ?link coop:condition ?cond FILTER(lang(?cond) = "$LANG" || lang(?cond) = "en") }}
        OPTIONAL {{ ?link coop:appliesWhen/skos:notation ?w }}
        OPTIONAL {{ ?link coop:phase/skos:notation ?ph }}
        OPTIONAL {{ ?link coop:legalBasis ?l . ?l eli:title ?lb FILTER(lang(?lb) = "en") }}
        OPTIONAL {{ ?link coop:availability ?a . {{ ?a skos:notation ?av }} UNION {{ ?a coop:hours/skos:notation ?av }} }}
        OPTIONAL {{ ?link coop:status/skos:notation ?status }}
        OPTIONAL {{ ?link schema:startDate ?start }} OPTIONAL {{ ?link schema:endDate ?end }}
        OPTIONAL {{ ?link coop:statedOn ?stated }}
        }} GROUP BY ?link ?dir ?kind ?kindlabel ?inverse ?other ?cond ?status ?start ?end ?stated ORDER BY ?dir ?kind""",
                        lang, actor=iri)
    instruments = _label_rows(store, f"""SELECT ?i ?how ?title ?date (GROUP_CONCAT(DISTINCT STR(?party); separator="|") AS ?parties) WHERE {{
        {{ ?i coop:establishes ?actor BIND("establishes" AS ?how) }} UNION {{ ?i coop:governs ?actor BIND("governs" AS ?how) }}
        UNION {{ ?i coop:party ?actor BIND("party" AS ?how) }} UNION {{ ?i eli:passed_by ?actor BIND("passed by" AS ?how) }}
        {vis('i', audience)}
        ?i eli:title ?title FILTER(lang(?title) = "en")
        OPTIONAL {{ ?i eli:date_document ?date }} OPTIONAL {{ ?i eli:is_part_of/eli:date_document ?date }}
        OPTIONAL {{ ?i coop:party|eli:is_part_of/coop:party ?party }} }} GROUP BY ?i ?how ?title ?date ORDER BY ?date""",
                              actor=iri)
    contacts = _label_rows(store, f"""SELECT ?c ?p ?v WHERE {{ ?actor schema:contactPoint ?c . ?c ?p ?v . {vis('c', audience)}
        FILTER(?p IN (schema:email, schema:telephone, schema:url, schema:address, schema:name, coop:statedOn, coop:lastVerified)) }}""",
                           actor=iri)
    availability = _label_rows(store, f"""SELECT ?a ?hours ?status ?start ?stated WHERE {{ ?actor coop:availability ?a .
        ?a coop:hours/skos:notation ?hours . {vis('a', audience)}
        OPTIONAL {{ ?a coop:status/skos:notation ?status }} OPTIONAL {{ ?a schema:startDate ?start }}
        OPTIONAL {{ ?a coop:statedOn ?stated }} }} ORDER BY ?stated""", actor=iri)
    figures = _label_rows(store, f"""SELECT ?f ?measure ?value ?start ?end ?comment WHERE {{
        ?f a coop:Figure ; coop:measure/skos:notation ?measure ; schema:value ?value .
        {{ ?f coop:about ?actor }} UNION {{ ?f coop:reportedBy ?actor }} {vis('f', audience)}
        OPTIONAL {{ ?f schema:startDate ?start }} OPTIONAL {{ ?f schema:endDate ?end }}
        OPTIONAL {{ ?f rdfs:comment ?comment }} }} ORDER BY ?measure ?start""", actor=iri)

    subjects = [iri] + [r["link"] for r in links] + [r["m"] for r in memberships] + [r["i"] for r in instruments] \
        + [r["c"] for r in contacts] + [r["a"] for r in availability] + [r["f"] for r in figures]
    sources = _sources(store, list(dict.fromkeys(subjects)), audience)

    def values(prop):
        return [r["o"] for r in base if r["p"].endswith(prop)]

    record = {
        "iri": iri, "name": index.label(iri, lang), "labels": index.by_iri.get(iri, {}).get("labels", {}),
        "acronyms": index.by_iri.get(iri, {}).get("alt", []),
        "comment": values("#comment"), "vagueness": values("#vagueness"),
        "since": (values("startDate") or [None])[0], "until": (values("endDate") or [None])[0],
    }
    for key, prop in (("kind", "actorKind"), ("level", "level"), ("mandates", "mandate"),
                      ("crime_areas", "crimeArea"), ("phases", "phase")):
        vals = [r["n"] for r in concepts if r["p"].endswith("#" + prop)]
        record[key] = vals if key in ("mandates", "crime_areas", "phases") else (vals[0] if vals else None)
    record["country"] = [index.label(r["other"]) for r in rel if r["rel"] == "country"]
    record["parents"] = [index.short(r["other"]) for r in rel if r["rel"] == "parent"]
    record["units"] = sorted(index.short(r["other"]) for r in rel if r["rel"] == "unit")
    record["memberships"] = [{"relation": r["dir"], "actor": index.short(r["other"]), "role": r["role"],
                              "since": r["start"], "until": r["end"], "sources": sources.get(r["m"], [])}
                             for r in sorted(memberships, key=lambda r: (r["dir"], r["role"] != "chair", index.short(r["other"])))]
    record["links"] = [{"direction": r["dir"], "kind": r["kind"],
                        "reads": (r["kindlabel"] if r["dir"] == "out" else (r["inverse"] or r["kindlabel"])),
                        "actor": index.short(r["other"]), "actor_iri": r["other"], "condition": r["cond"],
                        "applies_when": _split(r["when"]), "phases": _split(r["phases"]),
                        "legal_basis": _split(r["basis"]),
                        "availability": _split(r["avail"]), "status": r["status"],
                        "since": r["start"], "until": r["end"], "stated_on": r["stated"], "iri": r["link"],
                        "sources": sources.get(r["link"], [])} for r in links]
    record["instruments"] = [{"relation": r["how"], "title": r["title"], "date": r["date"], "iri": r["i"],
                              "parties": sorted(index.short(p) for p in _split(r["parties"])),
                              "sources": sources.get(r["i"], [])} for r in instruments]
    cps = {}
    for r in contacts:
        cps.setdefault(r["c"], {"iri": r["c"], "sources": sources.get(r["c"], [])})[r["p"].rsplit("/", 1)[-1].rsplit("#", 1)[-1]] = r["v"]
    for cp in cps.values():
        cp["stale"] = is_stale(cp.get("lastVerified"))
    record["contact_points"] = list(cps.values())
    record["availability"] = [{"hours": r["hours"], "status": r["status"], "since": r["start"], "stated_on": r["stated"],
                               "sources": sources.get(r["a"], [])} for r in availability]
    record["figures"] = [{"measure": r["measure"], "value": r["value"], "from": r["start"], "to": r["end"],
                          "reading": r["comment"], "sources": sources.get(r["f"], [])} for r in figures]
    record["sources"] = sources.get(iri, [])
    __import__("graph.kb.facts").kb.facts.enrich(store, record, iri, lang, audience, _sources)  # figures, activities (#18)
    return record
